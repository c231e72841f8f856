"""Bad input is skipped with a clear reason, and everything else is still indexed."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest

from indexer import store
from indexer.index import build_index

GOOD = "<html><head><title>Good page {n}</title></head><body><p>{body}</p></body></html>"


def _write(path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def messy_corpus(tmp_path, shared_corpus):
    root = tmp_path / "messy"
    timur = (shared_corpus / "simple-wikipedia-2010/Timur.html").read_bytes()
    _write(root / "good/one.html", GOOD.format(n=1, body="Charlemagne crowned in 800").encode())
    _write(root / "good/two.html", timur)
    _write(root / "empty.html", b"")
    _write(root / "blank.html", b"   \n\t  ")
    _write(root / "image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    _write(root / "truncated.html", b"<html><head><title>Cut off</title><body><p>The siege of Ac")
    _write(root / "nuls.html", GOOD.format(n=3, body="Magna\x00 Carta sealed in 1215").encode())
    _write(root / "longtoken.html", GOOD.format(n=4, body="Domesday " + "x" * 5000).encode())
    _write(root / "nested.html", b"<div>" * 100_000 + b"Deep text about Byzantium" + b"</div>" * 10)
    _write(root / "big.html", b"<p>" + b"Rome " * 300_000 + b"</p>")
    packed = gzip.compress(GOOD.format(n=5, body="Zenobia of Palmyra").encode())
    _write(root / "packed.html.gz", packed)
    _write(root / "bomb.html.gz", gzip.compress(b"<p>" + b"a" * 3_000_000))
    _write(root / "notgzip.html.gz", b"this is not gzip at all")
    (root / "folder.html").mkdir()
    _write(root / "folder.html/inside.html", GOOD.format(n=6, body="Hadrian's Wall").encode())
    os.symlink(root, root / "loop")  # a symlink loop back to the corpus root
    os.symlink(tmp_path, root / "outside")  # leads out of the corpus
    _write(root.parent / "secret.html", GOOD.format(n=7, body="Outside secret").encode())
    os.symlink(root.parent / "secret.html", root / "escape.html")
    bad_name = os.fsencode(root) + b"/caf\xe9.html"
    with open(bad_name, "wb") as f:
        f.write(GOOD.format(n=8, body="Latin-1 file name").encode())
    _write(root / "line\nbreak.html", GOOD.format(n=9, body="A newline in the name").encode())
    os.mkfifo(root / "pipe.html")
    return root


def test_messy_corpus_indexes_the_good_and_explains_the_bad(messy_corpus, tmp_path):
    report = build_index(messy_corpus, tmp_path / "index", max_bytes=1_000_000)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["empty.html"] == "empty file"
    assert reasons["blank.html"] == "empty file"
    assert reasons["image.html"] == "binary file, not HTML"
    assert "over the size cap" in reasons["big.html"]
    assert "over the size cap" in reasons["bomb.html.gz"]
    assert "not a valid gzip file" in reasons["notgzip.html.gz"]
    assert reasons["folder.html"] == "is a folder, not a page"
    assert reasons["escape.html"] == "symlink points outside the corpus"
    assert reasons[r"caf\xe9.html"] == "file name is not valid UTF-8"
    assert reasons[r"line\nbreak.html"] == "file name contains a line break"
    assert reasons["pipe.html"] == "not a regular file"
    assert reasons["loop"] == "symlink loop: folder already visited"
    ix = store.open_index(tmp_path / "index")
    with ix.searcher() as s:
        indexed = {fields["path"] for fields in s.all_stored_fields()}
    # Everything else is indexed, nothing twice through the loop, nothing from outside.
    assert indexed == {"good/one.html", "good/two.html", "truncated.html", "nuls.html",
                       "longtoken.html", "packed.html.gz", "folder.html/inside.html"}


def test_deep_nesting_does_not_crash(messy_corpus, tmp_path):
    report = build_index(messy_corpus, tmp_path / "index", max_bytes=1_000_000)
    reasons = {s.path: s.reason for s in report.skipped}
    # Either indexed or skipped with a reason; never an exception.
    assert "nested.html" not in reasons or reasons["nested.html"]


def test_cli_exit_code_and_json_summary_with_skips(messy_corpus, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "index", str(messy_corpus), "--index",
         str(tmp_path / "ix"), "--json", "--max-bytes", "1000000"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(summary) >= {"added", "updated", "removed", "unchanged", "skipped", "pages",
                            "seconds"}
    assert {"path": "empty.html", "reason": "empty file"} in summary["skipped"]
    assert "skipped empty.html: empty file" in proc.stderr


def test_missing_corpus_is_a_one_line_fatal_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "index", str(tmp_path / "nope"), "--index",
         str(tmp_path / "ix")],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0
    assert "corpus folder not found" in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_skipped(tmp_path):
    root = tmp_path / "c"
    _write(root / "ok.html", GOOD.format(n=1, body="fine").encode())
    _write(root / "locked.html", GOOD.format(n=2, body="locked").encode())
    os.chmod(root / "locked.html", 0)
    report = build_index(root, tmp_path / "ix")
    assert "cannot read file" in {s.path: s.reason for s in report.skipped}["locked.html"]


def test_unreadable_file_reason_from_the_pipeline(tmp_path, monkeypatch):
    """As root (CI) a chmod cannot make a file unreadable, so the read itself is made to fail."""
    from indexer import pipeline

    page = tmp_path / "p.html"
    page.write_bytes(b"<p>x</p>")

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", deny)
    result = pipeline.extract_file(page, "p.html")
    assert result.reason == "cannot read file: Permission denied"


def test_an_index_with_no_pages_answers_every_search_with_nothing(tmp_path):
    from indexer.index import build_index
    from indexer.search import Clio

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.html").write_bytes(b"")
    report = build_index(corpus, tmp_path / "index")
    assert report.pages == 0 and len(report.skipped) == 1
    clio = Clio(tmp_path / "index")
    for query in ("war", "", '"roman empire"', "napol*", "year:1914..1918", "ghengis"):
        assert clio.search(query).total == 0
    assert clio.search("war", sort="period").total == 0
    assert clio.suggest("na") == [] and clio.person("Napoleon") is None
