"""One pass over the matches: the top N by score, the total and every matching docnum.

Whoosh's stock path runs a query up to three times for a results page with counts and
facets (the top-N pass with block skipping, a count, a docset for facets). Counts and facets
need every match anyway, so skipping blocks saves nothing and one pass does it all.
"""

from __future__ import annotations

from whoosh import collectors
from whoosh.query import Query
from whoosh.searching import Searcher


class TopAndAllCollector(collectors.TopCollector):
    def __init__(self, limit: int):
        super().__init__(limit=limit, usequality=False)
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
    """(whoosh Results of the top `limit` with matched terms, docnums of all matches)."""
    top = TopAndAllCollector(limit)
    collector: collectors.Collector = collectors.TermsCollector(top)
    if filter_query is not None:
        collector = collectors.FilterCollector(collector, allow=filter_query)
    searcher.search_with_collector(q, collector)
    return collector.results(), top.matched
