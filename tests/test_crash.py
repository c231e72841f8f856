"""kill -9 at any moment leaves the previous index intact, and the next run completes the work."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import store
from indexer.corpus import walk_corpus
from indexer.index import build_index
from indexer.search import Clio

REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _indexed_paths(index_dir: Path) -> set[str]:
    with store.open_index(index_dir).searcher() as s:
        return {fields["path"] for fields in s.all_stored_fields()}


def _pages_on_disk(corpus: Path) -> set[str]:
    return {f.relpath for f in walk_corpus(corpus) if hasattr(f, "mtime_ns")}


def _start_index(corpus: Path, index_dir: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "index", str(corpus), "--index", str(index_dir),
         "--json", "--wait", "30", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )


@pytest.mark.parametrize("mode", ["--full", "incremental"])
def test_sigkill_mid_index_leaves_previous_index_searchable(tmp_path, mode):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_CORPUS, corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    rng = random.Random(mode)
    for trial in range(3):
        before = _indexed_paths(index_dir)
        # Change the corpus so the run has real work: drop a few pages, add a few.
        pages = sorted(corpus.rglob("*.html"))
        for p in rng.sample(pages, 3):
            p.unlink()
        for n in range(3):
            (corpus / f"new-{trial}-{n}.html").write_text(
                f"<title>Trial {trial} page {n}</title><p>Byzantine page {trial} {n}</p>"
            )
        proc = _start_index(corpus, index_dir, *([mode] if mode == "--full" else []))
        time.sleep(rng.uniform(0.3, 2.5))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        after = _indexed_paths(index_dir)
        # Either the old index or the finished new one, never a half state.
        assert after in (before, _pages_on_disk(corpus))
        assert Clio(index_dir).search("empire").total > 0
    report = build_index(corpus, index_dir)
    assert _indexed_paths(index_dir) == _pages_on_disk(corpus)
    assert report.pages == len(_pages_on_disk(corpus))
