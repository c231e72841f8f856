"""Tests for indexer.periods: the year/period grammar, page-self dates, and real pages."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from indexer.periods import (
    MAX_YEAR,
    Period,
    extract_periods,
    extract_years,
    find_page_date,
    parse_period_expression,
    period_years,
)


@pytest.fixture(scope="module")
def seed_text(shared_corpus: Path) -> str:
    """The page Clio was designed from (World History at KMLA), as plain text."""
    return (shared_corpus.parent / "seeds" / "000_f689246cccc10785.txt").read_text(encoding="utf-8")


def page_text(path: Path) -> str:
    """Plain text of a saved page, as lxml's text_content() gives it (all pages used are UTF-8)."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    return lxml.html.fromstring(path.read_bytes(), parser=parser).text_content()


def spans(text: str) -> list[tuple[int, int, str]]:
    return [(p.start, p.end, p.kind) for p in extract_periods(text)]


# ----------------------------------------------------------------- query expressions


@pytest.mark.parametrize(
    ("expr", "start", "end", "kind"),
    [
        ("1956", 1956, 1956, "year"),
        ("AD 476", 476, 476, "year"),
        ("A.D. 476", 476, 476, "year"),
        ("476 AD", 476, 476, "year"),
        ("476 CE", 476, 476, "year"),
        ("44 BC", -44, -44, "year"),
        ("44 B.C.", -44, -44, "year"),
        ("323 BCE", -323, -323, "year"),
        ("44 bc", -44, -44, "year"),
        ("ad 476", 476, 476, "year"),
        ("1 BC", -1, -1, "year"),
        ("AD 1", 1, 1, "year"),
        ("10,000 BC", -10000, -10000, "year"),
        ("c. 1450", 1450, 1450, "year"),
        ("ca. 1450", 1450, 1450, "year"),
        ("circa 1450", 1450, 1450, "year"),
        ("1956–1964", 1956, 1964, "range"),
        ("1956-64", 1956, 1964, "range"),
        ("1914–18", 1914, 1918, "range"),
        ("1861 to 1865", 1861, 1865, "range"),
        ("from 1861 to 1865", 1861, 1865, "range"),
        ("between 1914 and 1918", 1914, 1918, "range"),
        ("431–404 BC", -431, -404, "range"),
        ("490–79 BC", -490, -479, "range"),
        ("27 BC – AD 14", -27, 14, "range"),
        ("1 BC – AD 1", -1, 1, "range"),
        ("the 1950s", 1950, 1959, "decade"),
        ("1950's", 1950, 1959, "decade"),
        ("mid-1950s", 1950, 1959, "decade"),
        ("the 430s BC", -439, -430, "decade"),
        ("the 1800s", 1800, 1899, "hundreds"),
        ("19th century", 1801, 1900, "century"),
        ("nineteenth century", 1801, 1900, "century"),
        ("Nineteenth Century", 1801, 1900, "century"),
        ("early 20th century", 1901, 2000, "century"),
        ("the 1st century AD", 1, 100, "century"),
        ("1st century BC", -100, -1, "century"),
        ("5th century BC", -500, -401, "century"),
        ("5th-century BCE", -500, -401, "century"),
        ("13th–15th centuries", 1201, 1500, "century"),
        ("5th and 4th centuries BC", -500, -301, "century"),
        ("2nd millennium BC", -2000, -1001, "millennium"),
        ("the first millennium AD", 1, 1000, "millennium"),
        ("14 July 1789", 1789, 1789, "date"),
        ("February 12, 1809", 1809, 1809, "date"),
        ("june 7th 2006", 2006, 2006, "date"),
        ("15 March 44 BC", -44, -44, "date"),
    ],
)
def test_parse_period_expression(expr: str, start: int, end: int, kind: str) -> None:
    p = parse_period_expression(expr)
    assert p is not None, expr
    assert (p.start, p.end, p.kind) == (start, end, kind)


def test_parse_gives_iso_dates() -> None:
    assert parse_period_expression("14 July 1789").date == "1789-07-14"  # type: ignore[union-attr]
    assert parse_period_expression("February 12, 1809").date == "1809-02-12"  # type: ignore[union-attr]
    assert parse_period_expression("May 2004").date == "2004-05"  # type: ignore[union-attr]
    assert parse_period_expression("1956").date is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "expr",
    ["", "hello", "44", "7", "0 BC", "1914 and 1918", "1956 1957", "the fifties", "20th",
     str(MAX_YEAR + 1), "1956 Olympics", "2006-06"],
)  # fmt: skip
def test_parse_rejects(expr: str) -> None:
    assert parse_period_expression(expr) is None


# ------------------------------------------------------------------ BCE arithmetic


