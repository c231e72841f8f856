"""Bytes -> text: find out which encoding a saved page was written in, and decode it.

Evidence is weighed in the order a browser uses, strongest first:

1. a byte order mark (UTF-8, UTF-16, UTF-32);
2. the encoding in an XML declaration;
3. a ``<meta charset>`` or ``<meta http-equiv="Content-Type">`` in the head of the page;
4. detection, when nothing is declared or the declaration is contradicted by the bytes.

Labels go through the WHATWG table, so "iso-8859-1" means windows-1252 as it does in every
browser, and labels we do not know are ignored. Detection reads valid UTF-8 as UTF-8 (also when
only a truncated last character or a few stray bytes are wrong), and UTF-16/32 without a BOM by
its NUL pattern; anything else is scored as cp1252, latin-1, mac_roman, cp1251 and koi8_r by a
small scorer that looks only at the non-ASCII characters and their neighbours (see
`_score_char`). Nothing here raises on any input: the last resort is errors="replace".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # the codec actually used, a Python codec name such as "utf-8", "mac_roman"


# Declarations are only looked for here: browsers look at the first 1 KB, authors put the meta
# early, and scanning a 1 MB page for "charset" on every page would cost more than decoding it.
HEAD_BYTES = 4096

# Checked longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# WHATWG Encoding Standard labels (https://encoding.spec.whatwg.org/#names-and-labels), as
# "python codec: label label ...". Deliberate departures, all following what HTML prescan does:
# the UTF-16 labels and x-user-defined cannot be true of bytes in which we just read an ASCII
# declaration, so they mean UTF-8 and windows-1252. The "replacement" labels (iso-2022-kr,
# hz-gb-2312, ...) are left out, so they are ignored like unknown labels instead of turning the
# whole page into U+FFFD.
_LABELS_BY_CODEC = """
utf-8: unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8
    utf-16 utf-16be utf-16le unicodefffe unicodefeff unicode ucs-2 iso-10646-ucs-2 csunicode
cp866: 866 cp866 csibm866 ibm866
iso8859_2: csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2
iso8859_3: csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3
iso8859_4: csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4
iso8859_5: csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5
    iso_8859-5:1988
iso8859_6: arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6
    iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987
iso8859_7: csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7
    iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek
iso8859_8: csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8
    iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical
iso8859_10: csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6
iso8859_13: iso-8859-13 iso8859-13 iso885913
iso8859_14: iso-8859-14 iso8859-14 iso885914
iso8859_15: csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9
iso8859_16: iso-8859-16
koi8_r: cskoi8r koi koi8 koi8-r koi8_r
koi8_u: koi8-ru koi8-u
mac_roman: csmacintosh mac macintosh x-mac-roman
mac_cyrillic: x-mac-cyrillic x-mac-ukrainian
cp874: dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874
cp1250: cp1250 windows-1250 x-cp1250
cp1251: cp1251 windows-1251 x-cp1251
cp1252: ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1
    iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252 x-user-defined
cp1253: cp1253 windows-1253 x-cp1253
cp1254: cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989
    l5 latin5 windows-1254 x-cp1254
cp1255: cp1255 windows-1255 x-cp1255
cp1256: cp1256 windows-1256 x-cp1256
cp1257: cp1257 windows-1257 x-cp1257
cp1258: cp1258 windows-1258 x-cp1258
gb18030: chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030
big5hkscs: big5 big5-hkscs cn-big5 csbig5 x-x-big5
euc_jp: cseucpkdfmtjapanese euc-jp x-euc-jp
iso2022_jp: csiso2022jp iso-2022-jp
cp932: csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis
cp949: cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601
    ksc_5601 windows-949
