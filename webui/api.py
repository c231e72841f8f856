"""The JSON API: thin views over `indexer.search.Clio`; bad parameters get a 4xx JSON error."""

from __future__ import annotations

import functools
import hmac
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, url_for

from indexer import reindex
from indexer.results import value_counts

from .openapi import openapi_spec
from .params import BadParameter, search_params

bp = Blueprint("api", __name__)


def clio():
    return current_app.extensions["clio"].get()


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return jsonify(error=str(error)), 400


def page_url(path: str) -> str:
    """url_for of a page view, remembered: building URLs was a tenth of an API request."""
    return _page_url(request.script_root, path)


@functools.lru_cache(maxsize=16_384)
def _page_url(script_root: str, path: str) -> str:
    return url_for("views.page", path=path)


def hit_json(hit) -> dict:
    return {
        "path": hit.path,
        "url": page_url(hit.path),
        "title": hit.title,
        "score": hit.score,
        "snippet": hit.snippet,
        "persons": hit.persons,
        "years": hit.years,
        "matched_person": hit.matched_person,
    }


@bp.get("/api/search")
def search():
    params = search_params(request.args, current_app.config)
    results = clio().search(**params)
    return jsonify(results.to_json(hit_json=hit_json))


@bp.get("/api/suggest")
def suggest():
    q = request.args.get("q", "")
    if len(q) > 100:
        raise BadParameter("q is longer than 100 characters")
    return jsonify(query=q, suggestions=[
        {"kind": s.kind, "label": s.label, "pages": s.pages,
         "url": url_for("views.page", path=s.path) if s.path
         else url_for("views.person", name=s.label)}
        for s in clio().suggest(q)
    ])


@bp.get("/api/pages/<path:page_id>")
def page(page_id: str):
    record = clio().page(page_id)
    if record is None:
        return jsonify(error="no page with that id"), 404
    return jsonify(
        id=record["path"], path=record["path"], url=url_for("views.page", path=record["path"]),
        title=record.get("title", ""), headings=record.get("headings", "").split("\n")
        if record.get("headings") else [], persons=record["persons"], years=record["years"],
        date=record.get("date"), section=record.get("section", ""),
        encoding=record.get("encoding", ""), text=record.get("text", ""),
        more_like_this=[hit_json(h) for h in clio().more_like(record["path"])],
    )


@bp.get("/api/overview")
def overview():
    """The JSON beside the home page: the persons and periods to browse."""
    view = clio().overview()
    return jsonify(
        pages=view["pages"],
        persons=[{"value": name, "count": n, "url": url_for("views.person", name=name)}
                 for name, n in view["persons"]],
        **{key: value_counts(view[key]) for key in ("centuries", "timeline", "sections")},
    )


@bp.get("/api/persons/<path:name>")
def person(name: str):
    """The JSON beside /person/<name>: the person's spellings, pages and decade timeline."""
    if len(name) > 200:
        raise BadParameter("the name is longer than 200 characters")
    view = clio().person(name)
    if view is None:
        return jsonify(error="no page names that person"), 404
    return jsonify(
        name=view["name"], url=url_for("views.person", name=view["name"]),
        variants=view["variants"], total=view["total"],
        pages=[hit_json(h) for h in view["pages"]],
        timeline=value_counts(view["timeline"]),
    )


@bp.get("/healthz")
def healthz():
    try:
        c = clio()
        searcher = c.searcher()
        if c.damaged:  # the last search found a damaged file
            return jsonify(status="degraded", error=c.damaged), 503
        return jsonify(status="ok", pages=searcher.doc_count(),
                       generation=c.generation.name if c.generation else None)
    except Exception as e:  # any failure to reach the index is "degraded", never a 500
        return jsonify(status="degraded", error=str(e)), 503


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_spec())


def _admin_error():
    """None when the request carries the admin token, else the error response."""
    token = current_app.config.get("CLIO_ADMIN_TOKEN") or ""
    if not token:
        return jsonify(error="reindexing over HTTP is disabled (no CLIO_ADMIN_TOKEN set)"), 403
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        response = jsonify(error="this needs Authorization: Bearer <admin token>")
        response.headers["WWW-Authenticate"] = 'Bearer realm="clio"'
        return response, 401
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return jsonify(error="wrong admin token"), 403
    return None


@bp.route("/api/reindex", methods=["GET", "POST"])
def reindex_endpoint():
    """POST starts an incremental reindex in the background; GET reports its progress."""
    error = _admin_error()
    if error is not None:
        return error
    index_dir = Path(current_app.config["CLIO_INDEX"])
    if request.method == "GET":
        return jsonify(reindex.read_status(index_dir))
    proc = reindex.start_reindex(Path(current_app.config["CLIO_CORPUS"]), index_dir)
    if proc is None:
        return jsonify(error="a reindex is already running",
                       status=reindex.read_status(index_dir)), 409
    return jsonify(state="running", pid=proc.pid,
                   status_url=url_for("api.reindex_endpoint")), 202
