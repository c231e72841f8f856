"""Building and updating the index: new, changed and deleted pages, safely.

Pages are parsed and cleaned in worker processes over all cores; one Whoosh writer in this
process adds them (Whoosh's own multiprocess writer did not pay off on two cores).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from . import pipeline, store
from .corpus import PageFile, walk_corpus
from .page import Skipped
from .schema import analyzed_document, page_schema

# Postings are sorted in memory up to this size, then spilled to disk (slower). The shared
# corpus needs about 200 MB; peak memory has to stay under 500 MB.
WRITER_LIMIT_MB = 256
OPTIMIZE_FRACTION = 0.05  # merge into one segment when this share of pages changed
MAX_SEGMENTS = 4
# Whoosh packs a segment's files into one compound file by default, and readers then copy
# each packed file into memory (~40 MB per server worker on the shared corpus). Separate
# files are read in place and share the OS page cache between workers.
COMPOUND_SEGMENTS = False

# What turns a file into the document the index stores: these modules and the word lists in
# data/. An index built by other versions of them holds other persons, years or text for the
# pages that did not change since, so an incremental run rebuilds it in full instead.
EXTRACTION_MODULES = ("analysis", "clean", "decode", "extract", "names", "page", "parse",
                      "periods", "persons", "pipeline", "schema", "snippets", "textstats")
RULES_FILE = "clio-rules.txt"  # in each generation: the signature of the rules that built it


@dataclass
class IndexReport:
    """What one `clio index` run did; `to_json` is the `--json` summary."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    full: bool = False
    reason: str = ""  # why a full build was done when an incremental one was asked for

    def to_json(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "full": self.full,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Known:
    """What the index remembers of a page, to tell whether it changed."""

    content_hash: str
    size: int
    mtime_ns: int


ProgressCallback = Callable[[int, int], None]  # (pages done, pages to do)


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    *,
    full: bool = False,
    workers: int | None = None,
    max_bytes: int = pipeline.DEFAULT_MAX_BYTES,
    wait: float = 0.0,
    progress: ProgressCallback | None = None,
) -> IndexReport:
    """Bring the index in `index_dir` up to date with the pages in `corpus_dir`.

    Incremental unless `full` or there is no index yet. Raises `CorpusMissing` and the
    `store.IndexError_` family for fatal problems; a bad page is only skipped.
    """
    started = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    files: list[PageFile] = []
    report = IndexReport()
    for item in walk_corpus(corpus_dir):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            files.append(item)
    with store.writer_lock(index_dir, wait=wait):
        stale = not full and _schema_is_stale(index_dir)
        if stale:
            report.reason = ("the index was built by another version of Clio (its fields "
                             "differ); rebuilt in full")
        elif not full and _rules_changed(index_dir):
            stale = True
            report.reason = ("the index was built with other extraction rules (another "
                             "version of Clio or of its word lists); rebuilt in full")
        if full or stale or store.current_generation(index_dir) is None:
            report.full = True
            _full_build(files, index_dir, report, workers, max_bytes, progress)
        else:
            _incremental_update(files, index_dir, report, workers, max_bytes, progress)
        store.remove_stale_generations(index_dir)
        report.pages = store.open_index(index_dir).doc_count()
    report.skipped.sort(key=lambda s: s.path)
    report.seconds = time.perf_counter() - started
    return report


def _schema_is_stale(index_dir: Path) -> bool:
    """Whether the index has other fields than this version writes: updating it in place
    would fail (or leave old pages without the new fields), so it is rebuilt."""
    if store.current_generation(index_dir) is None:
        return False
    try:
        names = set(store.open_index(index_dir).schema.names())
    except store.IndexError_:
        return False  # damaged or missing: the incremental path reports it as before
    return names != set(page_schema().names())


