"""What a reader typed -> what Clio searches for, and how it read it.

The query language is Whoosh's (words, "phrases", AND / OR / NOT, -exclusion, field:value,
wildcards, fuzzy~) plus Clio's own pieces, taken out before Whoosh parses the rest:
- `year:1914..1918`, `year:-60..-40`, `year:1066`: a filter to pages that speak of a year in
  the range (BCE years negative).
- `person:"Julius Caesar"` or `person:Khrushchev`: a filter to pages that mention that person,
  in any spelling the name rules or the alias table relate.
- Period words (`1950s`, `19th century`, `44 BC`, `1914-18`): a *boost* for pages that speak
  of that period, not a filter, because a page may well be about the period without the
  extractor having found a year in it (and readers mix such words with topic words). A query
  that is nothing but a period does filter, and ranks the pages by how often, for their
  length, they name its years (`period_words_query`).
Nothing here raises on any input: repairs are reported in `messages`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldPlugin,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
)

from . import names
from .analysis import terms_of
from .periods import Period, parse_period_expression

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 32
PERIOD_BOOST = 2.0  # extra score for a page that speaks of a period named in the query

# Field weights of BM25F: a word in the title says most about what a page is about.
# (Key terms are indexed and can be searched with key_terms:..., but searching them by
# default changed no ranking on the judged queries and cost time.)
FIELD_BOOSTS = {"title": 6.0, "headings": 2.0, "lead": 4.0, "text": 1.0}

_YEAR_FILTER = re.compile(r"(?<!\S)year:(-?\d{1,4})(?:\s*\.\.\s*(-?\d{1,4}))?(?!\S)", re.I)
_PERSON_FILTER = re.compile(r'(?<!\S)person:(?:"([^"]*)"?|(\S+))', re.I)
_EMPTY_FIELD = re.compile(r"(?<!\S)(\w+):(?=\s|$)")
_PERIOD_CANDIDATE = re.compile(
    r"(?<![\w:])(?:"
    r"(?:the\s+)?(?:early\s+|late\s+|mid-?\s*)?\d{1,2}(?:st|nd|rd|th)\s+century(?:\s+(?:BC|BCE|AD|CE))?"
    r"|(?:AD|CE)\s+\d{1,4}"
    r"|\d{1,4}\s+(?:BC|BCE|AD|CE)"
    r"|(?:the\s+)?\d{3}0'?s"
    r"|\d{3,4}\s*[-–]\s*\d{2,4}(?:\s+(?:BC|BCE))?"
    r")(?![\w])",
    re.I,
)
_INNER_HYPHEN = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_LONE_OPERATOR = re.compile(r"^(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\s+|\s+(?:AND|OR|NOT)$")
# The parser's operator words (case-sensitive). It reads them as operators only beside
# spaces, but any of them sends a query to the parser and is left out of its plain words.
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})


@dataclass
class ParsedQuery:
    """A reader's query, understood."""

    raw: str
    text: str  # what was left for the word search
    main: wq.Query | None  # None when only filters remain
    filters: list[wq.Query] = field(default_factory=list)
    boosts: list[wq.Query] = field(default_factory=list)
    year_range: tuple[int, int] | None = None
    periods: list[Period] = field(default_factory=list)
    # The spans of year filters (year:..., a century or decade chosen on a results page):
    # what ranks the pages when the query has no words and no period words.
    filter_periods: list[Period] = field(default_factory=list)
    person: str | None = None
    messages: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words, for phrases and spelling
    all_words: bool = True  # False in the any-word fallback
    schema: object = None
    cleaned: str = ""  # the query after clean_query, before any piece was taken out
    sources: dict[str, str] = field(default_factory=dict)  # piece kind -> text as typed

    @property
    def is_plain(self) -> bool:
        """Only words: no quotes, operators, fields or wildcards."""
        return bool(self.text) and " ".join(self.words) == self.text

    def words_query(self, words: list[str], all_words: bool | None = None) -> wq.Query | None:
        """The word search for some of the query's words, as the parser builds it."""
        use_all = self.all_words if all_words is None else all_words
        return _parse_words(" ".join(words), self.schema, use_all, [])

    def without(self, source: str) -> str:
        """The query as typed minus one of its pieces: the link that removes that piece."""
        return " ".join(self.cleaned.replace(source, " ", 1).split())

    def interpretation(self) -> list[dict]:
        """'How we read your query', for the UI: one item per piece, each with the query
        that drops it (`without`)."""
        out = []
        if self.text:
            stems = []
            if self.schema is not None and self.is_plain:
                stems = [t.text for t in self.schema["text"].analyzer(self.text)]
            out.append({"kind": "words", "value": self.text, "stems": stems,
                        "without": self.without(self.text)})
        if self.year_range:
            out.append({"kind": "years", "value": list(self.year_range),
                        "without": self.without(self.sources["years"])})
        for p in self.periods:
            out.append({"kind": "period", "value": p.source, "from": p.start, "to": p.end,
                        "without": self.without(p.source)})
        if self.person:
            out.append({"kind": "person", "value": self.person,
                        "without": self.without(self.sources.get("person", ""))})
        return out


