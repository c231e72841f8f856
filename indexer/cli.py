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
