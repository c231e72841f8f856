"""Whoosh queries scored for every document at once, as arrays with one slot per document.

Whoosh scores a query by walking a tree of matchers posting by posting, in Python: a few
microseconds a match, and a results page needs every match (the total and the facets count
them all). For a site's worth of pages it is far cheaper to score every document at once: a
term's postings are read once into arrays, and And / Or / AndMaybe become array arithmetic.

The scores are Whoosh's own: BM25F with the same idf, average and quantised field lengths and
boosts, the same coordination factor for any-word queries, the same phrase spans, the same
tie order. The two paths rank alike (tests/test_dense.py compares them document by document),
except where Whoosh is wrong: its AndNot keeps some excluded pages on an index with several
segments. A query kind not handled here raises `Unsupported` and the caller runs it through
Whoosh.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Characters, Positions
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE

# Postings kept in memory per process: 16 bytes each (docnum, frequency, BM25), so ~32 MB, a
# busy site's every term; the positions read for phrases and snippets count 8 times more.
MAX_CACHED_POSTINGS = 2_000_000
MAX_CACHED_FILTERS = 256
MAX_CACHED_TERMS = 200_000
MAX_CACHED_DOCS = 20_000


class Unsupported(Exception):
    """A query kind this module does not score; run it through Whoosh instead."""


@dataclass
class Matches:
    """Which documents match (`mask`) and their scores (0 where they do not match)."""

    mask: np.ndarray
    score: np.ndarray


@dataclass
class TermPostings:
    ids: np.ndarray  # global docnums, increasing
    weights: np.ndarray  # term frequency as Whoosh stores it (float32)
    values: list | None = None  # encoded per-posting values (positions), read on demand
    scores: np.ndarray | None = None  # BM25 of each posting, worked out on first use
    positions: dict[int, list[int]] = field(default_factory=dict)  # posting index -> decoded
    best: float | None = None  # the highest of `scores`, once asked for
    chars: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)  # (starts, ends)
    units: int = 0  # memory counted for this term in the cache budget (DenseIndex._account)


class DenseHit:
    """One ranked document: docnum, score and its stored fields, read when first asked."""

    __slots__ = ("docnum", "score", "_dense", "_fields")

    def __init__(self, dense: DenseIndex, docnum: int, score: float):
        self.docnum = docnum
        self.score = score
        self._dense = dense
        self._fields: dict | None = None

    def fields(self) -> dict:
        if self._fields is None:
            self._fields = self._dense.stored_fields(self.docnum)
        return self._fields

    def __getitem__(self, name: str):
        return self.fields()[name]

    def get(self, name: str, default=None):
        return self.fields().get(name, default)


class DenseIndex:
    """Array scoring over one open searcher; rebuilt when the searcher is refreshed.

    `prior` multiplies every final score (the weighting's `final`, made an array).
    """

    def __init__(self, searcher: Searcher, B: float, K1: float,
                 prior: np.ndarray | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self.B, self.K1 = B, K1
        self.n = self.reader.doc_count_all()
        self.live = np.ones(self.n, dtype=bool)
        self._leaves = list(self.reader.leaf_readers())
        for leaf, offset in self._leaves:
            if not hasattr(leaf, "_terms"):
                raise Unsupported(f"reader {type(leaf).__name__}")
            for docnum in leaf.deleted_docs_set or ():
                self.live[offset + docnum] = False
        self.prior = prior
        self._postings: OrderedDict[tuple[str, bytes], TermPostings | None] = OrderedDict()
        self._cached = 0
        # One value per document: field lengths (by field name), columns (by ("column", name)).
        self._per_doc: dict[str | tuple[str, str], np.ndarray] = {}
        self._filters: OrderedDict[wq.Query, np.ndarray] = OrderedDict()
        self._terms: dict[tuple[str, str | bytes], bool] = {}
        self._stored: dict[int, dict] = {}

    # -- reading the index ---------------------------------------------------------------
    def has_term(self, fieldname: str, text: str | bytes) -> bool:
        """Whether any document has the term (remembered: a lookup walks the term file)."""
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is None:
            btext = self._btext(fieldname, text) if isinstance(text, str) else text
            found = btext is not None and (fieldname, btext) in self.reader
            if len(self._terms) > MAX_CACHED_TERMS:
                self._terms.clear()
            self._terms[key] = found
        return found

    # -- ------------------------------------------------------------
    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's (quantised) length of a field, as the scorer reads it."""
        arr = self._per_doc.get(fieldname)
        if arr is None:
            dfl = self.reader.doc_field_length
            arr = np.array([dfl(d, fieldname, 1) for d in range(self.n)], dtype=np.float64)
            self._per_doc[fieldname] = arr
        return arr

    def postings(self, fieldname: str, btext: bytes, values: bool = False) -> TermPostings | None:
        """All postings of one term (None if the index lacks it), cached most-recent-first."""
        key = (fieldname, btext)
        p = self._postings.get(key, False)
        if p is not False and (p is None or not values or p.values is not None):
            self._postings.move_to_end(key)
            return p
        if p:
            self._cached -= p.units  # replaced by a read with values
        p = self._read(fieldname, btext, values)
        self._postings[key] = p
        self._postings.move_to_end(key)
        if p is not None:
            self._account(p, len(p.ids) * (9 if values else 1))
        return p

    def _account(self, p: TermPostings, units: int) -> None:
        """Count memory held for `p` (a unit is about 16 bytes); evict the least recently
        used terms while over budget."""
        p.units += units
        self._cached += units
        while self._cached > MAX_CACHED_POSTINGS and len(self._postings) > 1:
            _k, old = self._postings.popitem(last=False)
            if old is not None:
                self._cached -= old.units

    def _read(self, fieldname: str, btext: bytes, values: bool) -> TermPostings | None:
        if fieldname not in self.schema:
            return None
        fmt = self.schema[fieldname].format
        ids: list = []
        weights: list = []
        vals: list = []
        for leaf, offset in self._leaves:
            if (fieldname, btext) not in leaf:
                continue
            m = leaf._terms.matcher(fieldname, btext, fmt)
            if isinstance(m, W3LeafMatcher):
                # Whole blocks at a time: the block arrays, not one posting per call.
                while m.is_active():
                    m._read_ids()
                    m._read_weights()
                    ids.append(np.asarray(m._ids, dtype=np.int32) + np.int32(offset))
                    weights.append(np.asarray(m._weights, dtype=np.float32))
                    if values:
                        m._read_values()
                        vals.extend(m._values)
                    m._next_block()
            else:
                bid, bw = [], []
                while m.is_active():
                    bid.append(m.id() + offset)
                    bw.append(m.weight())
                    if values:
                        vals.append(m.value())
                    m.next()
                ids.append(np.asarray(bid, dtype=np.int32))
                weights.append(np.asarray(bw, dtype=np.float32))
        if not ids:
            return None
        return TermPostings(np.concatenate(ids), np.concatenate(weights),
                            vals if values else None)

    def stored_fields(self, docnum: int) -> dict:
        """A page's stored fields (small: its text lives in a column), kept once read.
        Callers must not change the dict."""
        fields = self._stored.get(docnum)
        if fields is None:
            if len(self._stored) >= MAX_CACHED_DOCS:
                self._stored.clear()
            fields = self._stored[docnum] = self.searcher.stored_fields(docnum)
        return fields

    def filter_mask(self, q: wq.Query) -> np.ndarray:
        """Documents matching a filter query (Whoosh finds them; cached: filters repeat)."""
        mask = self._filters.get(q)
        if mask is None:
            mask = np.zeros(self.n, dtype=bool)
            docs = list(self.searcher.docs_for_query(q))
            if docs:
                mask[np.asarray(docs, dtype=np.int64)] = True
            self._filters[q] = mask
            if len(self._filters) > MAX_CACHED_FILTERS:
                self._filters.popitem(last=False)
        else:
            self._filters.move_to_end(q)
        return mask

    def term_mask(self, fieldname: str, btext: bytes) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        p = self.postings(fieldname, btext)
        if p is not None:
            mask[p.ids] = True
        return mask

    # -- scoring -------------------------------------------------------------------------
    def top_and_all(self, q: wq.Query, limit: int, filter_query: wq.Query | None = None
                    ) -> tuple[list[DenseHit], np.ndarray]:
        """(the top `limit` hits, every matching docnum in index order), as Whoosh's
        TopCollector orders them: score descending, then docnum ascending."""
        docs, scores = self._matching(q, filter_query, limit)
        if len(docs) > limit:
            # Only documents scoring at least the limit-th best can be in the top; ties at
            # the boundary are settled by docnum below, as Whoosh's heap settles them.
            kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= kth
            cand_docs, cand_scores = docs[keep], scores[keep]
        else:
            cand_docs, cand_scores = docs, scores
        order = np.lexsort((cand_docs, -cand_scores))[:limit]
        return self._hits(cand_docs[order], cand_scores[order]), docs

    def _hits(self, docs: np.ndarray, scores: np.ndarray) -> list[DenseHit]:
        # (tolist first: indexing an array one element at a time costs more than the hit)
        return [DenseHit(self, d, s)
                for d, s in zip(docs.tolist(), scores.tolist(), strict=True)]

    def top_by_key(self, q: wq.Query, limit: int, filter_query: wq.Query | None,
                   key: np.ndarray) -> tuple[list[DenseHit], np.ndarray]:
        """Like `top_and_all`, ordered by `key` (one float per document, ascending), then
        by score, then by docnum."""
        docs, scores = self._matching(q, filter_query)
        order = np.lexsort((docs, -scores, key[docs]))[:limit]
        return self._hits(docs[order], scores[order]), docs

    def _matching(self, q: wq.Query, filter_query: wq.Query | None, limit: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
        """(every live matching docnum allowed by the filter, its final score).

        With a `limit`, only the scores of documents that can be among the top `limit` are
        exact; the others may be lower than they should be (see `_eval_top_AndMaybe`)."""
        within = self.live
        if filter_query is not None:
            within = within & self.filter_mask(filter_query)
        if limit is not None and isinstance(q, wq.AndMaybe):
            m = self._eval_top_AndMaybe(q, within, limit)
        else:
            m = self.evaluate(q, within)
        docs = np.flatnonzero(m.mask & within)
        scores = m.score[docs]
        if self.prior is not None:
            scores = scores * self.prior[docs]
        return docs, scores

    def _eval_top_AndMaybe(self, q: wq.AndMaybe, within: np.ndarray, limit: int) -> Matches:
        """AndMaybe with its optional part (phrases, mostly: the costly part) scored only for
        the documents that can still reach the top `limit`.

        The optional part only adds to a score, so the `limit`-th best score without it is a
        floor for the final `limit`-th best; a document whose score plus the most the optional
        part could give it (`_upper_bound`) stays below that floor cannot be in the top."""
        a = self.evaluate(q.a, within)
        candidates = within & a.mask
        bound = self._upper_bound(q.b, candidates)
        if bound is not None and np.count_nonzero(candidates) > limit:
            prior = self.prior if self.prior is not None else 1.0
            floor_scores = (a.score * prior)[candidates]
            floor = np.partition(floor_scores, len(floor_scores) - limit)[-limit]
            candidates = candidates & ((a.score + bound) * prior >= floor)
        b = self.evaluate(q.b, candidates)
        return Matches(a.mask, a.score + b.score * (candidates & b.mask))

    def _upper_bound(self, q: wq.Query, within: np.ndarray) -> np.ndarray | float | None:
        """At least the score `q` gives each document of `within` (an array, or one number
        for all), never less; None when this is not worked out for `q`'s kind. A phrase
        scores its words' scores where it matches, so the sum of its words' best scores
        bounds it: a loose bound, but checking which pages have every word costs about as
        much as the phrase itself."""
        if isinstance(q, wq.Phrase):
            bound = 0.0
            for word in q.words:
                btext = self._btext(q.fieldname, word)
                found = self._term_scores(q.fieldname, btext) if btext is not None else None
                if found is None:
                    return 0.0
                bound += self._best(found[0])
            return bound * q.boost
        if isinstance(q, wq.Term):
            return self.evaluate(q, within).score
        if isinstance(q, wq.Or) and not q.scale:
            parts = [self._upper_bound(sub, within) for sub in q.subqueries]
            if any(part is None for part in parts):
                return None
            # (Whoosh ignores the boost of a one-clause Or.)
            boost = q.boost if len(parts) > 1 else 1.0
            return sum(parts, 0.0) * boost
        return None

    @staticmethod
    def _best(p: TermPostings) -> float:
        if p.best is None:
            p.best = float(p.scores.max()) if len(p.scores) else 0.0
        return p.best

    def column_array(self, fieldname: str) -> np.ndarray:
        """A numeric column's value for every document, read once."""
        arr = self._per_doc.get(("column", fieldname))
        if arr is None:
            if fieldname not in self.schema or not self.schema[fieldname].column_type:
                raise Unsupported(f"no column {fieldname}")
            column = self.reader.column_reader(fieldname)
            arr = np.array([column[d] for d in range(self.n)], dtype=np.float64)
            self._per_doc[("column", fieldname)] = arr
        return arr

    def evaluate(self, q: wq.Query, within: np.ndarray) -> Matches:
        """Scores exact for the documents in `within`; elsewhere they may be anything."""
        method = getattr(self, "_eval_" + type(q).__name__, None)
        if method is None:
            raise Unsupported(type(q).__name__)
        return method(q, within)

    def _empty(self) -> Matches:
        return Matches(np.zeros(self.n, dtype=bool), np.zeros(self.n))

    def _term_scores(self, fieldname: str, btext: bytes) -> tuple[TermPostings, np.ndarray] | None:
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None:
            return None
        p = self.postings(fieldname, btext)
        if p is None:
            return None
        if p.scores is None:
            if not field.scorable:
                p.scores = p.weights.astype(np.float64)
            else:
                idf = self.searcher.idf(fieldname, btext)
                avgfl = self.searcher.avg_field_length(fieldname) or 1
                fl = self.lengths(fieldname)[p.ids]
                tf, B, K1 = p.weights.astype(np.float64), self.B, self.K1
                # Whoosh's scoring.bm25, operation for operation: the floats come out the same.
                p.scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        return p, p.scores

    def _btext(self, fieldname: str, text) -> bytes | None:
        if fieldname not in self.schema:
            return None
        try:
            return self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None

    def _eval_Term(self, q: wq.Term, within: np.ndarray) -> Matches:
        btext = self._btext(q.fieldname, q.text)
        found = self._term_scores(q.fieldname, btext) if btext is not None else None
        out = self._empty()
        if found is None:
            return out
        p, scores = found
        if q.boost != 1.0:
            scores = scores * q.boost
        out.mask[p.ids] = True
        out.score[p.ids] = scores
        return out

    def _eval_And(self, q: wq.And, within: np.ndarray) -> Matches:
        subs = q.subqueries
        if not subs:
            return self._empty()
        if len(subs) == 1:
            return self.evaluate(subs[0], within)
        parts = []
        for sub in subs:
            part = self.evaluate(sub, within)
            within = within & part.mask  # later parts only matter where earlier ones match
            parts.append(part)
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            mask &= part.mask
        score = sum(p.score for p in parts) * mask
        if q.boost != 1.0:
            score = score * q.boost
        return Matches(mask, score)

    def _eval_Or(self, q: wq.Or, within: np.ndarray) -> Matches:
        subs = q.subqueries
        if not subs:
            return self._empty()
        if len(subs) == 1:
            return self.evaluate(subs[0], within)  # Whoosh too ignores the boost here
        if all(type(sub) is wq.Term for sub in subs):
            # A word in each field, mostly: added up in place, without an array per term.
            # (The same sums in the same order: a term's missing 0.0 changes no float.)
            mask, score = self._sum_terms(subs)
        else:
            parts = [self.evaluate(sub, within) for sub in subs]
            mask = parts[0].mask.copy()
            for part in parts[1:]:
                mask |= part.mask
            score = sum(p.score for p in parts)
        if q.boost != 1.0:
            score = score * q.boost
        if q.scale and len(subs) < wq.Or.TOO_MANY_CLAUSES:
            score = self._coordinate(q, score, mask, within)
        return Matches(mask, score * mask)

    _eval_DefaultOr = _eval_Or

    def _sum_terms(self, terms: list[wq.Term]) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(self.n, dtype=bool)
        score = np.zeros(self.n)
        for term in terms:
            btext = self._btext(term.fieldname, term.text)
            found = self._term_scores(term.fieldname, btext) if btext is not None else None
            if found is None:
                continue
            p, scores = found
            mask[p.ids] = True
            score[p.ids] += scores * term.boost if term.boost != 1.0 else scores
        return mask, score

    def _coordinate(self, q: wq.Or, score: np.ndarray, mask: np.ndarray,
                    within: np.ndarray) -> np.ndarray:
        """Whoosh's CoordMatcher (the 'SQR' of V-Twin): more matching terms, higher score."""
        termcount = 0
        matching = np.zeros(self.n, dtype=np.int64)  # how many of the terms each page has
        for leaf in _term_leaves(q):
            btext = self._btext(leaf.fieldname, leaf.text)
            p = self.postings(leaf.fieldname, btext) if btext is not None else None
            if p is not None:
                termcount += 1
                matching[p.ids] += 1
        if termcount == 0:
            return score  # Whoosh adds no coordination when no term exists
        if termcount == q.scale:
            return np.zeros(self.n)
        return (score + ((matching - 1) / (termcount - q.scale) ** 2)) * (
            (termcount - 1) / termcount)

    def _eval_AndMaybe(self, q: wq.AndMaybe, within: np.ndarray) -> Matches:
        a = self.evaluate(q.a, within)
        b = self.evaluate(q.b, within & a.mask)
        return Matches(a.mask, a.score + b.score * (a.mask & b.mask))

    def _eval_AndNot(self, q: wq.AndNot, within: np.ndarray) -> Matches:
        a = self.evaluate(q.a, within)
        b = self.evaluate(q.b, within & a.mask)
        mask = a.mask & ~b.mask
        return Matches(mask, a.score * mask)

    def _eval_Not(self, q: wq.Not, within: np.ndarray) -> Matches:
        # Whoosh's InverseMatcher: every live document the child misses, scoring 1.
        child = self.evaluate(q.query, within)
        mask = self.live & ~child.mask
        return Matches(mask, mask.astype(np.float64))

    def _eval_ConstantScoreQuery(self, q: wq.ConstantScoreQuery, within: np.ndarray) -> Matches:
        mask = self.filter_mask(q.child)
        return Matches(mask, np.where(mask, float(q.score), 0.0))

    def _eval_Every(self, q: wq.Every, within: np.ndarray) -> Matches:
        if q.fieldname not in (None, "", "*"):
            raise Unsupported("Every(field)")
        return Matches(self.live.copy(), np.where(self.live, float(q.boost), 0.0))

    def _eval_NullQuery(self, q, within: np.ndarray) -> Matches:
        return self._empty()

    _eval_NullQueryClass = _eval_NullQuery

    def _eval_Phrase(self, q: wq.Phrase, within: np.ndarray) -> Matches:
        fieldname = q.fieldname
        out = self._empty()
        if fieldname not in self.schema:
            return out
        fmt = self.schema[fieldname].format
        if not fmt or not fmt.supports("positions"):
            raise Unsupported("phrase on a field without positions")
        found = self._phrase_words(q, np.flatnonzero(within))
        if found is None:
            return out
        words, docs, total = found
        positions = [self._positions(fieldname, w, docs) for w in words]
        spans = [_phrase_spans([pos[i] for pos in positions], q.slop) for i in range(len(docs))]
        matched = np.asarray(spans, dtype=bool)
        out.mask[docs[matched]] = True
        out.score[docs[matched]] = total[matched] * q.boost if q.boost != 1.0 else total[matched]
        return out

    def _phrase_words(self, q: wq.Phrase, docs: np.ndarray
                      ) -> tuple[list[bytes], np.ndarray, np.ndarray] | None:
        """(the phrase's words as terms, those of `docs` that have every word, the sum of
        the words' scores in each); None if a word is not in the index."""
        words = []
        total = np.zeros(len(docs))
        for word in q.words:
            btext = self._btext(q.fieldname, word)
            found = self._term_scores(q.fieldname, btext) if btext is not None else None
            if found is None:
                return None
            p, scores = found
            idx = np.searchsorted(p.ids, docs)
            idx[idx >= len(p.ids)] = 0
            has = p.ids[idx] == docs
            docs, idx, total = docs[has], idx[has], total[has]
            total += scores[idx]
            words.append(btext)
        return words, docs, total

    def char_spans(self, fieldname: str, btext: bytes, docnums
                   ) -> list[tuple[int, list[int], list[int]]]:
        """(docnum, start chars, end chars) of the term in those of `docnums` that have it,
        in index order."""
        p = self.postings(fieldname, btext, values=True)
        if p is None:
            return []
        docs = np.unique(np.asarray(docnums, dtype=np.int64))
        idx = np.searchsorted(p.ids, docs)
        idx[idx >= len(p.ids)] = 0
        hit = p.ids[idx] == docs
        fmt = self.schema[fieldname].format
        out = []
        known = p.chars
        for d, i in zip(docs[hit].tolist(), idx[hit].tolist(), strict=True):
            found = known.get(i)
            if found is None:
                if isinstance(fmt, Characters):
                    _positions, starts, ends = decode_characters(p.values[i])
                else:
                    chars = fmt.decoder("characters")(p.values[i])
                    starts, ends = [c[1] for c in chars], [c[2] for c in chars]
                found = known[i] = (starts, ends)
                self._account(p, 2 + len(starts) * 4)  # two list slots and ints per match
            out.append((d, *found))
        return out

    def _positions(self, fieldname: str, btext: bytes, docs: np.ndarray) -> list[list[int]]:
        """The term's positions in each of `docs` (which all have it), decoded once."""
        p = self.postings(fieldname, btext, values=True)
        fmt = self.schema[fieldname].format
        if isinstance(fmt, Characters):
            decode = decode_char_positions
        elif type(fmt) is Positions:
            decode = decode_positions
        else:
            decode = fmt.decode_positions
        out = []
        known = p.positions
        for i in np.searchsorted(p.ids, docs).tolist():
            found = known.get(i)
            if found is None:
                found = known[i] = decode(p.values[i])
                self._account(p, 2 + len(found) * 2)  # a list slot and an int per position
            out.append(found)
        return out


# Whoosh's Positions and Characters values are a count then a pickled list of deltas; its
# decoders add the deltas up in a Python loop, these with C-level iterators (same results:
# tests/test_dense.py compares them).
def decode_positions(value: bytes) -> list[int]:
    return list(accumulate(_codes(value)))


def decode_char_positions(value: bytes) -> list[int]:
    """The positions alone of a Characters value."""
    return list(accumulate(map(operator.itemgetter(0), _codes(value))))


def decode_characters(value: bytes) -> tuple[list[int], list[int], list[int]]:
    """(positions, start chars, end chars): each start is a delta from the previous end."""
    codes = _codes(value)
    if not codes:
        return [], [], []
    pos_deltas, start_deltas, lengths = zip(*codes, strict=True)
    ends = list(accumulate(map(operator.add, start_deltas, lengths)))
    return list(accumulate(pos_deltas)), list(map(operator.sub, ends, lengths)), ends


def _codes(value: bytes) -> list:
    if not value.endswith(b"."):
        value += b"."
    return loads(value[_INT_SIZE:])


def _term_leaves(q: wq.Query):
    if isinstance(q, wq.Term):
        yield q
    elif isinstance(q, wq.Or):
        for sub in q.subqueries:
            yield from _term_leaves(sub)
    else:
        raise Unsupported(f"coordination over {type(q).__name__}")


def _phrase_spans(positions: list[list[int]], slop: int) -> bool:
    """Whoosh's SpanNear2 (ordered, mindist 1) over one document's term positions.

    Its span arithmetic comes down to a chain: a position of each word in turn, each 1 to
    `slop` positions after the previous one. Kept as sets of reachable positions."""
    reach = set(positions[0])
    for nxt in positions[1:]:
        if not reach:
            return False
        if slop == 3:  # the text phrase boost's: three tests in one expression, 40% quicker
            reach = {t for t in nxt if t - 1 in reach or t - 2 in reach or t - 3 in reach}
        else:
            reach = {r + d for r in reach for d in range(1, slop + 1)}.intersection(nxt)
    return bool(reach)
