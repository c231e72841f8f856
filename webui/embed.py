"""Embedding Clio elsewhere: the <clio-search> widget, the iframe page, OpenSearch, CORS."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

bp = Blueprint("embed", __name__)


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
