"""How text becomes index terms: one analyzer for every text field, so queries match pages.

Whoosh's analyzers run a chain of generators per token, which made analysis most of the cost of
indexing. `index_terms` computes exactly the same terms, positions and character offsets in one
loop; Whoosh's chain (`text_analyzer`) stays in use for queries and highlighting, and a test
checks that both agree on real pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

TOKEN_PATTERN = re.compile(r"\w+(?:[.'’]\w+)*")
# Tokens longer than this are not words (base64 blobs, URLs glued together); they would bloat
# the term dictionary and are never typed by a reader.
MAX_TOKEN_CHARS = 40
MIN_TOKEN_CHARS = 1
# Whoosh's short list plus the English function words readers put in questions ("who
# sailed around the world first", "what did ... do"): they carry no topic, and requiring
# them made natural queries fall back to any-word matching, where long pages win.
EXTRA_STOPS = """
about above after again against all am any because been before being below between both
but could did do does doing down during each few further had has having he her here hers
herself him himself his how i into its itself just me more most my myself no nor off once
only other ought our ours ourselves out over own same she should so some such than their
theirs them themselves then there these they those through too under until up very was
were what where which while who whom why would yours yourself yourselves
""".split()
STOPS = frozenset(STOP_WORDS) | frozenset(EXTRA_STOPS)
STEM_LANG = "en"


def text_analyzer() -> Analyzer:
    """English stemming with accent folding, so "Durer" finds "Dürer" and "wars" finds "war".

    Folding comes before stemming so that both spellings reach the stemmer as the same word.
    """
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOPS, minsize=MIN_TOKEN_CHARS, maxsize=MAX_TOKEN_CHARS)
        | StemFilter(lang=STEM_LANG, cachesize=-1)
    )


def fold(text: str) -> str:
    """Lower case without accents: the spelling-neutral form of words for exact matching."""
    text = text.lower()
    words = TOKEN_PATTERN.findall(text if text.isascii() else text.translate(accent_map))
    return " ".join(words)


_stem = stemmer_for_language(STEM_LANG)
# token text as written -> its term (None for stop words); words repeat, stemming is slow.
_term_cache: dict[str, str | None] = {}
_TERM_CACHE_MAX = 1_000_000


def _term(word: str) -> str | None:
    """The index term for one token's text, or None for a stop word or a non-word."""
    folded = word.lower()
    if not folded.isascii():
        folded = folded.translate(accent_map)
    if not MIN_TOKEN_CHARS <= len(folded) <= MAX_TOKEN_CHARS or folded in STOPS:
        return None
    return _stem(folded)


def index_terms(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """term -> [(position, startchar, endchar), ...] as `text_analyzer` would produce them.

    Positions follow Whoosh's StopFilter(renumber=True): the first kept token keeps its
    tokenizer position, later kept tokens count on from it without the stopped ones.
    """
    cache = _term_cache
    if len(cache) > _TERM_CACHE_MAX:
        cache.clear()
    postings: dict[str, list[tuple[int, int, int]]] = {}
    pos = None
    missing = _term  # a sentinel no term can equal
    for raw_pos, match in enumerate(TOKEN_PATTERN.finditer(text)):
        word = match.group()
        term = cache.get(word, missing)
        if term is missing:
            term = cache[word] = _term(word)
        if term is None:
            continue
        pos = raw_pos if pos is None else pos + 1
        entry = (pos, match.start(), match.end())
        found = postings.get(term)
        if found is None:
            postings[term] = [entry]
        else:
            found.append(entry)
    return postings


def terms_of(text: str) -> list[str]:
    """The index terms of `text` in order, as `text_analyzer` gives them (stop words out)."""
    cache = _term_cache
    out = []
    for match in TOKEN_PATTERN.finditer(text):
        word = match.group()
        term = cache.get(word, _term)
        if term is _term:
            term = cache[word] = _term(word)
        if term is not None:
            out.append(term)
    return out


def word_values(text: str, fmt, with_chars: bool) -> Iterator[tuple[bytes, int, float, bytes]]:
    """What Whoosh's `TEXT.index(text)` yields for a Positions or Characters format `fmt`."""
    boost = fmt.field_boost
    encode = fmt.encode
    for term, entries in index_terms(text).items():
        value = encode(entries) if with_chars else encode([e[0] for e in entries])
        yield term.encode("utf-8"), len(entries), len(entries) * boost, value
