"""Reading single pages and persons out of the index: the page view, the person view,
more-like-this. (Ranked search over many pages is in `search`.)"""

from __future__ import annotations

import mmap
import re
import weakref

from whoosh.columns import MultiColumnReader, VarBytesColumn
from whoosh.searching import Searcher

from . import names, snippets
from .analysis import fold, terms_of
from .collect import text_matches
from .facets import FacetTable
from .query import parse_query, person_filter
from .results import Hit
from .schema import century_of

# Column readers by searcher reader and field: opening one reads its offsets.
_columns: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _column(reader, fieldname: str, translate: bool = True):
    by_field = _columns.get(reader)
    if by_field is None:
        by_field = _columns[reader] = {}
    column = by_field.get((fieldname, translate))
    if column is None:
        column = by_field[(fieldname, translate)] = reader.column_reader(fieldname,
                                                                         translate=translate)
    return column


def page_text(searcher: Searcher, docnum: int) -> str:
    """The main text of one page.

    It lives in an uncompressed column rather than among the stored fields: a results page
    reads ten texts for its snippets, and unpacking them from the compressed stored fields
    cost more than the whole search. (Indexes from before the column fall back to those.)"""
    reader = searcher.reader()
    if "text_col" not in reader.schema:
        return searcher.stored_fields(docnum).get("text", "")
    return _column(reader, "text_col")[docnum].decode("utf-8")


class _MappedValue:
    """One document's value in a column of a memory-mapped index, read piece by piece: a
    snippet shows a few hundred characters of a page that may be a megabyte long."""

    __slots__ = ("_mapped", "_start", "_length")

    def __init__(self, mapped: mmap.mmap, start: int, length: int) -> None:
        self._mapped, self._start, self._length = mapped, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, piece: slice) -> bytes:
        start, stop, _ = piece.indices(self._length)
        return self._mapped[self._start + start:self._start + max(start, stop)]


def _column_value(column, docnum: int) -> bytes | _MappedValue:
    """A document's value in a VarBytesColumn (read with translate=False): in pieces where
    the index is memory-mapped (see store.MappedStorage), else whole."""
    if isinstance(column, MultiColumnReader):
        number, docnum = column._reader_and_docnum(docnum)
        column = column._readers[number]
    if isinstance(column, VarBytesColumn.Reader):
        mapped = getattr(column._dbfile, "file", None)
        length = column._lengths[docnum]
        if isinstance(mapped, mmap.mmap) and length:
            return _MappedValue(mapped, column._basepos + column._offsets[docnum], length)
    return column[docnum]


def stored_page(searcher: Searcher, docnum: int) -> snippets.StoredPage | None:
    """The page's text with the sentence boundaries stored for its snippets; None for an
    index from before they were stored."""
    reader = searcher.reader()
    if "sentences_col" not in reader.schema or "text_col" not in reader.schema:
        return None
    return snippets.StoredPage.from_column(
        _column_value(_column(reader, "text_col", translate=False), docnum),
        _column(reader, "sentences_col", translate=False)[docnum])


def page_snippet(searcher: Searcher, docnum: int, matches: list[tuple[int, int, str]],
                 max_chars: int = snippets.MAX_CHARS) -> str:
    """The snippet of one hit, from the character offsets of its matched words: from the
    stored sentence boundaries, else (an older index) by scanning the page's text."""
    page = stored_page(searcher, docnum)
    if page is None:
        return snippets.snippet(page_text(searcher, docnum), matches, max_chars=max_chars)
    return snippets.stored_snippet(page, matches, max_chars=max_chars)


def page_record(searcher: Searcher, path: str) -> dict | None:
    """The stored fields of one page, with persons and years as lists; None if unknown."""
    docnum = searcher.document_number(path=path)
    if docnum is None:
        return None
    fields = searcher.stored_fields(docnum)
    fields["text"] = page_text(searcher, docnum)
    fields["persons"] = [p for p in fields.get("persons", "").split(",") if p]
    years = fields.get("years", [])
    fields["years"] = years if isinstance(years, list) else [years]
    fields["centuries"] = sorted({century_of(y) for y in fields["years"]})
    return fields


def highlighted_text(searcher: Searcher, path: str,
                     query: str) -> list[list[tuple[str, bool]]]:
    """The page's text as paragraphs of (text, is_match) pieces for the words of `query`,
    from the stored character offsets."""
    docnum = searcher.document_number(path=path)
    if docnum is None:
        return []
    text = page_text(searcher, docnum)
    spans: list[tuple[int, int]] = []
    if query.strip():
        pq = parse_query(query, searcher.schema, all_words=False)
        terms = []
        if pq.main is not None:
            terms = [t.decode("utf-8") if isinstance(t, bytes) else t
                     for f, t in pq.main.iter_all_terms() if f == "text"]
        spans = [(s, e) for s, e, _t in text_matches(searcher, terms, [docnum]).get(docnum, [])]
    return split_segments(text, sorted(spans))


