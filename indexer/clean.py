"""Cleaned tree: only the page's main content is left in <body>; <head> and <title> stay.

A pipeline of small passes over the lxml tree, in the spirit of trafilatura, jusText and
readability, but walking the tree only a few times so that a page costs milliseconds:

1. drop elements that never hold readable text (scripts, styles, forms' widgets, hidden parts);
2. drop markers that would glue into words (footnote references, "[1]" citations, edit links)
   and the error messages PHP prints into old pages ("<b>Warning</b>: ... on line 407");
3. measure every element once, bottom up (text length, link text, paragraph text);
4. pick the main-content node: descend from <body> while one child holds nearly all the
   paragraph text, preferring <article>/<main>-like containers; siblings of it (and of its
   ancestors) with the very same class are more of the text, and the title and lead just before
   it are kept too;
5. prune boilerplate inside them: class/id/role vocabulary (nav, footer, share, cookie, ...),
   link-dense blocks (menus, navboxes, language lists), short furniture lines (credits, calls
   to action, appeals to subscribe or donate, disclaimers, download links);
6. drop what follows the article's last paragraph when it is mostly headings and linked titles
   (related articles, teasers, a portal's links);
7. make those parts the only content of <body>, then drop headings left without a section
   (unless they say a sentence themselves);
8. add the schema.org articleBody (JSON-LD of the head, where the parser also puts that of the
   body) when it is far longer than what was found (pages whose text is drawn by scripts).
"""

from __future__ import annotations

import functools
import itertools
import json
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from .textstats import INLINE_TAGS, TextStats, measure

# Elements whose content is never part of the readable text of a page.
_JUNK_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "math", "canvas", "object",
    "embed", "applet", "button", "input", "select", "textarea", "option", "datalist", "map",
    "audio", "video", "source", "track", "link", "meta", "dialog",
)  # fmt: skip

# Whole-element boilerplate by HTML semantics (kept when they turn out to hold the main text).
_BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer", "menu", "form", "figcaption"})

_BOILERPLATE_ROLES = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
    "toolbar", "dialog", "alertdialog", "alert", "tablist", "doc-noteref", "doc-backlink",
})  # fmt: skip

# Words of class/id values that name page furniture, anywhere in a name ("site-footer").
_BOILERPLATE_WORDS = frozenset({
    "nav", "navi", "navbar", "navigation", "menu", "menue", "submenu", "breadcrumb",
    "breadcrumbs", "footer", "sidebar", "widget", "widgets", "banner", "cookie", "cookies",
    "cookiebar", "consent", "gdpr", "share", "sharing", "shares", "social", "socials",
    "sharebar", "related", "recommended", "recommendations", "comment", "comments",
    "pagination", "pager", "paging", "skiplink", "advert", "adverts", "advertisement", "ad",
    "ads", "adsbygoogle", "sponsor", "sponsored", "promo", "newsletter", "subscribe", "login",
    "signup", "tagcloud", "catlinks", "toc", "navbox", "printfooter", "metadata", "ambox",
    "mbox", "editsection", "noprint", "boilerplate", "sitesub", "contentsub", "rss", "popup",
    "modal", "masthead", "topbar", "toolbar", "byline", "dateline", "disqus", "outbrain",
    "taboola", "interlanguage", "portlet", "reflist", "sociallinks", "caption", "ratings",
    "author", "autor", "autorin", "authorbox", "autorbox", "authorinfo",
    "figcaption", "thumbcaption", "legend", "credit", "credits", "copyright", "bildunterschrift",
    "bildnachweis", "imagecredit", "photocredit", "facebook", "twitter", "tweet", "instagram",
    "pinterest", "whatsapp", "linkedin", "xing", "teaser", "teasers",
    "teasertext", "textwidget", "sharedaddy", "commentform", "recent", "cta", "disclosure",
    "contactbox", "kontaktbox", "licence", "license", "licenceinfo", "licenseinfo", "flyout",
    "nextstory", "assinatura", "affiliate", "disclaimer", "postmetadata", "appstores",
    "nextread", "factbox", "alert", "warenkorb", "cart", "minicart", "basket", "shopping",
})  # fmt: skip

# Weaker names that mark furniture only as a whole class or id ("hidden", but not
# "field-label-hidden"; "meta", but not "meta-title").
_BOILERPLATE_TOKENS = frozenset({
    "hidden", "hide", "print", "meta", "date", "time", "author", "authors", "more", "mehr",
    "links", "linklist", "service", "servicelinks", "lang", "langs", "languages", "header",
    "foot", "tags", "tag", "search", "searchform", "jump", "follow", "skip", "skip-link",
    "reference", "references", "categories", "respond", "reply", "replies", "rating",
    "ratings", "published", "posted", "postmeta", "entry-meta", "post-meta", "sr-only",
    "screen-reader-text", "visually-hidden", "visuallyhidden", "invisible", "overlay",
    "feedback", "register", "subscription", "print-only", "pbody", "teaser-list", "aside",
    "info", "infobox", "bio", "author-bio", "readingtime", "reading-time", "entry-utility",
})  # fmt: skip

_BOILERPLATE_SUBSTRINGS = re.compile(
    r"footer|sidebar|navbar|navigation|breadcrumb|cookie|newsletter|social|sharing|"
    r"share-|-share|related|comment(?!ar)|disqus|advert|sponsor|masthead|skiplink|skip-link|"
    r"pagination|widget|popup|consent|gdpr|subscribe|catlinks|navbox|printfooter|"
    r"editsection|interlanguage|langlinks|tagcloud|author|autor|next-post|prev-post|"
    r"kommentar|werbung|affiliate"
)

