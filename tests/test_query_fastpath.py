"""The plain-words fast path of `_parse_words` builds exactly the query Whoosh's parser would.

Equality is checked strictly: `==`, `repr`, and every attribute of every node (a Term's
boost and character range, an Or's scale), since `==` ignores some of them.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema

from indexer import query
from indexer.schema import page_schema

QUERIES = Path(__file__).resolve().parents[1] / "bench" / "queries.json"
BENCH = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]

VOCAB = [
    # real words, mixed case, stop words in several cases
    "war", "War", "WAR", "wars", "Revolution", "revolutions", "empire", "Genghis", "khan",
    "the", "The", "THE", "of", "Of", "who", "Who", "what", "a", "I", "in", "is", "it",
    # operator words, as operators and as ordinary words
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "and", "or", "not", "And", "Not",
    "NOTE", "ORder",
    # accents, other scripts
    "Dvořák", "Dvorak", "Ibn", "Ḫaldūn", "Atatürk", "Müller", "Ærø", "Łódź", "Москва",
    "毛泽东", "Dvor\u030cák",
    # apostrophes, dots
    "O'Brien", "Caesar's", "Caesar’s", "Years'", "Years’", "'tis", "rock'n'roll", "U.S",
    "U.S.", "St.", "a.a", "don't",
    # hyphens, digits, underscores, other marks
    "Tse-tung", "Jean-Jacques", "-war", "+war", "1914", "44", "1492", "19th", "1914-18",
    "2nd", "x_y", "war*", "wa?", "war~", "war~2", "title:war", '"cold', 'war"', "(war)",
    "war^2", "[a", "TO", "b]", "*:*",
    # a token too long to index
    "a" * 41, "Pneumonoultramicroscopicsilicovolcanoconiosis",
]
NON_PLAIN = ["title:war", '"cold war"', "war -cold", "+war", "war*", "war~", "war^2",
             "(war)", "war AND peace", "NOT war", "war OR", "Tse-tung", "war  peace",
             " war", "war ", "", "x_y", "U.S.", "'tis", "[a TO b]"]


def reference(text: str, schema, all_words: bool):
    """What `_parse_words` returned before the fast path: always Whoosh's parser."""
    parser = query._parser_for(schema, all_words)
    try:
        q = parser.parse(text)
    except Exception:
        q = parser.parse(" ".join(query._plain_words(text)))
    return None if q is wq.NullQuery else q


def state(q):
    """Everything about a query tree that could matter to a searcher."""
    if q is None or q is wq.NullQuery:
        return None
    attrs = {k: v for k, v in vars(q).items() if k != "subqueries"}
    subs = [state(s) for s in getattr(q, "subqueries", ())]
    return type(q), sorted(attrs.items()), subs


def assert_same(text: str, schema, all_words: bool) -> None:
    got = query._parse_words(text, schema, all_words, [])
    want = reference(text, schema, all_words)
    assert got == want, text
    assert repr(got) == repr(want), text
    assert state(got) == state(want), text


def mixed_schema() -> Schema:
    """Searched fields that analyse differently, so words give several tokens per field."""
    return Schema(
        path=ID(stored=True),
        title=TEXT(analyzer=RegexTokenizer(r"[^\W_]+") | LowercaseFilter()),
        headings=TEXT(analyzer=StemmingAnalyzer()),
        text=TEXT(analyzer=RegexTokenizer(r"[^\W_']+|'") | LowercaseFilter()),
    )


SCHEMAS = {
    "page": page_schema(),
    # as read from disk: unpickled, its fields sharing one analyzer object
    "pickled": pickle.loads(pickle.dumps(page_schema())),
    "mixed": mixed_schema(),
}


def bench_texts() -> list[str]:
    out = []
    for raw in BENCH:
        pq = query.parse_query(raw, SCHEMAS["page"])
        out += [raw, pq.text, " ".join(pq.words), *pq.words]
    return [t for t in out if t]


@pytest.mark.parametrize("schema_name", list(SCHEMAS))
@pytest.mark.parametrize("all_words", [True, False])
def test_bench_queries_match_the_parser(schema_name, all_words):
    for text in bench_texts():
        assert_same(text, SCHEMAS[schema_name], all_words)


words_text = st.lists(st.sampled_from(VOCAB), max_size=8).map(" ".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words_text, st.booleans(), st.sampled_from(list(SCHEMAS)))
def test_word_lists_match_the_parser(text, all_words, schema_name):
    assert_same(text, SCHEMAS[schema_name], all_words)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="aAbé1'’. -_NOTRD\u030c:*", max_size=24), st.booleans())
def test_odd_text_matches_the_parser(text, all_words):
    assert_same(text, SCHEMAS["page"], all_words)


@pytest.fixture
def no_parser(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the parser was used for plain words")

    monkeypatch.setattr(query, "_parser_for", refuse)


PLAIN = ["Genghis Khan", "Hundred Years' War", "justinian's wife", "Dvořák", "Ibn Ḫaldūn",
         "O'Brien", "turks take constantinople 1453", "the of and", "who sailed around the world"]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_words_skip_the_parser(no_parser, text):
    for all_words in (True, False):
        query._parse_words(text, SCHEMAS["page"], all_words, [])


def test_plain_bench_queries_skip_the_parser(no_parser):
    plain = [t for t in bench_texts() if t == " ".join(query._plain_words(t))]
    assert len(plain) > 100
    for text in plain:
        query._parse_words(text, SCHEMAS["page"], True, [])
        query._parse_words(text, SCHEMAS["page"], False, [])


@pytest.mark.parametrize("text", NON_PLAIN)
def test_query_syntax_goes_to_the_parser(text):
    assert isinstance(query._words_query(text, SCHEMAS["page"], True), query._NotPlain)


def test_schema_without_a_searched_field_goes_to_the_parser():
    schema = Schema(title=TEXT(), text=TEXT())
    assert isinstance(query._words_query("war", schema, True), query._NotPlain)
    assert_same("war and peace", schema, True)


def test_each_call_builds_a_new_query():
    """Callers may combine or wrap the result: no two calls share a query object."""
    schema = SCHEMAS["page"]
    a = query._parse_words("cold war", schema, True, [])
    b = query._parse_words("cold war", schema, True, [])
    assert a == b and a is not b
    assert all(x is not y for x, y in zip(a.subqueries, b.subqueries, strict=True))


@pytest.mark.parametrize("raw", ["war ANDNOT ANDNOT peace", "war REQUIRE REQUIRE peace",
                                 "a ANDMAYBE ANDMAYBE b"])
def test_repeated_operator_words_do_not_raise(raw):
    """These failed the parser and then its words-only retry, which kept the operators."""
    pq = query.parse_query(raw, SCHEMAS["page"])
    assert pq.main is not None and pq.messages
