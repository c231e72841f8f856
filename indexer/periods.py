"""Years a page is about, and the date a page states about itself.

Everything here works on the page's plain text (whitespace may or may not be collapsed).  The
grammar is one compiled regular expression, `_SCAN`, tried only near digits and a few keywords
(see `_matches`); each match is then checked in Python.  One pass gives both the periods and the
page date (`scan`, cached for the last few texts, so `extract_years` followed by `find_page_date`
on the same text scans it once).  The whole corpus (3,393 pages, 18.7 M characters of text) takes
about 2.5 s.

Conventions
-----------
* Years are integers, BCE/BC years negative, and there is **no year zero**: 1 BC is -1 and is
  followed by AD 1.  A span "27 BC – AD 14" is -27..14 and has 41 years, not 42.
* Centuries are counted strictly: the Nth century AD is (N-1)*100+1 .. N*100, so the 19th
  century is 1801..1900, the 1st century AD 1..100, the 1st century BC -100..-1 and the 5th
  century BC -500..-401.
  The popular 1800..1899 reading is equally common, but the strict one is the only one that is
  symmetric around the missing year zero and needs no special case for the first centuries on
  either side; the one-year difference at each end does not matter for search.  "The 1800s" is
  the popular form and is read literally: 1800..1899 (kind "hundreds").  Millennia follow
  centuries: the 2nd millennium BC is -2000..-1001.
* Decades: "1950s" = 1950..1959, "the 430s BC" = -439..-430.  "X00s" before 2000 means a hundred
  years ("the 1800s", "the 500s"); "the 2000s" is a decade.  Two-digit decades ("the '60s",
  "the 20s") and spelled-out ones ("the fifties") are not read: the century is not stated.
* Eras: BC, B.C., BCE, B.C.E. after the number, BC before it (Gibbon's margins: "BC 360");
  AD/A.D. before or after, CE/C.E. after.  In a range the era given once applies to both ends
  ("431–404 BC", "490–79 BC"); a range that starts BC and ends without an era ("63 BC – 14") is
  ambiguous and is not read as a range (only the BC end is kept).

What counts as a year
---------------------
* Any number with an era marker (BC years up to 100,000, AD years up to next year).
* A 3- or 4-digit year in a calendar date ("14 July 1789", "February 12, 1809", "June 7th 2006",
  "28 January, 814"); a month and a 4-digit year ("May 2004"); an ISO date; d/m/yyyy.
* After "c.", "ca.", "circa", "~", "fl.", "b.", "d.": 3- or 4-digit numbers.
* A plain 4-digit number 1000..next year, unless it is clearly something else: glued to a word
  or closing punctuation (footnote references such as "exercising;4068"), part of a decimal,
  thousands, page ("pp.287-307", "p. 1200"), ISBN/phone-like chain or time, after "No.",
  "over", "nearly", "than"..., or followed by a unit or a plural count noun ("1500 soldiers",
  "2000 metres", "1000 species") — except that a time preposition before it ("in 2008
  astronomers found") wins over the following plural (units like "years", "km" still reject).
* A plain 3-digit number only after "in", "since", "until", "till", "during", "year" or as the
  start of "from 476 to 800" — and never before a unit/plural ("in 410 days").  Plain 1–2 digit
  numbers only after "the year".  This keeps precision high; recall for early years relies on
  era markers, which such texts mostly use.
* Years above next year are rejected (forecasts, catalogue numbers).

Page-self dates
---------------
Dates stated about the page (or a cited web page) are not years the page is about and are left
out of `extract_years`: "First posted in 2000, last revised on June 7th 2006", "This page was
last modified on ...", "Retrieved 12 March 2015", "accessed ...", "Archived from the original
on ...", "© 2004", "Copyright 1997-2006", "version of the Sunday, May 31, 2015" (Kiwix), MacTutor
signatures "AELD/JOC/EFR May 2004".  `find_page_date` returns the latest of the dates that are
clearly about the page itself (posted/revised/updated/modified phrases, "this page/article/ebook
was ...", Kiwix versions, signatures); citations ("Retrieved", "accessed", "archived") never
count, and a copyright year counts only as a last resort when it is in the last 300 characters.

Publication years of cited works ("NY : Harper & Bros. 1961", "(May 1964)") *are* counted: they
cannot be told apart from other years by the text alone, they are true years on the page
(bibliography pages are about them), and dropping reference lists is the cleaner's job.

What `extract_years` contributes to the multi-valued `years` field (see `period_years`)
-------------------------------------------------------------------------------------------
* a year or date: that year;
* a range: every year when it spans at most 31 years ("1914–1918", "1618–1648"), else its two
  stated ends ("1337–1453"), so long spans do not flood the field;
* a decade: its ten years (a query "1955" should find "the 1950s");
* centuries, millennia and "the 1800s": nothing.  Their start/end years were not stated on the
  page, and adding them (1801 and 1900 for every page saying "19th century") would make round
  queries such as "1900" or "2000" match hundreds of unrelated pages.  The spans are available
  from `extract_periods` for a separate period field; the words remain searchable as text.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = [
    "MAX_EXPANDED_SPAN",
    "MAX_YEAR",
    "Period",
    "ScanResult",
    "extract_periods",
    "extract_years",
    "find_page_date",
    "parse_period_expression",
    "period_years",
    "scan",
]

MAX_YEAR = datetime.date.today().year + 1  # later years are forecasts or not years at all
MAX_BC = 100_000
MAX_EXPANDED_SPAN = 31  # ranges of at most this many years are expanded in `period_years`


@dataclass(frozen=True)
class Period:
    """A span of years a text speaks of (inclusive, BCE negative, no year zero)."""

    start: int
    end: int
    kind: str  # "year", "date", "range", "decade", "hundreds", "century", "millennium"
    source: str  # the matched text
    date: str | None = None  # ISO "YYYY-MM[-DD]" when a calendar date (AD) is given
    offset: int = field(default=-1, compare=False)  # where `source` starts in the text

    def __post_init__(self) -> None:
        if self.start == 0 or self.end == 0 or self.start > self.end:
            raise ValueError(f"bad period {self.start}..{self.end}")

    @property
    def length(self) -> int:
        """Number of years in the span (there is no year zero)."""
        n = self.end - self.start + 1
        return n - 1 if self.start < 0 < self.end else n


# --------------------------------------------------------------------------- the grammar

_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, dashes, minus
_DASHES = "\\" + _DASH_CHARS  # for a regex character class
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY = r"(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_DAYS = rf"{_DAY}(?:\s*(?:[{_DASHES}]|or|and|&)\s*{_DAY})?"
_CIRCA = r"(?<![\w.])(?:c\.|ca\.|circa\b|fl\.|b\.|d\.|~)"
_PRE_ERA = r"(?<![\w.])(?:A\.\s?D\.|AD\b|B\.\s?C\.|BC\b)"
_POST_ERA = r"(?:B\.\s?C\.(?:\s?E\.)?|BCE\b|BC\b|A\.\s?D\.|AD\b|C\.\s?E\.|CE\b)"
_NUM = r"(?<!\d)(?<!\d[.,])(?:\d{1,3}(?:,\d{3})+|\d{1,5})(?!\d)"
_YEAR4 = r"(?<![\d.,])[12]\d{3}(?!\d)"
_ISO = r"(?<![\w.,/])[12]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d\w])"
_NUMDATE = (
    r"(?<![\w.,/])(?:3[01]|[12]\d|0?[1-9])[./](?:3[01]|[12]\d|0?[1-9])[./][12]\d{3}(?![\d\w])"
)
_ORDWORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_ORD = (
    r"(?:\d{1,2}(?i:st|nd|rd|th)|(?i:"
    + "|".join(sorted((w.replace(" ", r"\s") for w in _ORDWORDS), key=len, reverse=True))
    + r"))"
)


def _dateprefix(n: str | None) -> str:
    """Weekday? + (day month | month day | month) + comma? + space, before a year."""
    g = (lambda name: f"?P<{name}{n}>") if n else (lambda name: "?:")
    return (
        rf"(?:(?:{_WEEKDAY},?\s+)?"
        rf"(?:(?:the\s+)?({g('dd')}{_DAYS})\s+(?:of\s+)?({g('dm')}{_MONTH})"
        rf"|({g('mm')}{_MONTH})\s+(?:the\s+)?({g('md')}{_DAYS})"
        rf"|({g('om')}{_MONTH})),?\s+)"
    )


def _endpoint(n: str) -> str:
    return (
        rf"(?P<e{n}>{_dateprefix(n)}?(?:(?P<c{n}>{_CIRCA})\s*)?"
        rf"(?:(?P<pe{n}>{_PRE_ERA})\s*(?P<pn{n}>{_NUM})"
        rf"|(?P<y{n}>{_NUM})(?:\s*(?P<qe{n}>{_POST_ERA}))?))"
    )


_SDATE_YEARS = rf"{_YEAR4}(?:\s*[{_DASHES}]\s*(?:{_YEAR4}|\d\d(?!\d)))?"
_SDATE_ANY = rf"(?:{_ISO}|{_NUMDATE}|{_dateprefix(None)}?{_SDATE_YEARS})"
_FILL_ANY = rf"\s*:?\s*(?:(?:on|in|at)\s+)?(?:the\s+)?(?:{_WEEKDAY},?\s+)?"
_FILL_ON = rf"\s*:?\s*(?:on\s+)?(?:{_WEEKDAY},?\s+)?"

_SELF = (
    # about the page itself: posted / revised / this page was ...
    r"(?:(?P<ksp>(?i:this)\s+(?i:page|article|site|website|web\s?page|ebook|e-book|entry)\s+"
    r"(?i:(?:was|has\s+been|is)\s+)?(?i:(?:first|last|originally)\s+)?"
    r"(?i:posted|published|released|revised|updated|modified|edited|changed|created|written"
    r"|uploaded|reviewed))"
    r"|(?P<ksf>\b(?:[Ff]irst|[Oo]riginally)\s+(?:posted|uploaded)"
    r"|\b[Ll]ast\s+(?:revised|updated|modified|edited|changed|reviewed|update|revision"
    r"|modification))"
    r"|(?P<ksc>\b(?:Posted|Updated|Revised|Modified|Created|Edited)(?=\s*(?::|on\b))))"
    rf"{_FILL_ANY}(?P<sda>{_SDATE_ANY})"
    # Kiwix "version of the Sunday, May 31, 2015"; MacTutor "AELD/JOC/EFR May 2004"
    rf"|(?P<ksv>\bversion\s+of\s+the|\b[A-Z]{{2,6}}(?:/[A-Z]{{2,6}})+)\s+(?:{_WEEKDAY},?\s+)?"
    rf"(?P<sdb>{_dateprefix(None)}{_YEAR4})"
    # citations of web pages
    r"|(?P<kcit>\b(?i:retrieved|accessed|archived)(?:\s+from\s+the\s+original)?"
    rf"|\b(?:revised|updated)){_FILL_ON}(?P<sdc>{_SDATE_ANY})"
    # copyright
    rf"|(?P<kcopy>©|\([cC]\)|\b[Cc]opyright(?:\s*(?:©|\([cC]\)))?)\s*(?P<sdd>{_SDATE_YEARS})"
)
_DECADE = (
    rf"(?<![\w.,])(?P<dec>\d{{2,3}}0)['\u2019]?s(?![\w'\u2019])"
    rf"(?:\s*(?P<decera>{_POST_ERA}))?"
)
_CENTURY_TAIL = (
    rf"(?:(?:\s*[{_DASHES}]\s*|\s+(?:to|and|or)\s+)(?:the\s+)?"
    rf"(?:(?i:early|mid|middle|late)[\s{_DASHES}]+)?(?P<k2>{_ORD}))?[\s{_DASHES}]+"
    rf"(?P<cu>(?i:centur(?:y|ies)|millenni(?:um|a)))\b(?:\s*(?P<cera>{_POST_ERA}))?"
)
_CENTURY = rf"(?<![\w.])(?P<k1>{_ORD}){_CENTURY_TAIL}"
_CENTURY_DIGITS = rf"(?<![\w.])(?P<k1>\d{{1,2}}(?i:st|nd|rd|th)){_CENTURY_TAIL}"
_SEP = rf"(?P<sep>\s*[{_DASHES}/]\s*|\s+(?:to|until|till|through|thru|and)\s+)"
_RANGE = (
    rf"(?:(?P<fb>(?<![\w.])(?:[Ff]rom|[Bb]etween))\s+)?{_endpoint('1')}(?:{_SEP}{_endpoint('2')})?"
)

_SCAN = re.compile(
    rf"(?P<SELF>{_SELF})|(?P<ISO>{_ISO})|(?P<NUMDATE>{_NUMDATE})|(?P<DECADE>{_DECADE})"
    rf"|(?P<CENTURY>{_CENTURY})|(?P<RANGE>{_RANGE})"
)
# the same, for matches starting with a digit (no page-self phrase, no spelled ordinal): faster
_SCAN_DIGIT = re.compile(
    rf"(?P<ISO>{_ISO})|(?P<NUMDATE>{_NUMDATE})|(?P<DECADE>{_DECADE})"
    rf"|(?P<CENTURY>{_CENTURY_DIGITS})|(?P<RANGE>{_RANGE})"
)

# Speed: trying the big alternation at every position costs ~2 µs a character.  Every match
# holds a digit, a century/millennium word or a page-self keyword ("anchors", found with a fast
# regex and str.find), and starts at the anchor or at most _WINDOW characters before it with a
# word from _STARTERS.  So `_matches` jumps from anchor to anchor and calls `_SCAN.match` (or
# `_SCAN_DIGIT.match` at a digit) only at those few positions: the same leftmost, non-overlapping
# matches as `_SCAN.finditer` (checked on the corpus; bar garbage matches starting inside words),
# about 20 times faster.
_DIGITS = re.compile(r"[0-9]+")
_STEMS = (  # (substring, how far before it the anchor word starts)
    *((w, 1) for w in ("entur", "ENTUR", "illenni", "ILLENNI")),
    # "This page was (last) modified ... <date>" can start more than _WINDOW before its digits
    *((w, 1) for w in "osted ublished eleased evis pdate odifi dited reated ritten".split()),
)
# words, split at case changes: text_content() runs blocks together ("recordFebruary 2, 1952")
_TOKEN = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|[©~]|\([cC]\)")
_WINDOW = 48
_STARTERS = frozenset(  # compared in lower case
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday from between circa this first last originally posted updated revised
    modified created edited version retrieved accessed archived copyright © ~ (c) second
    third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
    fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth
    twenty""".split()
)
_STARTERS_EXACT = frozenset("c ca fl b d A AD B BC".split())


