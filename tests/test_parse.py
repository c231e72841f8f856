"""Parsing odd markup into a tree that always has <head> and <body>."""

from __future__ import annotations

import pytest

from indexer import parse


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x00", '<?xml version="1.0"?>  '])
def test_empty_page_is_unparsable(text: str) -> None:
    with pytest.raises(parse.UnparsablePage, match="empty page"):
        parse.parse_html(text)


def test_comment_only_page_is_unparsable() -> None:
    with pytest.raises(parse.UnparsablePage):
        parse.parse_html("<!-- nothing here -->")


def test_xhtml_with_xml_declaration_and_epub_attributes() -> None:
    root = parse.parse_html(
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>II</title></head><body>'
        '<p>cold.<a epub:type="noteref" href="endnotes.xhtml#note-48">48</a> I lived</p>'
        "</body></html>"
    )
    assert root.find("head/title").text == "II"
    assert root.find(".//a").get("epub:type") == "noteref"


def test_fragment_gets_head_and_body_and_nul_bytes_vanish() -> None:
    root = parse.parse_html("<h1>Car</h1>\x00<p>text</p>")
    assert [child.tag for child in root] == ["head", "body"]
    assert root.find("body/p").text == "text"


def test_scripts_and_styles_are_stripped_keeping_tails() -> None:
    root = parse.parse_html("<p>a<script>x()</script> b<style>p{}</style> c</p>")
    assert root.find("body/p").text_content() == "a b c"


def test_unclosed_1990s_markup() -> None:
    root = parse.parse_html("<body><font color=red><b>Name</font><p>one<p>two<td>cell")
    assert [p.text_content() for p in root.iter("p")][:2] == ["one", "two"]


def test_body_json_ld_is_kept_in_the_head_and_never_left_as_text() -> None:
    root = parse.parse_html(
        "<html><head></head><body><p>a<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "articleBody": "Body"}</script> b</p></body></html>'
    )
    assert root.find("body/p").text_content() == "a b"
    kept = [s.text for s in root.find("head").iter("script")]
    assert kept == ['{"@type": "NewsArticle", "articleBody": "Body"}']


def test_article_body_template_becomes_markup_other_templates_go() -> None:
    root = parse.parse_html(
        "<body><div itemprop='articleBody'><script type='text/template'>"
        "<p>Over the past years we have seen threats grow.</p></script> end</div>"
        "<div><script type='text/template'><p>Cookie settings</p></script></div></body>"
    )
    text = root.find("body").text_content()
    assert "Over the past years we have seen threats grow." in text
    assert text.rstrip().endswith("end")
    assert "Cookie settings" not in text
    assert not list(root.find("body").iter("script"))
