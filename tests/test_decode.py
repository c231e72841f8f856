"""decode_page: real pages from the shared corpus, and crafted bytes for what the corpus lacks."""

from __future__ import annotations

import codecs
import random
import unicodedata
from pathlib import Path

import pytest

from indexer.decode import HEAD_BYTES, DecodedText, decode_page

# A Russian paragraph of our own, long enough to look like a page's text.
RUSSIAN = (
    "Пётр Первый, которого современники называли Великим, правил Россией с конца "
    "семнадцатого века до тысяча семьсот двадцать пятого года. Он основал новую столицу "
    "на берегах Невы, построил флот, открыл первые светские школы и заставил дворян учиться "
    "за границей. Историки до сих пор спорят о том, какой ценой были достигнуты эти перемены "
    "и что они значили для крестьян, которые платили за войны и стройки своим трудом и жизнью."
)


def page(body: str, head: str = "") -> str:
    """A small undeclared page around `body`; `head` may add declarations."""
    return f"<html><head>{head}<title>Test</title></head><body><p>{body}</p></body></html>"


def body_of(text: str) -> str:
    return text.split("<p>", 1)[1].split("</p>", 1)[0]


def consistent(data: bytes, result: DecodedText) -> bool:
    """The text is exactly what the reported codec makes of the bytes (minus a leading BOM)."""
    if data.startswith(codecs.BOM_UTF8):  # a UTF-8 BOM before legacy bytes is dropped too
        data = data[len(codecs.BOM_UTF8) :]
    return result.text == data.decode(result.encoding, errors="replace").removeprefix("\ufeff")


# --- The seven Davis pages that are not ASCII (see mactutor-davis-women/SOURCE.md) -------------

DAVIS_NON_ASCII = [
    ("Names/Robins_Beatrice.html", "latin-1", "Beatrice Thérèse Robins"),
    ("Names/Johnson_Ada.html", "latin-1", "Research Göttingen 1895-96"),
    ("Biblio/2.html", "mac_roman", "Queen’s College 1848-1948"),
    ("Biblio/37.html", "mac_roman", "a men’s university -- though"),
    ("Biblio/220.html", "mac_roman", "Arithmetic in Theory and Practice…</i>"),
    ("Biblio/299.html", "mac_roman", "A Guide to the Constellations…</i>"),
    ("Biblio/205.html", "mac_roman", "Ph.D.(Göttingen) 1907"),
]


@pytest.mark.parametrize(("relpath", "encoding", "phrase"), DAVIS_NON_ASCII)
def test_davis_latin1_and_mac_roman_pages(
    shared_corpus: Path, relpath: str, encoding: str, phrase: str
) -> None:
    data = (shared_corpus / "mactutor-davis-women" / relpath).read_bytes()
    result = decode_page(data)
    assert result.encoding == encoding
    assert phrase in result.text
    assert consistent(data, result)
    # Every non-ASCII character is a letter or typographic punctuation, none is mojibake.
    assert {ch for ch in result.text if ord(ch) > 127} <= set("éèö’…")


def test_davis_ascii_page_is_utf8(shared_corpus: Path) -> None:
    data = (
        shared_corpus / "mactutor-davis-women" / "Names" / "Craddock_Kathleen.html"
    ).read_bytes()
    assert data.isascii()
    assert decode_page(data) == DecodedText(data.decode("ascii"), "utf-8")


def test_whole_corpus_is_utf8_except_the_seven(shared_corpus: Path) -> None:
    legacy = {f"mactutor-davis-women/{relpath}": enc for relpath, enc, _ in DAVIS_NON_ASCII}
    found = {}
    for path in sorted(shared_corpus.rglob("*.html")):
        data = path.read_bytes()
        result = decode_page(data)
        assert consistent(data, result), path
        if result.encoding != "utf-8":
            found[path.relative_to(shared_corpus).as_posix()] = result.encoding
    assert found == legacy


# --- Other real pages -------------------------------------------------------------------------


