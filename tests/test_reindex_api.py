"""POST /api/reindex: token-guarded background reindex; searches move to the new commit."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from indexer.index import build_index
from webui import create_app

from .conftest import SAMPLE_PAGES, copy_pages

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def served(shared_corpus, tmp_path):
    corpus = copy_pages(shared_corpus, tmp_path / "corpus", SAMPLE_PAGES)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    app = create_app(index_dir=index_dir, corpus_dir=corpus, config={"ADMIN_TOKEN": TOKEN})
    return app.test_client(), corpus, index_dir


def _auth(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_reindex_is_disabled_without_token(tmp_path):
    app = create_app(index_dir=tmp_path / "i", corpus_dir=tmp_path)
    r = app.test_client().post("/api/reindex", headers=_auth("anything"))
    assert r.status_code == 403 and "disabled" in r.get_json()["error"]


@pytest.mark.parametrize("headers, status", [
    ({}, 401), ({"Authorization": "Basic abc"}, 401), ({"Authorization": "Bearer"}, 401),
    ({"Authorization": "Bearer wrong"}, 403), ({"Authorization": f"Bearer {TOKEN}x"}, 403),
])
def test_reindex_needs_the_right_token(served, headers, status):
    client, _, _ = served
    assert client.post("/api/reindex", headers=headers).status_code == status
    assert client.get("/api/reindex", headers=headers).status_code == status


def test_reindex_runs_in_background_and_searches_see_it(served):
    client, corpus, _ = served
    assert client.get("/api/search?q=Quetzalcoatlus").get_json()["total"] == 0
    page = corpus / "new" / "Pterosaurs.html"
    page.parent.mkdir()
    page.write_text("<title>Pterosaurs</title><p>Quetzalcoatlus flew over Texas.</p>")
    shutil.rmtree(corpus / "standard-ebooks")
    r = client.post("/api/reindex", headers=_auth())
    assert r.status_code == 202
    status = {}
    for _ in range(300):
        status = client.get("/api/reindex", headers=_auth()).get_json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["state"] == "done", status
    assert status["added"] == 1 and status["removed"] == 2
    # The running app answers from the new commit without a restart.
    hits = client.get("/api/search?q=Quetzalcoatlus").get_json()["results"]
    assert [h["path"] for h in hits] == ["new/Pterosaurs.html"]


def test_second_reindex_while_running_is_409(served):
    client, _, index_dir = served
    from indexer import store

    with store.writer_lock(Path(index_dir)):
        r = client.post("/api/reindex", headers=_auth())
    assert r.status_code == 409
