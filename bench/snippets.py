"""Snippet time per query: stored sentence boundaries against scanning the text (the old way).

    python bench/snippets.py --index DIR [--queries bench/queries.json] [--runs 15]

The index must have the stored boundaries (built by this version: `clio index CORPUS --index
DIR --full`). Every bench query is searched once, keeping the hits and the (start, end, term)
offsets of their matched words that `Clio.search` hands to its snippets. Then, per round, the
snippets of all those hits are made both ways, in the same process:

* old: `snippets.snippet(pages.page_text(searcher, docnum), matches)`: the whole text decoded,
  sentence boundaries found by scanning it around the matches;
* new: `pages.page_snippet(searcher, docnum, matches)`: the stored boundaries, and only the
  pieces of the text a snippet shows decoded.

Both ways must give the same snippet for every hit. Printed: ms per query (the sum over the
queries of a round divided by their number; median of the rounds) and old/new.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer import pages, snippets  # noqa: E402
from indexer.search import Clio  # noqa: E402

DEFAULT_QUERIES = REPO / "bench" / "queries.json"

Hit = tuple[int, list[tuple[int, int, str]], int]  # docnum, matches, snippet length


def collect_hits(clio: Clio, queries: list[str]) -> list[list[Hit]]:
    """For each query, what `Clio.search` made snippets of."""
    seen: list[Hit] = []
    real = pages.page_snippet

    def spy(searcher, docnum, matches, max_chars=snippets.MAX_CHARS):
        seen.append((docnum, matches, max_chars))
        return real(searcher, docnum, matches, max_chars)

    pages.page_snippet = spy
    try:
        per_query = []
        for query in queries:
            seen = []
            clio.search(query, limit=10)
            per_query.append(seen)
    finally:
        pages.page_snippet = real
    return per_query


def old_way(searcher, hits: list[Hit]) -> list[str]:
    return [snippets.snippet(pages.page_text(searcher, docnum), matches, max_chars=chars)
            for docnum, matches, chars in hits]


def new_way(searcher, hits: list[Hit]) -> list[str]:
    return [pages.page_snippet(searcher, docnum, matches, chars)
            for docnum, matches, chars in hits]


def timed(way, searcher, per_query: list[list[Hit]]) -> float:
    started = time.perf_counter()
    for hits in per_query:
        way(searcher, hits)
    return (time.perf_counter() - started) * 1000 / len(per_query)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, required=True, help="a Clio index of this version")
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="bench query file")
    ap.add_argument("--runs", type=int, default=15, help="timed rounds (default 15)")
    args = ap.parse_args(argv)
    queries = [q["query"] for q in json.loads(args.queries.read_text("utf-8"))["queries"]]
    clio = Clio(args.index)
    searcher = clio.searcher()
    if pages.stored_page(searcher, 0) is None:
        sys.exit(f"{args.index} has no stored sentence boundaries: rebuild it with --full")
    per_query = collect_hits(clio, queries)
    hits = [hit for found in per_query for hit in found]
    differ = sum(old != new for old, new in zip(old_way(searcher, hits), new_way(searcher, hits),
                                               strict=True))
    gc.collect()
    gc.freeze()  # the collected hits are not garbage: keep the collector off them
    old_ms, new_ms = [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        old_ms.append(timed(old_way, searcher, per_query))
        new_ms.append(timed(new_way, searcher, per_query))
    old, new = statistics.median(old_ms), statistics.median(new_ms)
    print(f"{len(queries)} queries, {len(hits)} hits, {differ} snippets differ")
    print(f"old (page_text + scan): {old:.3f} ms/query   (best {min(old_ms):.3f})")
    print(f"new (stored bounds):    {new:.3f} ms/query   (best {min(new_ms):.3f})")
    print(f"old/new: {old / new:.2f}x   (best {min(old_ms) / min(new_ms):.2f}x)")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