# Words that mark containers of the main text; they outweigh boilerplate words on the same node
# ("article-content", "post-body", "entry-content", "mw-content-text", itemprop articleBody).
_CONTENT_WORDS = frozenset({
    "article", "articlebody", "article-body", "article-content", "articletext", "content",
    "entry", "entry-content", "post", "post-content", "post-body", "postbody", "story",
    "story-body", "main", "main-content", "maincontent", "text", "body", "bodytext",
    "body-text", "blog-post", "mw-content-text", "bodycontent", "content-text", "rich-text",
    "richtext", "single", "page-content", "detail", "artikel", "inhalt", "beitrag",
})  # fmt: skip

_NEVER_BOILERPLATE_TAGS = frozenset({"main", "article", "body", "html"})
# Class names that describe a state or layout of a container, not what it is ("page-no-header").
_STATE_PREFIXES = ("has-", "no-", "with-", "without-", "is-", "page-no-", "js-")

# schema.org properties of the main text.
_CONTENT_ITEMPROPS = frozenset({"articleBody", "text", "reviewBody", "mainEntityOfPage"})

_WORD_SPLIT = re.compile(r"[^a-z0-9]+")

# Markers of footnotes and citations: "cold.<a epub:type=noteref>48</a>", "<sup>[1]</sup>".
_CITATION_TEXT = re.compile(
    r"^\s*[\[(]?\s*(\d{1,4}|[a-z]|[ivxlc]{1,6}|note \d+|citation needed|"
    r"edit|bearbeiten|quelltext bearbeiten|nb \d+)\s*[\])]?\s*$",
    re.I,
)

# Paragraph text below this share of the page's paragraph text is not worth descending for.
_DOMINANT_SHARE = 0.85
# A block is link-dense (a menu, a navbox, a list of languages) when links are most of its text.
_LINK_DENSE = 0.5
# Pages with less paragraph text than this are link lists or stubs: keep everything but chrome.
_MIN_ARTICLE_CHARS = 250


def clean_tree(root: HtmlElement) -> HtmlElement:
    """Leave only the main content in <body>; <head> (with a <title>) is kept."""
    body = root.find("body")
    if body is None:
        return root
    _ensure_title(root, body)
    # Holding every element's Python proxy for the whole cleaning spares lxml.html from looking
    # up each element's class again in every pass (that lookup is Python code, and costly).
    proxies = list(body.iter())
    _drop_junk(body)
    _drop_hidden(body)
    _drop_citation_markers(body)
    _drop_script_errors(body)
    stats = measure(body, _is_boilerplate)
    main = _main_node(body, stats)
    twins = _twin_siblings(main, body, stats)
    leads = [
        el for el in (_leading_prose(main, body, stats) if main is not body else [])
        if not any(twin in el.iterancestors() for twin in twins)
    ]  # fmt: skip
    _clean_content(main, stats, _is_link_index(main, stats))
    for node in twins:
        _clean_content(node, stats, False)
    leads = [el for el in leads if not _is_furniture_line(el, stats.total)]
    for el in leads:
        _drop_furniture_lines(el, stats)
    if main is not body:
        order = {el: i for i, el in enumerate(body.iter())}
        kept = sorted([*leads, main, *twins], key=order.__getitem__)
        main.tail = None
        for child in list(body):
            body.remove(child)
        body.text = None
        for el in kept:
            el.tail = None
            body.append(el)
    # Once all the parts are in place: a section's heading may stand in the part before its text.
    _drop_orphan_headings(body)
    _use_structured_body(root, body)
    del proxies
    return root


# Pages rendered by scripts show a stub in their HTML and carry the article as schema.org data
# (JSON-LD "articleBody"), which readers of the page see: far longer than what was found, it is
# the text, added after it. Only the document head is searched: the parser has moved the JSON-LD
# of the body there before dropping the body's scripts.
_MIN_STRUCTURED_CHARS = 500
_STRUCTURED_FACTOR = 3
_ARTICLE_TYPES = frozenset({"BlogPosting", "LiveBlogPosting", "Report", "SocialMediaPosting"})
_STRUCTURED_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6"})


def _use_structured_body(root: HtmlElement, body: HtmlElement) -> None:
    head = root.find("head")
    if head is None:
        return
    best = ""
    for script in head.iter("script"):
        if "ld+json" not in (script.get("type") or "") or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except (ValueError, RecursionError):
            continue
        for text in _article_bodies(data, 0):
            if len(text) > len(best):
                best = text
    if len(best) < _MIN_STRUCTURED_CHARS:
        return
    shown = len(" ".join(etree.tostring(body, method="text", encoding="unicode").split()))
    if len(best) < _STRUCTURED_FACTOR * shown:
        return
    # What was found stays: behind a paywall it is the teaser that readers see.
    for line in _structured_lines(best):
        p = lxml.html.Element("p")
        p.text = line
        body.append(p)


def _article_bodies(data: object, depth: int) -> list[str]:
    """articleBody strings of Article-like objects, @graph and nesting included."""
    if depth > 8:
        return []
    found: list[str] = []
    if isinstance(data, list):
        for item in data:
            found.extend(_article_bodies(item, depth + 1))
    elif isinstance(data, dict):
        body = data.get("articleBody")
        types = data.get("@type")
        types = types if isinstance(types, list) else [types]
        if isinstance(body, str) and any(
            isinstance(t, str) and (t.endswith("Article") or t in _ARTICLE_TYPES) for t in types
        ):
            found.append(body)
        for value in data.values():
            if isinstance(value, (dict, list)):
                found.extend(_article_bodies(value, depth + 1))
    return found


