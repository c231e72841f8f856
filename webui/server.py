"""Running the app under gunicorn: worker processes, because search is CPU-bound and a
process searches one query at a time (Whoosh's readers are not thread-safe). Extra threads
per worker only help slow clients; under load they cost ~10% of throughput (bench/load.py:
277 against 255 requests/s), so the default is one.

With one thread, workers are gunicorn's plain `sync` kind: a worker takes the next request
from the shared listening socket only when it is free, so the load spreads evenly. Threaded
workers keep each client's connection open (keep-alive) on the worker that first took it,
and with 32 clients one worker ended up with more of them: with the same throughput, the
99th percentile was 290-350 ms against 177 ms (bench/load.py's queries, 2 workers, 20 s
runs alternated)."""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


class AccessLogger(Logger):
    """gunicorn's logger, building only the atoms ACCESS_LOG_FORMAT uses.

    The stock `atoms` also copies every request header, response header and environ entry
    into the dict, for formats that might name them: 4% of a worker's time under load."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}",
            "s": status,
            "b": str(sent) if sent is not None else "-",
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "a": environ.get("HTTP_USER_AGENT", "-"),
        }


class ClioServer(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def run_gunicorn(app: Flask, host: str, port: int, workers: int, threads: int,
                 access_log: bool = True) -> None:
    ClioServer(app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "sync" if threads == 1 else "gthread",
        "accesslog": "-" if access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "logger_class": AccessLogger,
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
        # Bounded request lines and headers: oversized input is refused before Flask sees it.
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "proc_name": "clio",
        "post_worker_init": lambda worker: app.extensions["clio"].warm(),
    }).run()
