"""Person names: canonical forms and spelling-independent matching keys.

A name's *key* is a deliberately lossy spelling of each of its words, so that the ways
people actually write one name meet: diacritics (Dürer, Durer, Duerer), transliteration
schemes (Khrushchev, Khrushchov, Chruschtschow, Хрущёв), swapped or dropped vowels in the
middle of a word (Ceasar, Iosif). What is kept is what separates different people: every
consonant (after folding the letters transliterations swap: c/k/q, z/s, w/v, ph/f, a
dropped "h"), the first vowel of each word, and where the vowels are. So "Caesar" and
"Cesare" stay apart (first vowel a/e, and Cesare ends in a vowel).

Spellings that no rule can relate (Timur/Tamerlane, Qin Shi Huang/Qín Shǐ Huáng Dì,
Confucius/Kong Fuzi) come from the alias table, `indexer/data/aliases.toml`, which site
maintainers extend; a further file named by the environment variable CLIO_ALIASES is read
too. The letter rules are data as well (`indexer/data/name_rules.toml`).
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Words that say who someone is, not which one: dropped from keys, so "Emperor Justinian",
# "Justinian" and "Mr. Pepys"/"Pepys" meet. Titles that *are* the name ("Lord Sandwich")
# keep their place in the canonical form; only the key ignores them.
HONORIFICS = frozenset(
    """mr mrs ms miss mister master madam madame dame sir dr doctor prof professor rev reverend
    lord lady my king queen emperor empress pope saint st tsar czar tzar tsarina czarina kaiser
    sultan caliph shah pharaoh prince princess duke duchess count countess earl baron baroness
    marquis marquess viscount general gen admiral colonel col captain capt major lieutenant
    president senator governor bishop archbishop cardinal father brother sister elder younger
    monsieur mme mlle herr frau signor don dona consul dictator chancellor the lieut lt sgt maj
    hon messrs""".split()
)


def _fold_ascii(text: str) -> str:
    """Lower-case Latin letters: accents dropped, other scripts transliterated by the table."""
    if text.isascii():
        return text.lower()
    letters = _rules()["letters"]
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )
    return "".join(letters.get(c, c) for c in bare)


@lru_cache(maxsize=1)
def _rules() -> dict:
    with open(DATA / "name_rules.toml", "rb") as f:
        data = tomllib.load(f)
    rewrites = []
    for p, r in data["rewrites"]:
        # Plain letter sequences are replaced with str.replace, several times faster.
        literal = re.fullmatch(r"[a-z]+", p) is not None and "\\" not in r
        rewrites.append((p if literal else re.compile(p), r))
    return {"letters": dict(data["letters"]), "rewrites": rewrites}


_VOWELS = "aeiouy"
_VOWEL_RUN = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1+")
_NON_LETTER = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The lossy spelling of one name word (see the module note)."""
    w = _fold_ascii(word)
    w = _NON_LETTER.sub("", w)
    if not w:
        return ""
    for pattern, rep in _rules()["rewrites"]:
        if type(pattern) is str:
            if pattern in w:
                w = w.replace(pattern, rep)
        else:
            w = pattern.sub(rep, w)
    w = _DOUBLE.sub(r"\1", w)
    m = _VOWEL_RUN.search(w)
    if m is None:
        return w
    # German ae/oe/ue and swapped pairs (Caesar/Ceasar): the first run's other letter wins;
    # every later vowel run is just "a vowel here".
    core = m.group(0).replace("y", "")
    if len(core) > 1:
        core = core.replace("e", "") or "e"
    return w[:m.start()] + (core or "i") + _VOWEL_RUN.sub("a", w[m.end():])


_ROMAN = re.compile(r"^(?=[mdclxvi])m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$")


def _words(name: str) -> list[str]:
    # Initials split at their dots, so "J.F. Kennedy" and "J. F. Kennedy" meet.
    return [w for w in re.split(r"[\s,.]+", name.replace("’", "'")) if w]


def _strip_honorifics(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) - 1:
        bare = words[i].rstrip(".").lower()
        if bare in HONORIFICS or bare in ("of",):
            i += 1
            continue
        break
    return words[i:]


@lru_cache(maxsize=65536)
def _plain_key(name: str) -> str:
    return _key_of_words(_strip_honorifics(_words(canonical_form(name))))


def _key_of_words(words: list[str]) -> str:
    keys: list[str] = []
    for w in words:
        low = w.lower().rstrip(".")
        if _ROMAN.match(low) and len(keys) > 0:
            keys.append(low)  # regnal numbers separate Louis XIV from Louis XVI
            continue
        k = word_key(w)
        if k:
            keys.append(k)
    return " ".join(keys)


def name_keys(name: str) -> set[str]:
    """Matching keys for a person name; two spellings of one person share at least one key.

    Used both when indexing (for each canonical name and each variant a page uses) and for
    query words, so it must be the same function on both sides.
    """
    return set(_name_keys(name, os.environ.get("CLIO_ALIASES")))


def query_name_keys(name: str) -> set[str]:
    """`name_keys` for a name a reader typed: a single word also gets the alias table's
    person its key leads to, unlisted spelling or not ("Chruschtschow" finds the pages of
    Nikita Khrushchev). Pages' names do not: there the loose key made Lennon Lenin."""
    return set(_query_name_keys(name, os.environ.get("CLIO_ALIASES")))


