"""Snippets worth reading: whole sentences around the matched words, safely marked up.

Works from character offsets stored in the index, so a 1 MB page is never re-analysed: only
the few hundred characters around each match are looked at. `snippet` runs for every hit of
every search, so it also stops building candidate sentences as soon as its choice is settled
(see `_choose_early`); `make_fragments` is the plain version of the same choice.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from dataclasses import dataclass
from html import escape
from operator import itemgetter
from typing import Any

MAX_CHARS = 300
MAX_FRAGMENTS = 3
# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by a space and
# an upper-case letter or a digit, or at a line break (block boundary in the extracted text).
# `_fast_bounds` relies on this shape (no . ! ? inside a boundary): change both together.
_SENTENCE_END = re.compile(r"""[.!?][)"'’”\]]*\s+(?=[A-Z0-9“"'‘(])|\n""")
# The same matches as _SENTENCE_END, led by a plain character class so that the regex engine
# skips ahead to candidates instead of trying both alternatives at every character.
_BOUNDARY_SCAN = re.compile(r"""[.!?\n](?:(?<=[.!?])[)"'’”\]]*\s+(?=[A-Z0-9“"'‘(])|(?<=\n))""")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Dr|St|Sr|Jr|Mt|vs|c|ca|cf|etc|No|pp?)\.)$")
LOOKAROUND = 400
MAX_CANDIDATE_SENTENCES = 40  # how far to look for a sentence boundary before giving up and cutting
# `_most_terms_from` counts terms window by window for this many matches only: enough for the
# sentences a snippet needs, and cheap on a page with thousands of matches of a common word.
WINDOWED_MATCHES = 64


@dataclass(frozen=True)
class Fragment:
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]  # matched (start, end) offsets inside [start, end)
    terms: frozenset[str]

    @property
    def score(self) -> tuple[int, int]:
        return (len(self.terms), len(self.spans))


def sentence_bounds(text: str, at: int) -> tuple[int, int]:
    """The sentence of `text` that contains offset `at` (searched only within LOOKAROUND)."""
    lo = max(0, at - LOOKAROUND)
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, at):
        if not _ABBREVIATION.search(text, max(0, m.start() - 4), m.start() + 1):
            start = m.end()
    if start == lo and lo > 0:
        start = _word_start(text, lo)
    hi = min(len(text), at + LOOKAROUND)
    end = hi
    for m in _SENTENCE_END.finditer(text, at, hi):
        if not _ABBREVIATION.search(text, max(0, m.start() - 4), m.start() + 1):
            end = m.start() + 1 if text[m.start()] != "\n" else m.start()
            break
    return start, end


def _fast_bounds(text: str, at: int, abbreviations: dict[int, bool]) -> tuple[int, int]:
    """Same as `sentence_bounds(text, at)`, without running the regex over 400 characters
    before `at` just to keep the last boundary.

    A boundary is `[.!?] closers* spaces+ (?=upper)` or a newline, and its inside holds no
    `.!?`. So a regex scan of a window tries every `.!?` in it whatever came before, and
    finds a newline unless a boundary tried at the nearest `.!?` before it spans it. That is
    enough to walk back from `at` over the candidates (found with str.rfind) and test each
    with an anchored match on the same window. `abbreviations` caches the abbreviation test
    by offset, for one text.
    """
    if not 0 <= at <= len(text):
        return sentence_bounds(text, at)
    lo = max(0, at - LOOKAROUND)
    return (_start_before(text, lo, at, abbreviations),
            _end_after(text, at, min(len(text), at + LOOKAROUND), abbreviations))


def _is_abbreviation(text: str, i: int, abbreviations: dict[int, bool]) -> bool:
    known = abbreviations.get(i)
    if known is None:
        known = abbreviations[i] = _ABBREVIATION.search(text, max(0, i - 4), i + 1) is not None
    return known