"""


def _parse_labels(table: str) -> dict[str, str]:
    codec_by_label: dict[str, str] = {}
    codec = ""
    for line in table.strip().splitlines():
        if not line.startswith(" "):
            codec, _, line = line.partition(":")
        for label in line.split():
            codec_by_label[label] = codec
    return codec_by_label


_CODEC_BY_LABEL = _parse_labels(_LABELS_BY_CODEC)

# When a declared single-byte codec fails (a byte it leaves undefined), the detector, with that
# codec as its first candidate, is a better judge than U+FFFD; multi-byte ones are kept.
_MULTI_BYTE = {"utf-8", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949"}
_SINGLE_BYTE = set(_CODEC_BY_LABEL.values()) - _MULTI_BYTE

# All patterns run on the lowercased head; the [^>] classes keep each match inside one tag.
_XML_DECL = re.compile(rb"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([^"'\s?>]+)""")
_META = re.compile(rb"<meta[\s/][^>]*>")
# An unquoted value stops at "/", so <meta charset=utf-8/> declares "utf-8".
_ATTR = re.compile(rb"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+)))?""")
_CHARSET_IN_CONTENT = re.compile(rb"""charset\s*=\s*["']?\s*([^\s"';]+)""")


def _codec_for_label(label: bytes) -> str | None:
    return _CODEC_BY_LABEL.get(label.strip().decode("ascii", "replace"))


def _meta_label(tag: bytes) -> bytes | None:
    """The charset a <meta> tag declares, following the HTML prescan rules."""
    attrs: dict[bytes, bytes] = {}
    for m in _ATTR.finditer(tag, 5):  # skip "<meta"
        name = m.group(1)
        if name not in attrs:  # the first of repeated attributes counts
            attrs[name] = m.group(2) or m.group(3) or m.group(4) or b""
    if b"charset" in attrs:
        return attrs[b"charset"]
    # A "content" attribute says something about the encoding only on an http-equiv tag, so
    # <meta name="description" content="... charset=..."> is not a declaration.
    if attrs.get(b"http-equiv", b"").strip() == b"content-type" and b"content" in attrs:
        m = _CHARSET_IN_CONTENT.search(attrs[b"content"])
        if m:
            return m.group(1)
    return None


def _strip_comments(head: bytes) -> bytes:
    kept = []
    pos = 0
    while (start := head.find(b"<!--", pos)) >= 0:
        kept.append(head[pos:start])
        end = head.find(b"-->", start + 4)
        if end < 0:  # the comment runs past the head
            return b"".join(kept)
        pos = end + 3
    kept.append(head[pos:])
    return b"".join(kept)


def _declared_encoding(head: bytes) -> str | None:
    """The Python codec declared in `head` (lowercased bytes), or None if nothing usable is."""
    m = _XML_DECL.match(head)
    if m:
        codec = _codec_for_label(m.group(1))
        if codec:
            return codec
    if b"<meta" not in head:
        return None
    if b"<!--" in head:  # a commented-out meta is not a declaration
        head = _strip_comments(head)
    for tag in _META.finditer(head):
        label = _meta_label(tag.group())
        if label:
            codec = _codec_for_label(label)
            if codec:  # an unknown label does not stop the search, as in browsers
                return codec
    return None


