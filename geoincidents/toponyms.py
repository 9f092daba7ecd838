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

import math
from collections.abc import Container
from dataclasses import replace
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, itemgetter, not_
from typing import NamedTuple

from ._zipf import zipf_frequency as _wordfreq_zipf  # wordfreq's figures, without loading wordfreq

from . import _keyfilter, lexicon
from .gazetteer import AREA_CODES, Gazetteer, is_area, merged_candidates
from .names import ARABIC_ARTICLES, fold, tokens
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
_APOSTROPHES = frozenset({"'", "’", "ʼ", "‘", "ʻ", "ʿ"})
_AYN = frozenset({"‘", "ʿ", "ʻ"})  # the ayn of a romanised Arabic name ('‘Ibta', 'Dahret ‘Abd Rubo')
# what joins the words of one name: 'Nagorno-Karabakh', 'Ma’an', 'Al-‘Arfi'
_JOINS = {" ", "-", "‐"} | _APOSTROPHES | {"-" + a for a in _APOSTROPHES}
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


_FIRST = itemgetter(0)
_CAPITAL = _ByWord(_capitalised)
_UPPER = _ByWord(_upper)
_LONG = _ByWord(_long_word)


def _is_major(c: Candidate) -> bool:
    """Countries, regions, first-level divisions, capitals and large towns.

    A town's other names count only when it is large: exonyms and other scripts
    ('Херсон', 'Moskow') are alternate names in GeoNames, and so is much noise.
    """
    p = c.place
    if c.name_kind == "alternate" and not p.feature_code.startswith(_MAJOR_CODES):
        return p.population >= MAJOR_POPULATION_BY_ALTERNATE
    return _is_large(p)


def _is_large(p) -> bool:
    """A place that its own name makes major (_is_major): a country, region, first-level division,
    capital or large town."""
    return p.feature_code.startswith(_MAJOR_CODES) or p.population >= MAJOR_POPULATION


def _is_area_like(c: Candidate) -> bool:
    """Countries, regions and continents are never given names of people."""
    return is_area(c.place)


_PLACE = attrgetter("place")
_NAME_KIND = attrgetter("name_kind")
_CHECKED_KINDS = frozenset({"abbrev", "demonym"})  # the names Recognizer._usable reads more of


def _any_area(candidates) -> bool:
    """any(_is_area_like(c) for c in candidates), without a call of it for each."""
    return any(map(is_area, map(_PLACE, candidates)))


class _Traits(dict):
    """id(candidates) -> (candidates, whether any is an area, whether any is major, whether all
    are alternate names), for the candidate tuples met: the recogniser judges the same tuples
    (those it keeps of the gazetteer's answers) at many mentions. Each entry holds its tuple,
    so no other tuple can take its id while the entry is kept."""

    LIMIT = 100_000

    def of(self, candidates: tuple[Candidate, ...]) -> tuple[bool, bool, bool]:
        found = self.get(id(candidates))
        if found is None:
            if len(self) >= self.LIMIT:
                self.clear()
            found = self[id(candidates)] = (candidates, _any_area(candidates), any(map(_is_major, candidates)),
                                            all(c.name_kind == "alternate" for c in candidates))
        return found[1:]


_TRAITS = _Traits()


class _Words(NamedTuple):
    """One sentence's words, as parallel lists (word ``i`` is item ``i`` of each), and what
    the recogniser reads of them more than once. Most words are lower case and no name
    begins there: the recogniser walks ``capitals``, not every word."""

    index: int  # of the sentence in the document
    base: int  # the sentence's offset in the document
    local_starts: list[int]  # offsets in the sentence (base + local_starts[i]: in the document)
    local_ends: list[int]
    surfaces: list[str]  # as written
    keys: list[str]  # folded
    after: list[str]  # the text between each word and the next (after the last: to the sentence's end)
    capital: list[bool]  # whether each word is capitalised (_capitalised)
    upper: list[bool]  # whether each word begins with an upper-case letter
    capitals: list[int]  # indices of the capitalised words
    titles: list[tuple[int, lexicon.Cue]]  # (word index, cue) of the titles of people ('Mr', 'Presiden')
    headline: bool  # title case: capitals say nothing
    name_ends: dict[int, list[int]]  # capitalised word -> where a name beginning there may end (_name_ends)
    joins: list[bool]  # whether each word and the next may belong to one name (_joins)

    def joined(self, k: int) -> bool:
        """Words ``k`` and ``k + 1`` may belong to one name: 'Nagorno-Karabakh', 'U.S.', 'W. Va.',
        'Sault Ste. Marie'."""
        return self.joins[k]

    def start(self, i: int) -> int:
        """Word ``i``'s start in the document."""
        return self.base + self.local_starts[i]

    def end(self, i: int) -> int:
        """Word ``i``'s end in the document."""
        return self.base + self.local_ends[i]


_STOPS = frozenset({".", ". "})


def _joins(surfaces: list[str], keys: list[str], after: list[str], upper: list[bool],
           short_words: Container[str]) -> list[bool]:
    """_Words.joins: a gap that joins words of a name (_JOINS), or a full stop after a short
    capitalised word or an abbreviation of the language, one of ``short_words`` (Lexicon.long_forms:
    'U.S.', 'W. Va.', 'Sault Ste. Marie')."""
    joins = list(map(_JOINS.__contains__, after))
    for k in compress(range(len(after)), map(_STOPS.__contains__, after)):  # (few words end in a stop)
        a = surfaces[k]
        joins[k] = upper[k] and (len(a) <= 2 or keys[k] in short_words)
    return joins


HEADLINE_WORD_ZIPF = 3.0  # a word this frequent in the language tells a headline; a rarer one is a name
HEADLINE_WORDS = 6  # long words in a headline, at least
# so a headline has this many upper-case words at least (5): most sentences are ruled out by it alone
_HEADLINE_UPPER = math.ceil(HEADLINE_WORDS * TITLE_CASE_SHARE)


def _title_case(surfaces: list[str], upper: list[bool], lang: str | None = None) -> bool:
    """Six long words or more, three in four of them upper case. With the document's ``lang``,
    the share is read among the words of the language after the first: names are capitalised in
    any sentence ('Shells fell on Aleppo, Zubrahin and Kaftorra on Monday' is no headline)."""
    if sum(upper) < _HEADLINE_UPPER:  # (most sentences) too few upper-case words for the rule below
        return False
    long_words = list(map(_LONG.__getitem__, surfaces))
    count = sum(long_words)
    if count < HEADLINE_WORDS:
        return False
    if sum(compress(upper, long_words)) / count < TITLE_CASE_SHARE:
        return False
    if lang is None:
        return True
    long_words = [k > 0 and long and zipf_frequency(w, lang) >= HEADLINE_WORD_ZIPF
                  for k, (w, long) in enumerate(zip(surfaces, long_words))]
    count = sum(long_words)
    return bool(count) and sum(compress(upper, long_words)) / count >= TITLE_CASE_SHARE


def frequent_word_first(candidates, zipf: float, area: bool, only_alternate: bool) -> bool:
    """Is a one-word name with a major place among ``candidates`` (_TRAITS: ``area``,
    ``only_alternate``) a word of its language first, by its frequency ``zipf``? A very common
    word that is only another name of large towns ('Media' is not Médéa), or a common word that is
    only another name of a division with no major town. (A language whose such words are all in
    never_places, lexicon common_words_listed, does not ask: 'غزة' is Gaza.)"""
    if zipf >= VERY_COMMON_ZIPF and all(
        c.name_kind == "alternate" and not c.place.feature_code.startswith(_MAJOR_CODES)
        for c in candidates if _is_major(c)
    ):
        return True
    return only_alternate and not area and zipf >= COMMON_WORD_ZIPF and not any(
        c.place.feature_class == "P" and _is_major(c) for c in candidates)