@lru_cache(maxsize=65536)
def _query_name_keys(name: str, aliases_env: str | None) -> frozenset[str]:
    keys = set(_name_keys(name, aliases_env))
    words = _strip_honorifics(_words(canonical_form(name)))
    preferred = _alias_index().get(_key_of_words(words)) if len(words) == 1 else None
    if preferred:
        keys.add(_plain_key(preferred))
    return frozenset(keys)


@lru_cache(maxsize=131072)
def _name_keys(name: str, aliases_env: str | None) -> frozenset[str]:
    # aliases_env is part of the cache key: another alias file means other keys.
    keys = set()
    plain = _plain_key(name)
    if plain:
        keys.add(plain)
    preferred = alias_preferred(name) if plain else None
    if preferred:
        keys.add(_plain_key(preferred))
    return frozenset(keys)


@lru_cache(maxsize=65536)
def canonical_form(name: str) -> str:
    """Tidy spacing and case, and turn "Sachs, Ida" round; no alias lookup."""
    name = unicodedata.normalize("NFC", name).replace("’", "'")
    name = " ".join(name.split()).strip(" ,;:")
    if name.count(",") == 1:
        surname, forenames = (p.strip() for p in name.split(","))
        # "Sachs, Ida" but not "Edward Montagu, Earl of Sandwich" or "Louis, the Dauphin"
        if surname and forenames and " " not in surname and not forenames[:1].islower():
            name = f"{forenames} {surname}"
    # "Louis XIV of France": the regnal number already says which Louis.
    name = _REGNAL_OF.sub(r"\1", name)
    if name.isupper() or name.islower():
        name = " ".join(_titlecase_word(w) for w in name.split())
    return name


_REGNAL_OF = re.compile(r"^(.+ [IVXL]+) of [A-Z][\w ]+$")

_LOWER_PARTICLES = frozenset(
    "von van der den de du da di del della des la le of the al el ibn bin bint ben y zu".split()
)


def _titlecase_word(word: str) -> str:
    low = word.lower()
    if low in _LOWER_PARTICLES:
        return low
    if _ROMAN.match(low) and len(low) > 1:
        return word.upper()
    # O'Brien, Jean-Paul, al-Khwarizmi, J.F. keep the capital after the joiner
    return re.sub(r"(^|['\-.])([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), low)


def canonical_name(name: str) -> str:
    """The form a person is indexed and shown under: the alias table's preferred name if the
    table knows the person, else the tidied name ("Sachs, Ida" -> "Ida Sachs")."""
    return _canonical_name(name, os.environ.get("CLIO_ALIASES"))


@lru_cache(maxsize=65536)
def _canonical_name(name: str, aliases_env: str | None) -> str:
    form = canonical_form(name)
    return alias_preferred(form) or form


def load_aliases() -> dict[str, list[str]]:
    """Preferred name -> other spellings, from indexer/data/aliases.toml and $CLIO_ALIASES."""
    table: dict[str, list[str]] = {}
    paths = [DATA / "aliases.toml"]
    extra = os.environ.get("CLIO_ALIASES")
    if extra:
        paths.append(Path(extra))
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            continue
        for preferred, variants in data.get("aliases", {}).items():
            table.setdefault(preferred, [])
            for v in variants:
                if v not in table[preferred]:
                    table[preferred].append(v)
    return table


def alias_key_index() -> dict[str, str]:
    """Matching key of every spelling in the alias table -> the preferred name."""
    return _alias_index()


def alias_preferred(name: str) -> str | None:
    """The alias table's preferred name for `name`, found by its matching key; for a name of
    one word only when the table lists that spelling or one a slip away (one letter more,
    less or other, in a word of six letters or more: Gibbon's "Timour"). One word's key is
    loose enough to make the town of Plataea Plato, Lennon Lenin and Thule Cicero (Tully)."""
    words = _strip_honorifics(_words(canonical_form(name)))
    preferred = _alias_index().get(_key_of_words(words))
    if preferred and len(words) == 1:
        word = _fold_ascii(words[0])
        listed = _alias_words().get(preferred, frozenset())
        if word not in listed and not (len(word) >= 6 and any(_one_edit(word, w)
                                                              for w in listed)):
            return None
    return preferred


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one letter added, dropped or changed."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i + 1:] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1:]


_alias_cache: tuple[str | None, dict[str, str], dict[str, frozenset[str]]] | None = None


def _alias_index() -> dict[str, str]:
    """Key of every spelling in the alias table -> preferred name (rebuilt if CLIO_ALIASES
    changes, so tests and maintainers see their edits without restarting)."""
    return _alias_tables()[0]


def _alias_words() -> dict[str, frozenset[str]]:
    """Preferred name -> its spellings of one word in the alias table, folded."""
    return _alias_tables()[1]


def _alias_tables() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    global _alias_cache
    env = os.environ.get("CLIO_ALIASES")
    if _alias_cache is not None and _alias_cache[0] == env:
        return _alias_cache[1], _alias_cache[2]
    index: dict[str, str] = {}
    words: dict[str, frozenset[str]] = {}
    # (Set first: _plain_key below must not recurse into lookups.)
    _alias_cache = (env, index, words)
    for preferred, variants in load_aliases().items():
        single = set()
        for spelling in [preferred, *variants]:
            spelt = _strip_honorifics(_words(canonical_form(spelling)))
            key = _key_of_words(spelt)
            if key:
                index.setdefault(key, preferred)
            if len(spelt) == 1:
                single.add(_fold_ascii(spelt[0]))
        words[preferred] = frozenset(single)
    return index, words
