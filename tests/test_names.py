"""Name keys: every spelling of one person meets, different persons stay apart."""

from __future__ import annotations

import itertools

import pytest

from indexer.names import canonical_name, load_aliases, name_keys, query_name_keys


def _plain(name: str) -> str:
    """The key of the spelling itself ("Plataea" and "Plato" share it: keys are lossy)."""
    return min(name_keys(name), key=len)


def meet(a: str, b: str) -> bool:
    """A reader who types either spelling finds pages that write the other."""
    return bool(query_name_keys(a) & name_keys(b) or name_keys(a) & query_name_keys(b))


SAME = [
    ["Dürer", "Durer", "Duerer"],
    ["Albrecht Dürer", "Albrecht Duerer", "ALBRECHT DURER"],
    ["Schrödinger", "Schrodinger", "Schroedinger"],
    ["Cortés", "Cortes"],
    ["Mendeleev", "Mendeleyev", "Менделеев"],
    ["Khrushchev", "Khrushchov", "Chruschtschow", "Хрущёв", "Хрущев"],
    ["Joseph Stalin", "Jozef Stalin", "Iosif Stalin", "Józef Stalin", "Josef Stalin"],
    ["Caesar", "Ceasar", "Julius Caesar", "Cæsar"],
    ["Timur", "Tamerlane", "Tamburlaine"],
    ["Qin Shi Huang", "Qín Shǐ Huáng Dì"],
    ["Gorbachev", "Gorbatschow"],
    ["Tchaikovsky", "Tschaikowski", "Chaikovsky"],
    ["J.F. Kennedy", "J. F. Kennedy", "John F. Kennedy"],
    ["Sachs, Ida", "Ida Sachs", "ida  sachs"],
    ["Emperor Justinian", "Justinian"],
    ["Pope Gregory", "Gregory"],
    ["Herodotus", "Herodotos"],
    ["Mohammed", "Muhammad", "Mahomet"],
]


@pytest.mark.parametrize("group", SAME, ids=lambda g: g[0])
def test_spellings_of_one_person_meet(group):
    for a, b in itertools.combinations(group, 2):
        assert meet(a, b), (a, b, name_keys(a), name_keys(b))


DIFFERENT = [
    ("Caesar", "Cesare Borgia"),
    ("Caesar", "Cesare"),
    ("Caesar", "Kaiser"),
    ("Louis XIV", "Louis XVI"),
    ("John Adams", "John Quincy Adams"),
    ("Mary Johnson", "Mary Jensen"),
    ("Joseph Stalin", "Joseph Smith"),
    ("Khrushchev", "Gorbachev"),
    ("Timur", "Tiberius"),
    ("Adam Smith", "John Smith"),
]


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_persons_do_not_meet(a, b):
    assert not meet(a, b), (name_keys(a), name_keys(b))


@pytest.mark.parametrize("word,person", [
    ("Lennon", "Vladimir Lenin"), ("Plataea", "Plato"), ("Thule", "Cicero"),
    ("Kobe", "Joseph Stalin"), ("Issus", "Jesus"), ("Khazar", "Julius Caesar"),
])
def test_a_word_on_a_page_is_not_a_listed_person_by_sound_alone(word, person):
    """One word's key is loose: on a page, only a spelling the alias table lists makes it the
    table's person ("Tully" is Cicero, "Thule" is not); a reader's query may still be read
    loosely ("Chruschtschow")."""
    assert canonical_name(word) == word and canonical_name(person) == person
    assert not name_keys(word) & name_keys(person) - {_plain(word)}
    assert canonical_name("Tully") == "Cicero" and canonical_name("Koba") == "Joseph Stalin"
    assert query_name_keys("Chruschtschow") & name_keys("Nikita Khrushchev")


def test_keys_do_not_collapse():
    names = ["Julius Caesar", "Augustus", "Tiberius", "Caligula", "Claudius", "Nero", "Galba",
             "Otho", "Vitellius", "Vespasian", "Titus", "Domitian", "Nerva", "Trajan", "Hadrian"]
    keys = [frozenset(name_keys(n)) for n in names]
    assert len(set(keys)) == len(names)


def test_canonical_name():
    assert canonical_name("Sachs, Ida") == "Ida Sachs"
    assert canonical_name("  NIKITA   KHRUSHCHEV ") == "Nikita Khrushchev"
    assert canonical_name("tamerlane") == "Timur"
    assert canonical_name("Louis XIV of France") == "Louis XIV"
    assert canonical_name("Joan of Arc") == "Joan of Arc"
    assert canonical_name("LUDWIG VAN BEETHOVEN") == "Ludwig van Beethoven"


def test_alias_table_is_data_and_extendable(tmp_path, monkeypatch):
    assert "Tamerlane" in load_aliases()["Timur"]
    assert not meet("Boney", "Napoleon")
    extra = tmp_path / "extra.toml"
    extra.write_text('[aliases]\n"Napoleon" = ["Boney", "the Little Corporal"]\n',
                     encoding="utf-8")
    monkeypatch.setenv("CLIO_ALIASES", str(extra))
    assert "Boney" in load_aliases()["Napoleon"]
    assert meet("Boney", "Napoleon Bonaparte")
    assert canonical_name("Boney") == "Napoleon"