class Recognizer:
    """Finds toponym mentions; one instance per gazetteer, reusable across documents."""

    CACHE_SIZE = 100_000
    # A run that asks this many keys is a batch: worth making the key filter (~1.5 s, once per
    # gazetteer file) that later runs read in milliseconds; a smaller run only uses one made before.
    MAKE_FILTER_AFTER = 20_000

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._cache: dict[tuple[str, str], tuple[Candidate, ...]] = {}  # of keys as they are
        self._merged: dict[tuple[str, str], tuple[Candidate, ...]] = {}  # of keys with their variants (_candidates)
        self._filter: _keyfilter.KeyFilter | None | bool = False  # (False: not looked for yet)
        self._asked = 0  # keys asked of the gazetteer without a filter
        self._make_tried = False

    def _key_filter(self) -> _keyfilter.KeyFilter | None:
        """The keys the gazetteer surely does not know (geoincidents._keyfilter); None: ask all."""
        if self._filter is False:
            self._filter = _keyfilter.for_gazetteer(self.gazetteer, make=False)
        elif self._filter is None and not self._make_tried and self._asked >= self.MAKE_FILTER_AFTER:
            self._make_tried = True
            self._filter = _keyfilter.for_gazetteer(self.gazetteer, make=True)
        return self._filter

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
            if (known or extra) and len(s.capitals) > 2 and not s.headline:
                extra.extend(self._listed_unknown(doc, lex, s, persons, known + extra))
            found.extend(sorted(known + extra, key=lambda m: m.start) if extra else known)
        return tuple(found)

    @staticmethod
    def _words(lex: lexicon.Lexicon, index: int, sentence: Sentence) -> _Words:
        t = tokens(sentence.text)
        n = len(t.surfaces)
        surfaces, keys = t.surfaces, t.keys
        if sentence.text.isascii():  # an ASCII word is capitalised when it begins in upper case: one list
            capital = upper = list(map(str.isupper, map(_FIRST, surfaces)))  # (in C: no look-up, no call per new word)
        else:
            capital = list(map(_CAPITAL.__getitem__, surfaces))
            upper = list(map(_UPPER.__getitem__, surfaces))
        after = t.gaps[1:]
        joins = _joins(surfaces, keys, after, upper, lex.long_forms)
        s = _Words(
            index=index,
            base=sentence.start,
            local_starts=t.starts,
            local_ends=t.ends,
            surfaces=surfaces,
            keys=keys,
            after=after,
            capital=capital,
            upper=upper,
            capitals=list(compress(range(n), capital)),
            titles=[(i, c) for i, c in lex.titles.find(keys) if upper[i] or keys[i] not in lex.capitalised_titles],
            headline=_title_case(surfaces, upper, lex.lang),
            name_ends={},  # (filled below: _name_ends reads the other fields)
            joins=joins,
        )
        s.name_ends.update(_name_ends(s, lex.apostrophe_suffixes))
        return s

    def _candidates(self, doc: Document, key: str) -> tuple[Candidate, ...]:
        """The gazetteer's candidates of a name's key, and of the other ways the language writes
        it (Lexicon.name_variants: 'mt pleasant' also as 'mount pleasant'; Lexicon.bare_name:
        'dublin city' as 'dublin' when no entry bears the whole name; the towns of the name without
        a town tail of data/place_cues.toml when no town bears the whole name), remembered."""
        found = self._merged.get((key, doc.lang))  # (a text asks about the same names often)
        if found is not None:
            return found
        lex = lexicon.get(doc.lang)
        variants = lex.name_variants(key)
        bare = lex.bare_name(key)
        found = self._looked_up(doc, key)
        if variants:
            found = merged_candidates(found, *(self._looked_up(doc, v) for v in variants))
        if not found and bare:
            found = self._candidates(doc, bare)
        head, _, last = key.rpartition(" ")
        if found and head and last in lexicon.place_cue_words(doc.lang, "town_tails") and not any(
                c.place.feature_class == "P" and c.name_kind != "alternate" for c in found):
            # 'Dublin City Council': the entries named 'Dublin City' (Dublin's county, Ireland's capital
            # by another name) are not all the towns the name may mean: Dublin, Ohio
            found = merged_candidates(found, tuple(c for c in self._looked_up(doc, head) if c.place.feature_class == "P"))
        if len(self._merged) >= self.CACHE_SIZE:
            self._merged.clear()
        self._merged[(key, doc.lang)] = found
        return found

    def _looked_up(self, doc: Document, key: str) -> tuple[Candidate, ...]:
        """The gazetteer's candidates of ``key`` as it is, remembered: a text asks for the same words often."""
        found = self._cache.get((key, doc.lang))
        if found is None:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            known = self._key_filter()
            if known is not None and not known.known([key])[0]:
                found = self._cache[(key, doc.lang)] = ()  # no name of the gazetteer's
            else:
                found = self._cache[(key, doc.lang)] = self.gazetteer.candidates(key, doc.lang)
        return found

    def _prefetch(self, doc: Document, sentences: list[_Words]) -> None:
        """Ask the gazetteer at once about every name the document's capitalised words may
        begin (most name nothing): one batch of queries instead of one query for each. A key it
        lacks that has no other way of being written (no word of Lexicon.variant_words) names
        nothing: that is remembered as _candidates' answer too, which most keys asked get so."""
        lex = lexicon.get(doc.lang)
        marks = lex.variant_words
        wanted: set[str] = set()
        marked: set[str] = set()  # the keys of sentences with a word that marks other ways of writing a name
        for s in sentences:
            keys = s.keys
            found = {" ".join(keys[i : j + 1]) for i, ends in s.name_ends.items() for j in ends}
            wanted |= found
            if marks and not marks.isdisjoint(keys):
                marked |= found
        plain = wanted - marked  # keys with no other way of being written
        if marked:  # the other ways of writing them (_candidates); no other key has one
            more = set()
            for key in marked:
                more.update(lex.name_variants(key))
                bare = lex.bare_name(key)
                if bare:
                    more.add(bare)
                    more.update(lex.name_variants(bare))
            wanted |= more
        todo = [key for key in wanted if (key, doc.lang) not in self._cache]
        if not todo:
            return
        if len(self._cache) + len(todo) > self.CACHE_SIZE:
            self._cache.clear()
        known = self._key_filter()
        if known is not None:  # most keys are no name: those the gazetteer surely lacks are not asked
            flags = known.known(todo)
            lacked = list(compress(todo, map(not_, flags)))
            for key in lacked:
                self._cache[(key, doc.lang)] = ()
            self._name_nothing(doc.lang, plain.intersection(lacked))
            todo = list(compress(todo, flags))
            if not todo:
                return
        else:
            self._asked += len(todo)
        found = self.gazetteer.candidates_many(todo, doc.lang)
        for key, candidates in found.items():
            self._cache[(key, doc.lang)] = candidates
        self._name_nothing(doc.lang, [key for key, candidates in found.items() if not candidates and key in plain])

    def _name_nothing(self, lang: str, keys) -> None:
        """Remember that ``keys``, which the gazetteer lacks and which have no other way of being
        written, name nothing: what _candidates would find for each."""
        if len(self._merged) + len(keys) > self.CACHE_SIZE:
            self._merged.clear()
        self._merged.update(dict.fromkeys(zip(keys, repeat(lang)), ()))

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
        given_names = lexicon.given_names()
        for i, cue in s.titles:
            j = i + len(cue.words)
            while j < n and upper[j] and s.joined(j - 1):
                if not _any_area(self._candidates(doc, keys[j])):
                    out.add(keys[j])
                j += 1
        for i in s.capitals:  # the pairs of words a, b = i - 1, i both beginning in upper case
            if i == 0 or not (upper[i - 1] and upper[i]) or after[i - 1] != " ":
                continue
            a, b = surfaces[i - 1], surfaces[i]
            a_key, b_key = keys[i - 1], keys[i]
            given = a_key in given_names and a_key not in lex.locative  # not 'In' of 'In Paris'
            if (i - 1 == 0 and not given) or (i >= 2 and upper[i - 2] and after[i - 2] == " "):
                continue  # sentence-initial capitals and longer runs say less
            if len(a) < 2 or not a[1:].islower() or not b[1:].isalpha():
                continue
            if i + 1 < n and after[i] == " " and upper[i + 1]:
                continue  # three capitalised words in a row: more often an organisation
            if lex.titles.starting(b_key) or _one_word(lex.name_tails.starting(b_key)):
                continue  # 'Bürgermeister X'; 'Каховской ГЭС' is no given name and surname
            if not given and b_key not in lexicon.surnames() and (
                b_key in lexicon.place_cue_words(lex.lang, "landmark_heads")
                or _one_word(lex.settlement_after.starting(b_key))
            ):
                continue  # 'Minyan Suburb', 'Ghausia Chowk' (but 'John Hill', 'Kevin Camp', 'Glen Crossing')
            if self._candidates(doc, a_key + " " + b_key) or a_key in lex.never_places:
                continue
            if any(_is_area_like(c) or c.place.feature_code.startswith("ADM1") for c in self._candidates(doc, b_key)):
                continue
            if given:
                # 'David Taylor', 'Mary Welch'; but 'Alexandria Police', 'Paris Herald': a
                # town's name before a common word is an organisation
                if b_key in lexicon.surnames() or (
                    not _TRAITS.of(self._candidates(doc, a_key))[1]  # (no major place)
                    and zipf_frequency(b, doc.lang) < 5.0
                    and zipf_frequency(b, "en") < 5.0
                ):
                    out.update((a_key, b_key))
                continue
            if _TRAITS.of(self._candidates(doc, b_key))[1]:  # a major place
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
        placed_to = 0  # the word after the last place found
        apart_tails, nature_tails, near_tails = _apart_words(lex.lang)
        tails = _last_words(lex.lang)
        streets = _street_words(lex.lang)
        for i in s.capitals:
            if i < resume or i in title_words:
                continue
            if streets.heads and _street_of(s, streets, i):  # 'Rue' of 'Rue de Rivoli': read with the name after it
                continue
            if lex.lowercase_name_words and len(keys[i]) == 1 and s.after[i] in _APOSTROPHES and i + 1 < len(keys) \
                    and s.upper[i + 1] and self._lowercase_name(doc, s, i + 1):
                continue  # "L'Union européenne": the elided article is not the name's (L'Union, a French town)
            match = self._longest_match(doc, lex, s, i)
            if match is None:
                continue
            n, candidates = match
            verdict = self._judge(doc, lex, s, i, n, candidates, title_ends, persons)
            if verdict == "place" and n == 1 and keys[i] in tails and i > 0 and s.after[i - 1] == " " \
                    and s.upper[i - 1] and zipf_frequency(keys[i - 1], lex.lang) < FUNCTION_WORD_ZIPF:
                # the last word of a longer name: 'Prince Edward Island', 'Fire Island' (not Iceland);
                # 'the Manila Cathedral' after the place found: its name says where it is
                if i - 1 >= placed_to:
                    yield self._longer_name(doc, lex, s, i)
                    placed_to = i + 1
                resume = i + 1
                continue
            if verdict == "place":
                last = i + n - 1
                tail = keys[last + 1] if last + 1 < len(keys) and s.after[last] == " " and s.upper[last + 1] \
                    and not s.headline and keys[last] not in lex.admin_nouns else ""
                if tail in apart_tails or tail in nature_tails or tail in near_tails:
                    # 'Hampton Avenue', 'Plum Island': named after a place, not in it; the gazetteer did
                    # not know the longer name (it was asked first): placed as the resolver places an
                    # unknown name, at the place its sentence names. But a natural feature named after a
                    # country, division or city lies in or by it ('Delaware Bay', 'Panama Canal', 'Manila
                    # Bay'), and a road or park by its namesake town ('Morecambe Road', 'Donington Park').
                    last += 1
                    if tail in apart_tails or tail in nature_tails and not any(map(_is_major, candidates)):
                        candidates = self._usable(doc, s, i, last, self._candidates(doc, " ".join(keys[i : last + 1])))
                first = i
                head = _street_head(s, streets, i) if streets.heads else None
                if head is not None and head >= placed_to and not _streets_of_town(s, streets, head, candidates):
                    # 'rue de Rivoli', 'улица Ленина': a street named after a place, not in it; placed as
                    # 'Hampton Avenue' is, where the gazetteer puts the street, else as an unknown name
                    first = head
                    candidates = self._usable(doc, s, first, last, self._candidates(doc, " ".join(keys[first : last + 1])))
                start = s.start(first)
                end = _abbreviation_end(doc, start, s.end(last), candidates)
                if end != s.end(last):  # written as an abbreviation: only its places
                    candidates = _abbreviated(candidates)
                yield Mention(
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                    key=" ".join(keys[first : last + 1]),
                    sentence=s.index,
                    candidates=candidates,
                )
                resume = placed_to = last + 1
            elif verdict == "person":
                resume = self._skip_name(doc, s, i + n)
            else:
                resume = i + n

    def _longer_name(self, doc: Document, lex: lexicon.Lexicon, s: _Words, i: int) -> Mention:
        """The name that word ``i`` ends, a name's last word ('Island', 'Cathedral') after
        capitalised words: the longest one the gazetteer knows ('Prince Edward Island'), else
        the capitalised words before it (_run), unknown ('Fire Island')."""
        keys = s.keys
        first = _run(s, lex, i - 1, -1)
        candidates: tuple[Candidate, ...] = ()
        for j in range(max(0, i - MAX_WORDS + 1), i):
            if all(s.upper[j:i]) and all(map(s.joined, range(j, i))):
                candidates = self._usable(doc, s, j, i, self._candidates(doc, " ".join(keys[j : i + 1])))
                if candidates:
                    first = j
                    break
        start, end = s.start(first), s.end(i)
        return Mention(start=start, end=end, text=doc.text[start:end], key=" ".join(keys[first : i + 1]),
                       sentence=s.index, candidates=candidates)

    def _settlements(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str],
                     known: list[Mention]):
        """Names that a settlement noun introduces ('the village of Abu Al-Shamat', 'desa
        Sukamaju', 'Yeşilköy köyü', 'Zarmat district') or a name head begins ('Mount
        Tumatangis', 'Jabal Tar'), and the names listed with them ('the villages of A, B and
        C', 'Jumla and Diwan villages'), when not found otherwise: with their gazetteer
        candidates when there are any (the noun vouches for a name otherwise read as a word),
        else with none: the resolver places such a name at the place its sentence names. A name
        head the gazetteer knows on its own ('Wadi') is taken out of ``known``."""
        if not s.capitals:
            return  # no name to introduce
        n = len(s.keys)
        streets = _street_words(lex.lang)
        keys, upper, after = s.keys, s.upper, s.after
        # (first, last word of the mention, first, last word of the name in it, how it is vouched
        # for: BEFORE 'the village of X', AFTER 'X district', HEAD 'Mount X')
        spans: list[tuple[int, int, int, int, int]] = []
        for i, cue in lex.settlement_before.find(keys):
            # a cue ending in an elided article joins its name: "la commune d'Ouahigouya"
            j = _name_start(s, i + len(cue.words), joined=len(cue.words[-1]) == 1)
            if j is not None:
                k = _run(s, lex, j, 1)
                # 'на улице Садовой': the street's name, with its word; not 'на улицы Новосибирска' (the streets of)
                street = bool(streets.heads) and _street_head(s, streets, j) == i and not _streets_of_town(
                    s, streets, i, self._candidates(doc, " ".join(keys[j : k + 1])))
                spans.append((i if street else j, k, j, k, _BEFORE))
                items = _listed(s, lex, j, k, 1) or [
                    (a, b) for a, b in _listed(s, lex, j, k, 1, open_end=True)
                    if _unknown_name(s, lex, a, b) or self._candidates(doc, " ".join(keys[a : b + 1]))]
                spans.extend((a, b, a, b, _BEFORE) for a, b in items)
        if not s.headline:  # in a title-case headline capitals say nothing
            nouns = _after_cues(lex, keys)
            for i, cue in nouns:
                k = i - 1
                if k < 0 or not (upper[k] or _word_rest(s, k, lex.apostrophe_suffixes)) or after[k].strip():
                    continue
                j = _titled(s, lex, _run(s, lex, k, -1))
                e = i + len(cue.words) - 1
                if not all(upper[i : e + 1]):
                    if cue.label == "tail":
                        continue
                    e = k  # 'Zarmat district'; 'Jobar District' is a name as a whole
                elif e + 1 < n and upper[e + 1] and s.joined(e):
                    continue  # a longer name: 'Inter-State River Water Disputes Act'
                if j > 0 and upper[j - 1] and s.joined(j - 1) and (e > k or k - j + 1 >= _RUN_WORDS) and not (
                    j == 1 and _event_or_actor(lex, keys[0])
                ):
                    continue  # ... or too long a name to be a place's: 'North Summit School District'
                spans.append((j, e, j, k, _AFTER))
                spans.extend((a, b, a, b, _AFTER) for a, b in _listed(s, lex, j, k, -1))
            for i, cue in lex.name_heads.find(keys):
                e = i + len(cue.words)
                # (capital, not upper: a script without case has heads too: 'جبل الزاوية')
                if all(s.capital[i:e]) and (j := _name_start(s, e, joined=True)) is not None:
                    k = _run(s, lex, j, 1)
                    spans.append((i, k, j, k, _HEAD))
            spans.extend(_landmarks(s, lex))
            spans.extend(_called(s, lex))
            spans.extend(self._included(doc, lex, s))
            spans.extend(self._apposed_list(doc, lex, s, persons))
            spans.extend(self._apposed(doc, lex, s, known, {i + len(c.words) - 1 for i, c in nouns if c.label != "tail"}))
            spans.extend(_listed_with_known(lex, s, known))
        if not spans:
            return
        taken = list(known)
        given = lexicon.given_names()
        for first, last, j, k, vouched in spans:
            start, end = s.start(first), s.end(last)
            clash = [m for m in taken if m.start < end and start < m.end]
            if clash:
                head_end = s.end(j - 1) if j > first else -1
                if vouched != _HEAD or any(m not in known or (m.start, m.end) != (start, head_end) for m in clash):
                    continue
                for m in clash:  # the head alone is no place here: 'Wadi' of 'Wadi Zerqa Dam'
                    known.remove(m)
                    taken.remove(m)
            name = keys[j : k + 1]
            if (" ".join(name) in lex.never_places or all(w in lex.never_places for w in name)) and not (
                vouched == _BEFORE and self._candidates(doc, " ".join(name))
            ):
                continue  # 'the West district'; but 'North Phyongan province', 'the town of Man'
            if vouched == _AFTER:
                if name[0] in persons if j == k else name[0] in given and after[j] == " " and all(w in persons for w in name):
                    continue  # a person's: 'the Clinton camp', 'the Hillary Clinton camp'
                if any(w in persons for w in keys[k + 1 : last + 1]):
                    continue  # a surname: 'Juantissa Hill'
            surface = doc.text[s.start(j) : s.end(k)]
            if surface.isupper() and len(surface) <= 3 and surface.isalpha():
                continue  # an acronym (not a code: 'T-3 Airport')
            key = " ".join(keys[first : last + 1])
            candidates = self._usable(doc, s, first, last, self._candidates(doc, key))
            if not candidates and (first, last) != (j, k):
                candidates = self._usable(doc, s, j, k, self._candidates(doc, " ".join(name)))
            if candidates and vouched == _BEFORE and first < j and streets.heads and _street_head(s, streets, j) == first:
                candidates = ()  # 'на улице Ленина': the street's name, not its namesake's (Lenina, a village)
            if vouched == _AFTER and candidates and all(c.name_kind == "demonym" for c in candidates):
                continue  # 'Syrian villages'
            if j == k and not _vouched_word(vouched, candidates) and zipf_frequency(surface, doc.lang) >= COMMON_WORD_ZIPF:
                continue  # a word; but 'the town of Hit' is a town the gazetteer knows
            taken.append(Mention(start=start, end=end, text=doc.text[start:end], key=key, sentence=s.index,
                                 candidates=candidates))
            yield taken[-1]

    def _listed_unknown(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str],
                        mentions: list[Mention]):
        """Names listed with a place found in the sentence ('Sawran, Ma’ardes and Kafr Zita'; 'Walungu,
        Nyabuluze and Muhungu'), when every other name of the list is no word of the language
        (toponyms._unknown_name) nor a person's: one common or known word in it ('Paris,
        Kowalczyk and Smith') makes it a list of something else. Read again from the names found,
        once: a list may run on from them."""
        if not lex.connectors.find(s.keys):
            return  # no list without a connector (_listed)
        word_at = {s.base + start: k for k, start in enumerate(s.local_starts)}
        end_at = {s.base + end: k for k, end in enumerate(s.local_ends)}
        taken = {k for m in mentions for k in range(word_at.get(m.start, -1), end_at.get(m.end, -2) + 1)}
        anchors = [(word_at[m.start], end_at[m.end]) for m in mentions
                   if m.start in word_at and m.end in end_at and not (m.candidates and all(
                       c.name_kind == "demonym" for c in m.candidates))]
        for _ in range(2):
            new: list[tuple[int, int]] = []
            for j, k in anchors:
                for step in (1, -1):
                    items = [(a, b) for a, b in _listed(s, lex, j, k, step) if a not in taken]
                    if not items or not all(
                        _unknown_name(s, lex, a, b) and not taken.intersection(range(a, b + 1))
                        and not any(w in persons for w in s.keys[a : b + 1]) for a, b in items
                    ):
                        continue
                    for a, b in items:
                        taken.update(range(a, b + 1))
                        new.append((a, b))
            for a, b in new:
                start, end = s.start(a), s.end(b)
                key = " ".join(s.keys[a : b + 1])
                yield Mention(start=start, end=end, text=doc.text[start:end], key=key, sentence=s.index,
                              candidates=self._usable(doc, s, a, b, self._candidates(doc, key)))
            if not new:
                break
            anchors = new

    def _included(self, doc: Document, lex: lexicon.Lexicon, s: _Words):
        """Names that a list word (data/place_cues.toml list_openers) introduces after settlement
        or landmark nouns ('three villages near Walungu, including Nyabuluze, Muhungu and
        Dhihamba'; 'the rivers, including the Buriganga and Turag'): each of the list a name no
        word of the language (_unknown_name) or the gazetteer's."""
        keys, n = s.keys, len(s.keys)
        openers = lexicon.place_cue_words(lex.lang, "list_openers")
        if openers.isdisjoint(s.keys):
            return
        heads = lexicon.place_cue_words(lex.lang, "landmark_heads")
        for i in range(1, n - 1):
            if keys[i] not in openers or s.upper[i]:
                continue
            if not any(not s.upper[m] and (keys[m] in heads or _one_word(lex.settlement_after.starting(keys[m])))
                       for m in range(max(0, i - 6), i)):
                continue  # no settlement noun before: 'foods including Tabasco'
            first = i + 1
            if keys[first] == "the" and first + 1 < n and s.after[first] == " ":
                first += 1
            j = _name_start(s, first)
            if j is None or not s.upper[j] and keys[j] not in ARABIC_ARTICLES:
                continue
            k = _run(s, lex, j, 1)
            items = [(j, k)] + _listed(s, lex, j, k, 1)
            if all(_unknown_name(s, lex, a, b) or self._candidates(doc, " ".join(keys[a : b + 1])) for a, b in items):
                yield from ((a, b, a, b, _BEFORE) for a, b in items)

    def _apposed_list(self, doc: Document, lex: lexicon.Lexicon, s: _Words, persons: set[str]):
        """Names in apposition after a settlement noun, between punctuation ('In another Harare
        township, Mabvuku, army trucks ...'; 'three villages -- Gaya, Fa'a, and Zang -- in ...'):
        each of them a name no word of the language (_unknown_name) or the gazetteer's, one of them
        at least unknown, none a given name and more (a person's); one name alone only after a name
        and its noun ('Harare township')."""
        keys, after, n = s.keys, s.after, len(s.keys)
        given = lexicon.given_names()
        for i in range(1, n - 1):
            if s.upper[i] or after[i].strip() not in _APPOSITION or not _one_word(lex.settlement_after.starting(keys[i])):
                continue
            j = i + 1
            if not s.upper[j]:
                continue
            k = _run(s, lex, j, 1)
            items = [(j, k)] + _listed(s, lex, j, k, 1)
            last = items[-1][1]
            if last + 1 < n and after[last].strip() not in _APPOSITION:
                continue  # not closed: 'in the village, Kowalczyk said'
            if len(items) == 1 and not (s.upper[i - 1] and after[i - 1] == " "):
                continue
            if any(b > a and keys[a] in given or not persons.isdisjoint(keys[a : b + 1]) for a, b in items):
                continue  # a person: 'in the Bihac region, Jesper Helsoe'
            unknown = [_unknown_name(s, lex, a, b) for a, b in items]
            if any(unknown) and all(u or self._candidates(doc, " ".join(keys[a : b + 1]))
                                    for u, (a, b) in zip(unknown, items)):
                yield from ((a, b, a, b, _BEFORE) for a, b in items)

    def _apposed(self, doc: Document, lex: lexicon.Lexicon, s: _Words, known: list[Mention], nouns: set[int]):
        """Names that what follows them after a comma shows to be places: a division or country
        the gazetteer knows, after a locative word ('in Kapedo, Baringo county', 'captured in
        Murphy, North Carolina'); a distance ('Lurgan, 20 miles southwest of Belfast'); a
        settlement noun ('in Highfield, a Harare township', 'Ghasikuwa, a village near ...'),
        one of ``nouns`` (the words where the sentence's settlement nouns end)."""
        keys, upper, after, n = s.keys, s.upper, s.after, len(s.keys)
        areas = None
        for k in s.capitals:
            if after[k] != ", " or k + 1 >= n or not upper[k] or keys[k] in lex.actor_stop:
                continue
            j = _run(s, lex, k, -1)
            if j > 0 and upper[j - 1] and s.joined(j - 1):
                continue  # part of a longer name
            located = j > 0 and not after[j - 1].strip() and _locative(lex, keys[j - 1])
            if located and areas is None:
                areas = {m.start: m for m in known if any(
                    c.name_kind != "demonym" and (_is_area_like(c) or c.place.feature_code.startswith("ADM1"))
                    for c in m.candidates)}
            if located and s.start(k + 1) in areas and _clause_end(
                doc, lex, s, areas[s.start(k + 1)].end
            ):
                yield j, k, j, k, _BEFORE
            elif _distance_at(s, lex, k + 1) or nouns and self._settlement_apposed(s, lex, k + 1, located, nouns):
                yield j, k, j, k, _AFTER

    @staticmethod
    def _settlement_apposed(s: _Words, lex: lexicon.Lexicon, i: int, located: bool, nouns: set[int]) -> bool:
        """Is there a settlement noun among the first words from word ``i`` ('a small town',
        'another city district'), before other punctuation, followed by a word that does not
        make it an attribute ('a village elder'; but 'a village bordering ...', 'a town where ...':
        data/place_cues.toml apposed_after), unless a locative word stood before the name?"""
        keys, n = s.keys, len(s.keys)
        if s.capital[i]:
            return False
        for m in range(i, min(i + _RUN_WORDS, n)):
            if m > i and s.after[m - 1].strip() not in ("", "-"):
                return False
            if m in nouns:
                if m + 1 < n and s.after[m] in _APOSTROPHES:
                    return False  # 'the province's ...'
                if located or m + 1 >= n or s.after[m].strip():
                    return True
                nxt = keys[m + 1]
                return _locative(lex, nxt) or bool(lex.settlement_before.quick().ending_at(keys, m + 1)) \
                    or nxt in lexicon.place_cue_words(lex.lang, "apposed_after")
        return False

    def _longest_match(self, doc: Document, lex: lexicon.Lexicon, s: _Words, i: int):
        """(word count, candidates) of the longest gazetteer name starting at word ``i``."""
        keys = s.keys
        if lex.lowercase_name_words:
            longer = self._lowercase_name(doc, s, i)
            if longer:
                return longer
        inflected = bool(lex.clitics or lex.endings)  # (else no word has base forms)
        for j in s.name_ends[i]:
            key = " ".join(keys[i : j + 1])
            found = self._candidates(doc, key)
            if not found and j > i and self._arabic_article(s, i):
                found = self._candidates(doc, key.partition(" ")[2])  # 'Al-Bayaa' as 'Bayaa'
            if not found and inflected:  # an inflected name: 'в Харькове', 'w Charkowie', 'وبيروت'
                head = " ".join(keys[i:j])
                for form in lex.base_forms(keys[j]):
                    found = self._candidates(doc, f"{head} {form}" if head else form)
                    if found:
                        break
            candidates = self._usable(doc, s, i, j, found) if found else ()
            if candidates:
                return j - i + 1, candidates
        return None

    LOWERCASE_NAME_WORDS = 2  # lower-case words a country's or region's name may run on by

    def _lowercase_name(self, doc: Document, s: _Words, i: int):
        """(word count, candidates) of a country's or region's name that runs on by words in lower
        case ('Arabie saoudite', 'Émirats arabes unis', 'Union européenne', 'Европейский союз'),
        where the language writes them so (lexicon [words] lowercase_name_words); None otherwise."""
        keys, n = s.keys, len(s.keys)
        key, j, found = keys[i], i, None
        while j + 1 < n and j - i < self.LOWERCASE_NAME_WORDS and s.after[j] == " " and not s.upper[j + 1] \
                and self.gazetteer.has_prefix(key):
            j += 1
            key = key + " " + keys[j]
            areas = tuple(c for c in self._candidates(doc, key) if is_area(c.place))
            if areas:
                found = (j - i + 1, areas)
        return found

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
        start, end = s.start(i), s.end(j)
        surface = doc.text[start:end]
        letters = list(filter(str.isalpha, surface))
        upper = all(map(str.isupper, letters))
        if not upper and _CHECKED_KINDS.isdisjoint(map(_NAME_KIND, candidates)):
            return tuple(candidates)  # (most names) no abbreviation, no demonym, no acronym: all usable
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
        area, major, only_alternate = _TRAITS.of(candidates)
        homes = lex.home_countries
        if homes and (only_alternate or major) and doc.text[s.start(i)].isupper() and any(
                c.name_kind == "alternate" and c.place.country_code in homes for c in candidates):
            # 'Torino', 'München', 'Venezia': the language's own name of a town of its country is
            # no exonym but the town's name there, however frequent a word of the language it is
            # (capitalised: in a script without capitals a name is a word too, 'مدينة' city, Medina)
            candidates = tuple(replace(c, name_kind="primary") if c.name_kind == "alternate"
                               and c.place.country_code in homes and _is_large(c.place) else c for c in candidates)
            area, major, only_alternate = _any_area(candidates), any(map(_is_major, candidates)), False
        key = " ".join(s.keys[i : i + n])
        if i in title_ends and not area:
            return "person"
        if n == 1 and not area:
            if s.keys[i] in persons or self._looks_like_given_name(doc, s, i):
                return "person"
        if key in lex.never_places:
            # unless a demonym, or an abbreviation written as one: in capitals ('US') or with its
            # stop ('Churchill, Man.'; 'Man charged' is the word)
            end = s.end(i + n - 1)
            written = doc.text[s.start(i) : end].isupper() or doc.text[end : end + 1] == "."
            if not any(c.name_kind == "demonym" or (written and c.name_kind == "abbrev") for c in candidates):
                return "word"
        nxt = i + n
        if nxt < len(s.keys) and s.keys[nxt] in lex.eponym_heads and s.after[nxt - 1] == " ":
            return "word"  # 'Marburg virus', 'Lassa fever': named after the place, not the place
        start = s.start(i)
        surface = doc.text[start : s.end(i + n - 1)]
        # (wordfreq's figure is read for one word only: for a phrase it says little, 'Madison County')
        zipf = zipf_frequency(surface, doc.lang) if n == 1 else 0.0
        if major:
            if n == 1 and zipf >= FUNCTION_WORD_ZIPF and surface[1:].islower() \
                    and start == doc.sentences[doc.sentence_at(start)].start:
                return "word"  # 'Una bomba...': an article of the language begins the sentence, not Una (India)
            if n == 1 and not lex.common_words_listed and frequent_word_first(candidates, zipf, area, only_alternate):
                return "word"
            if s.headline and n == 1 and zipf >= 4.5 and all(c.place.feature_class == "P" for c in candidates):
                return "word"  # in a title-case headline a capital says nothing: 'Man', 'Mobile'
            return "place"
        limit = ALTERNATE_WORD_ZIPF if only_alternate else COMMON_WORD_ZIPF
        if n == 1 and zipf >= limit:
            if homes and not lex.capitalised_nouns and zipf < VERY_COMMON_ZIPF and i > 0 \
                    and s.keys[i - 1] in lex.locative and s.upper[i] \
                    and any(c.place.country_code in homes and c.place.feature_class in "PA" for c in candidates):
                # 'di dekat Garut': a town of the language's country, capitalised after a locative word (not in
                # German, which capitalises every noun: 'im Hof' is a yard)
                return "place"
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
        up to a country's name or abbreviation ('... Putin Rusia', 'Menteri AS'), or a gap that
        joins no name ('Balad Ruz, Kanaan': a comma ends the name) unless another person's name
        follows it, a given name and more ('Colin Harper, Caroline Pulliam')."""
        given = lexicon.given_names()
        while i < len(s.keys) and s.upper[i]:
            if not s.joined(i - 1) and not (
                s.keys[i] in given and i + 1 < len(s.keys) and s.upper[i + 1] and s.after[i] == " "
            ):
                break
            if _any_area(self._candidates(doc, s.keys[i])):
                break
            i += 1
        return i


_HYPHENS = ("-", "‐")
_APPOSITION = (",", "--", "—", "–")  # the punctuation around a name in apposition (Recognizer._apposed_list)
_BEFORE, _AFTER, _HEAD = range(3)  # what vouches for a name no gazetteer needs to know (_settlements)
_RUN_WORDS = 4  # words of a name that a settlement noun or a name head introduces


def _name_start(s: _Words, j: int, joined: bool = False) -> int | None:
    """Word ``j`` if a name begins there, right after the cue before it (a space between, or
    for ``joined`` as in a name: 'Mt. Elgon', 'Hawsh-Nasri'): a capitalised word, or a
    lower-case Arabic article joined to one ('al-Bayaa'); else None. An ayn written before the
    name stays out of it: 'the town of ‘Ibta'."""
    if j >= len(s.keys):
        return None
    gap = s.after[j - 1]
    if gap.strip() and not (joined and s.joined(j - 1)) and not (gap[:1].isspace() and gap.strip() in _AYN):
        return None
    if s.capital[j]:
        return j
    if s.keys[j] in ARABIC_ARTICLES and j + 1 < len(s.keys) and s.after[j] in _HYPHENS and s.upper[j + 1]:
        return j
    return None


def _run(s: _Words, lex: lexicon.Lexicon, i: int, step: int) -> int:
    """The other end of the name of up to _RUN_WORDS joined capitalised words that word ``i``
    begins (step 1) or ends (step -1); Arabic articles inside ('Tall ad-Dirrah') and before
    ('al-Bayaa') belong to it, weekdays and months ('Khan Touman Monday') do not."""
    keys, upper, n = s.keys, s.upper, len(s.keys)
    if not upper[i] and keys[i] not in ARABIC_ARTICLES and not _word_rest(s, i, lex.apostrophe_suffixes):
        return i  # a script without case: one word
    k = i
    while True:
        m = k + step
        if not 0 <= m < n or abs(m - i) >= _RUN_WORDS or not s.joined(min(k, m)):
            break
        if upper[m] and keys[m] not in lex.actor_stop and keys[m] not in lex.locative and keys[m] not in lex.never_places:
            if step < 0 and (m == 0 and _event_or_actor(lex, keys[0]) or _one_word(lex.titles.starting(keys[m]))):
                break  # a sentence's first word, capitalised as such: 'Patlama Kemeraltı Caddesi'nde'; a title
            if step > 0 and lex.endings and m + 1 < n and s.after[m] == " " and keys[m + 1] in lex.admin_nouns:
                break  # an inflected language's division: 'село Теткино Курской области'
            k = m
        elif _word_rest(s, m, lex.apostrophe_suffixes):
            k = m  # 'Ma’aratah'; backwards: 'Al-Sha’er Gas'
        elif keys[m] in ARABIC_ARTICLES and s.after[m] in _HYPHENS and (step < 0 or m + 1 < n and upper[m + 1]):
            k = m
        else:
            break
    if step < 0 and not upper[k]:
        return k if s.after[k] in _HYPHENS else k + 1
    return k


@lru_cache(maxsize=None)
def _apart_words(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The last words of the names of things named after a place and not in it ('Avenue'), of
    natural features ('Island', 'Bay': by the country, division or large town they name, else apart) and of
    things by their namesakes ('Road', 'Park'), from data/place_cues.toml."""
    return tuple(lexicon.place_cue_words(lang, kind) for kind in ("apart_tails", "nature_tails", "near_tails"))


