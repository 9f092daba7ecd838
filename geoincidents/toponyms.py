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

from itertools import compress
from typing import NamedTuple

from ._zipf import zipf_frequency as _wordfreq_zipf  # wordfreq's figures, without loading wordfreq

from . import lexicon
from .gazetteer import AREA_CODES, Gazetteer, is_area
from .names import ARABIC_ARTICLES, tokens
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


def _capitalised(surface: str) -> bool:
    first = surface[0]
    if first.isupper():
        return True
    # Scripts without case (Arabic, Georgian, CJK, ...) have no capitals to go by.
    return first.isalpha() and not first.islower()


def _upper(surface: str) -> bool:
    return surface[0].isupper()


def _long_word(surface: str) -> bool:
    """A word that counts for telling a title-case headline (_title_case)."""
    return len(surface) > 3 and surface[0].isalpha()


class _ByWord(dict):
    """``test(word)`` of the words met, remembered: a sentence's words are answered with one
    look-up each (``list(map(table.__getitem__, words))``), without a call for each."""

    LIMIT = 200_000

    def __init__(self, test):
        super().__init__()
        self.test = test

    def __missing__(self, word: str) -> bool:
        if len(self) >= self.LIMIT:
            self.clear()
        answer = self[word] = self.test(word)
        return answer


_CAPITAL = _ByWord(_capitalised)
_UPPER = _ByWord(_upper)
_LONG = _ByWord(_long_word)


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
    """One sentence's words, as parallel lists (word ``i`` is item ``i`` of each), and what
    the recogniser reads of them more than once. Most words are lower case and no name
    begins there: the recogniser walks ``capitals``, not every word."""

    index: int  # of the sentence in the document
    starts: list[int]  # offsets in the document
    ends: list[int]
    surfaces: list[str]  # as written
    keys: list[str]  # folded
    after: list[str]  # the text between each word and the next (after the last: to the sentence's end)
    capital: list[bool]  # whether each word is capitalised (_capitalised)
    upper: list[bool]  # whether each word begins with an upper-case letter
    capitals: list[int]  # indices of the capitalised words
    titles: list[tuple[int, lexicon.Cue]]  # (word index, cue) of the titles of people ('Mr', 'Presiden')
    headline: bool  # title case: capitals say nothing
    name_ends: dict[int, list[int]]  # capitalised word -> where a name beginning there may end (_name_ends)

    def joined(self, k: int) -> bool:
        """Words ``k`` and ``k + 1`` may belong to one name: 'Nagorno-Karabakh', 'U.S.', 'W. Va.'."""
        gap = self.after[k]
        if gap in _JOINS:
            return True
        a = self.surfaces[k]
        return gap in (".", ". ") and len(a) <= 2 and a[0].isupper()