def clean_query(raw: str) -> tuple[str, list[str]]:
    """Control characters out, whitespace collapsed, length and word count bounded."""
    messages = []
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        messages.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
    words = text.split(" ")
    if len(words) > MAX_QUERY_WORDS:
        text = " ".join(words[:MAX_QUERY_WORDS])
        messages.append(f"The query was cut to its first {MAX_QUERY_WORDS} words.")
    return text, messages


def _balance(text: str, messages: list[str]) -> str:
    """Repair what would make Whoosh's parser misread the query."""
    if text.count('"') % 2:
        text = text.replace('"', "")
        messages.append("An unmatched quote was ignored.")
    depth = 0
    out = []
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(c)
    text = "".join(out) + ")" * depth
    if _EMPTY_FIELD.search(text):
        text = _EMPTY_FIELD.sub(" ", text)
        messages.append("A field name with nothing after it was ignored.")
    stripped = _LONE_OPERATOR.sub(" ", f"{text}").strip()
    if stripped != text.strip():
        messages.append("A lone AND/OR/NOT was ignored.")
    return " ".join(stripped.split())


def make_parser(schema, group=None) -> QueryParser:
    parser = QueryParser("text", schema, group=group or OrGroup.factory(0.0))
    parser.add_plugin(MultifieldPlugin(list(FIELD_BOOSTS), fieldboosts=FIELD_BOOSTS))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(PlusMinusPlugin())
    return parser


# Building a parser costs more than parsing a short query; parsers keep no state between
# parses, so one per (schema, all-words?) serves every thread.
_parsers: dict[tuple[int, bool], tuple[object, QueryParser]] = {}


def _parser_for(schema, all_words: bool) -> QueryParser:
    from whoosh.qparser import AndGroup

    key = (id(schema), all_words)
    cached = _parsers.get(key)
    if cached is None or cached[0] is not schema:
        parser = make_parser(schema, AndGroup if all_words else OrGroup.factory(0.9))
        if len(_parsers) > 16:
            _parsers.clear()
        _parsers[key] = cached = (schema, parser)
    return cached[1]