def _start_before(text: str, lo: int, at: int, abbreviations: dict[int, bool]) -> int:
    """The end of the last non-abbreviation boundary in a scan of [lo, at), else `lo` moved
    on to the next space."""
    rfind = text.rfind
    dot, bang, ask, newline = (rfind(".", lo, at), rfind("!", lo, at), rfind("?", lo, at),
                               rfind("\n", lo, at))
    while True:
        p = max(dot, bang, ask, newline)
        if p < 0:
            return _word_start(text, lo) if lo > 0 else lo
        if p == newline:
            q = max(dot, bang, ask)  # the nearest .!? before it: a boundary there may span it
            m = _SENTENCE_END.match(text, q, at) if q >= 0 else None
            if (m is None or m.end() <= p) and not _is_abbreviation(text, p, abbreviations):
                return p + 1
            newline = rfind("\n", lo, p)
            continue
        m = _SENTENCE_END.match(text, p, at)
        if m is not None and not _is_abbreviation(text, p, abbreviations):
            return m.end()
        if p == dot:
            dot = rfind(".", lo, p)
        elif p == bang:
            bang = rfind("!", lo, p)
        else:
            ask = rfind("?", lo, p)


def _end_after(text: str, at: int, hi: int, abbreviations: dict[int, bool]) -> int:
    """Where the first non-abbreviation boundary in a scan of [at, hi) ends the sentence,
    else `hi` (the scan is short: it stops at the first sentence end)."""
    for m in _BOUNDARY_SCAN.finditer(text, at, hi):
        p = m.start()
        if not _is_abbreviation(text, p, abbreviations):
            return p + 1 if text[p] != "\n" else p
    return hi


