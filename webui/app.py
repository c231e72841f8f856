"""The application factory: one Clio app object, configured once, with thin blueprints.

Configuration, later sources winning: built-in defaults, a TOML file (`CLIO_CONFIG` or the
`config_file` argument), `CLIO_*` environment variables, then explicit arguments.
"""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import orjson
from flask import Flask, g, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider

from indexer.search import Clio
from indexer.store import IndexError_

DEFAULTS = {
    "INDEX": "index",
    "CORPUS": "corpus",
    "CORS_ORIGINS": "*",  # "*" or a list of origins allowed to call the read-only API
    "FRAME_ANCESTORS": "*",  # who may show the /embed iframe page; "'none'" forbids it
    "MAX_QUERY_CHARS": 500,
    "MAX_PER_PAGE": 50,
    "SITE_NAME": "Clio",
    "ADMIN_TOKEN": "",  # enables POST /api/reindex; empty disables it
    "RATE_LIMIT": 0,  # API requests per minute per client; 0 turns limiting off
    "RATE_LIMIT_LOOPBACK": 0,  # the same for 127.0.0.1/::1 (off: local tools and tests)
}


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON with orjson doing the encoding: a results page is ~16 KB of JSON (hits,
    facets, the decade timeline), which the standard library took 0.35 ms to encode, a
    tenth of a whole search. Non-ASCII text goes out as UTF-8 rather than \\u escapes; the
    rest (what types are accepted, the `default` hook) is as Flask's provider does it. With
    options orjson lacks (indented output in debug mode), Flask's own provider does it."""

    sort_keys = False  # keys in the order the views build them, as orjson writes them

    def dumps(self, obj, **kwargs) -> str:
        if set(kwargs) - {"separators"} or kwargs.get("separators", (",", ":")) != (",", ":"):
            return super().dumps(obj, **kwargs)
        return self._encode(obj).decode("utf-8")

    def response(self, *args, **kwargs):
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)  # indented: Flask's own encoder
        # The bytes go out as orjson made them, not decoded to a str and encoded back.
        return self._app.response_class(
            self._encode(self._prepare_response_obj(args, kwargs)) + b"\n",
            mimetype=self.mimetype)

    def _encode(self, obj) -> bytes:
        return orjson.dumps(obj, default=self.default, option=orjson.OPT_NON_STR_KEYS)


def load_config(config_file: str | Path | None = None, **overrides) -> dict:
    config = dict(DEFAULTS)
    path = config_file or os.environ.get("CLIO_CONFIG")
    if path:
        with open(path, "rb") as f:
            config.update({k.upper(): v for k, v in tomllib.load(f).items()})
    for key in DEFAULTS:
        env = os.environ.get(f"CLIO_{key}")
        if env is not None:
            config[key] = type(DEFAULTS[key])(env) if isinstance(DEFAULTS[key], int) else env
    config.update({k.upper(): v for k, v in overrides.items() if v is not None})
    if isinstance(config["CORS_ORIGINS"], str) and config["CORS_ORIGINS"] != "*":
        config["CORS_ORIGINS"] = [o.strip() for o in config["CORS_ORIGINS"].split(",") if o]
    return config


def create_app(index_dir: str | Path | None = None, corpus_dir: str | Path | None = None,
               config: dict | None = None, config_file: str | Path | None = None) -> Flask:
    app = Flask(__name__)
    app.json = FastJSONProvider(app)
    settings = load_config(config_file, index=index_dir, corpus=corpus_dir, **(config or {}))
    app.config.update({f"CLIO_{k}": v for k, v in settings.items()})
    app.extensions["clio"] = LazyClio(Path(app.config["CLIO_INDEX"]))

    from . import api, embed, ratelimit, views

    ratelimit.install(app)

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(embed.bp)

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'"
            )
        took = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        response.headers["Server-Timing"] = f"app;dur={took:.1f}"
        return response

    @app.errorhandler(IndexError_)
    def index_unavailable(error: IndexError_):
        if request.path.startswith("/api/") or request.path == "/healthz":
            return jsonify(error=str(error)), 503
        return render_template("error.html", message=str(error)), 503

    @app.errorhandler(404)
    def not_found(error):
        if request.path.startswith("/api/"):
            return jsonify(error="not found"), 404
        return render_template("error.html", message="There is no such page here."), 404

    @app.errorhandler(405)
    def not_allowed(error):
        return jsonify(error="method not allowed"), 405

    @app.errorhandler(500)
    def server_error(error):
        if request.path.startswith("/api/"):
            return jsonify(error="internal error"), 500
        return render_template("error.html", message="Something went wrong."), 500

    return app


class LazyClio:
    """Opens the index on first use, so the app starts (and /healthz answers) without one."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._clio: Clio | None = None

    def get(self) -> Clio:
        if self._clio is None:
            self._clio = Clio(self.index_dir)
        return self._clio

    def warm(self) -> None:
        """Open the index and build the facet and suggestion tables before the first reader
        waits for them (called in each server worker as it starts)."""
        try:
            clio = self.get()
            clio.search("history")
            clio.suggest("a")
        except IndexError_:
            pass  # no index yet: /healthz says so, and the first search after a build opens it