def split_segments(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, bool]]]:
    """Paragraphs (split at line breaks) of (text, is_match) pieces; templates escape them."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        if start < pos:  # overlapping spans: the first one wins
            continue
        pieces += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    pieces.append((text[pos:], False))
    paragraphs: list[list[tuple[str, bool]]] = [[]]
    for piece, marked in pieces:
        for i, line in enumerate(piece.split("\n")):
            if i:
                paragraphs.append([])
            if line:
                paragraphs[-1].append((line, marked))
    return [p for p in paragraphs if p]


def person_view(searcher: Searcher, facets: FacetTable, name: str, limit: int = 50) -> dict | None:
    """One person: the name as pages write it, its spellings, its pages (those most about the
    person first) and timeline."""
    keys = names.query_name_keys(name)
    if not keys:
        return None
    results = searcher.search(person_filter(name), limit=None)
    if results.is_empty():
        return None
    spellings, places = _spellings_and_places(results, keys)
    top = [results[i] for i in _about_first(results, keys, spellings, places)[:limit]]
    # Each page's snippet shows where it names the person: the sentences with the most words
    # of the person's spellings (the page's lead when its text has none of them).
    matches = text_matches(searcher, terms_of(" ".join(spellings)), [hit.docnum for hit in top])
    found = []
    for hit in top:
        years = hit.get("years", [])
        found.append(Hit(path=hit["path"], title=hit.get("title", ""),
                         score=round(float(hit.score or 0), 4),
                         snippet=page_snippet(searcher, hit.docnum,
                                              matches.get(hit.docnum, []), 200),
                         persons=[p for p in hit.get("persons", "").split(",") if p],
                         years=list(years) if isinstance(years, list) else [years]))
    canonical = max(spellings, key=lambda s: (spellings[s], len(s))) if spellings else name
    decades = facets.counts(results.docs(), whole=["decades"])["decades"]
    return {
        "name": canonical,
        "variants": sorted(s for s in spellings if s != canonical),
        "total": len(results),
        "pages": found,
        "timeline": sorted(decades, key=lambda kv: int(kv[0])),
    }


def _spellings_and_places(results, keys: set[str]) -> tuple[dict[str, int], list[float]]:
    """How pages name the person (spelling -> pages listing the person so; 0 for a variant
    only), and where the person stands among each page's persons (inf: not listed)."""
    spellings: dict[str, int] = {}
    places: list[float] = []
    for hit in results:
        place = float("inf")
        for i, p in enumerate(p for p in hit.get("persons", "").split(",") if p):
            if names.name_keys(p) & keys:
                spellings[p] = spellings.get(p, 0) + 1
                for v in hit.get("person_variants", {}).get(p, []):
                    spellings.setdefault(v, 0)
                place = min(place, i)
        places.append(place)
    return spellings, places


def _about_first(results, keys: set[str], spellings: dict[str, int],
                 places: list[float]) -> list[int]:
    """The results' positions, pages about the person first: a title that is the person's
    name in any spelling ("Tamerlane"), then a title that names them ("How Justinian Created
    a New Law..."); each by where the page lists the person among its persons (most salient
    first: its subject, then by mentions), then by score."""
    # (The names pages list as persons, not their variants: "Ray" is one of Ray Charles's,
    # and "Satyajit Ray" no page of his.)
    listed = sorted((s for s, n in spellings.items() if n), key=len, reverse=True)
    named = re.compile(r"\b(?:" + "|".join(re.escape(fold(s).lower()) for s in listed)
                       + r")\b") if listed else None

    def about(i: int) -> int:
        title = results[i].get("title", "")
        if names.name_keys(title) & keys:
            return 0
        return 1 if named and named.search(fold(title).lower()) else 2

    return sorted(range(len(places)), key=lambda i: (about(i), places[i], i))


def more_like(searcher: Searcher, path: str, limit: int = 5) -> list[Hit]:
    """Pages that share the most distinctive words with `path`."""
    docnum = searcher.document_number(path=path)
    if docnum is None:
        return []
    text = page_text(searcher, docnum)[:20_000]
    results = searcher.more_like(docnum, "text", text=text, top=limit, numterms=12)
    return [Hit(path=h["path"], title=h.get("title", ""), score=round(h.score, 4),
                snippet=snippets.lead(page_text(searcher, h.docnum), 160)) for h in results]
