"""Ranked search over a real index of the bundled sample corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.index import build_index
from indexer.search import Clio

REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def clio(tmp_path_factory) -> Clio:
    index_dir = tmp_path_factory.mktemp("search") / "index"
    build_index(REPO_CORPUS, index_dir)
    return Clio(index_dir)


def _paths(results) -> list[str]:
    return [h.path for h in results.results]


@pytest.mark.parametrize("query, expected", [
    ("French Revolution", "simple-wikipedia-2010/French_Revolution.html"),
    ("Tamerlane", "simple-wikipedia-2010/Timur.html"),
    ("genghis khan", "simple-wikipedia-2010/Genghis_Khan.html"),
    ("Byzantine Empire", "simple-wikipedia-2010/Byzantine_Empire.html"),
    ("Ray Charles", "wikipedia-ray-charles/Ray_Charles.html"),
])
def test_known_item_comes_first(clio, query, expected):
    assert _paths(clio.search(query))[0] == expected


def test_misspelling_gets_did_you_mean_and_results(clio):
    r = clio.search("Napolean")
    assert r.did_you_mean == "Napoleon"
    assert _paths(r)[0] == "simple-wikipedia-2010/Napoleon_I.html"
    assert any("Showing results for" in m for m in r.messages)


def test_all_words_preferred_then_any_words(clio):
    r = clio.search("Genghis zzyzzxq")
    assert _paths(r)[0] == "simple-wikipedia-2010/Genghis_Khan.html"
    assert "No page contains “zzyzzxq”." in r.messages
    r = clio.search("Genghis Constantinople", per_page=50)
    assert r.total > 0
    assert not any("some of them" in m for m in r.messages)  # some page has both
    r = clio.search("Tamerlane Lenin")
    assert r.total >= 2 and any("some of them" in m for m in r.messages)


def test_year_range_filter_keeps_only_pages_in_range(clio):
    r = clio.search("war year:1914..1918", per_page=20)
    assert r.total > 0
    for hit in r.results:
        assert any(1914 <= y <= 1918 for y in hit.years), hit.path


def test_bce_year_range(clio):
    r = clio.search("year:-400..-300", per_page=20)
    assert "simple-wikipedia-2010/Alexander_the_Great.html" in _paths(r)
    for hit in r.results:
        assert any(-400 <= y <= -300 for y in hit.years)


def test_python_api_range_filter(clio):
    r = clio.search("empire", year_from=1200, year_to=1300, per_page=50)
    assert r.total > 0
    assert all(any(1200 <= y <= 1300 for y in h.years) for h in r.results)


def test_snippets_are_marked_escaped_and_short(clio):
    r = clio.search("Constantinople")
    assert r.results
    for hit in r.results:
        plain = re.sub(r"</?mark>", "", hit.snippet)
        assert "<" not in plain and len(plain) <= 340
    assert "<mark>Constantinople</mark>" in r.results[0].snippet


def test_title_only_match_gives_lead_sentence(clio):
    r = clio.search("title:Tamerlane")
    assert r.results[0].snippet.startswith("Tamerlane (1336")


@pytest.mark.parametrize("query", [
    '"unbalanced', "title:", "AND", "OR OR", "NOT", "((", "))", "a OR", "*", "?", "~",
    "year:", "year:abc", "year:0", "person:", 'person:"', "\x00\x1b[31m", "x " * 5000,
    "title:(", "-", "+", "^2", "field:value:other", "[1 TO", "{", "😀 emoji", "يزيد",
])
def test_malformed_queries_never_raise(clio, query):
    r = clio.search(query)
    assert r.total >= 0 and isinstance(r.messages, list)


def test_pagination_and_sorting_by_period(clio):
    first = clio.search("empire", per_page=5)
    second = clio.search("empire", page=2, per_page=5)
    assert first.total == second.total > 5
    assert not set(_paths(first)) & set(_paths(second))
    by_period = clio.search("empire", sort="period", per_page=50)
    medians = [sorted(h.years)[(len(h.years) - 1) // 2] for h in by_period.results if h.years]
    assert medians == sorted(medians)


@pytest.mark.parametrize("sort", ["period", "-period"])
def test_period_orders_put_pages_without_years_last(clio, sort):
    everything = clio.search("war", sort=sort, per_page=100)
    assert everything.total == clio.search("war").total
    has_years = [bool(h.years) for h in everything.results]
    assert any(has_years) and not all(has_years)
    assert has_years == sorted(has_years, reverse=True), "a page without years came first"
    medians = [sorted(h.years)[(len(h.years) - 1) // 2] for h in everything.results if h.years]
    assert medians == sorted(medians, reverse=sort == "-period")


def test_facets_count_matching_pages(clio):
    r = clio.search("war", per_page=5)
    sections = dict(r.facets["section"])
    assert sum(sections.values()) == r.total
    assert sections["simple-wikipedia-2010"] > 0
    assert all(0 < c <= r.total for _, c in r.facets["centuries"])


def test_section_filter(clio):
    r = clio.search("war", section="standard-ebooks", per_page=50)
    assert r.total > 0 and all(p.startswith("standard-ebooks/") for p in _paths(r))


def test_more_like_this(clio):
    similar = [h.path for h in clio.more_like("simple-wikipedia-2010/Mongol_Empire.html")]
    assert similar and "simple-wikipedia-2010/Mongol_Empire.html" not in similar
    assert "simple-wikipedia-2010/Genghis_Khan.html" in similar


def test_concurrent_searches_from_threads_are_safe(clio):
    """Whoosh searchers are not thread-safe; Clio serialises readers in a process."""
    import concurrent.futures

    queries = ["war", "Genghis Khan", "French Revolution 1789", "empire", "Napolean", "moon"]
    expected = {q: _paths(clio.search(q)) for q in queries}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: (q, _paths(clio.search(q))), queries * 8))
    assert all(paths == expected[q] for q, paths in got)


@pytest.mark.parametrize("query, excluded", [
    ("Charles -war", "war"), ("Charles NOT war", "war"), ("Timur -Samarkand", "samarkand"),
    ("-Timur", "timur"), ("Timur NOT Timur", "timur"),
])
def test_exclusions_hold_for_names_read_as_persons(clio, query, excluded):
    """A name in the query also matches the person's other spellings; an excluded word must
    still keep its pages out, and an excluded name is not looked for at all."""
    results = clio.search(query, per_page=100)
    for hit in results.results:
        text = clio.page(hit.path)
        words = re.findall(r"\w+", " ".join([text["title"], text.get("headings", ""),
                                             text["text"]]).lower())
        assert excluded not in words, (query, hit.path)
    assert not any("some of them" in m for m in results.messages)


def test_no_any_word_fallback_turns_an_exclusion_into_everything(clio):
    everything = clio.search("", per_page=1).total or 10**9
    results = clio.search("zeppelinvirusxyz NOT war")
    assert results.total < everything / 2
    assert not any("some of them" in m for m in results.messages)


def test_places_and_peoples_are_not_read_as_persons(clio):
    """Countries on the Crusades page are not its persons, and a query naming a country or a
    people is not read as a person's name ("goths" sounds like Gotz, a person)."""
    record = clio.page("simple-wikipedia-2010/Crusades.html")
    assert record is not None
    persons = set(record["persons"]) if isinstance(record["persons"], list) else set(
        record["persons"].split(","))
    assert not {"Hungary", "Austria", "Germany", "France"} & persons
    for query in ("crusades in hungary", "goths sack rome", "great wall of china"):
        names = [i for i in clio.search(query).interpretation if i["kind"] == "name"]
        assert names == [], (query, names)
    names = [i["value"] for i in clio.search("Genghis Khan").interpretation
             if i["kind"] == "name"]
    assert names == ["Genghis Khan"]


