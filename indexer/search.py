"""Queries in, plain result records out: the one entry point for the CLI and the web UI."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import highlight
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.searching import Searcher

from . import store

SEARCH_FIELDS = ("title", "headings", "persons", "text")
SNIPPET_CHARS = 300
MAX_QUERY_CHARS = 1000


@dataclass
class Hit:
    path: str
    title: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched terms
    persons: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


@dataclass
class SearchResults:
    query: str
    total: int
    took_ms: float
    results: list[Hit]
    message: str | None = None  # set when the query had to be repaired or was refused

    def to_json(self) -> dict:
        return asdict(self)


class MarkFormatter(highlight.Formatter):
    """Matched terms in <mark>; Whoosh escapes the text around them."""

    between = " … "

    def format_token(self, text, token, replace=False):
        word = highlight.get_text(text, token, replace)
        return f"<mark>{highlight.htmlescape(word)}</mark>"


class Clio:
    """An open index, ready to answer queries. Cheap to keep; reopen to see new commits."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.generation = store.current_generation(self.index_dir)
        self.ix = store.open_index(self.index_dir)
        self._searcher: Searcher | None = None

    def searcher(self) -> Searcher:
        """A searcher on the latest commit, following a `--full` swap to a new generation."""
        generation = store.current_generation(self.index_dir)
        if generation != self.generation:
            self.close()
            self.ix = store.open_index(self.index_dir)
            self.generation = generation
            self._searcher = None
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, query: str, limit: int = 10) -> SearchResults:
        started = time.perf_counter()
        query = " ".join(query.split())[:MAX_QUERY_CHARS]
        searcher = self.searcher()
        parser = MultifieldParser(list(SEARCH_FIELDS), self.ix.schema)
        q = parser.parse(query)
        results = searcher.search(q, limit=limit, terms=True)
        if results.scored_length() == 0 and query:
            q = MultifieldParser(list(SEARCH_FIELDS), self.ix.schema, group=OrGroup).parse(query)
            results = searcher.search(q, limit=limit, terms=True)
        results.fragmenter = highlight.PinpointFragmenter(
            maxchars=SNIPPET_CHARS // 2, surround=60, autotrim=True
        )
        results.formatter = MarkFormatter()
        hits = []
        for hit in results:
            snippet = hit.highlights("text", top=2) or highlight.htmlescape(
                hit.get("text", "")[:SNIPPET_CHARS]
            )
            persons = [p for p in hit.get("persons", "").split(",") if p]
            years = hit.get("years", [])
            hits.append(
                Hit(
                    path=hit["path"],
                    title=hit.get("title", ""),
                    score=round(hit.score or 0.0, 4),
                    snippet=snippet,
                    persons=persons,
                    years=list(years) if isinstance(years, list) else [years],
                )
            )
        took_ms = (time.perf_counter() - started) * 1000
        return SearchResults(query, len(results), round(took_ms, 2), hits)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
