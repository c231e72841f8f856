"""Facet counts (persons, centuries, decades, sections) over all pages that match a query.

Whoosh's own overlapping facets walk a field's whole posting lists on every query; Clio reads
them once per opened index into a docnum -> values table and then only counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

FACET_FIELDS = ("persons", "centuries", "decades", "section")


class FacetTable:
    """docnum -> facet values, for one reader (an index commit)."""

    def __init__(self, reader, fields: Iterable[str] = FACET_FIELDS):
        self.values: dict[str, dict[int, list[str]]] = {}
        for fieldname in fields:
            table: dict[int, list[str]] = {}
            if fieldname in reader.schema:
                for term in reader.field_terms(fieldname):
                    for docnum in reader.postings(fieldname, term).all_ids():
                        table.setdefault(docnum, []).append(term)
            self.values[fieldname] = table

    def counters(self, docnums: Iterable[int]) -> dict[str, Counter[str]]:
        """Per facet, how many of `docnums` have each value."""
        docnums = list(docnums)
        out = {}
        for fieldname, table in self.values.items():
            counter: Counter[str] = Counter()
            for docnum in docnums:
                vals = table.get(docnum)
                if vals:
                    counter.update(vals)
            out[fieldname] = counter
        return out

    def counts(self, docnums: Iterable[int], top: int = 12) -> dict[str, list[tuple[str, int]]]:
        """The `top` most frequent values of each facet among `docnums`, with page counts."""
        return {f: c.most_common(top) for f, c in self.counters(docnums).items()}