def decode_page(data: bytes) -> DecodedText:
    """Decode one saved page, never raising; `encoding` names the codec that produced `text`."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], codec)

    head = data[:HEAD_BYTES].lower()
    declared = _declared_encoding(head)

    if declared is None and b"\x00" in head:
        codec = _sniff_utf16_utf32(data[:HEAD_BYTES])
        if codec:
            return _decode_lenient(data, codec)

    if declared is None or declared == "utf-8":
        try:
            return DecodedText(data.decode("utf-8"), "utf-8")  # the fast path: most pages
        except UnicodeDecodeError as err:
            return _invalid_utf8(data, err)

    # A saved page has lost its HTTP header, and servers that sent "charset=utf-8" in it
    # often kept a stale legacy <meta> in the template; the header won in the browser. Non-ASCII
    # bytes that are valid UTF-8 almost never happen by chance in a legacy encoding, so they are
    # better evidence than the meta. ISO-2022-JP is exempt: it is 7-bit and so always "valid".
    if declared != "iso2022_jp" and not data.isascii():
        try:
            return DecodedText(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return DecodedText(data.decode(declared), declared)
    except UnicodeDecodeError:
        pass
    if declared in _SINGLE_BYTE:
        return _detect_single_byte(data, first=declared)
    # We cannot detect CJK encodings, so a few bad bytes in a declared one are better kept as
    # U+FFFD than guessed at.
    return DecodedText(data.decode(declared, errors="replace"), declared)


def _decode_lenient(data: bytes, codec: str) -> DecodedText:
    text = data.decode(codec, errors="replace")
    return DecodedText(text.removeprefix("\ufeff"), codec)


def _decode_with_bom(body: bytes, codec: str) -> DecodedText:
    if codec != "utf-8":
        return _decode_lenient(body, codec)
    try:
        return DecodedText(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        return _invalid_utf8(body, err)


def _sniff_utf16_utf32(sample: bytes) -> str | None:
    """UTF-16/32 without a BOM, recognised by the NUL high bytes of its ASCII markup."""
    size = len(sample) - len(sample) % 4
    if size < 8:
        return None
    sample = sample[:size]
    quarter = size // 4
    nuls = [sample[i::4].count(0) for i in range(4)]

    def mostly(i: int) -> bool:
        return nuls[i] >= 0.7 * quarter

    def rarely(i: int) -> bool:
        return nuls[i] <= 0.1 * quarter

    if rarely(0) and mostly(1) and mostly(2) and mostly(3):
        return "utf-32-le"
    if mostly(0) and mostly(1) and mostly(2) and rarely(3):
        return "utf-32-be"
    even, odd = nuls[0] + nuls[2], nuls[1] + nuls[3]
    if odd >= 0.5 * 2 * quarter and even <= 0.1 * 2 * quarter:
        return "utf-16-le"
    if even >= 0.5 * 2 * quarter and odd <= 0.1 * 2 * quarter:
        return "utf-16-be"
    return None


def _invalid_utf8(data: bytes, err: UnicodeDecodeError) -> DecodedText:
    """UTF-8 was declared or assumed, but the bytes are not valid UTF-8."""
    if err.end == len(data) and err.reason == "unexpected end of data":
        # Everything before the error decoded, so the file was cut inside its last character.
        return DecodedText(data.decode("utf-8", errors="replace"), "utf-8")
    text = data.decode("utf-8", errors="replace")
    genuine_fffd = data.count("\ufffd".encode())  # U+FFFD written in the page itself
    bad = text.count("\ufffd") - genuine_fffd
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - bad - genuine_fffd
    # Choose the reading that spoils fewer characters: a UTF-8 page with a stray byte loses
    # one character to U+FFFD, while reading it as a legacy encoding would garble every
    # multi-byte character. A page with no valid multi-byte sequence at all is legacy text.
    if good > bad:
        return DecodedText(text, "utf-8")
    return _detect_single_byte(data)


# --- Detection among single-byte encodings --------------------------------------------------
#
# Each candidate decoding is judged by its non-ASCII characters only, because the ASCII bytes
# (markup and most of the text) are the same in all of them. Every such character gets a score
# from what it is and what stands next to it: a common accented letter inside a word or a
# curly apostrophe in "Queen’s" is good; a C1 control, "Õ" after a lower-case letter, a
# modifier "ˆ" inside "Gˆttingen", a Cyrillic letter glued to Latin letters, a run of three
# accented Latin letters (Cyrillic read as cp1252), case flipping inside a Cyrillic word
# (KOI8-R read as cp1251) or an unusual accented letter where quotes and dashes stand, at the
# edge of a word ("ìandî" is cp1252 “and” read as mac_roman) are bad. The candidate with the
# highest total wins; ties go to the more common encoding, in the order of _CANDIDATES. The
# weights were set by hand on the Davis pages and on corpus paragraphs re-encoded in each
# candidate; charset-normalizer was tried first and got all seven Davis pages wrong.

_CANDIDATES = ("cp1252", "latin-1", "mac_roman", "cp1251", "koi8_r")
_MAX_SCORED = 5000  # non-ASCII bytes looked at; enough to decide, cheap on a long page

_C1_OR_UNDEFINED = -5.0  # a control character or U+FFFD is never what the author typed
_MIXED_SCRIPT = -2.0  # Cyrillic touching Latin inside a word: "Thйrиse" (Latin-1 read as cp1251)
_CASE_FLIP = -3.0  # an upper-case letter right after a lower-case one: "QueenÕs", "рТЙЧЕФ"
_LONG_ACCENT_RUN = -1.5  # accented Latin letters in a row: "Ïðèâåò" (cp1251 read as cp1252)
_SYMBOL = -1.0  # a symbol most text never needs: "◊", "∂", "¤", "ˆ"
_SYMBOL_IN_WORD = -2.5  # ... and worse between two letters: "Gˆttingen", "Straﬂe"

# Weights of non-ASCII Latin letters by how often they occur in Western European text.
_LATIN_LETTER = dict.fromkeys("éèêëáàâäãåçíìîïñóòôöõøúùûüæß", 2.0)
_LATIN_LETTER.update(dict.fromkeys("ýÿœšžðþ", 0.6))
_LATIN_LETTER.update(dict.fromkeys("ÉÈÀÁÂÄÅÇÖÜÑØÆÓÚÍÊ", 2.0))
_LATIN_LETTER.update(dict.fromkeys("ÒÔÕÃÌÎÏËÙÛÝŸŒŠŽÐÞ", 0.6))

_OTHER_LETTER = 0.3
# Letters by Unicode, but in old single-byte text the florin sign, a Turkish letter and
# typographic ligatures: mac_roman reads them out of Latin-1 "Ä", "õ", "Þ" and "ß".
_LETTERS_AS_SYMBOLS = "ƒıﬁﬂ"

# Russian letters by frequency: the commonest fifteen, the next eight, the rest.
_CYRILLIC_LETTER = dict.fromkeys("оеаинтсрвлкмдпу", 2.0)
_CYRILLIC_LETTER.update(dict.fromkeys("яыьгзбчй", 1.0))
_CYRILLIC_LETTER.update(dict.fromkeys("хжшюцщэфъё", 0.3))
# Ukrainian, Belarusian, Serbian and Macedonian letters that cp1251 also has.
_CYRILLIC_LETTER.update(dict.fromkeys("ґєіїўђјљњћџѓќѕ", 0.3))

_PUNCTUATION = {
    **dict.fromkeys("’‘“”«»–—…", 1.0),
    "\xa0": 0.8,
    "•": 0.5,
    **dict.fromkeys("©®™€£§¡¿№", 0.5),
    "\xad": 0.3,
    **dict.fromkeys("·‚„‹›†‡", 0.2),
    **dict.fromkeys("¢¥¶", 0.1),
    "π": 0.2,  # in mac_roman, and in the history of mathematics
    "´": _SYMBOL,
}
# Symbols that are normal next to a number ("5½", "20°", "1º", "3×4") and odd elsewhere.
_NUMERIC = set("½¼¾¹²³±×‰ºª°")
_CONTRACTION_ENDS = ("s", "t", "d", "ll", "re", "ve", "m")
# Accented letters that are words on their own (French "à", Spanish "é" and "ó" are rare).
_ONE_LETTER_WORDS = "àÀ"
# Small accented letters that often begin or end a word ("école", "über", "café", "où");
# elsewhere at a word's edge a letter scores only _RARE_POSITION.
_WORD_INITIAL = "éêáúàâîôüöäåæøç"
_WORD_FINAL = "éèàùúóáãõê"
_RARE_POSITION = 0.2
_PUNCTUATION_IN_WORDS = "’–—\xa0\xad·"  # "don’t", "Anglo–Saxon", "10\xa0km", "l·l"
_OPENING = "‘“«„‚‹"
_CLOSING = "’”»‹›"
_CYRILLIC_ONE_LETTER_WORDS = "вискуоаяж"


def _detect_single_byte(data: bytes, first: str | None = None) -> DecodedText:
    """The likeliest single-byte reading; `first` (a declared codec) goes first and wins ties."""
    found = re.finditer(rb"[\x80-\xff]", data)
    positions = [m.start() for m in itertools.islice(found, _MAX_SCORED)]
    candidates = tuple(c for c in (first, *_CANDIDATES) if c)
    candidates = tuple(c for i, c in enumerate(candidates) if c not in candidates[:i])
    # Without bytes 0x80-0x9F, cp1252 and latin-1 give the same text; it is then named latin-1,
    # the encoding such pages were written in, and cp1252 only when it actually differs.
    if first != "cp1252" and not re.search(rb"[\x80-\x9f]", data):
        candidates = tuple(c for c in candidates if c != "cp1252")
    best: DecodedText | None = None
    best_score = float("-inf")
    for codec in candidates:
        text = data.decode(codec, errors="replace")
        score = sum(_score_char(text, i) for i in positions)
        if score > best_score:  # strictly greater: earlier (more common) codecs win ties
            best, best_score = DecodedText(text, codec), score
    assert best is not None
    return best


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_letter(ch: str) -> bool:
    # Not str.isalpha(): that counts modifier symbols such as "ˆ" (mac_roman 0xF6) as letters.
    return unicodedata.category(ch) in ("Lu", "Ll")


def _is_latin(ch: str) -> bool:
    return ("a" <= ch.lower() <= "z") or _is_accented_latin(ch)


def _is_accented_latin(ch: str) -> bool:
    return "\u00c0" <= ch <= "\u024f" and _is_letter(ch)


def _score_char(text: str, i: int) -> float:
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if "\x80" <= ch <= "\x9f" or ch == "\ufffd":
        return _C1_OR_UNDEFINED
    if _is_cyrillic(ch):
        return _score_cyrillic(text, i, prev, nxt)
    if ch in _LATIN_LETTER:
        return _score_latin(text, i, _LATIN_LETTER[ch], prev, nxt)
    if ch in _PUNCTUATION or ch in _NUMERIC:
        return _score_punctuation(text, i, prev, nxt)
    if _is_accented_latin(ch) and ch not in _LETTERS_AS_SYMBOLS:
        # Letters of other Latin alphabets ("ł", "ő"), met when a declared cp1250 or iso8859_2
        # competes: plausible, but less so in the Western text the other candidates expect.
        return _score_latin(text, i, _OTHER_LETTER, prev, nxt)
    if unicodedata.category(ch) in ("Lu", "Ll", "Lo") and ch not in _LETTERS_AS_SYMBOLS:
        return _OTHER_LETTER  # Greek, Hebrew, ... only come from a declared codec
    if "\u2500" <= ch <= "\u259f" or ch in "⌠⌡∙":  # box drawing: KOI8-R read from Latin text
        return 2 * _SYMBOL
    if _is_letter(prev) and _is_letter(nxt):
        return _SYMBOL_IN_WORD
    return _SYMBOL


def _score_latin(text: str, i: int, weight: float, prev: str, nxt: str) -> float:
    ch = text[i]
    if _is_cyrillic(prev) or _is_cyrillic(nxt):
        return _MIXED_SCRIPT
    letter_before, letter_after = _is_letter(prev), _is_letter(nxt)
    if _is_accented_latin(prev) or _is_accented_latin(nxt):
        # Two accented letters in a row happen in a word ("ação", "Sillanpää"), but not three
        # in a row nor as a whole word: "Ïðèâåò" is cp1251, "(2002)Êá" is mac_roman " ·".
        before2 = text[i - 2] if i > 1 else " "
        after2 = text[i + 2] if i + 2 < len(text) else " "
        if _is_accented_latin(prev) and (
            _is_accented_latin(before2) or not (letter_after or _is_letter(before2))
        ):
            return _LONG_ACCENT_RUN
        if _is_accented_latin(nxt) and (
            _is_accented_latin(after2) or not (letter_before or _is_letter(after2))
        ):
            return _LONG_ACCENT_RUN
    if not letter_before and not letter_after:
        # "word ó word", "Warsaw.É": a dash or an ellipsis misread, rarely a one-letter word.
        return weight / 2 if ch in _ONE_LETTER_WORDS else _SYMBOL
    if prev.isdigit() or nxt.isdigit():  # "1914ñ1918", "60Êkm": a dash or a space misread
        return _SYMBOL
    if ch.isupper():
        if letter_before and prev.islower():
            return _CASE_FLIP
        if letter_before:  # inside an all-capitals word
            return weight / 2
        # "ÒHello": a capital before a capital and a small letter is a mac_roman “ read as
        # cp1252, not the start of a word.
        if nxt.isupper() and i + 2 < len(text) and text[i + 2].islower():
            return _SYMBOL
        return weight / 2
    if letter_after and nxt.isupper():  # "ìHello": cp1252 “ read as mac_roman
        return _CASE_FLIP
    # cp1252 quotes read as mac_roman become small letters at the edge of a word ("ìand",
    # "Workersí", "supportedî"), where only some accented letters are common.
    if not letter_before and ch not in _WORD_INITIAL:
        return _RARE_POSITION
    if not letter_after and ch not in _WORD_FINAL:
        return _RARE_POSITION
    return weight


def _score_punctuation(text: str, i: int, prev: str, nxt: str) -> float:
    ch = text[i]
    if ch in _NUMERIC:
        if prev.isdigit() or nxt.isdigit() or (ch in "²³" and _is_letter(prev)):  # "km²"
            return 1.0
        return 0.3 if ch == "°" else _SYMBOL  # "°C", "degrees" written out
    score = _PUNCTUATION[ch]
    if ch == "´":  # typed for an apostrophe: "there´s"
        return 0.5 if _is_letter(prev) and _is_letter(nxt) else _SYMBOL
    if _is_letter(prev) and _is_letter(nxt) and ch not in _PUNCTUATION_IN_WORDS:
        return _SYMBOL_IN_WORD  # "Workers¥s", "Ph.D.(G£ttingen)"
    if ch == "’" and _is_letter(prev):
        rest = text[i + 1 : i + 4]
        # "Queen’s", "don’t", "we’ll": the commonest non-ASCII character of English text.
        if any(
            rest.startswith(end) and not (len(rest) > len(end) and rest[len(end)].isalpha())
            for end in _CONTRACTION_ENDS
        ):
            return score + 3.0
        return score + 1.0  # "Workers’ and", "o’clock"
    if ch in _OPENING and not prev.isalnum() and nxt.isalnum():
        return score + 1.0
    if ch in _CLOSING and not nxt.isalnum() and (prev.isalnum() or prev in ".,!?;:"):
        return score + 1.0
    if ch in "–—":
        if (_is_letter(prev) and _is_letter(nxt)) or (prev.isdigit() and nxt.isdigit()):
            return score + 1.5
        if prev.isalnum() or nxt.isalnum():  # "follows:—when"
            return score + 1.0
    if ch == "·" and prev in " \xa0" and nxt in " \xa0":  # a list separator, "A · B"
        return 0.5
    if ch == "№":  # "№ 5"
        return score if nxt.isdigit() or (nxt == " " and text[i + 2 : i + 3].isdigit()) else _SYMBOL
    if ch == "…" and _is_letter(prev):
        return score + 0.5
    if ch in "†‡" and not (prev.isalnum() or nxt.isalnum()):
        return _SYMBOL  # a dagger is a footnote mark, so it stands next to a word or number
    return score


def _score_cyrillic(text: str, i: int, prev: str, nxt: str) -> float:
    ch = text[i]
    before2 = text[i - 2] if i > 1 else " "
    after2 = text[i + 2] if i + 2 < len(text) else " "
    if (
        _is_latin(prev)
        or _is_latin(nxt)
        or (_is_cyrillic(prev) and _is_latin(before2))  # "Sillanpдд" is Latin-1 "Sillanpää"
        or (_is_cyrillic(nxt) and _is_latin(after2))
    ):
        return _MIXED_SCRIPT
    if prev.isdigit() or nxt.isdigit():  # "(1976)Кб" is mac_roman "(1976) ·"
        return _RARE_POSITION
    weight = _CYRILLIC_LETTER.get(ch.lower(), 0.0)
    if not _is_cyrillic(prev) and not _is_cyrillic(nxt):
        # A letter alone is a word only for these ("в", "и", "С"); otherwise it is a symbol
        # of another encoding, like mac_roman "–" or cp1252 "×" read as cp1251 "Р", "Ч".
        if ch.lower() not in _CYRILLIC_ONE_LETTER_WORDS:
            return _SYMBOL
        return weight / 2 if ch.islower() else _RARE_POSITION
    if ch.isupper():
        if _is_cyrillic(prev) and prev.islower():
            return _CASE_FLIP
        if _is_cyrillic(prev):  # capitals are rare after the first letter of a word
            return weight * 0.3
        return weight * 0.8
    return weight
