"""Persons mentioned on a page, without a statistical NER model.

Design note: what each part buys.

* Candidate runs (one compiled regex): sequences of capitalised words, initials ("J.F."),
  regnal numbers ("Louis XVI"), name particles (von, van, de, da, al-, ibn, bin) and
  epithets ("Alexander the Great"). A run is only a candidate; most runs are places,
  peoples, institutions or sentence starts, which is why the naive baseline's precision is
  so low. Sentence-start words (from `data/common_words.txt`, words the corpus mostly writes
  in lower case) are trimmed off; runs ending in an institution or place word ("Lincoln
  Memorial", "St. Peter's Basilica", "Stalin Prize"), "Washington, D.C." and words from
  `data/not_persons.txt` (deities, peoples, months, days) are dropped, and so are names that
  are wholly a place of `data/places.txt` (countries, lands: "Poland", not "Anne of Austria"),
  which lists would otherwise make persons ("Hitler, Poland, France, China").
* Evidence that a run is a person, any one of which suffices:
  - honorifics and titles before it ("Mr.", "Sir W.", "my Lord Sandwich", "Emperor
    Justinian", "King Louis XVI", "Pope Gregory"; "the Duke of York" as its own pattern);
  - a lifespan or birth note after it ("X (1769–1821)", "X (born ...", "X (c. 480 – 406 BC)");
  - kinship and biography context ("son of X", "X, son of", "X was born", "X died",
    "X's wife", "X said");
  - a first word that is a given name (`data/given_names.txt`: the forenames of the Davis
    archive plus common names of many languages), which is what finds most modern
    "Forename Surname" mentions, including the seed style's NIKITA KHRUSHCHEV;
  - the registry (below).
  Single words need context or the registry, or they must be the surname or forename of a
  full name found on the same page; that keeps "Athens" and "Athenians" out while
  "Caesar" merges into "Julius Caesar".
* The registry: the corpus itself says who is a person. `registry_candidate` recognises pages
  *about* a person (Davis "Surname, Forenames" titles; Wikipedia leads "X (born ...) was a
  ..." with a lifespan and he/she pronouns). `build_registry` collects them; pass the set as
  `registry=` and known persons are accepted without other evidence, their forenames join the
  given-name list, and a surname alone resolves to the registry person when it is unambiguous.
* Merging: mentions of one person (full name, surname, honorific forms, the alias table's
  spellings via `names.name_keys`) become one `PersonMention` under a canonical name: the
  alias table's preferred name, else the page's title for a page about that person, else the
  fullest form the page uses.

* Diary style (Pepys): abbreviated titles stay in the run ("Mr. Coventry", "Mrs. Turner",
  "Dr. Clerke", "Capt. Scott"), a word after "Mr."/"Sir" is a name even if it is also an
  English word ("Mr. Creed"); "Sir W. Pen" merges with "Sir William Pen"; a lady is keyed
  apart from the lord or Mr. of her surname ("my Lady Sandwich" is not "my Lord Sandwich").
* Track listings: '"Nancy" (Silvers, Van Heusen) – 3:02' credits persons, by surname alone
  when that is all the line gives (a surname merges into a full name on the page: "(Charles)"
  -> Ray Charles). A lone forename joins a list only paired with another single name by
  "and" ("Justinian and Theodora"). Reference-list lines accept an unknown forename when a
  year follows ("Halman, Talat (1988)."). "my brother Tom", "written by X", "X (of Place) was
  a Greek mathematician" are person contexts.
* Names by place: a given name, "of" and one capitalised word ("Anne of Austria", "Joan of
  Arc", "Gregory of Tours") are one name; a lone "Anne" is a shorter mention of it, "Tours" is
  no person, and "Paul III" does not merge into "Paul of Tarsus".
* Lists: "Ike & Tina Turner" gives Ike Turner; "Gerry & The Pacemakers" and "the Shondells"
  are bands and do not join lists of persons; 'David "Fathead" Newman' is David Newman.

Speed (it runs per page at index time): one regex pass finds the runs. The regex has no
leading lookbehind (that stops the engine skipping to the next capital; the character before
is checked in Python). A run's own analysis is cached per distinct run text. Context regexes
run lazily, only for candidates nothing cheaper decides (an honorific, a given name, the alias
table), at most until one occurrence gives evidence, and only behind cheap word tests
(`_before_trigger`, `_after_trigger`). `key_terms` looks for capitalised terms first and reuses
the persons of the page just extracted. The corpus (3,393 pages, 14.5 MB of text) takes
4.5-5.5 s CPU in one fresh process (3.2-3.9 s once the per-run and name-key caches are warm)
for `person_mentions`, plus 0.3-0.45 s for `key_terms`, measured on a loaded machine where the
previous version took 15 s.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .names import (
    HONORIFICS,
    _canonical_name,
    _name_keys,
    alias_key_index,
    alias_preferred,
    canonical_form,
    canonical_name,
    name_keys,
    word_key,
)

DATA = Path(__file__).resolve().parent / "data"


@dataclass
class PersonMention:
    name: str  # canonical
    variants: list[str] = field(default_factory=list)  # as written on the page
    count: int = 0


def _word_list(filename: str) -> frozenset[str]:
    words = set()
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return frozenset(words)


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        _word_list("given_names.txt"),
        _word_list("common_words.txt"),
        _word_list("not_persons.txt"),
    )


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    return _word_list("places.txt")


def _is_place(words: Iterable[str]) -> bool:
    """Whether the words, whole, are a place of `data/places.txt` ("Poland", "Asia Minor")."""
    return " ".join(words).lower() in _places()


def lone_forename(name: str) -> bool:
    """Whether `name` is one given name that no one is known by alone ("John", "Anne", but
    not "Augustus" or "Plato"): across pages, it names many different persons."""
    words = name.split()
    return (len(words) == 1 and words[0].lower() in _lists()[0]
            and alias_preferred(words[0]) is None)


def never_a_person(name: str) -> bool:
    """Whether the word lists rule `name` out as a person's, as extraction does: the whole
    name or its last word in `data/not_persons.txt` ("goths", "the Huns"), or the whole name,
    after a leading "of" or "the", in `data/places.txt` ("of China")."""
    words = name.lower().split()
    if not words:
        return False
    stop = _lists()[2]
    if " ".join(words) in stop or words[-1] in stop:
        return True
    while len(words) > 1 and words[0] in ("of", "the"):
        words = words[1:]
    return _is_place(words)


def _chars(pred) -> str:
    # Explicit classes: the stdlib `re` has no \p{Lu}; Latin, Greek and Cyrillic cover the
    # scripts names are written in on these sites.
    return "".join(re.escape(chr(c)) for c in [*range(0x41, 0x530), *range(0x1E00, 0x1F00)]
                   if pred(chr(c)))


_U = "[" + _chars(str.isupper) + "]"
_L = "[" + _chars(str.islower) + "]"
_CAPW = (
    rf"(?:Ma?c|O['’]|D['’])?{_U}{_L}+"
    rf"(?:[-'’](?!s\b){_U}?{_L}+)*"
)
_UPW = rf"{_U}{{2,}}(?:[-'’]{_U}+)*"  # NIKITA, O'BRIEN
# W. J.F. Th. Mrs. Capt.: an initial or an abbreviated title (which must not end the run:
# "Mr. Coventry", "Mrs. Turner", "Dr. Clerke" are one run each).
_INITIAL = (rf"(?:{_U}{_L}?|Mrs|Mme|Mlle|Capt|Lieut|Messrs|Prof|Rev|Sgt|Maj|Hon)\.(?:[ ]?{_U}\.)*")
_ROMAN = r"(?:[IVX]{1,5}|[IVX]{0,3}L[IVX]{0,3})\b(?!['’.]\w)"
_PARTICLE = (
    r"(?:von der|von|van der|van den|van|der|den|de la|de los|de|del|della|di|da|du|dos|das|"
    r"le|la|ibn|bin|bint|ben|ap|zu)"
)
_EPITHETS = frozenset(
    "Great Elder Younger Conqueror Terrible Magnificent Bold Fair Pious Wise Good Bald Fat Short "
    "Lame Navigator Apostate Confessor Lionheart Hun Red Black Just Cruel Lawgiver Unready "
    "Simple Stammerer Fowler Venerable Lion Saint".split()
)
_EPITHET = r"the (?:" + "|".join(sorted(_EPITHETS)) + r")\b"
# No lookbehind for "not inside a word": a pattern that starts with it cannot skip ahead to
# the next capital and is twice as slow; `_runs` checks the character before instead.
_RUN = re.compile(
    rf"(?=[{_U[1:-1]}])(?:{_INITIAL}|{_CAPW}|{_UPW})"
    rf"(?:(?:[ ]+|[ ]+{_PARTICLE}[ ]+|[ ]+[\"“]{_CAPW}[\"”][ ]+|"
    rf"[ ]+(?:al|el|ad|as|an|ar|at|ibn|bin)-|(?<=\.))"
    rf"(?:{_INITIAL}|{_CAPW}|{_UPW}|{_ROMAN})|[ ]+{_EPITHET})*"
    r"(?:['’]s\b)?"
)
_NOBLE_WORDS = frozenset(
    "Duke Duchess Earl Marquis Marquess Viscount Baron Baroness Count Countess Prince Princess "
    "Lord Lady".split()
)
# Matched where a run ends in one of those words and " of " follows.
_NOBLE_OF = re.compile(rf"(?:{'|'.join(sorted(_NOBLE_WORDS))})[ ]+of[ ]+{_CAPW}(?:[ ]+{_CAPW})?")
# Matched where a run is one given name and " of " follows: "Anne of Austria", "Joan of Arc",
# "Godfrey of Bouillon". One word after "of", and no capitalised word after that ("John of
# Gaunt Road" is left alone).
_GIVEN_OF = re.compile(rf"{_CAPW}[ ]+of[ ]+({_CAPW})\b(?![ ]+{_U})")

# Words after a run that make it a thing named after a person, not the person.
_THING_AFTER = re.compile(
    r"(?:['’]s)?[ ]+(?:Memorial|Basilica|Cathedral|Church|Chapel|Abbey|Temple|University|College|"
    r"School|Academy|Institute|Institution|Hospital|Museum|Library|Gallery|Bridge|Street|St\.?|"
    r"Road|Avenue|Square|Station|Hall|Palace|Castle|Tower|Park|Gardens?|Prize|Award|Medal|"
    r"Foundation|Society|Company|Corporation|Records|Band|Pictures|Studios?|Productions|Orchestra|Quartet|Trio|Day|Island|"
    r"Islands|River|Mountains?|Strait|Bay|Sea|Lake|Canal|Doctrine|Plan|Act|Treaty|Dynasty|"
    r"Empire|Line|Wall|Gate|Theatre|Theater|Center|Centre|Airport|Stadium|Hotel|Building|"
    r"Lectures?|Professor(?:ship)?|Chair|Fellowship|Scholarship|Studentship|Laboratory|Code|"
    r"Law|Laws|Theorem|Equation|Prize|Cup|Trophy|Show|Hour|Era|Age|Period|Years|Administration|"
    r"Government|Cabinet|Party|Movement|Revolution|War|Wars|Expedition|Family|House)\b"
)
_PLACE_AFTER = re.compile(r",? (?:D\.C\.|DC)\b")
_PLACE_WORDS = frozenset(
    "mount mt fort cape port lake river saint st san santa sao são new north south east west "
    "upper lower great little".split()
)
_THING_WORDS = frozenset(
    w.lower() for w in re.findall(r"[A-Z][a-z]+", _THING_AFTER.pattern) if w not in ("St",)
)
# Thing words that are also surnames: a run ending in one is a thing only without a forename
# ("Lincoln Memorial", "Berlin Wall" but "Edith Hall", "Alonzo Church").
_SURNAME_LIKE = frozenset(
    "hall house law day church wall street park bay chapel line gate temple castle tower bridge "
    "code show cup chair family age era lake sea".split()
)

# Words that take a roman number without being a monarch: "Class II", "Part III", "Tome I".
_NUMBERED_THINGS = frozenset(
    "class part pt chapter book tome volume vol act scene section article appendix plate "
    "figure fig table phase grade form type level stage group category vatican schedule title "
    "unit lecture psalm canto series peak camp division div".split()
)

_HON = HONORIFICS - {"the", "elder", "younger", "my", "brother", "sister", "father", "master"}
# Honorifics that say "a person follows" strongly enough to accept a single name.
_FEMALE_HON = {"mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "lady": "Lady", "dame": "Dame",
               "madame": "Madame", "frau": "Frau", "mme": "Mme."}
_FEMALE_TITLES = frozenset(_FEMALE_HON.values())
_MALE_HON = frozenset("mr mister sir lord monsieur herr".split())
_PERSONAL_HON = frozenset("mr mrs ms miss mister dr sir dame madame monsieur herr frau".split())
_STRONG_HON = frozenset(
    "mr mrs ms miss mister dr sir lord lady dame king queen emperor empress pope tsar czar "
    "tsarina czarina kaiser sultan caliph shah pharaoh prince princess duke duchess count "
    "countess earl baron baroness marquis marquess viscount general admiral colonel captain "
    "president senator governor bishop archbishop cardinal monsieur herr frau madame "
    "professor prof consul dictator chancellor".split()
)
_KEEP_HON = frozenset(
    "mr mrs ms miss mister dr sir lord lady dame madame monsieur herr frau".split()
)

_LIFESPAN = re.compile(
    r"^(?:['’]s)?\s*\(\s*(?:(?:born|b\.|died|d\.|c\.|ca\.|circa|r\.|reigned|fl\.|about)\s*)?"
    r"(?:[A-Za-z]+\.?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?"
    r"\d{2,4}(?:/\d+)?\s*(?:BC|BCE|AD|CE|B\.C\.|A\.D\.)?\s*(?:[-–—‒]|to\b|;|,)"
)
_BORN_AS = re.compile(r"^\s*\((?:born|née|nee|b\.|died|d\.)\s")
_KIN = (
    r"(?:son|daughter|wife|husband|widow|widower|brother|sister|father|mother|nephew|niece|"
    r"grandson|granddaughter|grandfather|grandmother|uncle|aunt|cousin|heir|successor|"
    r"predecessor|pupil|student|disciple|mistress|lover|consort|stepson|stepdaughter)"
)
_CONTEXT_BEFORE = re.compile(
    rf"(?:\b{_KIN}[ ]+of[ ]+(?:the[ ]+)?|\b(?:my|our|his|her|their|whose)[ ]+{_KIN}"
    rf"(?:[ ]+and[ ]+[\w-]+)?"
    rf",?[ ]+|\b(?:emperor|empress|king|queen|pope|general|sultan|tsar|czar|prince|princess|"
    rf"consul|dictator|philosopher|poet|playwright|historian|named|saint|caliph|"
    rf"pharaoh|chancellor|president|admiral|bishop|archbishop),?[ ]+|\b(?:life|lives|death|"
    rf"reign|madness|murder|birth|tomb|court|wife|widow|rule|house)[ ]+of[ ]+|"
    rf"\b(?:written|painted|composed|edited|translated|illustrated|directed|invented|"
    rf"discovered|sung|narrated)[ ]+by[ ]+|"
    rf"\b(?:married|by|with|to|and)[ ]+(?:{_U}{_L}+[ ]+)?"
    rf"(?=(?:Mr|Mrs|Sir|Lady|Lord)\b))$"
)
_CONTEXT_AFTER = re.compile(
    rf"^(?:['’]s[ ]+(?:{_KIN}|death|birth|reign|life|own|murder|assassination|accession|"
    rf"coronation|marriage|wedding|funeral|biography|mistress)\b|,?[ ]+(?:the[ ]+)?{_KIN}[ ]+of\b|"
    rf"[ ]+(?:was|were)[ ]+born\b|(?:,|(?:[ ]+of[ ]+{_CAPW})?[ ]+(?:was|is))[ ]+(?:a|an|the)[ ]+"
    r"(?:[a-zA-Z-]+[ ]+){0,2}(?:native|man|woman|"
    r"philosopher|poet|writer|king|queen|emperor|general|painter|composer|scientist|"
    r"mathematician|astronomer|historian|singer|musician|trader|explorer|priest|monk|"
    r"prisoner|soldier|politician|leader|ruler|prince|princess|sultan|novelist|author|"
    r"inventor|actor|actress|architect|sculptor|physician|physicist|chemist|biologist|"
    r"economist|theologian|statesman|diplomat|missionary|merchant|lawyer|engineer|"
    r"journalist|scholar|saint|nun|knight|warrior|commander|playwright|teacher)\b|"
    r"[ ]+(?:died|said|replied|answered|wrote|married|reigned|"
    r"himself|herself|declared|ordered|commanded|exclaimed|remarked|recalled|sang|painted|"
    r"composed)\b)"
)
_SENT_START = re.compile(r"(?:^|[.!?:;\"“”‘(\[\n]|\s[-–—])\s*$")


def _trim(words: list[str], given: frozenset[str], common: frozenset[str]) -> tuple[list[str], str]:
    """Drop sentence-start common words and honorifics from the front of a run.

    Returns the remaining words and the last honorific dropped ("" if none)."""
    hon = ""
    # "Roman Emperor Augustus", "Holy Roman Emperor Otto": words before a title describe it.
    for i in range(len(words) - 1, 0, -1):
        if words[i].rstrip(".").lower() in _STRONG_HON and i < len(words) - 1:
            words = words[i:]
            break
    while words:
        w = words[0]
        low = w.rstrip(".").lower()
        if low in _HON or (low == "st" and len(words) > 1):
            hon = low
            words = words[1:]
            continue
        if low in common and low not in given and not (len(w) == 2 and w[1] == ".") and (
                hon not in _PERSONAL_HON):  # "Mr. Creed", "Mrs. Turner": a name follows
            words = words[1:]
            hon = ""
            continue
        break
    return words, hon


def _segments(words: list[str]) -> list[tuple[int, list[str]]]:
    """Split a run at function words: title-case headings ("How the Great General Belisarius
    Was Hoodwinked by His Wife") are runs of capitals that hold several names or none."""
    out: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    start = 0
    for i, w in enumerate(words):
        if w == "the" and cur and i + 1 < len(words) and words[i + 1] in _EPITHETS:
            cur.append(w)  # "Alexander the Great", "Louis the Pious"
            continue
        if w.lower() in _FUNCTION_WORDS:
            if cur:
                out.append((start, cur))
            cur, start = [], i + 1
        else:
            cur.append(w)
    if cur:
        out.append((start, cur))
    return out


_FUNCTION_WORDS = frozenset(
    """a an the in on at of for by with from to into and but or nor as when where after before
    during while since until if because so yet though although however thus then there here
    this that these those his her their its it he she they we you who whom whose which what
    why how all both each every no not was were is are be been has have had do does did shall
    should would might can could must also""".split()
)


def _is_initial(w: str) -> bool:
    return w.endswith(".") and (len(w) <= 5 or _INITIALS.fullmatch(w) is not None)


_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # R.C.H.


_ROMAN_WORD = re.compile(r"[IVXL]+")


def _is_roman(w: str) -> bool:
    return bool(_ROMAN_WORD.fullmatch(w))


class _Candidate:
    __slots__ = ("words", "surface", "count", "evidence", "the_before", "first_pos", "kept_hon",
                 "pending")

    def __init__(self, words: tuple[str, ...], first_pos: int = 0) -> None:
        self.words = words
        self.surface: dict[str, int] = {}  # spelling as written -> occurrences
        self.count = 0
        # Person evidence: True/False once known; None while occurrences wait in `pending`
        # (context is only looked at for candidates that nothing cheaper decides).
        self.evidence: bool | None = False
        self.pending: list[tuple[int, int, bool, bool]] = []
        self.the_before = 0  # "the X": peoples and things, rarely persons
        self.first_pos = first_pos
        self.kept_hon = ""


def _normalise_caps(words: list[str]) -> list[str]:
    return [canonical_form(w) if w.isupper() and len(w) > 1 and not _is_roman(w)
            and "." not in w else w for w in words]


def _lifespan(after: str, line_start: bool) -> bool:
    m = _LIFESPAN.match(after)
    if not m:
        return bool(_BORN_AS.match(after))
    if line_start and re.match(r"^[^\n]*?\)\s*(?:\n|$)", after):
        return False  # a heading such as "National Convention (1792-1795)"
    years = [int(y) for y in re.findall(r"\d{3,4}", after[:m.end() + 12])[:2]]
    if len(years) == 2 and not 15 <= abs(years[1] - years[0]) <= 110:
        return False  # a period, not a life
    return True


def _analyse_run(raw: str, given: frozenset[str], common: frozenset[str],
                 stop: frozenset[str]) -> tuple:
    """What a run's own words say (cached: the same runs recur across pages): for each
    segment that could be a name, (key words, surface form, honorific, is first segment,
    is last segment, is the whole run without honorific)."""
    if raw.endswith(("'s", "’s")):
        raw = raw[:-2]
    if raw.isalpha():  # one plain word, the most common run: the steps below, shortened
        low = raw.lower()
        if (low in common or (len(raw) > 1 and raw.isupper()) or low in _FUNCTION_WORDS
                or low in _HON or low in _PLACE_WORDS or low in stop or _is_roman(raw)
                or low in _THING_WORDS and (low not in _SURNAME_LIKE or low not in given)):
            return ()
        return (((raw,), raw, "", True, True, True),)
    all_words = raw.split()
    if '"' in raw or "“" in raw:  # a nickname: David "Fathead" Newman
        all_words = [w for w in all_words if w[0] not in '"“']
        raw = " ".join(all_words)
    if len(all_words) == 1 and (raw.lower() in common or (len(raw) > 1 and raw.isupper())):
        return ()  # a sentence start, or a lone word in capitals (an acronym or key term)
    segments = _segments(all_words)
    out = []
    for n, (seg_start, words) in enumerate(segments):
        trimmed, hon = _trim(words, given, common)
        if not trimmed:
            continue
        if trimmed[0].lower() in _PLACE_WORDS and not hon:
            continue
        last = trimmed[-1].lower()
        if last in _THING_WORDS and (last not in _SURNAME_LIKE or trimmed[0].lower() not in given):
            continue
        if any(w.isupper() and len(w) > 1 and "." not in w and not _is_roman(w)
               and ((len(w) <= 4 and w.lower() not in given) or len(trimmed) == 1)
               for w in trimmed):
            continue  # acronyms: "President LMS", "the USSR"
        norm = _normalise_caps(trimmed)
        if " ".join(norm).lower() in stop or norm[-1].lower() in stop:
            continue
        if all(_is_initial(w) or _is_roman(w) for w in norm):
            continue
        if hon in _KEEP_HON:
            surface = " ".join(words[len(words) - len(trimmed) - 1:])
        else:
            surface = " ".join(trimmed)
        out.append((tuple(norm), surface, hon, seg_start == 0, n == len(segments) - 1,
                    not hon and len(trimmed) == len(words) == len(all_words)))
    return tuple(out)


_INVERTED = re.compile(  # matched only where a run is followed by ", "
    rf"({_CAPW}(?:[ -]{_CAPW})?), "
    rf"((?:{_CAPW}|{_U}\.)(?:[ ]+(?:{_CAPW}|{_U}\.))*)(?=[ ]*(?:\(|\.|,|;|\n|$|and\b))"
)
# A reference-list line: "Halman, Talat (1988). Title", "Downey, Fairfax Davis. Title. New
# York: Publisher, 1946." (the forename need not be a known one).
_BIBLIO_AFTER = re.compile(
    r"[ ]*\((?:c\.[ ]?|ed\.|eds\.|\d{4})"
    r"|\.[ ]+[A-Z][^\n]{0,200}?(?:: [A-Z][^\n]*?\b1[5-9]\d\d|\b(?:1[5-9]|20)\d\d\b)")
# Between two names in a list: "Justinian and Theodora", "Hannibal Barca, Ashoka, Subutai",
# "(Mark Antony) and Lepidus", "Ike & Tina Turner".
_LIST_GOES_ON = re.compile(r"\)?(?:,|[ ]+and\b|[ ]+or\b|[ ]*&)")
_COORD = re.compile(r"\)?[ ]*(?:,|&|,? and|,? or)[ ]+")


def _runs(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """`pattern.finditer(text)` for matches that do not start inside a word."""
    search = pattern.search
    pos = 0
    while (m := search(text, pos)) is not None:
        start = m.start()
        if start:
            ch = text[start - 1]
            if ch.isalnum() or ch in "_'’-":
                pos = start + 1
                continue
        pos = m.end()
        yield m


def _full_text(title: str, text: str) -> str:
    # The title counts as text at position 0; a "Sachs, Ida" title is turned round first.
    head = canonical_form(title) if title and title.count(",") == 1 else title
    return f"{head}\n{text}" if head else text


def _scan(full: str, given: frozenset[str], common: frozenset[str],
          stop: frozenset[str], links: list) -> dict[tuple[str, ...], _Candidate]:
    cands: dict[tuple[str, ...], _Candidate] = {}
    # "Embree, Mark (2004)", "Author: Young, William Henry": reference lists invert names.
    inverted_end = -1
    prev_end, prev_key = -1, None
    runs = _run_cache(given, common, stop)
    search = _RUN.search
    pos = 0
    while (m := search(full, pos)) is not None:  # `_runs`, inlined: this loop is the hot one
        start = m.start()
        if start:
            ch = full[start - 1]
            if ch.isalnum() or ch in "_'’-":
                pos = start + 1
                continue
        pos = end = m.end()
        if start < inverted_end:
            continue
        raw = m.group(0)
        items = runs.get(raw)
        if items is None:
            if len(runs) > 500_000:
                runs.clear()
            items = runs[raw] = _analyse_run(raw, given, common, stop)
        if full.startswith(" of ", end):
            last = raw.rsplit(None, 1)[-1]
            if last in _NOBLE_WORDS:  # "the Duke of York", "Grand Duke of Tuscany"
                nm = _NOBLE_OF.match(full, end - len(last))
                if nm:
                    key = tuple(nm.group(0).split())
                    if key[-1].lower() not in stop:
                        c = cands.get(key)
                        if c is None:
                            c = cands[key] = _Candidate(key, nm.start())
                        c.count += 1
                        c.evidence = True
                        c.surface[nm.group(0)] = c.surface.get(nm.group(0), 0) + 1
            elif last is raw and raw.lower() in given and raw.lower() not in common:
                nm = _GIVEN_OF.match(full, start)
                place = nm.group(1).lower() if nm else ""
                if nm and place not in stop and place not in common and place not in given:
                    key = tuple(nm.group(0).split())
                    c = cands.get(key)
                    if c is None:
                        c = cands[key] = _Candidate(key, start)
                    c.count += 1
                    c.evidence = True
                    c.surface[nm.group(0)] = c.surface.get(nm.group(0), 0) + 1
                    pos = nm.end()  # "Austria" here is part of the name, not a run of its own
        inv = None
        if not items and not full.startswith(", ", end):
            continue
        if full.startswith(", ", end) and (
                start == 0 or full[start - 1] == "\n" or full[start - 2:start] in (": ", "; ")
                or full[start - 4:start] == "and "):
            inv = _INVERTED.match(full, start)
            if inv:
                forenames = inv.group(2).split()
                if not (forenames[0].lower() in given or _is_initial(forenames[0])
                        or len(forenames[0]) == 1 or (start == 0 or full[start - 1] == "\n")
                        and _BIBLIO_AFTER.match(full, inv.end(2))):
                    inv = None
        if inv:
            inverted_end = inv.end(2)
            key, surface = (*forenames, inv.group(1)), inv.group(0).strip()
            c = cands.get(key)
            if c is None:
                c = cands[key] = _Candidate(key, start)
            c.count += 1
            c.evidence = True
            c.surface[surface] = c.surface.get(surface, 0) + 1
            continue
        if not items:
            continue
        # "Gerry & The Pacemakers", "the Shondells": a band, not an item of a list of persons
        band = full.startswith(_BAND_AFTER, end) or full[start - 4:start] in ("the ", "The ")
        if prev_key is not None and not band and start - prev_end < 12 and _COORD.fullmatch(
                full, prev_end, start) and (
                not full.startswith(",", prev_end) or _LIST_GOES_ON.match(full, end)):
            # A bare comma joins list items only inside a list ("Genghis Khan, Subutai,
            # Napoleon"), not "In Cuba, Fidel Castro had ...".
            links.append((prev_key, items[0][0], full[prev_end:start].endswith(("and ", "& "))))
        prev_end, prev_key = end, items[-1][0]
        if band:
            prev_key = None
        # "St. Peter's Basilica", "Washington, D.C.": this occurrence names a thing or place.
        # (A capitalised word after the run would be in it, unless the run ends in "'s".)
        nxt = full[end:end + 2]
        thing = bool((nxt[:1] == " " and not nxt[1:].islower() or raw[-1] == "s")
                     and _THING_AFTER.match(full, end)
                     or nxt[:1] in ", " and _PLACE_AFTER.match(full, end))
        the_before = full[start - 4:start] in ("the ", "The ") if start >= 4 else False
        for key, surface, hon, first_segment, last_segment, whole in items:
            if hon in _FEMALE_HON and len(key) == 1:
                # "my Lady Sandwich", "Mrs. Turner": not the same person as "my Lord Sandwich"
                # or "Mr. Turner" (in a diary, usually his wife).
                key = (_FEMALE_HON[hon], key[0])
            c = cands.get(key)
            if c is None:
                c = cands[key] = _Candidate(key, start)
            if hon in _KEEP_HON and not c.kept_hon:
                c.kept_hon = hon
            if hon in _STRONG_HON:
                c.evidence = True
            elif c.evidence is not True:
                c.evidence = None
                c.pending.append((start, end, first_segment, last_segment))
            if whole and the_before:
                c.the_before += 1
            if not (last_segment and thing):
                c.count += 1
                c.surface[surface] = c.surface.get(surface, 0) + 1
    return cands


@lru_cache(maxsize=4)
def _run_cache(given: frozenset[str], common: frozenset[str],
               stop: frozenset[str]) -> dict[str, tuple]:
    """Run text -> `_analyse_run` result, for one set of word lists (the same runs recur
    across pages; a plain dict is cheaper than an lru_cache call per run)."""
    return {}


_BAND_AFTER = (" & The ", " & the ", " and the ", " and The ")

# Track listings credit songwriters in parentheses after a quoted song title, often by
# surname only: '"Nancy (With the Laughing Face)" (Silvers, Van Heusen) – 3:02'. A line of
# that shape (a duration after it, or a track number before it) lists persons.
_CREDIT = re.compile(
    r"^[ \t]*(?:(\d{1,2})\.[ \t]*)?[\"“][^\"”\n]{1,120}[\"”][ \t]*\(([^()\n]{2,200})\)"
    r"(?=[ \t]*[–—-][ \t]*\d{1,2}:\d\d|)", re.M)
_CREDIT_ITEM = re.compile(
    rf"(?:{_INITIAL}[ ]?|{_CAPW}[ ]+(?:{_PARTICLE}[ ]+)?)*{_CAPW}")
_CREDIT_SPLIT = re.compile(r"[ ]*(?:,|&|/|;|\band\b)[ ]*")
_NOT_CREDITS = frozenset(
    "traditional trad anonymous anon unknown instrumental live remix remastered demo version "
    "bonus mono stereo edit reprise medley public domain arranged".split()
)


def _credits(full: str, stop: frozenset[str], cands: dict) -> None:
    """Songwriter credits of a track listing: each credited name is a person (a surname alone
    stays a surname unless a full name on the page has it: "(Charles)" -> Ray Charles)."""
    for m in _CREDIT.finditer(full):
        after = full[m.end():m.end() + 12]
        if not m.group(1) and not re.match(r"[ \t]*[–—-][ \t]*\d{1,2}:\d\d", after):
            continue
        for item in _CREDIT_SPLIT.split(m.group(2).strip()):
            if not _CREDIT_ITEM.fullmatch(item):
                continue
            words = item.split()
            if (len(words) > 4 or item.lower() in stop or words[-1].lower() in stop
                    or any(w.lower() in _NOT_CREDITS for w in words)):
                continue
            key = tuple(words)
            c = cands.get(key)
            if c is None:
                c = cands[key] = _Candidate(key, m.start(2))
                c.count = 1
                c.surface[item] = 1
            c.evidence = True
            c.the_before = 0


def _has_evidence(c: _Candidate, full: str) -> bool:
    """Whether any occurrence of the candidate stands in a person context (looked at lazily,
    once per candidate, stopping at the first occurrence that says so)."""
    if c.evidence is not None:
        return c.evidence
    found = False
    for start, end, first_segment, last_segment in c.pending:
        if last_segment and _after_trigger(full, end):
            after = full[end:end + 60]
            if (_CONTEXT_AFTER.match(after) and not (  # "Euclid of Alexandria was a ..."
                    full.startswith(" of ", start - 4) and after[:5] in (" was ", " is a"))
                    ) or _lifespan(
                    after, not first_segment or start == 0 or full[start - 1] == "\n"):
                found = True
                break
        if first_segment and start and _before_trigger(full, start):
            if _CONTEXT_BEFORE.search(full, max(0, start - 40), start):
                found = True
                break
    c.pending = []
    c.evidence = found
    return found


_NEXT_WORD = re.compile(r"\s*(\(|[a-z]+)")


def _after_trigger(full: str, end: int) -> bool:
    """Cheap test: can `_CONTEXT_AFTER` or a lifespan match at `end` at all?"""
    c = full[end:end + 1]
    if c in ("'", "’", ",", "("):
        return True
    if not c.isspace():
        return False
    m = _NEXT_WORD.match(full, end)
    return m is not None and (m.group(1) == "(" or m.group(1) in _AFTER_WORDS)


def _before_trigger(full: str, start: int) -> bool:
    """Cheap test: can `_CONTEXT_BEFORE` match before `start` at all? (Its matches end in
    "of", "the", a kinship or title word, or "his son and heir".)"""
    if full[start - 1] != " ":
        return False
    words = full[max(0, start - 40):start].rsplit(None, 3)
    if len(words) < 2:
        return False
    return words[-1].rstrip(",").lower() in _BEFORE_WORDS or words[-2] == "and"


# First words after a name that `_CONTEXT_AFTER` can start with (after a space).
_AFTER_WORDS = frozenset(
    ["the", "was", "were", "is", "of", *re.findall(r"[a-z]+", _KIN)]
    + re.findall(r"[a-z]+", _CONTEXT_AFTER.pattern.split("(?:died|", 1)[1].split(")", 1)[0])
    + ["died"]
)
# Last words before a name that `_CONTEXT_BEFORE` can end with.
_BEFORE_WORDS = frozenset(
    ["of", "the", "by", *re.findall(r"[a-z]+", _KIN)]
    + re.findall(r"[a-z]+", _CONTEXT_BEFORE.pattern.split("(?:emperor|", 1)[1].split(")", 1)[0])
    + ["emperor"]
)


def _is_person(c: _Candidate, given: frozenset[str], registry_keys: dict[str, str],
               env: str | None, aliases: dict[str, str], full: str) -> bool:
    words = c.words
    if c.the_before * 2 > c.count and not _has_evidence(c, full):
        return False
    if c.evidence:  # known already: an honorific, an inverted name, a noble title
        return True
    if len(words) >= 2:
        first = words[0]
        if first.lower() in given or _is_initial(first):
            last = words[-1]
            if not _is_initial(last) and len(last) > 1:
                return True
        if (len(words) == 2 and _is_roman(words[1]) and words[1] not in ("IIII", "L")
                and first.lower() not in _NUMBERED_THINGS and not _is_place(words[:1])
                and (words[1] != "I" or first.lower() in given
                     or re.search(rf"\b{re.escape(first)} (?:II|III|IV|V|VI)\b", full))):
            # "Otto I", "Conrad II", "Leo III"; not "Class II", "Egypt I", "the Magians I
            # found" (a lone "I" is mostly the pronoun, unless the page numbers the name
            # further: "Casimir I ... Casimir III"), nor "Taylor L" (an initial).
            return True
    if len(words) == 1 and words[0].isalpha() and not words[0].isupper():
        # One plain word: its name key is its word key (cheaper, and shared across names).
        k = word_key(words[0])
        if (k in aliases and alias_preferred(words[0])) or (registry_keys and k in registry_keys):
            return True
        return _has_evidence(c, full)
    keys = _name_keys(" ".join(words), env)
    if registry_keys and any(k in registry_keys for k in keys):
        return True
    # The alias table doubles as a list of well-known persons ("Stalin", "Napoleon").
    if any(k in aliases for k in keys):
        return True
    return _has_evidence(c, full)


def _of_place(words: tuple[str, ...]) -> bool:
    """A name such as "Anne of Austria" (`_GIVEN_OF`): only "Anne" alone is a shorter form of
    it; "Paul III" is not "Paul of Tarsus"."""
    return len(words) == 3 and words[1] == "of" and words[0] not in _NOBLE_WORDS


def _surname(words: tuple[str, ...]) -> str:
    """The word a shorter mention of the name shares with it: the surname, or for "Anne of
    Austria" the name before "of" (a lone "Austria" is the country)."""
    if _of_place(words):
        return words[0]
    tail = [w for w in words if not _is_roman(w)]
    return tail[-1] if tail else words[-1]


def person_mentions(title: str, text: str,
                    registry: Iterable[str] | None = None) -> list[PersonMention]:
    """Persons the page mentions, most salient first, each with the spellings it uses."""
    given, common, stop = _lists()
    env = os.environ.get("CLIO_ALIASES")  # read once: name_keys is called per candidate
    aliases = alias_key_index()
    reg = _registry_index(frozenset(registry) if registry is not None else frozenset())
    registry_keys, registry_surnames, registry_given = reg
    if registry_given:
        given = _union(given, registry_given)
    links: list[tuple[tuple[str, ...], tuple[str, ...], bool]] = []
    full = _full_text(title, text)
    cands = _scan(full, given, common, stop, links)
    if '" (' in full or "” (" in full:
        _credits(full, stop, cands)
    persons = [c for c in cands.values() if not _is_place(c.words)
               and _is_person(c, given, registry_keys, env, aliases, full)]
    # A name listed together with a person is a person too ("Semiramis or the madness of
    # Sardanapalus or Nero"); two rounds follow short chains.
    found = {c.words for c in persons}
    for _ in range(2):
        for a, b, conj in links:
            for x, y in ((a, b), (b, a)):
                if x in found and y not in found and y in cands and not _is_place(y):
                    c = cands[y]
                    # A lone forename joins a list only as a pair with another single name
                    # ("Justinian and Theodora"), not "Ike & Tina Turner" or "Will and Tom".
                    if c.the_before * 2 <= c.count and not (len(y) == 1 and (
                            y[0].lower() in common or y[0].lower() in given and not (
                                conj and len(x) == 1 and x[0].lower() not in given))):
                        found.add(y)
                        persons.append(c)
    # "Ike & Tina Turner", "James & Bobby Purify": a forename before a full name shares its
    # surname.
    for a, b, _ in links:
        if (len(a) == 1 and a not in found and a[0].lower() in given and len(b) == 2
                and b in found and b[0].lower() in given and not _is_initial(b[1])):
            full_name = (a[0], b[1])
            if full_name not in cands:
                c = cands[full_name] = _Candidate(full_name, cands[a].first_pos)
                c.count, c.surface, c.evidence = cands[a].count, dict(cands[a].surface), True
                persons.append(c)
                found.add(full_name)
    title_person = registry_candidate(title, text)
    multi = [c for c in persons if len(c.words) >= 2 and c.words[0].lower() not in ("duke",)
             and c.words[0] not in _FEMALE_TITLES]
    # Group: a shorter name joins a longer one when its words are the longer's first and last
    # words, or its surname, or its forename (Caesar -> Julius Caesar, Dorothy Meyler ->
    # Dorothy Skeel Meyler).
    by_surname: dict[str, list[_Candidate]] = {}
    for c in multi:
        by_surname.setdefault(_surname(c.words).lower(), []).append(c)
    groups: dict[tuple[str, ...], list[_Candidate]] = {}
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def owner(c: _Candidate) -> _Candidate | None:
        words = c.words
        female = words[0] in _FEMALE_TITLES
        if female:
            words = words[1:]
        # A title of the other sex says another person: "Sir W. Batten" / "my Lady Batten".
        clash = _MALE_HON if female or c.kept_hon in _FEMALE_HON else (
            _FEMALE_HON if c.kept_hon in _MALE_HON else ())
        options = [o for o in by_surname.get(_surname(words).lower(), [])
                   if o is not c and (len(o.words) > len(words) or len(o.words) == len(words)
                                      and _is_initial(words[0]) and not _is_initial(o.words[0]))
                   and (len(words) == 1 or (o.words[0] == words[0] or _is_initial(words[0])
                        and o.words[0].startswith(words[0][0])) and not _of_place(o.words))
                   and o.kept_hon not in clash]
        if len(options) == 1 or (options and len({o.words[0] for o in options}) == 1):
            return max(options, key=lambda o: o.count)
        if title_person:
            own = [o for o in options if _same_person(o.words, title_person, env)]
            if own:
                return own[0]
        return None

    # Longest first, so chains (Meyler -> Dorothy Meyler -> Dorothy Skeel Meyler) resolve.
    for c in sorted(persons, key=lambda c: -len(c.words)):
        o = owner(c)
        parent[c.words] = parent.get(o.words, o.words) if o else c.words
    # Single words that are neither persons by evidence nor merged: try the page's full
    # names (surname alone, "Caesar"), then the registry's unambiguous surnames.
    for c in cands.values():
        if c.words in parent or len(c.words) != 1:
            continue
        if c.the_before * 2 > c.count:
            continue
        o = owner(c)
        if o is not None:
            parent[c.words] = parent.get(o.words, o.words)
            persons.append(c)
            continue
        w = c.words[0]
        if w.lower() in given:
            continue
        full_name = registry_surnames.get(w.lower())
        if full_name and _has_evidence(c, full):
            parent[c.words] = (full_name,)
            persons.append(c)
    for c in persons:
        groups.setdefault(parent.get(c.words, c.words), []).append(c)
    out: list[PersonMention] = []
    for root, members in groups.items():
        total = sum(m.count for m in members)
        variants: dict[str, int] = {}
        for m in members:
            for v, n in m.surface.items():
                if n > 0:
                    variants[v] = variants.get(v, 0) + n
        name = _choose_name(root, members, title_person, registry_keys, registry_surnames,
                            env)
        first = min(m.first_pos for m in members)
        out.append(PersonMention(name, sorted(variants, key=variants.__getitem__, reverse=True),
                                 total))
        out[-1]._first = first  # type: ignore[attr-defined]
    # Merge groups that the alias table or keys say are one person (Tamerlane / Timur).
    merged: dict[str, PersonMention] = {}
    for pm in sorted(out, key=lambda p: -p.count):
        keys = _name_keys(pm.name, env)
        key = min(keys) if keys else pm.name.lower()
        if pm.name.split(" ", 1)[0] in _FEMALE_TITLES:
            key = "f:" + key  # "Lady Sandwich" is not "Lord Sandwich"
        if key in merged:
            into = merged[key]
            into.count += pm.count
            into.variants += [v for v in pm.variants if v not in into.variants]
            into._first = min(into._first, pm._first)  # type: ignore[attr-defined]
        else:
            merged[key] = pm
    result = list(merged.values())
    # Salience: the page's own subject first, then by mentions, then by first appearance.
    result.sort(key=lambda p: (p.name != title_person, -p.count, p._first))  # type: ignore
    for p in result:
        del p._first  # type: ignore[attr-defined]
    _remember(text, result)
    return result


def _choose_name(root: tuple[str, ...], members: list[_Candidate], title_person: str | None,
                 registry_keys: dict[str, str], registry_surnames: dict[str, str],
                 env: str | None) -> str:
    if len(root) == 1 and root[0] and " " in root[0]:
        return root[0]  # resolved through the registry
    base = " ".join(root)
    if len(root) == 1 and root[0].lower() in registry_surnames:
        return registry_surnames[root[0].lower()]  # "Busbridge wrote" -> Ida Busbridge
    keys = _name_keys(base, env)
    if title_person and (keys & _name_keys(title_person, env)
                         or _same_person(root, title_person, env)):
        return _canonical_name(title_person, env)
    for k in keys:
        if k in registry_keys:
            return registry_keys[k]
    if root[0] in _FEMALE_TITLES:
        return canonical_form(base)  # not the alias table's "Lord Sandwich" for his lady
    head = next((m for m in members if m.words == root), None)
    if head is not None and len(root) == 1 and head.kept_hon:
        # "Mr. Moore": the surname alone would name too many people.
        hon = head.kept_hon
        hon = {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "dr": "Dr."}.get(hon, hon.title())
        return _canonical_name(f"{hon} {base}", env)
    if head is not None and len(root) >= 2 and _is_initial(root[0]) and head.kept_hon:
        hon = {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "dr": "Dr."}.get(
            head.kept_hon, head.kept_hon.title())
        return _canonical_name(f"{hon} {base}", env)
    return _canonical_name(base, env)


def _numeral(words: Sequence[str]) -> str:
    """A regnal or generational number: a roman numeral ending the name or before "of"
    ("Louis XIV of France"), not a middle initial ("Grace I Acheson")."""
    for i, w in enumerate(words):
        if _is_roman(w) and (i == len(words) - 1 or words[i + 1] == "of"):
            return w
    return ""


def _same_person(words: tuple[str, ...], other: str, env: str | None) -> bool:
    """Same forename and surname, middle names aside ("Mary Lucy Cartwright" / "Mary
    Cartwright")."""
    o = other.split()
    if len(words) < 2 or len(o) < 2:
        return False
    if _numeral(words) != _numeral(o):
        return False  # Louis XIII is not Louis XIV, nor Quincy Jones III Quincy Jones
    return bool(_name_keys(f"{words[0]} {_surname(words)}", env)
                & _name_keys(f"{o[0]} {_surname(tuple(o))}", env))


def extract_persons(title: str, text: str, registry: Iterable[str] | None = None) -> list[str]:
    """Canonical names of the real persons a page mentions, most salient first."""
    return [p.name for p in person_mentions(title, text, registry)]


@lru_cache(maxsize=4)
def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a | b


@lru_cache(maxsize=4)
def _registry_index(registry: frozenset[str]) -> tuple[dict[str, str], dict[str, str],
                                                        frozenset[str]]:
    keys: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    given: set[str] = set()
    for name in registry:
        canon = canonical_name(name)
        for k in name_keys(canon):
            keys.setdefault(k, canon)
        words = canon.split()
        if len(words) >= 2 and " of " not in canon:
            surnames.setdefault(words[-1].lower(), set()).add(canon)
            if words[0][0].isupper() and not words[0].endswith("."):
                given.add(words[0].lower())
    unique = {s: next(iter(n)) for s, n in surnames.items() if len(n) == 1 and len(s) > 3}
    return keys, unique, frozenset(given)


_DAVIS_TITLE = re.compile(
    rf"^({_CAPW}(?:[ -]{_CAPW})?), ((?:{_CAPW}|{_U}\.?)(?:[ ]+(?:{_CAPW}|{_U}\.?))*)$"
)
_LEAD_LIFESPAN = re.compile(
    r"\((?:[^()]{0,120}?)(?:born|b\.|died|\d{3,4}|\d+\s*(?:BC|BCE|AD))[^()]{0,120}\)"
)
_PRONOUNS = re.compile(r"\b(?:he|she|his|her|him|He|She|His|Her)\b")


def registry_candidate(title: str, text: str) -> str | None:
    """The canonical name of the person a page is about, or None for any other page.

    Davis archive pages are titled "Surname, Forenames"; Wikipedia biographies open with the
    name and a lifespan or birth note and go on with "he"/"she".
    """
    title = " ".join(title.split())
    if not title or len(title) > 80:
        return None
    m = _DAVIS_TITLE.match(title)
    if m:
        # The archive repeats the name in full under the title; an album called
        # "Ray Sings, Basie Swings" does not.
        head = text[:400]
        if m.group(1) in head and m.group(2).split()[0] in head.replace(title, ""):
            return canonical_name(title)
        return None
    words = title.split()
    if len(words) > 5 or not all(w[:1].isupper() or w in ("von", "van", "de", "da", "the", "of",
                                                          "bin", "ibn", "al", "der", "la", "le")
                                 for w in words):
        return None
    lead = text[:600]
    lm = _LEAD_LIFESPAN.search(lead[:300])
    if not lm:
        return None
    if _THING_AFTER.match(" " + words[-1]) or words[-1].lower() in _lists()[2]:
        return None
    sample = text[:3000]
    if len(_PRONOUNS.findall(sample)) < 3 or sample.count(" it ") * 2 > len(
        _PRONOUNS.findall(sample)
    ):
        return None
    # The lead must name the title (or, after a redirect, the page's bold name) before the
    # lifespan, and call the subject "a/an/the ... " person afterwards.
    if not re.search(r"\)\s*(?:was|is)\s+(?:an?|the|one)\b", lead[lm.start():lm.end() + 40]):
        return None
    return canonical_name(re.sub(r"\s*\(.*\)$", "", title))


def build_registry(pages: Iterable[tuple[str, str]]) -> set[str]:
    """Persons the corpus has pages about, from (title, text) pairs."""
    out = set()
    for title, text in pages:
        name = registry_candidate(title, text)
        if name:
            out.add(name)
    return out


# Key topics: seed-style pages write terms in capitals ("20TH PARTY CONGRESS").
# Starts at a capital (not inside a word: `_runs` checks that); an ordinal before it ("20TH
# PARTY CONGRESS") is picked up by `_ORDINAL_BEFORE`: an optional prefix in the pattern would
# stop the regex engine from skipping ahead to the next capital, five times slower.
_CAPS_RUN = re.compile(
    rf"{_U}{{2,}}(?:[-'’]{_U}+)*"
    rf"(?:[ ]+(?:OF|THE|AND|\d+(?:ST|ND|RD|TH)?|{_U}{{2,}}(?:[-'’]{_U}+)*))*(?![\w'’-])"
)
_ORDINAL_BEFORE = re.compile(r"(?<![\w'’-])\d+(?:ST|ND|RD|TH)[ ]+$")
_NOT_TOPICS = frozenset(
    "this link picture links notes note sources source index contents chapter book part see "
    "documents document reference references images image staff page home top back next "
    "previous click here ii iii iv vi vii viii ix xi xii i v x".split()
)


def key_terms(text: str, title: str = "") -> list[str]:
    """Terms the page writes in capitals as key topics, title-cased, persons left out."""
    phrases: dict[str, None] = {}
    for m in _runs(_CAPS_RUN, text):
        words = m.group(0).split()
        start = m.start()
        if start > 3 and text[start - 1] == " " and text[start - 2] in "HTDS":
            ordinal = _ORDINAL_BEFORE.search(text, max(0, start - 12), start)
            if ordinal:
                words.insert(0, ordinal.group(0).strip())
        while words and words[-1] in ("OF", "THE", "AND"):
            words.pop()
        if not words:
            continue
        real = [w for w in words if not w[0].isdigit()]
        if not real or all(w.lower() in _NOT_TOPICS for w in real):
            continue
        if len(words) == 1:
            w = words[0]
            # Acronyms (USSR, BA, FRS) are not emphasis: keep single words that read as words.
            if len(w) < 5 or sum(ch in "AEIOUY" for ch in w) < 2:
                continue
        phrases.setdefault(" ".join(_titlecase_topic(w) for w in words), None)
    if not phrases:
        return []  # most pages: no persons needed
    sample = text[:20000].encode("ascii", "ignore")
    upper = len(sample.translate(None, _NOT_UPPER))
    if upper > (upper + len(sample.translate(None, _NOT_LOWER))) * 0.5:
        return []  # a page set wholly in capitals has no emphasis to read
    env = os.environ.get("CLIO_ALIASES")
    person_keys: set[str] = set()
    for name in _persons_of(title, text):
        person_keys |= _name_keys(name, env)
    return [p for p in phrases if not _name_keys(p, env) & person_keys]


# Bytes to delete to count ASCII capitals and small letters (fast, in C).
_NOT_UPPER = bytes(b for b in range(256) if not 65 <= b <= 90)
_NOT_LOWER = bytes(b for b in range(256) if not 97 <= b <= 122)
# The last page's persons (names and variants): the pipeline asks for a page's persons and
# then for its key terms, which must leave those persons out; this saves a second scan.
_last_persons: tuple[str, list[str]] = ("", [])


def _remember(text: str, mentions: list[PersonMention]) -> None:
    global _last_persons
    _last_persons = (text, [s for p in mentions for s in (p.name, *p.variants)])


def _persons_of(title: str, text: str) -> list[str]:
    last_text, names = _last_persons
    if last_text is text or last_text == text:
        return names
    return [s for p in person_mentions(title, text) for s in (p.name, *p.variants)]


def _titlecase_topic(word: str) -> str:
    if word[0].isdigit():
        return word.lower()
    if word in ("OF", "THE", "AND"):
        return word.lower()
    return canonical_form(word)
