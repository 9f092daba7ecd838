"""Per-language word lists, kept as data in ``data/lexicon/<lang>.toml``.

Each file may hold:
  [boilerplate] lines      regexes for lines that are not the article (related links, comment widgets)
  [events]     "<type>|<sub-type>" = [cue, ...]   a cue is words separated by spaces; a trailing '*'
                            on a word makes it a prefix ('serang*' matches 'serangan')
  [separable]  "<type>|<sub-type>" = [cue, ...]   a verb whose particle stands apart, at the end of its
                            clause: the cue's last word is the particle ('griff an': 'griff Gaza am Montag an')
  [locative]   before = [...]  words after which a place name is where something is
               place_nouns = [...]  'village', 'desa', ... that may stand between the two
               connectors = [...]  'and', 'dan': lists of places share the locative word
               speakers = [...]  'officials', 'pejabat': 'officials in X' locates a speaker, not an event
               after = [...]  suffix words after a name that make it a location (Turkish 'Halep'te':
                            the folded words 'halep', 'te')
               approximate = [...]  'near', 'outskirts', 'north': the event is around the place,
                            not in it (ACLED geo_precision 2)
               divisions = [...]  'district', 'neighbourhood': 'X's district of Y', 'the X
                            neighbourhood of Y' make X the container of the event place Y
               possessive = [...]  word left of a name by a possessive ('s' of "Baghdad's")
               case_suffixes = [...]  other case endings an apostrophe joins to a name ("Harkov'u", "Şam'dan"): the name ends before them
               settlement_before = [...], settlement_after = [...]  nouns next to a name that make it
                            a place even when no gazetteer knows it ('the village of X', 'X district')
               name_heads = [...]  capitalised words that begin a place's name ('Mount', 'Jabal'):
                            with the capitalised words after them they name a place
               name_tails = [...]  capitalised words that end a place's name ('Dam', 'Street')
               place_verbs = [...]  verbs whose object is a place ('stormed', 'shelled'): after one,
                            like after a locative word, a name that is no word of the language is
                            taken for a place the gazetteer may lack (toponyms._unknown_name)
  [lookup]     abbreviations = { short = "long", ... }  words a place's name may be written short
                            in ('mt' = 'mount', 'st' = 'saint'): a name is also looked up with them
                            spelled out or shortened, wherever in it but as its last word
               generic_tails = [...]  words after a name that the gazetteer may lack ('city' of
                            'Dublin City'): a name ending in one that names nothing is looked up without it
  [persons]    titles = [...]  words that introduce a person's name ('Presiden', 'Mr')
               capitalised_titles = [...]  titles that in lower case are ordinary words: titles
                            only when capitalised ('Major Smith'; not 'six major West Bank cities')
  [words]      never_places = [...]  capitalised words that are not places on their own
                            here though some gazetteer entry bears the name ('West', 'Man')
               eponym_heads = [...]  words after which a place name names something else
                            ('Marburg virus', 'Lassa fever')
               admin_nouns = [...]  'province', 'wilayah': beside a name, it means the division
                            rather than its seat town ('Kandahar province', 'wilayah Gadabay')
               capitalised_nouns = true  the language capitalises its nouns (German): a rare
                            capitalised word is no sign of a name there
               common_words_listed = true  never_places holds every frequent word of the language
                            that is another name of a large place (Arabic: with no capitals to tell, a
                            frequency alone would make a word of its most reported places, 'غزة' Gaza)
  [actors]     heads = [...]  words naming an armed or acting group ('forces', 'pasukan'); the
                            actor as written is the head with the capitalised words around it
               stop = [...]  capitalised words that never belong to an actor ('On', 'Pada')
               modifiers = [...]  words in lower case that belong to an actor beside its head
                            or its other words: nationalities and sides ('russes', 'gouvernementales',
                            'российские', 'الإسرائيلية'), where the language writes them in lower case;
                            one word each (a hyphen parts words: 'pro' and 'government' for 'pro-government')
  [attribution] according_to = [...]  the source follows ('according to', 'menurut')
               source_before = [...]  those of them that follow their source (Turkish 'X'e göre')
               said = [...]  the source is the subject before the verb ('the ministry said',
                            'X mengklaim') or, when nothing precedes it, the words after ('said X')
               denied = [...]  the same for a denial ('Armenia membantah', 'X denied')
               clause_words = [...]  words that open a clause ('but', 'tetapi'): a subject stops there
  [fatalities] killed = [...]  cues next to which a number counts the dead ('killing', 'menewaskan')
               not_killed = [...]  cues that end the search ('wounded', 'luka')
  [numbers]    word = value   number words ('two' = 2, 'dua' = 2)
  [dates]      weekdays = [...], relative = [...]  words that date an event to a day, added to
                            dateparser's own names of that language (inflected forms: 'пятницу')
               week = [...], month = [...]  phrases that date an event to a week / a month
               last_week = [...], last_month = [...]  ... to the week / month before publication
                            ('la settimana scorsa'): a week / a month back when dateparser reads none
  [morphology] clitics = [...]  prefixes a word may carry before a cue word (Arabic 'و', 'ب', 'ال'):
                            a cue matches the word with one clitic taken off
               endings = [...], restore = [...], alternations = [[a, b], ...]  case endings of
                            names: 'Харькове' is looked up as 'Харьков', 'Москве' as 'Москва',
                            'Харкова' as 'Харків' (Lexicon.base_forms)

Languages without a file fall back to English for cues; boilerplate patterns of
all languages apply to every document (pages mix languages in their chrome).
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import compress
from operator import itemgetter

from .names import fold

FALLBACK = "en"


@dataclass(frozen=True)
class Cue:
    """A cue: a sequence of folded words, each matched exactly or as a prefix."""

    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    label: str  # what the cue signals, e.g. 'Battles|Armed clash'
    clitics: tuple[str, ...] = ()  # prefixes a text word may carry (Arabic 'و', 'ب', 'ال')

    def matches_at(self, words: list[str], i: int) -> bool:
        if i + len(self.words) > len(words):
            return False
        for j, w in enumerate(self.words):
            got = words[i + j]
            if got.startswith(w) if self.prefix[j] else got == w:
                continue  # the word itself; else one of its forms without a clitic
            if not any(
                (v.startswith(w) if self.prefix[j] else v == w) for v in variants(got, self.clitics)[1:]
            ):
                return False
        return True


def variants(word: str, clitics: tuple[str, ...]) -> list[str]:
    """The word, and the word with each clitic it starts with taken off (longest first)."""
    out = [word]
    for c in clitics:
        if word.startswith(c) and len(word) - len(c) >= 2:
            out.append(word[len(c) :])
    return out


class CueSet(tuple):
    """Cues indexed by their first word, so finding them costs one look-up per word."""

    def __new__(cls, cues, clitics: tuple[str, ...] = ()):
        self = super().__new__(cls, cues)
        self.clitics = clitics  # prefixes a word may carry (Arabic 'و', 'ب')
        self._quick: QuickCues | None = None
        self._exact: dict[str, list[Cue]] = {}
        self._prefix: dict[str, list[Cue]] = {}
        for cue in self:
            table = self._prefix if cue.prefix[0] else self._exact
            table.setdefault(cue.words[0], []).append(cue)
        self._prefix_lengths = sorted({len(w) for w in self._prefix})
        self._seen: dict[str, tuple[Cue, ...]] = {}  # words recur: remember what starts with each
        # the words met that start some cue; all of them from the start when no cue is a prefix
        # and no clitic comes off a word (the words that start a cue are the cues' first words)
        self._closed = not self._prefix and not clitics
        self._starters: set[str] = set(self._exact) if self._closed else set()
        return self

    def starting(self, word: str) -> tuple[Cue, ...]:
        found = self._seen.get(word)
        if found is not None:
            return found
        out: list[Cue] = []
        for v in variants(word, self.clitics):
            out.extend(c for c in self._exact.get(v, ()) if c not in out)
            for n in self._prefix_lengths:
                if n > len(v):
                    break
                out.extend(c for c in self._prefix.get(v[:n], ()) if c not in out)
        if len(self._seen) > 200_000:
            self._seen.clear()
        found = self._seen[word] = tuple(out)
        if found:
            self._starters.add(word)
        return found

    def past(self, keys: list[str], i: int, step: int) -> int | None:
        """The word past the cue of this set that begins (step 1) or ends (step -1) at word
        ``i`` of ``keys`` ('and' of 'Sotk and Jermuk'), else None."""
        if not 0 <= i < len(keys):
            return None
        if step > 0:
            for c in self.starting(keys[i]):
                if c.matches_at(keys, i):
                    return i + len(c.words)
            return None
        for c in self.quick().ending_at(keys, i):
            return i - len(c.words)
        return None

    def quick(self) -> "QuickCues":
        """This set with the first letters of its cues: for asking it about many texts' words."""
        if self._quick is None:
            self._quick = QuickCues(self)
        return self._quick

    def find(self, words: list[str]) -> list[tuple[int, Cue]]:
        """(word index, cue) of every cue that matches in ``words`` (folded)."""
        if not self._closed:
            for w in set(words).difference(self._seen):  # words not met before: most texts have few
                self.starting(w)
        if self._starters.isdisjoint(words):  # most texts have no cue of a set: found at once
            return []
        out = []
        for i, w in enumerate(words):
            if w not in self._starters:
                continue
            for c in self.starting(w):
                # the cues starting a word match its first word: one word is a whole match
                if len(c.words) == 1 or c.matches_at(words, i):
                    out.append((i, c))
        return out


