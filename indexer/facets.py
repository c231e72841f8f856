"""Facet counts (persons, centuries, decades, sections) over all pages that match a query.

Whoosh's own overlapping facets walk a field's whole posting lists on every query; Clio reads
them once per opened index into a docnum -> values table and then only counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

FACET_FIELDS = ("persons", "centuries", "decades", "section")


class FacetTable:
    """(docnum, value) pairs of each facet, for one reader (an index commit), as arrays so
    that counting the values of thousands of matches is one bincount."""

    def __init__(self, reader, fields: Iterable[str] = FACET_FIELDS):
        self.doc_count = reader.doc_count_all()
        self.labels: dict[str, list[str]] = {}
        self.pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for fieldname in fields:
            labels: list[str] = []
            docs: list[np.ndarray] = []
            values: list[np.ndarray] = []
            if fieldname in reader.schema:
                for term in reader.field_terms(fieldname):
                    ids = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int64)
                    docs.append(ids)
                    values.append(np.full(len(ids), len(labels), dtype=np.int64))
                    labels.append(term)
            self.labels[fieldname] = labels
            empty = np.zeros(0, dtype=np.int64)
            self.pairs[fieldname] = (np.concatenate(docs) if docs else empty,
                                     np.concatenate(values) if values else empty)

    def counts(self, docnums: Iterable[int], top: int | None = 12,
               whole: Iterable[str] = ()) -> dict[str, list[tuple[str, int]]]:
        """Per facet, the `top` most frequent values among `docnums` with their page counts,
        most frequent first, ties alphabetical; every value for the facets in `whole`."""
        chosen = np.zeros(self.doc_count, dtype=bool)
        docs = np.fromiter(docnums, dtype=np.int64)
        chosen[docs[(docs >= 0) & (docs < self.doc_count)]] = True
        whole = set(whole)
        out = {}
        for fieldname, (pair_docs, pair_values) in self.pairs.items():
            labels = self.labels[fieldname]
            counts = np.bincount(pair_values[chosen[pair_docs]], minlength=len(labels))
            # Labels are in term order, so a stable sort by count leaves ties alphabetical.
            order = np.argsort(-counts, kind="stable")[:np.count_nonzero(counts)]
            if top is not None and fieldname not in whole:
                order = order[:top]
            out[fieldname] = [(labels[i], int(counts[i])) for i in order.tolist()]
        return out
