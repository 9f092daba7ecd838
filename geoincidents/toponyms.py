"""Stage 2: Document -> toponym Mentions (character offsets, gazetteer candidates).

Capitalised word sequences (any length up to MAX_WORDS, hyphens and apostrophes
allowed inside) are looked up in the gazetteer by their folded key, longest first.
A match is kept unless the evidence says it is not a place here:
  - a common word of the document's language ('Media', 'Post', 'Selasa') that
    names no major place (country, region, first-level division, large city), or a
    word the language's lexicon lists as never a place on its own ('West', 'Man');
  - part of a person's name: after a title ('Presiden', 'Mr'), a town-named given
    name followed by a surname ('Vladimir Putin'), or a surname the document uses
    in a full name elsewhere ('Bob Welch' ... 'Welch said');
  - an abbreviation not written as one: country abbreviations ('AS', 'US') only in
    capitals and in their language; state abbreviations ('Ga.', 'TX') only after
    'City, ' as in 'Gainesville, Ga.'.
"""
from __future__ import annotations

from typing import NamedTuple

from wordfreq import zipf_frequency as _wordfreq_zipf

from . import lexicon
from .gazetteer import AREA_CODES, Gazetteer, is_area
from .names import ARABIC_ARTICLES, words
from .types import Candidate, Document, Mention, Sentence

MAX_WORDS = 6
COMMON_WORD_ZIPF = 4.0  # a word at least this frequent in the language is a word first
ALTERNATE_WORD_ZIPF = 3.0
VERY_COMMON_ZIPF = 5.0  # ... and lower still when only an alternate name of a small place matches
SURNAME_MAX_ZIPF = 4.5  # capitalised words rarer than this after a given name look like surnames
GIVEN_NAME_MAX_ZIPF = 5.5  # a capitalised word before a surname, rarer than this, may be a given name
MAJOR_POPULATION = 50_000
MAJOR_POPULATION_BY_ALTERNATE = 100_000
TITLE_CASE_SHARE = 0.75  # a sentence this capitalised is a headline: capitals say nothing
_JOINS = {" ", "-", "‐", "'", "’", "ʼ"}
_MAJOR_CODES = AREA_CODES + ("ADM1", "PPLC")


