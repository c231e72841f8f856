"""In-process query latency of Clio against SQLite FTS5 and tantivy on the same pages (issue 4).

    python bench/search_latency.py [--corpus ../shared/corpus] [--index DIR] [--runs 5]

Same engines, pages and query handling as `search_quality.py` (see `search_peers.py`). Each
call is one whole answer to a reader: the top 10 WITH snippets, and for Clio whatever
`Clio.search` computes (query parsing, search, snippets, facets...):

* Clio: `Clio(index).search(query, limit=10)`; both its own `took_ms` and the wall time
  around the call are recorded.
* FTS5: one SELECT of path, title and `snippet()` of the body, ORDER BY bm25, LIMIT 10.
* tantivy: parse, search top 10, fetch each stored doc and make its `SnippetGenerator` snippet.

Every engine first answers all queries once (warm-up, not timed). Then `--runs` rounds; in each
round every engine answers every query of `bench/queries.json` (engines interleaved per query, so
machine noise hits them alike); p50 and p95 are taken over the queries of a round, and the
figures printed are the medians of the rounds. Writes bench/results/search_latency.json.
Goal (issue 4): Clio p50 and p95 <= tantivy's and <= half of FTS5's.

`--parts` also times Clio with parts of its answer left out, in the same rounds, to show where
its time goes: `clio -facets` (no facet counts), `clio -snippets` (every snippet empty: the
bench replaces `pages.page_snippet` while that engine runs) and `clio -both`. These are
measurements only, not answers a reader would get.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search_peers import DEFAULT_CORPUS, REPO, prepare

RESULTS = REPO / "bench" / "results"
DEFAULT_QUERIES = REPO / "bench" / "queries.json"
K = 10


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    xs = sorted(values)
    if not xs:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(xs)))
    return xs[min(rank, len(xs)) - 1]


class ClioWithout:
    """The Clio engine with facets and/or snippets left out (`--parts`)."""

    def __init__(self, clio_engine, facets: bool, snippets: bool):
        self.clio = clio_engine.clio
        self.facets, self.snippets = facets, snippets
        self.last_took_ms = 0.0

    def search_full(self, query: str, k: int = 10):
        from indexer import pages

        real = pages.page_snippet
        if not self.snippets:
            pages.page_snippet = lambda *args, **kwargs: ""
        try:
            res = self.clio.search(query, limit=k, facets=self.facets)
        finally:
            pages.page_snippet = real
        self.last_took_ms = res.took_ms
        return res


def run_round(engines: dict, queries: list[str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in engines}
    for name in engines:
        if name.startswith("clio"):
            times[f"{name} took_ms"] = []
    for q in queries:
        for name, eng in engines.items():
            started = time.perf_counter()
            eng.search_full(q, K)
            times[name].append((time.perf_counter() - started) * 1000)
            if name.startswith("clio"):
                times[f"{name} took_ms"].append(eng.last_took_ms)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="corpus folder (default: ../shared/corpus relative to the repo)")
    ap.add_argument("--index", type=Path, default=None,
                    help="reuse this Clio index instead of building one with `clio index --full`")
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="bench query file")
    ap.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    ap.add_argument("--parts", action="store_true",
                    help="also time Clio without facets, without snippets and without both")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the peer indexes go (default: a temporary folder)")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    queries = [q["query"] for q in json.loads(args.queries.read_text("utf-8"))["queries"]]
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clio-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        _, engines = prepare(args.corpus, args.index, workdir)
        if args.parts:
            clio = engines["clio"]
            engines["clio -facets"] = ClioWithout(clio, facets=False, snippets=True)
            engines["clio -snippets"] = ClioWithout(clio, facets=True, snippets=False)
            engines["clio -both"] = ClioWithout(clio, facets=False, snippets=False)
        print(f"warm-up: every engine answers the {len(queries)} queries once ...", flush=True)
        run_round(engines, queries)
        rounds = []
        for i in range(args.runs):
            rounds.append(run_round(engines, queries))
            print(f"  round {i + 1}/{args.runs} done", flush=True)
        engines["clio"].clio.close()
    summary = {}
    for name in rounds[0]:
        p50s = [percentile(r[name], 50) for r in rounds]
        p95s = [percentile(r[name], 95) for r in rounds]
        means = [statistics.fmean(r[name]) for r in rounds]
        summary[name] = {"p50_ms": round(statistics.median(p50s), 2),
                         "p95_ms": round(statistics.median(p95s), 2),
                         "mean_ms": round(statistics.median(means), 2),
                         "p50_per_round": [round(x, 2) for x in p50s],
                         "p95_per_round": [round(x, 2) for x in p95s]}
    print()
    print(f"Latency, top {K} with snippets, {len(queries)} queries, median of {args.runs} rounds:")
    print(f"{'engine':<24}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for name, s in summary.items():
        print(f"{name:<24}{s['p50_ms']:>9.2f}{s['p95_ms']:>9.2f}{s['mean_ms']:>9.2f}")
    if "fts5" in summary:
        goal = [f"<= FTS5/2 (p50 {summary['fts5']['p50_ms'] / 2:.2f}, "
                f"p95 {summary['fts5']['p95_ms'] / 2:.2f})"]
        if "tantivy" in summary:
            goal.append(f"<= tantivy (p50 {summary['tantivy']['p50_ms']:.2f}, "
                        f"p95 {summary['tantivy']['p95_ms']:.2f})")
        print("Clio goal: " + " and ".join(goal))
    out = RESULTS / "search_latency.json"
    out.write_text(json.dumps({"runs": args.runs, "queries": len(queries), "summary": summary},
                              indent=1) + "\n", encoding="utf-8")
    print(f"-> {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
