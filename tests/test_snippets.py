"""Snippets: whole sentences, marked matches, escaped text, bounded length."""

from __future__ import annotations

import html
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer import pages, snippets, store
from indexer.index import build_index
from indexer.page import Page
from indexer.pipeline import extract_file
from indexer.schema import page_document, page_schema
from indexer.search import Clio
from indexer.snippets import (
    _ABBREVIATION,
    _SENTENCE_END,
    MAX_CANDIDATE_SENTENCES,
    MAX_CHARS,
    MAX_FRAGMENTS,
    Fragment,
    StoredPage,
    _fast_bounds,
    _fit,
    lead,
    pack_boundaries,
    render_fragment,
    sentence_bounds,
    snippet,
    stored_snippet,
)

from .conftest import SAMPLE_PAGES, copy_pages

BENCH_QUERIES = Path(__file__).resolve().parents[1] / "bench" / "queries.json"

TEXT = (
    "Stalin's spell lived on after his death in 1953. Only at the 20th Party Congress in "
    "February 1956, Nikita Khrushchev publicly attacked Stalin, blaming him for many "
    "shortcomings of the USSR. The party officially blamed Stalin; all over Russia Stalin "
    "portraits were removed.\nSuccess in the Space Race filled the citizens with pride. "
    "In 1961 the Soviet Union sent Yuri Gagarin, the first man, into space."
)


def _spans(word: str, text: str = TEXT) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), word.lower()) for m in re.finditer(word, text)]


def _plain(html_text: str) -> str:
    return re.sub(r"</?mark>", "", html_text)


def test_sentence_bounds_find_the_whole_sentence():
    at = TEXT.index("Khrushchev")
    start, end = sentence_bounds(TEXT, at)
    assert TEXT[start:end].startswith("Only at the 20th Party Congress")
    assert TEXT[start:end].endswith("of the USSR.")


def test_snippet_is_whole_sentences_with_marks():
    out = snippet(TEXT, _spans("Gagarin"))
    assert out == ("In 1961 the Soviet Union sent Yuri <mark>Gagarin</mark>, the first man, "
                   "into space.")


def test_snippet_prefers_sentences_with_more_query_terms_and_keeps_page_order():
    out = snippet(TEXT, _spans("Stalin") + _spans("Khrushchev"))
    assert "<mark>Khrushchev</mark>" in out
    assert len(_plain(out)) <= 330
    assert out.index("Khrushchev") < out.index("portraits") if "portraits" in out else True


def test_snippet_escapes_page_text():
    text = "A page about <script>alert(1)</script> & the Crusades. Nothing else."
    out = snippet(text, _spans("Crusades", text))
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert "<mark>Crusades</mark>" in out


def test_long_sentence_is_cut_around_the_match_on_word_boundaries():
    text = "word " * 200 + "Constantinople fell. " + "Then nothing."
    out = snippet(text, _spans("Constantinople", text))
    plain = _plain(out)
    assert "Constantinople" in plain and len(plain) <= 305
    assert plain.startswith("…") and " wor " not in f" {plain} "


def test_title_only_match_gives_the_lead_sentence():
    assert lead(TEXT) .startswith("Stalin's spell lived on after his death in 1953.")
    assert len(lead(TEXT)) <= 300
    assert snippet(TEXT, []) == lead(TEXT)


def test_abbreviations_do_not_end_sentences():
    text = "In 1961 J. F. Kennedy met Khrushchev in Vienna. Later came Cuba."
    start, end = sentence_bounds(text, text.index("Khrushchev"))
    assert text[start:end] == "In 1961 J. F. Kennedy met Khrushchev in Vienna."


# -- the fast path gives exactly what the plain algorithm gives ------------------------------
# `snippet` finds sentence bounds with str.rfind instead of a regex scan, and stops building
# sentences once the choice cannot change. These tests hold it to a plain version of the same
# algorithm, on real pages and on text made to hit the edge cases.

PAGES_PER_SOURCE = 8
MIN_PAGE_BYTES = 12_000