def _title_case(surfaces: list[str], upper: list[bool]) -> bool:
    long_words = list(map(_LONG.__getitem__, surfaces))
    count = sum(long_words)
    if count < 6:
        return False
    share = sum(compress(upper, long_words)) / count
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
        t = tokens(sentence.text)
        n = len(t.surfaces)
        surfaces, keys = t.surfaces, t.keys
        capital = list(map(_CAPITAL.__getitem__, surfaces))
        upper = list(map(_UPPER.__getitem__, surfaces))
        s = _Words(
            index=index,
            starts=list(map(sentence.start.__add__, t.starts)),
            ends=list(map(sentence.start.__add__, t.ends)),
            surfaces=surfaces,
            keys=keys,
            after=t.gaps[1:],
            capital=capital,
            upper=upper,
            capitals=list(compress(range(n), capital)),
            titles=lex.titles.find(keys),
            headline=_title_case(surfaces, upper),
            name_ends={},
        )
        for i in s.capitals:
            s.name_ends[i] = _name_ends(s, i)
        return s

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
            for i, ends in s.name_ends.items()
            for j in ends
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
        n = len(s.keys)
        keys, surfaces, upper, after = s.keys, s.surfaces, s.upper, s.after
        out: set[str] = set()
        for i, cue in s.titles:
            j = i + len(cue.words)
            while j < n and upper[j] and s.joined(j - 1):
                if not any(_is_area_like(c) for c in self._candidates(doc, keys[j])):
                    out.add(keys[j])
                j += 1
        for i in s.capitals:  # the pairs of words a, b = i - 1, i both beginning in upper case
            if i == 0 or not (upper[i - 1] and upper[i]) or after[i - 1] != " ":
                continue
            a, b = surfaces[i - 1], surfaces[i]
            a_key, b_key = keys[i - 1], keys[i]
            given = a_key in lexicon.given_names()
            if (i - 1 == 0 and not given) or (i >= 2 and upper[i - 2] and after[i - 2] == " "):
                continue  # sentence-initial capitals and longer runs say less
            if len(a) < 2 or not a[1:].islower() or not b[1:].isalpha():
                continue
            if i + 1 < n and after[i] == " " and upper[i + 1]:
                continue  # three capitalised words in a row: more often an organisation
            if lex.titles.starting(b_key):
                continue
            if self._candidates(doc, a_key + " " + b_key) or a_key in lex.never_places:
                continue
            if any(_is_area_like(c) or c.place.feature_code.startswith("ADM1") for c in self._candidates(doc, b_key)):
                continue
            if given:
                # 'David Taylor', 'Mary Welch'; but 'Alexandria Police', 'Paris Herald': a
                # town's name before a common word is an organisation
                if b_key in lexicon.surnames() or (
                    not any(_is_major(c) for c in self._candidates(doc, a_key))
                    and zipf_frequency(b, doc.lang) < 5.0
                    and zipf_frequency(b, "en") < 5.0
                ):
                    out.update((a_key, b_key))
                continue
            if any(_is_major(c) for c in self._candidates(doc, b_key)):
                continue
            if self._candidates(doc, a_key) and not self._looks_like_given_name(doc, s, i - 1):
                continue
            if zipf_frequency(a, doc.lang) >= GIVEN_NAME_MAX_ZIPF or zipf_frequency(b, doc.lang) >= SURNAME_MAX_ZIPF:
                continue
            out.update((a_key, b_key))
        return out

    # -- one sentence ---------------------------------------------------------------

    def _in_sentence(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str]):
        keys = s.keys
        title_words = {k for i, c in s.titles for k in range(i, i + len(c.words))}
        title_ends = {i + len(c.words) for i, c in s.titles} - title_words
        resume = 0  # the word after the last name read
        for i in s.capitals:
            if i < resume or i in title_words:
                continue
            match = self._longest_match(doc, lex, s, i)
            if match is None:
                continue
            n, candidates = match
            verdict = self._judge(doc, lex, s, i, n, candidates, title_ends, persons)
            if verdict == "place":
                start = s.starts[i]
                end = _abbreviation_end(doc, start, s.ends[i + n - 1], candidates)
                yield Mention(
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                    key=" ".join(keys[i : i + n]),
                    sentence=s.index,
                    candidates=candidates,
                )
                resume = i + n
            elif verdict == "person":
                resume = self._skip_name(doc, s, i + n)
            else:
                resume = i + n

    def _settlements(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str],
                     known: list[Mention]):
        """Names that a settlement noun introduces ('the village of Abu Al-Shamat', 'desa
        Sukamaju', 'Yeşilköy köyü') and that were not found otherwise: with their gazetteer
        candidates when there are any (the noun vouches for a name otherwise read as a word),
        else with none: the resolver places such a name at the place its sentence names."""
        if not s.capitals:
            return  # no name to introduce
        n = len(s.keys)
        keys, upper, after = s.keys, s.upper, s.after
        taken = list(known)
        spans = []
        for i, cue in lex.settlement_before.find(keys):
            j = i + len(cue.words)
            if j < n and after[j - 1] == " " and s.capital[j]:
                k = j
                cased = upper[j]
                while cased and k + 1 < n and k + 1 - j < 3 and s.joined(k) and (
                    upper[k + 1] or (keys[k + 1] in ARABIC_ARTICLES and k + 2 < n and after[k + 1] == "-")
                ):
                    k += 1
                spans.append((j, k))
        for i, cue in lex.settlement_after.find(keys):
            k = i - 1
            if k >= 0 and after[k] == " " and upper[k]:
                j = k
                while j - 1 >= 0 and k - j + 1 < 3 and s.joined(j - 1) and upper[j - 1]:
                    j -= 1
                spans.append((j, k))
        for j, k in spans:
            start, end = s.starts[j], s.ends[k]
            if any(m.start < end and start < m.end for m in taken):
                continue
            key = " ".join(keys[j : k + 1])
            surface = doc.text[start:end]
            if any(w in persons or w in lex.never_places for w in keys[j : k + 1]):
                continue
            if (surface.isupper() and len(surface) <= 3) or (j == k and zipf_frequency(surface, doc.lang) >= COMMON_WORD_ZIPF):
                continue
            taken.append(Mention(start=start, end=end, text=surface, key=key, sentence=s.index,
                                 candidates=self._usable(doc, s, j, k, self._candidates(doc, key))))
            yield taken[-1]

    def _longest_match(self, doc: Document, lex: lexicon.Lexicon, s: _Words, i: int):
        """(word count, candidates) of the longest gazetteer name starting at word ``i``."""
        keys = s.keys
        for j in s.name_ends[i]:
            key = " ".join(keys[i : j + 1])
            found = self._candidates(doc, key)
            if not found and j > i and self._arabic_article(s, i):
                found = self._candidates(doc, key.partition(" ")[2])  # 'Al-Bayaa' as 'Bayaa'
            if not found:  # an inflected name: 'в Харькове', 'w Charkowie', 'وبيروت'
                head = " ".join(keys[i:j])
                for form in lex.base_forms(keys[j]):
                    found = self._candidates(doc, f"{head} {form}" if head else form)
                    if found:
                        break
            candidates = self._usable(doc, s, i, j, found)
            if candidates:
                return j - i + 1, candidates
        return None

    @staticmethod
    def _arabic_article(s: _Words, i: int) -> bool:
        """'Al-Bayaa', 'al-Latmana', 'El Fasher' (not 'AS' or 'At')."""
        key = s.keys[i]
        if key not in ARABIC_ARTICLES or s.surfaces[i].isupper():
            return False
        return s.after[i] in ("-", "‐") or key in ("al", "el")

    @staticmethod
    def _usable(doc: Document, s: _Words, i: int, j: int, candidates) -> tuple[Candidate, ...]:
        if not candidates:
            return ()
        start, end = s.starts[i], s.ends[j]
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
        area = any(_is_area_like(c) for c in candidates)
        key = " ".join(s.keys[i : i + n])
        if i in title_ends and not area:
            return "person"
        if n == 1 and not area:
            if s.keys[i] in persons or self._looks_like_given_name(doc, s, i):
                return "person"
        if key in lex.never_places and not any(c.name_kind in ("abbrev", "demonym") for c in candidates):
            return "word"
        nxt = i + n
        if nxt < len(s.keys) and s.keys[nxt] in lex.eponym_heads and s.after[nxt - 1] == " ":
            return "word"  # 'Marburg virus', 'Lassa fever': named after the place, not the place
        start = s.starts[i]
        surface = doc.text[start : s.ends[i + n - 1]]
        only_alternate = all(c.name_kind == "alternate" for c in candidates)
        zipf = zipf_frequency(surface, doc.lang)
        majors = [c for c in candidates if _is_major(c)]
        if majors and n == 1 and zipf >= VERY_COMMON_ZIPF and all(
            c.name_kind == "alternate" and not c.place.feature_code.startswith(_MAJOR_CODES) for c in majors
        ):
            return "word"  # 'Media' is not Médéa: a very common word, only another name of a town
        if majors:
            towns = [c for c in candidates if c.place.feature_class == "P" and _is_major(c)]
            if only_alternate and not area and not towns and n == 1 and zipf >= COMMON_WORD_ZIPF:
                return "word"  # a common word that is only another name of a division
            if s.headline and n == 1 and zipf >= 4.5 and all(c.place.feature_class == "P" for c in candidates):
                return "word"  # in a title-case headline a capital says nothing: 'Man', 'Mobile'
            return "place"
        limit = ALTERNATE_WORD_ZIPF if only_alternate else COMMON_WORD_ZIPF
        if n == 1 and zipf >= limit:
            return "word"  # (wordfreq's figure for a phrase says little: 'Madison County')
        if n == 1 and start == doc.sentences[doc.sentence_at(start)].start:
            # Sentence-initial capitals say nothing; a word frequent in English (the
            # language of most page chrome and loanwords) is read as a word there.
            if zipf_frequency(surface, "en") >= COMMON_WORD_ZIPF:
                return "word"
        return "place"

    def _looks_like_given_name(self, doc: Document, s: _Words, i: int) -> bool:
        """A one-word town name followed by a capitalised, non-place, uncommon word.

        Only towns: a division's name before a capitalised word is an organisation
        ('Ohio Senate', 'Texas Alcoholic Beverage Commission'), not a person; and the
        larger the town, the rarer the next word must be ('Dublin Coffman' is a school).
        """
        if i + 1 >= len(s.keys) or s.after[i] != " ":
            return False
        nxt, nxt_key = s.surfaces[i + 1], s.keys[i + 1]
        if not s.upper[i + 1] or not nxt[1:].islower():
            return False
        if self._candidates(doc, nxt_key) or lexicon.get(doc.lang).titles.starting(nxt_key):
            return False  # 'Fargo Mayor ...'
        if i + 2 < len(s.keys) and s.after[i + 1] == " " and s.upper[i + 2]:
            return False  # a longer capitalised run names an organisation: 'Dublin Veterinary Clinic'
        towns = [c for c in self._candidates(doc, s.keys[i]) if c.place.feature_class == "P"]
        if not towns or len(towns) < len(self._candidates(doc, s.keys[i])):
            return False
        limit = SURNAME_MAX_ZIPF if max(c.place.population for c in towns) < 1_000_000 else 4.0
        return zipf_frequency(nxt, doc.lang) < limit and zipf_frequency(nxt, "en") < SURNAME_MAX_ZIPF

    def _skip_name(self, doc: Document, s: _Words, i: int) -> int:
        """Skip the rest of a person's name: the capitalised words that follow,
        up to a country's name or abbreviation ('... Putin Rusia', 'Menteri AS')."""
        while i < len(s.keys) and s.upper[i]:
            if any(_is_area_like(c) for c in self._candidates(doc, s.keys[i])):
                break
            i += 1
        return i


def _name_ends(s: _Words, i: int) -> list[int]:
    """The words at which a name beginning at word ``i`` may end, the farthest first: up to
    MAX_WORDS joined words, ending in a capitalised word or a number ('Checkpoint Tegh-7')."""
    last = i
    while last + 1 < len(s.keys) and last - i + 1 < MAX_WORDS and s.joined(last):
        last += 1
    return [j for j in range(last, i - 1, -1) if s.capital[j] or (j > i and s.surfaces[j].isdigit())]


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
