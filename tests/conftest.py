"""Shared fixtures. Tests read real pages from ../shared beside the repo (CLIO_SHARED overrides)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLIO_SHARED", REPO.parent / "shared"))
SHARED_CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {SHARED_CORPUS} (set CLIO_SHARED)")
    return SHARED_CORPUS

# A few real pages of every source, for tests that build real indexes.
SAMPLE_PAGES = [
    "simple-wikipedia-2010/Timur.html",
    "simple-wikipedia-2010/French_Revolution.html",
    "simple-wikipedia-2010/Genghis_Khan.html",
    "simple-wikipedia-2010/Cold_War.html",
    "simple-wikipedia-2010/Common_cold.html",
    "wikipedia-ray-charles/Betty_Carter.html",
    "wikipedia-ray-charles/Crying_Time.html",
    "standard-ebooks/procopius-secret-history/chapter-1.html",
    "standard-ebooks/procopius-secret-history/colophon.html",
    "mactutor-davis-women/Names/Johnson_Ada.html",
    "mactutor-davis-women/Names/Robins_Beatrice.html",
    "mactutor-davis-women/Biblio/205.html",
]


def copy_pages(src_root: Path, dest_root: Path, relpaths: list[str]) -> Path:
    for rel in relpaths:
        dest = dest_root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes((src_root / rel).read_bytes())
    return dest_root


@pytest.fixture
def sample_corpus(shared_corpus, tmp_path) -> Path:
    """A fresh, writable copy of SAMPLE_PAGES."""
    return copy_pages(shared_corpus, tmp_path / "corpus", SAMPLE_PAGES)
