"""Where an index lives on disk, and how it is swapped and locked safely.

An index folder holds generations: `gen-<n>/` folders, each a complete Whoosh index, and a
`CURRENT` file naming the one searchers use. A full rebuild writes a new generation and then
replaces `CURRENT` with an atomic rename, so a crash at any moment leaves the previous
generation in place and searchable. Incremental runs update the current generation through
Whoosh's own commit, which writes new segment files first and its table of contents last
(also by rename), so a killed run leaves the last commit intact.
"""

from __future__ import annotations

import errno
import fcntl
import mmap
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

CURRENT = "CURRENT"
LOCK = "clio.lock"
GEN_PREFIX = "gen-"


class IndexError_(Exception):
    """Base for index problems that end a command with a one-line message."""


class IndexMissing(IndexError_):
    pass


class IndexLocked(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


def current_generation(index_dir: Path) -> Path | None:
    """The folder of the generation searchers should use, or None when there is none yet."""
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not name.startswith(GEN_PREFIX) or "/" in name:
        raise IndexCorrupt(f"{index_dir}/{CURRENT} is damaged; rebuild with `clio index --full`")
    return Path(index_dir) / name


class MappedStorage(FileStorage):
    """Index files read through mmap: reads are memory copies instead of a seek and a read
    call each, and the pages are the OS page cache's, shared by every server worker, rather
    than a private copy in each (Whoosh copies whole compound files into memory)."""

    def open_file(self, name, **kwargs):
        with open(self._fpath(name), "rb") as f:
            if os.fstat(f.fileno()).st_size == 0:
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return StructFile(mapped, name=name, **kwargs)


def open_index(index_dir: Path) -> whoosh_index.Index:
    """The current index for reading; a clear error when it is missing or damaged."""
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}; build one with `clio index`")
    try:
        return MappedStorage(str(gen)).open_index()
    except whoosh_index.EmptyIndexError as e:
        raise IndexCorrupt(
            f"the index in {gen} is incomplete; rebuild it with `clio index --full`"
        ) from e
    except (OSError, EOFError, ValueError, KeyError, TypeError) as e:
        raise IndexCorrupt(
            f"the index in {gen} cannot be read ({type(e).__name__}); "
            "rebuild it with `clio index --full`"
        ) from e


def new_generation(index_dir: Path) -> Path:
    gen = Path(index_dir) / f"{GEN_PREFIX}{time.time_ns()}"
    gen.mkdir(parents=True)
    return gen


def publish_generation(index_dir: Path, gen: Path) -> None:
    """Make `gen` the current generation in one atomic step, durable across a power cut."""
    index_dir = Path(index_dir)
    _fsync_tree(gen)
    tmp = index_dir / f"{CURRENT}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(gen.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def remove_stale_generations(index_dir: Path) -> None:
    """Delete generations nobody should use: leftovers of killed builds and old ones.

    The current generation and the one before it stay, so a searcher that opened the previous
    one just before a swap can finish. Call only while holding the writer lock.
    """
    index_dir = Path(index_dir)
    current = current_generation(index_dir)
    if current is None:
        return
    gens = sorted(_generation_number(p) for p in index_dir.glob(f"{GEN_PREFIX}*") if p.is_dir())
    now = _generation_number(current)
    previous = [n for n in gens if n < now][-1:]
    for n in gens:
        if n != now and n not in previous:
            shutil.rmtree(index_dir / f"{GEN_PREFIX}{n}", ignore_errors=True)
    for tmp in index_dir.glob(f"{CURRENT}.tmp-*"):
        tmp.unlink(missing_ok=True)


def _generation_number(gen: Path) -> int:
    suffix = gen.name[len(GEN_PREFIX):]
    return int(suffix) if suffix.isdigit() else -1


@contextmanager
def writer_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's writer lock; only one `clio index` writes at a time.

    An flock is released by the kernel when its process dies, so a killed run never leaves
    the index locked.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    who = f" (pid {holder})" if holder.isdigit() else ""
                    raise IndexLocked(
                        f"the index in {index_dir} is being written by another clio index{who}; "
                        "try again later or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def is_locked(index_dir: Path) -> bool:
    """Whether some process holds the writer lock right now."""
    try:
        fd = os.open(Path(index_dir) / LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases a lock we took
    return False


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for f in path.iterdir():
        if f.is_file():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(path)
