"""Main-text extraction: real corpus pages of each source, crafted pages, and the gold scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import clean, extract, parse, pipeline
from indexer.page import Page

from .conftest import SHARED


def run(html: str) -> tuple[str, str, list[str]]:
    root = clean.clean_tree(parse.parse_html(html))
    return extract.extract_title(root), extract.extract_text(root), extract.extract_headings(root)


def corpus_page(corpus: Path, rel: str) -> Page:
    page = pipeline.extract_file(corpus / rel, rel)
    assert isinstance(page, Page), page
    return page


# --- real pages -------------------------------------------------------------------------------


def test_standard_ebooks_chapter(shared_corpus: Path) -> None:
    page = corpus_page(shared_corpus, "standard-ebooks/gibbon-decline-and-fall/chapter-2.html")
    # The <title> is only "II": the chapter's subtitle from its <header> makes it readable.
    assert page.title == (
        "II: Of the union and internal prosperity of the Roman Empire, in the age of the Antonines."
    )
    assert page.headings[0] == "II"
    # Note references ("Hyphasis.<a epub:type=noteref>132</a>") must not glue into the text.
    assert "banks of the Hyphasis. Within less than a century" in page.text
    assert "Hyphasis.132" not in page.text
    assert "the Druids; but the priests themselves" in page.text
    assert page.text.startswith("II\nOf the union and internal prosperity")


def test_standard_ebooks_word_joiners_and_hair_spaces(shared_corpus: Path) -> None:
    page = corpus_page(
        shared_corpus, "standard-ebooks/reed-ten-days-that-shook-the-world/chapter-4.html"
    )
    assert "\u2060" not in page.text
    assert "\u200a" not in page.text


def test_standard_ebooks_book_title_from_hgroup(shared_corpus: Path) -> None:
    page = corpus_page(shared_corpus, "standard-ebooks/herodotus-histories/book-1.html")
    assert page.title == "Book I: Clio"
    assert "This is the Showing forth of the Inquiry of Herodotus of Halicarnassos" in page.text


def test_simple_wikipedia_fragment(shared_corpus: Path) -> None:
    page = corpus_page(shared_corpus, "simple-wikipedia-2010/AIDS.html")
    assert page.title == "AIDS"  # only in <h1 class="firstHeading">: the fragment has no <head>
    assert (
        "Acquired Immunodeficiency Syndrome or Acquired Immune Deficiency Syndrome (AIDS) is a "
        "syndrome caused by a virus called HIV." in page.text
    )
    assert "How many people have AIDS" in page.headings
    for boilerplate in (
        "From Wikipedia, the free encyclopedia",
        "Categories:",
        "In other languages",
        "Kurdî",
        "Српски",
        "1 How many people have AIDS",  # the table of contents
        "This page or section does not have any sources",  # maintenance box
        "Contents",
    ):
        assert boilerplate not in page.text, boilerplate
    assert "\ufeff" not in page.text and "\u202a" not in page.text


def test_simple_wikipedia_redirect_title_and_stub_notice(shared_corpus: Path) -> None:
    page = corpus_page(shared_corpus, "simple-wikipedia-2010/Timur.html")
    assert page.title == "Tamerlane"
    assert "was a Turkic conqueror in the 14th century" in page.text
    stub = corpus_page(shared_corpus, "simple-wikipedia-2010/ASEAN.html")
    assert "can be made longer" not in stub.text


def test_wikipedia_2015_article(shared_corpus: Path) -> None:
    page = corpus_page(shared_corpus, "wikipedia-ray-charles/Betty_Carter.html")
    assert page.title == "Betty Carter"
    assert "Carter was born in Flint, Michigan, and grew up in Detroit" in page.text
    assert "not wanting to be dependent upon her husband for financial support." in page.text
    assert "[23]" not in page.text  # citation markers
    assert "Career" in page.headings
    for boilerplate in (
        "This article is issued from Wikipedia",  # Kiwix footer
        "Authority control",
        "VIAF",
        "Ray Charles (Hallelujah, I Love Her So)",  # navbox
        "Wikimedia Commons has media related to",
    ):
        assert boilerplate not in page.text, boilerplate


def test_davis_person_page(shared_corpus: Path) -> None:
    page = corpus_page(shared_corpus, "mactutor-davis-women/Names/Abbey_Marjorie.html")
    assert page.title == "Abbey, Marjorie"  # "Surname, Forenames" stays as written
    assert " ".join(page.text.split()) == (
        "Abbey, Marjorie Marjorie Florence Abbey (Married name: Church) graduated from the "
        "University of London (QMC) in 1940 with a BSc INT (Class: I) Further details: M.Sc.1941"
    )


def test_davis_index_keeps_its_link_list(shared_corpus: Path) -> None:
    # A page that is nothing but a list of names: the links are the content.
    page = corpus_page(shared_corpus, "mactutor-davis-women/Indexes/Aberdeen.html")
    assert page.title == "Graduates of Aberdeen"
    assert "Adams, Lily : 1920\nAlexander, Elizabeth : 1915" in page.text


# --- crafted pages ----------------------------------------------------------------------------

WHKMLA_STYLE = """<html><head><title>Destalinization 1956-1964</title></head>
<body bgcolor=white>
<a href="late.html">Late Stalinist Foreign Policy</a><br>
<a href="brezhnev.html">Foreign Policy under Brezhnev</a>
<h2>Destalinization 1956-1964</h2>
<p>Stalin's spell lived on after his death in 1953. Only at the 20TH PARTY CONGRESS in February
1956, NIKITA KHRUSHCHEV publicly attacked Stalin, blaming him for many shortcomings of the USSR
as well as for breaches of right.
<p>In 1949 the COMECON was founded, an economic federation of the states of Eastern Europe. A plan
was agreed upon, according to which certain countries' industrial facilities were given virtual
monopolies for certain products.
<hr>
This page is part of World History at KMLA<br>
First posted in 2000, last revised on June 7th 2006
<p><a href="../index.html">Click here to go Home</a><br>
<a href="../info.html">Click here to go to Information about KMLA, WHKMLA, the author and
webmaster</a><br>
<a href="../stats.html">Click here to go to Statistics</a>
<p><a href="/impressum">Impressum</a> · <a href="/datenschutz">Datenschutz</a>
</body></html>"""


def test_old_style_page_without_navigation_and_footer() -> None:
    title, text, headings = run(WHKMLA_STYLE)
    assert title == "Destalinization 1956-1964"
    assert headings == ["Destalinization 1956-1964"]
    assert "Stalin's spell lived on after his death in 1953." in text
    assert "In 1949 the COMECON was founded" in text
    for boilerplate in (
        "Click here",
        "This page is part of World History at KMLA",
        "Impressum",
        "Datenschutz",
        "Late Stalinist Foreign Policy",
    ):
        assert boilerplate not in text, boilerplate


def test_page_date_is_still_found_in_the_footer() -> None:
    # all_text runs before cleaning: the footer's date must be in it.
    assert "last revised on June 7th 2006" in extract.all_text(parse.parse_html(WHKMLA_STYLE))


def test_modern_page_with_menu_cookie_banner_and_sidebar() -> None:
    paragraph = "The Congress of Vienna redrew the map of Europe after the fall of Napoleon. " * 4
    html = f"""<!DOCTYPE html><html><head><title>Congress of Vienna | History Site</title>
    <style>p {{ color: red }}</style></head><body>
    <header class="site-header"><nav><ul><li><a href="/">Home</a></li>
      <li><a href="/about">About</a></li></ul></nav></header>
    <div id="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
    <main><article><h1>Congress of Vienna</h1><p>{paragraph}</p>
      <h2>Aftermath</h2><p>{paragraph}</p>
      <div class="share-buttons"><a href="#">Share on Facebook</a></div></article>
      <aside class="sidebar"><h3>Related articles</h3><ul><li><a href="/x">Waterloo</a></li></ul>
      </aside></main>
    <footer>© 2024 History Site · <a href="/impressum">Impressum</a></footer>
    <script>var tracking = "do not index me";</script></body></html>"""
    title, text, headings = run(html)
    assert title == "Congress of Vienna"
    assert text.splitlines()[:2] == ["Congress of Vienna", paragraph.strip()]
    assert "Aftermath" in headings
    for boilerplate in (
        "cookies",
        "Home",
        "Share",
        "Related",
        "Waterloo",
        "©",
        "tracking",
        "color",
    ):
        assert boilerplate not in text, boilerplate


def test_blocks_are_lines_and_whitespace_is_collapsed() -> None:
    html = """<html><body><div><h1>Title</h1><p>One   two
    three\u200b\u2060 four\u200a five.</p><ul><li>first item</li><li>second item</li></ul>
    <table><tr><td>cell a</td><td>cell b</td></tr><tr><td>cell c</td><td>cell d</td></tr>
    </table></div></body></html>"""
    _title, text, _headings = run(html)
    assert (
        text
        == "Title\nOne two three four five.\nfirst item\nsecond item\ncell a cell b\ncell c cell d"
    )


def test_wikipedia_citation_sup_is_removed() -> None:
    html = (
        "<html><body><div><p>He was born in Albany, Georgia.<sup class='reference'><a href='#c1'>"
        "[1]</a></sup> He died in 2004.<sup>[2]</sup> It reads 10<sup>3</sup>.</p></div>"
        "</body></html>"
    )
    _title, text, _headings = run(html)
    assert text == "He was born in Albany, Georgia. He died in 2004. It reads 103."


def test_title_without_site_name() -> None:
    assert extract.strip_site_name("Car - Wikipedia, the free encyclopedia") == "Car"
    assert extract.strip_site_name("A long article title | Site") == "A long article title"
    assert extract.strip_site_name("Surname, Forenames") == "Surname, Forenames"


def test_truncated_markup() -> None:
    html = "<html><head><title>Cut off</title></head><body><div><p>Half a paragraph that ends"
    title, text, _headings = run(html)
    assert title == "Cut off"
    assert text == "Half a paragraph that ends"


def test_deep_nesting_does_not_crash() -> None:
    html = "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    root = parse.parse_html("<html><body><p>Shallow text survives.</p>" + html + "</body></html>")
    root = clean.clean_tree(root)
    assert "Shallow text survives." in extract.extract_text(root)


def test_fragment_gets_title_from_first_heading() -> None:
    title, text, _headings = run(
        '<h1 class="firstHeading">Car</h1><div id="bodyContent">'
        '<h3 id="siteSub">From Wikipedia, the free encyclopedia</h3>'
        "<p>A car is a vehicle with wheels that carries people from place to place.</p></div>"
    )
    assert title == "Car"
    assert "A car is a vehicle with wheels" in text
    assert "From Wikipedia" not in text


PARA = (
    "The council met on Tuesday evening and voted to restore the old town hall, which has "
    "stood empty since the flood, and to open its archive to the public again next year."
)

NEWS_PAGE = f"""<html><head><title>Town hall saved | Daily News</title></head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<div class="article-header">
  <h1>Town hall saved</h1>
  <div class="byline-box"><span>Published: 03.04.2020, 12:35</span></div>
  <p class="intro">After years of debate the councillors agreed on a plan to rescue the building
  that gave the square its name.</p>
