"""The `clio` command: extract, index, search, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import pipeline


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clio")
def main() -> None:
    """Clio: full-text search for history websites."""


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jsonl", is_flag=True, help="One JSON object per line (the default output).")
@click.option("--max-bytes", default=pipeline.DEFAULT_MAX_BYTES, show_default=True)
def extract_command(paths: tuple[Path, ...], jsonl: bool, max_bytes: int) -> None:
    """Run the cleaning pipeline on PATHS and print what would be indexed, one JSON line each.

    For debugging "why is my page not found": shows the title, the main text exactly as it
    is indexed, headings, persons, years, the page's own date and the detected encoding.
    """
    out = sys.stdout
    for path in paths:
        result = pipeline.extract_file(path, str(path), max_bytes=max_bytes)
        record = result.to_json()
        record["path"] = str(path)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _fail(message: str) -> None:
    click.echo(f"clio: {message}", err=True)
    sys.exit(1)


@main.command("index")
@click.argument("corpus_dir", default="corpus", type=click.Path(path_type=Path))
@click.option("--index", "index_dir", default="index", type=click.Path(path_type=Path),
              show_default=True, help="Folder of the index.")
@click.option("--full", is_flag=True, help="Rebuild from scratch into a fresh folder, then swap.")
@click.option("--json", "as_json", is_flag=True, help="End with one JSON summary line on stdout.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--max-bytes", default=pipeline.DEFAULT_MAX_BYTES, show_default=True,
              help="Pages larger than this (also after gunzip) are skipped.")
@click.option("--wait", default=0.0, show_default=True,
              help="Seconds to wait for another clio index to finish.")
@click.option("--status", "status_file", default=None, type=click.Path(path_type=Path),
              help="Keep a JSON progress report in this file (used by POST /api/reindex).")
@click.option("--nice", default=0, show_default=True, type=click.IntRange(0, 19),
              help="Lower CPU priority, so a server on the same machine keeps answering.")
def index_command(corpus_dir: Path, index_dir: Path, full: bool, as_json: bool,
                  workers: int | None, max_bytes: int, wait: float,
                  status_file: Path | None, nice: int) -> None:
    """Index the pages in CORPUS_DIR (default ./corpus): new, changed and deleted pages."""
    import os
    import time

    if nice:
        os.nice(nice)  # the worker processes inherit it

    from .corpus import CorpusMissing
    from .index import build_index
    from .reindex import write_status
    from .store import IndexError_

    bar = None
    started = time.time()
    last_status = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal bar, last_status
        if sys.stderr.isatty() and not as_json:
            if bar is None:
                bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
                bar.__enter__()
            bar.update(1)
        now = time.monotonic()
        if status_file is not None and (now - last_status > 0.5 or done == total):
            last_status = now
            write_status(status_file, state="running", pid=os.getpid(), done=done,
                         total=total, started=started)

    def failed(message: str) -> None:
        if status_file is not None:
            write_status(status_file, state="failed", error=message, started=started)
        _fail(message)

    if status_file is not None:
        write_status(status_file, state="running", pid=os.getpid(), done=0, total=None,
                     started=started)
    try:
        report = build_index(corpus_dir, index_dir, full=full, workers=workers,
                             max_bytes=max_bytes, wait=wait, progress=progress)
    except (CorpusMissing, IndexError_) as e:
        failed(str(e))
    except KeyboardInterrupt:
        failed("interrupted; the previous index is unchanged")
    except OSError as e:
        failed(f"cannot write the index in {index_dir}: {e.strerror or e}; "
               "the previous index is unchanged")
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if status_file is not None:
        write_status(status_file, state="done", started=started, finished=time.time(),
                     **report.to_json())
    for s in report.skipped:
        click.echo(f"skipped {s.path}: {s.reason}", err=True)
    if report.reason:
        click.echo(f"note: {report.reason}", err=True)
    summary = (f"{report.pages} pages in the index: {report.added} added, {report.updated} "
               f"updated, {report.removed} removed, {report.unchanged} unchanged, "
               f"{len(report.skipped)} skipped ({report.seconds:.1f} s)")
    if as_json:
        click.echo(summary, err=True)
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        click.echo(summary)


@main.command("watch")
@click.argument("corpus_dir", default="corpus", type=click.Path(path_type=Path))
@click.option("--index", "index_dir", default="index", type=click.Path(path_type=Path),
              show_default=True, help="Folder of the index.")
@click.option("--debounce", default=1.0, show_default=True,
              help="Seconds of quiet after a change before indexing.")
@click.option("--wait", default=30.0, show_default=True,
              help="Seconds to wait for another clio index to finish.")
def watch_command(corpus_dir: Path, index_dir: Path, debounce: float, wait: float) -> None:
    """Keep the index current: reindex CORPUS_DIR whenever its pages change. Ctrl-C stops."""
    from .corpus import CorpusMissing
    from .store import IndexError_
    from .watch import watch_corpus

    def report(r) -> None:
        for s in r.skipped:
            click.echo(f"skipped {s.path}: {s.reason}", err=True)
        click.echo(f"{r.pages} pages: {r.added} added, {r.updated} updated, {r.removed} "
                   f"removed ({r.seconds:.1f} s)", err=True)

    click.echo(f"Watching {corpus_dir} (Ctrl-C stops)", err=True)
    try:
        watch_corpus(corpus_dir, index_dir, report, debounce=debounce, wait=wait)
    except (CorpusMissing, IndexError_) as e:
        _fail(str(e))
    except KeyboardInterrupt:
        click.echo("Stopped watching.", err=True)


@main.command("search")
@click.argument("query", required=False)
@click.option("--index", "index_dir", default="index", type=click.Path(path_type=Path),
              show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
@click.option("--batch", is_flag=True, help="Read one query per line on stdin; JSON lines out.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
def search_command(query: str | None, index_dir: Path, as_json: bool, batch: bool,
                   limit: int) -> None:
    """Search the index for QUERY."""
    from .search import Clio
    from .store import IndexError_

    if not batch and query is None:
        _fail("give a QUERY, or --batch to read queries from stdin")
    try:
        _search(Clio(index_dir), query, as_json, batch, limit)
    except IndexError_ as e:
        _fail(str(e))


def _search(clio, query: str | None, as_json: bool, batch: bool, limit: int) -> None:
    if batch:
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            click.echo(json.dumps(_batch_record(clio.search(line, limit=limit)),
                                  ensure_ascii=False))
        return
    results = clio.search(query, limit=limit)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False))
        return
    for message in results.messages:
        click.echo(message)
    if results.did_you_mean and not results.messages:
        click.echo(f"Did you mean: {results.did_you_mean}?")
    click.echo(f"{results.total} results ({results.took_ms:.1f} ms)")
    for n, hit in enumerate(results.results, 1):
        click.echo(click.style(f"{n}. {hit.title}", bold=True) + f"  [{hit.path}]")
        snippet = hit.snippet.replace("<mark>", click.style("", bold=True, reset=False))
        snippet = snippet.replace("</mark>", click.style("", reset=True))
        click.echo("   " + _unescape(snippet))


BATCH_HIT_FIELDS = ("path", "title", "score", "snippet", "persons", "years")


def _batch_record(results) -> dict:
    """The fixed `--batch` line: query, total, took_ms and the results."""
    return {
        "query": results.query,
        "total": results.total,
        "took_ms": results.took_ms,
        "results": [{k: getattr(hit, k) for k in BATCH_HIT_FIELDS} for hit in results.results],
    }


def _unescape(html_text: str) -> str:
    import html

    return html.unescape(html_text)


@main.command("serve")
@click.option("--index", "index_dir", default=None, type=click.Path(path_type=Path),
              help="Folder of the index [default: index, or CLIO_INDEX / config].")
@click.option("--corpus", "corpus_dir", default=None, type=click.Path(path_type=Path),
              help="Folder of the saved pages [default: corpus].")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker (more only help slow clients not behind a proxy).")
@click.option("--config", "config_file", default=None, type=click.Path(path_type=Path),
              help="A TOML file of settings (or set CLIO_CONFIG).")
@click.option("--access-log/--no-access-log", default=True, show_default=True)
def serve_command(index_dir: Path | None, corpus_dir: Path | None, host: str, port: int,
                  workers: int, threads: int, config_file: Path | None,
                  access_log: bool) -> None:
    """Serve the web UI and the JSON API with uWSGI, a production WSGI server."""
    from webui import create_app
    from webui.server import ServerMissing, run_uwsgi

    # Built here once so that bad settings fail now, with their message, not in each worker.
    app = create_app(index_dir=index_dir, corpus_dir=corpus_dir, config_file=config_file)
    click.echo(f"Clio serving {app.config['CLIO_INDEX']} on http://{host}:{port}/ "
               f"({workers} workers × {threads} threads)", err=True)
    try:
        run_uwsgi(host=host, port=port, workers=workers, threads=threads, access_log=access_log,
                  settings={"INDEX": index_dir, "CORPUS": corpus_dir, "CONFIG": config_file})
    except ServerMissing as e:
        raise click.ClickException(str(e)) from None