def _anchors(text: str) -> list[int]:
    """Anchor positions, in order."""
    extra = []
    for stem, back in _STEMS:
        i = text.find(stem)
        while i >= back:
            extra.append(i - back)
            i = text.find(stem, i + 1)
    anchors = [m.start() for m in _DIGITS.finditer(text)]
    if extra:
        anchors.extend(extra)
        anchors.sort()
    return anchors


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The grammar's matches in `text`, left to right, not overlapping."""
    consumed = 0  # the next match starts here or later
    tried = -1  # every candidate position before here has been tried
    n = len(text)
    for a in _anchors(text):
        if a < consumed or a < tried:
            continue
        found = None
        for tm in _TOKEN.finditer(text, max(consumed, tried, a - _WINDOW), a):
            tok = tm.group()
            if (
                tok in _STARTERS_EXACT
                or tok.lower() in _STARTERS
                or (tok.isupper() and tm.end() < n and text[tm.end()] == "/")
            ):
                found = _SCAN.match(text, tm.start())
                if found:
                    break
        if found is None:
            found = (_SCAN_DIGIT if text[a].isdigit() else _SCAN).match(text, a)
            # a number glued to what precedes it is no year; its era or the next number may be
            # ("horse.7194 AD 1071"), so the match is dropped without consuming the text
            if found and text[a].isdigit() and not _left_ok(text, a):
                found = None
        tried = a + 1
        if found:
            consumed = found.end()
            yield found