def extraction_signature() -> str:
    """A fingerprint of the extraction rules: the sources of EXTRACTION_MODULES, the word
    lists in data/ and a site's own alias file ($CLIO_ALIASES)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    files = [here / f"{name}.py" for name in EXTRACTION_MODULES]
    files += sorted(p for p in (here / "data").iterdir() if p.is_file())
    extra = os.environ.get("CLIO_ALIASES")
    if extra and Path(extra).is_file():
        files.append(Path(extra))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _rules_changed(index_dir: Path) -> bool:
    """Whether the current generation was built with other extraction rules (or before they
    were recorded)."""
    gen = store.current_generation(index_dir)
    if gen is None:
        return False
    try:
        recorded = (gen / RULES_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        recorded = ""
    return recorded != extraction_signature()


def _full_build(files, index_dir, report, workers, max_bytes, progress) -> None:
    gen = store.new_generation(index_dir)
    ix = whoosh_index.create_in(str(gen), page_schema())
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, compound=COMPOUND_SEGMENTS)
    try:
        for result in _extract_all(files, workers, max_bytes, progress):
            if isinstance(result, Skipped):
                report.skipped.append(result)
            else:
                writer.add_document(**result.fields)
                report.added += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    (gen / RULES_FILE).write_text(extraction_signature() + "\n", encoding="ascii")
    store.publish_generation(index_dir, gen)


def _incremental_update(files, index_dir, report, workers, max_bytes, progress) -> None:
    ix = store.open_index(index_dir)
    known = _known_pages(ix)
    on_disk = {f.relpath for f in files}
    removed = [path for path in known if path not in on_disk]
    todo: list[PageFile] = []
    for f in files:
        old = known.get(f.relpath)
        if old is not None and old.size == f.size and old.mtime_ns == f.mtime_ns:
            report.unchanged += 1
        elif old is not None and _same_content(f, old.content_hash, max_bytes):
            # Touched but not changed (a copy, a `touch`): not worth parsing again.
            report.unchanged += 1
        else:
            todo.append(f)
    if not todo and not removed:
        return
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, compound=COMPOUND_SEGMENTS)
    try:
        for path in removed:
            writer.delete_by_term("path", path)
            report.removed += 1
        for result in _extract_all(todo, workers, max_bytes, progress):
            was_known = result.path in known
            if was_known:
                writer.delete_by_term("path", result.path)
            if isinstance(result, Skipped):
                # A page that broke is not left in the index with its old text.
                report.skipped.append(result)
                report.removed += was_known
                continue
            writer.add_document(**result.fields)
            if was_known:
                report.updated += 1
            else:
                report.added += 1
        changed = report.added + report.updated + report.removed
        with ix.reader() as reader:
            segments = len(reader.leaf_readers())
        # Each extra segment (and each deleted document left in one) slows every search, by
        # about half on the shared corpus; merging everything costs a rewrite of the index,
        # so it is done only once enough of it changed or segments pile up.
        writer.commit(optimize=changed > OPTIMIZE_FRACTION * max(1, len(known))
                      or segments >= MAX_SEGMENTS)
    except BaseException:
        writer.cancel()
        raise


def _known_pages(ix: whoosh_index.Index) -> dict[str, Known]:
    """path -> Known for every live document, read from columns (no stored text unpickled)."""
    known: dict[str, Known] = {}
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            paths = sub.column_reader("path")
            hashes = sub.column_reader("content_hash")
            sizes = sub.column_reader("size")
            mtimes = sub.column_reader("mtime_ns")
            for docnum in range(sub.doc_count_all()):
                if sub.is_deleted(docnum):
                    continue
                known[paths[docnum]] = Known(hashes[docnum], sizes[docnum], mtimes[docnum])
    return known


def _same_content(f: PageFile, old_hash: str, max_bytes: int) -> bool:
    try:
        return pipeline.content_hash(pipeline.read_raw(f.path, max_bytes)) == old_hash
    except pipeline.SkipPage:
        return False


@dataclass
class PageDoc:
    """A page ready for `writer.add_document`, as a worker process hands it back."""

    path: str
    fields: dict


def _extract_one(args: tuple[str, str, int]) -> PageDoc | Skipped:
    path, relpath, max_bytes = args
    page = pipeline.extract_file(Path(path), relpath, max_bytes)
    if isinstance(page, Skipped):
        return page
    return PageDoc(page.path, analyzed_document(page))


def _extract_all(
    files: list[PageFile],
    workers: int | None,
    max_bytes: int,
    progress: ProgressCallback | None,
) -> Iterator[PageDoc | Skipped]:
    """Run the page pipeline over `files`, in worker processes when there is enough work."""
    tasks = [(str(f.path), f.relpath, max_bytes) for f in files]
    workers = workers or os.cpu_count() or 1
    results: Iterable[PageDoc | Skipped]
    if workers == 1 or len(tasks) < 8:
        results = map(_extract_one, tasks)
        yield from _with_progress(results, len(tasks), progress)
        return
    chunksize = max(1, min(16, len(tasks) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_extract_one, tasks, chunksize=chunksize)
        yield from _with_progress(results, len(tasks), progress)


def _with_progress(results, total, progress) -> Iterator[PageDoc | Skipped]:
    for done, result in enumerate(results, 1):
        if progress is not None:
            progress(done, total)
        yield result
