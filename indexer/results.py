"""The plain records a search hands to its callers (the CLI, the web UI, the JSON API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Hit:
    path: str
    title: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    persons: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    matched_person: str | None = None  # the person a name in the query was read as

    def to_json(self) -> dict:
        return {"path": self.path, "title": self.title, "score": self.score,
                "snippet": self.snippet, "persons": list(self.persons),
                "years": list(self.years), "matched_person": self.matched_person}


@dataclass
class SearchResults:
    query: str
    total: int
    took_ms: float
    results: list[Hit]
    page: int = 1
    per_page: int = 10
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    timeline: list[tuple[str, int]] = field(default_factory=list)  # (decade, pages), in order
    did_you_mean: str | None = None
    messages: list[str] = field(default_factory=list)
    interpretation: list[dict] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        return " ".join(self.messages) or None

    def to_json(self, hit_json: Callable[[Hit], dict] = Hit.to_json) -> dict:
        """Plain JSON data; `hit_json` makes each hit's (the API adds its URL)."""
        # Written out rather than dataclasses.asdict, whose deep copies cost more than the
        # search itself on a results page with facets.
        return {
            "query": self.query, "total": self.total, "took_ms": self.took_ms,
            "results": [hit_json(hit) for hit in self.results],
            "page": self.page, "per_page": self.per_page,
            "facets": {k: value_counts(vals) for k, vals in self.facets.items()},
            "timeline": value_counts(self.timeline),
            "did_you_mean": self.did_you_mean, "messages": list(self.messages),
            "interpretation": [dict(item) for item in self.interpretation],
        }


def value_counts(pairs: list[tuple[str, int]]) -> list[dict]:
    """Facet values (or decades) with their page counts, as the JSON API writes them."""
    return [{"value": v, "count": c} for v, c in pairs]
