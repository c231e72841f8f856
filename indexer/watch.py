"""`clio watch`: index changes to the corpus within seconds of them happening."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .index import IndexReport, build_index

DEBOUNCE_SECONDS = 1.0


class _Changes(FileSystemEventHandler):
    """Sets an event on any change that could concern a page."""

    def __init__(self, ignore: Path):
        self.changed = threading.Event()
        self.ignore = ignore

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = Path(str(event.src_path))
        if path.is_relative_to(self.ignore) or any(p.startswith(".") for p in path.parts):
            return
        self.changed.set()


def watch_corpus(corpus_dir: Path, index_dir: Path, on_report: Callable[[IndexReport], None],
                 debounce: float = DEBOUNCE_SECONDS, stop: threading.Event | None = None,
                 **index_options) -> None:
    """Index now, then again after each burst of changes has been quiet for `debounce` s.

    Returns when `stop` is set (or raises KeyboardInterrupt on Ctrl-C, after stopping the
    file watcher cleanly).
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    stop = stop or threading.Event()
    changes = _Changes(index_dir.resolve())
    observer = Observer()
    observer.schedule(changes, str(corpus_dir.resolve()), recursive=True)
    observer.start()
    try:
        on_report(build_index(corpus_dir, index_dir, **index_options))
        while not stop.is_set():
            if not changes.changed.wait(0.2):
                continue
            # A copy of many files arrives as a burst of events: wait for quiet.
            changes.changed.clear()
            while changes.changed.wait(debounce):
                changes.changed.clear()
            on_report(build_index(corpus_dir, index_dir, **index_options))
    finally:
        observer.stop()
        observer.join(timeout=5)
