"""Embedding, through Flask's test client: /embed.js, the /embed iframe page, CORS, OpenSearch."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from indexer.index import build_index
from tests.conftest import copy_pages
from webui import create_app

REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PAGES = [f"simple-wikipedia-2010/{name}.html"
         for name in ("Genghis_Khan", "Mongol_Empire", "Timur", "French_Revolution")]
OS_NS = "{http://a9.com/-/spec/opensearch/1.1/}"
READ_ONLY_API = ["/api/search?q=khan", "/api/suggest?q=gen", "/api/opensearch-suggest?q=gen",
                 "/api/pages/simple-wikipedia-2010/Timur.html", "/healthz"]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("embed")
    corpus = copy_pages(REPO_CORPUS, root / "corpus", PAGES)
    build_index(corpus, root / "index", workers=1)
    return root / "index"


def make_client(index_dir: Path, **config):
    return create_app(index_dir=index_dir, corpus_dir=REPO_CORPUS, config=config).test_client()


@pytest.fixture(scope="module")
def client(index_dir):
    return make_client(index_dir)


# --- /embed.js ---------------------------------------------------------------------------------

def test_embed_js_is_javascript_with_caching_headers(client):
    r = client.get("/embed.js")
    assert r.status_code == 200
    assert r.mimetype == "text/javascript"
    assert "public" in r.headers["Cache-Control"] and "max-age=3600" in r.headers["Cache-Control"]
    assert r.headers.get("ETag") or r.headers.get("Last-Modified")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    body = r.get_data(as_text=True)
    assert 'customElements.define("clio-search"' in body
    assert "document.currentScript" in body  # the API is found from the script's own URL


def test_embed_js_never_assigns_network_html():
    source = (Path(__file__).resolve().parents[1] / "webui/static/embed.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, sink


def test_embed_js_revalidates(client):
    etag = client.get("/embed.js").headers["ETag"]
    assert client.get("/embed.js", headers={"If-None-Match": etag}).status_code == 304


# --- /embed (iframe mode) ----------------------------------------------------------------------

def test_embed_page_shows_compact_results_without_scripts(client):
    r = client.get("/embed?q=Genghis")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "<mark>Genghis</mark>" in html
    assert "<script" not in html and not re.search(r"\son\w+=", html)
    assert 'target="_top" href="http://localhost/page/simple-wikipedia-2010/Genghis_Khan.html' \
        in html
    assert 'action="/embed"' in html and '<label for="q"' in html
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "script-src 'none'" in csp


def test_embed_page_without_query_is_just_the_box(client):
    r = client.get("/embed")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'name="q"' in html and 'class="hits"' not in html


def test_embed_page_escapes_the_query_and_rejects_bad_parameters(client):
    html = client.get("/embed?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img" in html
    r = client.get("/embed?q=x&page=zero")
    assert r.status_code == 400 and "page must be a whole number" in r.get_data(as_text=True)
    assert client.get("/embed?q=" + "a" * 600).status_code == 400


def test_frame_ancestors_come_from_config(index_dir):
    c = make_client(index_dir, frame_ancestors="https://a.example 'self'")
    csp = c.get("/embed?q=khan").headers["Content-Security-Policy"]
    assert csp.endswith("frame-ancestors https://a.example 'self'")
    # a value cannot smuggle in another directive
    c = make_client(index_dir, frame_ancestors="https://a.example; script-src *")
    csp = c.get("/embed").headers["Content-Security-Policy"]
    assert "script-src *" not in csp and csp.endswith("frame-ancestors 'none'")
    c = make_client(index_dir, frame_ancestors=["https://b.example"])
    assert "frame-ancestors https://b.example" in c.get("/embed").headers[
        "Content-Security-Policy"]


def test_other_pages_still_refuse_frames(client):
    for path in ("/", "/search?q=khan", "/embed.js"):
        assert "frame-ancestors 'none'" in client.get(path).headers["Content-Security-Policy"]


# --- CORS --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", READ_ONLY_API)
def test_read_only_api_allows_any_origin_by_default(client, path):
    r = client.get(path, headers={"Origin": "https://history.example"})
    assert r.status_code == 200, path
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers


def test_cors_headers_also_on_api_errors(client):
    r = client.get("/api/search?q=x&per_page=0", headers={"Origin": "https://h.example"})
    assert r.status_code == 400 and r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.get("/api/pages/nope.html", headers={"Origin": "https://h.example"})
    assert r.status_code == 404 and r.headers["Access-Control-Allow-Origin"] == "*"


def test_html_pages_get_no_cors(client):
    for path in ("/", "/search?q=khan", "/embed?q=khan", "/page/simple-wikipedia-2010/Timur.html"):
        r = client.get(path, headers={"Origin": "https://history.example"})
        assert "Access-Control-Allow-Origin" not in r.headers, path


def test_preflight(client):
    r = client.options("/api/search", headers={
        "Origin": "https://history.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code in (200, 204)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    assert int(r.headers["Access-Control-Max-Age"]) > 0


@pytest.fixture(scope="module")
def narrow(index_dir):
    return make_client(index_dir, cors_origins=["https://allowed.example", "http://b.test:8000"])


def test_allow_list_echoes_an_allowed_origin(narrow):
    for origin in ("https://allowed.example", "http://b.test:8000"):
        r = narrow.get("/api/suggest?q=gen", headers={"Origin": origin})
        assert r.headers["Access-Control-Allow-Origin"] == origin
        assert "Origin" in r.headers["Vary"]


def test_allow_list_refuses_other_origins(narrow):
    for origin in ("https://evil.example", "https://allowed.example.evil.example", "null"):
        r = narrow.get("/api/search?q=khan", headers={"Origin": origin})
        assert r.status_code == 200  # same-origin and server-side use still work
        assert "Access-Control-Allow-Origin" not in r.headers
        assert "Origin" in r.headers["Vary"]  # caches must not reuse one origin's answer
    r = narrow.get("/api/search?q=khan")
    assert "Access-Control-Allow-Origin" not in r.headers and "Origin" in r.headers["Vary"]


def test_allow_list_preflight(narrow):
    headers = {"Access-Control-Request-Method": "GET"}
    ok = narrow.options("/api/search", headers={**headers, "Origin": "https://allowed.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://allowed.example"
    assert "GET" in ok.headers["Access-Control-Allow-Methods"]
    refused = narrow.options("/api/search", headers={**headers, "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Methods" not in refused.headers


def test_allow_list_from_environment(index_dir, monkeypatch):
    monkeypatch.setenv("CLIO_CORS_ORIGINS", "https://one.example, https://two.example")
    c = make_client(index_dir)
    r = c.get("/healthz", headers={"Origin": "https://two.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "https://two.example"
    r = c.get("/healthz", headers={"Origin": "https://three.example"})
    assert "Access-Control-Allow-Origin" not in r.headers


# --- OpenSearch --------------------------------------------------------------------------------

def test_opensearch_description_is_valid_xml_with_search_and_suggest_urls(client):
    r = client.get("/opensearch.xml")
    assert r.status_code == 200 and r.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(r.data)
    assert root.tag == f"{OS_NS}OpenSearchDescription"
    assert root.find(f"{OS_NS}ShortName").text == "Clio"
    urls = {u.get("type"): u.get("template") for u in root.findall(f"{OS_NS}Url")}
    assert urls["text/html"] == "http://localhost/search?q={searchTerms}"
    assert urls["application/x-suggestions+json"] == \
        "http://localhost/api/opensearch-suggest?q={searchTerms}"


def test_opensearch_site_name_is_escaped(index_dir):
    c = make_client(index_dir, site_name="Tom & Jerry's <History>")
    root = ET.fromstring(c.get("/opensearch.xml").data)
    assert root.find(f"{OS_NS}ShortName").text == "Tom & Jerry's <History>"


def test_opensearch_suggestions_format(client):
    r = client.get("/api/opensearch-suggest?q=Gen")
    assert r.mimetype == "application/x-suggestions+json"
    q, labels = json.loads(r.data)
    assert q == "Gen" and "Genghis Khan" in labels