def _structured_lines(text: str) -> list[str]:
    if "<" in text and re.search(r"</?(?:p|br|div|a|strong|em)\b", text):
        # Some sites put the article's HTML there, not its text.
        frag = lxml.html.fragment_fromstring(text, create_parent="div")
        for el in frag.iter(_STRUCTURED_BLOCKS):
            el.tail = "\n" + (el.tail or "")
        text = frag.text_content()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _clean_content(main: HtmlElement, stats: TextStats, link_index: bool) -> None:
    """Prune one container of the main text (the main node, or a twin of it)."""
    _drop_footer_after_rule(main, stats)
    _drop_bare_link_lines(main)
    _prune(main, stats, keep_link_lists=link_index)
    _drop_date_lines(main, stats)
    _drop_furniture_lines(main, stats)
    _drop_trailing_teasers(main)


# Templates that cut one article into rows or sections ("row align-center" four times, one per
# run of paragraphs) repeat the container's class: siblings of the main node and of its ancestors
# with the very same tag and class that hold paragraph text, mostly unlinked, are more of the text
# (readability joins siblings of its top candidate that share its class name the same way).
_MIN_TWIN_CHARS = 100
_TWIN_MAX_LINKS = 0.5


def _twin_siblings(main: HtmlElement, body: HtmlElement, stats: TextStats) -> list[HtmlElement]:
    twins = []
    node = main
    good, total, links = stats.good, stats.total, stats.links
    while node is not body:
        parent = node.getparent()
        if parent is None:
            break
        sig = _class_signature(node)
        if sig:
            for sib in parent:
                if (
                    sib is not node
                    and sib.tag == node.tag
                    and good.get(sib, 0) >= _MIN_TWIN_CHARS
                    and links[sib] < _TWIN_MAX_LINKS * total[sib]
                    and sib not in stats.boilerplate
                    and _class_signature(sib) == sig
                ):
                    twins.append(sib)
        node = parent
    return twins


def _class_signature(el: HtmlElement) -> str:
    return " ".join((el.get("class") or "").split())


# The lead of an article often stands in its header, beside the body text's container: paragraphs
# of prose in the few blocks just before the main node (and before its parents) are kept.
_LEAD_LEVELS = 4
_LEAD_SIBLINGS = 5
# Deeper layouts wrap the header and the body text in many levels of grid containers; there only
# the block right before (a title and lead above the text) is taken, not the page's top bar.
_FAR_LEAD_LEVELS = 12
_MIN_LEAD_CHARS = 40
_MAX_LEAD_CHARS = 1000
_LEAD_MAX_LINKS = 0.2


def _leading_prose(main: HtmlElement, body: HtmlElement, stats: TextStats) -> list[HtmlElement]:
    good, total, links, boilerplate = stats.good, stats.total, stats.links, stats.boilerplate
    found: list[HtmlElement] = []
    chars = 0
    node = main
    for level in range(_FAR_LEAD_LEVELS):
        parent = node.getparent()
        if parent is None or node is body:
            break
        sib = node.getprevious()
        if level >= _LEAD_LEVELS:
            while sib is not None and not total.get(sib, 0):
                sib = sib.getprevious()
        for _ in range(_LEAD_SIBLINGS if level < _LEAD_LEVELS else 1):
            if sib is None:
                break
            if isinstance(sib.tag, str) and good.get(sib, 0) >= _MIN_LEAD_CHARS:
                for el in reversed(list(sib.iter(etree.Element))):
                    t = total.get(el, 0)
                    if el in boilerplate or not t:
                        continue
                    own = good[el] - sum(good.get(c, 0) for c in el)
                    if (
                        own >= _MIN_LEAD_CHARS
                        and links[el] <= _LEAD_MAX_LINKS * t
                        and not any(el in f.iterancestors() for f in found)
                    ):
                        if chars + t > _MAX_LEAD_CHARS:
                            return found
                        found.insert(0, el)
                        chars += t
            sib = sib.getprevious()
        node = parent
        if parent is body:
            break
    return found


# After the last <hr>, a short stretch that is largely links is the site's footer
# ("This page is part of ...", "Click here to go Home", "Impressum · Datenschutz").
_MAX_RULED_FOOTER_CHARS = 400
_RULED_FOOTER_LINK_SHARE = 0.4


def _drop_footer_after_rule(main: HtmlElement, stats: TextStats) -> None:
    children = list(main)
    last_rule = max((i for i, el in enumerate(children) if el.tag == "hr"), default=None)
    if last_rule is None:
        return
    footer = children[last_rule:]
    chars = sum(stats.total.get(el, 0) + len((el.tail or "").strip()) for el in footer)
    linked = sum(stats.links.get(el, 0) for el in footer)
    if not chars or chars > _MAX_RULED_FOOTER_CHARS or linked < _RULED_FOOTER_LINK_SHARE * chars:
        return
    for el in footer:
        main.remove(el)  # with its tail: footers of old pages are often bare text after <hr>


def _drop_bare_link_lines(main: HtmlElement) -> None:
    """Links standing alone on a line of the main node ("Previous chapter<br>Next chapter"):
    old pages put their navigation there, outside any block."""
    doomed = []
    before_blank = not (main.text or "").strip()
    for el in main:
        after_blank = not (el.tail or "").strip()
        if el.tag == "a" and before_blank and after_blank:
            doomed.append(el)
        before_blank = after_blank
    for el in doomed:
        _drop(el)


def _is_link_index(main: HtmlElement, stats: TextStats) -> bool:
    """A page whose content is its links (an index, a list of names), not a page with menus."""
    good = stats.good[main]
    return good < _MIN_ARTICLE_CHARS or stats.links[main] > 2 * good


def _ensure_title(root: HtmlElement, body: HtmlElement) -> None:
    # Fragments have no <title>: the page's first <h1> is its title, and it must survive pruning.
    head = root.find("head")
    if head is None or head.find("title") is not None:
        return
    h1 = next(body.iter("h1"), None)
    if h1 is None:
        return
    title = lxml.html.Element("title")
    title.text = " ".join(h1.text_content().split())
    head.append(title)


