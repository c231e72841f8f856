"""Every route of the web UI and the JSON API, through Flask's test client on a real index."""

from __future__ import annotations

import os
import re
from pathlib import Path

import jsonschema
import pytest

from indexer.index import build_index
from webui import create_app
from webui.openapi import openapi_spec

REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("web") / "index"
    build_index(REPO_CORPUS, index_dir)
    app = create_app(index_dir=index_dir, corpus_dir=REPO_CORPUS)
    return app.test_client()


def _response_schema(path: str, status: str = "200") -> dict:
    op = openapi_spec()["paths"][path]["get"]
    return op["responses"][status]["content"]["application/json"]["schema"]


def test_home_has_search_box_and_opensearch_link(client):
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<label for="q"' in html and 'role="search"' in html
    assert 'type="application/opensearchdescription+xml"' in html


def test_home_offers_browsing_by_person_and_period(client):
    """Below the box: the persons most pages name and pages by century and decade, each a
    link that finds those pages; the same as JSON at /api/overview."""
    html = client.get("/").get_data(as_text=True)
    data = client.get("/api/overview").get_json()
    jsonschema.validate(data, _response_schema("/api/overview"))
    assert data["pages"] > 0 and f"Or browse {data['pages']} pages" in html
    from indexer.persons import lone_forename

    assert data["persons"] and not [p for p in data["persons"] if lone_forename(p["value"])]
    top = data["persons"][0]
    assert top["count"] == max(p["count"] for p in data["persons"])
    assert f'href="{top["url"]}"' in html
    assert client.get(top["url"]).status_code == 200
    # A century link finds exactly the pages it counts.
    century = max(data["centuries"], key=lambda c: c["count"])
    found = client.get(f"/api/search?q=&century={century['value']}").get_json()
    assert found["total"] == century["count"]
    assert f"/search?q=&amp;century={century['value']}" in html
    assert sum(s["count"] for s in data["sections"]) == data["pages"]


def test_results_page_has_results_facets_timeline_and_shareable_links(client):
    r = client.get("/search?q=war")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<mark>" in html and 'class="facets"' in html and "<svg" in html
    assert "/search?q=war&amp;decade=" in html  # a timeline bar filters to its decade
    r = client.get("/search?q=war&section=simple-wikipedia-2010")
    html = r.get_data(as_text=True)
    assert "Remove filter Section: simple-wikipedia-2010" in html


