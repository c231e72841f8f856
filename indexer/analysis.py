"""How text becomes index terms: one analyzer for every text field, so queries match pages."""

from __future__ import annotations

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

# Tokens longer than this are not words (base64 blobs, URLs glued together); they would bloat
# the term dictionary and are never typed by a reader.
MAX_TOKEN_CHARS = 40


def text_analyzer() -> Analyzer:
    """English stemming with accent folding, so "Durer" finds "Dürer" and "wars" finds "war".

    Folding comes before stemming so that both spellings reach the stemmer as the same word.
    """
    return (
        RegexTokenizer(r"\w+(?:[.'’]\w+)*")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(minsize=1, maxsize=MAX_TOKEN_CHARS)
        | StemFilter(lang="en", cachesize=200_000)
    )
