"""Reading request parameters into `Clio.search` arguments, with clear 400 messages."""

from __future__ import annotations

from collections.abc import Mapping

from indexer.search import SORTS


class BadParameter(ValueError):
    """A request parameter is malformed; the message says which and how."""


def _int(args: Mapping, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number") from None
    if not lo <= value <= hi:
        raise BadParameter(f"{name} must be between {lo} and {hi}")
    return value


def search_params(args: Mapping, config: Mapping) -> dict:
    if hasattr(args, "to_dict"):
        # A request's MultiDict: as a plain dict, a missing parameter costs a lookup rather
        # than the KeyError (a werkzeug HTTP exception) that MultiDict.get catches.
        args = args.to_dict()
    max_chars = config["CLIO_MAX_QUERY_CHARS"]
    q = args.get("q", "")
    if len(q) > max_chars:
        raise BadParameter(f"q is longer than {max_chars} characters")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"sort must be one of {', '.join(SORTS)}")
    person = args.get("person") or None
    if person is not None and len(person) > 200:
        raise BadParameter("person is longer than 200 characters")
    section = args.get("section") or None
    if section is not None and len(section) > 200:
        raise BadParameter("section is longer than 200 characters")
    return {
        "query": q,
        "page": _int(args, "page", 1, 1, 1000),
        "per_page": _int(args, "per_page", 10, 1, config["CLIO_MAX_PER_PAGE"]),
        "person": person,
        "year_from": _int(args, "from", None, -10_000, 10_000),
        "year_to": _int(args, "to", None, -10_000, 10_000),
        "section": section,
        "century": _int(args, "century", None, -100, 100),
        "decade": _int(args, "decade", None, -10_000, 10_000),
        "sort": sort,
    }
