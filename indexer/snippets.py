"""Snippets worth reading: whole sentences around the matched words, safely marked up.

Works from character offsets stored in the index, so a 1 MB page is never re-analysed: only
the few hundred characters around each match are looked at. `snippet` runs for every hit of
every search, so it also stops building candidate sentences as soon as its choice is settled
(see `_choose_early`); `make_fragments` is the plain version of the same choice.

Sentence boundaries are found once, when a page is indexed (`pack_boundaries`), and stored
with it: `stored_snippet` looks sentences up in them instead of scanning the text around
every match, and decodes only the few pieces of the page's UTF-8 text it shows
(`StoredPage`). `snippet` scans the text itself: for indexes without stored boundaries, and
as the reference the stored ones are held to.
"""

from __future__ import annotations

import heapq
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from operator import itemgetter, lt
from typing import Any, Protocol

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


def _is_abbreviation(text: str, i: int, abbreviations: dict[int, bool], base: int = 0) -> bool:
    """Whether the boundary at offset `i` is an abbreviation's, remembered by offset. `text`
    holds the characters from offset `base` on (all of the text, or a piece of it)."""
    known = abbreviations.get(i)
    if known is None:
        known = abbreviations[i] = _ABBREVIATION.search(
            text, max(0, i - 4) - base, i + 1 - base) is not None
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


# -- sentence boundaries stored at index time -----------------------------------------------
# What a page stores, little-endian int32s: [text length in characters, n, the n boundaries'
# starts, their n ends, checkpoints]. The boundaries are every match of _SENTENCE_END in a
# scan of the whole text, an end negated when the boundary is an abbreviation's. The
# checkpoints are the byte offsets in the UTF-8 text of characters 0, CHECKPOINT_CHARS,
# 2 * CHECKPOINT_CHARS, ... and the text's end (none when the text is ASCII: characters are
# bytes), so that a piece of a long page is decoded without the text before it.
# `StoredPage.sentence` replays on the boundaries exactly what `sentence_bounds`' regex scan
# of a LOOKAROUND window finds, window edges included.

_INT32 = "i"
assert array(_INT32).itemsize == 4
CHECKPOINT_CHARS = 256


def _may_be_abbreviation(text: str, p: int) -> bool:
    # _ABBREVIATION ends in `\.$`, and `$` also matches before a final line break.
    return text[p] == "." or (text[p] == "\n" and text[p - 1:p] == ".")


def boundary_table(text: str) -> tuple[array, array]:
    """(starts, ends) of every boundary in `text`, as a scan of the whole text finds them;
    an end is negated when the boundary is an abbreviation's dot (or follows one)."""
    starts, ends = array(_INT32), array(_INT32)
    search = _ABBREVIATION.search
    for m in _BOUNDARY_SCAN.finditer(text):
        p, e = m.span()
        starts.append(p)
        abbreviation = (_may_be_abbreviation(text, p)
                        and search(text, max(0, p - 4), p + 1) is not None)
        ends.append(-e if abbreviation else e)
    return starts, ends


def _checkpoints(text: str) -> array:
    """Byte offsets in the UTF-8 text of every CHECKPOINT_CHARS-th character, and of its end;
    none for ASCII text."""
    offsets = array(_INT32)
    if text.isascii():
        return offsets
    offsets.append(0)
    for i in range(0, len(text), CHECKPOINT_CHARS):
        offsets.append(offsets[-1] + len(text[i:i + CHECKPOINT_CHARS].encode("utf-8")))
    return offsets


def pack_boundaries(text: str) -> bytes:
    """What the index stores of `text` for its snippets (see `StoredPage`)."""
    starts, ends = boundary_table(text)
    table = array(_INT32, [len(text), len(starts)]) + starts + ends + _checkpoints(text)
    if sys.byteorder == "big":
        table.byteswap()
    return table.tobytes()


def _int32s(packed: bytes) -> Sequence[int]:
    """Little-endian int32s as a sequence of ints, without a copy where the machine agrees."""
    if sys.byteorder == "little":
        return memoryview(packed).cast(_INT32)
    table = array(_INT32)
    table.frombytes(packed)
    table.byteswap()
    return table


class Bytes(Protocol):
    """A page's stored UTF-8 text: bytes, or a view of the index that reads only the pieces
    sliced from it."""

    def __len__(self) -> int: ...

    def __getitem__(self, piece: slice) -> bytes: ...


