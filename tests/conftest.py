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
