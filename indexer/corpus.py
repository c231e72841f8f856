"""Finding the pages of a corpus folder, and the files that cannot be pages (with reasons)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .page import Skipped

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")


@dataclass(frozen=True)
class PageFile:
    """A candidate page on disk."""

    path: Path  # absolute
    relpath: str  # relative to the corpus root, "/"-separated
    size: int
    mtime_ns: int


class CorpusMissing(Exception):
    """The corpus folder does not exist or is not a folder."""


def is_page_name(name: str) -> bool:
    return name.lower().endswith(PAGE_SUFFIXES)


def display_name(name: str) -> str:
    """A file name made safe to show: undecodable bytes and control characters escaped."""
    raw = os.fsencode(name)
    text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def walk_corpus(root: Path) -> Iterator[PageFile | Skipped]:
    """Every page file under `root`, in a stable order, and a `Skipped` for each bad one.

    Symlinks are followed only while they stay inside the corpus, and each real folder is
    visited once, so a symlink loop cannot make the walk endless. Hidden entries (".git") are
    not part of the corpus.
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusMissing(f"corpus folder not found: {root}")
    real_root = root.resolve()
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[Path, str]] = [(real_root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            st = folder.stat()
        except OSError as e:
            yield Skipped(prefix.rstrip("/") or ".", f"cannot open folder: {e.strerror or e}")
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            yield Skipped(prefix.rstrip("/"), "symlink loop: folder already visited")
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError as e:
            yield Skipped(prefix.rstrip("/") or ".", f"cannot list folder: {e.strerror or e}")
            continue
        subfolders = []
        for entry in reversed(entries):
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            result = _classify(entry, rel, real_root)
            if isinstance(result, tuple):
                subfolders.append(result)
                if is_page_name(name):
                    # Its pages are still indexed; the folder itself is reported.
                    yield Skipped(rel, "is a folder, not a page")
            elif result is not None:
                yield result
        stack.extend(reversed(subfolders))


def _classify(entry: os.DirEntry, rel: str, real_root: Path):
    """A PageFile, a Skipped, a (folder, prefix) to descend into, or None to ignore."""
    name = entry.name
    page_like = is_page_name(name)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return Skipped(display_name(rel), "file name is not valid UTF-8") if page_like else None
    if any(c in name for c in "\n\r"):
        return Skipped(display_name(rel), "file name contains a line break") if page_like else None
    try:
        st = entry.stat(follow_symlinks=True)
    except OSError as e:
        if entry.is_symlink():
            return Skipped(rel, "broken symlink or symlink loop") if page_like else None
        return Skipped(rel, f"cannot stat: {e.strerror or e}") if page_like else None
    if entry.is_symlink():
        target = Path(os.path.realpath(entry.path))
        if not target.is_relative_to(real_root):
            return Skipped(rel, "symlink points outside the corpus") if page_like else None
    if stat.S_ISDIR(st.st_mode):
        return Path(entry.path), rel + "/"
    if not page_like:
        return None
    if not stat.S_ISREG(st.st_mode):
        return Skipped(rel, "not a regular file")
    return PageFile(Path(entry.path), rel, st.st_size, st.st_mtime_ns)
