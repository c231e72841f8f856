"""Rate limiting per client: 429 with Retry-After; off for loopback by default."""

from __future__ import annotations

from webui import create_app
from webui.ratelimit import RateLimiter


def test_bucket_refills_over_time():
    limiter = RateLimiter(per_minute=60)
    assert all(limiter.retry_after("203.0.113.9", now=100.0) == 0 for _ in range(60))
    wait = limiter.retry_after("203.0.113.9", now=100.0)
    assert 0.9 < wait <= 1.0
    assert limiter.retry_after("203.0.113.9", now=101.5) == 0
    assert limiter.retry_after("198.51.100.1", now=100.0) == 0  # other clients unaffected


def test_loopback_is_not_limited_by_default():
    limiter = RateLimiter(per_minute=1)
    assert all(limiter.retry_after("127.0.0.1") == 0 for _ in range(100))
    assert all(limiter.retry_after("::1") == 0 for _ in range(100))


def test_api_answers_429_with_retry_after(tmp_path):
    app = create_app(index_dir=tmp_path / "none", config={"RATE_LIMIT": 3})
    client = app.test_client()
    env = {"REMOTE_ADDR": "203.0.113.7"}
    statuses = [client.get("/api/suggest?q=a", environ_base=env).status_code for _ in range(5)]
    assert statuses[:3] == [503, 503, 503]  # allowed through (no index here)
    assert statuses[3:] == [429, 429]
    r = client.get("/api/suggest?q=a", environ_base=env)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert r.get_json()["error"]
    # HTML pages are not limited, and loopback clients are not either.
    assert client.get("/", environ_base=env).status_code == 200
    assert client.get("/api/suggest?q=a").status_code == 503
