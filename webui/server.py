"""Running the app under uWSGI: worker processes, because search is CPU-bound and a process
searches one query at a time (Whoosh's readers are not thread-safe).

Why uWSGI: its HTTP parsing and response writing are C. Under bench/load.py's load, a
worker spent 0.68 ms of CPU per request outside the Flask app with gunicorn's sync workers
(Python) and 0.20 ms with uWSGI: 8% more requests per second on the same two cores, and a
99th percentile 20 ms lower. Like gunicorn's sync workers, a uWSGI worker with one thread
accepts the next connection from the shared socket only when it is free, so the load
spreads evenly (threaded workers that keep clients' connections open let one worker
collect more of them, which doubled the 99th percentile).

`clio serve` checks the settings by building the app once, then replaces itself with the
uWSGI master (exec), which starts the workers; each worker builds the app from the same
settings (`webui.wsgi`, `CLIO_*` variables) and opens the index itself, so no worker shares
a file position with another.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

LISTEN_BACKLOG = 1024  # (at most the system's net.core.somaxconn, which uWSGI insists on)
REQUEST_HEAD_BYTES = 8192  # request line and headers; a longer head is refused unread


class ServerMissing(RuntimeError):
    """The uWSGI program is not installed next to this Python."""


def uwsgi_program() -> str:
    """The uwsgi executable of this environment (pip installs it beside the python)."""
    beside = Path(sys.executable).parent / "uwsgi"
    if beside.is_file():
        return str(beside)
    found = shutil.which("uwsgi")
    if not found:
        raise ServerMissing("uWSGI is not installed: pip install -e . installs it")
    return found


def _backlog() -> int:
    try:
        limit = int(Path("/proc/sys/net/core/somaxconn").read_text())
    except (OSError, ValueError):
        return 128
    return max(16, min(LISTEN_BACKLOG, limit))


def uwsgi_args(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The uWSGI command line for `clio serve`."""
    args = [
        uwsgi_program(),
        "--strict",  # an option uWSGI does not know is an error, not ignored
        "--master",
        "--http-socket", f"{host}:{port}",
        "--virtualenv", sys.prefix,
        "--module", "webui.wsgi:app",
        "--need-app",
        "--lazy-apps",  # each worker builds the app (and opens the index) after the fork
        "--single-interpreter",
        "--processes", str(workers),
        "--enable-threads",
        "--listen", str(_backlog()),
        "--buffer-size", str(REQUEST_HEAD_BYTES),
        "--harakiri", "60",  # a worker stuck on one request for a minute is replaced
        "--die-on-term",  # SIGTERM stops the server (uWSGI's own default is to reload)
        "--worker-reload-mercy", "10",
        "--procname-prefix-spaced", "clio",
        "--vacuum",
        # Each response ends its connection (a worker with one thread must not sit waiting
        # on an idle client); saying so lets HTTP/1.1 clients reconnect instead of failing
        # a read on the closed socket.
        "--add-header", "Connection: close",
        # uWSGI's own request log writes what clients sent unescaped; webui/accesslog.py
        # writes the access log instead.
        "--disable-logging",
    ]
    if threads > 1:
        args += ["--threads", str(threads)]
    return args


def serve_environment(settings: dict[str, Path | str | None],
                      access_log: bool = True) -> dict[str, str]:
    """The environment of the workers: the caller's, with `CLIO_*` settings on top."""
    env = dict(os.environ)
    env["CLIO_ACCESS_LOG"] = "1" if access_log else "0"
    for key, value in settings.items():
        if value is not None:
            env[f"CLIO_{key}"] = str(Path(value).resolve()) if isinstance(value, Path) else value
    return env


def run_uwsgi(host: str, port: int, workers: int, threads: int, access_log: bool,
              settings: dict[str, Path | str | None]) -> None:
    """Replace this process with the uWSGI master (never returns)."""
    args = uwsgi_args(host, port, workers, threads)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(args[0], args, serve_environment(settings, access_log))
