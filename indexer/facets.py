"""Facet counts (persons, centuries, decades, sections) over all pages that match a query.

Whoosh's own overlapping facets walk a field's whole posting lists on every query; Clio reads
them once per opened index into a docnum -> values table and then only counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .schema import century_of, decade_of

FACET_FIELDS = ("persons", "centuries", "decades", "section")


def facet_values(stored: dict) -> dict[str, list[str]]:
    """A page's facet values from its stored fields: the terms `schema.page_document`
    indexes in the facet fields."""
    years = stored.get("years", [])
    years = years if isinstance(years, list) else [years]
    out = {
        "persons": [p.strip() for p in stored.get("persons", "").split(",") if p.strip()],
        "centuries": sorted({str(century_of(y)) for y in years}),
        "decades": sorted({str(decade_of(y)) for y in years}),
    }
    out["section"] = [stored["section"]] if stored.get("section") else []
    return out


class FacetTable:
    """(docnum, value) pairs of each facet, for one reader (an index commit), as arrays so
    that counting the values of thousands of matches is one bincount.

    Built from the small stored fields (persons, years, section) in one pass: walking the
    facet fields' postings instead means a term lookup for each of thousands of persons."""

    def __init__(self, reader, fields: Iterable[str] = FACET_FIELDS):
        self.doc_count = reader.doc_count_all()
        found: dict[str, dict[str, list[int]]] = {f: {} for f in fields}
        for docnum in reader.all_doc_ids():
            for fieldname, values in facet_values(reader.stored_fields(docnum)).items():
                table = found.get(fieldname)
                if table is not None:
                    for value in values:
                        table.setdefault(value, []).append(docnum)
        self.labels: dict[str, list[str]] = {}
        self.pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for fieldname, table in found.items():
            labels = sorted(table)  # term order: ties in counts come out alphabetical
            docs = [np.asarray(table[v], dtype=np.int64) for v in labels]
            values = [np.full(len(d), i, dtype=np.int64) for i, d in enumerate(docs)]
            empty = np.zeros(0, dtype=np.int64)
            self.labels[fieldname] = labels
            self.pairs[fieldname] = (np.concatenate(docs) if docs else empty,
                                     np.concatenate(values) if values else empty)

    def counts(self, docnums: Iterable[int], top: int | None = 12,
               whole: Iterable[str] = ()) -> dict[str, list[tuple[str, int]]]:
        """Per facet, the `top` most frequent values among `docnums` with their page counts,
        most frequent first, ties alphabetical; every value for the facets in `whole`."""
        chosen = np.zeros(self.doc_count, dtype=bool)
        docs = (docnums if isinstance(docnums, np.ndarray)
                else np.fromiter(docnums, dtype=np.int64))
        chosen[docs[(docs >= 0) & (docs < self.doc_count)]] = True
        whole = set(whole)
        out = {}
        for fieldname, (pair_docs, pair_values) in self.pairs.items():
            labels = self.labels[fieldname]
            counts = np.bincount(pair_values[chosen[pair_docs]], minlength=len(labels))
            # Labels are in term order, so a stable sort by count leaves ties alphabetical.
            nonzero = np.flatnonzero(counts)
            if top is not None and fieldname not in whole and len(nonzero) > top:
                # Only values counting at least the top-th largest count can be listed.
                kth = np.partition(counts[nonzero], len(nonzero) - top)[len(nonzero) - top]
                nonzero = nonzero[counts[nonzero] >= kth]
            order = nonzero[np.argsort(-counts[nonzero], kind="stable")]
            if top is not None and fieldname not in whole:
                order = order[:top]
            out[fieldname] = [(labels[i], int(counts[i])) for i in order.tolist()]
        return out