def _drop_junk(body: HtmlElement) -> None:
    for el in list(body.iter(_JUNK_TAGS)):
        if el.tag in _FALLBACK_TAGS and _swallowed_page(el):
            el.drop_tag()
        else:
            _drop(el)


# Containers of fallback content; an unclosed one can swallow the rest of the page when parsed.
_FALLBACK_TAGS = frozenset({"noscript", "object", "template", "iframe", "canvas", "audio", "video"})


def _swallowed_page(el: HtmlElement) -> bool:
    return next(itertools.islice(el.iterdescendants(), 20, None), None) is not None


_HIDDEN_CANDIDATES = etree.XPath(".//*[@hidden or @aria-hidden or @style]")


def _drop_hidden(body: HtmlElement) -> None:
    hidden = [
        el
        for el in _HIDDEN_CANDIDATES(body)
        if el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or _is_hidden_style(el.get("style") or "")
    ]
    for el in hidden:
        _drop(el)


def _is_hidden_style(style: str) -> bool:
    s = style.replace(" ", "").lower()
    return "display:none" in s or "visibility:hidden" in s


_MARKER_CANDIDATES = etree.XPath(
    ".//sup | .//span[contains(@class, 'editsection')] | .//a[@*[name() = 'epub:type' or "
    "name() = 'role'][contains(., 'noteref') or contains(., 'backlink')]]"
)


def _drop_citation_markers(body: HtmlElement) -> None:
    markers = []
    for el in _MARKER_CANDIDATES(body):
        if el.tag != "sup":
            markers.append(el)
            continue
        kind = (el.get("class") or "") + " " + (el.get("epub:type") or el.get("role") or "")
        text = el.text_content()
        if (
            "reference" in kind
            or "noteref" in kind
            or "noprint" in kind
            or (text.lstrip().startswith("[") and _CITATION_TEXT.match(text))
            # A superscript link to a note in the page; a bare <sup>3</sup> is an exponent.
            or (_links_within_page(el) and _CITATION_TEXT.match(text))
        ):
            markers.append(el)
    for el in markers:
        _drop(el)


# PHP prints its errors into the page as "<b>Warning</b>:  message in <b>file</b> on line
# <b>407</b><br />", on old sites often amid the text.
_SCRIPT_ERROR_LEVELS = frozenset({
    "Warning", "Notice", "Deprecated", "Strict Standards", "Fatal error", "Parse error",
    "Catchable fatal error",
})  # fmt: skip


def _drop_script_errors(body: HtmlElement) -> None:
    doomed = []
    for b in body.iter("b"):
        if b.text not in _SCRIPT_ERROR_LEVELS or not (b.tail or "").startswith(":"):
            continue
        run = [b]
        for el in b.itersiblings():
            if el.tag == "br" or len(run) > 3:
                break
            run.append(el)
        if any("on line" in (el.tail or "") for el in run):
            doomed.extend(run)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)  # with its tail, which is the message


def _links_within_page(el: HtmlElement) -> bool:
    return any((a.get("href") or "").startswith("#") for a in el.iter("a"))


def _drop(el: HtmlElement) -> None:
    # drop_tree keeps the tail text, which belongs to the parent.
    if el.getparent() is not None:
        el.drop_tree()


def _drop_measured(el: HtmlElement, stats: TextStats) -> None:
    """Drop el and take its text off its ancestors' measures, so that later passes see what
    is left (a container whose other children were pruned is a short line now)."""
    if el.getparent() is None:
        return
    total, links = stats.total, stats.links
    t, lk = total.get(el, 0), links.get(el, 0)
    if t:
        for anc in el.iterancestors():
            if anc in total:
                total[anc] -= t
                links[anc] -= lk
    el.drop_tree()


def _is_boilerplate(el: HtmlElement) -> bool:
    """Page furniture by tag, ARIA role or class/id vocabulary."""
    tag = el.tag
    if tag in _NEVER_BOILERPLATE_TAGS:
        return False
    if tag in _BOILERPLATE_TAGS:
        return True
    if tag == "blockquote":
        # An embedded post ("twitter-tweet", "instagram-media") quotes what the article discusses.
        return False
    attrib = el.attrib
    if not attrib:
        return False
    get = attrib.get
    cls, id_ = get("class"), get("id")
    if not _names_are_boilerplate(tag == "header", cls, id_, get("role"), get("itemprop")):
        return False
    # A teaser of another article links to it; an unlinked "teaser-text" is the article's lead.
    return not (_is_teaser_name(cls, id_) and el.find(".//a") is None)


@functools.lru_cache(maxsize=4096)
def _is_teaser_name(cls: str | None, id_: str | None) -> bool:
    names = ((cls or "") + " " + (id_ or "")).lower()
    return "teaser" in names and not (set(_WORD_SPLIT.split(names)) & _NON_TEASER_WORDS)


# Furniture words that decide by themselves, even on an element also named a teaser.
_NON_TEASER_WORDS = _BOILERPLATE_WORDS - {"teaser", "teasers", "teasertext"}


@functools.lru_cache(maxsize=8192)
def _names_are_boilerplate(
    is_header: bool, cls: str | None, id_: str | None, role: str | None, itemprop: str | None
) -> bool:
    if itemprop in _CONTENT_ITEMPROPS:
        return False
    if role and role.lower() in _BOILERPLATE_ROLES:
        return True
    names = ((cls or "") + " " + (id_ or "")).lower()
    tokens = {t for t in names.split() if not t.startswith(_STATE_PREFIXES)}
    if not tokens or tokens & _CONTENT_WORDS:
        return False
    words = set(_WORD_SPLIT.split(" ".join(tokens)))
    if is_header and "header" in words:
        return False  # decided by link density: article headers hold titles and subtitles
    # The element part of a BEM name says what a block is ("article__meta-item"); headers of
    # articles hold their titles and leads.
    elements = {t.rpartition("__")[2].partition("-")[0] for t in tokens if "__" in t}
    elements.discard("header")
    return bool(
        words & _BOILERPLATE_WORDS
        or tokens & _BOILERPLATE_TOKENS
        or elements & _BOILERPLATE_TOKENS
        or _BOILERPLATE_SUBSTRINGS.search(" ".join(tokens))
    )


