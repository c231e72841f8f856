"""Queries in, plain result records out: the one entry point for the CLI and the web UI."""

from __future__ import annotations

import functools
import os
import pickle
import re
import struct
import threading
import time
import traceback
import zlib
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from . import names, pages, snippets, store
from .analysis import fold, terms_of
from .collect import terms_present, text_matches, top_and_all
from .dense import DenseIndex, Unsupported
from .facets import FacetTable
from .periods import Period
from .persons import lone_forename, never_a_person
from .query import (
    ParsedQuery,
    parse_query,
    period_words_query,
    person_candidates,
    person_filter,
    year_span,
)
from .results import Hit, SearchResults
from .schema import title_key
from .spelling import VocabCorrector
from .suggest import Suggestion, SuggestTable

MAX_PER_PAGE = 100
# year_sort of pages that speak of no year: the column's default, the largest 32-bit value.
# Such pages come last in both period orders.
NO_YEAR = 2**31 - 1
SORTS = ("relevance", "period", "-period")


# Extra score, on top of BM25F, for signs that a page is what the reader is after.
BOOSTS = {
    "person": 2.0,  # the page names the person the query names, in any spelling
    "exact_title": 12.0,  # the query is the page's title
    "title_phrase": 4.0,  # the query's words stand together in the title
    "text_phrase": 2.0,  # ... or close together (within 3 words) in the text
}


# Score plain queries for all documents at once with arrays (indexer/dense.py) rather than
# through Whoosh's matchers; same scores, a fraction of the time. False forces Whoosh.
DENSE = True

SOFT_AND = True
SOFT_AND_MIN_TERMS = 3
SOFT_AND_RERANK = 100
SOFT_AND_POWER = 3.0


THIN_PAGE_WORDS = 30  # pages with fewer words of text than this are ranked down


class ClioWeighting(scoring.BM25F):
    """BM25F, times a prior against thin pages: a book's title page or colophon repeats the
    book's title but answers nothing, and should not outrank the chapters."""

    use_final = True

    def final(self, searcher, docnum, score):
        words = searcher.doc_field_length(docnum, "text") or 0
        if words >= THIN_PAGE_WORDS:
            return score
        return score * _thin_page_factor(words)

    def prior(self, searcher) -> np.ndarray:
        """`final` as one factor per document, for scoring all documents at once."""
        dfl = searcher.doc_field_length
        words = np.array([dfl(d, "text") or 0 for d in range(searcher.doc_count_all())],
                         dtype=np.float64)
        return np.where(words >= THIN_PAGE_WORDS, 1.0, _thin_page_factor(words))


def _thin_page_factor(words):
    """How much a page with fewer than THIN_PAGE_WORDS words of text is ranked down."""
    return ((words + 5) / (THIN_PAGE_WORDS + 5)) ** 0.5


def default_weighting() -> scoring.WeightingModel:
    return ClioWeighting(B=0.75, K1=1.2)

FACET_TOP = 12


@dataclass
class Ranked:
    """One ranking pass: the hits of the requested page and every matching docnum."""

    hits: list
    total: int
    docnums: list[int] | np.ndarray  # every match, in index order
    terms: set  # (field, term bytes) of the query that exist in the index


# What reading a damaged file raises (in Whoosh's decoding or in dense.py's).
_DAMAGED_DATA = (pickle.UnpicklingError, struct.error, zlib.error, EOFError)


