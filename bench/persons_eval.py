"""Precision and recall of person extraction on the hand-annotated dev set, against a naive
"runs of capitalised words" baseline in the same run.

    python bench/persons_eval.py [--corpus ../shared/corpus] [--dev bench/persons_dev.json]
                                 [--no-registry] [--verbose]

Each dev page is run through the real pipeline (`extract_file`) for its title and main text.
Clio is run with a registry built from the whole corpus by `build_registry` (as the indexer
would), unless --no-registry.

Matching rule: a predicted name matches a gold name when `names.name_keys` of the two share a
key (case, accents, transliteration and the alias table do not matter, and leading titles
such as "Pope" or "Mr." are ignored), or when their first and last words do (middle names
aside: "Dorothy Skeel Meyler" = "Dorothy Meyler"). Matching is one-to-one per page; precision
and recall are micro-averaged over all names of all pages.

The baseline predicts every distinct maximal run of capitalised words (title and text), the
way a reader would without any knowledge of names.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer.names import name_keys  # noqa: E402
from indexer.persons import build_registry, extract_persons  # noqa: E402
from indexer.pipeline import extract_file  # noqa: E402

_BASELINE = re.compile(r"\b[A-Z][\w'’-]*(?:[ ]+[A-Z][\w'’-]*)*")


def baseline(title: str, text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in _BASELINE.finditer(f"{title}\n{text}")))


def _loose_keys(name: str) -> set[str]:
    keys = set(name_keys(name))
    words = name.split()
    if len(words) > 2:
        keys |= {"fl:" + k for k in name_keys(f"{words[0]} {words[-1]}")}
    elif len(words) == 2:
        keys |= {"fl:" + k for k in name_keys(name)}
    return keys


def match(predicted: list[str], gold: list[str]) -> int:
    """Number of one-to-one matches between predicted and gold names."""
    gold_keys = [_loose_keys(g) for g in gold]
    used = [False] * len(gold)
    hits = 0
    for p in predicted:
        pk = _loose_keys(p)
        for i, gk in enumerate(gold_keys):
            if not used[i] and pk & gk:
                used[i] = True
                hits += 1
                break
    return hits


def score(results: list[tuple[list[str], list[str]]]) -> tuple[float, float, int, int, int]:
    tp = sum(match(p, g) for p, g in results)
    npred = sum(len(p) for p, _ in results)
    ngold = sum(len(g) for _, g in results)
    precision = tp / npred if npred else 1.0
    recall = tp / ngold if ngold else 1.0
    return precision, recall, tp, npred, ngold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--dev", type=Path, default=REPO / "bench" / "persons_dev.json")
    ap.add_argument("--no-registry", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    dev = json.loads(args.dev.read_text(encoding="utf-8"))["pages"]

    registry = None
    if not args.no_registry:
        started = time.perf_counter()
        pages = []
        for path in sorted(args.corpus.rglob("*.html")):
            page = extract_file(path, str(path.relative_to(args.corpus)))
            if hasattr(page, "text"):
                pages.append((page.title, page.text))
        registry = build_registry(pages)
        print(f"registry: {len(registry)} persons from {len(pages)} pages "
              f"({time.perf_counter() - started:.1f} s including parsing)")

    clio_results, base_results = [], []
    for item in dev:
        page = extract_file(args.corpus / item["path"], item["path"])
        gold = item["persons"]
        got = extract_persons(page.title, page.text, registry=registry)
        clio_results.append((got, gold))
        base_results.append((baseline(page.title, page.text), gold))
        if args.verbose:
            gk = [_loose_keys(g) for g in gold]
            fp = [p for p in got if not any(_loose_keys(p) & k for k in gk)]
            fn = [g for g, k in zip(gold, gk, strict=True)
                  if not any(_loose_keys(p) & k for p in got)]
            print(f"{item['path']}\n  false +: {fp}\n  missed:  {fn}")

    print(f"dev set: {len(dev)} pages, {sum(len(g) for _, g in clio_results)} gold persons")
    for label, results in (("clio", clio_results), ("baseline", base_results)):
        p, r, tp, npred, ngold = score(results)
        print(f"{label:9} precision {p:.3f}  recall {r:.3f}  "
              f"(matched {tp}, predicted {npred}, gold {ngold})")


if __name__ == "__main__":
    main()
