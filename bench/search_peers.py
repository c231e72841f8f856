"""The three engines of the search benches, on the same cleaned pages: Clio, SQLite FTS5, tantivy.

Shared by `search_quality.py` and `search_latency.py`; not a script of its own.

* Clio: a real index built with `clio index CORPUS --index DIR --full` (or reused with
  `--index`), searched through the one entry point `Clio(index_dir).search(query, limit)`.
* Peers: the SAME pages, read back from the Clio index's stored fields (the title and main text
  that Clio's pipeline kept), so differences come from ranking, not from cleaning.
  - SQLite FTS5 (standard library): `fts5(path UNINDEXED, title, body,
    tokenize='porter unicode61 remove_diacritics 2')`, ranked by `bm25(pages, 0, 10, 1)`
    (title weighted 10x), snippets from FTS5's `snippet()` on the body.
  - tantivy (`pip install tantivy`; bench only, not a Clio dependency): title and body as text
    fields with the stock English stemming tokenizer `en_stem`, title boosted 3x at query time,
    snippets from tantivy's `SnippetGenerator` on the body. Missing tantivy is skipped with a
    message.
* Query handling for the peers, the same for every query: the reader's words are split into
  terms (`\\w+`, Unicode), each term is quoted (so `-`, `:`, `AND`, quotes and other syntax in
  what a reader typed are plain words, never operators), and the terms are OR-ed. Both peers rank
  an OR of terms by BM25, so pages matching more (and rarer) terms come first; an AND would return
  nothing for most natural queries ("why did the roman empire fall"). Common English function
  words (`STOP_WORDS`) are dropped from the peers' queries unless nothing else is left: with them,
  FTS5's snippet() takes seconds on long chapters full of "the" and "of".
  Clio gets the raw query string: its own parser is under test.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
TANTIVY_HINT = "pip install tantivy   (into the venv; bench only, not a Clio dependency)"
TERM = re.compile(r"\w+", re.UNICODE)

sys.path.insert(0, str(REPO))


@dataclass
class PageRecord:
    path: str
    title: str
    text: str


def build_clio_index(corpus: Path, index_dir: Path) -> float:
    """`clio index CORPUS --index DIR --full`; returns wall seconds."""
    cmd = [sys.executable, "-m", "indexer", "index", str(corpus), "--index", str(index_dir),
           "--full"]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"clio index failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return time.perf_counter() - started


def read_pages(index_dir: Path) -> list[PageRecord]:
    """Title and main text of every page, as Clio's pipeline cleaned and stored them."""
    from indexer import store
    from indexer.pages import page_text

    ix = store.open_index(index_dir)
    with ix.searcher() as s:
        pages = [PageRecord(s.stored_fields(n)["path"], s.stored_fields(n).get("title", "") or "",
                            page_text(s, n))
                 for n in s.reader().all_doc_ids()]
    ix.close()
    pages.sort(key=lambda p: p.path)
    return pages


# Common English function words, dropped from the peers' OR queries (kept when a query has
# nothing else): an OR with "the" or "of" matches nearly every page, which costs the peers a lot
# of time (FTS5's snippet() on a long chapter with thousands of "the") and some ranking quality.
STOP_WORDS = frozenset("""
a an and are as at be been but by did do does for from had has have he her his how i if in into
is it its me my no not of on or our she so than that the their them then there these they this
to was we were what when where which who whom why will with you your
""".split())


def query_terms(query: str) -> list[str]:
    terms = TERM.findall(query.lower())
    content = [t for t in terms if t not in STOP_WORDS]
    return content or terms


