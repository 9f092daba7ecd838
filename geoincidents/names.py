"""How names are folded for look-up.

The same two functions build the gazetteer's keys and read the text, so a name
matches however it is cased, accented or hyphenated: 'Nagorno-Karabakh',
'nagorno karabakh' and 'NAGORNO–KARABAKH' share the key 'nagorno karabakh';
'Gədəbəy' and 'Gadabay' share 'gadabay'.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

# Letters that Unicode decomposition leaves alone but readers treat as plain ones.
_LETTERS = str.maketrans(
    {
        "ə": "a", "Ə": "a", "ǝ": "a", "Ǝ": "a", "ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
        "ð": "d", "þ": "th", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ħ": "h", "ŧ": "t",
        "ى": "ي", "ة": "ه", "ـ": "", "ё": "е", "Ё": "е",
    }
)

# Romanised Arabic article: 'Al-Qamishli' is written 'Qamishli' too.
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})

# A word: letters, marks and digits. Apostrophes, hyphens and dots separate words.
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


@lru_cache(maxsize=500_000)
def fold_word(word: str) -> str:
    """Case- and accent-insensitive form of one word."""
    if word.isascii():
        return word.lower()  # what the steps below make of it, found at once
    word = word.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.casefold().translate(_LETTERS))


def fold(name: str) -> str:
    """The look-up key of a whole name: folded words joined by single spaces."""
    return " ".join(fold_word(m.group()) for m in WORD.finditer(name))


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of ``text``, offsets into ``text``."""
    return list(sentence_words(text)) if len(text) > 40 else _words(text)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), fold_word(m.group())) for m in WORD.finditer(text)]


@lru_cache(maxsize=4096)
def sentence_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """words(text) as a tuple, remembered: every stage reads the same sentences' words."""
    return tuple(_words(text))
