"""Reindexing while serving: a `clio index` subprocess, and a status file anyone can read.

A subprocess, not a thread in the web server: indexing forks worker processes and is
CPU-heavy, and a crash or kill of it must not take a server worker down. The status file
lives in the index folder, so every server worker (a separate process) reports the same
progress, and the index's writer lock keeps it to one reindex at a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import store

STATUS_FILE = "reindex-status.json"
REINDEX_NICE = 10  # searches come first: the server shares the machine with the reindex


def status_path(index_dir: Path) -> Path:
    return Path(index_dir) / STATUS_FILE


def write_status(path: Path, **status) -> None:
    """Replace the status file atomically, so readers never see half of it."""
    status.setdefault("updated", time.time())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(status), encoding="utf-8")
    os.replace(tmp, path)


def read_status(index_dir: Path) -> dict:
    try:
        status = json.loads(status_path(index_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"state": "idle"}
    if status.get("state") == "running" and not _alive(status.get("pid")):
        status["state"] = "failed"
        status.setdefault("error", "the reindex process ended without finishing")
    return status


def is_running(index_dir: Path) -> bool:
    return store.is_locked(index_dir)


def start_reindex(corpus_dir: Path, index_dir: Path) -> subprocess.Popen | None:
    """Start an incremental `clio index` in the background; None if one is already running."""
    if is_running(index_dir):
        return None
    path = status_path(index_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer", "index", str(corpus_dir), "--index", str(index_dir),
         "--json", "--status", str(path), "--nice", str(REINDEX_NICE)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    write_status(path, state="running", pid=proc.pid, done=0, total=None, started=time.time())
    return proc


def _alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as finished.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True
