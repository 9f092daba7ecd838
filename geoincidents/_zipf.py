"""wordfreq's Zipf frequencies, found without loading wordfreq at every start.

Importing wordfreq (langcodes, ftfy, its tokeniser's large regular expression) and unpacking
a language's word list cost about 0.3 s per process, for the few thousand words a run asks
about. The first time a language is asked for (per wordfreq installation), the words of its
list that are made of Latin letters are written, with their frequency band, to a small SQLite
file in the cache folder (1-2 s, once); later runs look each word up there.

The answer is wordfreq's own. In a language that wordfreq tokenises with its regular expression
and lowercases plainly (not Turkish or Azerbaijani, whose 'I' is 'ı'; not Romanian or Serbian,
whose letters it rewrites), a name of Latin letters ('Alexandria', 'São Paulo', "O'Connor",
'U.S') whose words are separated by ' ', '. ' or '-' ('Madison County', 'St. Louis',
'Miami-Dade') is to wordfreq exactly its case-folded words; their frequencies are combined as
wordfreq combines them, with the same floating-point steps. Each table is checked against
wordfreq itself when it is built (a word of every band, words with '.' or an apostrophe inside,
accented ones; as listed, capitalised, in capitals, in pairs; unknown ones): a language that
fails the check, and every other word (digits, a French article as in "l'Aquila", other
scripts), is asked of wordfreq.
"""
from __future__ import annotations

import math
import os
import re
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from ._files import replacing

# What the tables answer: words of Latin letters (ASCII, Latin-1, Latin Extended-A: letters that
# Unicode normalisation leaves alone), with '.' or an apostrophe inside ('u.s', "o'connor": one
# token to wordfreq), separated by ' ', '. ' or '-' ('St. Louis', 'Miami-Dade', 'São Paulo').
LETTERS = "A-Za-zÀ-ÖØ-öø-įıĴ-ľŁ-ňŊ-ž"  # (not İ, Ĳĳ, Ŀŀ, ŉ, ſ: normalisation or case folding changes them)
_TOKEN = rf"[{LETTERS}]+(?:[.'’][{LETTERS}]+)*"
_SIMPLE = re.compile(rf"{_TOKEN}(?:(?: |\. |-){_TOKEN})*")  # (fullmatch)
_TOKENS = re.compile(_TOKEN)
# wordfreq splits a French article off ("l'Aquila": 'l', 'aquila'); such words are asked of it
_ARTICLE = re.compile(rf"[{LETTERS}]{{1,2}}'[AEHIOUYÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÅÏÖŒaehiouyáéíóúàèìòùâêîôûåïöœ]")
_WORD = re.compile(rf"[{LETTERS}]+(?:[.'][{LETTERS}]+)*")  # the words a table holds (fullmatch)
_FORMAT = 3  # of the table files; a new one makes new files


class _Table:
    """One language's table: ``fast`` when it answers simple words, ``missing`` when wordfreq
    has no list for the language (wordfreq raises LookupError)."""

    def __init__(self, path: Path | None, fast: bool, missing: bool = False):
        self.fast, self.missing = fast, missing
        self._con = None
        self._lock = threading.Lock()  # (one connection, asked from any thread)
        if path is not None and fast:
            self._con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True,
                                        check_same_thread=False)
            self._con.execute("PRAGMA mmap_size = 67108864")  # (a table is a few MB: read in place)

    def band(self, word: str) -> int | None:
        """The word's frequency band (wordfreq's index: -centibels), None when not listed."""
        with self._lock:
            row = self._con.execute("SELECT band FROM words WHERE word = ?", (word,)).fetchone()
        return None if row is None else row[0]


_tables: dict[str, _Table] = {}
_answers: dict[tuple[str, str], float] = {}
_ANSWERS_LIMIT = 200_000


def zipf_frequency(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)``; raises what it raises (see module docstring)."""
    key = (word, lang)
    found = _answers.get(key)
    if found is None:
        if len(_answers) >= _ANSWERS_LIMIT:
            _answers.clear()
        found = _answers[key] = _zipf(word, lang)
    return found


def _zipf(word: str, lang: str) -> float:
    table = _table(lang) if _SIMPLE.fullmatch(word) else None
    if table is not None:
        if table.missing:
            raise LookupError(f"No wordlist 'best' available for language {lang!r}")
        if table.fast:
            try:
                found = _simple(word, table.band)
            except sqlite3.Error:  # a damaged table: wordfreq answers
                found = None
            if found is not None:
                return found
    import wordfreq

    return wordfreq.zipf_frequency(word, lang)


def _simple(word: str, band) -> float | None:
    """The Zipf frequency of a word that _SIMPLE matches, its words' bands given by ``band``
    (a word -> band or None); None for a word with a French article, which wordfreq splits."""
    tokens = _TOKENS.findall(word)
    if any(map(_ARTICLE.match, tokens)):
        return None
    return _combined([band(t.casefold().replace("’", "'")) for t in tokens])


def _combined(bands: list[int | None]) -> float:
    """wordfreq's zipf_frequency of the words of these bands (wordfreq.__init__:
    _word_frequency, word_frequency and zipf_frequency, with minimum 0), step by step."""
    minimum = 10**0.0 / 1e9  # zipf_to_freq(0.0)
    if None in bands:  # a word not listed: the phrase's frequency is the minimum, unrounded
        return round(math.log(minimum, 10) + 9, 2)
    one_over_result = 0.0
    for band in bands:
        one_over_result += 1.0 / 10 ** (-band / 100)  # cB_to_freq(-band)
    freq = 1.0 / one_over_result
    unrounded = max(freq, minimum)
    if unrounded == 0.0:
        freq = 0.0
    else:
        leading_zeroes = math.floor(-math.log(unrounded, 10))
        freq = round(unrounded, leading_zeroes + 3)
    return round(math.log(freq, 10) + 9, 2)


def _table(lang: str) -> _Table:
    """The language's table, made the first time the language is asked for."""
    table = _tables.get(lang)
    if table is None:
        try:
            table = _open(lang)
        except (OSError, sqlite3.Error, ImportError, ValueError):
            table = None
        _tables[lang] = table = table or _Table(None, fast=False)
    return table


