"""Text measurements of every element of a tree, computed once, bottom up.

Asking each element for its text_content() would cost O(n^2) on nested markup; here every
element's numbers come from its children's, in one pass in reverse document order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

# Elements that flow inside a line of text; everything else starts a block.
INLINE_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em",
    "font", "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "var", "wbr", "br", "img", "label", "nobr", "ins", "del",
    "ruby", "rt", "rp",
})  # fmt: skip

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "caption", "html", "legend", "noframes", "listing", "xmp", "plaintext",
})  # fmt: skip

# Inline markup that styles words and is never page furniture by itself: not worth asking.
_UNNAMED_INLINE_TAGS = INLINE_TAGS - {"a", "span", "time", "label", "small", "font"}

# A run of text shorter than this is a label, a button or a date, not a paragraph.
MIN_PARAGRAPH_CHARS = 20


@dataclass
class TextStats:
    """Character counts per element (whitespace at the ends of text runs not counted)."""

    total: dict[HtmlElement, int] = field(default_factory=dict)  # all text inside
    links: dict[HtmlElement, int] = field(default_factory=dict)  # text inside <a>
    # Paragraph text inside, outside links, not counting boilerplate-looking subtrees:
    # the "good" text that the main-content node must hold.
    good: dict[HtmlElement, int] = field(default_factory=dict)
    raw_good: dict[HtmlElement, int] = field(default_factory=dict)  # boilerplate included
    boilerplate: set[HtmlElement] = field(default_factory=set)
    # The elements themselves, kept alive so that lxml's proxies (the dict keys) stay valid.
    elements: list[HtmlElement] = field(default_factory=list)


def measure(root: HtmlElement, is_boilerplate: Callable[[HtmlElement], bool]) -> TextStats:
    stats = TextStats()
    stats.elements = list(root.iter(etree.Element))
    total, links, raw_good = stats.total, stats.links, stats.raw_good
    candidates = []
    for el in reversed(stats.elements):
        text = el.text
        own = len(text.strip()) if text else 0
        el_total, el_links, el_good = own, 0, 0
        inline_total, inline_links = own, 0
        for child in el:
            ct = total.get(child)
            if ct is None:  # not an element
                continue
            tail = child.tail
            tail_len = len(tail.strip()) if tail else 0
            el_total += ct + tail_len
            el_links += links[child]
            el_good += raw_good[child]
            inline_total += tail_len
            if child.tag in INLINE_TAGS:
                inline_total += ct
                inline_links += links[child]
        tag = el.tag
        if tag == "a":
            el_links = el_total
            inline_links = inline_total
        if tag not in INLINE_TAGS:
            paragraph = inline_total - inline_links
            if paragraph >= MIN_PARAGRAPH_CHARS and inline_links * 2 <= inline_total:
                el_good += paragraph
        total[el] = el_total
        links[el] = el_links
        raw_good[el] = el_good
        if el_total and tag not in _UNNAMED_INLINE_TAGS and is_boilerplate(el):
            candidates.append(el)
    _settle_boilerplate(stats, candidates, root)
    return stats


# A boilerplate-looking element holding this share of the page's paragraph text is the page
# itself under an unlucky name ("page-no-header", "content-with-sidebar").
_DOMINANT_BOILERPLATE_SHARE = 0.5


def _settle_boilerplate(stats: TextStats, candidates: list[HtmlElement], root: HtmlElement) -> None:
    page_good = stats.raw_good.get(root, 0)
    limit = _DOMINANT_BOILERPLATE_SHARE * page_good
    boilerplate = stats.boilerplate
    boilerplate.update(el for el in candidates if not page_good or stats.raw_good[el] <= limit)
    stats.good = _good_without(stats, boilerplate)
    # Names are a weak signal: when they claim most of the page's prose (a "blog_teaser_text"
    # holding the article, every block of a page builder a "widget"), trust the prose instead.
    for _ in range(_MAX_RESCUES):
        if stats.good.get(root, 0) >= _MIN_KEPT_SHARE * page_good:
            break
        prose = [el for el in boilerplate if stats.links[el] < _PROSE_MAX_LINKS * stats.total[el]]
        if not prose:
            break
        best = max(prose, key=stats.raw_good.__getitem__)
        if not stats.raw_good[best]:
            break
        for el in [best, *best.iterdescendants()]:
            boilerplate.discard(el)
        stats.good = _good_without(stats, boilerplate)


# Less of the page's paragraph text than this share left outside boilerplate-looking names
# means the names are wrong; at most this many of them are overruled, largest first.
_MIN_KEPT_SHARE = 0.2
_MAX_RESCUES = 8
_PROSE_MAX_LINKS = 0.2


def _good_without(stats: TextStats, boilerplate: set[HtmlElement]) -> dict[HtmlElement, int]:
    good = dict(stats.raw_good)
    # Subtract each outermost boilerplate subtree's text from its ancestors.
    for el in boilerplate:
        removed = good[el]
        if not removed or any(anc in boilerplate for anc in el.iterancestors()):
            continue
        for anc in el.iterancestors():
            if anc in good:
                good[anc] -= removed
        good[el] = 0
    for el in boilerplate:
        good[el] = 0
    return good
