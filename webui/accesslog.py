"""The access log: one line per request, with what the client sent escaped.

Written here rather than by uWSGI, whose log lines carry the request line and headers as
they came: a user agent with a bare line feed forged a second log line, and escape codes in
a URL reached the terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import TextIO

MAX_FIELD = 2000  # characters of one client-sent field kept in the log


def escaped(value: str) -> str:
    """`value` printable and unambiguous inside double quotes: control characters, quotes,
    backslashes and non-ASCII as Python escapes; at most MAX_FIELD characters of it."""
    if len(value) > MAX_FIELD:
        value = value[:MAX_FIELD] + "…"
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return value  # the usual case, with nothing to escape
    return value.encode("unicode_escape").decode("ascii").replace('"', '\\"')


def access_line(environ: dict, status: str, size: str, millis: int) -> str:
    """client "METHOD /uri PROTOCOL" status bytes millisecondsms "user agent"."""
    # (WSGI strings are the raw bytes read as Latin-1: escaping shows each byte as sent.)
    request = " ".join((environ.get("REQUEST_METHOD", "-"),
                        environ.get("REQUEST_URI") or environ.get("PATH_INFO", "-"),
                        environ.get("SERVER_PROTOCOL", "-")))
    return (f'{escaped(environ.get("REMOTE_ADDR", "-"))} "{escaped(request)}" {status} {size} '
            f'{millis}ms "{escaped(environ.get("HTTP_USER_AGENT", "-"))}"\n')


class AccessLog:
    """WSGI middleware writing `access_line` for every request to `stream`."""

    def __init__(self, app: Callable, stream: TextIO | None = None):
        self.app = app
        self.stream = stream

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: list[str] = ["-", "-"]  # status code, Content-Length

        def recording(status: str, headers: list[tuple[str, str]], exc_info=None):
            seen[0] = status.split(" ", 1)[0]
            seen[1] = next((v for k, v in headers if k.lower() == "content-length"), "-")
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording)
        finally:
            millis = int((time.perf_counter() - started) * 1000)
            stream = self.stream or sys.stderr
            stream.write(access_line(environ, seen[0], seen[1], millis))
            stream.flush()
