"""The README's two commands stay true: CI runs exactly the test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_starts_with_run_and_test_commands():
    run, test = _readme_commands()
    assert "pip install -e ." in run and "clio index corpus" in run and "clio serve" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command():
    _, test = _readme_commands()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_sample_corpus_sources_keep_their_source_notes():
    for source in (REPO / "corpus").iterdir():
        if source.is_dir():
            assert (source / "SOURCE.md").is_file(), source


def test_readme_names_every_api_route_and_only_those():
    """The README's list of read-only API routes and the OpenAPI description agree (the
    description does not list itself)."""
    from webui.openapi import openapi_spec

    text = (REPO / "README.md").read_text(encoding="utf-8")
    said = {re.sub(r"<[^>]+>", "{}", p) for p in re.findall(r"`(/api/[^`\s]*|/healthz)`", text)}
    described = {re.sub(r"\{[^}]+\}", "{}", p) for p in openapi_spec()["paths"]}
    assert said - {"/api/openapi.json"} == described