class _Streets(NamedTuple):
    """A language's street words (data/place_cues.toml street_heads, street_links, street_not_after)."""

    heads: frozenset[str]  # all street words, folded
    abbreviations: frozenset[str]  # those the text writes with a full stop after them ('ул.')
    links: frozenset[str]  # words between the street word and the name ('de', 'd' of "d'Alésia")
    not_after: tuple[tuple[str, ...], ...]  # words before a street word that make it another word
    plurals: frozenset[str]  # street words that are also plurals ('улицы': the streets of)


@lru_cache(maxsize=None)
def _street_words(lang: str) -> _Streets:
    cues = lexicon.place_cues().get(lang, {})
    return _Streets(
        heads=lexicon.place_cue_words(lang, "street_heads"),
        abbreviations=frozenset(fold(w) for w in cues.get("street_heads", ()) if w.endswith(".")),
        links=lexicon.place_cue_words(lang, "street_links"),
        not_after=tuple(tuple(fold(p).split()) for p in cues.get("street_not_after", ())),
        plurals=lexicon.place_cue_words(lang, "street_plurals"),
    )


def _streets_of_town(s: _Words, streets: _Streets, head: int, candidates) -> bool:
    """Is the name after a street word the place's after all: a country or continent ('la place de
    la France en Afrique': France's place; squares named after countries are rarer in news than
    that), or, after a street word that is also a plural, a large town ('на улицы Новосибирска':
    onto the streets of Novosibirsk)?"""
    if any(c.place.feature_code.startswith(("PCL", "CONT")) for c in candidates):
        return True
    return s.keys[head] in streets.plurals and any(
        c.place.feature_class == "P" and _is_large(c.place) for c in candidates)


