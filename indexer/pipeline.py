"""One file in, one `Page` (or `Skipped`) out: the whole per-page pipeline.

Runs in worker processes during indexing, so it takes and returns plain picklable data.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

from lxml import etree

from . import clean, decode, extract, parse, periods, persons
from .page import Page, Skipped

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class SkipPage(Exception):
    """Raised inside the pipeline when a page cannot be indexed; the message is the reason."""


def read_raw(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes as stored; never more than `max_bytes`."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise SkipPage(f"cannot stat file: {e.strerror or e}") from e
    if size > max_bytes:
        raise SkipPage(f"file is {size:,} bytes, over the size cap of {max_bytes:,}")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except IsADirectoryError as e:
        raise SkipPage("is a directory") from e
    except OSError as e:
        raise SkipPage(f"cannot read file: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise SkipPage(f"file is over the size cap of {max_bytes:,} bytes")
    return data


def page_bytes(raw: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The HTML bytes of a stored file: gunzipped for `.gz` names."""
    return _gunzip_capped(raw, max_bytes) if name.endswith(".gz") else raw


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    # A decompression bomb must not exhaust memory: inflate at most max_bytes + 1.
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise SkipPage(f"not a valid gzip file: {e}") from e
    if len(out) > max_bytes or d.unconsumed_tail:
        raise SkipPage(f"decompressed page is over the size cap of {max_bytes:,} bytes")
    return out


def looks_binary(data: bytes) -> bool:
    """True for images, PDFs and other non-text files that were saved with an .html name."""
    head = data[:4096]
    if head.startswith((b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text
        return False
    # Text in any 8-bit encoding has few control bytes; UTF-16 without BOM is handled by decode.
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    nuls = head.count(0)
    return controls - nuls > len(head) * 0.05 or (nuls > len(head) * 0.3 and not _utf16ish(head))


def _utf16ish(head: bytes) -> bool:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > len(head) * 0.35 and min(even, odd) < len(head) * 0.05


def page_from_bytes(data: bytes, relpath: str) -> Page:
    """Decode, parse, clean and extract one page. Raises SkipPage with the reason."""
    if not data.strip():
        raise SkipPage("empty file")
    if looks_binary(data):
        raise SkipPage("binary file, not HTML")
    decoded = decode.decode_page(data)
    try:
        root = parse.parse_html(decoded.text)
    except parse.UnparsablePage as e:
        raise SkipPage(str(e)) from e
    page_date = periods.find_page_date(extract.all_text(root))
    root = clean.clean_tree(root)
    title = extract.extract_title(root)
    text = extract.extract_text(root)
    if not text and not title:
        raise SkipPage("no text found on the page")
    mentions = persons.person_mentions(title, text)
    return Page(
        path=relpath,
        title=title,
        text=text,
        headings=extract.extract_headings(root),
        persons=[m.name for m in mentions],
        person_variants={m.name: sorted(set(m.variants) - {m.name}) for m in mentions},
        key_terms=persons.key_terms(text),
        years=periods.extract_years(text),
        date=page_date,
        encoding=decoded.encoding,
        section=relpath.split("/", 1)[0] if "/" in relpath else "",
    )


def extract_file(path: Path, relpath: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Skipped:
    """The whole pipeline for one file; every failure becomes a `Skipped` with its reason."""
    try:
        raw = read_raw(path, max_bytes)
        page = page_from_bytes(page_bytes(raw, path.name, max_bytes), relpath)
    except SkipPage as e:
        return Skipped(relpath, str(e))
    except RecursionError:
        return Skipped(relpath, "markup nested too deeply to process")
    except (etree.LxmlError, ValueError) as e:
        return Skipped(relpath, f"cannot parse page: {e}")
    except MemoryError:
        return Skipped(relpath, "page too large to process in memory")
    st = _stat(path)
    page.content_hash = content_hash(raw)
    page.size, page.mtime_ns = st
    return page


def _stat(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