# Zero-width and bidi characters seen inside real text (U+2060 in Standard Ebooks, U+200E,
# U+FEFF, U+202A/C in Simple Wikipedia): replaced by spaces, which keeps offsets.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e]")

# ------------------------------------------------------------------ context around numbers

_LETTERS = re.compile(r"[A-Za-z]+")
_DEGREE = re.compile(r"(?:^|[\s(,;])(?:[A-Z][a-z]?\.)+$")
_JOURNAL_VOLUME = re.compile(r"\d\)?\s?:\s?$")  # "Science 245: 1367–1369" are pages
# after a short or long number ("ISBN 0 19 1956 4", phones) or a glued footnote reference
# ("the Roman empire.1784 1785")
_NUMBER_BEFORE = re.compile(r"(?:(?<![\d.,])(?:\d{1,3}|\d{5,})|(?<=[^\s(\[\d])\d+) $")
_RATIO = re.compile(r"(?:\d|\b[Oo]ne)\s+in\s*$")
_NEXT_WORD = re.compile(r"\s*-?\s*([%°]|[A-Za-z]+)(?:[\s-]+([A-Za-z]+))?")

_PAGE_WORDS = frozenset("page site article entry document".split())
_CHAIN_GAP = re.compile(r"[\s,;.]*(?:and\s+)?")  # "First posted in 2000, last revised on ..."
_STRONG_PREV = frozenset("in since until till during year anno".split())
_NEG_PREV = frozenset(
    """p pp page pages no nos nr number numbers vol vols volume item items isbn issn op opus tel
    phone fax line lines verse verses psalm route flight over nearly almost approximately approx
    roughly than least exactly some totalling totaling numbering population code room box sec
    fig figure plate cat catalogue catalog bwv doi pmid oclc lccn viaf id ref""".split()
)
_UNITS = frozenset(
    """years months weeks days hours minutes seconds hrs mins secs km kilometres kilometers
    miles mi metres meters m cm mm ft feet foot inches yards yd kg kilograms g grams lb lbs
    pounds tons tonnes t l litres liters ml gallons acres hectares ha sq square cubic degrees
    percent per million billion thousand hundred times mph kph kw mw hz""".split()
)
_NOT_PLURAL = frozenset(
    """has was as its this his yes whereas perhaps always towards afterwards sometimes besides
    thus unless across nevertheless hers ours theirs yours does goes says""".split()
)
_YEARISH_PLURALS = frozenset(
    """births deaths establishments disestablishments elections olympics games riots protests
    revolutions uprisings reforms talks negotiations treaties sessions recordings events
    championships finals awards accords laws census""".split()
)


