"""Ranking quality of Clio against SQLite FTS5 and tantivy on the same pages (issue 4).

    python bench/search_quality.py [--corpus ../shared/corpus] [--index DIR] [--queries FILE]

Builds a Clio index of the corpus with `clio index CORPUS --index DIR --full` (or reuses the
one given with `--index`), loads the SAME cleaned pages (title + main text, read back from the
Clio index) into SQLite FTS5 and tantivy (see `search_peers.py` for how each peer is set up and
how queries are passed to it), runs every judged query of `bench/queries.json` through all three
and prints MRR@10 and Recall@10 per kind (known-item, natural) and overall, per engine.

Relevance rule: a page judged 1 (relevant) or 2 (the page about it) counts as relevant.
MRR@10 = mean of 1/rank of the first relevant page in the top 10 (0 if none);
Recall@10 = mean share of a query's relevant pages that are in the top 10.

Writes bench/results/search_quality.json (all figures and every engine's top 10 per query) and
bench/results/search_quality_clio_misses.md (queries where Clio's first relevant page is not at
rank 1, with the expected pages, what Clio returned instead, and the peers' ranks).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from search_peers import DEFAULT_CORPUS, REPO, prepare

RESULTS = REPO / "bench" / "results"
DEFAULT_QUERIES = REPO / "bench" / "queries.json"
K = 10
# Targets from issue 4 (figures of the peers on the issue author's own hidden set).
TARGETS = "Clio targets: known-item MRR@10 >= FTS5 (0.955) and tantivy (0.938); natural >= 0.90"


def load_queries(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["queries"]


def first_rank(ranked: list[str], relevant: dict[str, int]) -> int | None:
    for i, path in enumerate(ranked[:K], 1):
        if relevant.get(path, 0) >= 1:
            return i
    return None


def recall(ranked: list[str], relevant: dict[str, int]) -> float:
    rel = {p for p, g in relevant.items() if g >= 1}
    return len(rel & set(ranked[:K])) / len(rel) if rel else 0.0


def evaluate(engines: dict, queries: list[dict]) -> dict:
    runs: dict = {name: {} for name in engines}
    for q in queries:
        for name, eng in engines.items():
            ranked = eng.search(q["query"], K)
            rank = first_rank(ranked, q["relevant"])
            runs[name][q["id"]] = {
                "ranked": ranked,
                "rank": rank,
                "rr": 1.0 / rank if rank else 0.0,
                "recall": recall(ranked, q["relevant"]),
            }
    return runs


def summarize(runs: dict, queries: list[dict]) -> dict:
    kinds = sorted({q["kind"] for q in queries}) + ["all"]
    table: dict = {}
    for name, per_q in runs.items():
        table[name] = {}
        for kind in kinds:
            qs = [q for q in queries if kind == "all" or q["kind"] == kind]
            table[name][kind] = {
                "queries": len(qs),
                "mrr@10": round(statistics.fmean(per_q[q["id"]]["rr"] for q in qs), 3),
                "recall@10": round(statistics.fmean(per_q[q["id"]]["recall"] for q in qs), 3),
                "found@10": sum(1 for q in qs if per_q[q["id"]]["rank"]),
            }
    return table


def print_table(table: dict) -> None:
    kinds = list(next(iter(table.values())).keys())
    head = f"{'engine':<9}" + "".join(f"{k + ' MRR@10':>20}{'R@10':>7}" for k in kinds)
    print(head)
    print("-" * len(head))
    for name, row in table.items():
        cells = "".join(f"{row[k]['mrr@10']:>20.3f}{row[k]['recall@10']:>7.3f}" for k in kinds)
        print(f"{name:<9}{cells}")
    counts = ", ".join(f"{k}: {v['queries']}" for k, v in next(iter(table.values())).items())
    print(f"(queries: {counts})")


def write_misses(runs: dict, queries: list[dict], engines: dict, out: Path) -> int:
    clio = engines["clio"]
    lines = ["# Clio misses (first relevant page not at rank 1)", "",
             "rank = rank of the first page judged >= 1 in the top 10 ('-' = none).", ""]
    n = 0
    for q in queries:
        r = runs["clio"][q["id"]]
        if r["rank"] == 1:
            continue
        n += 1
        peers = ", ".join(f"{name} {runs[name][q['id']]['rank'] or '-'}"
                          for name in runs if name != "clio")
        lines.append(f"## {q['id']} ({q['kind']}): `{q['query']}` — Clio rank {r['rank'] or '-'}"
                     f" ({peers})")
        judged = sorted(q["relevant"].items(), key=lambda x: -x[1])
        want = ", ".join(f"{p} ({g})" for p, g in judged)
        lines.append(f"- expected: {want}")
        lines.append("- Clio returned:")
        for i, (path, title) in enumerate(clio.titles(q["query"], 5), 1):
            mark = " ✓" if q["relevant"].get(path, 0) >= 1 else ""
            lines.append(f"  {i}. {path} — {title[:80]}{mark}")
        lines.append("")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="corpus folder (default: ../shared/corpus relative to the repo)")
    ap.add_argument("--index", type=Path, default=None,
                    help="reuse this Clio index instead of building one with `clio index --full`")
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="judged query set")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the peer indexes go (default: a temporary folder)")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    queries = load_queries(args.queries)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clio-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        _, engines = prepare(args.corpus, args.index, workdir)
        runs = evaluate(engines, queries)
        table = summarize(runs, queries)
        print()
        print(f"Search quality on {len(queries)} judged queries ({args.queries.name}), top {K}:")
        print_table(table)
        print(TARGETS)
        misses = RESULTS / "search_quality_clio_misses.md"
        n = write_misses(runs, queries, engines, misses)
        (RESULTS / "search_quality.json").write_text(json.dumps(
            {"summary": table, "runs": runs}, indent=1) + "\n", encoding="utf-8")
        print(f"\nClio: {n} queries without a relevant page at rank 1 -> "
              f"{misses.relative_to(REPO)}")
        print(f"all figures and rankings -> {(RESULTS / 'search_quality.json').relative_to(REPO)}")
        engines["clio"].clio.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
