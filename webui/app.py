"""The application factory. Views stay thin: all search logic lives in `indexer.search`."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, jsonify, render_template, request

from indexer.search import Clio
from indexer.store import IndexError_

MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 50


def create_app(index_dir: str | Path = "index", corpus_dir: str | Path = "corpus",
               config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(CLIO_INDEX=str(index_dir), CLIO_CORPUS=str(corpus_dir))
    app.config.from_prefixed_env("CLIO")
    if config:
        app.config.update(config)
    state: dict[str, Clio] = {}

    def clio() -> Clio:
        if "clio" not in state:
            state["clio"] = Clio(Path(app.config["CLIO_INDEX"]))
        return state["clio"]

    @app.errorhandler(IndexError_)
    def index_unavailable(error: IndexError_):
        if request.path.startswith("/api/") or request.path == "/healthz":
            return jsonify(error=str(error)), 503
        return render_template("error.html", message=str(error)), 503

    @app.get("/")
    def home():
        q = request.args.get("q", "")[:MAX_QUERY_CHARS]
        results = clio().search(q) if q.strip() else None
        return render_template("search.html", q=q, results=results)

    @app.get("/api/search")
    def api_search():
        q = request.args.get("q", "")
        if len(q) > MAX_QUERY_CHARS:
            return jsonify(error=f"q is longer than {MAX_QUERY_CHARS} characters"), 400
        try:
            per_page = int(request.args.get("per_page", 10))
            page = int(request.args.get("page", 1))
        except ValueError:
            return jsonify(error="page and per_page must be whole numbers"), 400
        if not 1 <= per_page <= MAX_PER_PAGE:
            return jsonify(error=f"per_page must be between 1 and {MAX_PER_PAGE}"), 400
        if not 1 <= page <= 1000:
            return jsonify(error="page must be between 1 and 1000"), 400
        return jsonify(clio().search(q, page=page, per_page=per_page).to_json())

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", pages=clio().ix.doc_count())

    return app
