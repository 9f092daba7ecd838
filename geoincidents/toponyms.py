"""Stage 2: Document -> toponym Mentions (character offsets, gazetteer candidates).

Capitalised word sequences (any length up to MAX_WORDS, hyphens and apostrophes
allowed inside) are looked up in the gazetteer by their folded key, longest first.
A match is kept unless the evidence says it is not a place here:
  - a common word of the document's language ('Media', 'Post', 'Selasa') that
    names no major place (country, region, first-level division, large city);
  - part of a person's name: after a title ('Presiden', 'Mr'), or a town-named
    given name followed by a surname ('Vladimir Putin', 'Antony Blinken');
  - an abbreviation ('AS', 'US') not written in capitals or in another language.
"""
from __future__ import annotations

from dataclasses import dataclass

from wordfreq import zipf_frequency

from . import lexicon
from .gazetteer import Gazetteer
from .names import words
from .types import Candidate, Document, Mention, Sentence

MAX_WORDS = 6
COMMON_WORD_ZIPF = 4.0  # a word at least this frequent in the language is a word first
ALTERNATE_WORD_ZIPF = 3.0  # ... and lower still when only an alternate name of a small place matches
SURNAME_MAX_ZIPF = 5.0  # capitalised words rarer than this after a given name look like surnames
MAJOR_POPULATION = 50_000
_JOINS = {" ", "-", "‐", "'", "’", "ʼ"}
_MAJOR_CODES = ("PCL", "CONT", "RGN", "ADM1", "TERR", "PPLC")


@dataclass(frozen=True)
class _Word:
    start: int  # offset in the document
    end: int
    key: str  # folded
    surface: str


def _capitalised(surface: str) -> bool:
    first = surface[0]
    if first.isupper():
        return True
    # Scripts without case (Arabic, Georgian, CJK, ...) have no capitals to go by.
    return first.isalpha() and not first.islower()


def _is_major(c: Candidate) -> bool:
    p = c.place
    if p.feature_code.startswith(_MAJOR_CODES):
        return True
    return c.name_kind == "primary" and p.population >= MAJOR_POPULATION


def _is_area_like(c: Candidate) -> bool:
    """Countries, regions and continents are never given names of people."""
    return c.place.feature_code.startswith(("PCL", "CONT", "RGN", "TERR"))