def zipf_frequency(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency; 0.0 (unknown) for a language it has no list for or cannot
    tokenise without an optional package (zh needs jieba, ja/ko MeCab), not an exception."""
    try:
        return _wordfreq_zipf(word, lang)
    except (LookupError, ImportError, ValueError):
        return 0.0


class _Word(NamedTuple):  # a tuple: every word of every sentence is one, made fast
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
    """Countries, regions, first-level divisions, capitals and large towns.

    A town's other names count only when it is large: exonyms and other scripts
    ('Херсон', 'Moskow') are alternate names in GeoNames, and so is much noise.
    """
    p = c.place
    if p.feature_code.startswith(_MAJOR_CODES):
        return True
    if c.name_kind == "alternate":
        return p.population >= MAJOR_POPULATION_BY_ALTERNATE
    return p.population >= MAJOR_POPULATION


def _is_area_like(c: Candidate) -> bool:
    """Countries, regions and continents are never given names of people."""
    return is_area(c.place)


class _Words(NamedTuple):
    """One sentence's words, and what the recogniser reads of them more than once."""

    index: int  # of the sentence in the document
    words: list[_Word]
    keys: list[str]  # the words' folded keys
    capital: list[bool]  # whether each word is capitalised (_capitalised)
    titles: list[tuple[int, lexicon.Cue]]  # (word index, cue) of the titles of people ('Mr', 'Presiden')
    headline: bool  # title case: capitals say nothing


def _title_case(ws: list[_Word]) -> bool:
    long_words = [w for w in ws if len(w.surface) > 3 and w.surface[0].isalpha()]
    if len(long_words) < 6:
        return False
    share = sum(w.surface[0].isupper() for w in long_words) / len(long_words)
    return share >= TITLE_CASE_SHARE


class Recognizer:
    """Finds toponym mentions; one instance per gazetteer, reusable across documents."""

    CACHE_SIZE = 100_000

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._cache: dict[tuple[str, str], tuple[Candidate, ...]] = {}

    def recognize(self, doc: Document) -> tuple[Mention, ...]:
        lex = lexicon.get(doc.lang)
        sentences = [
            self._words(lex, index, sentence)
            for index, sentence in enumerate(doc.sentences)
            if not sentence.boilerplate
        ]
        self._prefetch(doc, sentences)
        persons: set[str] = set()
        for s in sentences:
            persons |= self._person_words(doc, lex, s)
        found: list[Mention] = []
        for s in sentences:
            known = list(self._in_sentence(doc, lex, s, persons))
            extra = list(self._settlements(doc, lex, s, persons, known))
            found.extend(sorted(known + extra, key=lambda m: m.start) if extra else known)
        return tuple(found)

    @staticmethod
    def _words(lex: lexicon.Lexicon, index: int, sentence: Sentence) -> _Words:
        ws = [
            _Word(sentence.start + s, sentence.start + e, k, sentence.text[s:e])
            for s, e, k in words(sentence.text)
        ]
        keys = [w.key for w in ws]
        capital = [_capitalised(w.surface) for w in ws]
        return _Words(index, ws, keys, capital, lex.titles.find(keys), _title_case(ws))

    def _candidates(self, doc: Document, key: str) -> tuple[Candidate, ...]:
        """The gazetteer's candidates, remembered: a text asks for the same words often."""
        found = self._cache.get((key, doc.lang))
        if found is None:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            found = self._cache[(key, doc.lang)] = self.gazetteer.candidates(key, doc.lang)
        return found

    def _prefetch(self, doc: Document, sentences: list[_Words]) -> None:
        """Ask the gazetteer at once about every name the document's capitalised words may
        begin (most name nothing): one batch of queries instead of one query for each."""
        wanted = {
            " ".join(s.keys[i : j + 1])
            for s in sentences
            for i in range(len(s.words))
            if s.capital[i]
            for j in self._name_ends(doc, s, i)
        }
        todo = [key for key in wanted if (key, doc.lang) not in self._cache]
        if not todo:
            return
        if len(self._cache) + len(todo) > self.CACHE_SIZE:
            self._cache.clear()
        for key, found in self.gazetteer.candidates_many(todo, doc.lang).items():
            self._cache[(key, doc.lang)] = found

    # -- people ---------------------------------------------------------------------

    def _person_words(self, doc: Document, lex: lexicon.Lexicon, s: _Words) -> set[str]:
        """Keys of words this sentence shows to be parts of people's names.

        'Mr Welch', 'Presiden Joko Widodo' (after a title), and 'Bob Welch' (a
        capitalised word, not a place, before a capitalised word) outside headlines.
        """
        if s.headline:
            return set()
        ws = s.words
        out: set[str] = set()
        for i, cue in s.titles:
            j = i + len(cue.words)
            while j < len(ws) and ws[j].surface[0].isupper() and self._joined(doc, ws[j - 1], ws[j]):
                if not any(_is_area_like(c) for c in self._candidates(doc, ws[j].key)):
                    out.add(ws[j].key)
                j += 1
        for i in range(1, len(ws)):
            a, b = ws[i - 1], ws[i]
            if not (a.surface[0].isupper() and b.surface[0].isupper()) or doc.text[a.end : b.start] != " ":
                continue
            given = a.key in lexicon.given_names()
            if (i - 1 == 0 and not given) or (
                i >= 2 and ws[i - 2].surface[0].isupper() and doc.text[ws[i - 2].end : a.start] == " "
            ):
                continue  # sentence-initial capitals and longer runs say less
            if len(a.surface) < 2 or not a.surface[1:].islower() or not b.surface[1:].isalpha():
                continue
            if i + 1 < len(ws) and doc.text[b.end : ws[i + 1].start] == " " and ws[i + 1].surface[0].isupper():
                continue  # three capitalised words in a row: more often an organisation
            if lex.titles.starting(b.key):
                continue
            if self._candidates(doc, a.key + " " + b.key) or a.key in lex.never_places:
                continue
            if any(_is_area_like(c) or c.place.feature_code.startswith("ADM1") for c in self._candidates(doc, b.key)):
                continue
            if given:
                # 'David Taylor', 'Mary Welch'; but 'Alexandria Police', 'Paris Herald': a
                # town's name before a common word is an organisation
                if b.key in lexicon.surnames() or (
                    not any(_is_major(c) for c in self._candidates(doc, a.key))
                    and zipf_frequency(b.surface, doc.lang) < 5.0
                    and zipf_frequency(b.surface, "en") < 5.0
                ):
                    out.update((a.key, b.key))
                continue
            if any(_is_major(c) for c in self._candidates(doc, b.key)):
                continue
            if self._candidates(doc, a.key) and not self._looks_like_given_name(doc, ws, i - 1):
                continue
            if zipf_frequency(a.surface, doc.lang) >= GIVEN_NAME_MAX_ZIPF or zipf_frequency(b.surface, doc.lang) >= SURNAME_MAX_ZIPF:
                continue
            out.update((a.key, b.key))
        return out

    # -- one sentence ---------------------------------------------------------------

    def _in_sentence(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str]):
        ws, keys = s.words, s.keys
        title_words = {k for i, c in s.titles for k in range(i, i + len(c.words))}
        title_ends = {i + len(c.words) for i, c in s.titles} - title_words
        i = 0
        while i < len(ws):
            if i in title_words or not s.capital[i]:
                i += 1
                continue
            match = self._longest_match(doc, lex, s, i)
            if match is None:
                i += 1
                continue
            n, candidates = match
            verdict = self._judge(doc, lex, s, i, n, candidates, title_ends, persons)
            if verdict == "place":
                end = _abbreviation_end(doc, ws[i].start, ws[i + n - 1].end, candidates)
                yield Mention(
                    start=ws[i].start,
                    end=end,
                    text=doc.text[ws[i].start : end],
                    key=" ".join(keys[i : i + n]),
                    sentence=s.index,
                    candidates=candidates,
                )
                i += n
            elif verdict == "person":
                i = self._skip_name(doc, ws, i + n)
            else:
                i += n

    def _settlements(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str],
                     known: list[Mention]):
        """Names that a settlement noun introduces ('the village of Abu Al-Shamat', 'desa
        Sukamaju', 'Yeşilköy köyü') and that were not found otherwise: with their gazetteer
        candidates when there are any (the noun vouches for a name otherwise read as a word),
        else with none: the resolver places such a name at the place its sentence names."""
        ws = s.words
        taken = list(known)
        spans = []
        for i, cue in lex.settlement_before.find(s.keys):
            j = i + len(cue.words)
            if j < len(ws) and doc.text[ws[j - 1].end : ws[j].start] == " " and s.capital[j]:
                k = j
                cased = ws[j].surface[0].isupper()
                while cased and k + 1 < len(ws) and k + 1 - j < 3 and self._joined(doc, ws[k], ws[k + 1]) and (
                    ws[k + 1].surface[0].isupper() or (ws[k + 1].key in ARABIC_ARTICLES and k + 2 < len(ws)
                                                       and doc.text[ws[k + 1].end : ws[k + 2].start] == "-")
                ):
                    k += 1
                spans.append((j, k))
        for i, cue in lex.settlement_after.find(s.keys):
            k = i - 1
            if k >= 0 and doc.text[ws[k].end : ws[i].start] == " " and ws[k].surface[0].isupper():
                j = k
                while j - 1 >= 0 and k - j + 1 < 3 and self._joined(doc, ws[j - 1], ws[j]) and ws[j - 1].surface[0].isupper():
                    j -= 1
                spans.append((j, k))
        for j, k in spans:
            start, end = ws[j].start, ws[k].end
            if any(m.start < end and start < m.end for m in taken):
                continue
            key = " ".join(s.keys[j : k + 1])
            surface = doc.text[start:end]
            if any(w in persons or w in lex.never_places for w in s.keys[j : k + 1]):
                continue
            if (surface.isupper() and len(surface) <= 3) or (j == k and zipf_frequency(surface, doc.lang) >= COMMON_WORD_ZIPF):
                continue
            taken.append(Mention(start=start, end=end, text=surface, key=key, sentence=s.index,
                                 candidates=self._usable(doc, ws, j, k, self._candidates(doc, key))))
            yield taken[-1]

    def _longest_match(self, doc: Document, lex: lexicon.Lexicon, s: _Words, i: int):
        """(word count, candidates) of the longest gazetteer name starting at word ``i``."""
        ws, keys = s.words, s.keys
        for j in self._name_ends(doc, s, i):
            key = " ".join(keys[i : j + 1])
            found = self._candidates(doc, key)
            if not found and j > i and self._arabic_article(doc, ws, i):
                found = self._candidates(doc, key.partition(" ")[2])  # 'Al-Bayaa' as 'Bayaa'
            if not found:  # an inflected name: 'в Харькове', 'w Charkowie', 'وبيروت'
                head = " ".join(keys[i:j])
                for form in lex.base_forms(keys[j]):
                    found = self._candidates(doc, f"{head} {form}" if head else form)
                    if found:
                        break
            candidates = self._usable(doc, ws, i, j, found)
            if candidates:
                return j - i + 1, candidates
        return None

    def _name_ends(self, doc: Document, s: _Words, i: int) -> list[int]:
        """The words at which a name beginning at word ``i`` may end, the farthest first: up to
        MAX_WORDS joined words, ending in a capitalised word or a number ('Checkpoint Tegh-7')."""
        ws = s.words
        last = i
        while last + 1 < len(ws) and last - i + 1 < MAX_WORDS and self._joined(doc, ws[last], ws[last + 1]):
            last += 1
        return [j for j in range(last, i - 1, -1) if s.capital[j] or (j > i and ws[j].surface.isdigit())]

    @staticmethod
    def _arabic_article(doc: Document, ws, i: int) -> bool:
        """'Al-Bayaa', 'al-Latmana', 'El Fasher' (not 'AS' or 'At')."""
        w = ws[i]
        if w.key not in ARABIC_ARTICLES or w.surface.isupper():
            return False
        return doc.text[w.end : ws[i + 1].start] in ("-", "‐") or w.key in ("al", "el")

    @staticmethod
    def _joined(doc: Document, a: _Word, b: _Word) -> bool:
        gap = doc.text[a.end : b.start]
        if gap in _JOINS:
            return True
        return gap in (".", ". ") and len(a.surface) <= 2 and a.surface[0].isupper()  # 'U.S.', 'W. Va.'

    @staticmethod
    def _usable(doc: Document, ws, i: int, j: int, candidates) -> tuple[Candidate, ...]:
        if not candidates:
            return ()
        start, end = ws[i].start, ws[j].end
        surface = doc.text[start:end]
        letters = [ch for ch in surface if ch.isalpha()]
        upper = all(ch.isupper() for ch in letters)
        after_city = doc.text[max(0, start - 2) : start] == ", " and start >= 3 and doc.text[start - 3].isalpha()
        kept = []
        for c in candidates:
            if c.name_kind == "abbrev":
                if c.lang and c.lang != doc.lang and not _same_language(c.lang, doc.lang):
                    continue
                if c.place.feature_code.startswith("ADM") and (len(letters) <= 2 or doc.text[end : end + 1] == "."):
                    # short state abbreviations: 'Gainesville, Ga.' / 'Austin, TX', nothing else
                    if not after_city or not (upper or doc.text[end : end + 1] == "."):
                        continue
                elif not upper and not c.place.feature_code.startswith("ADM"):
                    continue
            elif c.name_kind == "demonym":
                if c.lang and c.lang != doc.lang and not _same_language(c.lang, doc.lang):
                    continue
            elif upper and len(letters) <= 3:
                continue  # 'PBB', 'UN': acronyms are not the short names of villages
            kept.append(c)
        return tuple(kept)

    def _judge(self, doc: Document, lex, s: _Words, i: int, n: int, candidates, title_ends: set[int],
               persons: set[str]) -> str:
        """'place', 'person' or 'word' for the match of ``n`` words at ``i``."""
        ws = s.words
        area = any(_is_area_like(c) for c in candidates)
        key = " ".join(s.keys[i : i + n])
        if i in title_ends and not area:
            return "person"
        if n == 1 and not area:
            if ws[i].key in persons or self._looks_like_given_name(doc, ws, i):
                return "person"
        if key in lex.never_places and not any(c.name_kind in ("abbrev", "demonym") for c in candidates):
            return "word"
        nxt = i + n
        if nxt < len(ws) and ws[nxt].key in lex.eponym_heads and doc.text[ws[nxt - 1].end : ws[nxt].start] == " ":
            return "word"  # 'Marburg virus', 'Lassa fever': named after the place, not the place
        surface = doc.text[ws[i].start : ws[i + n - 1].end]
        only_alternate = all(c.name_kind == "alternate" for c in candidates)
        zipf = zipf_frequency(surface, doc.lang)
        majors = [c for c in candidates if _is_major(c)]
        if majors and zipf >= VERY_COMMON_ZIPF and all(
            c.name_kind == "alternate" and not c.place.feature_code.startswith(_MAJOR_CODES) for c in majors
        ):
            return "word"  # 'Media' is not Médéa: a very common word, only another name of a town
        if majors:
            towns = [c for c in candidates if c.place.feature_class == "P" and _is_major(c)]
            if only_alternate and not area and not towns and zipf >= COMMON_WORD_ZIPF:
                return "word"  # a common word that is only another name of a division
            if s.headline and n == 1 and zipf >= 4.5 and all(c.place.feature_class == "P" for c in candidates):
                return "word"  # in a title-case headline a capital says nothing: 'Man', 'Mobile'
            return "place"
        limit = ALTERNATE_WORD_ZIPF if only_alternate else COMMON_WORD_ZIPF
        if n == 1 and zipf >= limit:
            return "word"  # (wordfreq's figure for a phrase says little: 'Madison County')
        if n == 1 and ws[i].start == doc.sentences[doc.sentence_at(ws[i].start)].start:
            # Sentence-initial capitals say nothing; a word frequent in English (the
            # language of most page chrome and loanwords) is read as a word there.
            if zipf_frequency(surface, "en") >= COMMON_WORD_ZIPF:
                return "word"
        return "place"

    def _looks_like_given_name(self, doc: Document, ws, i: int) -> bool:
        """A one-word town name followed by a capitalised, non-place, uncommon word.

        Only towns: a division's name before a capitalised word is an organisation
        ('Ohio Senate', 'Texas Alcoholic Beverage Commission'), not a person; and the
        larger the town, the rarer the next word must be ('Dublin Coffman' is a school).
        """
        if i + 1 >= len(ws) or doc.text[ws[i].end : ws[i + 1].start] != " ":
            return False
        nxt = ws[i + 1]
        if not nxt.surface[0].isupper() or not nxt.surface[1:].islower():
            return False
        if self._candidates(doc, nxt.key) or lexicon.get(doc.lang).titles.starting(nxt.key):
            return False  # 'Fargo Mayor ...'
        if i + 2 < len(ws) and doc.text[nxt.end : ws[i + 2].start] == " " and ws[i + 2].surface[0].isupper():
            return False  # a longer capitalised run names an organisation: 'Dublin Veterinary Clinic'
        towns = [c for c in self._candidates(doc, ws[i].key) if c.place.feature_class == "P"]
        if not towns or len(towns) < len(self._candidates(doc, ws[i].key)):
            return False
        limit = SURNAME_MAX_ZIPF if max(c.place.population for c in towns) < 1_000_000 else 4.0
        return zipf_frequency(nxt.surface, doc.lang) < limit and zipf_frequency(nxt.surface, "en") < SURNAME_MAX_ZIPF

    def _skip_name(self, doc: Document, ws, i: int) -> int:
        """Skip the rest of a person's name: the capitalised words that follow,
        up to a country's name or abbreviation ('... Putin Rusia', 'Menteri AS')."""
        while i < len(ws) and ws[i].surface[0].isupper():
            if any(_is_area_like(c) for c in self._candidates(doc, ws[i].key)):
                break
            i += 1
        return i


def _abbreviation_end(doc: Document, start: int, end: int, candidates) -> int:
    """Take in an abbreviation's own full stop: 'Ga.', 'U.S.' (not the stop after 'US')."""
    surface = doc.text[start:end]
    if doc.text[end : end + 1] == "." and any(c.name_kind == "abbrev" for c in candidates):
        if "." in surface or not surface.isupper():
            return end + 1
    return end


_LANGUAGE_FAMILIES = ({"id", "ms"}, {"no", "nb", "nn"}, {"sr", "hr", "bs"})


def _same_language(a: str, b: str) -> bool:
    return any(a in fam and b in fam for fam in _LANGUAGE_FAMILIES)
