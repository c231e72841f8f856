"""Property-based tests: any text, any bytes, no exception escapes and no markup leaks.

These double as a bounded fuzz run of the decoder, the cleaner and the query parser in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import decode, pipeline
from indexer.index import build_index
from indexer.page import Page
from indexer.query import parse_query
from indexer.schema import page_schema
from indexer.search import Clio

REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TAGS = ["html", "head", "body", "title", "h1", "h2", "p", "div", "span", "a", "script", "style",
        "table", "tr", "td", "ul", "li", "nav", "footer", "sup", "br", "font", "b", "i"]
ATTRS = ['class="nav"', 'id="footer"', 'href="javascript:alert(1)"', "onerror=alert(1)",
         'charset="utf-8"', 'epub:type="noteref"', 'style="display:none"']

html_piece = st.one_of(
    st.text(max_size=40),
    st.builds(lambda t, a: f"<{t} {a}>", st.sampled_from(TAGS), st.sampled_from(ATTRS + [""])),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
    st.sampled_from(["&amp;", "&#0;", "&#xD800;", "&bogus;", "<!--", "-->", "<![CDATA[",
                     '<?xml version="1.0" encoding="latin-1"?>', "\x00", "\ufeff",
                     '<meta charset="koi8-r">', "<script>alert(1)</script>"]),
)
html_docs = st.lists(html_piece, max_size=60).map("".join)
encodings = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "mac_roman", "koi8_r"])


@FUZZ
@given(st.binary(max_size=4000))
def test_decoder_takes_any_bytes(data):
    result = decode.decode_page(data)
    assert isinstance(result.text, str) and result.encoding


@FUZZ
@given(st.binary(max_size=4000))
def test_pipeline_takes_any_bytes(data):
    try:
        page = pipeline.page_from_bytes(data, "x.html")
    except pipeline.SkipPage:
        return
    assert isinstance(page, Page)


@FUZZ
@given(html_docs, encodings)
def test_pipeline_takes_any_html(doc, encoding):
    data = doc.encode(encoding, errors="replace")
    try:
        page = pipeline.page_from_bytes(data, "x.html")
    except pipeline.SkipPage:
        return
    # Text is plain text: the cleaner never hands scripts on to the index, and nothing
    # that cannot live in an XML tree or a JSON string survives.
    if "alert(1)</script>" in page.text:
        # Only as the literal text of an element whose content is text, never run:
        # <title>alert(1)</script> is a title that reads "alert(1)</script>".
        assert "<title" in doc.lower()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", page.title + page.text)


@FUZZ
@given(st.text(max_size=300))
def test_query_parser_takes_any_text(text):
    parsed = parse_query(text, page_schema())
    assert isinstance(parsed.messages, list)


@pytest.fixture(scope="module")
def clio(tmp_path_factory) -> Clio:
    index_dir = tmp_path_factory.mktemp("props") / "index"
    build_index(REPO_CORPUS, index_dir)
    return Clio(index_dir)


query_text = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "-", "+", "*", "?", "~2",
                              "title:", "person:", "year:", "..", "1914", "-44", "war",
                              "Genghis", "<b>", "&", "^", "[", "]", "{", "}", ":", "\\"]),
             max_size=12).map(" ".join),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_search_takes_any_query_and_snippets_stay_escaped(clio, text):
    results = clio.search(text, per_page=5)
    for hit in results.results:
        assert not re.search(r"<(?!/?mark>)", hit.snippet), hit.snippet