class QuickCues:
    """A cue set with the first letters of its cues' first words. Most words of a text start
    no cue, and their first letters say so without asking the set (which reads each new word
    against all its cues)."""

    def __init__(self, cues: "CueSet"):
        self.cues = cues
        self.clitics: tuple[str, ...] = cues.clitics
        # a prefix cue word matches words that begin with it: look no further than the shortest
        self.width = min((len(c.words[0]) for c in cues if c.prefix[0]), default=4)
        self.heads = frozenset(c.words[0][: self.width] for c in cues)
        self._head = itemgetter(slice(self.width))  # the first letters of a word
        self.lengths = tuple(sorted({len(c.words) for c in cues}))
        self.position = {id(c): k for k, c in enumerate(cues)}
        # the last words of its cues (no cue ends at any other word); None when a cue word is a
        # prefix ('vorort*') or takes clitics: then any word may end one
        loose = bool(cues.clitics) or any(any(c.prefix) for c in cues)
        self.last_words: frozenset[str] | None = None if loose else frozenset(c.words[-1] for c in cues)

    def may_start(self, word: str) -> bool:
        """False when no cue of the set starts at ``word`` (folded)."""
        if not self.clitics:
            return word[: self.width] in self.heads
        return any(v[: self.width] in self.heads for v in variants(word, self.clitics))

    def _openings(self, keys: list[str]) -> list[int]:
        """Indices of the words ``keys`` a cue of the set may start at."""
        if not self.clitics:  # (read in C: most sentences have none of them)
            return list(compress(range(len(keys)), map(self.heads.__contains__, map(self._head, keys))))
        return [i for i, w in enumerate(keys) if self.may_start(w)]

    def _starting(self, keys: list[str], j: int) -> tuple[Cue, ...]:
        """The cues whose first word matches word ``j``."""
        w = keys[j]
        if w[: self.width] not in self.heads and (not self.clitics or not self.may_start(w)):
            return ()
        return self.cues.starting(w)

    def ending_at(self, keys: list[str], i: int) -> list[Cue]:
        """The cues that end at word ``i``, in the order of the set."""
        out = []
        for n in self.lengths:
            j = i - n + 1
            if j < 0:
                break
            # the cues starting a word match its first word: one word is a whole match
            out.extend(c for c in self._starting(keys, j) if len(c.words) == n and (n == 1 or c.matches_at(keys, j)))
        if len(out) > 1:
            out.sort(key=lambda c: self.position[id(c)])
        return out

    def ends_at(self, keys: list[str], i: int) -> bool:
        """Does a cue end at word ``i``?"""
        for n in self.lengths:
            j = i - n + 1
            if j < 0:
                break
            for c in self._starting(keys, j):
                if len(c.words) == n and (n == 1 or c.matches_at(keys, j)):
                    return True
        return False

    def find(self, keys: list[str]) -> list[tuple[int, Cue]]:
        """What ``self.cues.find(keys)`` finds, in the same order."""
        out = []
        for i in self._openings(keys):
            for c in self.cues.starting(keys[i]):
                # the cues starting a word match its first word: one word is a whole match
                if len(c.words) == 1 or c.matches_at(keys, i):
                    out.append((i, c))
        return out


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
    capitalised_titles: frozenset[str]
    never_places: frozenset[str]
    eponym_heads: frozenset[str]
    admin_nouns: frozenset[str]
    weekdays: tuple[str, ...]
    relative_days: tuple[str, ...]
    approximate: CueSet = CueSet(())
    locative_after: frozenset[str] = frozenset()
    divisions: CueSet = CueSet(())
    settlement_before: CueSet = CueSet(())  # 'the village of X', 'desa X', 'село X': X is a settlement
    settlement_after: CueSet = CueSet(())  # 'X köyü'
    name_heads: CueSet = CueSet(())  # 'Mount X', 'Jabal X': a capitalised word that begins a place's name
    name_tails: CueSet = CueSet(())  # 'X Dam', 'X Street': a capitalised word that ends a place's name
    possessive: frozenset[str] = frozenset()
    case_suffixes: frozenset[str] = frozenset()  # other case endings after an apostrophe ("Harkov'u", "Şam'dan")
    place_verbs: frozenset[str] = frozenset()  # 'stormed X': X is a place (recognition only)
    capitalised_nouns: bool = False  # German: a capitalised rare word may be any noun
    home_countries: frozenset[str] = frozenset()  # ISO codes of the countries whose towns it names in its own words
    lowercase_name_words: bool = False  # countries' names run on in lower case ('Arabie saoudite')
    common_words_listed: bool = False  # never_places lists the frequent words that name large places
    separable: CueSet = CueSet(())  # verbs whose particle stands apart: German 'griff … an'
    particles: Mapping[Cue, frozenset[str]] = field(default_factory=dict, compare=False)  # each such verb's particles
    actor_heads: CueSet = CueSet(())
    actor_stop: frozenset[str] = frozenset()
    actor_modifiers: CueSet = CueSet(())  # lower-case words of an actor: 'russes', 'gouvernementales'
    according_to: CueSet = CueSet(())
    source_before: frozenset[str] = frozenset()  # according_to words after their source: 'göre'
    said: CueSet = CueSet(())
    denied: CueSet = CueSet(())
    clause_words: frozenset[str] = frozenset()
    killed: CueSet = CueSet(())
    not_killed: CueSet = CueSet(())
    numbers: tuple[tuple[str, int], ...] = ()
    week_phrases: tuple[str, ...] = ()
    month_phrases: tuple[str, ...] = ()
    last_phrases: frozenset[str] = frozenset()  # those of them that mean the week or month before publication
    clitics: tuple[str, ...] = ()
    endings: tuple[str, ...] = ()  # case endings a name may carry ('Харькове', 'Charkowie')
    restore: tuple[str, ...] = ("",)  # nominative endings to try on the stem ('Москв' + 'а')
    alternations: tuple[tuple[str, str], ...] = ()  # stem vowel changes ('Харкова' -> 'Харків')
    abbreviations: tuple[tuple[str, str], ...] = ()  # (short, long) words of names: ('mt', 'mount')
    generic_tails: frozenset[str] = frozenset()  # 'city' of 'Dublin City'
    # derived from abbreviations and generic_tails once, when the lexicon is made (__post_init__):
    long_forms: dict[str, str] = field(init=False, repr=False, compare=False)  # short word -> long ('mt' -> 'mount')
    short_forms: dict[str, str] = field(init=False, repr=False, compare=False)  # long word -> its first short form
    abbreviation_words: frozenset[str] = field(init=False, repr=False, compare=False)  # both kinds of words
    # the words without which a key has no other way of being written (name_variants, bare_name):
    # the abbreviation words ('mt', 'mount') and the generic last words ('city')
    variant_words: frozenset[str] = field(init=False, repr=False, compare=False)
    # what an apostrophe may join to a name as a suffix ("Baghdad's", 'Hatay'da', "Harkov'u"):
    # locative_after | possessive | case_suffixes
    apostrophe_suffixes: frozenset[str] = field(init=False, repr=False, compare=False)
    # name_variants of the keys met (a text asks about the same keys often), not a field
    _variants: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        abbreviations = self.abbreviations
        either = frozenset(w for pair in abbreviations for w in pair)
        object.__setattr__(self, "long_forms", dict(abbreviations))
        object.__setattr__(self, "short_forms", {long: short for short, long in reversed(abbreviations)})
        object.__setattr__(self, "abbreviation_words", either)
        object.__setattr__(self, "variant_words", either | self.generic_tails)
        object.__setattr__(self, "apostrophe_suffixes", self.locative_after | self.possessive | self.case_suffixes)

    def name_variants(self, key: str) -> tuple[str, ...]:
        """Other keys a name's key may be written as: its abbreviated words spelled out and its
        words that have an abbreviation shortened ('mt pleasant' -> 'mount pleasant', 'saint
        helens' -> 'st helens'); never the last word ('Main St'). Empty for most keys."""
        if " " not in key or not self.abbreviations:
            return ()
        found = self._variants.get(key)
        if found is None:
            if len(self._variants) >= _VARIANTS_KEPT:
                self._variants.clear()
            found = self._variants[key] = self._name_variants(key)
        return found

    def _name_variants(self, key: str) -> tuple[str, ...]:
        words = key.split(" ")
        if self.abbreviation_words.isdisjoint(words[:-1]):  # most keys: no word but the last has another form
            return ()
        last = words[-1]
        out = []
        for table in (self.long_forms, self.short_forms):
            new = [table.get(w, w) for w in words[:-1]] + [last]
            if new != words:
                variant = " ".join(new)
                if variant not in out:
                    out.append(variant)
        return tuple(out)

    def bare_name(self, key: str) -> str:
        """The key without a generic last word ('dublin city' -> 'dublin'), else ''."""
        head, _, last = key.rpartition(" ")
        return head if head and last in self.generic_tails else ""

    def base_forms(self, word: str) -> list[str]:
        """Dictionary forms a folded word may be an inflection of, most likely first.

        'вбейрут' -> 'бейрут' (clitic); 'харькове' -> 'харьков'; 'москве' -> 'москва';
        'харкова' -> 'харків'; 'charkowie' -> 'charkow'. Empty for uninflected languages.
        """
        if not self.clitics and not self.endings:
            return []
        out: list[str] = []
        for v in reversed(variants(word, self.clitics)[1:]):  # the shortest clitic first
            out.append(v)
        for ending in self.endings:
            if not word.endswith(ending) or len(word) - len(ending) < 3:
                continue
            stem = word[: len(word) - len(ending)]
            stems = [stem]
            for a, b in self.alternations:
                k = stem.rfind(a)
                if k >= len(stem) - 3:  # a vowel change in the last syllable
                    stems.append(stem[:k] + b + stem[k + len(a) :])
            out.extend(s + r for s in stems for r in self.restore if s + r != word)
        seen: set[str] = set()
        return [f for f in out if not (f in seen or seen.add(f))]

    def in_set(self, word: str, words: frozenset[str]) -> bool:
        """Is ``word`` (folded) in ``words``, bare or with one of the language's clitics?"""
        return any(v in words for v in variants(word, self.clitics))



