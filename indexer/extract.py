"""Cleaned tree -> title, headings, main text. (Placeholder.)"""

from __future__ import annotations

import re

from lxml.html import HtmlElement


def extract_title(root: HtmlElement) -> str:
    for xp in ("//title", "//h1", "//h2"):
        for el in root.xpath(xp):
            t = " ".join(el.text_content().split())
            if t:
                return t
    return ""


def extract_headings(root: HtmlElement) -> list[str]:
    out = []
    for el in root.xpath("//h1|//h2|//h3|//h4|//h5|//h6"):
        t = " ".join(el.text_content().split())
        if t:
            out.append(t)
    return out


def all_text(root: HtmlElement) -> str:
    """Every bit of text on the page, boilerplate included (page dates live in footers)."""
    return re.sub(r"\s+", " ", root.text_content()).strip()


def extract_text(root: HtmlElement) -> str:
    body = root.find("body")
    node = body if body is not None else root
    return re.sub(r"\s+", " ", node.text_content()).strip()
