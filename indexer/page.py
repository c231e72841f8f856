"""The plain record that the extraction pipeline hands to the index."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Page:
    """One saved page, cleaned and ready to index."""

    path: str  # relative to the corpus root, "/"-separated
    title: str
    text: str  # the main text exactly as it is indexed
    headings: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)  # canonical names, most salient first
    person_variants: dict[str, list[str]] = field(default_factory=dict)  # name -> as written
    key_terms: list[str] = field(default_factory=list)  # capitalised key topics ("Space Race")
    years: list[int] = field(default_factory=list)  # BCE years are negative, no year zero
    date: str | None = None  # a date the page states about itself, ISO "YYYY[-MM[-DD]]"
    encoding: str = ""
    section: str = ""  # the top folder of the corpus the page lives in
    content_hash: str = ""  # of the raw bytes
    size: int = 0
    mtime_ns: int = 0

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Skipped:
    """A file that was not indexed, and why (shown to the maintainer in the report)."""

    path: str
    reason: str

    def to_json(self) -> dict:
        return {"path": self.path, "skipped": self.reason}
