"""Cleaned tree: boilerplate removed. (Placeholder.)"""

from __future__ import annotations

from lxml.html import HtmlElement


def clean_tree(root: HtmlElement) -> HtmlElement:
    for el in root.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript"):
        el.drop_tree()
    return root