def _main_node(body: HtmlElement, stats: TextStats) -> HtmlElement:
    """The smallest element that still holds nearly all the paragraph text of the page."""
    good = stats.good
    node = body
    while True:
        best, best_good = None, 0
        for child in node:
            g = good.get(child, 0)
            if g > best_good:
                best, best_good = child, g
        if best is None or best_good < _DOMINANT_SHARE * good[node] or best.tag in BLOCK_LEAVES:
            return node
        node = best


# Descending into one of these would lose the block structure around a single paragraph.
BLOCK_LEAVES = frozenset(
    {
        "p",
        "li",
        "dd",
        "dt",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "tbody",
        "table",
        "ul",
        "ol",
        "dl",
    }
)


_MIN_CLEAR_CHARS = 500
_MIN_CLEAR_SHARE = 0.25


def _prune(main: HtmlElement, stats: TextStats, keep_link_lists: bool) -> None:
    """Remove boilerplate blocks below the main node; never the parts holding most of the text."""
    total, links = stats.total, stats.links
    main_good = stats.raw_good.get(main, 0)
    # Enough text is left besides the boilerplate: a long named block (a list of related
    # articles with their excerpts) goes even when it holds much of the node's text.
    good = stats.good.get(main, 0)
    clear_good = good >= _MIN_CLEAR_CHARS and good >= _MIN_CLEAR_SHARE * main_good
    doomed = []
    walk = etree.iterwalk(main, events=("start",))
    for _event, el in walk:
        if el is main:
            continue
        if (
            main_good
            and stats.raw_good.get(el, 0) > 0.5 * main_good
            and not (el in stats.boilerplate and clear_good)
        ):
            continue  # holds most of the text: look inside instead
        if el in stats.boilerplate or (not keep_link_lists and _is_link_block(el, total, links)):
            doomed.append(el)
            walk.skip_subtree()
    doomed.extend(_leftovers_after_boilerplate(main, set(doomed), total))
    for el in doomed:
        _drop_measured(el, stats)


# Text after the closing run of boilerplate (navboxes, link lists) is a page footer when short.
_MAX_FOOTER_CHARS = 300


def _leftovers_after_boilerplate(
    main: HtmlElement, doomed: set[HtmlElement], total: dict
) -> list[HtmlElement]:
    children = [el for el in main if isinstance(el.tag, str)]
    last = max((i for i, el in enumerate(children) if el in doomed), default=None)
    if last is None:
        return []
    trailing = children[last + 1 :]
    trailing_chars = sum(total.get(el, 0) for el in trailing)
    if not trailing_chars or trailing_chars >= _MAX_FOOTER_CHARS:
        return []
    run_chars = 0
    for el in reversed(children[: last + 1]):
        if el in doomed:
            run_chars += total.get(el, 0)
        elif total.get(el, 0) > 30:
            break
    return trailing if run_chars > trailing_chars else []


# Blocks that can be a menu or a link list as a whole.
LINK_BLOCKS = frozenset(
    {
        "ul",
        "ol",
        "dl",
        "table",
        "div",
        "p",
        "section",
        "header",
        "center",
        "li",
        "tr",
        "td",
        "span",
        "font",
        "blockquote",
        "dd",
        "h5",
        "h6",
    }
)


def _is_link_block(el: HtmlElement, total: dict, links: dict) -> bool:
    """A menu, navbox or link list: links are most of its text and little else is said."""
    if el.tag not in LINK_BLOCKS:
        return False
    t = total.get(el, 0)
    if not t:
        return False
    linked = links.get(el, 0)
    unlinked = t - linked
    if el.tag == "p":
        # Prose sentences can be mostly links on wikis; only drop link rows with no words between.
        # A "Read also: <link>" line has a few words before its link.
        return (linked > 0.8 * t and unlinked < 40) or (linked > 0.5 * t and unlinked < 25)
    return linked > _LINK_DENSE * t and unlinked < 200


# Blocks that never belong inside a heading; found there, the heading's markup was broken.
_SWALLOWED_BY_HEADING = frozenset({"p", "div", "ul", "ol", "table", "blockquote", "section"})

# Dates and times of publication on a line of their own ("Publiziert: 03.04.2020, 12:35",
# "7. oktober 2020", "3:59 PM", "24. März 2004, 19:49 | Genesis"): page furniture, not text.
_MONTHS = (
    "jan|feb|mär|mar|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]|janvier|février|mars|avril|"
    "mai|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|"
    "junio|julio|agosto|septiembre|octubre|noviembre|diciembre|stycznia|lutego|marca|kwietnia|"
    "maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|januar|februar|märz|"
    "juni|juli|oktober|dezember|januari|februari|maart|mei|augustus|oktober|january|february|"
    "march|april|june|july|august|september|october|november|december"
)
_DATE_OR_TIME = re.compile(
    r"\b(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?:am|pm|uhr|h))?|"
    r"\d{1,2}\.?\s+(?:" + _MONTHS + r")[a-zäéû]*\.?,?\s+\d{4}|"
    r"(?:" + _MONTHS + r")[a-zäéû]*\.?\s+\d{1,2},?\s+\d{4})(?!\w)",
    re.I,
)
_MAX_DATE_LINE_CHARS = 60
_MAX_DATE_LINE_WORDS = 2
_DATE_LINE_TAGS = ("p", "div", "span", "li", "dd", "dt", "time", "small", "header", "footer")


