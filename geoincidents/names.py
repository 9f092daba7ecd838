"""How names are folded for look-up.

The same two functions build the gazetteer's keys and read the text, so a name
matches however it is cased, accented or hyphenated: 'Nagorno-Karabakh',
'nagorno karabakh' and 'NAGORNO–KARABAKH' share the key 'nagorno karabakh';
'Gədəbəy' and 'Gadabay' share 'gadabay'.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

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
# The same, kept by split(): a text splits into gap, word, gap, word, ..., gap.
_WORD_SPLIT = regex.compile(r"([\p{L}\p{M}\p{N}]+)")
# The same two for ASCII text (where a letter, mark or digit is one of these), with the standard
# library's engine: twice as fast as ``regex`` over the same text, to the same words.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z0-9]+)")


class _Folds(dict):
    """word -> fold_word(word), filled as words are met (texts repeat their words): a text's
    words are folded with one dictionary look-up each, without a call for each."""

    LIMIT = 500_000

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        folded = self[word] = _fold_word(word)
        return folded


_FOLDS = _Folds()


def fold_word(word: str) -> str:
    """Case- and accent-insensitive form of one word."""
    return _FOLDS[word]


def _fold_word(word: str) -> str:
    if word.isascii():
        return word.lower()  # what the steps below make of it, found at once
    word = word.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.casefold().translate(_LETTERS))


def fold(name: str) -> str:
    """The look-up key of a whole name: folded words joined by single spaces."""
    return " ".join(map(_FOLDS.__getitem__, (_ASCII_WORD if name.isascii() else WORD).findall(name)))


class Tokens(NamedTuple):
    """The words of a text and what lies between them, as parallel lists."""

    surfaces: list[str]  # the words as written
    keys: list[str]  # folded (fold_word)
    starts: list[int]  # offsets into the text
    ends: list[int]
    gaps: list[str]  # the text before each word, and after the last one: len(surfaces) + 1 items


def _tokens(text: str) -> Tokens:
    """The words of ``text`` (WORD), found with one split of the whole text."""
    parts = (_ASCII_WORD_SPLIT if text.isascii() else _WORD_SPLIT).split(text)  # gap, word, gap, ..., word, gap
    offsets = list(accumulate(map(len, parts), initial=0))  # where each part starts
    surfaces = parts[1::2]
    return Tokens(surfaces, list(map(_FOLDS.__getitem__, surfaces)), offsets[1:-1:2], offsets[2::2], parts[::2])


@lru_cache(maxsize=4096)
def tokens(text: str) -> Tokens:
    """_tokens(text), remembered: every stage reads the same sentences' words."""
    return _tokens(text)


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of ``text``, offsets into ``text``."""
    return list(sentence_words(text)) if len(text) > 40 else _words(text)


def _words(text: str) -> list[tuple[int, int, str]]:
    folds = _FOLDS
    return [(m.start(), m.end(), folds[m.group()]) for m in (_ASCII_WORD if text.isascii() else WORD).finditer(text)]


@lru_cache(maxsize=4096)
def sentence_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """words(text) as a tuple, remembered: every stage reads the same sentences' words."""
    t = tokens(text)
    return tuple(zip(t.starts, t.ends, t.keys))