_ELISIONS = frozenset({" ", "'", "\u2019"})  # what may follow a linking word: "rue d'Alésia"


def _street_head(s: _Words, streets: _Streets, i: int) -> int | None:
    """The street word that the name at word ``i`` follows, through at most two linking words ('rue
    de Rivoli', 'place de la Concorde', 'via Roma', 'ул. Ленина'): its index, else None."""
    keys, after = s.keys, s.after
    h = i - 1
    while h >= i - 3 and h >= 0 and keys[h] in streets.links and after[h] in _ELISIONS:
        h -= 1
    if h < 0 or keys[h] not in streets.heads:
        return None
    if after[h] != (". " if keys[h] in streets.abbreviations else " "):
        return None
    if any(tuple(keys[h - len(p) : h]) == p for p in streets.not_after if h >= len(p)):
        return None  # 'à la place de Lyon': instead of Lyon
    return h


def _street_of(s: _Words, streets: _Streets, i: int) -> bool:
    """Is word ``i`` a street word before a capitalised name ('Rue' of 'Rue de Rivoli')?"""
    if s.keys[i] not in streets.heads:
        return False
    j = i + 1
    while j < len(s.keys) and j <= i + 3 and s.keys[j] in streets.links and not s.upper[j]:
        j += 1
    return j < len(s.keys) and s.upper[j] and _street_head(s, streets, j) == i


