"""`clio watch` picks up changes within seconds and stops cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from indexer import store

from .conftest import SAMPLE_PAGES, copy_pages


def _paths(index_dir) -> set[str]:
    try:
        with store.open_index(index_dir).searcher() as s:
            return {f["path"] for f in s.all_stored_fields()}
    except store.IndexError_:
        return set()


def _wait_for(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_watch_indexes_new_and_deleted_pages_then_stops_on_ctrl_c(shared_corpus, tmp_path):
    corpus = copy_pages(shared_corpus, tmp_path / "corpus", SAMPLE_PAGES[:4])
    index_dir = tmp_path / "index"
    proc = subprocess.Popen([sys.executable, "-m", "indexer", "watch", str(corpus), "--index",
                             str(index_dir), "--debounce", "0.3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: _paths(index_dir) == set(SAMPLE_PAGES[:4]))
        (corpus / "added.html").write_text("<title>Added</title><p>Hannibal crossed.</p>")
        (corpus / SAMPLE_PAGES[0]).unlink()
        expected = set(SAMPLE_PAGES[1:4]) | {"added.html"}
        assert _wait_for(lambda: _paths(index_dir) == expected)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Stopped watching." in err and "Traceback" not in err