def _left_ok(text: str, s: int) -> bool:
    """May a number start at `s`?  Not when glued to a word, a closing quote or another number
    (Gibbon's footnote references: "exercising;4068", "treasury.2025")."""
    if s == 0:
        return True
    c = text[s - 1]
    if c.isspace() or c in "([{\u201c\u2018\u00ab":
        return True
    if c in "\"'":
        return s < 2 or text[s - 2].isspace() or text[s - 2] in "([{"
    if c in _DASH_CHARS or c == "/":
        return s < 2 or not text[s - 2].isdigit()
    if c == ".":  # "M.Sc.1941", "B.A.1920": a degree glued to its year
        return _DEGREE.search(text, max(0, s - 8), s) is not None
    return False


def _right_ok(text: str, e: int) -> bool:
    """May a match end at `e`?  Not before a letter, a digit, "%" or ".5", "-3", ":30"... but
    "1955Released" (block elements run together by text_content()) is fine."""
    if e >= len(text):
        return True
    c = text[e]
    if c.isalnum():
        return c.isupper() and e + 1 < len(text) and text[e + 1].islower()
    if c == "%":
        return False
    if c in ".,:/" + _DASH_CHARS and e + 1 < len(text) and text[e + 1].isdigit():
        return False
    return True


def _prev_word(text: str, s: int) -> str:
    """The word just before `s` (only spaces and a "." between), lower-cased, with the "." if
    there is one ("pp.", "year." at the end of a sentence), or ""."""
    chunk = text[max(0, s - 24) : s].rstrip()
    dot = chunk.endswith(".")
    m = _LETTERS.match(chunk[-2::-1] if dot else chunk[::-1])
    if not m:
        return ""
    word = m.group()[::-1].lower()
    return word + "." if dot else word