@lru_cache(maxsize=None)
def _last_words(lang: str) -> frozenset[str]:
    """The last words of longer names (Recognizer._in_sentence): those of _apart_words, the
    language's one-word name tails ('Cathedral', 'Dam') and the landmark nouns ('Airbase')."""
    one_word_tails = (c.words[0] for c in lexicon.get(lang).name_tails if len(c.words) == 1 and not c.prefix[0])
    return frozenset().union(*_apart_words(lang), one_word_tails, lexicon.place_cue_words(lang, "landmark_heads"))


def _one_word(cues) -> bool:
    return any(len(c.words) == 1 for c in cues)


def _event_or_actor(lex: lexicon.Lexicon, word: str) -> bool:
    """Is the folded ``word`` an event or actor word of one word ('patlama', 'polis')?"""
    return _one_word(lex.events.starting(word)) or _one_word(lex.actor_heads.starting(word))


def _after_cues(lex: lexicon.Lexicon, keys: list[str]) -> list[tuple[int, lexicon.Cue]]:
    """The settlement nouns after a name ('Zarmat district'), and the capitalised words that end
    a place's name ('Tabaqa Dam', 'Saadoun Street'; not 'a dam')."""
    found = lex.settlement_after.find(keys)
    return found + lex.name_tails.find(keys) if lex.name_tails else found


