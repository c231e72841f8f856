"""The Whoosh schema: one document per page."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Characters

from .analysis import text_analyzer, word_values
from .page import Page


@dataclass(frozen=True)
class PreAnalyzed:
    """A field's postings, computed by `field.index(text)` in a worker process."""

    items: list[tuple[bytes, int, float, bytes]]


class AnalyzedText(TEXT):
    """A TEXT field that also accepts postings analysed elsewhere.

    Analysis is most of the cost of adding a page; doing it in the worker processes that
    already parse the pages leaves the single Whoosh writer only the sorting and writing.
    """

    def index(self, value, **kwargs):
        if isinstance(value, PreAnalyzed):
            return value.items
        if isinstance(value, str):
            return word_values(value, self.format, isinstance(self.format, Characters))
        return super().index(value, **kwargs)


TEXT_FIELDS = ("title", "headings", "text")


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
        title=AnalyzedText(analyzer=analyzer, stored=True, phrase=True, field_boost=4.0),
        headings=AnalyzedText(analyzer=analyzer, stored=True, phrase=True, field_boost=2.0),
        text=AnalyzedText(analyzer=analyzer, stored=True, phrase=True, chars=True),
        persons=KEYWORD(stored=True, commas=True, scorable=True, lowercase=True),
        years=NUMERIC(int, bits=32, signed=True, stored=True),
        date=ID(stored=True, sortable=True),
        section=ID(stored=True, sortable=True),
        encoding=STORED(),
    )


def page_document(page: Page) -> dict:
    """The fields of one Whoosh document for `page`."""
    doc = {
        "path": page.path,
        "content_hash": page.content_hash,
        "size": page.size,
        "mtime_ns": page.mtime_ns,
        "title": page.title,
        "headings": "\n".join(page.headings),
        "text": page.text,
        "persons": ",".join(p.replace(",", " ") for p in page.persons),
        "section": page.section,
        "encoding": page.encoding,
    }
    if page.years:
        doc["years"] = list(page.years)
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