def _quantity_after(text: str, e: int, strong: bool) -> bool:
    """Is the number ending at `e` a quantity ("1500 soldiers", "2000 metres", "3300 year old")?"""
    m = _NEXT_WORD.match(text, e)
    if not m:
        return False
    w = m.group(1)
    if w in "%°":
        return True
    lw = w.lower()
    if w in _UNITS or (lw == "year" and (m.group(2) or "").lower() in ("old", "ago", "long")):
        return True
    if strong or not w.islower() or len(w) < 3 or not w.endswith("s"):
        return False
    if w.endswith(("ss", "us", "is")) or w in _NOT_PLURAL or w in _YEARISH_PLURALS:
        return False
    return True


def _plain_ok(text: str, s: int, e: int, digits: str, fb: bool) -> bool:
    """Is a plain number (no era, month or circa) between `s` and `e` a year?"""
    prev = "from" if fb else _prev_word(text, s)
    if prev.rstrip(".") in _NEG_PREV:
        return False
    if (
        not prev
        and s >= 2
        and (text[s - 2].isdigit() or text[s - 2] in ":)" or text[s - 1] == ":")
        and (
            _JOURNAL_VOLUME.search(text, max(0, s - 6), s)
            or _NUMBER_BEFORE.search(text, max(0, s - 12), s)
        )
    ):
        return False
    strong = fb or prev in _STRONG_PREV
    n = len(digits)
    if n == 4:
        return digits[0] != "0" and not _quantity_after(text, e, strong)
    if n == 3:
        if not strong or digits[0] == "0" or _quantity_after(text, e, False):
            return False
        return not (prev == "in" and _RATIO.search(text, max(0, s - 12), s))
    return prev == "year" and not _quantity_after(text, e, False)


# ------------------------------------------------------------------------- match handling

_MONTH_NUM = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)
}


_END_GROUPS = {n: tuple(g + n for g in "c pe pn y qe dm mm om dd md".split()) for n in ("1", "2")}


