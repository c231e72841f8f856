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
    """The facet values of every page, for one reader (an index commit), as arrays, so that
    counting the values of the matching pages costs in proportion to those pages' values.

    Values of all facets share one numbering (each facet's labels in term order, facet after
    facet), and each page's values are one slice of `doc_values` (`doc_start[d]` to
    `doc_start[d + 1]`). Built from the small stored fields (persons, years, section) in one
    pass: walking the facet fields' postings instead means a term lookup for each of
    thousands of persons."""

    def __init__(self, reader, fields: Iterable[str] = FACET_FIELDS):
        self.doc_count = reader.doc_count_all()
        self.fields = tuple(fields)
        per_doc: dict[int, dict[str, list[str]]] = {}
        found: dict[str, set[str]] = {f: set() for f in self.fields}
        for docnum in reader.all_doc_ids():
            values = facet_values(reader.stored_fields(docnum))
            per_doc[docnum] = values
            for fieldname in self.fields:
                found[fieldname].update(values.get(fieldname, ()))
        self.labels: dict[str, list[str]] = {f: sorted(found[f]) for f in self.fields}
        ids: dict[tuple[str, str], int] = {}
        # first[i] is the number of the facet's first label; first[-1] the number of labels.
        self.first = np.zeros(len(self.fields) + 1, dtype=np.int64)
        for i, fieldname in enumerate(self.fields):
            for label in self.labels[fieldname]:
                ids[(fieldname, label)] = len(ids)
            self.first[i + 1] = len(ids)
        self.label_of = [label for f in self.fields for label in self.labels[f]]
        lengths = np.zeros(self.doc_count, dtype=np.int64)
        flat: list[int] = []
        for docnum in range(self.doc_count):
            values = per_doc.get(docnum)
            if values is None:
                continue  # a deleted page
            before = len(flat)
            for fieldname in self.fields:
                flat.extend(ids[(fieldname, v)] for v in values.get(fieldname, ()))
            lengths[docnum] = len(flat) - before
        self.doc_start = np.zeros(self.doc_count + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.doc_start[1:])
        self.doc_values = np.asarray(flat, dtype=np.int64)

    def field_pairs(self, fieldname: str) -> list[tuple[int, str]]:
        """Every (docnum, value) of one facet, in docnum order."""
        i = self.fields.index(fieldname)
        lo, hi = self.first[i], self.first[i + 1]
        docs = np.repeat(np.arange(self.doc_count), np.diff(self.doc_start))
        keep = (self.doc_values >= lo) & (self.doc_values < hi)
        return [(d, self.label_of[v])
                for d, v in zip(docs[keep].tolist(),
                                   self.doc_values[keep].tolist(), strict=True)]

    def _values_of(self, docs: np.ndarray) -> np.ndarray:
        """The value numbers of the pages `docs`, concatenated."""
        starts = self.doc_start[docs]
        lengths = self.doc_start[docs + 1] - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        # Index of each value: its page's start plus its place within that page's slice.
        before = np.cumsum(lengths) - lengths
        return self.doc_values[np.arange(total) + np.repeat(starts - before, lengths)]

    @staticmethod
    def _top_labels(counts: np.ndarray, top: int) -> np.ndarray:
        """The numbers of the `top` most frequent labels (counted at least once), most
        frequent first, ties in label number order: a partial sort, as a facet such as
        persons has thousands of labels and shows a dozen."""
        # One key per label orders both ways at once: count first, then the lower number.
        if top <= 0:
            return np.zeros(0, dtype=np.int64)
        key = counts * len(counts) + (len(counts) - 1 - np.arange(len(counts)))
        if top < len(key):
            labels = np.argpartition(key, len(key) - top)[len(key) - top:]
        else:
            labels = np.arange(len(key))
        labels = labels[np.argsort(-key[labels], kind="stable")]
        return labels[counts[labels] > 0]

    def counts(self, docnums: Iterable[int], top: int | None = 12,
               whole: Iterable[str] = ()) -> dict[str, list[tuple[str, int]]]:
        """Per facet, the `top` most frequent values among `docnums` with their page counts,
        most frequent first, ties alphabetical; every value for the facets in `whole`."""
        docs = (docnums if isinstance(docnums, np.ndarray)
                else np.fromiter(docnums, dtype=np.int64))
        chosen = np.zeros(self.doc_count, dtype=bool)  # (each page once, however often given)
        chosen[docs[(docs >= 0) & (docs < self.doc_count)]] = True
        all_counts = np.bincount(self._values_of(np.flatnonzero(chosen)),
                                 minlength=len(self.label_of))
        whole = set(whole)
        out = {}
        for i, fieldname in enumerate(self.fields):
            lo = int(self.first[i])
            counts = all_counts[lo:self.first[i + 1]]
            if top is not None and fieldname not in whole:
                labels = self._top_labels(counts, top)
            else:
                labels = np.flatnonzero(counts)
                # Most frequent first, ties in label number order (term order: alphabetical).
                labels = labels[np.lexsort((labels, -counts[labels]))]
            out[fieldname] = [(self.label_of[lo + v], c) for v, c in
                              zip(labels.tolist(), counts[labels].tolist(), strict=True)]
        return out
