"""The `clio` command as a user runs it: real subprocesses, real indexes on disk."""

from __future__ import annotations

import json
import os
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


def test_serve_answers_search_over_http(repo_index, tmp_path):
    """`clio serve` (uWSGI workers) answers searches and pages, escapes markup, and logs each
    request on one line whatever the client sent."""
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        server = subprocess.Popen([sys.executable, "-m", "indexer", "serve", "--index",
                                   str(repo_index), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=err)
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
            assert r.headers["Connection"] == "close"  # (uWSGI closes after each response)
        assert data["results"][0]["path"] == "simple-wikipedia-2010/Genghis_Khan.html"
        with urllib.request.urlopen(f"{url}/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E") as r:
            html = r.read().decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /healthz?forged HTTP/1.1\r\nHost: x\r\nUser-Agent: evil\n"
                      b'127.0.0.1 "GET /forged HTTP/1.1" 200 1 1ms "x"\r\n\r\n')
            assert s.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        server.terminate()
        server.wait(20)
    lines = log.read_text().splitlines()
    assert any(ln.startswith('127.0.0.1 "GET /api/search?q=Genghis+Khan HTTP/1.1" 200 ')
               for ln in lines)
    assert any('"GET /healthz?forged HTTP/1.1" 200' in ln and '"evil\\n127.0.0.1' in ln
               for ln in lines)
    assert not any(ln.startswith('127.0.0.1 "GET /forged') for ln in lines)


def test_serve_settings_reach_the_workers(tmp_path):
    """What `clio serve` hands uWSGI: its options as arguments, the settings as absolute
    `CLIO_*` paths in the workers' environment, the access log switch."""
    from webui.server import serve_environment, uwsgi_args

    args = uwsgi_args("127.0.0.1", 8123, workers=3, threads=1)
    assert args[args.index("--http-socket") + 1] == "127.0.0.1:8123"
    assert args[args.index("--processes") + 1] == "3" and "--threads" not in args
    assert {"--die-on-term", "--lazy-apps", "--strict", "--disable-logging"} <= set(args)
    assert args[args.index("--module") + 1] == "webui.wsgi:app"
    assert "--threads" in uwsgi_args("127.0.0.1", 8123, workers=1, threads=4)
    env = serve_environment({"INDEX": Path("idx"), "CORPUS": None, "CONFIG": None},
                            access_log=False)
    assert env["CLIO_INDEX"] == str(Path("idx").resolve()) and env["CLIO_ACCESS_LOG"] == "0"
    assert "CLIO_CORPUS" not in env or env["CLIO_CORPUS"] == os.environ.get("CLIO_CORPUS")