def test_results_page_escapes_the_query(client):
    html = client.get("/search?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img" in html


def test_bad_parameter_on_html_page_is_400_not_500(client):
    assert client.get("/search?q=x&page=zero").status_code == 400


def test_page_view_highlights_and_links_original(client):
    r = client.get("/page/simple-wikipedia-2010/Timur.html?q=Tamerlane")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<mark>Tamerlane</mark>" in html
    assert 'href="/original/simple-wikipedia-2010/Timur.html"' in html


def test_page_view_shows_the_page_headings_as_headings(client):
    html = client.get("/page/simple-wikipedia-2010/French_Revolution.html").get_data(
        as_text=True)
    page = client.get("/api/pages/simple-wikipedia-2010/French_Revolution.html").get_json()
    assert page["headings"]
    text = html.split('<div class="text">')[1].split("</div>")[0]
    shown = re.findall(r"<h2>([^<]*)</h2>", text)
    assert shown and set(shown) <= {h.strip() for h in page["headings"]}
    assert f"<h1>{page['title']}</h1>" in html


def test_person_view(client):
    r = client.get("/person/Genghis%20Khan")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    # Each page listed says where it is from and which years it speaks of.
    assert re.search(r'<span class="path">simple-wikipedia-2010/Genghis_Khan.html</span>\s*'
                     r' · \d{3,4}–\d{4}</p>', html)
    assert client.get("/person/Nobody%20Nowhere%20Zzyzx").status_code == 404


def test_years_span_labels_bc_years():
    from webui.views import years_span

    assert years_span([1523, 1206, 1300]) == "1206–1523"
    assert years_span([-44, 14]) == "44 BC–14" and years_span([1914]) == "1914"
    assert years_span([]) == ""


def test_api_person_beside_the_person_page(client):
    """/api/persons/<name> gives what /person/<name> shows, in any spelling of the name."""
    data = client.get("/api/persons/Genghis%20Khan").get_json()
    jsonschema.validate(data, _response_schema("/api/persons/{name}"))
    paths = [p["path"] for p in data["pages"]]
    # The page about the person comes first, though others rank higher for the name.
    assert paths[0] == "simple-wikipedia-2010/Genghis_Khan.html"
    assert client.get("/api/persons/Tamerlane").get_json()["pages"][0]["path"] == (
        "simple-wikipedia-2010/Timur.html")
    assert data["total"] == len(paths) and data["url"].startswith("/person/")
    html = client.get(data["url"]).get_data(as_text=True)
    assert all(p in html for p in paths)
    assert client.get("/api/persons/Chingis%20Khan").get_json()["name"] == data["name"]
    # Snippets show where each page names the person, not the page's opening lines.
    words = {w.lower() for n in [data["name"], *data["variants"]] for w in n.split()}
    marked = {p["path"]: re.findall(r"<mark>([^<]*)</mark>", p["snippet"]) for p in data["pages"]}
    assert "Genghis" in marked["simple-wikipedia-2010/Genghis_Khan.html"]
    assert all(m.lower() in words or re.sub(r"['’]?s$", "", m.lower()) in words
               for ms in marked.values() for m in ms), marked
    r = client.get("/api/persons/Nobody%20Nowhere%20Zzyzx")
    assert r.status_code == 404
    jsonschema.validate(r.get_json(), _response_schema("/api/persons/{name}", "404"))
    r = client.get("/api/persons/" + "p" * 201)
    assert r.status_code == 400
    jsonschema.validate(r.get_json(), _response_schema("/api/persons/{name}", "400"))


@pytest.mark.parametrize("html_url", [
    "/", "/search?q=war&section=simple-wikipedia-2010", "/page/simple-wikipedia-2010/Timur.html",
    "/person/Genghis%20Khan",
])
def test_every_html_page_links_its_json(client, html_url):
    """Datasette's rule: beside every HTML page, the same data as JSON, linked from it."""
    import html as html_lib
    import re

    page = client.get(html_url).get_data(as_text=True)
    links = re.findall(r'<link rel="alternate" type="application/json" href="([^"]+)">', page)
    assert len(links) == 1, html_url
    json_url = html_lib.unescape(links[0])
    assert f'<a href="{links[0]}">This page as JSON</a>' in page
    r = client.get(json_url)
    assert r.status_code == 200 and r.is_json
    data = r.get_json()
    # The JSON holds what the page shows: its results, its text's title, its pages, the
    # persons to browse.
    shown = next(v for v in (data.get("results"), data.get("pages"), data.get("persons"),
                             [data]) if isinstance(v, list) and v and isinstance(v[0], dict))
    for item in shown:
        label = html_lib.escape(item.get("title") or item["value"], quote=False)
        assert label in page or item.get("path", "\0") in page


@pytest.mark.parametrize("path", [
    "/original/../README.md", "/original/%2e%2e/README.md", "/original/..%2fREADME.md",
    "/original//etc/passwd", "/original/simple-wikipedia-2010/../../pyproject.toml",
    "/original/nonexistent.html", "/original/simple-wikipedia-2010",
])
def test_original_never_leaves_the_corpus(client, path):
    assert client.get(path, follow_redirects=True).status_code == 404


def test_original_symlink_out_of_corpus_is_404(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.html").write_text("secret")
    os.symlink(tmp_path / "secret.html", corpus / "link.html")
    (corpus / "ok.html").write_text("<title>Ok</title><p>fine</p>")
    build_index(corpus, tmp_path / "index")
    app = create_app(index_dir=tmp_path / "index", corpus_dir=corpus)
    c = app.test_client()
    assert c.get("/original/link.html").status_code == 404
    ok = c.get("/original/ok.html")
    assert ok.status_code == 200 and "sandbox" in ok.headers["Content-Security-Policy"]


def test_api_search_matches_openapi(client):
    r = client.get("/api/search?q=Genghis+Khan&per_page=5")
    data = r.get_json()
    jsonschema.validate(data, _response_schema("/api/search"))
    assert data["results"][0]["url"] == "/page/simple-wikipedia-2010/Genghis_Khan.html"
    assert data["per_page"] == 5 and data["page"] == 1


def test_api_json_is_what_the_standard_library_reads_back(client):
    """The API encodes with orjson: UTF-8 text, not \\u escapes, must read back the same as
    the search gave it, markup in strings included (it is data here, escaped by the UIs)."""
    import json

    from webui.app import FastJSONProvider

    r = client.get("/api/search?q=Tamerlane+Samarkand")
    assert r.mimetype == "application/json"
    data = json.loads(r.data.decode("utf-8"))
    assert data == r.get_json() and data["results"]
    value = {"title": "Tīmūr <script>alert('x')</script> “Gūrkānī”", "n": [1, 2.5, None],
             "years": (-330, 1405), 3: "non-string key"}
    encoded = FastJSONProvider(client.application).dumps(value, separators=(",", ":"))
    assert "Tīmūr" in encoded
    assert json.loads(encoded) == json.loads(json.dumps(value))
    # Options orjson lacks go to Flask's own encoder.
    assert "\n  " in FastJSONProvider(client.application).dumps(value, indent=2)
    # A response's bytes are orjson's own, one JSON document and a newline, as Flask sends it.
    provider = FastJSONProvider(client.application)
    with client.application.app_context():
        response = provider.response(value)
        assert response.data.endswith(b"}\n") and b"\n" not in response.data[:-1]
        assert json.loads(response.data) == json.loads(json.dumps(value))
        assert json.loads(provider.response(1, 2).data) == [1, 2]
        assert json.loads(provider.response(a=1).data) == {"a": 1}
        provider.compact = False  # (as in debug mode): indented, by Flask's own encoder
        assert b"\n  " in provider.response(value).data


def test_access_log_escapes_what_clients_send():
    """One line per request; a line feed, quotes or escape codes a client sent cannot forge
    a line or reach a terminal."""
    import io

    from webui.accesslog import AccessLog

    def app(environ, start_response):
        start_response("404 NOT FOUND", [("Content-Type", "text/plain"),
                                         ("Content-Length", "9")])
        return [b"not found"]

    out = io.StringIO()
    logged = AccessLog(app, out)
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET",
               "REQUEST_URI": "/x?q=\x1b[31m\u00e9", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_USER_AGENT": 'evil\n127.0.0.1 "GET /forged HTTP/1.1" 200 1 1ms "x"'}
    body = logged(environ, lambda status, headers, exc_info=None: None)
    assert list(body) == [b"not found"]
    line = out.getvalue()
    assert line.count("\n") == 1 and "\x1b" not in line
    assert line.startswith('127.0.0.1 "GET /x?q=\\x1b[31m\\xe9 HTTP/1.1" 404 9 ')
    assert line.endswith('ms "evil\\n127.0.0.1 \\"GET /forged HTTP/1.1\\" 200 1 1ms \\"x\\""\n')
    # Nothing to escape: the line is as sent.
    out.truncate(0)
    out.seek(0)
    logged({**environ, "REQUEST_URI": "/api/search?q=rome", "HTTP_USER_AGENT": "curl/8"},
           lambda *a: None)
    assert out.getvalue().endswith('"GET /api/search?q=rome HTTP/1.1" 404 9 0ms "curl/8"\n')

def test_api_filters(client):
    data = client.get("/api/search?q=&from=-400&to=-300").get_json()
    assert data["total"] > 0
    assert all(any(-400 <= y <= -300 for y in h["years"]) for h in data["results"])
    data = client.get("/api/search?q=war&section=standard-ebooks&sort=period").get_json()
    assert all(h["path"].startswith("standard-ebooks/") for h in data["results"])


def test_api_suggest_pages_and_health_match_openapi(client):
    jsonschema.validate(client.get("/api/suggest?q=gen").get_json(),
                        _response_schema("/api/suggest"))
    page = client.get("/api/pages/simple-wikipedia-2010/Timur.html").get_json()
    jsonschema.validate(page, _response_schema("/api/pages/{id}"))
    assert page["title"] == "Tamerlane"
    jsonschema.validate(client.get("/healthz").get_json(), _response_schema("/healthz"))


@pytest.mark.parametrize("query", [
    "per_page=0", "per_page=51", "per_page=x", "page=0", "page=1001", "from=abc",
    "to=99999", "sort=bogus", "q=" + "x" * 501, "century=1000", "person=" + "p" * 201,
])
def test_api_bad_parameters_are_json_4xx(client, query):
    r = client.get(f"/api/search?{query}")
    assert r.status_code == 400
    jsonschema.validate(r.get_json(), _response_schema("/api/search", "400"))


def test_api_unknown_page_is_404_json(client):
    r = client.get("/api/pages/no/such/page.html")
    assert r.status_code == 404 and r.get_json()["error"]


def test_security_headers(client):
    r = client.get("/search?q=war")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]


def test_missing_index_is_degraded_not_500(tmp_path):
    app = create_app(index_dir=tmp_path / "none", corpus_dir=tmp_path)
    c = app.test_client()
    assert c.get("/healthz").get_json()["status"] == "degraded"
    home = c.get("/")
    assert home.status_code == 200 and 'role="search"' in home.get_data(as_text=True)
    assert c.get("/api/overview").status_code == 503
    assert c.get("/api/search?q=x").status_code == 503
    assert c.get("/search?q=x").status_code == 503


def test_config_from_toml_and_env(tmp_path, monkeypatch):
    cfg = tmp_path / "clio.toml"
    cfg.write_text('site_name = "History Hub"\nmax_per_page = 20\n')
    monkeypatch.setenv("CLIO_CONFIG", str(cfg))
    monkeypatch.setenv("CLIO_MAX_QUERY_CHARS", "100")
    app = create_app(index_dir=tmp_path / "none")
    assert app.config["CLIO_SITE_NAME"] == "History Hub"
    assert app.config["CLIO_MAX_PER_PAGE"] == 20
    assert app.config["CLIO_MAX_QUERY_CHARS"] == 100


def test_how_we_read_the_query_offers_removal_of_each_piece(client):
    html = client.get("/search?q=war+1860s+year:1850..1900").get_data(as_text=True)
    assert "How we read your query" in html
    assert 'href="/search?q=war+year:1850..1900"' in html  # drop the period
    assert 'href="/search?q=war+1860s"' in html  # drop the year filter


@pytest.mark.parametrize("route", ["/page/", "/api/pages/", "/person/", "/api/persons/",
                                   "/original/"])
@pytest.mark.parametrize("attack", [
    "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd",
    "....//....//etc/passwd", "/etc/passwd", "simple-wikipedia-2010/../../README.md",
    "%00", "a" * 3000, "..\\\\..\\\\windows",
])
def test_path_traversal_on_every_path_route(client, route, attack):
    r = client.get(route + attack, follow_redirects=True)
    assert r.status_code in (400, 404)
    assert b"root:" not in r.data and b"# Clio" not in r.data
