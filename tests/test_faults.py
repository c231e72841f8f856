"""Faults done for real: a damaged index, the index folder removed, a full disk, a read-only
index folder. Clear messages, the previous index intact, the server up and saying degraded."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys

import pytest

from indexer import store
from indexer.index import build_index
from indexer.search import Clio
from webui import create_app

from .conftest import SAMPLE_PAGES, copy_pages


@pytest.fixture
def built(shared_corpus, tmp_path):
    corpus = copy_pages(shared_corpus, tmp_path / "corpus", SAMPLE_PAGES)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    return corpus, index_dir


def _clio(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True,
                          text=True, timeout=120, **kwargs)


def _damage(index_dir) -> None:
    gen = store.current_generation(index_dir)
    biggest = max((p for p in gen.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
    data = biggest.read_bytes()
    biggest.write_bytes(data[: len(data) // 3] + b"\\x00garbage" * 50)


def test_damaged_index_gives_a_clear_message_not_a_traceback(built):
    _, index_dir = built
    _damage(index_dir)
    proc = _clio("search", "Tamerlane", "--index", str(index_dir))
    assert proc.returncode == 1
    assert "clio index --full" in proc.stderr and "Traceback" not in proc.stderr
    app = create_app(index_dir=index_dir)
    client = app.test_client()
    r = client.get("/api/search?q=Tamerlane")
    assert r.status_code == 503 and "clio index --full" in r.get_json()["error"]
    assert client.get("/healthz").get_json()["status"] == "degraded"


def test_full_rebuild_repairs_a_damaged_index(built):
    corpus, index_dir = built
    _damage(index_dir)
    assert _clio("index", str(corpus), "--index", str(index_dir), "--full").returncode == 0
    assert Clio(index_dir).search("Tamerlane").total == 1


def test_index_folder_removed_under_a_running_server(built):
    _, index_dir = built
    client = create_app(index_dir=index_dir).test_client()
    assert client.get("/api/search?q=Tamerlane").get_json()["total"] == 1
    shutil.rmtree(index_dir)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "degraded"
    r = client.get("/api/search?q=Tamerlane")
    assert r.status_code == 503 and "clio index" in r.get_json()["error"]
    assert client.get("/").status_code == 200  # the server itself stays up


def _limit_file_size() -> None:
    # Writes past 64 KB fail with EFBIG, as they would with ENOSPC on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_disk_leaves_previous_index_and_a_one_line_error(built):
    corpus, index_dir = built
    before = Clio(index_dir).search("Tamerlane").total
    proc = _clio("index", str(corpus), "--index", str(index_dir), "--full",
                 preexec_fn=_limit_file_size)
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("clio: ") and "previous index is unchanged" in last
    assert "Traceback" not in proc.stderr
    assert Clio(index_dir).search("Tamerlane").total == before


def test_read_only_index_folder(built):
    corpus, index_dir = built
    (corpus / "new.html").write_text("<title>New</title><p>Carthage</p>")
    script = (f"mount --bind {index_dir} {index_dir} && "
              f"mount -o remount,ro,bind {index_dir} && "
              f"{sys.executable} -m indexer index {corpus} --index {index_dir}")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot make a private mount namespace here")
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].startswith("clio: ")
    assert "Traceback" not in proc.stderr
    assert Clio(index_dir).search("Tamerlane").total == 1