def test_simple_wikipedia_fragment_keeps_inner_bom_and_bidi_marks(shared_corpus: Path) -> None:
    data = (shared_corpus / "simple-wikipedia-2010" / "Tehran.html").read_bytes()
    result = decode_page(data)
    assert result == DecodedText(data.decode("utf-8"), "utf-8")
    # U+FEFF inside the text is content (a zero-width no-break space), only a leading one is a BOM.
    assert '<span class="geo-multi-punct">\ufeff / \ufeff</span>' in result.text
    assert "Uyghurche\u200e / ئۇيغۇرچە" in result.text


def test_standard_ebooks_page_with_xml_declaration(shared_corpus: Path) -> None:
    path = shared_corpus / "standard-ebooks" / "thucydides-peloponnesian-war" / "dedication.html"
    data = path.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    result = decode_page(data)
    assert result == DecodedText(data.decode("utf-8"), "utf-8")
    assert "—The Translator\u2060—" in result.text


def test_wikipedia_page_with_meta_charset(shared_corpus: Path) -> None:
    path = next(iter(sorted((shared_corpus / "wikipedia-ray-charles").glob("*.html"))))
    data = path.read_bytes()
    assert b'<meta charset="UTF-8">' in data[:HEAD_BYTES]
    assert decode_page(data) == DecodedText(data.decode("utf-8"), "utf-8")


# --- Byte order marks -------------------------------------------------------------------------

BOM_TEXT = page("Göttingen, “Thérèse”, Пётр, 日本 and 𝔊 outside the BMP")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_decides_and_is_stripped(bom: bytes, codec: str) -> None:
    data = bom + BOM_TEXT.encode(codec)
    assert decode_page(data) == DecodedText(BOM_TEXT, codec)


def test_bom_wins_over_a_meta_declaration() -> None:
    text = page(RUSSIAN, head='<meta charset="windows-1251">')
    assert decode_page(codecs.BOM_UTF8 + text.encode()) == DecodedText(text, "utf-8")


def test_utf16_with_bom_and_odd_length_does_not_crash() -> None:
    data = codecs.BOM_UTF16_LE + page("Göttingen").encode("utf-16-le") + b"\x3c"
    result = decode_page(data)
    assert result.encoding == "utf-16-le"
    assert result.text == page("Göttingen") + "\ufffd"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_recognised_by_their_nuls(codec: str) -> None:
    text = page("Göttingen, “Thérèse”, Пётр")
    assert decode_page(text.encode(codec)) == DecodedText(text, codec)


# --- Declarations -----------------------------------------------------------------------------


def test_meta_charset_declaring_koi8_r() -> None:
    text = page(RUSSIAN, head='<meta charset="KOI8-R">')
    assert decode_page(text.encode("koi8_r")) == DecodedText(text, "koi8_r")


def test_meta_http_equiv_declaring_windows_1251() -> None:
    head = '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">'
    text = page(RUSSIAN, head=head)
    assert decode_page(text.encode("cp1251")) == DecodedText(text, "cp1251")


def test_declared_iso_8859_1_is_decoded_as_windows_1252() -> None:
    # WHATWG: the label iso-8859-1 means windows-1252, so 0x93/0x94 are curly quotes.
    head = '<meta http-equiv=Content-Type content="text/html; charset=ISO-8859-1">'
    text = page("“Quoted” – café", head=head)
    assert decode_page(text.encode("cp1252")) == DecodedText(text, "cp1252")


def test_xml_declaration_is_read() -> None:
    text = '<?xml version="1.0" encoding="KOI8-R"?>\n' + page(RUSSIAN)
    assert decode_page(text.encode("koi8_r")) == DecodedText(text, "koi8_r")


def test_xml_declaration_wins_over_meta() -> None:
    text = "<?xml version='1.0' encoding='windows-1251'?>" + page(
        RUSSIAN, head='<meta charset="koi8-r">'
    )
    assert decode_page(text.encode("cp1251")) == DecodedText(text, "cp1251")


def test_declared_codec_is_reported_for_ascii_pages() -> None:
    text = page("Plain ASCII", head='<meta charset="windows-1251">')
    assert decode_page(text.encode()) == DecodedText(text, "cp1251")


def test_unquoted_meta_charset_with_self_closing_slash() -> None:
    text = page(RUSSIAN, head="<meta charset=koi8-r/>")
    assert decode_page(text.encode("koi8_r")) == DecodedText(text, "koi8_r")