class _End:
    """One end of a RANGE match, as read by the regex."""

    __slots__ = ("s", "e", "digits", "era", "circa", "month", "day")

    def __init__(self, m: re.Match[str], n: str) -> None:
        self.s, self.e = m.span("e" + n)
        circa, pe, pn, y, qe, dm, mm, om, dd, md = m.group(*_END_GROUPS[n])
        self.circa = circa is not None
        if pn is not None:
            self.digits = pn
            self.era: str | None = "BC" if pe[0] == "B" else "AD"
        else:
            self.digits = y
            self.era = None if qe is None else ("BC" if qe[0] == "B" else "AD")
        month = dm or mm or om
        self.month = _MONTH_NUM[month[:3].lower()] if month else 0
        day = dd or md
        self.day = int(day[:2]) if day and day[:2].isdigit() else int(day[:1]) if day else 0

    @property
    def number(self) -> int:
        return int(self.digits.replace(",", ""))

    @property
    def marked(self) -> bool:
        return self.era is not None or self.month > 0 or self.circa


def _iso(y: int, month: int, day: int) -> str | None:
    if y <= 0 or not month:
        return None
    if day:
        try:
            return datetime.date(y, month, day).isoformat()
        except ValueError:
            return None
    return f"{y:04d}-{month:02d}"


def _single(text: str, end: _End, fb: bool, query: bool) -> Period | None:
    """One end read alone: a year, a date, or nothing."""
    d, n = end.digits, end.number
    if end.era == "BC":
        if not 1 <= n <= MAX_BC:
            return None
        y = -n
    else:
        if "," in d or not 1 <= n <= MAX_YEAR:
            return None
        y = n
        if end.era is None:
            if end.month:
                if len(d) < 3 or (
                    not end.day and (len(d) < 4 or _quantity_after(text, end.e, False))
                ):
                    return None
            elif end.circa:
                if len(d) < 3 or _quantity_after(text, end.e, False):
                    return None
            elif query:
                if len(d) < 3:
                    return None
            elif not _plain_ok(text, end.s, end.e, d, fb):
                return None
    src = text[end.s : end.e]
    if end.month:
        return Period(y, y, "date", src, _iso(y, end.month, end.day), end.s)
    return Period(y, y, "year", src, None, end.s)


def _range(text: str, m: re.Match[str], e1: _End, e2: _End, query: bool) -> Period | None:
    era1, era2 = e1.era, e2.era
    n1, n2 = e1.number, e2.number
    d1, d2 = e1.digits, e2.digits
    if "," in d1 + d2 and "BC" not in (era1, era2):
        return None
    for end in (e1, e2):  # "July 1-3 in 1863" is not the years 1 to 3
        if end.era is None and (end.month or end.circa):
            if len(end.digits) < (3 if end.day or end.circa else 4):
                return None
    if era2 == "BC" and era1 is None:
        era1 = "BC"
    if era1 == "BC" and era2 is None:
        return None  # "63 BC – 14": BC or AD?  Not read as a range.
    if era1 == "AD" and era2 == "BC":
        return None
    if era2 is None or era2 == era1:
        if len(d2) < len(d1) and not e2.month and len(d2) <= 2:  # 1914–18, 490–79 BC
            n2 = int(d1[: len(d1) - len(d2)] + d2)
    if era1 == "BC" and era2 == "BC":
        y1, y2 = -n1, -n2
    elif era1 == "BC":
        y1, y2 = -n1, n2
    else:
        y1, y2 = n1, n2
    if not y1 < y2 or y1 < -MAX_BC or y2 > MAX_YEAR or n1 == 0 or n2 == 0:
        return None
    if e1.era is None and e2.era is None and not (e1.month or e2.month or e1.circa or e2.circa):
        fb = m.group("fb") is not None
        if len(d1) < 3 or (len(d2) < 2 and len(d1) != 4):
            return None
        if not query:
            if len(d1) == 4:
                ok = _plain_ok(text, m.start(), m.end(), d1, fb)
            else:
                ok = fb or _prev_word(text, m.start()) in _STRONG_PREV
            # "between 1000 and 2000 soldiers": a time word before does not save a range
            if not ok or _quantity_after(text, m.end(), False):
                return None
    return Period(y1, y2, "range", m.group(), None, m.start())


def _ordinal(s: str) -> int:
    s = s.lower()
    if s[0].isdigit():
        return int(s[:-2])
    return _ORDWORDS[re.sub(r"\s+", " ", s)]


