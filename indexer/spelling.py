"""Fast "did you mean": Whoosh's corrector answer, without Whoosh's term-graph walk.

`searcher.corrector(field).suggest(word, limit=1, maxdist=d, prefix=p)` steps a Levenshtein
automaton through the term index in Python, 20-60 ms for some words. `VocabCorrector` gives
the same answer in well under a millisecond, so it can sit on the query path.

What Whoosh's ReaderCorrector returns, and so what this returns:
- candidates: the field's terms that share the word's first `p` characters and are within
  `d` edits of it, the word itself included. A single-segment reader finds them with a
  Levenshtein automaton (no transpositions); a multi-segment reader falls back to
  `IndexReader.terms_within`, which uses Damerau-Levenshtein (optimal string alignment,
  a swap of two neighbours counts as one edit). The reader type decides, as it does there.
- ranking: the score is `-(d + 0.5 / freq)` whatever the distance, so the most frequent
  candidate wins (total frequency in the field, 0 counted as 1); ties go to the largest
  string, because the heap keeps the larger `(score, term)` tuple.

How: the terms sharing a prefix form one bucket, read lazily on first use. Each term is one
bit ("lane") of Python integers, so one bitwise operation advances the edit-distance table
of every term in the bucket at once: per position and character, an integer has the bits of
the terms with that character there, and each cell of the table (only the band of width
2d+1 around the diagonal matters) holds, per threshold t <= d, the lanes whose distance so
far is <= t. A word of n characters costs about (n+1)*(2d+1) cells, each a dozen integer
operations whatever the bucket size.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from whoosh.reading import IndexReader


@dataclass
class _Bucket:
    """The terms sharing one prefix, lanes ordered by length, then best suggestion first."""

    terms: list[str]
    scores: list[float]
    masks: list[dict[str, int]]  # position -> character -> lanes with it there
    spans: dict[int, tuple[int, int]]  # term length -> its lanes [start, end)


class VocabCorrector:
    """Spelling suggestions from one field of one reader, equal to Whoosh's ReaderCorrector.

    Build one per opened reader (an index commit) and drop it with the reader: a bucket is
    read from the reader the first time a word with its prefix is corrected."""

    def __init__(self, reader: IndexReader, fieldname: str = "vocab", maxdist: int = 2,
                 prefix: int = 1) -> None:
        self.reader = reader
        self.fieldname = fieldname
        self.maxdist = maxdist
        self.prefix = prefix
        # Only the base implementation (what multi-segment readers use) counts swaps.
        self.transpositions = type(reader).terms_within is IndexReader.terms_within
        self._buckets: dict[str, _Bucket] = {}
        self._build_lock = threading.Lock()

    def suggest(self, word: str) -> str | None:
        """The best known spelling within `maxdist` edits of `word` (already folded), or None.

        A known word can be its own suggestion, or lose to a more frequent neighbour, as in
        Whoosh. Words shorter than the prefix get None (Whoosh's automaton raises there)."""
        if not word or len(word) < self.prefix:
            return None
        bucket = self._bucket(word[:self.prefix])
        n, k = len(word), self.maxdist
        lengths = [size for size in range(max(n - k, 0), n + k + 1) if size in bucket.spans]
        if not lengths:
            return None
        lo = bucket.spans[lengths[0]][0]
        hi = bucket.spans[lengths[-1]][1]
        last_row = self._last_row(word, bucket.masks, lo, (1 << (hi - lo)) - 1)
        if last_row is None:
            return None
        best: tuple[float, str] | None = None
        for size in lengths:
            start, end = bucket.spans[size]
            # A lane's distance is the cell at its own length; other lanes passed there too.
            group = (last_row[size][k] >> (start - lo)) & ((1 << (end - start)) - 1)
            if group:
                # Lanes of one length are in suggestion order: the lowest bit is their best.
                lane = start + (group & -group).bit_length() - 1
                key = (bucket.scores[lane], bucket.terms[lane])
                if best is None or key > best:
                    best = key
        return best[1] if best else None

    def _last_row(self, word: str, masks: list[dict[str, int]], lo: int,
                  every: int) -> list[tuple[int, ...]] | None:
        """The table's row for all of `word`, lanes shifted down by `lo` and limited to
        `every`; None once no lane can be within maxdist."""
        k = self.maxdist
        n = len(word)
        width = len(masks)
        zero = (0,) * (k + 1)

        def eq(j: int, ch: str) -> int:
            # Lanes whose character j (0-based) is ch.
            if j >= width:
                return 0
            m = masks[j].get(ch)
            return (m >> lo) & every if m else 0

        cols = n + k + 1
        # cell[t] = lanes whose distance between the two prefixes is <= t; out of band: none.
        prev2: list[tuple[int, ...]] = [zero] * cols
        prev: list[tuple[int, ...]] = [zero] * cols
        for j in range(k + 1):
            prev[j] = tuple(every if j <= t else 0 for t in range(k + 1))
        transpositions = self.transpositions
        for i in range(1, n + 1):
            cur: list[tuple[int, ...]] = [zero] * cols
            ch = word[i - 1]
            alive = 0
            for j in range(max(0, i - k), i + k + 1):
                if j == 0:
                    cell = tuple(every if i <= t else 0 for t in range(k + 1))
                else:
                    match = eq(j - 1, ch)
                    diag, up, left = prev[j - 1], prev[j], cur[j - 1]
                    swap = 0
                    if transpositions and i >= 2 and j >= 2:
                        swap = eq(j - 2, ch) & eq(j - 1, word[i - 2])
                    before = prev2[j - 2]
                    out = [match & diag[0]]
                    for t in range(1, k + 1):
                        v = (match & diag[t]) | diag[t - 1] | up[t - 1] | left[t - 1]
                        if swap:
                            v |= swap & before[t - 1]
                        out.append(v)
                    cell = tuple(out)
                cur[j] = cell
                alive |= cell[k]
            if not alive:
                return None
            prev2, prev = prev, cur
        return prev

    # -- reading ---------------------------------------------------------------------------
    def _bucket(self, key: str) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            with self._build_lock:
                bucket = self._buckets.get(key)
                if bucket is None:
                    bucket = self._buckets[key] = self._read_bucket(key)
        return bucket

    def _read_bucket(self, key: str) -> _Bucket:
        reader, fieldname, k = self.reader, self.fieldname, self.maxdist
        from_bytes = reader.schema[fieldname].from_bytes
        entries: list[tuple[float, str]] = []
        for btext, terminfo in reader.iter_prefix(fieldname, key):
            freq = terminfo.weight() or 1
            # Whoosh's score to the same float, so equal frequencies tie exactly as there.
            entries.append((0 - (k + (1.0 / freq * 0.5)), from_bytes(btext)))
        # By length, then best first: higher score, then the larger string (Whoosh's tie).
        entries.sort(reverse=True)
        entries.sort(key=lambda e: len(e[1]))
        terms = [e[1] for e in entries]
        scores = [e[0] for e in entries]
        spans: dict[int, tuple[int, int]] = {}
        positions: list[dict[str, list[int]]] = []
        for lane, term in enumerate(terms):
            size = len(term)
            start = spans[size][0] if size in spans else lane
            spans[size] = (start, lane + 1)
            while len(positions) < size:
                positions.append({})
            for j, ch in enumerate(term):
                positions[j].setdefault(ch, []).append(lane)
        masks = [{ch: _bits(lanes) for ch, lanes in at.items()} for at in positions]
        return _Bucket(terms, scores, masks, spans)


def _bits(lanes: list[int]) -> int:
    """The integer with exactly these bits set (ascending), in linear time."""
    out = bytearray((lanes[-1] >> 3) + 1)
    for lane in lanes:
        out[lane >> 3] |= 1 << (lane & 7)
    return int.from_bytes(out, "little")