def _word_start(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def _fit(text: str, start: int, end: int, spans, budget: int) -> tuple[int, int]:
    """Narrow [start, end) to at most `budget` characters around the first match, on words."""
    if end - start <= budget:
        return start, end
    first = spans[0][0]
    lo = max(start, first - budget // 3)
    hi = min(end, lo + budget)
    lo = max(start, hi - budget)
    if lo > start:
        space = text.find(" ", lo, first)
        lo = space + 1 if space != -1 else lo
    if hi < end:
        space = text.rfind(" ", max(spans[0][1], lo), hi)
        hi = space if space != -1 else hi
    return lo, hi


def _fragment(text: str, bounds: tuple[int, int], found: list[tuple[int, int, str]],
              max_chars: int) -> Fragment:
    lo, hi = _fit(text, bounds[0], bounds[1], found, max_chars)
    inside = [(a, b, t) for a, b, t in found if a >= lo and b <= hi]
    return Fragment(lo, hi, tuple((a, b) for a, b, _ in inside),
                    frozenset(t for _, _, t in inside))


def _rank(fragment: Fragment) -> tuple[int, int]:
    # More distinct query words first; among equals the earlier sentence (leads say most).
    return (-fragment.score[0], fragment.start)


def make_fragments(text: str, matches: list[tuple[int, int, str]],
                   max_chars: int = MAX_CHARS) -> list[Fragment]:
    """Sentence fragments for matches (start, end, term), best first."""
    abbreviations: dict[int, bool] = {}
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    current: tuple[int, int] | None = None
    for start, end, term in sorted(matches):
        if current is None or start >= current[1]:
            if len(by_sentence) >= MAX_CANDIDATE_SENTENCES:
                break  # a long page: the best of its first matching sentences will do
            current = _fast_bounds(text, start, abbreviations)
        by_sentence.setdefault(current, []).append((start, end, term))
    fragments = [_fragment(text, bounds, found, max_chars)
                 for bounds, found in by_sentence.items()]
    fragments.sort(key=_rank)
    return fragments


# A sentence's fragment before it is built: ((-distinct terms, start), sentence number, end,
# the sentence's matches, the distinct terms inside the fragment). As a heap entry it ranks
# like `_rank`, ties in sentence order.
_Candidate = tuple[tuple[int, int], int, int, list[tuple[int, int, str]], set[str]]


class _Picker:
    """The greedy choice of fragments, offered one at a time in `_rank` order."""

    def __init__(self, max_chars: int, max_fragments: int) -> None:
        self.max_chars = max_chars
        self.max_fragments = max_fragments
        self.chosen: list[tuple[int, int, Any]] = []  # (start, end, fragment or candidate)
        self.used = 0

    def offer(self, start: int, end: int, item: Any) -> bool:
        """Consider the fragment [start, end); True once the choice is complete."""
        chosen = self.chosen
        length = end - start
        if chosen and (self.used + length > self.max_chars
                       or len(chosen) >= self.max_fragments):
            return False
        if any(start < c_end and c_start < end for c_start, c_end, _ in chosen):
            return False
        chosen.append((start, end, item))
        self.used += length
        return self.used >= self.max_chars * 0.8 or len(chosen) >= self.max_fragments


def _most_terms_from(ordered: list[tuple[int, int, str]], max_chars: int) -> list[int] | None:
    """For each i up to WINDOWED_MATCHES, then one for all the rest: at least as many distinct
    terms as a fragment of matches i, i+1, ... can hold. None if a match ends before it
    starts, as a fragment could then count one from further away than this reckons with.

    A fragment is at most `max_chars` long, so its matches start within `max_chars` of its
    first one: count the distinct terms in each such window, then take suffix maxima. Past
    the first WINDOWED_MATCHES matches, the distinct terms of all the rest are bound enough
    (and cheap to count on a page with thousands of matches).
    """
    terms = list(map(itemgetter(2), ordered))
    if len(set(terms)) == 1:
        return [1]
    cut = max(1, min(len(ordered), WINDOWED_MATCHES))
    most = [0] * cut + [len(set(terms[cut:]))]
    # A match ending before it starts counts in a fragment as far as the sentence reaches.
    reach = ordered[cut - 1][0] + max(max_chars, LOOKAROUND)
    if any(b < a for a, b, _ in ordered[:bisect_right(ordered, reach, key=itemgetter(0))]):
        return None
    counts: dict[str, int] = {}
    hi = 0
    n = len(ordered)
    for j in range(cut):
        window_end = ordered[j][0] + max_chars
        while hi < n and (hi <= j or ordered[hi][0] <= window_end):
            term = terms[hi]
            counts[term] = counts.get(term, 0) + 1
            hi += 1
        most[j] = len(counts)
        term = terms[j]  # leaves the window before the next one
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    for j in range(cut - 1, -1, -1):
        if most[j + 1] > most[j]:
            most[j] = most[j + 1]
    return most


def _choose_early(text: str, matches: list[tuple[int, int, str]], max_chars: int,
                  picker: _Picker) -> bool:
    """Feed `picker` the fragments `make_fragments` would, in the same order, but stop
    building sentences once the choice can no longer change (for a common word after a few
    sentences instead of 40). False, with nothing chosen, when that cannot be told safely.

    A sentence not yet built, from match i on, starts at or after match i's offset minus
    LOOKAROUND and holds no more distinct terms than `_most_terms_from` allows from i on, so a
    fragment ranked at or before that is final and can be offered (a later sentence ranked
    the same comes after it, as the ranking sort is stable).
    """
    ordered = sorted(matches)
    most_terms: list[int] | None = None  # worked out only once a second sentence is needed
    abbreviations: dict[int, bool] = {}
    waiting: list[_Candidate] = []  # a heap, best ranked first
    built = 0
    current: tuple[int, int] | None = None
    found: list[tuple[int, int, str]] = []
    for i, match in enumerate(ordered):
        start = match[0]
        if current is None or start >= current[1]:
            if built >= MAX_CANDIDATE_SENTENCES:
                break
            following = _fast_bounds(text, start, abbreviations)
            if following[1] <= start:
                # The sentence ends where it starts (a match on a line break or past the end):
                # its matches could then join an earlier sentence, so none can be offered.
                picker.chosen.clear()
                picker.used = 0
                return False
            if current is not None:
                if most_terms is None:
                    most_terms = _most_terms_from(ordered, max_chars)
                    if most_terms is None:
                        return False
                heapq.heappush(waiting, _candidate(text, current, found, max_chars, built))
                bound = (-most_terms[min(i, len(most_terms) - 1)], start - LOOKAROUND)
                while waiting and waiting[0][0] <= bound:
                    if _offer(picker, heapq.heappop(waiting)):
                        return True
            current = following
            built += 1
            found = []
        found.append(match)
    if current is not None:
        heapq.heappush(waiting, _candidate(text, current, found, max_chars, built))
    while waiting:
        if _offer(picker, heapq.heappop(waiting)):
            break
    return True


def _candidate(text: str, bounds: tuple[int, int], found: list[tuple[int, int, str]],
               max_chars: int, number: int) -> _Candidate:
    """A sentence's fragment as a heap entry, without building the Fragment yet."""
    lo, hi = _fit(text, bounds[0], bounds[1], found, max_chars)
    terms = {t for a, b, t in found if a >= lo and b <= hi}
    return ((-len(terms), lo), number, hi, found, terms)


def _offer(picker: _Picker, candidate: _Candidate) -> bool:
    return picker.offer(candidate[0][1], candidate[2], candidate)


def _built(candidate: _Candidate) -> Fragment:
    (_, lo), _, hi, found, terms = candidate
    return Fragment(lo, hi, tuple((a, b) for a, b, _ in found if a >= lo and b <= hi),
                    frozenset(terms))


def snippet(text: str, matches: list[tuple[int, int, str]], max_chars: int = MAX_CHARS,
            max_fragments: int = MAX_FRAGMENTS) -> str:
    """Up to `max_fragments` sentence fragments (in page order) within about `max_chars`.

    Falls back to the lead sentence when nothing in the text matched (a title-only hit).
    """
    if not matches:
        return lead(text, max_chars)
    picker = _Picker(max_chars, max_fragments)
    if _choose_early(text, matches, max_chars, picker):
        chosen = [_built(item) for _, _, item in picker.chosen]
    else:
        for frag in make_fragments(text, matches, max_chars):
            if picker.offer(frag.start, frag.end, frag):
                break
        chosen = [frag for _, _, frag in picker.chosen]
    chosen.sort(key=lambda f: f.start)
    return " ".join(render_fragment(text, f) for f in chosen)


def render_fragment(text: str, fragment: Fragment) -> str:
    """Escaped fragment text with <mark> around matches; '…' where a sentence was cut."""
    out = []
    if fragment.start > 0 and not _at_sentence_start(text, fragment.start):
        out.append("…")
    pos = fragment.start
    for a, b in fragment.spans:
        if a < pos:
            continue
        out.append(escape(text[pos:a], quote=False))
        out.append(f"<mark>{escape(text[a:b], quote=False)}</mark>")
        pos = b
    out.append(escape(text[pos:fragment.end], quote=False))
    if fragment.end < len(text) and not _at_sentence_end(text, fragment.end):
        out.append("…")
    return "".join(out).strip()


def _at_sentence_start(text: str, i: int) -> bool:
    before = text[max(0, i - 3):i].rstrip(" ")
    return not before or before[-1] in ".!?\n\"”’)"


def _at_sentence_end(text: str, i: int) -> bool:
    return text[i - 1:i] in (".", "!", "?", "\"", "”", "’", ")") or text[i:i + 1] == "\n"


def lead(text: str, max_chars: int = MAX_CHARS) -> str:
    """The opening sentences of the text, escaped, cut on a word if they run long."""
    text = text.lstrip()
    if not text:
        return ""
    end = 0
    while end < len(text) and end < max_chars:
        _, sentence_end = sentence_bounds(text, end)
        if sentence_end <= end:
            break
        if sentence_end > max_chars and end > 0:
            break
        end = sentence_end
        while end < len(text) and text[end].isspace():
            end += 1
    if end > max_chars or end == 0:
        cut = text.rfind(" ", 0, max_chars)
        end = cut if cut > 0 else max_chars
        return escape(text[:end].rstrip(), quote=False) + "…"
    return escape(text[:end].rstrip(), quote=False)