def _plain_words(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+(?:['’.][^\W_]+)*", text)
    # All of the parser's operator words: the words are parsed again when the query is not
    # valid syntax, and "war ANDNOT ANDNOT peace" left in failed that parse too.
    return [w for w in words if w not in _OPERATOR_WORDS]


def parse_query(raw: str, schema, all_words: bool = True) -> ParsedQuery:
    """Understand `raw`; `all_words=False` is the graceful any-word fallback."""
    text, messages = clean_query(raw)
    pq = ParsedQuery(raw=raw, text="", main=None, messages=messages, all_words=all_words,
                     schema=schema, cleaned=text)

    def take_years(m: re.Match) -> str:
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) is not None else lo
        if lo == 0 or hi == 0:
            pq.messages.append("There is no year 0: 1 BC (-1) is followed by AD 1 (1).")
            lo, hi = lo or 1, hi or 1
        lo, hi = min(lo, hi), max(lo, hi)
        pq.year_range = (lo, hi)
        pq.sources["years"] = m.group(0)
        return " "

    text = _YEAR_FILTER.sub(take_years, text)

    def take_person(m: re.Match) -> str:
        name = (m.group(1) or m.group(2) or "").strip()
        if name:
            pq.person = name
            pq.sources["person"] = m.group(0)
        else:
            pq.messages.append("person: needs a name after it.")
        return " "

    text = _PERSON_FILTER.sub(take_person, text)
    if re.search(r"(?<!\S)year:", text, re.I):
        text = re.sub(r"(?<!\S)year:\S*", " ", text, flags=re.I)
        pq.messages.append("year: takes a year or a range such as year:1914..1918 or "
                           "year:-60..-40 (BC years negative).")

    def take_period(m: re.Match) -> str:
        period = parse_period_expression(m.group(0))
        if period is None:
            return m.group(0)
        pq.periods.append(period)
        return " "

    text = _PERIOD_CANDIDATE.sub(take_period, text)
    # "Tse-tung", "Jean-Jacques": a hyphen inside a word joins, it does not exclude.
    text = _INNER_HYPHEN.sub(" ", text)
    text = _balance(" ".join(text.split()), pq.messages)
    pq.text = text
    pq.words = _plain_words(text)

    if pq.year_range:
        pq.filters.append(wq.NumericRange("years", *pq.year_range))
        pq.filter_periods.append(year_span(*pq.year_range))
    if pq.person:
        pq.filters.append(person_filter(pq.person))
    for period in pq.periods:
        span = wq.NumericRange("years", period.start, period.end)
        pq.boosts.append(wq.ConstantScoreQuery(span, score=PERIOD_BOOST))
    if not text and pq.periods and not pq.year_range:
        # A period alone: filter to it (any of them).
        pq.filters.append(wq.Or([wq.NumericRange("years", p.start, p.end) for p in pq.periods]))
    if text:
        pq.main = _parse_words(text, schema, all_words, pq.messages)
    return pq


# A query of plain words, each a token no tagger of the parser matches inside: letters and
# digits joined by apostrophes or dots, perhaps a closing apostrophe (Years'). Such a query
# parses to one word node per token, which `_words_query` builds without the parser.
_PLAIN_TOKEN = r"[^\W_]+(?:['’.][^\W_]+)*['’]?"
_PLAIN_TEXT = re.compile(rf"{_PLAIN_TOKEN}(?: {_PLAIN_TOKEN})*")
_WORD_CACHE_MAX = 20_000


class _FieldPlan:
    """How the parser turns one word into a query per searched field, for one schema.

    Fields that share an analyzer (all of Clio's) analyse a word once; analyzers are
    deterministic, so a word's tokens are remembered (strings only: queries are built anew
    on every call, so no caller can alter another's)."""

    def __init__(self, schema):
        self.schema = schema
        self.fields: list[tuple[str, float, int]] = []  # name, boost, analysis slot
        self.analysers: list[object] = []  # slot -> a field that analyses for it
        slots: dict[tuple, int] = {}
        for name in FIELD_BOOSTS:
            fld = schema[name]
            # Fields of the same class and analyzer tokenize a word the same way.
            key = (type(fld), id(fld.analyzer))
            if key not in slots:
                slots[key] = len(self.analysers)
                self.analysers.append(fld)
            self.fields.append((name, FIELD_BOOSTS[name], slots[key]))
        self.tokens: dict[str, list[tuple[str, ...]]] = {}

    @staticmethod
    def usable(schema) -> bool:
        # Fields missing from the schema or parsing their own queries take other branches of
        # QueryParser.term_query than the one rebuilt here.
        return all(name in schema and not schema[name].self_parsing()
                   and schema[name].analyzer is not None and schema[name].format
                   for name in FIELD_BOOSTS)

    def analyse(self, word: str) -> list[tuple[str, ...]]:
        """The tokens of `word` per analysis slot, exactly as the parser gets them."""
        got = self.tokens.get(word)
        if got is None:
            got = [tuple(fld.process_text(word, mode="query", tokenize=True, removestops=True))
                   for fld in self.analysers]
            if len(self.tokens) >= _WORD_CACHE_MAX:
                self.tokens.clear()
            self.tokens[word] = got
        return got


_plans: dict[int, _FieldPlan | None] = {}


def _plan_for(schema) -> _FieldPlan | None:
    plan = _plans.get(id(schema), False)
    if plan is False or (plan is not None and plan.schema is not schema):
        plan = _FieldPlan(schema) if _FieldPlan.usable(schema) else None
        if len(_plans) > 16:
            _plans.clear()
        _plans[id(schema)] = plan
    return plan


def _joined(cls: type, subs: list[wq.Query], **kwargs) -> wq.Query | None:
    """`cls(subs, **kwargs).normalize()` for already normalized Terms, Ands and Ors of
    boost 1 (what `_words_query` builds): nested `cls` merged, duplicates dropped, a lone
    subquery unwrapped, nothing left -> None. Whoosh's normalize also copies each merged or
    unwrapped subquery with its boost times 1, a deep copy equal to the original: most of
    its cost, and skipped here."""
    flat: list[wq.Query] = []
    for sub in subs:
        if isinstance(sub, cls):
            flat.extend(sub.subqueries)
        else:
            flat.append(sub)
    seen: set[wq.Query] = set()
    out = []
    for sub in flat:
        if sub not in seen:
            seen.add(sub)
            out.append(sub)
    if not out:
        return None
    if len(out) == 1:
        return out[0]
    return cls(out, **kwargs)


class _NotPlain:
    """What `_words_query` returns for text that only the parser can read."""


_NOT_PLAIN = _NotPlain()


def _words_query(text: str, schema, all_words: bool) -> wq.Query | None | _NotPlain:
    """The parser's query for `text` built directly, or _NOT_PLAIN when `text` is not plain
    words (or the schema is not one this mirrors).

    Mirrors QueryParser with `make_parser`'s plugins: each word is an Or over FIELD_BOOSTS of
    Term(field, token, boost) (a word of several tokens gives the group's class over them,
    a stop word nothing); the words are joined by And (all words) or Or; then the tree is
    normalized. Equal (==, repr, attributes) to the parser's result."""
    if not _PLAIN_TEXT.fullmatch(text):
        return _NOT_PLAIN
    words = text.split(" ")
    if not _OPERATOR_WORDS.isdisjoint(words):
        return _NOT_PLAIN
    plan = _plan_for(schema)
    if plan is None:
        return _NOT_PLAIN
    multi = wq.And if all_words else wq.Or
    word_qs = []
    start = 0
    for word in words:
        end = start + len(word)
        tokens = plan.analyse(word)
        subs: list[wq.Query] = []
        for name, boost, slot in plan.fields:
            texts = tokens[slot]
            if len(texts) == 1:
                sub = wq.Term(name, texts[0], boost=boost)
                # The parser records where in the query each word's term came from (a
                # word of several tokens keeps it on the group, which normalizing drops).
                sub.startchar, sub.endchar = start, end
                subs.append(sub)
            elif texts:
                sub = _joined(multi, [wq.Term(name, t, boost=boost) for t in texts])
                if sub is not None:
                    subs.append(sub)
        word_q = _joined(wq.Or, subs)
        if word_q is not None:
            word_qs.append(word_q)
        start = end + 1
    # No scale on the Or: PlusMinusPlugin rebuilds the parser's top group as a plain
    # OrGroup, so the parser's query never had OrGroup.factory(0.9)'s scale either.
    return _joined(wq.And if all_words else wq.Or, word_qs)


def _parse_words(text: str, schema, all_words: bool, messages: list[str]) -> wq.Query | None:
    fast = _words_query(text, schema, all_words)
    if not isinstance(fast, _NotPlain):
        return fast
    parser = _parser_for(schema, all_words)
    try:
        q = parser.parse(text)
    except Exception:  # Whoosh's parser has many internal failure modes; never show them
        messages.append("Parts of the query could not be read as query syntax; "
                        "searched for its words instead.")
        q = parser.parse(" ".join(_plain_words(text)))
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return None
    return q


def year_span(start: int, end: int) -> Period:
    """The years start..end (BCE negative; a year 0 given is read as 1) as a Period."""
    start, end = start or 1, end or 1
    return Period(min(start, end), max(start, end), "range", f"{start}..{end}")


# A period alone is ranked by how much pages say of its years; longer periods (a millennium)
# would make a query of thousands of words, and stay unranked.
MAX_PERIOD_WORDS_YEARS = 200


def period_words_query(periods: list[Period]) -> wq.Query | None:
    """The years of `periods` as words of the text ("1861", "1860s"; "44" of 44 BC), any of
    them: for ranking the pages of a period-only query by how often, for their length, they
    name its years. None when a period is too long to spell out."""
    words: list[str] = []
    for period in periods:
        if period.end - period.start >= MAX_PERIOD_WORDS_YEARS:
            return None
        years = [y for y in range(period.start, period.end + 1) if y]
        words += [str(abs(y)) for y in years]
        words += [f"{y}s" for y in years if y > 0 and y % 10 == 0]
    terms = sorted({t for word in words for t in terms_of(word)})
    return wq.Or([wq.Term("text", t) for t in terms]) if terms else None


def person_filter(name: str) -> wq.Query:
    """Pages that name this person in any spelling (nothing, for a name with no keys)."""
    keys = names.query_name_keys(name)
    return wq.Or([wq.Term("person_keys", k) for k in sorted(keys)]) if keys else wq.NullQuery


def person_candidates(words: list[str]) -> list[str]:
    """Runs of 1 to 3 query words that could be a person's name, longest first."""
    out = []
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            out.append(" ".join(words[i:i + n]))
    return out
