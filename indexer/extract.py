"""Cleaned tree -> title, headings, main text (the text that is indexed and cut into snippets)."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from .textstats import BLOCK_TAGS

# Invisible format characters that split words for the indexer (BOM, bidi marks and embeddings,
# word joiners, zero-width spaces). Hair and thin spaces are whitespace to str.split already.
# (A regex is many times faster than str.translate on long non-ASCII text.)
_INVISIBLE = re.compile("[\ufeff\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")


# Never a valid character in parsed text (NULs are removed before parsing): marks block breaks.
_BLOCK_BREAK = "\x00"

# Table cells of one row read as one line.
_CELL_TAGS = frozenset({"td", "th"})
_BREAK_TAGS = BLOCK_TAGS - _CELL_TAGS | {"br"}

_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

# Site names appended or prepended to page titles: "Car - Wikipedia, the free encyclopedia",
# "Article | Site", "Chapter — Standard Ebooks".
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»«/]|::)\s+")


def one_line(text: str) -> str:
    """Text with invisible characters removed and all whitespace collapsed to single spaces."""
    return " ".join(_INVISIBLE.sub("", text).split())


def extract_title(root: HtmlElement) -> str:
    """The page title a reader wants in a result list: <title> without the site name.

    Chapter pages titled only by a numeral ("XI") get their heading's subtitle as well.
    """
    title = ""
    head = root.find("head")
    if head is not None:
        el = head.find("title")
        if el is not None:
            title = strip_site_name(one_line(el.text_content()), _first_h1(root))
    if not title or _is_bare_numeral(title):
        heading = _first_heading_with_subtitle(root)
        if heading and (not title or title in heading):
            title = heading
    return title


def strip_site_name(title: str, heading: str = "") -> str:
    """The page part of a "Page | Site" title: the part the page's heading names, else the
    title without its last part (most sites append their name)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    if heading:
        wanted = heading.casefold()
        for part in parts:
            if part.casefold() == wanted:
                return part
    kept = title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»«/")
    return kept if len(kept) >= 3 else title


def _first_h1(root: HtmlElement) -> str:
    body = root.find("body")
    h1 = next(body.iter("h1"), None) if body is not None else None
    return one_line(h1.text_content()) if h1 is not None else ""


_NUMERAL = re.compile(r"^(?:[IVXLCDM]+|\d+)\.?$")


def _is_bare_numeral(title: str) -> bool:
    return bool(_NUMERAL.match(title))


def _first_heading_with_subtitle(root: HtmlElement) -> str:
    body = root.find("body")
    if body is None:
        return ""
    heading = next(body.iter(_HEADING_TAGS), None)
    if heading is None:
        return ""
    text = one_line(heading.text_content())
    group = heading.getparent()
    if group is None or group.tag not in ("header", "hgroup"):
        return text
    # <header><h2>II</h2><p>Of the union ...</p></header>: numeral plus subtitle.
    parts = [one_line(el.text_content()) for el in group if isinstance(el.tag, str)]
    parts = [p for p in parts if p]
    return ": ".join(parts[:2]) if parts else text


def extract_headings(root: HtmlElement) -> list[str]:
    body = root.find("body")
    if body is None:
        return []
    headings = []
    for el in body.iter(_HEADING_TAGS):
        text = one_line(el.text_content())
        if text:
            headings.append(text)
    return headings


def all_text(root: HtmlElement) -> str:
    """Every bit of text on the page, boilerplate included (page dates live in footers)."""
    body = root.find("body")
    node = body if body is not None else root
    # Serialising as text runs in C; the tree has no scripts or styles left after parsing.
    return one_line(etree.tostring(node, method="text", encoding="unicode", with_tail=False))


def extract_text(root: HtmlElement) -> str:
    """The main text: one block (paragraph, heading, list item, table row) per line."""
    body = root.find("body")
    node = body if body is not None else root
    pieces: list[str] = []
    append = pieces.append
    for event, el in etree.iterwalk(node, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag in _BREAK_TAGS:
                append(_BLOCK_BREAK)
            elif tag in _CELL_TAGS:
                append(" ")
            if el.text:
                append(el.text)
        else:
            if tag in _BREAK_TAGS:
                append(_BLOCK_BREAK)
            elif tag in _CELL_TAGS:
                append(" ")
            if el.tail and el is not node:
                append(el.tail)
    blocks = _INVISIBLE.sub("", "".join(pieces)).split(_BLOCK_BREAK)
    lines = [" ".join(block.split()) for block in blocks]
    return "\n".join(line for line in lines if line)