def test_a_period_alone_ranks_the_pages_that_name_its_years_most(clio):
    """"1860s" alone filters to pages of that decade, as `year:1860..1869` does, and ranks
    first those that name its years most for their length (the Civil War and Lincoln, not
    pages that name one year once), with those years marked in the snippets."""
    import re

    decade = clio.search("1860s", per_page=50)
    filtered = clio.search("year:1860..1869", per_page=50)
    assert decade.total == filtered.total >= 4
    assert sorted(_paths(decade)) == sorted(_paths(filtered))
    assert set(_paths(decade)[:2]) == {"simple-wikipedia-2010/American_Civil_War.html",
                                       "simple-wikipedia-2010/Abraham_Lincoln.html"}
    scores = [h.score for h in decade.results]
    assert scores == sorted(scores, reverse=True)
    marked = [re.findall(r"<mark>([^<]*)</mark>", h.snippet) for h in decade.results]
    assert marked[0] and all(re.fullmatch(r"186\ds?", m) for ms in marked for m in ms), marked
    # The same decade chosen as a filter (a timeline bar), or as year:..., ranks the same.
    for chosen in (clio.search("", decade=1860, per_page=50), filtered):
        assert _paths(chosen) == _paths(decade)


def test_period_words_query_spells_out_the_years():
    from indexer.periods import parse_period_expression
    from indexer.query import period_words_query

    def words(text):
        q = period_words_query([parse_period_expression(text)])
        return None if q is None else sorted(t.text for t in q.subqueries)

    assert words("1860s") == sorted([*(str(y) for y in range(1860, 1870)), "1860s"])
    assert len(words("19th century")) == 100 + 10
    assert words("44 BC") == ["44"]
    assert words("2nd millennium") is None  # a thousand words: left unranked