def _index_read_errors(method):
    """One reader at a time, and failures inside Whoosh's reading code reported as a damaged
    index, with how to fix it.

    Whoosh's searchers share file positions and are not safe to use from several threads at
    once (seen under load as garbled posting blocks); searching is CPU-bound and holds the
    GIL anyway, so serialising the threads of one process costs no throughput. Failures
    outside Whoosh are bugs and propagate unchanged.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            with self._read_lock:
                return method(self, *args, **kwargs)
        except store.IndexCorrupt as e:
            self.damaged = str(e)
            raise
        except store.IndexError_:
            raise
        except Exception as e:
            frames = traceback.extract_tb(e.__traceback__)
            reading = frames and (
                "/whoosh/" in frames[-1].filename or frames[-1].filename.endswith("dense.py"))
            if not reading and not isinstance(e, _DAMAGED_DATA):
                raise
            self.damaged = (f"the index in {self.index_dir} cannot be read "
                            f"({type(e).__name__}); rebuild it with `clio index --full`")
            raise store.IndexCorrupt(self.damaged) from e

    return wrapper


class Clio:
    """An open index, ready to answer queries; follows new commits and generation swaps."""

    def __init__(self, index_dir: Path, weighting: scoring.WeightingModel | None = None):
        self.index_dir = Path(index_dir)
        self.weighting = weighting or default_weighting()
        self._lock = threading.Lock()
        self._read_lock = threading.RLock()
        self.generation = store.current_generation(self.index_dir)
        self.ix = store.open_index(self.index_dir)
        self._searcher: Searcher | None = None
        self._facets: FacetTable | None = None
        self._suggest: SuggestTable | None = None
        self._dense: DenseIndex | None = None
        self._no_dense: Searcher | None = None  # a searcher DenseIndex cannot work with
        self._corrector: VocabCorrector | None = None
        self._signature: tuple | None = None
        self.damaged: str | None = None  # why the last read of this index failed, if it did

    # -- opening -------------------------------------------------------------------------
    @_index_read_errors
    def searcher(self) -> Searcher:
        """A searcher on the latest commit, following a `--full` swap to a new generation."""
        with self._lock:
            signature = self._disk_signature()
            if signature is not None and signature == self._signature and self._searcher:
                return self._searcher  # nothing on disk changed since the last look
            self._signature = signature
            generation = store.current_generation(self.index_dir)
            if generation != self.generation:
                self.damaged = None
                self._close()
                self.ix = store.open_index(self.index_dir)
                self.generation = generation
            if self._searcher is None:
                self._searcher = self.ix.searcher(weighting=self.weighting)
                self._facets = self._suggest = self._dense = self._corrector = None
            elif self.ix.latest_generation() != self._searcher.reader().generation():
                # A new commit. Not Searcher.refresh(): its reader reuse keeps the segments
                # a merge replaced, so every page would be found twice.
                stale = self._searcher
                self._searcher = self.ix.searcher(weighting=self.weighting)
                stale.close()
                self._facets = self._suggest = self._dense = self._corrector = None
            return self._searcher

    def _disk_signature(self) -> tuple | None:
        """What changes when a commit or a generation swap lands: the CURRENT file (replaced
        by a rename) and the generation folder (a commit adds its files there). Two stat
        calls instead of reading CURRENT and listing the folder on every query."""
        try:
            current = os.stat(self.index_dir / store.CURRENT)
            folder = os.stat(self.generation) if self.generation else None
        except OSError:
            return None
        latest = max(current.st_mtime_ns, folder.st_mtime_ns if folder else 0)
        if time.time_ns() - latest < 1_000_000_000:
            # File times tick coarsely (a few ms): two writes of one commit can share a time,
            # so a folder that changed within the last second is always looked into.
            return None
        return (current.st_ino, current.st_mtime_ns, current.st_size,
                folder and (folder.st_ino, folder.st_mtime_ns))

    def facet_table(self, searcher: Searcher) -> FacetTable:
        with self._lock:
            if self._facets is None:
                self._facets = FacetTable(searcher.reader())
            return self._facets

    def dense_index(self, searcher: Searcher) -> DenseIndex | None:
        """Array scoring for this searcher, when the weighting is one it reproduces."""
        if not DENSE or type(self.weighting) not in (ClioWeighting, scoring.BM25F):
            return None
        with self._lock:
            if self._dense is None or self._dense.searcher is not searcher:
                if searcher.doc_count_all() == 0 or self._no_dense is searcher:
                    return None
                prior = (self.weighting.prior(searcher)
                         if isinstance(self.weighting, ClioWeighting) else None)
                try:
                    self._dense = DenseIndex(searcher, self.weighting.B, self.weighting.K1,
                                             prior)
                except Unsupported:  # a reader it cannot read blocks from: Whoosh does it all
                    self._no_dense = searcher
                    return None
            return self._dense

    def _top_and_all(self, searcher: Searcher, q: wq.Query, limit: int,
                     filt: wq.Query | None) -> tuple[list, list[int] | np.ndarray]:
        """(top `limit` hits, every matching docnum): with arrays when the query allows."""
        dense = self.dense_index(searcher)
        if dense is not None:
            try:
                return dense.top_and_all(q, limit, filt)
            except Unsupported:
                pass
        results, matched = top_and_all(searcher, q, limit, filt)
        return [results[i] for i in range(len(results.top_n))], matched

    @_index_read_errors
    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles and persons starting with `prefix`, for autocomplete."""
        searcher = self.searcher()
        with self._lock:
            if self._suggest is None:
                self._suggest = SuggestTable(searcher.reader())
            table = self._suggest
        return table.suggest(prefix, limit)

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher, self._facets, self._suggest = None, None, None
        self._dense = self._corrector = None

    def close(self) -> None:
        with self._lock:
            self._close()

    # -- searching -----------------------------------------------------------------------
    @_index_read_errors
    def search(self, query: str, *, page: int = 1, per_page: int = 10, limit: int | None = None,
               person: str | None = None, year_from: int | None = None,
               year_to: int | None = None, section: str | None = None,
               century: int | None = None, decade: int | None = None,
               sort: str = "relevance", facets: bool = True,
               snippet_chars: int = snippets.MAX_CHARS) -> SearchResults:
        """Rank the pages for `query`, with snippets, facets and a did-you-mean."""
        started = time.perf_counter()
        if limit is not None:
            per_page = limit
        page = max(1, int(page))
        per_page = max(1, min(MAX_PER_PAGE, int(per_page)))
        if sort not in SORTS:
            sort = "relevance"
        searcher = self.searcher()
        schema = searcher.schema  # (the index's schema property re-reads its TOC file)
        pq = parse_query(query, schema)
        if person:
            pq.person = pq.person or person
            pq.filters.append(person_filter(person))
        if year_from is not None or year_to is not None:
            lo = year_from if year_from is not None else -10_000
            hi = year_to if year_to is not None else 10_000
            pq.filters.append(wq.NumericRange("years", min(lo, hi), max(lo, hi)))
            pq.filter_periods.append(year_span(lo, hi))
        if section:
            pq.filters.append(wq.Term("section", section))
        if century is not None:
            pq.filters.append(wq.Term("centuries", str(century)))
            pq.filter_periods.append(_century_span(century))
        if decade is not None:
            pq.filters.append(wq.Term("decades", str(decade)))
            pq.filter_periods.append(_decade_span(decade))

        matched_person = self._match_person(searcher, pq)
        results = self._run(searcher, pq, matched_person, page, per_page, sort)
        did_you_mean = self._did_you_mean(searcher, pq, matched_person)
        needs_help = results is None or results.total == 0
        if did_you_mean:
            # Words the index has never seen: the corrected spelling is what was meant.
            corrected = parse_query(did_you_mean, schema)
            corrected.filters = pq.filters
            alt = self._run(searcher, corrected, self._match_person(searcher, corrected),
                            page, per_page, sort)
            if alt is not None and alt.total:
                pq.messages.append(f"Showing results for “{did_you_mean}”: "
                                   f"no page has “{query}”.")
                results, needs_help = alt, False
        if needs_help and pq.main is not None and not _excluded_terms(pq.main):
            # No page has every word: fall back to pages with any of them. (Not when words
            # are excluded: "any of them" would turn "NOT Stalin" into every other page.)
            fallback = parse_query(query, schema, all_words=False)
            fallback.filters = pq.filters
            alt = self._run(searcher, fallback, matched_person, page, per_page, sort)
            if alt is not None and alt.total:
                pq.messages.append("No page has all the words; showing pages with some of them.")
                results = alt

        hits: list[Hit] = []
        facet_counts: dict[str, list[tuple[str, int]]] = {}
        timeline: list[tuple[str, int]] = []
        total = 0
        if results is not None:
            total = results.total
            matches = self._text_matches(searcher, results.hits, results.terms)
            for hit in results.hits:
                hits.append(self._hit(searcher, hit, matches.get(hit.docnum, []), matched_person,
                                      snippet_chars))
            if facets:
                facet_counts = self.facet_table(searcher).counts(results.docnums, FACET_TOP,
                                                                 whole=["decades"])
                timeline = sorted(facet_counts["decades"], key=lambda kv: int(kv[0]))
                facet_counts["decades"] = facet_counts["decades"][:FACET_TOP]
        took_ms = (time.perf_counter() - started) * 1000
        return SearchResults(
            query=query, total=total, took_ms=round(took_ms, 2), results=hits, page=page,
            per_page=per_page, facets=facet_counts, timeline=timeline, did_you_mean=did_you_mean,
            messages=pq.messages, interpretation=self._interpretation(pq, matched_person),
        )

    @staticmethod
    def _interpretation(pq: ParsedQuery, matched_person) -> list[dict]:
        items = pq.interpretation()
        if matched_person is not None:
            items.append({"kind": "name", "value": matched_person[0],
                          "without": pq.without(matched_person[0])})
        return items

    def _run(self, searcher: Searcher, pq: ParsedQuery, matched_person, page, per_page,
             sort) -> Ranked | None:
        q = self._ranking_query(pq, matched_person)
        if q is None:
            return None
        filt = wq.And(pq.filters) if pq.filters else None
        start = (page - 1) * per_page
        if sort == "relevance" and self._soft_and(pq):
            return self._run_soft(searcher, pq, matched_person, q, filt, start, per_page)
        terms = _query_terms(self, searcher, q)
        if sort == "relevance":
            top, matched = self._top_and_all(searcher, q, start + per_page, filt)
        else:
            top, matched = self._by_period(searcher, q, start + per_page, filt,
                                           newest_first=sort == "-period")
        return Ranked(hits=top[start:start + per_page], total=len(matched), docnums=matched,
                      terms=terms)

    def _by_period(self, searcher: Searcher, q: wq.Query, limit: int, filt: wq.Query | None,
                   newest_first: bool) -> tuple[list, list[int] | np.ndarray]:
        """The matches in period order (a page's median year), pages with no year last,
        pages of the same year by relevance."""
        dense = self.dense_index(searcher)
        if dense is not None:
            try:
                years = dense.column_array("year_sort")
                key = np.where(years == NO_YEAR, np.inf, -years if newest_first else years)
                return dense.top_by_key(q, limit, filt, key)
            except Unsupported:
                pass
        # Whoosh's matchers: every match by score, then the same order in Python.
        results, matched = top_and_all(searcher, q, max(1, searcher.doc_count_all()), filt)
        if not matched:
            return [], matched  # (an index with no pages has no column to read)
        years = searcher.reader().column_reader("year_sort")

        def period_key(item):
            rank, hit = item
            year = years[hit.docnum]
            return (year == NO_YEAR, -year if newest_first else year, rank)

        ranked = sorted(enumerate(results[i] for i in range(len(results.top_n))),
                        key=period_key)
        return [hit for _rank, hit in ranked[:limit]], matched

    def _soft_and(self, pq: ParsedQuery) -> bool:
        """Long plain queries rank by how many of their words a page has, not by all-or-none:
        a reader's question rarely uses every word of the page that answers it."""
        return (SOFT_AND and pq.all_words and pq.is_plain
                and len(self._terms(pq.words)) >= SOFT_AND_MIN_TERMS)

    def _terms(self, words: list[str]) -> list[str]:
        return terms_of(" ".join(words))

    def _run_soft(self, searcher, pq, matched_person, q, filt, start, per_page) -> Ranked:
        """Any-word matching, then the top candidates re-ranked by the share of query words
        each has (in any field), so pages with all or most words come first."""
        any_pq = ParsedQuery(**{**pq.__dict__, "all_words": False})
        any_pq.main = pq.words_query(pq.words, all_words=False)
        any_q = self._ranking_query(any_pq, matched_person)
        top, matched = self._top_and_all(searcher, any_q,
                                         max(SOFT_AND_RERANK, start + per_page), filt)
        terms = _query_terms(self, searcher, any_q)
        wanted = sorted({t.encode("utf-8") for t in self._terms(pq.words)})
        person_words = set(matched_person[0].split()) if matched_person else set()
        person_share = len(self._terms(list(person_words))) if person_words else 0
        docnums = [h.docnum for h in top]
        # has[i, j]: page j has wanted word i (in any field); the last row: a person key.
        has = np.zeros((len(wanted) + 1, len(docnums)), dtype=bool)
        row = {w: i for i, w in enumerate(wanted)}
        for term, docs_with in self._terms_present(
                searcher, [t for t in terms if t[1] in row or t[0] == "person_keys"], docnums):
            has[len(wanted) if term[0] == "person_keys" else row[term[1]]] |= docs_with
        share = has[:-1].sum(axis=0)
        if person_share:
            share = np.where(has[-1], np.maximum(share, np.minimum(len(wanted),
                                                                   share + person_share)),
                             share)
        scores = np.array([h.score for h in top]) * (share / len(wanted)) ** SOFT_AND_POWER
        order = np.lexsort((np.arange(len(top)), -scores))[start:start + per_page]
        return Ranked(hits=[top[i] for i in order.tolist()], total=len(matched),
                      docnums=matched, terms=terms)

    def _terms_present(self, searcher: Searcher, terms, docnums: list[int]
                       ) -> list[tuple[tuple[str, bytes], np.ndarray]]:
        """For each of `terms`, which of `docnums` have it (a bool per docnum)."""
        dense = self.dense_index(searcher)
        if dense is None:
            present = terms_present(searcher, terms, docnums)
            return [(term, np.array([term in present[d] for d in docnums], dtype=bool))
                    for term in terms]
        docs = np.asarray(docnums, dtype=np.int64)
        return [(term, dense.term_mask(*term)[docs]) for term in terms]

    def _ranking_query(self, pq: ParsedQuery, matched_person) -> wq.Query | None:
        core = pq.main
        if matched_person is not None:
            keys_q = wq.Or([wq.Term("person_keys", k) for k in matched_person[1]],
                           boost=BOOSTS["person"])
            core = keys_q if core is None else self._with_person(pq, matched_person[0], keys_q)
        if core is None:
            if not pq.filters:
                return None
            # Nothing but filters: every page they allow, ranked by the years of the period
            # asked for, if any.
            periods = pq.periods or pq.filter_periods
            about = period_words_query(periods) if periods else None
            return wq.Every() if about is None else wq.AndMaybe(wq.Every(), about)
        boosts = list(pq.boosts)
        if pq.text:
            boosts.append(wq.Term("title_key", title_key(pq.text),
                                  boost=BOOSTS["exact_title"]))
        terms = self._terms(pq.words) if pq.is_plain else []
        if len(terms) >= 2:
            boosts.append(wq.Phrase("title", terms, boost=BOOSTS["title_phrase"]))
            if BOOSTS["text_phrase"]:
                boosts.append(wq.Phrase("text", terms, slop=3, boost=BOOSTS["text_phrase"]))
        return wq.AndMaybe(core, wq.Or(boosts)) if boosts else core

    @staticmethod
    def _with_person(pq: ParsedQuery, person_words: str, keys_q: wq.Query) -> wq.Query:
        """The word query in which the words naming a person may also match that person in
        any spelling; the other words are still required (or preferred, in the fallback)."""
        if not pq.is_plain:
            main = pq.main
            # (An excluded name is never matched as a person: see _match_person.)
            # Exclusions hold for the person's other spellings too: "Charles -war" or
            # "Charles NOT war" finds no page with "war" either way.
            if isinstance(main, wq.AndNot):
                return wq.AndNot(wq.Or([main.a, keys_q]), main.b)
            if isinstance(main, wq.And) and any(isinstance(q, wq.Not) for q in main.subqueries):
                wanted = [q for q in main.subqueries if not isinstance(q, wq.Not)]
                unwanted = [q for q in main.subqueries if isinstance(q, wq.Not)]
                if not wanted:  # only exclusions: the name is excluded, not sought
                    return main
                core = wanted[0] if len(wanted) == 1 else wq.And(wanted)
                return wq.And([wq.Or([core, keys_q]), *unwanted])
            return wq.Or([main, keys_q])
        named = person_words.split()
        words = list(pq.words)
        for i in range(len(words) - len(named) + 1):
            if words[i:i + len(named)] == named:
                rest = words[:i] + words[i + len(named):]
                break
        else:
            return wq.Or([pq.main, keys_q])
        as_written = pq.words_query(named, all_words=True)
        person_q = wq.Or([q for q in (as_written, keys_q) if q is not None])
        rest_q = pq.words_query(rest) if rest else None
        if rest_q is None:
            return person_q
        return wq.And([person_q, rest_q]) if pq.all_words else wq.Or([person_q, rest_q])

    def _match_person(self, searcher: Searcher, pq: ParsedQuery):
        """(query words, keys) of the longest run of query words that names a known person."""
        reader = searcher.reader()
        negated = {w.lower() for w in _NEGATED_WORD.findall(pq.text)}
        for candidate in person_candidates(pq.words):
            if negated & {w.lower() for w in candidate.split()}:
                continue  # "-Timur", "NOT Timur": a name to leave out, not to look for
            if never_a_person(candidate):
                continue  # "goths" is a people, though it sounds like Gotz, a person
            keys = [k for k in names.query_name_keys(candidate)
                    if self._has_term(reader, "person_keys", k)]
            if keys:
                return candidate, keys
        return None

    def _vocab_corrector(self, searcher: Searcher) -> VocabCorrector:
        with self._lock:
            if self._corrector is None or self._corrector.reader is not searcher.reader():
                self._corrector = VocabCorrector(searcher.reader())
            return self._corrector

    def _has_term(self, reader, fieldname: str, text: str) -> bool:
        dense = self._dense
        if dense is not None and dense.reader is reader:
            return dense.has_term(fieldname, text)
        return bool(reader.doc_frequency(fieldname, text))

    def _did_you_mean(self, searcher: Searcher, pq: ParsedQuery,
                      matched_person=None) -> str | None:
        """The query with unknown words replaced by the nearest known ones, if any.

        Words nothing is close to are named in a message, so a reader knows why they had
        no effect."""
        if not pq.words:
            return None
        reader = searcher.reader()
        person_words = set(matched_person[0].split()) if matched_person else set()
        corrector = None
        changed = False
        out = []
        for word in pq.words:
            terms = terms_of(word)
            known = not terms or any(
                self._has_term(reader, f, t) for t in terms for f in ("text", "title"))
            if known:
                out.append(word)
                continue
            if corrector is None:
                corrector = self._vocab_corrector(searcher)
            fixed = corrector.suggest(fold(word))
            if fixed:
                out.append(fixed.capitalize() if word[:1].isupper() else fixed)
                changed = True
            else:
                out.append(word)
                if word not in person_words:  # else it matched a person's other spelling
                    pq.messages.append(f"No page contains “{word}”.")
        return " ".join(out) if changed else None

    def _hit(self, searcher: Searcher, hit, matches, matched_person, snippet_chars: int) -> Hit:
        persons = [p for p in hit.get("persons", "").split(",") if p]
        years = hit.get("years", [])
        return Hit(
            path=hit["path"],
            title=hit.get("title", ""),
            score=round(float(hit.score or 0.0), 4),
            snippet=pages.page_snippet(searcher, hit.docnum, matches, snippet_chars),
            persons=persons,
            years=list(years) if isinstance(years, list) else [years],
            matched_person=_person_in(persons, matched_person),
        )

    def _text_matches(self, searcher: Searcher, hits, terms
                      ) -> dict[int, list[tuple[int, int, str]]]:
        """docnum -> (start, end, term) of every query word in the page text, from the
        character offsets stored with the postings."""
        docnums = [h.docnum for h in hits]
        text_terms = [btext for fieldname, btext in terms if fieldname == "text"]
        dense = self.dense_index(searcher)
        if dense is None:
            return text_matches(searcher, [t.decode("utf-8") for t in text_terms], docnums)
        found: dict[int, list[tuple[int, int, str]]] = {}
        for btext in text_terms:
            term = btext.decode("utf-8")
            for docnum, starts, ends in dense.char_spans("text", btext, docnums):
                found.setdefault(docnum, []).extend(zip(starts, ends, repeat(term)))
        return found

    # -- browsing ------------------------------------------------------------------------
    @_index_read_errors
    def overview(self, top: int = 30) -> dict:
        """What the whole index holds, for browsing by person and by period: the number of
        pages, the persons most pages name, and pages by century, by decade and by section."""
        searcher = self.searcher()
        counts = self.facet_table(searcher).counts(searcher.reader().all_doc_ids(), top * 3,
                                                   whole=["centuries", "decades", "section"])
        # A lone forename counted across pages is many persons ("John" on 14 pages): left
        # out, from three times as many as shown.
        persons = [(name, n) for name, n in counts["persons"] if not lone_forename(name)]
        return {
            "pages": searcher.doc_count(),
            "persons": persons[:top],
            "centuries": sorted(counts["centuries"], key=lambda kv: int(kv[0])),
            "timeline": sorted(counts["decades"], key=lambda kv: int(kv[0])),
            "sections": counts["section"],
        }

    # -- pages ---------------------------------------------------------------------------
    @_index_read_errors
    def highlight_page(self, path: str, query: str = "") -> list[list[tuple[str, bool]]]:
        """The page's text as paragraphs of (text, is_match) segments for `query`'s words."""
        return pages.highlighted_text(self.searcher(), path, query)

    @_index_read_errors
    def person(self, name: str, limit: int = 50) -> dict | None:
        """One person: the name as pages write it, its spellings, its pages and timeline."""
        searcher = self.searcher()
        return pages.person_view(searcher, self.facet_table(searcher), name, limit)

    @_index_read_errors
    def page(self, path: str) -> dict | None:
        """The stored record of one page, or None."""
        return pages.page_record(self.searcher(), path)

    @_index_read_errors
    def more_like(self, path: str, limit: int = 5) -> list[Hit]:
        """Pages that share the most distinctive words with `path`."""
        return pages.more_like(self.searcher(), path, limit)