def _reference_snippet(text: str, matches: list[tuple[int, int, str]],
                       max_chars: int = MAX_CHARS, max_fragments: int = MAX_FRAGMENTS) -> str:
    """The snippet algorithm written plainly: every candidate sentence, each found with the
    regex scan of `sentence_bounds`, all ranked, then the greedy choice."""
    if not matches:
        return lead(text, max_chars)
    sentences: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    current = None
    for start, end, term in sorted(matches):
        if current is None or start >= current[1]:
            if len(sentences) >= MAX_CANDIDATE_SENTENCES:
                break
            current = sentence_bounds(text, start)
        sentences.setdefault(current, []).append((start, end, term))
    fragments = []
    for (s_start, s_end), found in sentences.items():
        lo, hi = _fit(text, s_start, s_end, [(a, b) for a, b, _ in found], max_chars)
        inside = [(a, b, t) for a, b, t in found if a >= lo and b <= hi]
        fragments.append(Fragment(lo, hi, tuple((a, b) for a, b, _ in inside),
                                  frozenset(t for _, _, t in inside)))
    fragments.sort(key=lambda f: (-len(f.terms), f.start))
    chosen: list[Fragment] = []
    used = 0
    for frag in fragments:
        length = frag.end - frag.start
        if chosen and (used + length > max_chars or len(chosen) >= max_fragments):
            continue
        if any(frag.start < c.end and c.start < frag.end for c in chosen):
            continue
        chosen.append(frag)
        used += length
        if used >= max_chars * 0.8 or len(chosen) >= max_fragments:
            break
    chosen.sort(key=lambda f: f.start)
    return " ".join(render_fragment(text, f) for f in chosen)


