"""Decoded text -> lxml tree with a <head> and a <body>, whatever the markup looked like."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# libxml2 refuses a str that still carries an encoding declaration; the text is already decoded.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# Comments and processing instructions never hold page text; dropping them while parsing is free.
# libxml2 caps nesting at 256 levels without huge_tree, so pathological nesting is truncated
# instead of exhausting the stack of any later tree walk.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# lxml.html picks each element's class in Python (forms, inputs, labels get their own); one
# class for all, chosen in C, makes every element access several times cheaper.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class UnparsablePage(ValueError):
    """The text cannot be turned into a usable HTML tree; the message says why."""


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse any HTML, XHTML or bare fragment; the root always has a <head> and a <body>."""
    # Control characters other than tab and line breaks are not text and lxml refuses to
    # put them into a tree; they come from binary junk and broken encodings.
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise UnparsablePage("empty page")
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except etree.ParserError as e:  # e.g. a page that is nothing but comments
        raise UnparsablePage(f"no HTML content: {e}") from e
    except (etree.LxmlError, ValueError) as e:
        raise UnparsablePage(f"cannot parse HTML: {e}") from e
    if not isinstance(root.tag, str) or root.tag != "html":
        raise UnparsablePage("no <html> element after parsing")
    _ensure_head_and_body(root)
    _keep_script_content(root)
    # Script and style bodies are never page text; stripping them here (in C) keeps every later
    # text walk, including the page-date scan over all text, free of code.
    etree.strip_elements(root.find("body"), "script", "style", with_tail=False)
    return root


# Scripts that carry the page's text as data, not code: schema.org JSON-LD (its "articleBody"
# is what script-drawn pages show) and templates of an article body that a script renders.
_DATA_SCRIPTS = etree.XPath(
    "//body//script[contains(@type, 'ld+json') or (contains(@type, 'template') and "
    "../@itemprop = 'articleBody')]"
)


def _keep_script_content(root: lxml.html.HtmlElement) -> None:
    """Keep what body scripts hold of the text before they are stripped: JSON-LD goes to the
    head (with the head's own, for the cleaner to weigh), an article template becomes markup."""
    head = root.find("head")
    for script in _DATA_SCRIPTS(root):
        text = script.text
        if not text or not text.strip():
            continue
        if "ld+json" in (script.get("type") or ""):
            data = lxml.html.Element("script", type="application/ld+json")
            data.text = text
            head.append(data)
            continue
        try:
            markup = lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)
        except (etree.LxmlError, ValueError):
            continue
        markup.tail = script.tail
        script.getparent().replace(script, markup)


def _ensure_head_and_body(root: lxml.html.HtmlElement) -> None:
    # Fragments (Simple Wikipedia 2010) come without <head>; later stages put a title there.
    if root.find("head") is None:
        root.insert(0, lxml.html.Element("head"))
    if root.find("body") is None:
        root.append(lxml.html.Element("body"))
