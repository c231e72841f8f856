"""The Whoosh schema: one document per page, and how a `Page` fills it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Characters

from . import names
from .analysis import fold, text_analyzer, word_values
from .page import Page
from .snippets import pack_boundaries


@dataclass(frozen=True)
class PreAnalyzed:
    """A field's postings, computed by `field.index(text)` in a worker process."""

    items: list[tuple[bytes, int, float, bytes]]


class AnalyzedText(TEXT):
    """A TEXT field that indexes through the fast twin of its analyzer, or takes postings
    analysed elsewhere.

    Analysis is most of the cost of adding a page; doing it in the worker processes that
    already parse the pages leaves the single Whoosh writer only the sorting and writing.
    """

    def index(self, value, **kwargs):
        if isinstance(value, PreAnalyzed):
            return value.items
        if isinstance(value, str):
            return word_values(value, self.format, isinstance(self.format, Characters))
        return super().index(value, **kwargs)


TEXT_FIELDS = ("title", "headings", "key_terms", "lead", "text")
LEAD_WORDS = 100


def page_schema() -> Schema:
    analyzer = text_analyzer()
    return Schema(
        # Identity and change detection. Sortable fields get a column, which the incremental
        # indexer reads without unpickling every stored document (stored text is large).
        path=ID(stored=True, unique=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        size=NUMERIC(int, bits=64, stored=True, sortable=True),
        mtime_ns=NUMERIC(int, bits=64, stored=True, sortable=True),
        # What readers search. `text` keeps positions and character offsets so snippets are
        # cut from stored offsets instead of re-analysing a whole long page.
        title=AnalyzedText(analyzer=analyzer, stored=True, phrase=True),
        headings=AnalyzedText(analyzer=analyzer, stored=True, phrase=True),
        key_terms=AnalyzedText(analyzer=analyzer, stored=True, phrase=True),
        # The opening words of the text: where an article says what it is about ("... was
        # the first person to walk on the Moon"), so they count more than the rest.
        lead=AnalyzedText(analyzer=analyzer, phrase=True),
        text=AnalyzedText(analyzer=analyzer, phrase=True, chars=True),
        # The text itself, uncompressed: read for every snippet (see pages.page_text).
        text_col=COLUMN(VarBytesColumn()),
        # Its sentence boundaries, found once here instead of around every match of every
        # search (see snippets.StoredPage).
        sentences_col=COLUMN(VarBytesColumn()),
        # The folded title as one term: an exact-title query gets the page it names first.
        title_key=ID(),
        # The display title again as a column, for autocomplete without loading stored text.
        title_col=COLUMN(VarBytesColumn()),
        # Persons: canonical names for display and facets, spelling-independent keys to match.
        persons=KEYWORD(stored=True, commas=True, lowercase=False),
        person_variants=STORED(),  # canonical name -> spellings the page uses
        person_keys=KEYWORD(commas=True, scorable=True),
        # Periods: every year spoken of (BCE negative), and coarse buckets for facets.
        years=NUMERIC(int, bits=32, signed=True, stored=True),
        centuries=KEYWORD(commas=True),
        decades=KEYWORD(commas=True),
        year_sort=NUMERIC(int, bits=32, signed=True, sortable=True),
        # Unstemmed words of titles, headings and names: the vocabulary of "did you mean".
        vocab=KEYWORD(lowercase=True),
        date=ID(stored=True, sortable=True),
        section=ID(stored=True, sortable=True),
        encoding=STORED(),
    )


def lead_of(text: str, limit: int = LEAD_WORDS) -> str:
    """The first `limit` words of the text, from its first block of at least six words:
    shorter opening lines are captions, datelines or infobox remnants, not the lead."""
    words: list[str] = []
    for block in text.split("\n"):
        block_words = block.split()
        if not words and len(block_words) < 6:
            continue
        words.extend(block_words)
        if len(words) >= limit:
            break
    return " ".join(words[:limit])


def title_key(title: str) -> str:
    return " ".join(fold(title).split())


def century_of(year: int) -> int:
    """1..100 -> 1, 1801..1900 -> 19; -100..-1 -> -1 (1st century BC); no century zero."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year - 1) // 100 + 1)


def decade_of(year: int) -> int:
    """1860..1869 -> 1860; BCE decades by their magnitude: -49..-40 -> -40."""
    return year // 10 * 10 if year > 0 else -((-year) // 10 * 10)


def page_document(page: Page) -> dict:
    """The fields of one Whoosh document for `page`."""
    keys: set[str] = set()
    for name in page.persons:
        keys |= names.name_keys(name)
        for variant in page.person_variants.get(name, []):
            keys |= names.name_keys(variant)
    vocab_words = " ".join([page.title, *page.headings, *page.persons, *page.key_terms])
    doc = {
        "path": page.path,
        "content_hash": page.content_hash,
        "size": page.size,
        "mtime_ns": page.mtime_ns,
        "title": page.title,
        "headings": "\n".join(page.headings),
        "key_terms": "\n".join(page.key_terms),
        "text": page.text,
        "lead": lead_of(page.text),
        "title_key": title_key(page.title),
        "title_col": page.title.encode("utf-8"),
        "text_col": page.text.encode("utf-8"),
        "sentences_col": pack_boundaries(page.text),
        "persons": ",".join(p.replace(",", " ") for p in page.persons),
        "person_variants": {n: v for n, v in page.person_variants.items() if v},
        "person_keys": ",".join(sorted(k.replace(",", " ") for k in keys)),
        "vocab": " ".join(sorted(set(fold(vocab_words).split()))),
        "section": page.section,
        "encoding": page.encoding,
    }
    if page.years:
        doc["years"] = list(page.years)
        doc["centuries"] = ",".join(str(c) for c in sorted({century_of(y) for y in page.years}))
        doc["decades"] = ",".join(str(d) for d in sorted({decade_of(y) for y in page.years}))
        doc["year_sort"] = int(statistics.median_low(page.years))
    if page.date:
        doc["date"] = page.date
    return doc


_schema_for_workers: Schema | None = None


def analyzed_document(page: Page) -> dict:
    """`page_document` with the text fields already analysed (for `writer.add_document`)."""
    global _schema_for_workers
    if _schema_for_workers is None:
        _schema_for_workers = page_schema()
    doc = page_document(page)
    for name in TEXT_FIELDS:
        value = doc[name]
        doc[f"_stored_{name}"] = value
        doc[name] = PreAnalyzed(list(_schema_for_workers[name].index(value)))
    return doc
