"""geoincidents._zipf answers as wordfreq does, from its own tables."""
from __future__ import annotations

import re
import unicodedata

import pytest
import wordfreq

from geoincidents import _zipf

WORDS = [
    "Alexandria", "Media", "Post", "Selasa", "West", "Man", "Madison County", "St. Louis", "ST. PAUL",
    "Miami-Dade", "U.S", "D.C", "W. Va", "St.Henry", "O'Connor", "O’Connor", "D'Arcy", "L'Aquila",
    "São Paulo", "Straße", "Košice", "Réunion", "Côte d'Ivoire", "İstanbul", "Highway 11", "October 6",
    "Nagorno-Karabakh", "Qxzqv", "the", "THE", "Харьков", "Gədəbəy", "Kelleyland", "Rapides Parish",
]


@pytest.fixture
def fresh_tables(tmp_path, monkeypatch):
    """Tables built anew in an empty cache folder."""
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path))
    monkeypatch.setattr(_zipf, "_tables", {})
    monkeypatch.setattr(_zipf, "_answers", {})
    return tmp_path


def _wordfreq(word, lang):
    try:
        return wordfreq.zipf_frequency(word, lang)
    except LookupError:
        return "LookupError"


def _ours(word, lang):
    try:
        return _zipf.zipf_frequency(word, lang)
    except LookupError:
        return "LookupError"


@pytest.mark.parametrize("lang", ["id", "ms", "tr", "xx"])
def test_built_tables_give_wordfreqs_figures(fresh_tables, lang):
    got = {w: _ours(w, lang) for w in WORDS}
    assert got == {w: _wordfreq(w, lang) for w in WORDS}
    table = _zipf._tables[lang]
    # Indonesian and Malay are answered from the table; Turkish ('I' is 'ı') is asked of wordfreq;
    # a language without a list raises as wordfreq does
    assert (table.fast, table.missing) == {"id": (True, False), "ms": (True, False), "tr": (False, False),
                                           "xx": (False, True)}[lang]
    assert list(fresh_tables.glob(f"wordfreq-*/{lang}.sqlite"))


def test_english_from_the_table_without_wordfreq(fresh_tables):
    assert {w: _ours(w, "en") for w in WORDS} == {w: _wordfreq(w, "en") for w in WORDS}
    assert _zipf._tables["en"].fast
    assert _zipf._tables["en"]._con.execute("PRAGMA mmap_size").fetchone()[0] > 0  # (read in place)
    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        raise AssertionError("wordfreq asked")

    _zipf._answers.clear()
    original = wordfreq.zipf_frequency
    wordfreq.zipf_frequency = spy
    try:
        for w in ["Madison County", "St. Louis", "Miami-Dade", "U.S", "O’Connor", "São Paulo"]:
            _zipf.zipf_frequency(w, "en")
    finally:
        wordfreq.zipf_frequency = original
    assert not calls


def test_the_letters_are_left_alone_by_normalisation():
    letters = [c for c in map(chr, range(0x300)) if re.fullmatch(f"[{_zipf.LETTERS}]", c)]
    assert len(letters) > 200
    for c in letters:
        assert c.isalpha()
        assert unicodedata.normalize("NFC", c) == unicodedata.normalize("NFKC", c) == c
        assert len(c.casefold()) == 1 or c == "ß"


def test_a_damaged_table_is_made_again(fresh_tables):
    assert _zipf.zipf_frequency("Selasa", "id") == wordfreq.zipf_frequency("Selasa", "id")
    (path,) = fresh_tables.glob("wordfreq-*/id.sqlite")
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)  # cut short
    _zipf._tables.clear()
    _zipf._answers.clear()
    assert _zipf.zipf_frequency("Selasa", "id") == wordfreq.zipf_frequency("Selasa", "id")
    assert _zipf._tables["id"].fast


def test_the_first_word_asked_makes_the_languages_table(fresh_tables, monkeypatch):
    words = ["Bandung", "Semarang", "pasar", "desa", "Kota Baru", "Qxzqv"]
    assert _zipf.zipf_frequency(words[0], "id") == _wordfreq(words[0], "id")
    assert list(fresh_tables.glob("wordfreq-*/id.sqlite")) and _zipf._tables["id"].fast
    # a later run (nothing in memory) reads the table: wordfreq is not asked
    monkeypatch.setattr(_zipf, "_tables", {})
    monkeypatch.setattr(_zipf, "_answers", {})
    expected = [_wordfreq(w, "id") for w in words]

    def asked(*args, **kwargs):
        raise AssertionError(f"wordfreq asked {args}")

    monkeypatch.setattr(wordfreq, "zipf_frequency", asked)
    assert [_zipf.zipf_frequency(w, "id") for w in words] == expected