def _drop_date_lines(main: HtmlElement, stats: TextStats) -> None:
    total = stats.total
    doomed = []
    for el in main.iter(_DATE_LINE_TAGS):
        if not 4 <= total.get(el, 0) <= _MAX_DATE_LINE_CHARS or el is main:
            continue
        text = el.text_content()
        if not _DATE_OR_TIME.search(text):
            continue
        rest = _DATE_OR_TIME.sub(" ", text)
        if len(re.findall(r"\w{2,}", rest)) > _MAX_DATE_LINE_WORDS:
            continue
        if el.tag in INLINE_TAGS and _is_inline_in_text(el, total):
            continue
        doomed.append(el)
    for el in doomed:
        _drop_measured(el, stats)


def _is_inline_in_text(el: HtmlElement, total: dict) -> bool:
    """An inline element inside a sentence: its block holds more text than it does, and text
    or inline markup stands right beside it (not a line of its own between blocks)."""
    block = next((a for a in el.iterancestors() if a.tag not in INLINE_TAGS), None)
    if block is None or total.get(block, 0) <= total.get(el, 0) + 3:
        return False
    return not (el.getparent() is block and _between_blocks(el))


def _between_blocks(el: HtmlElement) -> bool:
    if (el.tail or "").strip():
        return False
    prev, nxt = el.getprevious(), el.getnext()
    if prev is None:
        if (el.getparent().text or "").strip():
            return False
    elif prev.tag in INLINE_TAGS or (prev.tail or "").strip():
        return False  # a <br> too: lines broken inside a paragraph still make its sentences
    return nxt is None or nxt.tag not in INLINE_TAGS


_HEADING_RANK = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _drop_orphan_headings(main: HtmlElement) -> None:
    """Headings whose section lost all its content ("In other languages", "References")."""
    doomed = []
    has_content = [
        False
    ] * 7  # per rank: content seen since the next heading of that rank or higher
    for rank, el in reversed(_heading_and_text_events(main)):
        if el is None:
            has_content = [True] * 7
        elif not has_content[rank]:
            doomed.append(el)
            has_content[rank:] = [False] * (7 - rank)
        else:
            has_content[:rank] = [True] * rank
            has_content[rank:] = [False] * (7 - rank)
    for el in doomed:
        if not _is_prose_heading(el):
            _drop(el)


# A heading that says a whole sentence, or a paragraph's worth of words, is the text's own (a
# pull quote, a lead or a closing line set in heading markup), not the title of a lost section.
_PROSE_HEADING_CHARS = 100
_PROSE_HEADING_END = re.compile(r"\w[.!]\W{0,2}$")


def _is_prose_heading(el: HtmlElement) -> bool:
    text = " ".join(el.text_content().split())
    if len(text) >= _PROSE_HEADING_CHARS:
        return True
    return len(text.split()) >= 3 and _PROSE_HEADING_END.search(text) is not None


def _heading_and_text_events(main: HtmlElement) -> list[tuple[int, HtmlElement | None]]:
    """In document order: (rank, heading) for each heading, (0, None) for text outside them."""
    events: list[tuple[int, HtmlElement | None]] = []
    in_heading = 0
    for event, el in etree.iterwalk(main, events=("start", "end")):
        rank = _HEADING_RANK.get(el.tag)
        if event == "start":
            if rank:
                if not in_heading:
                    events.append((rank, el))
                in_heading += 1
            elif not in_heading and el.text and el.text.strip():
                events.append((0, None))
            elif in_heading and el.tag in _SWALLOWED_BY_HEADING:
                # An unclosed heading swallowed the paragraphs after it: they are text.
                events.append((0, None))
        else:
            if rank:
                in_heading -= 1
            if not in_heading and el is not main and el.tail and el.tail.strip():
                events.append((0, None))
    return events


# Whole short lines that are page furniture inside the main text, in any of the site's languages:
# photo credits and captions ("Foto: dpa", "© Bundesrat | Frank Bräuer", "... (Foto: Getty)"),
# calls to action ("Mehr Themen:", "War der Artikel nützlich?", "Lesen Sie auch", "Subscribe now"),
# rows of tags and topics ("Themen: Ehrenamt Jugendverbände"), and paywall prompts.
_CREDIT_LINE = re.compile(
    r"\s*(?:©|\(c\)\s|copyright\b|(?:fotos?|bild(?:er)?|beitragsbild|titelbild|"
    r"bildquelle|bildnachweis|photos?|image|credits?|crédits?(?: photos?)?|fotografía|zdjęcie|"
    r"quellen?|quellenangaben?|sources?|fuente)\s*:|photo(?:graph)?s?\s+by\b)",
    re.I,
)
# Credits at the end of a line: "... © AFP / Name", "... (Foto: Getty).", "... Getty Images".
_COPYRIGHT_ENDING = re.compile(r"©[^©]{0,60}$")
_CAPTION_CREDIT_ENDING = re.compile(
    r"\((?:foto|fotos|bild|photo|quelle|source|fuente|credit)\s*:[^()]{1,60}\)[.\s]*$", re.I
)
_AGENCIES = ("getty images", "dpa", "afp", "reuters", "imago", "picture alliance", "keystone",
             "shutterstock")  # fmt: skip
_AGENCY_ENDING = re.compile(r"(?:^|\s)(?:" + "|".join(_AGENCIES) + r")(?:/[\w. -]+)?\s*$", re.I)
_CREDIT_ENDING_CHARS = 80


