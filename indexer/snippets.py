"""Snippets worth reading: whole sentences around the matched words, safely marked up.

Works from character offsets stored in the index, so a 1 MB page is never re-analysed: only
the few hundred characters around each match are looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

MAX_CHARS = 300
MAX_FRAGMENTS = 3
# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by a space and
# an upper-case letter or a digit, or at a line break (block boundary in the extracted text).
_SENTENCE_END = re.compile(r"""[.!?][)"'’”\]]*\s+(?=[A-Z0-9“"'‘(])|\n""")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Dr|St|Sr|Jr|Mt|vs|c|ca|cf|etc|No|pp?)\.)$")
LOOKAROUND = 400
MAX_CANDIDATE_SENTENCES = 40  # how far to look for a sentence boundary before giving up and cutting


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


def make_fragments(text: str, matches: list[tuple[int, int, str]],
                   max_chars: int = MAX_CHARS) -> list[Fragment]:
    """Sentence fragments for matches (start, end, term), best first."""
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    current: tuple[int, int] | None = None
    for start, end, term in sorted(matches):
        if current is None or start >= current[1]:
            if len(by_sentence) >= MAX_CANDIDATE_SENTENCES:
                break  # a long page: the best of its first matching sentences will do
            current = sentence_bounds(text, start)
        by_sentence.setdefault(current, []).append((start, end, term))
    fragments = []
    for (s_start, s_end), found in by_sentence.items():
        spans = tuple((a, b) for a, b, _ in found)
        lo, hi = _fit(text, s_start, s_end, spans, max_chars)
        inside = tuple((a, b) for a, b in spans if a >= lo and b <= hi)
        fragments.append(Fragment(lo, hi, inside, frozenset(t for a, b, t in found
                                                             if a >= lo and b <= hi)))
    # More distinct query words first; among equals the earlier sentence (leads say most).
    fragments.sort(key=lambda f: (-f.score[0], f.start))
    return fragments


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


def snippet(text: str, matches: list[tuple[int, int, str]], max_chars: int = MAX_CHARS,
            max_fragments: int = MAX_FRAGMENTS) -> str:
    """Up to `max_fragments` sentence fragments (in page order) within about `max_chars`.

    Falls back to the lead sentence when nothing in the text matched (a title-only hit).
    """
    if not matches:
        return lead(text, max_chars)
    chosen: list[Fragment] = []
    used = 0
    for frag in make_fragments(text, matches, max_chars):
        length = frag.end - frag.start
        if chosen and (used + length > max_chars or len(chosen) >= max_fragments):
            continue
        if any(frag.start < c.end and c.start < frag.end for c in chosen):
            continue
        chosen.append(frag)
        used += length
        if used >= max_chars * 0.8 or len(chosen) >= max_fragments:
            break
    chosen.sort(key=lambda f: f.start)
    return " ".join(render_fragment(text, f) for f in chosen)


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