def _century_span(century: int) -> Period:
    """The years of a century as `schema.century_of` numbers them (-1: 100..1 BC)."""
    if century > 0:
        return year_span((century - 1) * 100 + 1, century * 100)
    return year_span(century * 100, (century + 1) * 100 - 1)


def _decade_span(decade: int) -> Period:
    """The years of a decade as `schema.decade_of` numbers them (-40: 49..40 BC; 0: 1..9)."""
    return year_span(decade, decade + 9) if decade >= 0 else year_span(decade - 9, decade)


@functools.lru_cache(maxsize=65_536)
def _name_keys(name: str) -> frozenset[str]:
    # (Remembered: every hit's persons are matched against the query's name, and the same
    # few thousand names come back query after query.)
    return frozenset(names.name_keys(name))


def _person_in(persons: list[str], matched_person) -> str | None:
    if not matched_person:
        return None
    keys = set(matched_person[1])
    for p in persons:
        if _name_keys(p) & keys:
            return p
    return None


_NEGATED_WORD = re.compile(r"(?:(?<!\S)-|\bNOT\s+)([^\W_][\w'’.]*)")


def _excluded_terms(q: wq.Query) -> set[str]:
    """The words a query excludes (under NOT or after a minus), as analysed terms."""
    found: set[str] = set()
    if isinstance(q, wq.Not):
        found |= {t.decode() if isinstance(t, bytes) else str(t)
                  for _f, t in q.query.iter_all_terms()}
    elif isinstance(q, wq.AndNot):
        found |= {t.decode() if isinstance(t, bytes) else str(t)
                  for _f, t in q.b.iter_all_terms()}
        found |= _excluded_terms(q.a)
    elif isinstance(q, wq.CompoundQuery):
        for sub in q.subqueries:
            found |= _excluded_terms(sub)
    return found


def _query_terms(clio: Clio, searcher: Searcher, q: wq.Query) -> set[tuple[str, bytes]]:
    """The (field, term) pairs of `q` that exist in the index, wildcards and fuzzy expanded."""
    reader = searcher.reader()
    found: set[tuple[str, bytes]] = set()
    for fieldname, text in q.iter_all_terms(phrases=True):
        if isinstance(text, str):
            text = text.encode("utf-8")
        if (isinstance(text, bytes) and fieldname in reader.schema
                and clio._has_term(reader, fieldname, text)):
            found.add((fieldname, text))
    for sub in q.leaves():
        if isinstance(sub, wq.MultiTerm) and not isinstance(sub, wq.NumericRange):
            found.update((sub.fieldname, t if isinstance(t, bytes) else t.encode("utf-8"))
                         for t in sub._btexts(reader))
    return found
