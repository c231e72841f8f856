"""kill -9 of `clio index` and `clio index --full` at random moments, many times.

    python bench/crash.py [--corpus ../shared/corpus] [--trials 20] [--seed 1]

Each trial changes the corpus copy (deletes, edits and adds a few pages), starts a real
`clio index` (incremental or --full, alternating) in its own process group, kills the whole
group with SIGKILL after a random delay, then checks that the index opens and answers, and
that it holds either exactly the pages of before or exactly the pages on disk. After every
trial an uninterrupted run must converge to exactly the pages on disk.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer import store  # noqa: E402
from indexer.corpus import PageFile, walk_corpus  # noqa: E402
from indexer.search import Clio  # noqa: E402


def indexed(index_dir: Path) -> set[str]:
    with store.open_index(index_dir).searcher() as s:
        return {f["path"] for f in s.all_stored_fields()}


def on_disk(corpus: Path) -> set[str]:
    return {f.relpath for f in walk_corpus(corpus) if isinstance(f, PageFile)}


def clio_index(corpus: Path, index_dir: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indexer", "index", str(corpus), "--index",
                             str(index_dir), "--wait", "60", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def mutate(corpus: Path, rng: random.Random, trial: int) -> None:
    pages = sorted(corpus.rglob("*.html"))
    for p in rng.sample(pages, 5):
        p.unlink()
    for p in rng.sample(sorted(corpus.rglob("*.html")), 5):
        with open(p, "ab") as f:
            f.write(f"<p>edited in trial {trial}</p>".encode())
    for n in range(5):
        (corpus / f"bench-new-{trial}-{n}.html").write_text(
            f"<title>Trial {trial} page {n}</title><p>Byzantine trial {trial}</p>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(args.corpus, corpus)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "indexer", "index", str(corpus), "--index",
                        str(index_dir)], check=True, capture_output=True)
        full_seconds = time.perf_counter() - started
        print(f"initial build: {full_seconds:.1f} s", flush=True)
        outcomes = {"old": 0, "new": 0}
        for trial in range(args.trials):
            before = indexed(index_dir)
            mutate(corpus, rng, trial)
            mode = ["--full"] if trial % 2 else []
            delay = rng.uniform(0.2, full_seconds * (1.0 if mode else 0.3))
            proc = clio_index(corpus, index_dir, *mode)
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            after = indexed(index_dir)
            state = "old" if after == before else "new" if after == on_disk(corpus) else "MIXED"
            answers = Clio(index_dir).search("empire").total
            if state == "MIXED" or answers == 0:
                sys.exit(f"trial {trial}: index in a mixed state or not answering")
            outcomes[state] += 1
            converge = subprocess.run([sys.executable, "-m", "indexer", "index", str(corpus),
                                       "--index", str(index_dir), "--wait", "60"],
                                      capture_output=True, text=True)
            ok = converge.returncode == 0 and indexed(index_dir) == on_disk(corpus)
            print(f"trial {trial:2d} {'full' if mode else 'incr'} killed after {delay:5.2f} s: "
                  f"{state} index, answers {answers}, next run converges: {ok}", flush=True)
            if not ok:
                sys.exit(f"trial {trial}: the next run did not converge: {converge.stderr}")
        gens = sorted(p.name for p in index_dir.glob("gen-*"))
        print(f"{args.trials} trials: {outcomes['old']} left the previous index, "
              f"{outcomes['new']} had finished; every time the index answered and the next "
              f"run converged; generations left on disk: {len(gens)}")


if __name__ == "__main__":
    main()
