"""The `clio` command as a user runs it: real subprocesses, real indexes on disk."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def clio(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def repo_index(tmp_path_factory) -> Path:
    """The README's first command path: index the bundled corpus/."""
    index_dir = tmp_path_factory.mktemp("readme") / "index"
    proc = clio("index", str(REPO / "corpus"), "--index", str(index_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout.splitlines()[-1])
    assert summary["pages"] == summary["added"] > 100
    assert summary["skipped"] == []
    return index_dir


def test_extract_prints_one_json_line_per_page(shared_corpus, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    timur = shared_corpus / "simple-wikipedia-2010/Timur.html"
    proc = clio("extract", str(timur), str(empty), "--jsonl")
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["path"] == str(timur)
    assert first["title"] == "Tamerlane"
    assert "Turkic conqueror" in first["text"]
    assert first["encoding"] == "utf-8"
    assert {"headings", "persons", "years", "date"} <= set(first)
    assert second == {"path": str(empty), "skipped": "empty file"}


def test_search_json_and_batch(repo_index):
    proc = clio("search", "Tamerlane", "--index", str(repo_index), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["results"][0]["path"] == "simple-wikipedia-2010/Timur.html"
    proc = clio("search", "--batch", "--index", str(repo_index), "--limit", "3",
                stdin="French Revolution\n\nGenghis Khan\n")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["French Revolution", "Genghis Khan"]
    for line in lines:
        assert set(line) == {"query", "total", "took_ms", "results"}
        assert 0 < len(line["results"]) <= 3
        assert set(line["results"][0]) == {"path", "title", "score", "snippet", "persons",
                                           "years"}
        assert "/" in line["results"][0]["path"] and "\\" not in line["results"][0]["path"]
    assert lines[0]["results"][0]["path"] == "simple-wikipedia-2010/French_Revolution.html"
    assert "<mark>" in lines[1]["results"][0]["snippet"]


def test_search_without_index_is_a_clear_error(tmp_path):
    proc = clio("search", "anything", "--index", str(tmp_path / "none"))
    assert proc.returncode == 1
    assert "no index" in proc.stderr and "clio index" in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_search_over_http(repo_index):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "indexer", "serve", "--index",
                               str(repo_index), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(f"{url}/api/search?q=Genghis+Khan", timeout=10) as r:
            data = json.load(r)
        assert data["results"][0]["path"] == "simple-wikipedia-2010/Genghis_Khan.html"
        with urllib.request.urlopen(f"{url}/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E") as r:
            html = r.read().decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    finally:
        server.terminate()
        server.wait(10)
