"""The fast index-time analysis must give exactly what Whoosh's analyzer chain gives."""

from __future__ import annotations

import pytest
from whoosh.fields import TEXT

from indexer import extract, parse
from indexer.analysis import text_analyzer, word_values
from indexer.decode import decode_page

SAMPLES = [
    "simple-wikipedia-2010/Timur.html",
    "standard-ebooks/gibbon-decline-and-fall/chapter-11.html",
    "wikipedia-ray-charles/Betty_Carter.html",
    "mactutor-davis-women/Names/Johnson_Ada.html",
]


def _whoosh_terms(text: str, chars: bool):
    field = TEXT(analyzer=text_analyzer(), phrase=True, chars=chars)
    return sorted(field.index(text))


def _fast_terms(text: str, chars: bool):
    field = TEXT(analyzer=text_analyzer(), phrase=True, chars=chars)
    return sorted(word_values(text, field.format, chars))


@pytest.mark.parametrize("relpath", SAMPLES)
@pytest.mark.parametrize("chars", [True, False])
def test_fast_analysis_matches_whoosh_on_real_pages(shared_corpus, relpath, chars):
    data = (shared_corpus / relpath).read_bytes()
    text = extract.all_text(parse.parse_html(decode_page(data).text))
    assert len(text) > 200
    assert _fast_terms(text, chars) == _whoosh_terms(text, chars)


@pytest.mark.parametrize(
    "text",
    [
        "The the THE a",  # nothing but stop words
        "the Battle of Hastings in 1066, the end",  # stop words before the first kept token
        "Dürer and Durer; Schrödinger, Cortés — Хрущёв",  # folding and non-Latin scripts
        "J.F. Kennedy's o’clock x" + "y" * 60,  # inner punctuation, an over-long token
        "",
    ],
)
def test_fast_analysis_matches_whoosh_on_edge_cases(text):
    assert _fast_terms(text, True) == _whoosh_terms(text, True)


def test_accent_folding_makes_spellings_meet():
    terms = {t.text for t in text_analyzer()("Dürer Durer wars war")}
    assert terms == {"durer", "war"}


@pytest.mark.parametrize("text", ["The Battle of Hastings, 1066", "Dürer's wars", "a the of", ""])
def test_query_terms_match_whoosh(text):
    from indexer.analysis import terms_of

    assert terms_of(text) == [t.text for t in text_analyzer()(text)]


def test_lead_is_the_opening_words_from_the_first_real_paragraph():
    from indexer.schema import lead_of

    text = "Photo: AP\nNeil Armstrong was an American astronaut and the first person to walk on " \
           "the Moon.\nHe was born in Ohio."
    assert lead_of(text).startswith("Neil Armstrong was")
    assert lead_of(text, limit=5) == "Neil Armstrong was an American"
    assert lead_of(text).endswith("born in Ohio.")
    assert lead_of("") == "" and lead_of("Short line") == ""
