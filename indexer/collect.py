"""One pass over the matches: the top N by score, the total and every matching docnum.

Whoosh's stock path runs a query up to three times for a results page with counts and
facets (the top-N pass with block skipping, a count, a docset for facets). Counts and facets
need every match anyway, so skipping blocks saves nothing and one pass does it all.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import collectors
from whoosh.query import Query
from whoosh.searching import Searcher


class TopAndAllCollector(collectors.TopCollector):
    def __init__(self, limit: int):
        # No block skipping and no matcher replacement: both drop matches that cannot reach
        # the top N, and the total and the facets must count every match.
        super().__init__(limit=limit, usequality=False, replace=0)
        self.matched: list[int] = []

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.matched = []

    def _collect(self, global_docnum, score):
        self.matched.append(global_docnum)
        return super()._collect(global_docnum, score)

    def all_ids(self):
        return self.matched


def top_and_all(searcher: Searcher, q: Query, limit: int, filter_query: Query | None = None):
    """(whoosh Results of the top `limit`, docnums of all matches)."""
    top = TopAndAllCollector(limit)
    collector: collectors.Collector = top
    if filter_query is not None:
        collector = collectors.FilterCollector(collector, allow=filter_query)
    searcher.search_with_collector(q, collector)
    return collector.results(), top.matched


def postings_at(searcher: Searcher, fieldname: str, btext: bytes, docnums):
    """(docnum, matcher positioned on it) for each of `docnums` that contains the term: one
    posting reader moving forward through the documents in index order."""
    m = searcher.postings(fieldname, btext)
    for docnum in sorted(set(docnums)):
        if not m.is_active():
            return
        if m.id() < docnum:
            m.skip_to(docnum)
            if not m.is_active():
                return
        if m.id() == docnum:
            yield docnum, m


def text_matches(searcher: Searcher, terms: Iterable[str], docnums
                 ) -> dict[int, list[tuple[int, int, str]]]:
    """docnum -> (start, end, term) of each of `terms` (index terms of the text field) in the
    text of `docnums`, from the character offsets stored with the postings."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    reader = searcher.reader()
    for term in set(terms):
        btext = term.encode("utf-8")
        if not reader.doc_frequency("text", btext):
            continue
        for docnum, m in postings_at(searcher, "text", btext, docnums):
            found.setdefault(docnum, []).extend(
                (s, e, term) for _p, s, e in m.value_as("characters"))
    return found


def terms_present(searcher: Searcher, terms, docnums) -> dict[int, set[tuple[str, bytes]]]:
    """docnum -> which of `terms` ((field, term bytes) pairs) each document contains.

    Asked only for the few top documents. (Whoosh's TermsCollector records this for every
    match, which cost more than the search itself.)
    """
    present: dict[int, set[tuple[str, bytes]]] = {d: set() for d in docnums}
    for fieldname, btext in terms:
        for docnum, _m in postings_at(searcher, fieldname, btext, docnums):
            present[docnum].add((fieldname, btext))
    return present