def test_bogus_label_is_ignored() -> None:
    text = page("Göttingen and “Thérèse”", head='<meta charset="x-bogus-42">')
    assert decode_page(text.encode()) == DecodedText(text, "utf-8")
    latin = page("Göttingen and Thérèse", head='<meta charset="x-bogus-42">')
    assert decode_page(latin.encode("latin-1")) == DecodedText(latin, "latin-1")


def test_unknown_label_does_not_stop_the_search() -> None:
    text = page(RUSSIAN, head='<meta charset="x-bogus"><meta charset="koi8-r">')
    assert decode_page(text.encode("koi8_r")) == DecodedText(text, "koi8_r")


def test_declaration_in_a_comment_or_description_is_not_a_declaration() -> None:
    head = (
        '<!-- <meta charset="koi8-r"> -->'
        '<meta name="description" content="pages in charset=koi8-r">'
    )
    text = page("Göttingen and “Thérèse”", head=head)
    assert decode_page(text.encode()) == DecodedText(text, "utf-8")


def test_declaration_after_the_head_bytes_is_not_looked_for() -> None:
    text = "<!DOCTYPE html>" + " " * HEAD_BYTES + page("Plain", head='<meta charset="koi8-r">')
    assert decode_page(text.encode()) == DecodedText(text, "utf-8")


def test_utf16_label_in_an_ascii_page_means_utf8() -> None:
    text = page("Göttingen", head='<meta charset="utf-16">')
    assert decode_page(text.encode()) == DecodedText(text, "utf-8")


# --- Declarations that lie ------------------------------------------------------------------------


def test_page_declaring_utf8_with_latin1_bytes() -> None:
    text = page(
        "Beatrice Thérèse Robins studied in Göttingen; café, naïve", '<meta charset="utf-8">'
    )
    assert decode_page(text.encode("latin-1")) == DecodedText(text, "latin-1")


def test_page_declaring_utf8_with_cp1252_bytes() -> None:
    text = page("“Don’t,” she said – it’s 1914–1918…", head='<meta charset="UTF-8">')
    assert decode_page(text.encode("cp1252")) == DecodedText(text, "cp1252")


def test_page_declaring_utf8_with_mac_roman_bytes() -> None:
    text = page("Queen’s College, “Göttingen”…", head='<meta charset="utf-8">')
    assert decode_page(text.encode("mac_roman")) == DecodedText(text, "mac_roman")


def test_legacy_declaration_on_valid_utf8_text_gives_utf8() -> None:
    text = page("Göttingen and “Thérèse”", head='<meta charset="iso-8859-1">')
    assert decode_page(text.encode()) == DecodedText(text, "utf-8")


def test_single_byte_declaration_with_impossible_bytes_falls_back_to_detection() -> None:
    # 0x98 is not a cp1251 character, so the declaration is wrong; the text is KOI8-R.
    text = page(RUSSIAN + " ≤", head='<meta charset="windows-1251">')
    data = text.encode("koi8_r")
    assert b"\x98" in data
    assert decode_page(data) == DecodedText(text, "koi8_r")


def test_declared_cjk_codec_keeps_its_text_around_a_bad_byte() -> None:
    text = page("日本語の歴史", head='<meta charset="shift_jis">')
    data = text.encode("cp932").replace("の".encode("cp932"), b"\x81 ")  # a lead byte alone
    result = decode_page(data)
    assert result.encoding == "cp932"
    assert "日本語\ufffd 歴史" in result.text


# --- Detection without any declaration ------------------------------------------------------------


@pytest.mark.parametrize("codec", ["koi8_r", "cp1251"])
def test_undeclared_russian(codec: str) -> None:
    text = page(RUSSIAN)
    assert decode_page(text.encode(codec)) == DecodedText(text, codec)


@pytest.mark.parametrize("codec", ["koi8_r", "cp1251"])
def test_undeclared_short_russian_title(codec: str) -> None:
    text = page("История России")
    assert decode_page(text.encode(codec)) == DecodedText(text, codec)


def test_undeclared_cp1252_with_curly_quotes() -> None:
    text = page("“Hello,” she said – it’s 1914–1918. Don’t stop… the café’s € price")
    data = text.encode("cp1252")
    assert decode_page(data) == DecodedText(text, "cp1252")


