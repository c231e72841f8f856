"""Running the app under gunicorn: worker processes, because search is CPU-bound and a
process searches one query at a time (Whoosh's readers are not thread-safe). Extra threads
per worker only help slow clients; under load they cost ~10% of throughput (bench/load.py:
277 against 255 requests/s), so the default is one."""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


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
        "worker_class": "gthread",
        "accesslog": "-" if access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
        # Bounded request lines and headers: oversized input is refused before Flask sees it.
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "proc_name": "clio",
        "post_worker_init": lambda worker: app.extensions["clio"].warm(),
    }).run()