def test_no_year_zero_across_the_era_boundary() -> None:
    assert extract_years("from 2 BC to AD 2") == [-2, -1, 1, 2]
    assert extract_years("1 BC – AD 1") == [-1, 1]
    assert 0 not in extract_years("He lived 4 BC – AD 30 and wrote in 1 BC.")


def test_period_length_skips_year_zero() -> None:
    assert Period(-27, 14, "range", "27 BC – AD 14").length == 41
    assert Period(1914, 1918, "range", "1914–18").length == 5
    with pytest.raises(ValueError):
        Period(0, 5, "range", "bad")
    with pytest.raises(ValueError):
        Period(1918, 1914, "range", "bad")


def test_bc_applies_to_both_ends_of_a_range() -> None:
    assert spans("the war of 431–404 BC") == [(-431, -404, "range")]
    assert spans("Xenophanes (570–470 BC)") == [(-570, -470, "range")]


def test_cross_era_range_with_full_dates() -> None:
    text = "Augustus (23 September 63 BC – 19 August AD 14) was the first emperor."
    assert spans(text) == [(-63, 14, "range")]
    # 76 years: more than MAX_EXPANDED_SPAN, so only the stated ends are indexed
    assert extract_years(text) == [-63, 14]


def test_ambiguous_bc_to_plain_range_keeps_only_the_bc_end() -> None:
    assert extract_years("lived 63 BC – 14, it is said") == [-63]


def test_gibbon_prefix_era() -> None:
    assert extract_years("the mysterious nature of the Deity. BC 360 When he") == [-360]
    assert extract_years("intelligence to the senate. AD 249 A gloomy silence") == [249]
    assert extract_years("of their arms. AD 531 – 533 Seventeen lawyers") == [531, 532, 533]


# -------------------------------------------------------------- what extract_years gives


def test_years_from_ranges_decades_and_centuries() -> None:
    assert extract_years("World War I (1914–1918)") == [1914, 1915, 1916, 1917, 1918]
    # long ranges contribute their two ends only
    assert extract_years("The Hundred Years' War lasted from 1337 to 1453.") == [1337, 1453]
    assert extract_years("In the 1950s") == list(range(1950, 1960))
    # centuries, millennia and "the 1800s" contribute no derived years (see the docstring)
    assert extract_years("In the 19th century and the 2nd millennium BC, in the 1800s") == []
    assert spans("in the 19th century") == [(1801, 1900, "century")]


def test_period_years_policy() -> None:
    assert period_years(Period(1789, 1789, "date", "14 July 1789")) == [1789]
    assert period_years(Period(1618, 1648, "range", "1618–1648")) == list(range(1618, 1649))
    assert period_years(Period(1337, 1453, "range", "1337–1453")) == [1337, 1453]
    assert period_years(Period(-5, 5, "range", "5 BC – AD 5")) == [
        -5,
        -4,
        -3,
        -2,
        -1,
        1,
        2,
        3,
        4,
        5,
    ]
    assert period_years(Period(-439, -430, "decade", "430s BC")) == list(range(-439, -429))
    assert period_years(Period(1801, 1900, "century", "19th century")) == []


def test_explicit_years_and_dates() -> None:
    text = (
        "Stalin died in 1953. The Bastille fell on 14 July 1789; Lincoln was born on "
        "February 12, 1809 and the page was seen on June 7th 2006. Caesar died in 44 BC, "
        "Rome fell in AD 476 (or 476 CE), printing began c. 1450 and Byzantium fell ca. 1453."
    )
    assert extract_years(text) == [-44, 476, 1450, 1453, 1789, 1809, 1953, 2006]


def test_three_digit_years_need_an_era_or_a_time_word() -> None:
    assert extract_years("He was crowned as the Emperor in 800, and in the year 632 ...") == [
        632,
        800,
    ]
    assert extract_years("from 476 to 800 (coronation of Charlemagne)") == [476, 800]
    assert extract_years("It has 476 rooms, 800 windows and 632 doors.") == []
    assert extract_years("It was completed in 410 days.") == []
    assert extract_years("Spanish is spoken by 358 million people.") == []
    assert extract_years("the year 70 and 70 AD") == [70]


def test_decade_ranges_and_century_ranges() -> None:
    assert extract_years("the 1820s and 1830s") == list(range(1820, 1840))
    assert extract_years("rock music in the 1950s–1960s") == list(range(1950, 1970))
    assert spans("from the twelfth to the sixteenth century") == [(1101, 1600, "century")]


