"""The plain records a search hands to its callers (the CLI, the web UI, the JSON API)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Hit:
    path: str
    title: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    persons: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    matched_person: str | None = None  # the person a name in the query was read as


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

    def to_json(self) -> dict:
        out = asdict(self)
        out["facets"] = {k: [{"value": v, "count": c} for v, c in vals]
                         for k, vals in self.facets.items()}
        out["timeline"] = [{"value": v, "count": c} for v, c in self.timeline]
        return out