@lru_cache(maxsize=1)
def _installation() -> str | None:
    """A name for the installed wordfreq and its data (file names and sizes), found without
    importing it; None when it is not installed."""
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    parts = [str(package), str(os.stat(spec.origin).st_size)]
    with os.scandir(package / "data") as entries:
        parts += sorted(f"{e.name}:{e.stat().st_size}" for e in entries)
    import hashlib

    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _open(lang: str) -> _Table | None:
    path = _path(lang)
    if path is None:
        return None
    if not path.is_file():
        _build(lang, path)
    try:
        meta = _meta(path)
    except sqlite3.Error:  # a damaged file (cut short): made again, once
        path.unlink(missing_ok=True)
        _build(lang, path)
        meta = _meta(path)
    if meta.get("missing") == "1":
        return _Table(None, fast=False, missing=True)
    return _Table(path, fast=meta.get("fast") == "1")


def _path(lang: str) -> Path | None:
    """Where the language's table is kept; None for no language code or no wordfreq."""
    from .gazetteer import cache_dir

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", lang):
        return None
    installation = _installation()
    if installation is None:
        return None
    return cache_dir() / f"wordfreq-{installation}-v{_FORMAT}" / f"{lang}.sqlite"


def _meta(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    finally:
        con.close()


def _build(lang: str, path: Path) -> None:
    """Write ``lang``'s table (atomically) from wordfreq's list, checked against wordfreq."""
    import wordfreq

    meta = {"fast": "0", "missing": "0"}
    words: dict[str, int] = {}
    try:
        buckets = wordfreq.get_frequency_list(lang)
    except LookupError:
        meta["missing"] = "1"
    else:
        from wordfreq.language_info import get_language_info

        info = get_language_info(lang)
        for band, bucket in enumerate(buckets):
            for w in bucket:
                if _WORD.fullmatch(w):
                    words[w] = band  # (a word in two bands: the last, as wordfreq's dict has it)
        if (info["tokenizer"] == "regex" and info["normal_form"] in ("NFC", "NFKC") and not info["dotless_i"]
                and not info["transliteration"] and not info["lookup_transliteration"]
                and not info["diacritics_under"] and _agrees(lang, words)):
            meta["fast"] = "1"
    with replacing(path) as tmp:
        con = sqlite3.connect(tmp.path)
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        con.execute("CREATE TABLE words (word TEXT PRIMARY KEY, band INTEGER NOT NULL) WITHOUT ROWID")
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        if meta["fast"] == "1":
            con.executemany("INSERT INTO words VALUES (?, ?)", sorted(words.items()))
        con.commit()
        con.close()


def _agrees(lang: str, words: dict[str, int]) -> bool:
    """Whether the table gives wordfreq's answers: a word of every band (as listed, capitalised,
    in capitals), pairs of them, and unlisted words."""
    import wordfreq

    by_band: dict[int, str] = {}
    for w, band in words.items():
        by_band.setdefault(band, w)
    sample = sorted(by_band.values())
    inside = [w for w in words if not w.isalpha()][:300]  # 'u.s', "o'connor"
    accented = [w for w in words if not w.isascii()][:1000]  # 'são', 'straße'
    probes = [form for w in sample + inside + accented
              for form in (w, w.capitalize(), w.upper(), w.replace("'", "’"))]
    probes += [f"{a}{gap}{b}" for gap in (" ", ". ", "-") for a, b in zip(sample, reversed(sample))]
    probes += [f"{a.capitalize()} {b.capitalize()}" for a, b in zip(inside, reversed(inside))]
    probes += ["Qxzqv", "Qxzqv Wqxzk", "St.Qxzqv"]
    probes += [f"{sample[0].capitalize()} Qxzqv"] if sample else []
    for probe in probes:
        if not _SIMPLE.fullmatch(probe):
            raise AssertionError(f"probe {probe!r} is not a simple word")  # (the probes are made so)
        found = _simple(probe, words.get)
        if found is not None and found != wordfreq.zipf_frequency(probe, lang):
            return False
    return True
