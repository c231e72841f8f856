"""Per-client rate limiting of the API: a token bucket per client address.

Each server worker process keeps its own buckets, so with N workers a client may get up to
N times the configured rate; that bounds abuse without shared state between processes.
"""

from __future__ import annotations

import math
import threading
import time
from ipaddress import ip_address

from flask import Flask, jsonify, request

MAX_CLIENTS = 10_000  # buckets kept; the oldest are forgotten beyond this


class RateLimiter:
    def __init__(self, per_minute: float, loopback_per_minute: float = 0):
        self.per_minute = per_minute
        self.loopback_per_minute = loopback_per_minute
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)
        self._lock = threading.Lock()

    def rate_for(self, client: str) -> float:
        try:
            loopback = ip_address(client).is_loopback
        except ValueError:
            loopback = False
        return self.loopback_per_minute if loopback else self.per_minute

    def retry_after(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        rate = self.rate_for(client)
        if rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        per_second = rate / 60.0
        with self._lock:
            tokens, last = self._buckets.get(client, (rate, now))
            tokens = min(rate, tokens + (now - last) * per_second)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / per_second
            if len(self._buckets) > MAX_CLIENTS:
                oldest = sorted(self._buckets.items(), key=lambda kv: kv[1][1])
                for key, _ in oldest[: MAX_CLIENTS // 10]:
                    del self._buckets[key]
        return wait


def install(app: Flask) -> None:
    limiter = RateLimiter(float(app.config["CLIO_RATE_LIMIT"]),
                          float(app.config["CLIO_RATE_LIMIT_LOOPBACK"]))
    app.extensions["clio_rate_limiter"] = limiter
    if limiter.per_minute <= 0 and limiter.loopback_per_minute <= 0:
        return  # limiting is off: no hook to run on every request

    @app.before_request
    def limit_api():
        if not (request.path.startswith("/api/") or request.path == "/embed"):
            return None
        wait = limiter.retry_after(request.remote_addr or "unknown")
        if wait <= 0:
            return None
        response = jsonify(error="too many requests; slow down")
        response.status_code = 429
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