class Recognizer:
    """Finds toponym mentions; one instance per gazetteer, reusable across documents."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def recognize(self, doc: Document) -> tuple[Mention, ...]:
        found: list[Mention] = []
        lex = lexicon.get(doc.lang)
        for index, sentence in enumerate(doc.sentences):
            if not sentence.boilerplate:
                found.extend(self._in_sentence(doc, lex, index, sentence))
        return tuple(found)

    # -- one sentence ---------------------------------------------------------------

    def _in_sentence(self, doc: Document, lex: lexicon.Lexicon, index: int, sentence: Sentence):
        ws = [
            _Word(sentence.start + s, sentence.start + e, k, sentence.text[s:e])
            for s, e, k in words(sentence.text)
        ]
        keys = [w.key for w in ws]
        titles = lex.find(lex.titles, keys)
        title_words = {k for i, c in titles for k in range(i, i + len(c.words))}
        title_ends = {i + len(c.words) for i, c in titles} - title_words
        i = 0
        while i < len(ws):
            if i in title_words or not _capitalised(ws[i].surface):
                i += 1
                continue
            match = self._longest_match(doc, ws, i)
            if match is None:
                i += 1
                continue
            n, candidates = match
            verdict = self._judge(doc, ws, i, n, candidates, title_ends)
            if verdict == "place":
                found = Mention(
                    start=ws[i].start,
                    end=ws[i + n - 1].end,
                    text=doc.text[ws[i].start : ws[i + n - 1].end],
                    key=" ".join(keys[i : i + n]),
                    sentence=index,
                    candidates=candidates,
                )
                yield found
                i += n
            elif verdict == "person":
                i = self._skip_name(ws, i + n)
            else:
                i += n

    def _longest_match(self, doc: Document, ws: list[_Word], i: int):
        """(word count, candidates) of the longest gazetteer name starting at word ``i``."""
        last = i
        while last + 1 < len(ws) and last - i + 1 < MAX_WORDS and self._joined(doc, ws[last], ws[last + 1]):
            last += 1
        for j in range(last, i - 1, -1):
            if not _capitalised(ws[j].surface):
                continue
            key = " ".join(w.key for w in ws[i : j + 1])
            candidates = self._usable(doc, ws, i, j, self.gazetteer.candidates(key))
            if candidates:
                return j - i + 1, candidates
        return None

    @staticmethod
    def _joined(doc: Document, a: _Word, b: _Word) -> bool:
        gap = doc.text[a.end : b.start]
        if gap in _JOINS:
            return True
        return gap == "." and len(a.surface) == 1  # 'U.S.', 'D.C.'

    @staticmethod
    def _usable(doc: Document, ws, i: int, j: int, candidates) -> tuple[Candidate, ...]:
        surface = doc.text[ws[i].start : ws[j].end]
        letters = [ch for ch in surface if ch.isalpha()]
        upper = all(ch.isupper() for ch in letters)
        kept = []
        for c in candidates:
            if c.name_kind == "abbrev":
                if not upper or (c.lang and c.lang != doc.lang and not _same_language(c.lang, doc.lang)):
                    continue
            elif upper and len(letters) <= 3:
                continue  # 'PBB', 'UN': acronyms are not the short names of villages
            kept.append(c)
        return tuple(kept)

    def _judge(self, doc: Document, ws, i: int, n: int, candidates, title_ends: set[int]) -> str:
        """'place', 'person' or 'word' for the match of ``n`` words at ``i``."""
        area = any(_is_area_like(c) for c in candidates)
        if i in title_ends and not area:
            return "person"
        if n == 1 and not area and self._looks_like_given_name(doc, ws, i):
            return "person"
        if any(_is_major(c) for c in candidates):
            return "place"
        surface = doc.text[ws[i].start : ws[i + n - 1].end]
        only_alternate = all(c.name_kind == "alternate" for c in candidates)
        limit = ALTERNATE_WORD_ZIPF if only_alternate else COMMON_WORD_ZIPF
        if zipf_frequency(surface, doc.lang) >= limit:
            return "word"
        if ws[i].start == doc.sentences[doc.sentence_at(ws[i].start)].start and n == 1:
            # Sentence-initial capitals say nothing; a word frequent in English (the
            # language of most page chrome and loanwords) is read as a word there.
            if zipf_frequency(surface, "en") >= COMMON_WORD_ZIPF:
                return "word"
        return "place"

    def _looks_like_given_name(self, doc: Document, ws, i: int) -> bool:
        """A one-word town name followed by a capitalised, non-place, uncommon word."""
        if i + 1 >= len(ws) or doc.text[ws[i].end : ws[i + 1].start] != " ":
            return False
        nxt = ws[i + 1]
        if not _capitalised(nxt.surface) or not nxt.surface[0].isupper():
            return False
        if self.gazetteer.candidates(nxt.key):
            return False
        return (
            zipf_frequency(nxt.surface, doc.lang) < SURNAME_MAX_ZIPF
            and zipf_frequency(nxt.surface, "en") < SURNAME_MAX_ZIPF
        )

    def _skip_name(self, ws, i: int) -> int:
        """Skip the rest of a person's name: the capitalised words that follow,
        up to a country's name or abbreviation ('... Putin Rusia', 'Menteri AS')."""
        while i < len(ws) and ws[i].surface[0].isupper():
            if any(_is_area_like(c) for c in self.gazetteer.candidates(ws[i].key)):
                break
            i += 1
        return i


_LANGUAGE_FAMILIES = ({"id", "ms"}, {"no", "nb", "nn"}, {"sr", "hr", "bs"})


def _same_language(a: str, b: str) -> bool:
    return any(a in fam and b in fam for fam in _LANGUAGE_FAMILIES)