def test_dates_with_weekdays_day_ranges_and_ordinals() -> None:
    assert extract_years("version of Sunday, May 31, 2015 and 23–25 October 1917") == [1917, 2015]
    assert extract_years("Alexander (July 20 or 26, 356 BC - June 10 323 BC)") == [-356, -323]
    assert extract_years("on the 14th of July 1789") == [1789]
    assert extract_years("a three day period, July 1-3 in 1863") == [1863]


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        "Chapter 21 : Khrushchev and the Summit, pp.287-307",
        "see pp. 1287-1307 and p. 1956",
        "Science 245: 1367–1369.",
        "an army of 1500 soldiers",
        "a race over 2000 metres",
        "The Euclidean algorithm was found over 2000 years ago.",
        "Lake Baikal hosts over 1000 species of plants",
        "a 3300 year old stone carving",
        "ISBN 978-0-19-1956-4 and ISBN 0 19 1956 4",
        "Call 020 1956 3333 or 555-1956-22",
        "the incapable of exercising;4068 she reigned twenty-five years",
        "the Roman empire.1784 1785 The expedient",
        "a population of 1,956,000 and 1956.5 km",
        "Mass 1.8986×1027 kg",
        "the train left at 19:45 and 1956% more",
        "by 2300 the sun will be 1500°C hot",
        "No. 1956, vol. 1957",
        "The Intel 4004 made computers smaller",
    ],
)
def test_not_years(text: str) -> None:
    assert extract_years(text) == []


def test_time_words_beat_a_following_plural() -> None:
    assert extract_years("In 2008 astronomers found it; in 1968 security forces shot.") == [
        1968,
        2008,
    ]
    assert extract_years("the 1809 births and 1865 deaths") == [1809, 1865]


def test_text_content_artifacts() -> None:
    # blocks run together by text_content(); degrees glued to their years (MacTutor)
    assert extract_years("Bedford College for Women 1849-1937More Tylecote") == [1849, 1937]
    assert extract_years("Released October 1951Format 45 rpm") == [1951]
    assert extract_years("Further details: M.Sc.1941 ") == [1941]
    # zero-width and bidi marks inside the text
    assert extract_years("in 19\u200b56 and in\u2060 1957 and \ufeff1958") == [1957, 1958]


def test_future_years_are_rejected() -> None:
    assert extract_years(f"in {MAX_YEAR + 1} and {MAX_YEAR + 10}") == []
    assert extract_years(f"in {MAX_YEAR}") == [MAX_YEAR]


# ------------------------------------------------------------------ page-self dates


def test_page_self_dates_are_not_years() -> None:
    text = (
        "The war ended in 1918. Retrieved 12 March 2015. Accessed on April 12, 2009. "
        "Archived from the original on 31 October 2009. Retrieved on 2010-02-15. "
        "This page was last modified on 5 June 2011, at 12:00. © 2004 KMLA. Copyright © 1997-2003"
    )
    assert extract_years(text) == [1918]


def test_find_page_date() -> None:
    assert find_page_date("First posted in 2000, last revised on June 7th 2006") == "2006-06-07"
    assert find_page_date("This page was last modified on 5 June 2011, at 12:00.") == "2011-06-05"
    assert find_page_date("Page last modified on Wednesday, 5 June 2015") == "2015-06-05"
    assert find_page_date("Last updated: March 2015") == "2015-03"
    assert find_page_date("Posted on 2010-02-15 by admin") == "2010-02-15"
    assert find_page_date(
        "This article is issued from Wikipedia - version of the Sunday, May 31, 2015."
    ) == ("2015-05-31")
    assert (
        find_page_date("Biographies index AELD/JOC/EFR May 2004 The URL of this page is")
        == "2004-05"
    )
    assert find_page_date(
        "The first edition of this ebook was released on September 4, 2022, 7:36 p.m."
    ) == ("2022-09-04")


def test_find_page_date_ignores_citations_and_history() -> None:
    assert find_page_date("Retrieved on 9 October 2007. Accessed 1 September 2006") is None
    assert find_page_date("(last revised: 1 November 2008). The WHO Library") is None
    assert (
        find_page_date("Descriptions were last updated in May 2003 to enhance uniformity") is None
    )
    assert find_page_date("He was born in 1809 and the law was revised in 1662.") is None
    assert extract_years("the law was revised in 1662") == [1662]
    assert find_page_date("") is None


def test_copyright_is_only_a_last_resort_page_date() -> None:
    footer = "Some text about 1956. © 2001-2004 KMLA"
    assert find_page_date(footer) == "2004"
    assert find_page_date(footer + " Last updated: 12 March 2005") == "2005-03-12"
    assert find_page_date("© 1999 Koninklijke Brill NV" + " Long article text." * 40) is None


# ----------------------------------------------------------------------- the seed page


