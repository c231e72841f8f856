"""Indexing speed and memory on the shared corpus, against a naive pipeline in the same run.

    python bench/ingest.py [--corpus ../shared/corpus] [--runs 3]

The naive pipeline is lxml `text_content()` per page plus one plain Whoosh writer with a
StemmingAnalyzer, in one process. Clio runs as the real `clio index` command (a subprocess,
so its peak memory can be read). Figures are medians of `--runs` runs, and ratios are taken
against the naive run of the same round, because this machine is shared and noisy.
Goals (issue 2): full build <= 2.0x naive; no-op rerun <= 5% of a full build; rerun after
touching 1% of the pages <= 10%; peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import lxml.html
import psutil
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema

REPO = Path(__file__).resolve().parents[1]


def naive_build(corpus: Path, out: Path) -> float:
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(out), Schema(path=ID(stored=True),
                                                 text=TEXT(analyzer=StemmingAnalyzer())))
    writer = ix.writer()
    for path in sorted(corpus.rglob("*.html")):
        try:
            text = lxml.html.fromstring(path.read_bytes()).text_content()
        except Exception:  # the naive pipeline just drops what it cannot parse
            continue
        writer.add_document(path=str(path.relative_to(corpus)), text=text)
    writer.commit()
    return time.perf_counter() - started


def clio_index(corpus: Path, index_dir: Path, *extra: str) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS of the whole process tree in MB, and the --json summary."""
    cmd = [sys.executable, "-m", "indexer", "index", str(corpus), "--index", str(index_dir),
           "--json", *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"clio index failed with exit code {proc.returncode}")
    return seconds, peak, json.loads(out.strip().splitlines()[-1])


def touch(corpus_copy: Path, fraction: float) -> int:
    pages = sorted(corpus_copy.rglob("*.html"))
    step = max(1, round(1 / fraction))
    chosen = pages[::step]
    for p in chosen:
        with open(p, "ab") as f:
            f.write(b"\n<!-- touched by bench -->\n")
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        shutil.copytree(args.corpus, corpus)
        for n in range(args.runs):
            naive_dir = tmp / f"naive{n}"
            naive_dir.mkdir()
            naive = naive_build(corpus, naive_dir)
            shutil.rmtree(naive_dir)
            index_dir = tmp / f"index{n}"
            full, peak, summary = clio_index(corpus, index_dir, "--full")
            noop, _, noop_summary = clio_index(corpus, index_dir)
            touched = touch(corpus, 0.01)
            one_pct, _, touch_summary = clio_index(corpus, index_dir)
            shutil.rmtree(index_dir)
            r = {"naive_s": naive, "full_s": full, "noop_s": noop, "touch1pct_s": one_pct,
                 "peak_mb": peak, "pages": summary["pages"], "touched": touched,
                 "touch_updated": touch_summary["updated"],
                 "noop_unchanged": noop_summary["unchanged"]}
            r["full_vs_naive"] = full / naive
            r["noop_vs_full"] = noop / full
            r["touch_vs_full"] = one_pct / full
            rounds.append(r)
            print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                              for k, v in r.items()}), flush=True)
    med = {k: round(statistics.median(r[k] for r in rounds), 3) for k in rounds[0]}
    print("median:", json.dumps(med))
    print(f"full build {med['full_s']} s = {med['full_vs_naive']}x naive ({med['naive_s']} s); "
          f"no-op rerun {med['noop_vs_full']:.1%} of full; 1% touched {med['touch_vs_full']:.1%}; "
          f"peak memory {med['peak_mb']:.0f} MB; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