def _has_credit_ending(text: str) -> bool:
    tail = text[-_CREDIT_ENDING_CHARS:]
    if "©" in tail and _COPYRIGHT_ENDING.search(tail):
        return True
    if tail.rstrip(" .\n\t").endswith(")") and _CAPTION_CREDIT_ENDING.search(tail):
        return True
    lower = tail.lower()
    return any(a in lower for a in _AGENCIES) and _AGENCY_ENDING.search(text) is not None


_CALL_TO_ACTION = re.compile(
    r"^\W*(?:"
    # German
    r"mehr (?:themen|zum thema|artikel|dazu|lesen|nachrichten|beiträge)|"
    r"weitere (?:artikel|themen|aktuelle|beiträge|nachrichten|news)|"
    r"(?:lesen sie|lies) (?:auch|mehr|weiter|hier)|auch interessant|das könnte (?:sie|dich)|"
    r"(?:war|ist) (?:der|dieser|dieses|das) (?:artikel|beitrag|text|seite)|"
    r"(?:möchten|wollen) sie (?:den|diesen) artikel|möchten sie weiterlesen|"
    r"(?:diesen |den )?(?:artikel|beitrag|seite|rezept) (?:teilen|drucken|merken|empfehlen)|"
    r"jetzt (?:abonnieren|anmelden|registrieren|teilen|weiterlesen|spenden|kommentieren)|"
    r"kommentieren\b|kommentare?\b|schlagw[öo]rte?r?\b|themen\s*:|tags?\s*:?$|tags\s*:|"
    r"neueste artikel|ähnliche artikel|verwandte artikel|empfohlene artikel|beliebte artikel|"
    r"zum (?:artikel|thema)\b|zum weiterlesen|schon gelesen|ähnliche beiträge|top[- ]themen|"
    r"verwandte themen|das (?:thema )?könnte (?:dich|sie)|keine kommentare|anzeige\b|"
    r"\*?werbung\s*[.:|]|sie müssen sich anmelden|aufrufe\s*:|ihr warenkorb|in den warenkorb|"
    r"\(?noch keine bewertung|vorschau auf|"
    r"unterstütze (?:uns|unser)|unterstützen sie (?:uns|unser)|abonnieren sie\b|"
    r"(?:bitte )?registrieren sie sich|kennt ihr schon|was sind cookies|"
    r"wir respektieren (?:deine|ihre) privatsphäre|(?:alle )?angaben ohne gewähr|"
    r"lust auf mehr|gefällt (?:dir|ihnen)|ja\. ich|teilen\s*:|externer inhalt\s*$|"
    r"(?:über (?:den|die) autor(?:in)?|about the author|à propos de l'auteur)\s*:?\s*$|"
    r"(?:category|categories|kategorien?|catégories?)\s*:|perma(?:link|lien)\b|"
    # English
    r"read (?:more|also|next)\b|related(?: articles| stories| posts| content|:)|"
    r"share (?:this|on|the)\b|follow (?:us|the)\b|subscribe\b|sign up\b|you (?:may|might) also|"
    r"more from\b|recommended\b|topics\s*:|leave a (?:comment|reply)|advertisement\s*$|"
    r"if you (?:enjoyed|liked)|be sociable|for the latest|comment by\b|stay up[- ]to[- ]date|"
    r"get the latest|to view the full story|vous aimerez aussi|views\s*:|your (?:cart|basket)|"
    r"add to (?:cart|basket)|help us\b|support (?:us|our)\b|submit your\b|we use cookies|"
    r"if you(?:'|’)re (?:seeing this|already a)|first-time subscribers|"
    r"(?:sign|log) in to\b|suggested citation|cite (?:this|as)\b|zitiervorschlag|"
    r"\d+ (?:besucher|gäste|visitors|guests|users) (?:sind |are )?online|"
    # French, Spanish, Portuguese, Polish
    r"(?:à )?lire (?:aussi|la suite)|pour lire la suite|sur le même sujet|abonnez-vous|"
    r"partager\b|(?:lea|lee) también|mira\s*:|te puede interesar|suscr[ií]be|comparte\b|"
    r"leia (?:também|mais)|czytaj (?:też|także|więcej)|zobacz (?:też|także)|polecamy\b|"
    r"udostępnij|hazte (?:miembro|socio)|únete\b|¡?mira lo que|¿?ya sabías que|"
    r"tú también puedes|puede escribirnos|zapraszamy (?:też |także )?do (?:subskrypcji|lektury)|"
    r"wesprzyj nas|zachęcamy do"
    r")",
    re.I,
)
# Said in a whole sentence, these can be the text's own ("Weitere Informationen erteilt ...").
_SHORT_CALL_TO_ACTION = re.compile(
    r"^\W*(?:mehr (?:infos?|informationen|erfahren)|weitere (?:infos?|informationen)|"
    r"more (?:info|information|stories|news)|plus d'infos|más información|więcej)\b",
    re.I,
)
# Lines that end by asking the reader to act: "... actions? Sign up here", "Jetzt hier anmelden!"
_CALL_TO_ACTION_ENDING = re.compile(
    r"(?:(?:sign up|subscribe|register|donate|click|tap) here|(?:feed|newsletter) abonnieren|"
    r"hier (?:anmelden|abonnieren|registrieren|spenden|klicken)|(?:inscr[ií]bete|abonnez-vous) ici)"
    r"\W*$",
    re.I,
)
# Appeals to subscribe, donate or join, anywhere in a short block ("Sie haben Post! Abonnieren
# Sie unsere Newsletter ...", "Help us continue to ...", "2023 nichts mehr versäumen!"): said to
# the reader in the imperative, they are the publisher's, not the article's.
_PROMOTION = re.compile(
    r"\b(?:abonnieren sie|abonniere|unterstütze |unterstützen sie|spenden sie|"
    r"werden sie (?:mitglied|abonnent)|jetzt (?:spenden|unterstützen|abonnieren)|"
    r"newsletter (?:abonnieren|bestellen)|nichts (?:mehr |neues )?(?:verpassen|versäumen)|"
    r"mehr versäumen|(?:mehr|neuen?) .{0,40} verpassen\?|"
    r"become a (?:member|subscriber)|subscribe (?:to|now|today)|sign up (?:now|today)|"
    r"donate (?:now|today)|help us (?:continue|to)|support (?:our|independent) journalism|"
    r"hazte miembro|hágase miembro|suscríbete|abonnez-vous|wesprzyj)",
    re.I,
)
# The publisher disowning the opinions of the text ("Dieser Beitrag gibt die Meinung des Autors
# wieder ...", "Les opinions exprimées ... n'engagent que leurs auteurs").
_DISCLAIMER = re.compile(
    r"(?:gibt|geben) (?:nur )?die meinung (?:des|der) autor|"
    r"n'engagent que (?:leurs?|son|ses) auteur|"
    r"(?:views|opinions) expressed (?:here |in this .{1,20})?(?:are|do not)|"
    r"not responsible for the (?:views|opinions|content)",
    re.I,
)
# Short lines offering a download ("Dieses Skript als PDF herunterladen", "Download"): the link of
# a button, not text.
_DOWNLOAD_LINE = re.compile(
    r"(?:herunterladen|download(?:en)?|télécharger|descargar|pobierz)\s*[:!]?$", re.I
)
_MAX_DOWNLOAD_LINE_CHARS = 100
_MAX_SHORT_CALL_CHARS = 50
_MAX_FURNITURE_LINE_CHARS = 300
_FURNITURE_LINE_TAGS = (
    "p", "div", "span", "li", "dd", "dt", "small", "h1", "h2", "h3", "h4", "h5", "h6", "strong",
    "b", "em", "i", "figcaption", "td", "section", "header", "footer", "a", "label",
)  # fmt: skip


