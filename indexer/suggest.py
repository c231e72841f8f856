"""Autocomplete: page titles and person names that start with what the reader has typed."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .analysis import fold


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "title" or "person"
    label: str
    path: str | None  # the page, for titles
    pages: int  # how many pages (1 for a title)


class SuggestTable:
    """Folded labels in sorted order, read once per opened index from columns and lexicons."""

    def __init__(self, reader):
        entries: list[tuple[str, Suggestion]] = []
        for sub, _offset in reader.leaf_readers():
            if not sub.has_column("title_col"):
                continue
            paths = sub.column_reader("path")
            titles = sub.column_reader("title_col")
            for docnum in range(sub.doc_count_all()):
                if sub.is_deleted(docnum):
                    continue
                title = titles[docnum].decode("utf-8")
                if title:
                    entries.append((fold(title), Suggestion("title", title, paths[docnum], 1)))
        for name in reader.field_terms("persons"):
            pages = reader.doc_frequency("persons", name)
            if pages:
                entries.append((fold(name), Suggestion("person", name, None, pages)))
                # "Caesar" should find "Julius Caesar": index the surname too.
                last = fold(name).rsplit(" ", 1)[-1]
                if last != fold(name):
                    entries.append((last, Suggestion("person", name, None, pages)))
        entries.sort(key=lambda e: e[0])
        self._keys = [e[0] for e in entries]
        self._items = [e[1] for e in entries]

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        key = fold(prefix)
        if not key:
            return []
        found: dict[tuple[str, str], Suggestion] = {}
        i = bisect.bisect_left(self._keys, key)
        while i < len(self._keys) and self._keys[i].startswith(key) and len(found) < 200:
            item = self._items[i]
            found.setdefault((item.kind, item.label), item)
            i += 1
        # Persons named on many pages first, then titles; shorter (closer) labels first.
        ranked = sorted(found.values(), key=lambda s: (-s.pages, len(s.label), s.label))
        return ranked[:limit]