def _locative(lex: lexicon.Lexicon, word: str) -> bool:
    """Is the folded ``word`` a locative word ('in', 'near'), bare or with a clitic?"""
    return word in lex.locative or bool(lex.clitics) and lex.in_set(word, lex.locative)


FUNCTION_WORD_ZIPF = 6.0  # a word this frequent is an article or pronoun of its language ('the', 'her')
RARE_WORD_ZIPF = 2.0  # a word rarer than this is no word of the language: 'Qarassi', not 'Qaeda'


def _rare(word: str, lex: lexicon.Lexicon) -> bool:
    return zipf_frequency(word, lex.lang) < RARE_WORD_ZIPF


def _unknown_name(s: _Words, lex: lexicon.Lexicon, i: int, k: int) -> bool:
    """Are words ``i``..``k`` a name that is no word of the language or of English ('Batrah',
    'Sheikh Sa’eed'; not 'Google', 'Heart Hospital'): its last word rare in both, none of its
    words common, not written in capitals ('ISIS'), not a possessive's ("Kowalski's book"); never
    in a language that capitalises its nouns?"""
    if lex.capitalised_nouns:
        return False  # 'im Bundesverfassungsgericht': any noun may be rare and capitalised
    if not lexicon.place_cue_words(lex.lang, "group_heads").isdisjoint(s.keys[i : k + 1]):
        return False  # an armed group's name: 'Jaysh Al-Mujahiddeen'
    words: list[str] = []
    for m in range(i, k + 1):  # a word an apostrophe splits is one word: 'Ma’ardes', not 'Ma' and 'ardes'
        if m > i and s.after[m - 1] in _APOSTROPHES and _word_rest(s, m, frozenset()):
            words[-1] += s.after[m - 1] + s.surfaces[m]
        elif m < k and (s.keys[m] in ARABIC_ARTICLES and s.after[m] in _HYPHENS
                        or s.keys[m] in lexicon.place_cue_words(lex.lang, "arabic_name_words")):
            continue  # an Arabic article with its name ('Al-Madiyounah'), 'Abu Leiha': no word of English
        else:
            words.append(s.surfaces[m])
    last = words[-1]
    letters = "".join(ch for ch in last if ch not in _APOSTROPHES)
    if len(letters) < 3 or letters.isupper() or not letters[1:].isalpha():
        return False
    if k + 1 < len(s.keys) and s.after[k] in _APOSTROPHES:
        return False
    if not (_rare(last, lex) and zipf_frequency(last, "en") < RARE_WORD_ZIPF):
        return False
    return all(zipf_frequency(w, lex.lang) < COMMON_WORD_ZIPF and zipf_frequency(w, "en") < COMMON_WORD_ZIPF
               for w in words[:-1])


def _after_place_nouns(s: _Words, lex: lexicon.Lexicon, i: int) -> bool:
    """Do up to two of the language's place nouns ('eastern', 'central') stand between word ``i``
    and a locative word or a place verb before them ('in eastern X')? Not its articles and
    possessives ('the', 'her', words of the language's commonest): 'at the Balqon offices', 'on
    the Skripals' are no places."""
    keys, after = s.keys, s.after
    ends = lex.place_nouns.quick().last_words
    if i < 2 or ends is not None and keys[i - 1] not in ends:
        return False
    m = i - 1
    for _ in range(2):
        cues = lex.place_nouns.quick().ending_at(keys, m) if m >= 0 else ()
        if not cues or len(cues[0].words) == 1 and zipf_frequency(keys[m], lex.lang) >= FUNCTION_WORD_ZIPF:
            return False
        m -= len(cues[0].words)
        if m < 0 or after[m].strip():
            return False
        if _locative(lex, keys[m]) or keys[m] in lex.place_verbs:
            return not (m > 0 and after[m - 1] in _HYPHENS)
    return False


def _after_place_verbs(s: _Words, lex: lexicon.Lexicon, i: int) -> bool:
    """Does a place verb and a connector stand before the verb before word ``i`` ('stormed and
    captured X'): the verbs share their object, a place?"""
    return (i >= 3 and s.keys[i - 3] in lex.place_verbs and lex.connectors.past(s.keys, i - 2, 1) == i - 1
            and not any(s.upper[i - 3 : i]) and all(a == " " for a in s.after[i - 3 : i]))