</div>
<div class="story">
  <p>{PARA}</p><p>{PARA}</p><p>{PARA}</p>
  <div class="teaser-text"><p>A lead-like summary without links belongs to the article itself,
  whatever the class says.</p></div>
  <p>{PARA}</p>
  <div class="entry"><p>7. Oktober 2020</p></div>
  <div class="teaser-list">
    <div class="teaser"><h3><a href="/a">Bridge closed</a></h3><p>Repairs start in spring and
    will last until the autumn, the city says. <a href="/a">more</a></p></div>
    <div class="teaser"><h3><a href="/b">New mayor</a></h3><p>The vote was close, closer than
    anyone expected. <a href="/b">more</a></p></div>
  </div>
</div>
<footer>Impressum · Datenschutz</footer>
</body></html>"""


def test_news_page_lead_beside_body_is_kept() -> None:
    _title, text, _headings = run(NEWS_PAGE)
    assert "After years of debate the councillors agreed" in text
    assert text.index("After years of debate") < text.index("The council met")


def test_news_page_unlinked_teaser_text_is_kept_linked_teasers_dropped() -> None:
    _title, text, _headings = run(NEWS_PAGE)
    assert "A lead-like summary without links" in text
    assert "Bridge closed" not in text
    assert "Repairs start in spring" not in text


def test_news_page_date_lines_dropped_dates_in_sentences_kept() -> None:
    _title, text, _headings = run(NEWS_PAGE)
    assert "03.04.2020" not in text
    assert "7. Oktober 2020" not in text
    _t, text, _h = run(
        f"<html><body><div><p>{PARA}</p><p>{PARA}</p><p>The treaty was signed on "
        "<time>12 March 1938</time>.</p><p>12 March 1938 was a Saturday in Vienna.</p>"
        "</div></body></html>"
    )
    assert "signed on 12 March 1938." in text
    assert "12 March 1938 was a Saturday" in text


def test_unclosed_heading_does_not_take_the_article_with_it() -> None:
    _title, text, _headings = run(
        f"<html><body><main><h1>Title</h1><h2 class='excerpt'>A subtitle that is never closed"
        f"<div><p>{PARA}</p><p>{PARA}</p></div></main></body></html>"
    )
    assert "The council met on Tuesday" in text


def test_boilerplate_names_do_not_win_over_most_of_the_prose() -> None:
    # Page builders call every block a "widget"; the prose is still the page's text.
    blocks = "".join(
        f'<div class="elementor-widget elementor-widget-text-editor"><p>{PARA}</p></div>'
        for _ in range(3)
    )
    _title, text, _headings = run(
        f'<html><body><div class="menu"><a href="/">Home</a></div><div>{blocks}</div>'
        "<p>Short note at the end of the page, outside.</p></body></html>"
    )
    assert "The council met on Tuesday" in text


# --- quality on the gold set ------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED / "cleaning" / "history-dev").is_dir(), reason="no gold set")
def test_history_dev_f1_floor() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score_cleaning.py"),
            str(SHARED / "cleaning" / "history-dev"),
            "--",
            str(Path(sys.executable).with_name("clio")),
            "extract",
            "--jsonl",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    score = json.loads(proc.stdout.strip().splitlines()[-1])
    assert score["f1"] >= 0.975, score
    assert score["precision"] >= 0.98, score


# --- furniture lines inside the main text ------------------------------------------------------

_PROSE = (
    "Die Stadtverwaltung hat am Montag die neuen Pläne für den Umbau des alten Rathauses "
    "vorgestellt, das seit dem Jahr 1890 am Marktplatz steht und dringend saniert werden muss. "
)


def test_credit_lines_and_calls_to_action_are_dropped() -> None:
    html = (
        "<html><body><article><h1>Umbau</h1>"
        f"<p>{_PROSE * 3}</p>"
        "<p class='x'>© Stadtarchiv | Max Muster</p>"
        "<p>Das Rathaus im Jahr 1910. (Foto: dpa)</p>"
        f"<p>{_PROSE * 2}</p>"
        "<h3>Mehr Themen:</h3><p>War der Artikel nützlich?</p>"
        "<p>Themen: Rathaus Stadtplanung</p>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Die Stadtverwaltung hat am Montag" in text
    for leak in ("Stadtarchiv", "(Foto: dpa)", "Mehr Themen", "nützlich", "Themen: Rathaus"):
        assert leak not in text


def test_sentences_that_start_like_a_call_to_action_are_kept() -> None:
    html = (
        "<html><body><article>"
        f"<p>{_PROSE * 3}</p>"
        "<p>Weitere Informationen erteilt Anne Muster im Bürgerbüro unter Tel. 0123 4567.</p>"
        "<p>Sie schrieb: <em>Foto: kaum zu erkennen</em>, und so blieb es im Bericht stehen.</p>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Weitere Informationen erteilt Anne Muster" in text
    assert "Foto: kaum zu erkennen" in text


def test_credit_line_in_the_lead_beside_the_main_container_is_dropped() -> None:
    html = (
        "<html><body><div class='head'><p>Ein Blick auf das Rathaus am Marktplatz der Stadt, "
        "wie es heute aussieht. (Foto: Stadt)</p></div>"
        f"<div class='article-body'><p>{_PROSE * 4}</p></div></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Die Stadtverwaltung" in text
    assert "(Foto: Stadt)" not in text


# --- teasers and related lists after the article ---------------------------------------------


def test_trailing_teaser_titles_after_the_article_are_dropped() -> None:
    html = (
        "<html><body><article><h1>Umbau</h1>"
        f"<p>{_PROSE * 3}</p><p>Die Arbeiten beginnen im Frühjahr.</p>"
        "<h3>Kontakt</h3>"
        "<div><a href='/a'>Neue Brücke</a> Die Stadt plant einen Neubau bis 2030</div>"
        "<div><a href='/b'>Fußgängerzone</a> Der Marktplatz wird ab Mai autofrei</div>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Die Arbeiten beginnen im Frühjahr." in text
    for leak in ("Kontakt", "Neue Brücke", "Fußgängerzone"):
        assert leak not in text


def test_closing_sentences_with_links_after_the_article_are_kept() -> None:
    html = (
        "<html><body><article>"
        f"<p>{_PROSE * 3}</p>"
        "<p>Der Plan steht <a href='/plan'>im Rathaus</a> zur Einsicht aus.</p>"
        "<h3>Siehe auch</h3><p><a href='/a'>Altstadt</a></p><p><a href='/b'>Marktplatz</a></p>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Der Plan steht im Rathaus zur Einsicht aus." in text


def test_long_related_list_named_as_such_is_dropped() -> None:
    # Excerpts of other articles can be most of the article container's text; the article's own
    # prose left beside them is enough to tell the list is furniture.
    excerpts = "".join(
        f"<li><a href='/{i}'>Anderer Artikel {i}</a><p>{_PROSE}</p></li>" for i in range(5)
    )
    html = (
        "<html><body><div class='entry'>"
        f"<p>{_PROSE * 4}</p>"
        f"<ul class='related_post'>{excerpts}</ul>"
        f"</div><div class='sidebar'><p>{_PROSE * 2}</p></div></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Die Stadtverwaltung hat am Montag" in text
    assert "Anderer Artikel" not in text


def test_author_box_and_ratings_are_dropped() -> None:
    html = (
        "<html><body><article>"
        f"<p>{_PROSE * 3}</p>"
        "<span class='post-ratings'>(12 Stimmen: 4,5 von 5)</span>"
        "<div class='author-box'><h4>Über Anne Muster</h4>"
        "<p>Anne Muster schreibt seit 2010 über Stadtplanung und Denkmalpflege in der Region.</p>"
        "</div></article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Die Stadtverwaltung hat am Montag" in text
    for leak in ("Stimmen", "Anne Muster"):
        assert leak not in text


def test_author_heading_permalink_and_embed_placeholder_lines_are_dropped() -> None:
    html = (
        "<html><body><article>"
        f"<p>{_PROSE * 3}</p>"
        "<p>Externer Inhalt</p><h4>Über den Autor</h4><p>Permalink https://example.org/p/1</p>"
        "<p>Über den Autor des Briefes ist wenig bekannt, nur sein Name.</p>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Über den Autor des Briefes ist wenig bekannt" in text
    for leak in ("Externer Inhalt", "Über den Autor\n", "Permalink"):
        assert leak not in text


def test_date_line_between_blocks_is_dropped_but_dates_in_sentences_stay() -> None:
    html = (
        "<html><body><article>"
        f"<p>{_PROSE * 3}</p>"
        "<time datetime='2020-04-03'>Publiziert: 03.04.2020, 12:35</time>"
        "<p>The edition was released on<br><time>September 4, 2022, 7:36 p.m.</time><br>"
        "and you can check for updates.</p>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "September 4, 2022" in text
    assert "Publiziert" not in text


def test_bem_meta_elements_affiliate_notes_and_calls_to_sign_up_are_dropped() -> None:
    html = (
        "<html><body><article>"
        f"<p>{_PROSE * 3}</p>"
        "<ul><li class='article__meta-item'>opublikowano</li></ul>"
        "<div class='affiliate-text'><p>Geld erhalten wir, wenn Sie diesen Links folgen.</p></div>"
        "<p>Do you want to be informed of our actions? Sign up here</p>"
        "<p>*Werbung. Dieser Beitrag enthält Werbung.</p>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert _PROSE[:20] in text
    for leak in ("opublikowano", "Geld erhalten", "Sign up here", "Werbung"):
        assert leak not in text


# --- opinion pieces, embedded posts, split articles, deep leads, structured data --------------


def test_an_opinion_piece_named_commentary_is_not_taken_for_comments() -> None:
    # A news site marks its opinion pieces "commentary"; its reader comments are "commentlinks"
    # (here more text than the piece, so they are not taken for furniture either).
    comment = (
        "<li><p>Leserkommentar: Wer hat hier wen über den Tisch gezogen? Das ist doch alles nur "
        "Theater, und keiner glaubt es mehr, am wenigsten die Leute im Revier.</p></li>"
    )
    html = (
        "<html><body><div id='pages'>"
        f"<div class='sect sect_article news subjective commentary'><p>{_PROSE * 2}</p>"
        f"<p>{_PROSE}</p></div>"
        f"<div class='sect sect_commentlinks'><ul>{comment * 8}</ul></div></div></body></html>"
    )
    _title, text, _headings = run(html)
    assert text.count(_PROSE[:40]) == 3


def test_an_embedded_post_quoted_in_the_article_is_kept() -> None:
    html = (
        "<html><body><article>"
        f"<p>{PARA}</p>"
        "<blockquote class='twitter-tweet'><p>Female founders must constantly consider how "
        "they are perceived.</p>— A Founder (@founder) March 8, 2020</blockquote>"
        f"<p>{PARA}</p><div class='social-share'><a href='#'>Share on Twitter</a></div>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Female founders must constantly consider" in text
    assert "Share on Twitter" not in text


def test_rows_of_one_article_with_the_same_class_are_all_kept() -> None:
    # One article cut into rows by its template: the first row alone holds most of the text.
    rows = [
        f"<div class='row align-center'><div class='columns'><p>{_PROSE * 6}</p>"
        f"<p>{_PROSE * 6}</p></div></div>",
        "<div class='row align-center'><div class='columns'><p>In Baden-Württemberg und NRW "
        "wurden am Mittwoch weitere Fälle bestätigt, die Behörden verfolgen die Kontakte.</p>"
        "</div></div>",
        "<div class='row align-center'><div class='columns'><h3>Ein Problem</h3><p>So viele "
        "Berichte und Nachrichten erreichen uns, dass nicht alles sofort geprüft werden kann, "
        "und manches Gerücht verbreitet sich schneller als jede Meldung.</p></div></div>",
    ]
    html = (
        "<html><body><article class='content'>"
        + "".join(rows)
        + "<div class='row sidebar-row'><p>Unser Podcast: jede Woche neu, hören Sie rein, "
        "abonnieren Sie ihn kostenlos und bleiben Sie immer informiert.</p></div>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "In Baden-Württemberg und NRW" in text
    assert "Ein Problem\nSo viele Berichte" in text
    assert "Unser Podcast" not in text


def test_title_and_lead_deep_above_the_body_text_are_kept() -> None:
    # The header sits in its own stack of grid containers, six levels above the paragraphs.
    nest = "<div class='l1'><div class='l2'><div class='l3'><div class='l4'><div class='l5'>"
    html = (
        "<html><body><div class='site'><div class='menu'><a href='/'>Start</a></div>"
        "<section class='top'><div class='intro-text'><h1>Was ist eine Vorsatzschalung?</h1>"
        "<p>Vorsatzschalen kommen vor allem in der Trockenbauweise zum Einsatz, verkleinern "
        "dabei aber oft den nutzbaren Raum.</p></div></section>"
        f"<div class='page'>{nest}<p>{_PROSE * 4}</p><p>{_PROSE * 3}</p>"
        "</div></div></div></div></div></div></div></body></html>"
    )
    _title, text, _headings = run(html)
    assert "vor allem in der Trockenbauweise" in text
    assert text.index("Trockenbauweise") < text.index(_PROSE[:30])
    assert "Start" not in text


def test_article_body_from_structured_data_when_the_page_shows_a_stub() -> None:
    body_text = "\\n".join(["Hong Kong's leader is running out of time. " * 8] * 6)
    html = (
        "<html><head><title>Playbook</title><script type='application/ld+json'>"
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "x"}, '
        '{"@type": "OpinionNewsArticle", "headline": "Playbook", '
        f'"articleBody": "{body_text}"}}]}}'
        "</script></head><body><article><p>Tsai Ing-wen speaks during a televised policy "
        "debate in Taipei. Photo: AP</p><p>READ FULL ARTICLE</p></article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Tsai Ing-wen speaks" in text  # what the page shows stays
    assert text.count("running out of time") == 48


def test_structured_article_body_is_not_added_when_the_page_has_the_text() -> None:
    html = (
        "<html><head><script type='application/ld+json'>"
        '{"@type": "NewsArticle", "articleBody": "A short summary of the council meeting."}'
        "</script><script type='application/ld+json'>{not json</script></head>"
        f"<body><article><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "A short summary" not in text
    assert text.count("The council met") == 3


def _between_prose(blocks: str) -> str:
    """The text extracted from an article: three paragraphs' worth of prose, `blocks`, then
    one more paragraph of prose (so the prose counts 4 times when all of it is kept)."""
    _title, text, _headings = run(f"<html><body><article><p>{_PROSE * 3}</p>{blocks}"
                                  f"<p>{_PROSE}</p></article></body></html>")
    return text


def test_calls_to_subscribe_register_and_consent_are_dropped() -> None:
    text = _between_prose(
        "<p>Bitte registrieren Sie sich und halten Sie sich an unsere Netiquette.</p>"
        "<p>Wir respektieren deine Privatsphäre und stellen ohne dein Einverständnis keine "
        "Verbindung zu Twitter her.</p>"
        "<p>Submit your letter to the editor via this form.</p>"
        "<p>¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular.</p>"
        "<p>(Alle Angaben ohne Gewähr)</p>"
    )
    assert text.count(_PROSE[:30]) == 4
    for leak in ("registrieren", "Privatsphäre", "Submit your letter", "Telegram", "Gewähr"):
        assert leak not in text


# --- prose in headings, promotions, disclaimers, script errors, data in body scripts ----------


def test_heading_that_says_a_sentence_is_kept_when_its_section_is_empty() -> None:
    html = (
        f"<html><body><article><p>{PARA}</p><p>{PARA}</p>"
        "<h4>Simon travels to the Eternal City to watch the finest polo players.</h4>"
        "<h2>Weitere Artikel</h2><ul><li><a href='/a'>Other story</a></li></ul>"
        "</article></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Simon travels to the Eternal City" in text
    assert "Weitere Artikel" not in text


def test_appeals_to_subscribe_donate_or_join_are_dropped_anywhere_in_a_short_block() -> None:
    text = _between_prose(
        "<h1>Unterstütze RosaMag bereits mit 2,50!</h1>"
        "<p>Immer auf dem Laufenden. Sie haben Post! Abonnieren Sie unsere Newsletter und wir "
        "liefern die wichtigsten Nachrichten direkt in Ihre Mailbox.</p>"
        "<p>Thank you for reading. Help us continue to spread the magic of words.</p>"
        "<p><b>2023 nichts mehr versäumen!</b></p>"
    )
    assert text.count(_PROSE[:30]) == 4
    for leak in ("RosaMag", "Newsletter", "magic of words", "versäumen"):
        assert leak not in text


def test_disclaimers_counters_sign_in_and_download_lines_are_dropped() -> None:
    text = _between_prose(
        "<p>Dieser Beitrag gibt die Meinung des Autors wieder, nicht die der Redaktion.</p>"
        "<p>Les opinions exprimées dans les blogs n'engagent que leurs auteurs.</p>"
        "<p>13 Besucher sind online</p>"
        "<p>Sign in to Customer Care using your account number.</p>"
        "<div><a href='/x.pdf'>Dieses Skript als PDF herunterladen</a></div>"
    )
    assert text.count(_PROSE[:30]) == 4
    for leak in ("Meinung des Autors", "opinions", "online", "Customer Care", "PDF"):
        assert leak not in text


def test_php_error_messages_printed_into_the_page_are_dropped() -> None:
    html = (
        "<html><body><div id='content'><br />\n<b>Warning</b>:  Creating default object from "
        "empty value in <b>/www/htdocs/wp-includes/classes.php</b> on line <b>407</b><br />\n"
        f"<p>{PARA}</p><p>{PARA}</p><b>Note</b>: the archive opens in May.<br />"
        "</div></body></html>"
    )
    _title, text, _headings = run(html)
    assert "Warning" not in text and "classes.php" not in text and "407" not in text
    assert text.count("The council met") == 2
    assert "Note: the archive opens in May." in text


def test_article_body_from_json_ld_in_the_body_when_the_page_shows_a_stub() -> None:
    body_text = " ".join(["Hong Kong's leader is running out of time."] * 30)
    html = (
        "<html><head><title>Playbook</title></head><body><article><p>Tsai Ing-wen speaks "
        "during a televised policy debate in Taipei.</p></article>"
        "<script type='application/ld+json'>"
        f'{{"@type": "NewsArticle", "articleBody": "{body_text}"}}</script></body></html>'
    )
    _title, text, _headings = run(html)
    assert "Tsai Ing-wen speaks" in text
    assert text.count("running out of time") == 30
    assert "@type" not in text