def _century(m: re.Match[str]) -> Period | None:
    c1 = _ordinal(m.group("k1"))
    c2 = _ordinal(m.group("k2")) if m.group("k2") else c1
    unit = 1000 if m.group("cu").lower().startswith("millenni") else 100
    bc = (m.group("cera") or "A")[0] == "B"
    lo, hi = min(c1, c2), max(c1, c2)
    if lo < 1:
        return None
    if bc:
        if hi * unit > MAX_BC:
            return None
        start, end = -hi * unit, -(lo * unit - unit + 1)
    else:
        start, end = (lo - 1) * unit + 1, hi * unit
        if start > MAX_YEAR:
            return None
    kind = "century" if unit == 100 else "millennium"
    return Period(start, end, kind, m.group(), None, m.start())


def _decade(m: re.Match[str]) -> Period | None:
    n = int(m.group("dec"))
    bc = (m.group("decera") or "A")[0] == "B"
    width = 100 if n % 100 == 0 and n < 2000 else 10
    if n > MAX_YEAR or (bc and n > MAX_BC):
        return None
    kind = "hundreds" if width == 100 else "decade"
    if bc:
        return Period(-(n + width - 1), -n, kind, m.group(), None, m.start())
    return Period(n, n + width - 1, kind, m.group(), None, m.start())


def _self_dates(s: str) -> list[tuple[int, int, int]]:
    """The dates in the date part of a page-self phrase, as (year, month, day)."""
    iso = re.match(r"([12]\d{3})-(\d\d)-(\d\d)$", s)
    if iso:
        return [(int(iso[1]), int(iso[2]), int(iso[3]))]
    years = [int(y) for y in re.findall(r"(?<!\d)[12]\d{3}(?!\d)", s)]
    if not years:
        return []
    if re.match(r"\d{1,2}[./]", s):  # d/m/yyyy: day and month ambiguous
        return [(years[-1], 0, 0)]
    month_m = re.search(_MONTH, s)
    if month_m:
        month = _MONTH_NUM[month_m.group()[:3].lower()]
        day_m = re.search(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)", s)
        day = int(day_m.group(1)) if day_m else 0
        try:
            datetime.date(years[0], month, day or 1)
        except ValueError:
            day = 0
        return [(years[0], month, day)]
    m2 = re.search(rf"[12]\d{{3}}\s*[{_DASHES}]\s*(\d\d)$", s)  # © 2004-06
    if m2 and len(years) == 1:
        years.append(int(str(years[0])[:2] + m2.group(1)))
    return [(y, 0, 0) for y in years]


# ----------------------------------------------------------------------------- the scanner


@dataclass(frozen=True)
class ScanResult:
    """Everything one pass over a text finds."""

    periods: tuple[Period, ...]
    page_date: str | None


def _format_date(d: tuple[int, int, int]) -> str:
    y, mo, da = d
    if mo and da:
        return f"{y:04d}-{mo:02d}-{da:02d}"
    if mo:
        return f"{y:04d}-{mo:02d}"
    return f"{y:04d}"


def _scan(text: str, query: bool = False) -> ScanResult:
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub(" ", text)
    periods: list[Period] = []
    strong: list[tuple[int, int, int]] = []
    copyright_dates: list[tuple[int, int, int]] = []
    prev_self_end, prev_self_strong = -10, False
    for m in _matches(text):
        branch = m.lastgroup
        if branch == "SELF":
            is_strong = False
            if m.group("ksp") or m.group("ksc") or m.group("ksv"):
                is_strong = True
            elif m.group("ksf"):
                gap = text[prev_self_end : m.start()]
                is_strong = (
                    m.group("ksf")[0].isupper()
                    or _prev_word(text, m.start()) in _PAGE_WORDS  # "Page last modified on"
                    or (prev_self_strong and _CHAIN_GAP.fullmatch(gap) is not None)
                )
            sd = m.group("sda") or m.group("sdb") or m.group("sdc") or m.group("sdd")
            dates = _self_dates(sd)
            dates = [d for d in dates if 1000 <= d[0] <= MAX_YEAR]
            if is_strong:
                strong.extend(dates)
            elif m.group("kcopy") and m.end() >= len(text) - 300:
                copyright_dates.extend(dates)
            prev_self_end, prev_self_strong = m.end(), is_strong
            continue
        s, e = m.span()
        if not _right_ok(text, e) and not (  # "1950s–1960s", "13th–15th centuries"
            branch in ("DECADE", "CENTURY") and text[e] in _DASH_CHARS
        ):
            continue
        if branch == "RANGE":
            fb = m.group("fb") is not None
            e1 = _End(m, "1")
            if m.group("e2") is None:
                p = _single(text, e1, fb, query)
                if p is not None:
                    periods.append(p)
                continue
            e2 = _End(m, "2")
            sep = m.group("sep").strip()
            rng = None
            if sep != "and" or (fb and m.group("fb").lower() == "between"):
                rng = _range(text, m, e1, e2, query)
            if rng is not None:
                periods.append(rng)
                continue
            if fb and not query and _quantity_after(text, e, False):
                continue  # "between 1000 and 2000 soldiers"
            for end, ctx in ((e1, fb), (e2, False)):
                if end is e2 and not _left_ok(text, e2.s) and not e2.marked:
                    continue
                p = _single(text, end, ctx, query)
                if p is not None:
                    periods.append(p)
        elif branch == "ISO":
            y, mo, da = int(text[s : s + 4]), int(text[s + 5 : s + 7]), int(text[s + 8 : s + 10])
            if 1000 <= y <= MAX_YEAR:
                periods.append(Period(y, y, "date", m.group(), _iso(y, mo, da), s))
        elif branch == "NUMDATE":
            y = int(text[e - 4 : e])
            if 1000 <= y <= MAX_YEAR:
                periods.append(Period(y, y, "date", m.group(), None, s))
        elif branch == "DECADE":
            p = _decade(m)
            if p is not None:
                periods.append(p)
        elif branch == "CENTURY":
            p = _century(m)
            if p is not None:
                periods.append(p)
    page_date = None
    if strong:
        page_date = _format_date(max(strong))
    elif copyright_dates:
        page_date = _format_date(max(copyright_dates))
    return ScanResult(tuple(periods), page_date)