def _drop_furniture_lines(main: HtmlElement, stats: TextStats) -> None:
    total = stats.total
    doomed: list[HtmlElement] = []
    walk = etree.iterwalk(main, events=("start",), tag=_FURNITURE_LINE_TAGS)
    for _event, el in walk:
        t = total.get(el, 0)
        if 2 <= t <= _MAX_FURNITURE_LINE_CHARS and el is not main and _is_furniture_line(el, total):
            doomed.append(el)
            walk.skip_subtree()
    for el in doomed:
        _drop(el)


def _is_furniture_line(el: HtmlElement, total: dict) -> bool:
    t = total.get(el, 0)
    if not 2 <= t <= _MAX_FURNITURE_LINE_CHARS:
        return False
    if el.tag in INLINE_TAGS and _is_inline_in_text(el, total):
        return False
    text = el.text_content()
    return bool(
        _CREDIT_LINE.match(text)
        or _has_credit_ending(text)
        or _CALL_TO_ACTION.match(text)
        or _CALL_TO_ACTION_ENDING.search(text[-40:])
        or _PROMOTION.search(text)
        or _DISCLAIMER.search(text)
        or (t <= _MAX_SHORT_CALL_CHARS and _SHORT_CALL_TO_ACTION.match(text))
        or (t <= _MAX_DOWNLOAD_LINE_CHARS and _DOWNLOAD_LINE.search(text.rstrip()))
    )


# After the article's last paragraph or closing sentence, a run of short linked lines and headings
# is a list of teasers, related articles or a portal's links ("Mehr zum Thema", other titles).
_TEASER_BLOCKS = (
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "td", "blockquote", "div",
    "figcaption", "section", "header", "footer", "article", "aside",
)  # fmt: skip
_TEASER_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PROSE_BLOCK_CHARS = 200
_MAX_TEASER_CHARS = 100
_TEASER_SHARE = 0.75
_MIN_TEASERS = 2
_MAX_TRAILING_BLOCKS = 60


def _drop_trailing_teasers(main: HtmlElement) -> None:
    trailing: list[tuple[HtmlElement, int]] = []  # from the end, up to the last prose block
    for el in reversed(list(main.iter(_TEASER_BLOCKS))):
        if el is main or not ((el.text or "").strip() or _has_text_child_inline(el)):
            continue
        n = len(" ".join(el.text_content().split()))
        if (n >= _PROSE_BLOCK_CHARS and _link_chars(el) < 0.2 * n) or _is_sentence(el, n):
            break  # the article's last paragraph or closing sentence
        if len(trailing) == _MAX_TRAILING_BLOCKS:
            return  # a page of short lines, not an article
        trailing.append((el, n))
    else:
        return  # no prose at all
    inside = {el for el, _n in trailing}
    trailing = [(el, n) for el, n in trailing if not any(a in inside for a in el.iterancestors())]
    if not trailing:
        return
    teasers = {
        el for el, n in trailing
        if el.tag in _TEASER_HEADINGS or (n <= _MAX_TEASER_CHARS and _is_link_title(el))
    }  # fmt: skip
    if len(teasers) < _MIN_TEASERS or len(teasers) < _TEASER_SHARE * len(trailing):
        return
    for el, _n in trailing:
        _drop(el)


def _is_link_title(el: HtmlElement) -> bool:
    return el.find(".//a") is not None and not _SENTENCE_END.search(el.text_content().rstrip())


def _is_sentence(el: HtmlElement, n: int) -> bool:
    return n >= 30 and el.text_content().rstrip().endswith(".")


_SENTENCE_END = re.compile(r"[.!?;…\"“”»«)\]]$")


def _has_text_child_inline(el: HtmlElement) -> bool:
    return any(c.tag in INLINE_TAGS and c.text_content().strip() for c in el)


def _link_chars(el: HtmlElement) -> int:
    return sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
