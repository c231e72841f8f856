"""HTML pages: home and results, page view, person view, saved originals. Thin views:
parameters in, `Clio` calls, templates out."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from indexer import pipeline
from indexer.schema import century_of
from indexer.store import IndexError_

from .params import BadParameter, search_params
from .timeline import timeline_bars

bp = Blueprint("views", __name__)

FILTER_PARAMS = ("person", "from", "to", "section", "century", "decade", "sort")


def clio():
    return current_app.extensions["clio"].get()


@bp.app_template_filter("century_label")
def century_label(value) -> str:
    n = int(value)
    suffix = "th" if 10 <= abs(n) % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(abs(n) % 10,
                                                                                     "th")
    return f"{abs(n)}{suffix} century" + (" BC" if n < 0 else "")


@bp.app_template_filter("decade_label")
def decade_label(value) -> str:
    n = int(value)
    return f"{abs(n)}s BC" if n < 0 else f"{n}s"


@bp.app_template_filter("year_label")
def year_label(value) -> str:
    n = int(value)
    return f"{-n} BC" if n < 0 else str(n)


@bp.app_template_filter("years_span")
def years_span(years: list[int]) -> str:
    """The years a page speaks of, as a span: "1206–1523", "44 BC–14", "1914"."""
    if not years:
        return ""
    lo, hi = min(years), max(years)
    return year_label(lo) if lo == hi else f"{year_label(lo)}–{year_label(hi)}"


@bp.app_template_global()
def url_with(**changes) -> str:
    """This results page's URL with some parameters changed (None removes one)."""
    args = {k: v for k, v in request.args.items() if v != ""}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    if any(k in changes for k in FILTER_PARAMS + ("q",)) and "page" not in changes:
        args.pop("page", None)  # a new filter starts again at page 1
    return url_for("views.search", **args)


@bp.get("/")
def home():
    if request.args.get("q") is not None:
        return search()
    try:
        overview = clio().overview()
    except IndexError_:
        overview = None  # no index yet: the search box still shows, and says so when used
    return render_template("home.html", overview=overview,
                           bars=timeline_bars(overview["timeline"]) if overview else [],
                           json_url=url_for("api.overview") if overview else None)


@bp.get("/search")
def search():
    try:
        params = search_params(request.args, current_app.config)
    except BadParameter as e:
        return render_template("search.html", q=request.args.get("q", "")[:500], results=None,
                               error=str(e), filters=[], bars=[]), 400
    results = clio().search(**params)
    return render_template("search.html", q=params["query"], results=results, error=None,
                           filters=_active_filters(params), params=params,
                           bars=timeline_bars(results.timeline),
                           json_url=url_for("api.search", **request.args.to_dict()))


def _active_filters(params: dict) -> list[dict]:
    """Removable chips for the filters in force."""
    chips = []
    if params["person"]:
        chips.append({"label": f"Person: {params['person']}", "remove": {"person": None}})
    if params["year_from"] is not None or params["year_to"] is not None:
        lo = year_label(params["year_from"]) if params["year_from"] is not None else "…"
        hi = year_label(params["year_to"]) if params["year_to"] is not None else "…"
        chips.append({"label": f"Years {lo}–{hi}", "remove": {"from": None, "to": None}})
    if params["section"]:
        chips.append({"label": f"Section: {params['section']}", "remove": {"section": None}})
    if params["century"] is not None:
        chips.append({"label": century_label(params["century"]), "remove": {"century": None}})
    if params["decade"] is not None:
        chips.append({"label": decade_label(params["decade"]), "remove": {"decade": None}})
    return chips


@bp.get("/page/<path:path>")
def page(path: str):
    record = clio().page(path)
    if record is None:
        abort(404)
    q = request.args.get("q", "")[:500]
    headings = {h.strip() for h in record.get("headings", "").split("\n")} - {""}
    return render_template(
        "page.html", page=record, q=q,
        # (is it one of the page's headings, its pieces): headings show as headings.
        paragraphs=[("".join(piece for piece, _ in para).strip() in headings, para)
                    for para in clio().highlight_page(path, q)],
        more=clio().more_like(path),
        centuries=sorted({century_of(y) for y in record["years"]}),
        json_url=url_for("api.page", page_id=record["path"]),
    )


@bp.get("/person/<path:name>")
def person(name: str):
    if len(name) > 200:
        abort(404)
    view = clio().person(name)
    if view is None:
        abort(404)
    return render_template("person.html", person=view, bars=timeline_bars(view["timeline"]),
                           json_url=url_for("api.person", name=view["name"]))


@bp.get("/original/<path:path>")
def original(path: str):
    """The saved page as stored, only from inside the corpus folder, and inert."""
    corpus = Path(current_app.config["CLIO_CORPUS"]).resolve()
    try:
        target = (corpus / path).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        abort(404)
    if not target.is_relative_to(corpus) or not target.is_file():
        abort(404)
    try:
        # Capped like indexing: a gzip bomb in the corpus must not exhaust the server.
        data = pipeline.page_bytes(pipeline.read_raw(target), target.name)
    except pipeline.SkipPage:
        abort(404)
    response = Response(data, mimetype="text/html")
    # The saved page is untrusted: no scripts, no forms, its own opaque origin.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