@functools.lru_cache(maxsize=4)
def scan(text: str) -> ScanResult:
    """One pass over `text`: its periods and its page date (cached for the last few texts, so
    `extract_years` and `find_page_date` on the same text scan it once)."""
    return _scan(text)


# ------------------------------------------------------------------------------ public API


def extract_periods(text: str) -> list[Period]:
    """The periods `text` speaks of, in text order (page-self dates left out)."""
    return list(scan(text).periods)


def period_years(period: Period) -> list[int]:
    """What one period contributes to the `years` index field (see the module docstring)."""
    if period.kind in ("year", "date"):
        return [period.start]
    if period.kind == "decade" or (period.kind == "range" and period.length <= MAX_EXPANDED_SPAN):
        return [y for y in range(period.start, period.end + 1) if y != 0]
    if period.kind == "range":
        return [period.start, period.end]
    return []


def extract_years(text: str) -> list[int]:
    """Sorted unique years the text is about; BCE years negative; no year zero."""
    years: set[int] = set()
    for p in scan(text).periods:
        years.update(period_years(p))
    return sorted(years)


def find_page_date(text: str) -> str | None:
    """The latest date the page states about itself (posted, revised, updated...), ISO
    "YYYY", "YYYY-MM" or "YYYY-MM-DD", or None."""
    return scan(text).page_date


_QUERY_PREFIX = re.compile(
    r"^(?:(?:in|from|during)\s+)?(?:the\s+)?(?:(?:early|mid|middle|late)(?:\s+|-(?=\d))"
    r"|(?:first|second|last)\s+(?:half|quarter)\s+of\s+(?:the\s+)?)?",
    re.I,
)
_QUERY_END_DOT = re.compile(r"(?<=[^.\s][^.\s])\.$")
_QUERY_ERA = re.compile(r"(?<![\w.])(b\.?\s?c\.?(?:\s?e\.?)?|a\.?\s?d\.?|c\.?e\.?)(?![\w.])", re.I)
_QUERY_MONTH = re.compile(r"(?<![\w])(" + _MONTH.replace("(?![A-Za-z])", "") + r")(?![a-z])", re.I)


def parse_period_expression(s: str) -> Period | None:
    """Read a query word or phrase as one period: "1950s", "19th century", "44 BC",
    "5th century BC", "1914-18", "AD 476", "c. 1450", "323 BCE", "14 July 1789".

    Bare 3- and 4-digit numbers are read as years (the caller decides when a query word is
    meant as a year); 1- and 2-digit ones need an era.  Era letters and month names may be
    in any case.  None when `s` is not exactly one period.
    """
    s = " ".join(s.split()).strip(" ,;:()[]")
    s = _QUERY_END_DOT.sub("", s)  # "1450." but not "44 B.C."
    if not s:
        return None
    s = _QUERY_PREFIX.sub("", s, count=1)
    s = _QUERY_ERA.sub(lambda m: m.group(1).upper(), s)
    s = _QUERY_MONTH.sub(lambda m: m.group(1)[:1].upper() + m.group(1)[1:].lower(), s)
    if not _SCAN.fullmatch(s):
        return None
    periods = _scan(s, query=True).periods
    if len(periods) != 1 or len(periods[0].source) != len(s):
        return None
    return periods[0]
