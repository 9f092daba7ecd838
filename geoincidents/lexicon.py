"""Per-language word lists, kept as data in ``data/lexicon/<lang>.toml``.

Each file may hold:
  [boilerplate] lines      regexes for lines that are not the article (related links, comment widgets)
  [events]     "<type>|<sub-type>" = [cue, ...]   a cue is words separated by spaces; a trailing '*'
                            on a word makes it a prefix ('serang*' matches 'serangan')
  [locative]   before = [...]  words after which a place name is where something is
               place_nouns = [...]  'village', 'desa', ... that may stand between the two
               connectors = [...]  'and', 'dan': lists of places share the locative word
               speakers = [...]  'officials', 'pejabat': 'officials in X' locates a speaker, not an event
  [persons]    titles = [...]  words that introduce a person's name ('Presiden', 'Mr')
  [dates]      weekdays = [...], relative = [...]  words that date an event

Languages without a file fall back to English for cues; boilerplate patterns of
all languages apply to every document (pages mix languages in their chrome).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .names import fold

FALLBACK = "en"


@dataclass(frozen=True)
class Cue:
    """A cue: a sequence of folded words, each matched exactly or as a prefix."""

    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    label: str  # what the cue signals, e.g. 'Battles|Armed clash'

    def matches_at(self, words: list[str], i: int) -> bool:
        if i + len(self.words) > len(words):
            return False
        for j, (w, p) in enumerate(zip(self.words, self.prefix)):
            got = words[i + j]
            if not (got.startswith(w) if p else got == w):
                return False
        return True


class CueSet(tuple):
    """Cues indexed by their first word, so finding them costs one look-up per word."""

    def __new__(cls, cues):
        self = super().__new__(cls, cues)
        self._exact: dict[str, list[Cue]] = {}
        self._prefix: dict[str, list[Cue]] = {}
        for cue in self:
            table = self._prefix if cue.prefix[0] else self._exact
            table.setdefault(cue.words[0], []).append(cue)
        self._prefix_lengths = sorted({len(w) for w in self._prefix})
        return self

    def starting(self, word: str) -> list[Cue]:
        out = list(self._exact.get(word, ()))
        for n in self._prefix_lengths:
            if n > len(word):
                break
            out.extend(self._prefix.get(word[:n], ()))
        return out

    def find(self, words: list[str]) -> list[tuple[int, Cue]]:
        """(word index, cue) of every cue that matches in ``words`` (folded)."""
        return [(i, c) for i, w in enumerate(words) for c in self.starting(w) if c.matches_at(words, i)]


@dataclass(frozen=True)
class Lexicon:
    lang: str
    boilerplate: tuple[re.Pattern[str], ...]
    events: CueSet
    locative: frozenset[str]
    place_nouns: CueSet
    connectors: CueSet
    speakers: CueSet
    titles: CueSet
    weekdays: tuple[str, ...]
    relative_days: tuple[str, ...]

    @staticmethod
    def find(cues: CueSet, words: list[str]) -> list[tuple[int, Cue]]:
        """(word index, cue) of every cue of ``cues`` that matches in ``words`` (folded)."""
        return cues.find(words)


def _cue(text: str, label: str) -> Cue:
    parts = text.split()
    words = tuple(fold(p.rstrip("*")) for p in parts)
    return Cue(words, tuple(p.endswith("*") for p in parts), label)


def available() -> list[str]:
    """Languages that have a lexicon file."""
    folder = resources.files("geoincidents") / "data" / "lexicon"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@lru_cache(maxsize=None)
def _raw(lang: str) -> dict:
    path = resources.files("geoincidents") / "data" / "lexicon" / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """Boilerplate line patterns of every language."""
    pats = []
    for lang in available():
        for p in _raw(lang).get("boilerplate", {}).get("lines", []):
            pats.append(re.compile(p, re.IGNORECASE))
    return tuple(pats)


@lru_cache(maxsize=None)
def get(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (English where the language has none)."""
    if lang not in available():
        lang = FALLBACK
    raw = _raw(lang)
    events = CueSet(_cue(c, label) for label, cues in raw.get("events", {}).items() for c in cues)
    loc = raw.get("locative", {})
    return Lexicon(
        lang=lang,
        boilerplate=boilerplate_patterns(),
        events=events,
        locative=frozenset(fold(w) for w in loc.get("before", [])),
        place_nouns=CueSet(_cue(c, "place") for c in loc.get("place_nouns", [])),
        connectors=CueSet(_cue(c, "and") for c in loc.get("connectors", [])),
        speakers=CueSet(_cue(c, "speaker") for c in loc.get("speakers", [])),
        titles=CueSet(_cue(c, "title") for c in raw.get("persons", {}).get("titles", [])),
        weekdays=tuple(raw.get("dates", {}).get("weekdays", [])),
        relative_days=tuple(raw.get("dates", {}).get("relative", [])),
    )