def _after_place_phrase(s: _Words, lex: lexicon.Lexicon, i: int) -> bool:
    """Does a phrase whose object is a place stand right before word ``i`` ('the battle for X',
    'the siege of X', '11 km of X'; data/place_cues.toml place_phrases), in lower case ('Linda
    Battle of Toco' is a person's name)?"""
    phrases = _place_phrases(lex.lang)
    for size in (2, 3):
        m = i - size
        if m >= 0 and tuple(s.keys[m:i]) in phrases and all(a == " " for a in s.after[m:i]) and not any(s.upper[m:i]):
            return True
    return False


@lru_cache(maxsize=None)
def _place_phrases(lang: str) -> frozenset[tuple[str, ...]]:
    """data/place_cues.toml place_phrases, as tuples of folded words."""
    return frozenset(tuple(p.split()) for p in lexicon.place_cue_words(lang, "place_phrases"))


def _listed_with_known(lex: lexicon.Lexicon, s: _Words, known: list[Mention]):
    """Names after a locative word that an Arabic article begins ('at Al-Qarassi', 'in
    al-Zaytouniyah'), or that a place the gazetteer knows vouches for: listed with it
    ('at Al-Houla, Al-Rastan, Harbnafseh and Al-Zarah', 'in Samarra, Balad and Al-Ishaki'), or
    put in it or near it by another locative word ('in Gursai in Mendher sector', 'at Ejule in
    Ofu'); and rare names no gazetteer knows (_unknown_name) after a locative word ('near
    Batrah'), a place verb ('stormed X'), an approximate cue ('north of X') or place nouns
    ('in eastern X'), with the unknown names listed after them."""
    keys, after, n = s.keys, s.after, len(s.keys)
    places = None
    approximate = lex.approximate.quick()
    approximate_ends = approximate.last_words  # (no approximate cue ends at another word)
    for i in s.capitals:
        if i == 0 or not s.upper[i]:
            continue
        if i > 1 and after[i - 1] in _HYPHENS and keys[i - 1] in ARABIC_ARTICLES and not s.upper[i - 1] and (
            after[i - 2] == " " and _locative(lex, keys[i - 2]) and _rare(s.surfaces[i], lex)
        ):
            yield i - 1, _run(s, lex, i, 1), i - 1, i, _AFTER  # 'in al-Zaytouniyah'
            continue
        if not after[i - 1].isspace():  # (two spaces too: 'at  Manigram')
            continue
        if not _locative(lex, keys[i - 1]):
            if (keys[i - 1] in lex.place_verbs or _after_place_verbs(s, lex, i)
                    or (approximate_ends is None or keys[i - 1] in approximate_ends) and approximate.ending_at(keys, i - 1)
                    or _after_place_nouns(s, lex, i) or _after_place_phrase(s, lex, i)) and (
                i < 2 or after[i - 2] not in _HYPHENS
            ) and _unknown_name(s, lex, i, k := _run(s, lex, i, 1)):  # 'stormed Batrah', 'north of Batrah'
                yield i, k, i, k, _AFTER
                yield from ((a, b, a, b, _AFTER) for a, b in _listed(s, lex, i, k, 1) if _unknown_name(s, lex, a, b))
            continue
        k = _run(s, lex, i, 1)
        if keys[i] in ARABIC_ARTICLES and i + 1 < n and after[i] in _HYPHENS and s.upper[i + 1] and _rare(s.surfaces[i + 1], lex):
            yield i, k, i, i + 1, _AFTER  # 'at Al-Qarassi' (not 'in Al-Qaeda'); a list may follow (below)
        elif (i < 2 or s.after[i - 2] not in _HYPHENS) and _unknown_name(s, lex, i, k):  # 'near Batrah', 'in Fuah and Kafraya' (not 'Thong-in X')
            yield i, k, i, k, _AFTER
            yield from ((a, b, a, b, _AFTER) for a, b in _listed(s, lex, i, k, 1) if _unknown_name(s, lex, a, b))
            continue
        if not known:
            continue
        items = _listed(s, lex, i, k, 1)
        inside = (not items and not lex.capitalised_nouns and k + 2 < n and after[k] == " " and after[k + 1] == " " and _locative(lex, keys[k + 1])
                  and (k == i or k == i + 1 and keys[i] in ARABIC_ARTICLES))  # one word: 'at Micro Peripherals in X' is a firm
        if not items and not inside:
            continue
        if places is None:
            places = {m.start for m in known if any(c.name_kind != "demonym" for c in m.candidates)}
        if inside:
            if s.start(k + 2) in places:
                yield i, k, i, k, _AFTER
            continue
        items.insert(0, (i, k))
        if any(s.start(a) in places for a, _ in items):
            yield from ((a, b, a, b, _AFTER) for a, b in items)


def _landmarks(s: _Words, lex: lexicon.Lexicon):
    """Facilities and landmarks the gazetteer lacks: a name that is no word of the language before
    a landmark noun of data/place_cues.toml, in capitals or not ('Ibn al-Walid hospital', 'al-Zawraa
    Park', 'Adiyat School', 'the T-3 Airport'): an Arabic name, a title's ('Imam Hussein') or a name
    with a word that is no word of the language or of English in it (_landmark_name), or a code
    ('T-3'). A capitalised noun belongs to the name ('Hikmah School'), a noun in lower case does not
    ('the Tuwaitha plant': the place is Tuwaitha), as with settlement nouns, nor one word in lower
    case between ('al-Quriyah police station'). Names of common words are the names of firms and
    institutions as often ('Heart Hospital', 'Mercy Hospital'): not read so."""
    heads = lexicon.place_cue_words(lex.lang, "landmark_heads")
    keys, upper, after = s.keys, s.upper, s.after
    for i in range(1, len(keys)):
        if keys[i] not in heads or not after[i - 1].isspace():
            continue
        if i + 1 < len(keys) and upper[i] and upper[i + 1] and s.joined(i):
            continue  # a longer name: 'Hikmah School Board'
        k = i - 1
        modified = (k > 0 and not upper[k] and len(keys[k]) > 2 and s.surfaces[k].isalpha()
                    and after[k - 1] == " " and upper[k - 1] and keys[k] not in lex.locative
                    and not lex.connectors.starting(keys[k]) and zipf_frequency(keys[k], lex.lang) < FUNCTION_WORD_ZIPF)
        if modified:
            k -= 1  # a noun in lower case between: 'al-Dabbit maternity hospital', 'al-Quriyah police station'
        if s.surfaces[k].isdigit() and k > 0 and after[k - 1] in _HYPHENS and upper[k - 1] and len(s.surfaces[k - 1]) <= 2:
            j = k - 1  # a code: 'T-3 Airport'
        elif upper[k]:
            j = _run(s, lex, k, -1)
            if j > 0 and keys[j] in ARABIC_ARTICLES and not upper[j] and upper[j - 1] and after[j - 1] == " ":
                j = _run(s, lex, j - 1, -1)  # 'Ibn al-Walid'
            j = _titled(s, lex, j)
            if not _landmark_name(s, lex, j, k):
                continue
        else:
            continue
        if j > 0 and upper[j - 1] and s.joined(j - 1):
            continue  # part of a longer name
        yield (j, i, j, k, _AFTER) if upper[i] and not modified else (j, k, j, k, _AFTER)


def _called(s: _Words, lex: lexicon.Lexicon):
    """Names that a settlement or landmark noun and a naming word introduce ('a place called
    Teiba', 'another township called Mabvuku', 'a strategic peak, called Tiger Hill'): naming words
    and the nouns besides settlement and landmark nouns from data/place_cues.toml."""
    naming = lexicon.place_cue_words(lex.lang, "naming_words")
    if naming.isdisjoint(s.keys):
        return
    nouns = lexicon.place_cue_words(lex.lang, "landmark_heads") | lexicon.place_cue_words(lex.lang, "named_nouns")
    keys, after = s.keys, s.after
    for i in range(1, len(keys) - 1):
        if keys[i] not in naming or after[i - 1].strip() not in ("", ","):
            continue
        noun = keys[i - 1]
        if not (noun in nouns or _one_word(lex.settlement_after.starting(noun))) or s.upper[i - 1]:
            continue
        j = _name_start(s, i + 1)
        if j is not None:
            yield j, (k := _run(s, lex, j, 1)), j, k, _BEFORE


def _titled(s: _Words, lex: lexicon.Lexicon, j: int) -> int:
    """Where the name that begins at word ``j`` before a settlement or landmark noun begins with a
    title that begins places' names too, the title's word ('Sheikh Lufti area', 'Imam Hussein
    shrine': places named after a person, not the person), else ``j``."""
    titles = lexicon.place_cue_words(lex.lang, "name_titles")
    if j > 0 and s.upper[j - 1] and s.after[j - 1] == " " and s.keys[j - 1] in titles:
        return j - 1
    return j