class StoredPage:
    """A page's UTF-8 text and what `pack_boundaries` stored of it, for its snippets.

    `sentence` looks a sentence up with a bisect in the boundaries; only in rarer cases (a
    line break inside a boundary that the window cuts, or no boundary in the window) does it
    read the text, and then only the window's piece of it (`piece`). Fragments are cut and
    rendered from pieces too, so a hit far down a long page does not decode all of it.
    """

    __slots__ = ("raw", "length", "starts", "ends", "checkpoints", "_text", "abbreviations")

    def __init__(self, raw: Bytes, length: int, starts: Sequence[int], ends: Sequence[int],
                 checkpoints: Sequence[int]) -> None:
        self.raw = raw
        self.length = length  # of the text, in characters
        self.starts = starts  # of the boundaries, in order
        self.ends = ends  # negative: an abbreviation's, not a sentence end
        self.checkpoints = checkpoints  # empty: the text is ASCII
        self._text: str | None = None  # all of it, once asked for
        self.abbreviations: dict[int, bool] = {}  # by offset in the text

    @classmethod
    def from_column(cls, raw: Bytes, packed: bytes) -> StoredPage | None:
        """The page from its stored text and `pack_boundaries`; None if they are missing (a
        page indexed before they were stored) or do not belong to this text."""
        if len(packed) < 8 or len(packed) % 4:
            return None
        table = _int32s(packed)
        length, n = table[0], table[1]
        if not 0 <= 2 + 2 * n <= len(table):
            return None
        checkpoints = table[2 + 2 * n:]
        if length == len(raw):
            valid = not checkpoints
        else:
            valid = (len(checkpoints) == -(-length // CHECKPOINT_CHARS) + 1
                     and checkpoints[-1] == len(raw))
        if not valid:
            return None
        return cls(raw, length, table[2:2 + n], table[2 + n:2 + 2 * n], checkpoints)

    @classmethod
    def of_text(cls, text: str) -> StoredPage:
        """The page as the index stores `text`."""
        page = cls.from_column(text.encode("utf-8"), pack_boundaries(text))
        assert page is not None
        return page

    def text(self) -> str:
        """All of the text."""
        if self._text is None:
            self._text = self.raw[:].decode("utf-8")
        return self._text

    def piece(self, lo: int, hi: int) -> tuple[str, int]:
        """(piece, base): the text from offset `base` on, covering [lo, hi) of it (within the
        text); base is `lo` or a little before it."""
        lo = 0 if lo < 0 else self.length if lo > self.length else lo
        hi = lo if hi < lo else self.length if hi > self.length else hi
        if self._text is not None:
            return self._text, 0
        if not self.checkpoints:
            return self.raw[lo:hi].decode("ascii"), lo
        first, last = lo // CHECKPOINT_CHARS, -(-hi // CHECKPOINT_CHARS)
        piece = self.raw[self.checkpoints[first]:self.checkpoints[last]].decode("utf-8")
        return piece, first * CHECKPOINT_CHARS

    def sentence(self, at: int) -> tuple[int, int, int]:
        """`_Sentences.sentence`: the bounds are those of `sentence_bounds(text, at)`."""
        length = self.length
        if not 0 <= at <= length:
            return *sentence_bounds(self.text(), at), at - LOOKAROUND
        starts, ends = self.starts, self.ends
        k = bisect_left(starts, at)  # boundaries before `at`
        lo, hi = at - LOOKAROUND, at + LOOKAROUND
        # Usually a sentence end just before `at`, and one after it, both in the window.
        if k and k < len(starts):
            p, e, q, f = starts[k - 1], ends[k - 1], starts[k], ends[k]
            if (0 < e and p >= lo and (e < at or e - p == 1)
                    and 0 < f and q < hi and (f - q == 1 or f < min(length, hi))):
                return e, (q if f - q == 1 else q + 1), p + 1
        return self._sentence_read(at, k)

    def sentences(self, starts: list[int]) -> Iterator[tuple[int, int, int, int, int]]:
        """`_Sentences.sentences`, the usual case of `sentence` inline (this runs for every
        sentence a snippet looks at)."""
        bound_starts, bound_ends, length = self.starts, self.ends, self.length
        last = len(bound_starts)  # (an offset past the text's end has k == last)
        i = 0
        while i < len(starts):
            at = starts[i]
            k = bisect_left(bound_starts, at)
            if 0 < k < last:
                p, e = bound_starts[k - 1], bound_ends[k - 1]
                if 0 < e and p >= at - LOOKAROUND and (e < at or e - p == 1):
                    q, f = bound_starts[k], bound_ends[k]
                    hi = at + LOOKAROUND if at + LOOKAROUND < length else length
                    if 0 < f and q < hi and (f - q == 1 or f < hi):
                        end = q if f - q == 1 else q + 1
                        following = bisect_left(starts, end, i + 1)
                        yield i, following, e, end, p + 1
                        i = following
                        continue
            start, end, earliest = self.sentence(at)
            following = bisect_left(starts, end, i + 1)
            yield i, following, start, end, earliest
            i = following

    def _sentence_read(self, at: int, k: int) -> tuple[int, int, int]:
        """`sentence`, reading the window's piece of the text where the boundaries do not
        tell (and all of the text for a word as long as the window)."""
        lo = at - LOOKAROUND
        piece, base = self.piece(lo - 8, at + LOOKAROUND + 8)
        start = self._start_before(piece, base, at, k)
        if start < 0:  # no boundary in the window: the start is the next word's
            start = base + _word_start(piece, lo - base)
            if start == base + len(piece) < self.length:
                start = _word_start(self.text(), lo)
        return start, self._end_after(piece, base, at, k), self._earliest(at, k)

    def _earliest(self, at: int, k: int) -> int:
        """Where the sentence of any offset from `at` on starts, at the earliest: after the
        last sentence end before `at`, which a window holding it finds and a window not
        holding it starts after. (At least at - LOOKAROUND, the bound without boundaries.)"""
        starts, ends = self.starts, self.ends
        floor = at - LOOKAROUND
        i = k - 1
        while i >= 0 and starts[i] >= floor:
            if 0 < ends[i] and (ends[i] < at or ends[i] - starts[i] == 1):
                return starts[i] + 1
            i -= 1
        return floor

    def _start_before(self, piece: str, base: int, at: int, k: int) -> int:
        """Where the last boundary a scan of [at - LOOKAROUND, at) finds ends, or -1 (0 at
        the top of the text). `k` boundaries start before `at`."""
        lo = max(0, at - LOOKAROUND)
        starts, ends = self.starts, self.ends
        i = k - 1
        if i >= 0:
            p, e = starts[i], abs(ends[i])
            if e - p > 1 and e >= at:
                # The window ends inside this boundary, or right at the capital after it: the
                # scan does not see it whole, only the line breaks inside it.
                n = self._line_break(piece, base, max(p + 1, lo), at, last=True)
                if n >= 0:
                    return n + 1
                i -= 1
        while i >= 0:
            p, e = starts[i], ends[i]
            if p < lo:
                # A boundary across the window's start: the scan sees its line breaks.
                n = self._line_break(piece, base, lo, abs(e), last=True)
                return n + 1 if n >= 0 else (-1 if lo > 0 else 0)
            if e > 0:
                return e
            i -= 1
        return -1 if lo > 0 else 0

    def _end_after(self, piece: str, base: int, at: int, k: int) -> int:
        """Where the first boundary a scan of [at, at + LOOKAROUND) finds ends the sentence,
        else the window's end. `k` boundaries start before `at`."""
        hi = min(self.length, at + LOOKAROUND)
        starts, ends = self.starts, self.ends
        if k > 0 and abs(ends[k - 1]) > at:
            # `at` is inside a boundary: the scan starts with the line breaks left in it.
            n = self._line_break(piece, base, at, min(abs(ends[k - 1]), hi), last=False)
            if n >= 0:
                return n
        for i in range(k, len(starts)):
            p = starts[i]
            if p >= hi:
                break
            e = ends[i]
            if abs(e) - p == 1:  # a line break
                if e > 0:
                    return p
            elif abs(e) < hi:  # a whole boundary (its look-ahead inside the window too)
                if e > 0:
                    return p + 1
            else:  # cut by the window's end: only its line breaks are seen
                n = self._line_break(piece, base, p + 1, hi, last=False)
                return n if n >= 0 else hi
        return hi

    def _line_break(self, piece: str, base: int, lo: int, hi: int, last: bool) -> int:
        """The last (or first) line break in [lo, hi) that is not an abbreviation's, or -1.
        (The piece starts at least 8 characters before `lo`, or at the top: the abbreviation
        test sees what it would see in the whole text.)"""
        find = piece.rfind if last else piece.find
        n = find("\n", lo - base, max(lo, hi) - base)
        while n >= 0:
            i = base + n
            if not _is_abbreviation(piece, i, self.abbreviations, base):
                return i
            n = find("\n", lo - base, n) if last else find("\n", n + 1, hi - base)
        return -1

    def fit(self, start: int, end: int, found: list[tuple[int, int, str]],
            max_chars: int) -> tuple[int, int]:
        """`_fit` on the sentence's piece of the text."""
        piece, base = self.piece(start, end)
        lo, hi = _fit(piece, start - base, end - base,
                      [(found[0][0] - base, found[0][1] - base)], max_chars)
        return lo + base, hi + base

    def render(self, chosen: list[_Chosen]) -> str:
        """The fragments `chosen`, rendered as `render_fragment` does, from pieces of the
        text: the fragments and the characters just around them (which tell whether they
        were cut); one piece for them all when they lie close together."""
        last = 0
        for start, end, spans in chosen:
            if start > end or not all(start <= a <= b <= end for a, b in spans):
                text = self.text()  # odd matches may reach outside the fragment
                return " ".join(_render(text, 0, len(text), *fragment) for fragment in chosen)
            last = end if end > last else last
        if chosen and last - chosen[0][0] <= 2 * LOOKAROUND:
            pieces = [self.piece(chosen[0][0] - 3, last + 1)] * len(chosen)
        else:
            pieces = [self.piece(start - 3, end + 1) for start, end, _ in chosen]
        return " ".join(_render(piece, base, self.length, *fragment)
                        for (piece, base), fragment in zip(pieces, chosen, strict=True))


class _ScannedText:
    """A text whose sentences are found by scanning it (`_fast_bounds`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.abbreviations: dict[int, bool] = {}

    def sentence(self, at: int) -> tuple[int, int, int]:
        return *_fast_bounds(self.text, at, self.abbreviations), at - LOOKAROUND

    def sentences(self, starts: list[int]) -> Iterator[tuple[int, int, int, int, int]]:
        i = 0
        while i < len(starts):
            start, end, earliest = self.sentence(starts[i])
            following = bisect_left(starts, end, i + 1)
            yield i, following, start, end, earliest
            i = following

    def fit(self, start: int, end: int, found: list[tuple[int, int, str]],
            max_chars: int) -> tuple[int, int]:
        return _fit(self.text, start, end, found, max_chars)


class _Sentences(Protocol):
    """How a snippet finds and cuts a page's sentences."""

    def sentence(self, at: int) -> tuple[int, int, int]:
        """(start, end, earliest): the bounds of the sentence around offset `at`, and where
        the sentence of any later offset starts at the earliest."""
        ...

    def sentences(self, starts: list[int]) -> Iterator[tuple[int, int, int, int, int]]:
        """(i, following, start, end, earliest) of one sentence after another, for matches
        at the sorted offsets `starts`: matches i to following - 1 share the sentence that
        `sentence(starts[i])` gives, as all of them start before its end."""
        ...

    def fit(self, start: int, end: int, found: list[tuple[int, int, str]],
            max_chars: int) -> tuple[int, int]:
        """`_fit` of the sentence [start, end) with its matches `found`."""
        ...


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


def _fragment(sentences: _Sentences, bounds: tuple[int, int],
              found: list[tuple[int, int, str]], max_chars: int) -> Fragment:
    lo, hi = bounds
    if hi - lo > max_chars:
        lo, hi = sentences.fit(lo, hi, found, max_chars)
    inside = [(a, b, t) for a, b, t in found if a >= lo and b <= hi]
    return Fragment(lo, hi, tuple((a, b) for a, b, _ in inside),
                    frozenset(t for _, _, t in inside))


def _rank(fragment: Fragment) -> tuple[int, int]:
    # More distinct query words first; among equals the earlier sentence (leads say most).
    return (-fragment.score[0], fragment.start)


def make_fragments(text: str, matches: list[tuple[int, int, str]],
                   max_chars: int = MAX_CHARS) -> list[Fragment]:
    """Sentence fragments for matches (start, end, term), best first."""
    return _fragments(_ScannedText(text), sorted(matches), max_chars)


def _fragments(sentences: _Sentences, ordered: list[tuple[int, int, str]],
               max_chars: int) -> list[Fragment]:
    """`make_fragments` for sorted matches."""
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    current: tuple[int, int] | None = None
    for start, end, term in ordered:
        if current is None or start >= current[1]:
            if len(by_sentence) >= MAX_CANDIDATE_SENTENCES:
                break  # a long page: the best of its first matching sentences will do
            first, last, _ = sentences.sentence(start)
            current = (first, last)
        by_sentence.setdefault(current, []).append((start, end, term))
    fragments = [_fragment(sentences, bounds, found, max_chars)
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

    def reset(self) -> None:
        self.chosen.clear()
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


def _most_terms_from(ordered: list[tuple[int, int, str]], starts: list[int],
                     max_chars: int) -> list[int] | None:
    """For each i up to WINDOWED_MATCHES, then one for all the rest: at least as many distinct
    terms as a fragment of matches i, i+1, ... can hold. None if a match ends before it
    starts, as a fragment could then count one from further away than this reckons with.
    `starts` are the matches' offsets.

    A fragment is at most `max_chars` long, so its matches start within `max_chars` of its
    first one: count the distinct terms in each such window, then take suffix maxima (from
    the last window back, stopping once one holds every term). Past the first
    WINDOWED_MATCHES matches, the distinct terms of all the rest are bound enough (and cheap
    to count on a page with thousands of matches).
    """
    terms = list(map(itemgetter(2), ordered))
    every = len(set(terms))
    if every == 1:
        return [1]
    cut = max(1, min(len(ordered), WINDOWED_MATCHES))
    # A match ending before it starts counts in a fragment as far as the sentence reaches.
    reach = bisect_right(starts, starts[cut - 1] + max(max_chars, LOOKAROUND))
    if any(map(lt, map(itemgetter(1), ordered[:reach]), starts[:reach])):
        return None
    most = [every] * cut + [len(set(terms[cut:]))]
    if most[cut] == every:
        return most
    # The window of the last match in the count, then each one before it.
    j = cut - 1
    hi = max(cut, bisect_right(starts, starts[j] + max_chars))
    counts: dict[str, int] = {}
    for term in terms[j:hi]:
        counts[term] = counts.get(term, 0) + 1
    best = most[cut]
    while True:
        best = max(best, len(counts))
        if best == every:
            return most  # and so for all the matches before
        most[j] = best
        if not j:
            return most
        j -= 1
        term = terms[j]
        counts[term] = counts.get(term, 0) + 1
        window_end = starts[j] + max_chars
        while hi - 1 > j and starts[hi - 1] > window_end:
            hi -= 1
            term = terms[hi]
            counts[term] -= 1
            if not counts[term]:
                del counts[term]


def _choose_early(sentences: _Sentences, ordered: list[tuple[int, int, str]], max_chars: int,
                  picker: _Picker) -> bool:
    """Feed `picker` the fragments `make_fragments` would, in the same order, but stop
    building sentences once the choice can no longer change (for a common word after a few
    sentences instead of 40). False, with nothing chosen, when that cannot be told safely.
    `ordered` is the matches, sorted.

    A sentence not yet built, from match i on, starts at or after the `earliest` that
    `sentence` gives for match i (at least match i's offset minus LOOKAROUND) and holds no
    more distinct terms than `_most_terms_from` allows from i on (nor than all the matches
    hold, which is quicker to count and often enough), so a fragment ranked at or before that
    is final and can be offered (a later sentence ranked the same comes after it, as the
    ranking sort is stable).
    """
    starts = [match[0] for match in ordered]
    fit = sentences.fit
    push, pop = heapq.heappush, heapq.heappop
    every_term = 0  # the distinct terms of all the matches, counted for a second sentence
    most_terms: list[int] | None = None  # worked out only when every_term does not settle
    waiting: list[_Candidate] = []  # a heap, best ranked first
    built = 0
    for i, following, start, end, earliest in sentences.sentences(starts):
        if built == MAX_CANDIDATE_SENTENCES:
            break
        if end <= starts[i]:
            # The sentence ends where it starts (a match on a line break or past the end):
            # its matches could then join an earlier sentence, so none can be offered.
            picker.reset()
            return False
        if built:
            if not every_term:
                every_term = len(set(map(itemgetter(2), ordered)))
            while waiting:
                rank = waiting[0][0]
                if rank[1] > earliest or -rank[0] < every_term:
                    if most_terms is None:
                        most_terms = _most_terms_from(ordered, starts, max_chars)
                        if most_terms is None:
                            picker.reset()
                            return False
                    if rank > (-most_terms[min(i, len(most_terms) - 1)], earliest):
                        break
                if _offer(picker, pop(waiting)):
                    return True
        found = ordered[i:following]
        lo, hi = start, end
        if hi - lo > max_chars:
            lo, hi = fit(lo, hi, found, max_chars)
        if following - i == 1:  # (most sentences hold one match)
            terms = {found[0][2]} if found[0][0] >= lo and found[0][1] <= hi else set()
        else:
            terms = {t for a, b, t in found if a >= lo and b <= hi}
        built += 1
        push(waiting, ((-len(terms), lo), built, hi, found, terms))
    while waiting:
        if _offer(picker, pop(waiting)):
            break
    return True


def _offer(picker: _Picker, candidate: _Candidate) -> bool:
    return picker.offer(candidate[0][1], candidate[2], candidate)


def _built(candidate: _Candidate) -> _Chosen:
    (_, lo), _, hi, found, _ = candidate
    return lo, hi, tuple((a, b) for a, b, _ in found if a >= lo and b <= hi)


def snippet(text: str, matches: list[tuple[int, int, str]], max_chars: int = MAX_CHARS,
            max_fragments: int = MAX_FRAGMENTS) -> str:
    """Up to `max_fragments` sentence fragments (in page order) within about `max_chars`.

    Falls back to the lead sentence when nothing in the text matched (a title-only hit).
    """
    if not matches:
        return lead(text, max_chars)
    chosen = _choose(_ScannedText(text), matches, max_chars, max_fragments)
    return " ".join(_render(text, 0, len(text), *fragment) for fragment in chosen)


def stored_snippet(page: StoredPage, matches: list[tuple[int, int, str]],
                   max_chars: int = MAX_CHARS, max_fragments: int = MAX_FRAGMENTS) -> str:
    """`snippet(page.text(), ...)`, from what the index stored for the page's snippets."""
    if not matches:
        return lead(page.text(), max_chars)
    return page.render(_choose(page, matches, max_chars, max_fragments))


# A chosen fragment: (start, end, the (start, end) of the matches inside it).
_Chosen = tuple[int, int, tuple[tuple[int, int], ...]]


def _choose(sentences: _Sentences, matches: list[tuple[int, int, str]], max_chars: int,
            max_fragments: int) -> list[_Chosen]:
    """The fragments of a snippet, in page order."""
    ordered = sorted(matches)
    picker = _Picker(max_chars, max_fragments)
    if _choose_early(sentences, ordered, max_chars, picker):
        chosen = [_built(item) for _, _, item in picker.chosen]
    else:
        for frag in _fragments(sentences, ordered, max_chars):
            if picker.offer(frag.start, frag.end, frag):
                break
        chosen = [(frag.start, frag.end, frag.spans) for _, _, frag in picker.chosen]
    chosen.sort(key=itemgetter(0))
    return chosen


def render_fragment(text: str, fragment: Fragment) -> str:
    """Escaped fragment text with <mark> around matches; '…' where a sentence was cut."""
    return _render(text, 0, len(text), fragment.start, fragment.end, fragment.spans)


def _render(piece: str, base: int, length: int, start: int, end: int,
            spans: tuple[tuple[int, int], ...]) -> str:
    """`render_fragment` of [start, end) from `piece`, the characters of a text `length`
    long from offset `base` on: all of the fragment, and up to three characters before it
    and one after."""
    out = []
    if start > 0 and not _at_sentence_start(piece, start - base):
        out.append("…")
    # Most fragments have nothing to escape: then the pieces need no escaping one by one.
    pos, stop = start - base, end - base
    whole = piece[pos:stop]
    clean = "&" not in whole and "<" not in whole and ">" not in whole
    for a, b in spans:
        a, b = a - base, b - base
        if a < pos:
            continue
        if clean:
            out.append(f"{piece[pos:a]}<mark>{piece[a:b]}</mark>")
        else:
            out.append(escape(piece[pos:a], quote=False))
            out.append(f"<mark>{escape(piece[a:b], quote=False)}</mark>")
        pos = b
    out.append(piece[pos:stop] if clean else escape(piece[pos:stop], quote=False))
    if end < length and not _at_sentence_end(piece, stop):
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
