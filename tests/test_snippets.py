"""Snippets: whole sentences, marked matches, escaped text, bounded length."""

from __future__ import annotations

import re

from indexer.snippets import lead, sentence_bounds, snippet

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