def _landmark_name(s: _Words, lex: lexicon.Lexicon, j: int, k: int) -> bool:
    """Are words ``j``..``k`` a landmark's own name (_landmarks): with an Arabic article in it
    ('al-Zawraa', 'Ibn al-Walid') or a title that begins places' names ('Imam Hussein'), or a
    word that is no word of the language or of English ('Vadilal Sarabhai'), and none that is a
    common one ('Cassens Elementary', 'Tremarle Home': a school's, a firm's) unless after an
    Arabic name ('Al-Sha’er Gas')?"""
    surfaces, keys = s.surfaces, s.keys
    if not lexicon.place_cue_words(lex.lang, "group_heads").isdisjoint(keys[j : k + 1]):
        return False  # 'an al-Qaida compound'
    rare = j < k and keys[j] in lexicon.place_cue_words(lex.lang, "name_titles")  # 'the Imam Hussein shrine'
    arabic = False
    for m in range(j, k + 1):
        word = surfaces[m]
        if keys[m] in ARABIC_ARTICLES and m < k and s.after[m] in _HYPHENS:
            rare = arabic = True  # an Arabic name: 'al-Zawraa', 'Ibn al-Walid'
            continue
        if m > j and s.after[m - 1] in _APOSTROPHES:
            continue
        if zipf_frequency(word, lex.lang) >= COMMON_WORD_ZIPF or zipf_frequency(word, "en") >= COMMON_WORD_ZIPF:
            if arabic and m > j:
                continue  # words of the language after an Arabic name: 'Al-Sha’er Gas Fields'
            return False
        rare = rare or (len(word) >= 3 and word[1:].isalpha() and not word.isupper() and _rare(word, lex)
                        and zipf_frequency(word, "en") < RARE_WORD_ZIPF)
    return rare


def _clause_end(doc: Document, lex: lexicon.Lexicon, s: _Words, end: int) -> bool:
    """Does the name ending at offset ``end`` end a phrase: punctuation or the sentence's end
    after it, or a locative word or a date ('Murphy, North Carolina, early Saturday'; not
    'Kosinski, Nelson said')?"""
    end -= s.base  # (in the sentence)
    for m, start in enumerate(s.local_starts):
        if start > end:
            return bool(s.after[m - 1].strip()) or _locative(lex, s.keys[m]) or s.keys[m] in lex.actor_stop
    return True


def _distance_at(s: _Words, lex: lexicon.Lexicon, i: int) -> bool:
    """Does a distance begin at word ``i`` ('20 miles', 'about 1,800 kilometers', 'just 30
    kilometres'): at most two words, a number, a unit of the language's approximate words?"""
    n = len(s.keys)
    m = i
    while m < n and m - i < 2 and not s.surfaces[m].isdigit() and not s.capital[m]:
        m += 1
    if m >= n or not s.surfaces[m].isdigit():
        return False
    while m + 1 < n and s.after[m] in (",", ".") and s.surfaces[m + 1].isdigit():
        m += 1  # '1,800'
    return m + 1 < n and not s.after[m].strip() and bool(lex.approximate.quick().ending_at(s.keys, m + 1))


def _vouched_word(vouched: int, candidates) -> bool:
    """May a common word be a name no gazetteer needs to know? After a noun of ('the town of
    Hit') when the gazetteer knows it; before a noun ('Logo Local Government Area') when it
    knows a division of that name ('the Police district' is no town of Police's)."""
    if vouched == _BEFORE:
        return bool(candidates)
    return vouched == _AFTER and any(c.place.feature_class == "A" for c in candidates)


def _listed(s: _Words, lex: lexicon.Lexicon, j: int, k: int, step: int, open_end: bool = False) -> list[tuple[int, int]]:
    """The names listed with the name at words ``j``..``k``, after it (step 1: 'the villages of
    A, B and C', up to the name after the last connector: in 'the village of A, Smith said'
    nothing is listed with A) or before it (step -1: 'A, B and C villages', through a connector
    first: 'X, Zarmat district' is no list). With ``open_end``, a list of three names or more with
    no connector, each after a comma ('the districts of A, B, C, the X hospital'): for the caller
    to judge its names."""
    n = len(s.keys)
    after, upper = s.after, s.upper
    found: list[tuple[int, int]] = []
    kept = 0  # how many of found the connectors confirm
    end = k if step > 0 else j  # the end of the last name, on the side the list goes
    while len(found) < 12:
        m = end + step  # the word past the gap
        if not 0 <= m < n:
            break
        gap = after[min(end, m)].strip()
        if step > 0 and gap == "(" and (close := _aside_end(s, end)) is not None:
            end, m = close, close + 1  # an aside: 'Harasta (twice), Douma'
            gap = after[close].strip()[1:].strip()
            if m >= n:
                break
        if gap not in ("", ","):
            break
        past = lex.connectors.past(s.keys, m, step)
        if past is None:
            if not gap:
                break  # two names side by side are not a list
            past = m
        elif not 0 <= past < n or after[min(past, past - step)].strip() not in ("", "," if step < 0 else ""):
            break  # (a comma before the connector: 'A, B, and C', read from C)
        if not upper[past] and not (step < 0 and _word_rest(s, past, lex.apostrophe_suffixes)) and not (
            step > 0 and s.keys[past] in ARABIC_ARTICLES and after[past] in _HYPHENS and past + 1 < n and upper[past + 1]
        ):
            break  # (read backwards, a name may end in the rest of a word: 'Ma’ardes, Sawran and X'; 'al-Maydam')
        if step < 0 and not found and past == m:
            break
        other = _run(s, lex, past, step)
        found.append((past, other) if step > 0 else (other, past))
        if past != m or step < 0:
            kept = len(found)
        end = other
    if open_end and not kept and len(found) >= 2 and not lex.connectors.past(s.keys, end + 1, 1) \
            and end + 1 < n and after[end].strip() == ",":
        return found  # (each after a comma, the last one's comma before a word that is no name)
    return found[:kept]


def _aside_end(s: _Words, end: int) -> int | None:
    """The last word of an aside in brackets of up to three words in lower case or numbers right
    after word ``end`` ('Harasta (twice)', 'Manyan (three times)'), else None."""
    for q in range(end + 1, min(end + 4, len(s.keys))):
        word = s.surfaces[q]
        if not (word.islower() or word.isdigit()):
            return None
        if s.after[q].strip().startswith(")"):
            return q
        if s.after[q] != " ":
            return None
    return None


def _name_ends(s: _Words, suffixes: frozenset[str]) -> dict[int, list[int]]:
    """_Words.name_ends: for each capitalised word ``i``, the words at which a name beginning
    there may end, the farthest first: up to MAX_WORDS joined words (_Words.joins), ending in a
    capitalised word, a number ('Checkpoint Tegh-7') or the rest of a word an apostrophe splits
    ('Ma’an'); not before such a rest ('Ma' of 'Ma’aratah'), unless it is one of the language's
    ``suffixes`` ("Baghdad's", 'Hatay'da')."""
    joins, after, capital, surfaces = s.joins, s.after, s.capital, s.surfaces
    top = len(surfaces) - 1
    found: dict[int, list[int]] = {}
    for i in s.capitals:
        last, stop = i, min(top, i + MAX_WORDS - 1)
        while last < stop and joins[last]:
            last += 1
        if last == i:
            found[i] = [i]
        elif _APOSTROPHES.isdisjoint(after[i:last]):  # most names: no apostrophe inside
            found[i] = [j for j in range(last, i - 1, -1) if capital[j] or (j > i and surfaces[j].isdigit())]
        else:
            found[i] = [j for j in range(last, i - 1, -1)
                        if (capital[j] or j > i and (surfaces[j].isdigit() or _word_rest(s, j, suffixes)))
                        and not (j < last and _word_rest(s, j + 1, suffixes))]
    return found


def _word_rest(s: _Words, j: int, suffixes: frozenset[str]) -> bool:
    """Is word ``j`` the lower-case rest of a word an apostrophe splits ('an' of 'Ma’an'), not a
    suffix ("Baghdad's")?"""
    return (j > 0 and s.after[j - 1] in _APOSTROPHES and s.surfaces[j][:1].islower()
            and s.keys[j] not in suffixes and s.upper[j - 1])


def _abbreviation_end(doc: Document, start: int, end: int, candidates) -> int:
    """Take in an abbreviation's own full stop: 'Ga.', 'U.S.' (not the stop after 'US')."""
    surface = doc.text[start:end]
    if doc.text[end : end + 1] == "." and any(c.name_kind == "abbrev" for c in candidates):
        if "." in surface or not surface.isupper():
            return end + 1
    return end


def _abbreviated(candidates):
    """A name written as an abbreviation with its own full stop ('Laval, Que.', 'Gainesville,
    Ga.') is that abbreviation's place, not another place named 'Que' or 'Ga'."""
    kept = tuple(c for c in candidates if c.name_kind == "abbrev")
    return kept if kept and len(kept) < len(candidates) else candidates


_LANGUAGE_FAMILIES = ({"id", "ms"}, {"no", "nb", "nn"}, {"sr", "hr", "bs"})


def _same_language(a: str, b: str) -> bool:
    return any(a in fam and b in fam for fam in _LANGUAGE_FAMILIES)
