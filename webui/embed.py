"""Embedding Clio elsewhere: the <clio-search> widget, the iframe page, OpenSearch, CORS.

- `/embed.js` defines the `<clio-search>` web component; it finds the API from its own URL.
- `/embed?q=` is a compact results page for an `<iframe>`; who may frame it comes from
  `CLIO_FRAME_ANCESTORS` (every other page says `frame-ancestors 'none'`).
- The read-only API answers cross-origin requests: `Access-Control-Allow-Origin: *`, or, when
  `CLIO_CORS_ORIGINS` is a list, only the listed origins (echoed, with `Vary: Origin`).
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from .params import BadParameter, search_params

bp = Blueprint("embed", __name__)

# Paths of the read-only API that any permitted origin may call from a browser.
CORS_EXACT = {"/api/search", "/api/suggest", "/api/opensearch-suggest", "/api/openapi.json",
              "/healthz", "/embed.js"}
CORS_PREFIXES = ("/api/pages/",)
CORS_ALLOWED_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type"
EMBED_JS_MAX_AGE = 3600  # the widget changes rarely; an hour keeps host pages fast


@bp.get("/opensearch.xml")
def opensearch():
    body = render_template(
        "opensearch.xml",
        search_url=url_for("views.search", _external=True) + "?q={searchTerms}",
        suggest_url=url_for("embed.opensearch_suggest", _external=True) + "?q={searchTerms}",
        home=url_for("views.home", _external=True),
    )
    return current_app.response_class(body, mimetype="application/opensearchdescription+xml")


@bp.get("/api/opensearch-suggest")
def opensearch_suggest():
    """Suggestions in the OpenSearch JSON format browsers ask for: [query, [labels]]."""
    q = request.args.get("q", "")[:100]
    labels = [s.label for s in current_app.extensions["clio"].get().suggest(q)]
    return current_app.response_class(
        current_app.json.dumps([q, labels]), mimetype="application/x-suggestions+json")


@bp.get("/embed.js")
def embed_js():
    """The <clio-search> web component, for `<script src="https://CLIO-HOST/embed.js">`."""
    response = send_from_directory(current_app.static_folder, "embed.js",
                                   mimetype="text/javascript", max_age=EMBED_JS_MAX_AGE)
    response.cache_control.public = True
    # Host pages that isolate themselves (COEP) may still load the script.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get("/embed")
def embed_page():
    """A compact results page meant for an <iframe> on another site; no scripts at all."""
    status = 200
    error = None
    results = None
    q = request.args.get("q", "")
    try:
        args = request.args.to_dict()
        args.setdefault("per_page", "5")
        params = search_params(args, current_app.config)
        q = params["query"]
        if q.strip():
            results = current_app.extensions["clio"].get().search(**params, facets=False)
    except BadParameter as e:
        error, status, q = str(e), 400, q[:current_app.config["CLIO_MAX_QUERY_CHARS"]]
    response = current_app.response_class(
        render_template("embed.html", q=q, results=results, error=error), status=status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {frame_ancestors()}"
    )
    return response


def frame_ancestors() -> str:
    """`CLIO_FRAME_ANCESTORS` as a CSP source list: a string or a list of sources."""
    value = current_app.config.get("CLIO_FRAME_ANCESTORS", "*")
    sources = value.split() if isinstance(value, str) else [str(v) for v in value]
    if not sources or any(re.search(r"[;,\s\x00-\x1f\x7f]", s) for s in sources):
        return "'none'"  # a value that would end the directive early fails closed
    return " ".join(sources)


def _cors_path(path: str) -> bool:
    return path in CORS_EXACT or path.startswith(CORS_PREFIXES)


@bp.after_app_request
def cors_headers(response):
    """CORS for the read-only API (and the widget script), preflights included."""
    if not _cors_path(request.path):
        return response
    allowed = current_app.config.get("CLIO_CORS_ORIGINS", "*")
    origin = request.headers.get("Origin")
    if allowed == "*" or (isinstance(allowed, (list, tuple)) and "*" in allowed):
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.vary.add("Origin")
        allow_list = [allowed] if isinstance(allowed, str) else list(allowed)
        if origin is None or origin not in allow_list:
            return response  # a refused origin gets no CORS headers: the browser blocks it
        response.headers["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response