class ClioEngine:
    name = "clio"

    def __init__(self, index_dir: Path):
        from indexer.search import Clio

        self.clio = Clio(index_dir)
        self.last_took_ms = 0.0

    def search(self, query: str, k: int = 10) -> list[str]:
        res = self.clio.search(query, limit=k)
        self.last_took_ms = res.took_ms
        return [h.path for h in res.results]

    def search_full(self, query: str, k: int = 10):
        """Whatever Clio.search computes (snippets, facets...): the latency unit."""
        res = self.clio.search(query, limit=k)
        self.last_took_ms = res.took_ms
        return res

    def titles(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        return [(h.path, h.title) for h in self.clio.search(query, limit=k).results]


class Fts5Engine:
    name = "fts5"

    def __init__(self, pages: list[PageRecord], db_path: Path):
        if db_path.exists():
            db_path.unlink()
        self.db = sqlite3.connect(str(db_path), check_same_thread=False)
        self.db.execute(
            "CREATE VIRTUAL TABLE pages USING fts5(path UNINDEXED, title, body, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        with self.db:
            self.db.executemany("INSERT INTO pages(path, title, body) VALUES (?, ?, ?)",
                                ((p.path, p.title, p.text) for p in pages))
            self.db.execute("INSERT INTO pages(pages) VALUES ('optimize')")

    @staticmethod
    def match_expr(query: str) -> str:
        # Each term as an FTS5 string (double quotes doubled), OR-ed: no reader input is syntax.
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in query_terms(query))

    def search(self, query: str, k: int = 10) -> list[str]:
        expr = self.match_expr(query)
        if not expr:
            return []
        rows = self.db.execute(
            "SELECT path FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, 0, 10.0, 1.0) "
            "LIMIT ?", (expr, k)).fetchall()
        return [r[0] for r in rows]

    def search_full(self, query: str, k: int = 10) -> list[tuple[str, str, str]]:
        expr = self.match_expr(query)
        if not expr:
            return []
        # The top k by bm25 first, then snippet() for those k rows only: with a plain
        # ORDER BY ... LIMIT, SQLite's sorter would compute snippet() for every matching row.
        return self.db.execute(
            "SELECT path, title, snippet(pages, 2, '<mark>', '</mark>', ' … ', 40) FROM pages "
            "WHERE pages MATCH ?1 AND rowid IN (SELECT rowid FROM pages WHERE pages MATCH ?1 "
            "ORDER BY bm25(pages, 0, 10.0, 1.0) LIMIT ?2) ORDER BY bm25(pages, 0, 10.0, 1.0)",
            (expr, k),
        ).fetchall()


class TantivyEngine:
    name = "tantivy"
    TITLE_BOOST = 3.0

    def __init__(self, pages: list[PageRecord], index_dir: Path):
        import tantivy

        self.tantivy = tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("path", stored=True, tokenizer_name="raw")
        sb.add_text_field("title", stored=True, tokenizer_name="en_stem")
        sb.add_text_field("body", stored=True, tokenizer_name="en_stem")
        self.schema = sb.build()
        shutil.rmtree(index_dir, ignore_errors=True)
        index_dir.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(index_dir))
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for p in pages:
            writer.add_document(tantivy.Document(path=p.path, title=p.title, body=p.text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def parse(self, query: str):
        terms = query_terms(query)
        if not terms:
            return None
        # Quoted terms: a reader's ':' '-' '"' 'AND' never become tantivy syntax; OR by default.
        text = " ".join('"' + t + '"' for t in terms)
        return self.index.parse_query(text, ["title", "body"],
                                      field_boosts={"title": self.TITLE_BOOST})

    def search(self, query: str, k: int = 10) -> list[str]:
        q = self.parse(query)
        if q is None:
            return []
        hits = self.searcher.search(q, k).hits
        return [self.searcher.doc(addr)["path"][0] for _score, addr in hits]

    def search_full(self, query: str, k: int = 10) -> list[tuple[str, str, str]]:
        q = self.parse(query)
        if q is None:
            return []
        hits = self.searcher.search(q, k).hits
        gen = self.tantivy.SnippetGenerator.create(self.searcher, q, self.schema, "body")
        out = []
        for _score, addr in hits:
            doc = self.searcher.doc(addr)
            out.append((doc["path"][0], doc["title"][0], gen.snippet_from_doc(doc).to_html()))
        return out


def tantivy_available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def _log(msg: str) -> None:
    print(msg, flush=True)


def prepare(corpus: Path, index: Path | None, workdir: Path, log=_log) -> tuple[Path, dict]:
    """The Clio index to use (built fresh unless given) and the engines, all on the same pages."""
    if index is None:
        index = workdir / "clio-index"
        log(f"building the Clio index: clio index {corpus} --index {index} --full ...")
        secs = build_clio_index(corpus, index)
        log(f"  done in {secs:.1f} s")
    else:
        log(f"reusing the Clio index in {index}")
    pages = read_pages(index)
    log(f"{len(pages)} pages read back from the Clio index (title + main text)")
    engines: dict = {"clio": ClioEngine(index)}
    started = time.perf_counter()
    engines["fts5"] = Fts5Engine(pages, workdir / "fts5.sqlite")
    secs = time.perf_counter() - started
    log(f"FTS5 index built in {secs:.1f} s (SQLite {sqlite3.sqlite_version})")
    if tantivy_available():
        started = time.perf_counter()
        engines["tantivy"] = TantivyEngine(pages, workdir / "tantivy-index")
        log(f"tantivy index built in {time.perf_counter() - started:.1f} s")
    else:
        log(f"tantivy is not installed: skipping it. To include it: {TANTIVY_HINT}")
    return index, engines