@pytest.fixture(scope="module")
def real_pages(shared_corpus) -> list[tuple[str, str]]:
    """(path, text) of a spread of real pages: a few of each source, long ones included."""
    pages = []
    for source in sorted(p for p in shared_corpus.iterdir() if p.is_dir()):
        files = sorted(p for p in source.rglob("*.html") if p.stat().st_size > MIN_PAGE_BYTES)
        for path in files[::max(1, len(files) // PAGES_PER_SOURCE)][:PAGES_PER_SOURCE]:
            relpath = path.relative_to(shared_corpus).as_posix()
            page = extract_file(path, relpath)
            if isinstance(page, Page) and page.text:
                pages.append((relpath, page.text))
    assert len(pages) >= 24 and max(len(t) for _, t in pages) > 100_000
    return pages


def _word_matches(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of each word, as the index gives them: grouped by term."""
    return [(m.start(), m.end(), w) for w in words
            for m in re.finditer(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]


def _query_words(text: str) -> list[list[str]]:
    """Queries of common words (thousands of matches), the page's own frequent words, rare
    words, and mixes of them."""
    counts = Counter(w.lower() for w in re.findall(r"[A-Za-z]{4,}", text))
    frequent = [w for w, _ in counts.most_common(2)] or ["the"]
    rare = sorted(w for w, c in counts.items() if c <= 2)[:3] or ["zzz"]
    return [["the"], ["the", "of"], frequent, [frequent[0], rare[0]], rare,
            [frequent[-1], "the", rare[-1], "and"], ["and", "in", "to", "a"]]


def test_fast_sentence_bounds_match_the_regex_scan_on_real_pages(real_pages):
    for path, text in real_pages:
        # Everywhere near a possible boundary, plus a stride through the whole page.
        near = {i + d for i, c in enumerate(text[:40_000]) if c in ".!?\n" for d in (-2, 0, 1, 3)}
        offsets = sorted(near | set(range(0, len(text) + 1, max(1, len(text) // 500))))
        cache: dict[int, bool] = {}
        for at in offsets:
            if 0 <= at <= len(text):
                assert _fast_bounds(text, at, cache) == sentence_bounds(text, at), (path, at)


TRICKY = [
    "One. Two.\nThree. “Four.” Five!) Six? (Seven.) J. F. Kennedy met Mr.\nSmith.",
    "End.\n\nNext line. Mr. Brown.\n A. B. C.\n”\nQuote.’ \n Then.",
    "No boundary at all in this long line of words without a stop",
    ".\n.\n. \n.) \n.”  \n!\n?\n\n\n. A .B c. D etc. E No. 5 pp. 6 St.\nLouis",
    "a.\nb. C.\n)D.” E. ) F. \n\n G.\t\nH. I.\u00a0J. K.\u2003L.",
]


@pytest.mark.parametrize("lookaround", [2, 5, 11, 400])
def test_fast_sentence_bounds_match_the_regex_scan_on_tricky_text(monkeypatch, lookaround):
    monkeypatch.setattr(snippets, "LOOKAROUND", lookaround)  # window edges everywhere
    rng = random.Random(lookaround)
    pieces = [". ", ".\n", ". \n", ".)", "” ", "\n", " ", "A", "b", "Mr.", "J.", "?", "!", "(", "“"]
    texts = TRICKY + ["".join(rng.choice(pieces) for _ in range(60)) for _ in range(150)]
    for text in texts:
        cache: dict[int, bool] = {}
        for at in range(len(text) + 1):
            assert _fast_bounds(text, at, cache) == sentence_bounds(text, at), (text, at)


def test_snippets_are_unchanged_on_real_pages(real_pages):
    compared = 0
    for path, text in real_pages:
        for words in _query_words(text):
            matches = _word_matches(text, words)
            for max_chars, max_fragments in ((MAX_CHARS, MAX_FRAGMENTS), (160, 2), (500, 5)):
                expected = _reference_snippet(text, matches, max_chars, max_fragments)
                assert snippet(text, matches, max_chars, max_fragments) == expected, (path, words)
                stored = stored_snippet(StoredPage.of_text(text), matches, max_chars,
                                        max_fragments)
                assert stored == expected, (path, words, max_chars)
                compared += 1
    assert compared > 500


def test_snippets_on_real_pages_mark_only_query_words_and_stay_short(real_pages):
    for path, text in real_pages:
        for words in _query_words(text):
            matches = _word_matches(text, words)
            out = snippet(text, matches)
            marked = re.findall(r"<mark>(.*?)</mark>", out)
            assert bool(marked) == bool(matches), (path, words)
            assert all(m.lower() in words for m in marked), (path, words, marked)
            assert "<" not in re.sub(r"</?mark>", "", out), (path, words)  # page text escaped
            plain = html.unescape(_plain(out))
            # At most MAX_CHARS of page text, and a space or '…' between fragments.
            assert len(plain.replace("…", "")) <= MAX_CHARS + MAX_FRAGMENTS - 1, (path, words)


def test_a_common_word_needs_only_a_few_sentences(real_pages, monkeypatch):
    path, text = max(real_pages, key=lambda p: len(p[1]))
    matches = _word_matches(text, ["the"])
    assert len(matches) > 1000
    built = []
    real = snippets._fast_bounds
    monkeypatch.setattr(snippets, "_fast_bounds",
                        lambda t, at, cache: built.append(at) or real(t, at, cache))
    assert snippet(text, matches) == _reference_snippet(text, matches)
    assert 0 < len(built) < MAX_CANDIDATE_SENTENCES // 4


# Found by random search against deliberately broken variants of the early stop: a fragment
# offered before a later sentence that ranks higher, or a backwards match counted from afar.
# (text, matches, LOOKAROUND, max_chars, max_fragments)
EARLY_STOP_TRAPS = [
    ("Queen xetc. . ? “Q.”  “Q.” .\nKing ?   Queen long words here .\n“Q.” Queen long words "
     "here ? word “Q.” .\netc. ? . Mr. ? word etc. x. .\netc. King etc. Mr. .\nA. \netc. ? . "
     "x\nKing . King x",
     [(154, 154, "x"), (55, 52, "x"), (145, 141, "y"), (19, 15, "y"), (77, 73, "y"),
      (94, 88, "x"), (48, 51, "y"), (145, 146, "y"), (138, 141, "y"), (96, 98, "x")],
     8, 5, 1),
    ("long words here Queen . xxKing ? word x? A. . King . Mr. Mr. “Q.” ",
     [(48, 51, "x"), (53, 55, "y"), (22, 23, "y"), (8, 9, "x")], 8, 40, 2),
    ("long words here .\nKing etc. etc. etc. long words here xMr. “Q.” ? King ? . King .\n"
     "King  long words here Queen Queen “Q.” Queen  .\n word Mr. etc. Mr. A.  “Q.” long words "
     "here Mr. xword ? \nMr. etc. A. ",
     [(197, 198, "y"), (66, 67, "y"), (15, 16, "y"), (63, 64, "y"), (76, 78, "y"),
      (172, 174, "y"), (77, 82, "y")], 8, 40, 2),
]


@pytest.mark.parametrize("text, matches, lookaround, max_chars, max_fragments", EARLY_STOP_TRAPS)
def test_early_stop_traps(monkeypatch, text, matches, lookaround, max_chars, max_fragments):
    monkeypatch.setattr(snippets, "LOOKAROUND", lookaround)
    expected = _reference_snippet(text, matches, max_chars, max_fragments)
    assert snippet(text, matches, max_chars, max_fragments) == expected
    assert stored_snippet(StoredPage.of_text(text), matches, max_chars, max_fragments) == expected


@pytest.mark.parametrize("seed", range(4))
def test_odd_matches_give_the_same_snippet(monkeypatch, seed):
    """Empty matches, matches on line breaks, past the end, backwards or overlapping, in short
    windows: the fast path must notice what it cannot reason about and still agree."""
    rng = random.Random(seed)
    pieces = ["word ", "King ", ". ", ".\n", "\n", "Mr. ", "etc. ", "?", "“Q.” ", " ",
              "long words here ", "é ", "日本 "]
    for _ in range(400):
        monkeypatch.setattr(snippets, "LOOKAROUND", rng.choice([8, 15, 30, 400]))
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 50)))
        matches = []
        for _ in range(rng.randint(1, 20)):
            a = rng.randint(-3, len(text) + 3)
            matches.append((a, a + rng.randint(-4, 9), rng.choice("xyz")))
        for max_chars, max_fragments in ((MAX_CHARS, MAX_FRAGMENTS), (40, 2), (12, 1), (0, 3)):
            expected = _reference_snippet(text, matches, max_chars, max_fragments)
            assert snippet(text, matches, max_chars, max_fragments) == expected, (text, matches)
            page = StoredPage.of_text(text)
            stored = stored_snippet(page, matches, max_chars, max_fragments)
            assert stored == expected, (text, matches)


# -- sentence boundaries stored at index time -----------------------------------------------
# `stored_snippet` looks sentences up in boundaries found once, when a page is indexed, and
# decodes only pieces of the text. It must find what the regex scan finds, window edges and
# all, and so give the same snippets.


def _reference_boundaries(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is an abbreviation) of each boundary of a plain scan of the whole text."""
    return [(m.start(), m.end(),
             _ABBREVIATION.search(text, max(0, m.start() - 4), m.start() + 1) is not None)
            for m in _SENTENCE_END.finditer(text)]


def _assert_same_sentences(page: StoredPage, text: str, where: str) -> None:
    assert page.length == len(text)
    stored = [(start, abs(end), end < 0) for start, end in zip(page.starts, page.ends,
                                                                 strict=True)]
    assert stored == _reference_boundaries(text), where
    near = {i + d for i, c in enumerate(text[:40_000]) if c in ".!?\n" for d in (-2, 0, 1, 3)}
    offsets = near | set(range(0, len(text) + 1, max(1, len(text) // 500)))
    for at in sorted(o for o in offsets if 0 <= o <= len(text)):
        assert page.sentence(at)[:2] == sentence_bounds(text, at), (where, at)


def test_stored_sentences_are_the_regex_scan_on_real_pages(real_pages):
    for path, text in real_pages:
        _assert_same_sentences(StoredPage.of_text(text), text, path)


@pytest.mark.parametrize("lookaround", [2, 5, 11, 400])
def test_stored_sentences_match_the_regex_scan_on_tricky_text(monkeypatch, lookaround):
    """Window edges everywhere, multibyte characters, and the bound on later sentences."""
    monkeypatch.setattr(snippets, "LOOKAROUND", lookaround)
    rng = random.Random(lookaround)
    pieces = [". ", ".\n", ". \n", ".)", "” ", "\n", " ", "A", "b", "Mr.", "J.", "?", "!", "(",
              "“", "etc.", ". \n \n ", "é", "日本", "𝔘", "\u2003", "St.\n", "wordwordword"]
    texts = TRICKY + ["".join(rng.choice(pieces) for _ in range(80)) for _ in range(120)]
    for text in texts:
        page = StoredPage.of_text(text)
        # The earliest start of the sentence of any offset from here on.
        starts = [sentence_bounds(text, at)[0] for at in range(len(text) + 1)]
        later = [min(starts[at:]) for at in range(len(text) + 1)]
        for at in range(-2, len(text) + 3):
            start, end, earliest = page.sentence(at)
            assert (start, end) == sentence_bounds(text, at), (text, at)
            if 0 <= at <= len(text):
                assert earliest <= later[at], (text, at)


ABBREVIATED = ("Mr. Brown met St. Louis merchants in c. 1450 at No. 5 Main St. in the town. "
               "He went home. Dr. J. Smith wrote of it c.\n1460 too.")


def test_abbreviations_do_not_end_stored_sentences():
    assert ABBREVIATED.startswith("Mr. Brown met St. Louis merchants in c. 1450 at No. 5 Main "
                                  "St. in the town. He went")
    page = StoredPage.of_text(ABBREVIATED)
    for word, sentence in [
        ("merchants", ABBREVIATED[:ABBREVIATED.index(" He went")]),
        ("home", "He went home."),
        ("1460", "Dr. J. Smith wrote of it c.\n1460 too."),
    ]:
        start, end, _ = page.sentence(ABBREVIATED.index(word))
        assert ABBREVIATED[start:end] == sentence
    for words in (["Louis"], ["1450", "home"], ["Smith"], ["1460", "Brown"]):
        matches = [m for w in words for m in _spans(w, ABBREVIATED)]
        assert stored_snippet(page, matches) == snippet(ABBREVIATED, matches)
        assert stored_snippet(page, matches, 40, 2) == snippet(ABBREVIATED, matches, 40, 2)


def test_pieces_of_a_multibyte_text_are_its_characters():
    rng = random.Random(7)
    text = "".join(rng.choice(["a", "é", "日", "𝔘", " ", ".\n"]) for _ in range(5000))
    page = StoredPage.of_text(text)
    for _ in range(300):
        lo = rng.randint(-5, len(text) + 5)
        hi = lo + rng.randint(-3, 900)
        piece, base = page.piece(lo, hi)
        assert 0 <= base <= max(0, min(lo, len(text)))
        assert text[base:base + len(piece)] == piece
        assert base + len(piece) >= min(len(text), hi)
    assert page.text() == text


def test_stored_boundaries_that_do_not_fit_the_text_are_not_used():
    text = "One sentence. Another one.\n日本 too."
    packed = pack_boundaries(text)
    assert StoredPage.from_column(text.encode(), packed) is not None
    assert StoredPage.from_column(text.encode(), b"") is None  # a page indexed before them
    assert StoredPage.from_column(("x" + text).encode(), packed) is None
    assert StoredPage.from_column(text.encode(), packed[:-4]) is None


# -- through a real index ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pages(shared_corpus, tmp_path_factory) -> Path:
    return copy_pages(shared_corpus, tmp_path_factory.mktemp("stored") / "corpus", SAMPLE_PAGES)


@pytest.fixture(scope="module")
def sample_index(sample_pages, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("stored") / "index"
    build_index(sample_pages, index_dir)
    return index_dir


def _index_without_stored_boundaries(sample_pages: Path, index_dir: Path) -> None:
    """An index as the version before stored boundaries wrote it."""
    older = page_schema()
    older.remove("sentences_col")
    index_dir.mkdir(parents=True)
    gen = store.new_generation(index_dir)
    writer = whoosh_index.create_in(str(gen), older).writer()
    for relpath in SAMPLE_PAGES:
        doc = page_document(extract_file(sample_pages / relpath, relpath))
        del doc["sentences_col"]
        writer.add_document(**doc)
    writer.commit()
    store.publish_generation(index_dir, gen)


def _searched_snippets(clio: Clio, queries: list[str]) -> list[tuple[str, int, list, int, str]]:
    """(query, docnum, matches, snippet length, snippet) of every hit of every query."""
    seen: list[tuple[str, int, list, int, str]] = []
    real = pages.page_snippet

    def spy(searcher, docnum, matches, max_chars=MAX_CHARS):
        out = real(searcher, docnum, matches, max_chars)
        seen.append((query, docnum, matches, max_chars, out))
        return out

    pages.page_snippet = spy
    try:
        for query in queries:
            clio.search(query, limit=10)
    finally:
        pages.page_snippet = real
    return seen


QUERIES = [q["query"] for q in json.loads(BENCH_QUERIES.read_text("utf-8"))["queries"]] + [
    "the", "war", "king", "music", "mathematics", "emperor", "of the", "she was born"]


def test_index_stores_the_boundaries_of_each_page(sample_index):
    searcher = Clio(sample_index).searcher()
    assert searcher.doc_count() == len(SAMPLE_PAGES)
    for docnum in range(searcher.doc_count_all()):
        page = pages.stored_page(searcher, docnum)
        text = pages.page_text(searcher, docnum)
        assert page is not None and page.text() == text
        _assert_same_sentences(page, text, str(docnum))


def test_search_snippets_from_stored_boundaries_equal_the_reference(sample_index):
    clio = Clio(sample_index)
    searcher = clio.searcher()
    seen = _searched_snippets(clio, QUERIES)
    assert len(seen) > 150 and sum(bool(matches) for _, _, matches, _, _ in seen) > 120
    for query, docnum, matches, max_chars, out in seen:
        text = pages.page_text(searcher, docnum)
        assert out == snippet(text, matches, max_chars), (query, docnum)
        assert out == _reference_snippet(text, matches, max_chars), (query, docnum)


def test_an_index_without_stored_boundaries_still_gives_snippets(sample_pages, sample_index,
                                                                 tmp_path):
    _index_without_stored_boundaries(sample_pages, tmp_path / "old")
    old = Clio(tmp_path / "old")
    assert pages.stored_page(old.searcher(), 0) is None
    new = Clio(sample_index)
    compared = 0
    for query in QUERIES:
        old_hits = {h.path: h.snippet for h in old.search(query).results}
        new_hits = {h.path: h.snippet for h in new.search(query).results}
        for path in old_hits.keys() & new_hits.keys():
            assert old_hits[path] and old_hits[path] == new_hits[path], (query, path)
            compared += 1
    assert compared > 100
