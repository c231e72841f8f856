"""Building and updating real Whoosh indexes on disk."""

from __future__ import annotations

import os
import time

import pytest
from whoosh.query import Term

from indexer import store
from indexer.index import build_index
from indexer.search import Clio

from .conftest import SAMPLE_PAGES


def _paths_in_index(index_dir) -> set[str]:
    ix = store.open_index(index_dir)
    with ix.searcher() as s:
        return {fields["path"] for fields in s.all_stored_fields()}


def _top_paths(index_dir, query: str) -> list[str]:
    return [h.path for h in Clio(index_dir).search(query).results]


def test_full_build_indexes_every_page_and_finds_them(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    report = build_index(sample_corpus, index_dir)
    assert report.full and report.added == len(SAMPLE_PAGES) and report.skipped == []
    assert report.pages == len(SAMPLE_PAGES)
    assert _paths_in_index(index_dir) == set(SAMPLE_PAGES)
    assert _top_paths(index_dir, "Tamerlane")[0] == "simple-wikipedia-2010/Timur.html"
    # Accent folding: the Latin-1 page says "Göttingen".
    assert "mactutor-davis-women/Names/Johnson_Ada.html" in _top_paths(index_dir, "Gottingen")


def test_incremental_run_adds_updates_removes_and_skips_unchanged(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    (sample_corpus / "simple-wikipedia-2010/Cold_War.html").unlink()
    changed = sample_corpus / "simple-wikipedia-2010/Common_cold.html"
    changed.write_bytes(changed.read_bytes().replace(b"virus", b"zeppelinvirus"))
    new = sample_corpus / "new/Hastings.html"
    new.parent.mkdir()
    new.write_text("<h1>Battle of Hastings</h1><p>In 1066 William of Normandy landed.</p>")

    report = build_index(sample_corpus, index_dir)

    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert report.unchanged == len(SAMPLE_PAGES) - 2
    assert report.pages == len(SAMPLE_PAGES)
    assert not report.full
    assert _top_paths(index_dir, "zeppelinvirus") == ["simple-wikipedia-2010/Common_cold.html"]
    assert _top_paths(index_dir, "Normandy") == ["new/Hastings.html"]
    assert "simple-wikipedia-2010/Cold_War.html" not in _paths_in_index(index_dir)


def test_an_index_from_another_version_is_rebuilt_in_full(sample_corpus, tmp_path):
    from whoosh import index as whoosh_index

    from indexer.schema import page_schema

    index_dir = tmp_path / "index"
    index_dir.mkdir()
    older = page_schema()
    older.remove("lead")  # an index written before the lead field existed
    gen = store.new_generation(index_dir)
    writer = whoosh_index.create_in(str(gen), older).writer()
    writer.add_document(path="old/page.html", title="An old page", text="Written long ago.")
    writer.commit()
    store.publish_generation(index_dir, gen)

    report = build_index(sample_corpus, index_dir)

    assert report.full and "another version" in report.reason
    assert report.added == len(SAMPLE_PAGES) and "old/page.html" not in _paths_in_index(index_dir)
    assert "lead" in store.open_index(index_dir).schema.names()
    assert build_index(sample_corpus, index_dir).reason == ""  # and then incremental again


def test_an_index_built_with_other_extraction_rules_is_rebuilt_in_full(sample_corpus, tmp_path,
                                                                       monkeypatch):
    """Unchanged pages keep the persons and years the old rules gave them, unless a run
    that finds other rules (a new Clio, an edited word list) extracts every page again."""
    from indexer import index as index_module

    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    again = build_index(sample_corpus, index_dir)
    assert not again.full and again.unchanged == len(SAMPLE_PAGES)

    # A site's alias file is part of the rules too.
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[aliases]\n"Timur" = ["Timur the Great"]\n', encoding="utf-8")
    monkeypatch.setenv("CLIO_ALIASES", str(aliases))
    report = build_index(sample_corpus, index_dir)
    assert report.full and "extraction rules" in report.reason
    assert report.added == len(SAMPLE_PAGES)
    assert not build_index(sample_corpus, index_dir).full  # recorded: incremental again

    # An index from before the rules were recorded.
    (store.current_generation(index_dir) / index_module.RULES_FILE).unlink()
    assert build_index(sample_corpus, index_dir).full


def test_noop_rerun_writes_nothing(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    gen = store.current_generation(index_dir)
    files_before = sorted(p.name for p in gen.iterdir())
    report = build_index(sample_corpus, index_dir)
    assert report.unchanged == len(SAMPLE_PAGES)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert sorted(p.name for p in gen.iterdir()) == files_before


def test_touched_but_unchanged_page_is_not_reparsed(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    page = sample_corpus / SAMPLE_PAGES[0]
    os.utime(page, ns=(time.time_ns(), time.time_ns() + 10**9))
    report = build_index(sample_corpus, index_dir)
    assert report.unchanged == len(SAMPLE_PAGES) and report.updated == 0


def test_full_rebuild_swaps_generations_and_keeps_old_searcher_working(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    first_gen = store.current_generation(index_dir)
    clio = Clio(index_dir)
    assert clio.search("Tamerlane").total == 1
    old_searcher = store.open_index(index_dir).searcher()

    (sample_corpus / "simple-wikipedia-2010/Timur.html").unlink()
    build_index(sample_corpus, index_dir, full=True)
    second_gen = store.current_generation(index_dir)
    assert second_gen != first_gen
    # A searcher opened before the swap still answers from its generation...
    hits = old_searcher.search(Term("title", "tamerlan"))
    assert [h["path"] for h in hits] == ["simple-wikipedia-2010/Timur.html"]
    # ...and Clio moves to the new generation without being restarted.
    assert clio.search("Tamerlane").total == 0
    build_index(sample_corpus, index_dir, full=True)
    remaining = sorted(p.name for p in index_dir.glob("gen-*"))
    assert first_gen.name not in remaining and len(remaining) == 2


def test_broken_page_is_removed_when_it_changes_to_garbage(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    page = sample_corpus / "simple-wikipedia-2010/Genghis_Khan.html"
    page.write_bytes(b"")
    report = build_index(sample_corpus, index_dir)
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("simple-wikipedia-2010/Genghis_Khan.html", "empty file")
    ]
    assert report.removed == 1
    assert "simple-wikipedia-2010/Genghis_Khan.html" not in _paths_in_index(index_dir)


def test_second_writer_fails_cleanly_while_locked(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    with store.writer_lock(index_dir):
        with pytest.raises(store.IndexLocked, match="being written by another clio index"):
            build_index(sample_corpus, index_dir, wait=0.3)
    assert build_index(sample_corpus, index_dir).unchanged == len(SAMPLE_PAGES)


def test_missing_index_gives_clear_error(tmp_path):
    with pytest.raises(store.IndexMissing, match="clio index"):
        Clio(tmp_path / "nothing-here")


def test_one_open_clio_sees_each_new_commit(sample_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    clio = Clio(index_dir)
    assert clio.search("Normandy").total == 0
    # Make the index look long unchanged, so that the searcher is reused without looking.
    past = time.time() - 3600
    for path in (index_dir / store.CURRENT, store.current_generation(index_dir)):
        os.utime(path, (past, past))
    assert clio.search("Normandy").total == 0
    assert clio.searcher() is clio.searcher()

    new = sample_corpus / "new/Hastings.html"
    new.parent.mkdir()
    new.write_text("<h1>Battle of Hastings</h1><p>In 1066 William of Normandy landed.</p>")
    build_index(sample_corpus, index_dir)
    assert clio.search("Normandy").total == 1
    build_index(sample_corpus, index_dir, full=True)  # a new generation swapped in
    new.unlink()
    build_index(sample_corpus, index_dir)
    assert clio.search("Normandy").total == 0


def test_a_merging_commit_does_not_show_pages_twice_to_an_open_searcher(sample_corpus, tmp_path):
    """Whoosh's Searcher.refresh() keeps the segments a merge replaced (every page then
    appears twice); Clio opens a new searcher on each commit instead."""
    index_dir = tmp_path / "index"
    build_index(sample_corpus, index_dir)
    clio = Clio(index_dir)
    before = clio.search("first", per_page=100)
    assert before.total > 3
    # Changing many pages makes the incremental commit merge all segments into one.
    for rel in SAMPLE_PAGES[: len(SAMPLE_PAGES) // 2]:
        page = sample_corpus / rel
        page.write_bytes(page.read_bytes() + b"\n<p>Edited.</p>")
    build_index(sample_corpus, index_dir)
    assert clio.searcher().doc_count_all() == len(SAMPLE_PAGES)
    after = clio.search("first", per_page=100)
    paths = [h.path for h in after.results]
    assert len(paths) == len(set(paths)) and after.total == before.total