def test_seed_page(seed_text: str) -> None:
    text = seed_text
    years = extract_years(text)
    # "Destalinization 1956-1964" is expanded; the cited book's 1961 is also stated in the text
    assert years == [1949, 1953, *range(1956, 1965)]
    assert 2000 not in years and 2006 not in years  # "First posted in 2000, last revised ..."
    assert 287 not in years and 307 not in years  # "pp.287-307"
    assert find_page_date(text) == "2006-06-07"
    # the pipeline indexes whitespace-collapsed text: same answers
    flat = " ".join(text.split())
    assert extract_years(flat) == years
    assert find_page_date(flat) == "2006-06-07"


def test_periods_carry_source_and_offset(seed_text: str) -> None:
    text = seed_text
    for p in extract_periods(text):
        assert text[p.offset : p.offset + len(p.source)] == p.source
    first = extract_periods(text)[0]
    assert (first.start, first.end, first.kind, first.source) == (1956, 1964, "range", "1956-1964")


# ------------------------------------------------------------------------- real pages


def test_simple_wikipedia_augustus(shared_corpus: Path) -> None:
    text = page_text(shared_corpus / "simple-wikipedia-2010" / "Augustus.html")
    years = extract_years(text)
    # "(23 September 63 BC – 19 August AD 14)", "killed in 44 BC", "battle of Actium in 31 BC",
    # "He ruled until AD 14", and the cited book "(May 1964)"
    assert years == [-63, -44, -31, 14, 1964]
    assert (-63, 14, "range") in spans(text)
    assert find_page_date(text) is None


def test_simple_wikipedia_alexander(shared_corpus: Path) -> None:
    text = page_text(shared_corpus / "simple-wikipedia-2010" / "Alexander_the_Great.html")
    assert extract_years(text) == [-356, -323]


def test_simple_wikipedia_french_revolution(shared_corpus: Path) -> None:
    text = page_text(shared_corpus / "simple-wikipedia-2010" / "French_Revolution.html")
    # "between 1789 and 1799", "14 July, 1789", "9 November, 1799", "1804"
    assert extract_years(text) == [*range(1789, 1800), 1804]
    assert any(p.date == "1789-07-14" for p in extract_periods(text))


def test_simple_wikipedia_roman_empire(shared_corpus: Path) -> None:
    text = page_text(shared_corpus / "simple-wikipedia-2010" / "Roman_Empire.html")
    years = extract_years(text)
    # "from the year 27 B.C.E.", "about 117 AD", "By 312 C.E.", "in 410 C.E.", "in 476 C.E."
    assert {-27, 117, 312, 410, 476} <= set(years)
    assert all(y < -1 or y > 100 for y in years)


def test_gibbon_footnote_references_are_not_years(shared_corpus: Path) -> None:
    text = page_text(
        shared_corpus / "standard-ebooks" / "gibbon-decline-and-fall" / "chapter-16.html"
    )
    years = extract_years(text)
    # "...superstitious frenzy.1823", "...the Roman empire.1784 1785" are endnote references
    assert not {1784, 1785, 1823, 1832, 1833, 1849, 1850, 1924, 1925} & set(years)
    # the margin dates: "AD 64", "AD 253 – 260", "AD 313"
    assert {64, 253, 257, 260, 313} <= set(years)


def test_standard_ebooks_colophon(shared_corpus: Path) -> None:
    text = page_text(
        shared_corpus / "standard-ebooks" / "gibbon-decline-and-fall" / "colophon.html"
    )
    assert find_page_date(text) == "2022-09-04"
    years = extract_years(text)
    assert {1776, 1782, 1788, 1729} <= set(years)  # "published between 1776 and 1788"
    assert 2022 not in years


def test_kiwix_footer_date(shared_corpus: Path) -> None:
    text = page_text(shared_corpus / "wikipedia-ray-charles" / "Strong_Love_Affair.html")
    assert find_page_date(text) == "2011-11-09"
    assert 2011 not in extract_years(text)


def test_mactutor_signature_date(shared_corpus: Path) -> None:
    text = page_text(shared_corpus / "mactutor-davis-women" / "index.html")
    assert find_page_date(text) == "2004-05"
    # "Mathematical Women in the British Isles, 1878-1940"; "approximately 2500 women"
    assert extract_years(text) == [1878, 1940]


def test_invariants_over_a_corpus_sample(shared_corpus: Path) -> None:
    pages = sorted(shared_corpus.rglob("*.html"))[::25]
    assert len(pages) > 100
    for path in pages:
        text = page_text(path)
        years = extract_years(text)
        assert years == sorted(set(years)), path
        assert 0 not in years, path
        assert all(y <= MAX_YEAR for y in years), path
        for p in extract_periods(text):
            assert p.start <= p.end and p.start != 0 and p.end != 0, (path, p)
        date = find_page_date(text)
        assert date is None or len(date) in (4, 7, 10), (path, date)