_VARIANTS_KEPT = 100_000  # keys whose name_variants a Lexicon keeps


def _cue(text: str, label: str, clitics: tuple[str, ...] = ()) -> Cue:
    parts = text.split()
    words = tuple(fold(p.rstrip("*")) for p in parts)
    return Cue(words, tuple(p.endswith("*") for p in parts), label, clitics)


def available() -> list[str]:
    """Languages that have a lexicon file."""
    folder = resources.files("geoincidents") / "data" / "lexicon"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@lru_cache(maxsize=None)
def _raw(lang: str) -> dict:
    path = resources.files("geoincidents") / "data" / "lexicon" / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def place_cues() -> dict:
    """data/place_cues.toml: the words beside a name that tell what kind of place it is (per
    language) and the telephone numbering plans."""
    return tomllib.loads(resources.files("geoincidents").joinpath("data/place_cues.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def place_cue_words(lang: str, kind: str) -> frozenset[str]:
    """The folded words of place_cues() for ``lang`` of one kind ('town_after', 'apart_tails'...);
    none for a language or kind without a list."""
    return frozenset(fold(w) for w in place_cues().get(lang, {}).get(kind, ()))


@lru_cache(maxsize=None)
def _name_list(name: str) -> frozenset[str]:
    """The names of data/names/``name``.txt, written there folded (scripts/build_name_lists.py)."""
    path = resources.files("geoincidents") / "data" / "names" / f"{name}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(n for n in lines if n and not n.startswith("#"))


def given_names() -> frozenset[str]:
    """Folded common given names ('david', 'mary'): data/names/given_names.txt."""
    return _name_list("given_names")


def surnames() -> frozenset[str]:
    """Folded common surnames ('taylor', 'welch'): data/names/surnames.txt."""
    return _name_list("surnames")


@lru_cache(maxsize=None)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """Boilerplate line patterns of every language."""
    pats = []
    for lang in available():
        for p in _raw(lang).get("boilerplate", {}).get("lines", []):
            pats.append(re.compile(p, re.IGNORECASE))
    return tuple(pats)


@lru_cache(maxsize=None)
def boilerplate_line() -> re.Pattern[str] | None:
    """One pattern that a line matches (``search``) when one of boilerplate_patterns() does:
    the patterns that begin with '^\\s*' share it, the others stand as alternatives. None when
    the patterns cannot stand in one (global flags, back-references, a group name twice)."""
    patterns = boilerplate_patterns()
    if any(re.match(r"\(\?[aiLmsux]", p.pattern) or re.search(r"\\[1-9]|\(\?P=", p.pattern) for p in patterns):
        return None
    anchored = "^\\s*"
    shared, others = [], []
    for p in patterns:
        if p.pattern.startswith(anchored) and not _top_level_or(p.pattern):
            shared.append(f"(?:{p.pattern[len(anchored):]})")
        else:  # ('^\\s*a|b' is '(^\\s*a)|b': its 'b' may stand anywhere)
            others.append(f"(?:{p.pattern})")
    parts = ([f"(?:{anchored}(?:{'|'.join(shared)}))"] if shared else []) + others
    try:
        return re.compile("|".join(parts) or "(?!)", re.IGNORECASE)
    except re.error:
        return None


def _top_level_or(pattern: str) -> bool:
    """Whether ``pattern`` has a '|' outside groups and character classes."""
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: up to its closing ']' (a ']' first, or after '^', is a member)
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


@lru_cache(maxsize=None)
def get(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (English where the language has none)."""
    if lang not in available():
        lang = FALLBACK
    raw = _raw(lang)
    morph = raw.get("morphology", {})
    clitics = tuple(sorted((fold(c) for c in morph.get("clitics", [])), key=len, reverse=True))

    def cues(items, label: str) -> CueSet:
        return CueSet((_cue(c, label, clitics) for c in items), clitics)

    events = CueSet(
        (_cue(c, label, clitics) for label, items in raw.get("events", {}).items() for c in items), clitics
    )
    # [separable]: the verb's cue and its particle, the entry's last word ('griff an')
    pairs = [(_cue(" ".join(c.split()[:-1]), label, clitics), fold(c.split()[-1]))
             for label, items in raw.get("separable", {}).items() for c in items]
    separable = list(dict.fromkeys(c for c, _ in pairs))
    loc = raw.get("locative", {})
    actors = raw.get("actors", {})
    att = raw.get("attribution", {})
    fat = raw.get("fatalities", {})
    dates = raw.get("dates", {})
    return Lexicon(
        lang=lang,
        boilerplate=boilerplate_patterns(),
        events=events,
        separable=CueSet(separable, clitics),
        particles={cue: frozenset(p for c, p in pairs if c == cue) for cue, _ in pairs},
        locative=frozenset(fold(w) for w in loc.get("before", [])),
        place_nouns=cues(loc.get("place_nouns", []), "place"),
        connectors=cues(loc.get("connectors", []), "and"),
        speakers=cues(loc.get("speakers", []), "speaker"),
        titles=CueSet(_cue(c, "title") for c in raw.get("persons", {}).get("titles", [])),
        capitalised_titles=frozenset(fold(w) for w in raw.get("persons", {}).get("capitalised_titles", [])),
        never_places=frozenset(fold(w) for w in raw.get("words", {}).get("never_places", [])),
        eponym_heads=frozenset(fold(w) for w in raw.get("words", {}).get("eponym_heads", [])),
        admin_nouns=frozenset(fold(w) for w in raw.get("words", {}).get("admin_nouns", [])),
        weekdays=tuple(dates.get("weekdays", [])),
        relative_days=tuple(dates.get("relative", [])),
        approximate=cues(loc.get("approximate", []), "approximate"),
        locative_after=frozenset(fold(w) for w in loc.get("after", [])),
        divisions=cues(loc.get("divisions", []), "division"),
        settlement_before=cues(loc.get("settlement_before", []), "settlement"),
        settlement_after=cues(loc.get("settlement_after", []), "settlement"),
        name_heads=cues(loc.get("name_heads", []), "settlement"),
        name_tails=cues(loc.get("name_tails", []), "tail"),
        possessive=frozenset(fold(w) for w in loc.get("possessive", [])),
        case_suffixes=frozenset(fold(w) for w in loc.get("case_suffixes", [])),
        place_verbs=frozenset(fold(w) for w in loc.get("place_verbs", [])),
        capitalised_nouns=bool(raw.get("words", {}).get("capitalised_nouns", False)),
        home_countries=frozenset(raw.get("words", {}).get("home_countries", [])),
        lowercase_name_words=bool(raw.get("words", {}).get("lowercase_name_words", False)),
        common_words_listed=bool(raw.get("words", {}).get("common_words_listed", False)),
        actor_heads=cues(actors.get("heads", []), "actor"),
        actor_stop=frozenset(fold(w) for w in actors.get("stop", [])),
        actor_modifiers=cues(actors.get("modifiers", []), "actor"),
        according_to=cues(att.get("according_to", []), "according_to"),
        source_before=frozenset(fold(w) for w in att.get("source_before", [])),
        said=cues(att.get("said", []), "said"),
        denied=cues(att.get("denied", []), "denied"),
        clause_words=frozenset(fold(w) for w in att.get("clause_words", [])),
        killed=cues(fat.get("killed", []), "killed"),
        not_killed=cues(fat.get("not_killed", []), "not_killed"),
        numbers=tuple((fold(k), int(v)) for k, v in raw.get("numbers", {}).items()),
        week_phrases=tuple(dates.get("week", [])) + tuple(dates.get("last_week", [])),
        month_phrases=tuple(dates.get("month", [])) + tuple(dates.get("last_month", [])),
        last_phrases=frozenset(dates.get("last_week", [])) | frozenset(dates.get("last_month", [])),
        clitics=clitics,
        endings=tuple(sorted((fold(e) for e in morph.get("endings", [])), key=len, reverse=True)),
        restore=("",) + tuple(fold(r) for r in morph.get("restore", []) if r),
        alternations=tuple((fold(a), fold(b)) for a, b in morph.get("alternations", [])),
        abbreviations=tuple((fold(a), fold(b)) for a, b in raw.get("lookup", {}).get("abbreviations", {}).items()),
        generic_tails=frozenset(fold(w) for w in raw.get("lookup", {}).get("generic_tails", [])),
    )
