"""VocabCorrector against Whoosh's own corrector, on real indexes built by the project.

Whoosh finds candidates differently for one segment (Levenshtein automaton) and for several
(Damerau-Levenshtein), so both kinds of index are checked."""

from __future__ import annotations

import random

import pytest
from whoosh.reading import MultiReader, SegmentReader

from indexer import pipeline, store
from indexer.analysis import fold
from indexer.index import build_index
from indexer.schema import analyzed_document
from indexer.spelling import VocabCorrector

from .conftest import SAMPLE_PAGES, copy_pages

LATER = SAMPLE_PAGES[-3:]  # a second segment in the multi-segment index


@pytest.fixture(scope="module")
def single(shared_corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("spelling-single")
    build_index(copy_pages(shared_corpus, root / "corpus", SAMPLE_PAGES), root / "index")
    searcher = store.open_index(root / "index").searcher()
    assert isinstance(searcher.reader(), SegmentReader)
    yield searcher
    searcher.close()


@pytest.fixture(scope="module")
def multi(shared_corpus, tmp_path_factory):
    """As a live site's index is after small updates: more than one segment."""
    root = tmp_path_factory.mktemp("spelling-multi")
    corpus = copy_pages(shared_corpus, root / "corpus", SAMPLE_PAGES[:-len(LATER)])
    build_index(corpus, root / "index")
    ix = store.open_index(root / "index")
    writer = ix.writer()
    for rel in LATER:
        writer.add_document(**analyzed_document(pipeline.extract_file(shared_corpus / rel, rel)))
    writer.commit(merge=False)
    searcher = ix.searcher()
    assert isinstance(searcher.reader(), MultiReader)
    yield searcher
    searcher.close()


def whoosh_says(searcher, word: str) -> str | None:
    """What search.py asked Whoosh before VocabCorrector."""
    found = searcher.corrector("vocab").suggest(word, limit=1, maxdist=2, prefix=1)
    return found[0] if found else None


def misspellings(vocab: list[str], count: int, seed: int) -> list[str]:
    """Vocabulary words with one to three random edits, first letter included."""
    rng = random.Random(seed)
    letters = sorted({ch for term in vocab for ch in term}) + list("éß’")
    out = []
    for _ in range(count):
        word = rng.choice(vocab)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            op = rng.choice(("delete", "insert", "replace", "swap"))
            i = rng.randrange(len(word) + 1)
            if op == "insert":
                word = word[:i] + rng.choice(letters) + word[i:]
            elif len(word) < 2:
                continue
            elif op == "delete":
                word = word[:i] + word[i + 1:]
            elif op == "replace":
                i = min(i, len(word) - 1)
                word = word[:i] + rng.choice(letters) + word[i + 1:]
            else:
                i = min(i, len(word) - 2)
                word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if word:
            out.append(word)
    return out


@pytest.mark.parametrize("kind", ["single", "multi"])
def test_same_answer_as_whoosh_for_generated_misspellings(kind, request):
    searcher = request.getfixturevalue(kind)
    vocab = list(searcher.reader().field_terms("vocab"))
    words = misspellings(vocab, 400, seed=len(kind)) + random.Random(1).sample(vocab, 50)
    corrector = VocabCorrector(searcher.reader())
    ours = [corrector.suggest(w) for w in words]
    assert ours == [whoosh_says(searcher, w) for w in words]
    # The sample is worth something only if it has both answers and misses.
    assert 100 < sum(s is not None for s in ours) < len(words)


def test_transpositions_count_only_where_whoosh_counts_them(single, multi):
    # Two swapped pairs: 2 edits for Damerau-Levenshtein, 4 for Levenshtein.
    one, several = VocabCorrector(single.reader()), VocabCorrector(multi.reader())
    assert not one.transpositions and several.transpositions
    for word in ("tmiru", "gnehgis", "rveolutoin"):
        assert one.suggest(word) is None is whoosh_says(single, word)
        assert several.suggest(word) == whoosh_says(multi, word) is not None


def test_specific_words(single):
    corrector = VocabCorrector(single.reader())
    for word, expected in [
        ("timur", "timur"),  # a known word is its own best spelling here
        ("ganghis", "genghis"),
        ("kahn", "khan"),
        (fold("Tímürr"), "timur"),  # the caller folds accents away first
        ("qzxqzxqzx", None),  # nothing near
        ("zzz", None),
    ]:
        assert corrector.suggest(word) == expected == whoosh_says(single, word), word
    assert corrector.suggest("") is None  # Whoosh raises on an empty word