@pytest.mark.parametrize(
    "body",
    [
        "Les élèves à l'école: « Très bien », dit-il. Château, garçon, où, Noël.",
        "Müller, Straße, Größe, Bäcker, Übersicht, schön, für",
        "Señor, ¿cómo está? ¡Años! Corazón, acción, niño, 10\xa0km, © 1999",
    ],
)
def test_undeclared_latin1(body: str) -> None:
    text = page(body)
    assert decode_page(text.encode("latin-1")) == DecodedText(text, "latin-1")


@pytest.mark.parametrize(
    "body",
    [
        "“Hello,” she said – it’s 1914–1918. Don’t stop… crème brûlée, naïve, Müller.",
        "Réne Pétain, café",
        "‘Oxford’ • “Cambridge”",
    ],
)
def test_undeclared_mac_roman(body: str) -> None:
    text = page(body)
    assert decode_page(text.encode("mac_roman")) == DecodedText(text, "mac_roman")


# --- Damaged input ----------------------------------------------------------------------------


def test_utf8_truncated_inside_the_last_character() -> None:
    data = page("Göttingen “Thérèse”").encode() + "’".encode()[:2]
    assert decode_page(data) == DecodedText(page("Göttingen “Thérèse”") + "\ufffd", "utf-8")


def test_utf8_truncated_with_no_other_non_ascii() -> None:
    data = b"<p>Queen" + "’".encode()[:1]
    assert decode_page(data) == DecodedText("<p>Queen\ufffd", "utf-8")


def test_utf8_page_with_one_stray_byte_stays_utf8() -> None:
    data = page("Göttingen, “Thérèse”, Пётр, Queen\x92s").encode().replace(b"\xc2\x92", b"\x92")
    assert decode_page(data) == DecodedText(
        page("Göttingen, “Thérèse”, Пётр, Queen\ufffds"), "utf-8"
    )


def test_nul_bytes() -> None:
    data = b"<html><body><p>a\x00b\x00\x00c</p></body></html>"
    assert decode_page(data) == DecodedText(data.decode(), "utf-8")
    assert decode_page(b"\x00" * 100) == DecodedText("\x00" * 100, "utf-8")


def test_empty_and_tiny_input() -> None:
    assert decode_page(b"") == DecodedText("", "utf-8")
    assert decode_page(codecs.BOM_UTF8) == DecodedText("", "utf-8")
    for data in (b"\xff", b"\x80", b"\xc3", b"\xff\xfe", b"\x00\x00\xfe"):
        assert consistent(data, decode_page(data))
    assert decode_page(b"\xfe\xff\x00") == DecodedText("\ufffd", "utf-16-be")


def test_undefined_cp1252_bytes_never_crash() -> None:
    data = bytes(range(0x80, 0xA0)) + b" and \x81\x8d\x8f\x90\x9d"
    result = decode_page(data)
    assert consistent(data, result)


def test_random_bytes_never_crash_and_text_matches_the_codec() -> None:
    rng = random.Random(1878)
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(64))) for _ in range(1500)]
    # Mostly-ASCII markup with random high bytes and NULs, like a damaged page.
    base = page("Mathematical Women in the British Isles").encode()
    for _ in range(500):
        damaged = bytearray(base)
        for _ in range(rng.randrange(1, 6)):
            damaged[rng.randrange(len(damaged))] = rng.choice([0, 0x80, 0x9A, 0xC9, 0xD5, 0xFF])
        samples.append(bytes(damaged))
    for data in samples:
        result = decode_page(data)
        assert isinstance(result.text, str)
        codecs.lookup(result.encoding)
        assert consistent(data, result), data


def test_no_c1_controls_or_replacement_in_detected_text() -> None:
    for codec in ("cp1252", "mac_roman", "koi8_r", "cp1251"):
        text = page(RUSSIAN) if codec in ("koi8_r", "cp1251") else page("“Göttingen” – Queen’s")
        result = decode_page(text.encode(codec))
        assert not any(unicodedata.category(ch) == "Cc" and ch > "\x7f" for ch in result.text)
        assert "\ufffd" not in result.text
