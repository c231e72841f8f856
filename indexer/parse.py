"""Decoded text -> lxml tree. (Placeholder.)"""

from __future__ import annotations

import lxml.html


class UnparsablePage(ValueError):
    """The text cannot be turned into a usable HTML tree; the message says why."""


def parse_html(text: str) -> lxml.html.HtmlElement:
    text = text.replace("\x00", "")
    if text.lstrip().startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    if not text.strip():
        raise UnparsablePage("empty page")
    return lxml.html.document_fromstring(text)
