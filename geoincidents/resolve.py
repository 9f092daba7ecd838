"""Stage 3: Mentions -> Toponyms (one gazetteer entry each, with a score).

Each candidate is described by a few evidence features, strongest kinds first:
  1. what the name is: a country's or region's name is that country or region, not a
     village named after it; a first-level division or capital outranks a village;
  2. how the name matched: the entry's own (primary) name beats an alternate name;
  3. the document's own context: the countries and divisions it names
     ('Novoivanovka ... di wilayah Gadabay' -> the Azerbaijani village), the
     places it names nearby (a coherent set beats scattered candidates), the words
     beside the name ('the Athens City Council' is a town, 'New York Gov.' a state)
     and the telephone numbers it gives ('519-661-5670' is Canadian; data/place_cues.toml);
  4. population.
A small conditional-logit ranker weighs them: the weights in data/ranker.json are
learned by scripts/train_ranker.py on the train splits of four annotated news corpora
(the file records which). The candidates are scored alone first, then twice with
what the other names of the document chose as context. The score reported is the
ranker's probability of the chosen place, so it is calibrated on those corpora.
"""
from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import regex

from . import lexicon
from .gazetteer import is_area
from .names import WORD, fold, fold_word
from .types import Candidate, Document, Mention, Place, Toponym

# What a candidate is, whatever the text around it says.
STATIC_FEATURES = (
    "country", "region", "other_area", "adm1", "adm2", "other_division", "capital", "seat", "lower_seat",
    "town", "landmark", "big_city", "own_name", "alternate_division", "demonym", "abbreviation", "foreign_name",
    "population",
    "most_populous", "population_gap",
    "dateline_town", "division_noun", "seat_division", "town_named_like_area", "division_named_like_country",
    "town_cue", "division_cue",
)
# What the document's other names say about it.
CONTEXT_FEATURES = (
    "country_named", "country_share", "division_country_share", "like_area_country_share",
    "admin_in_sentence", "admin_in_document", "admin_share", "near", "near_local", "area_share",
    "qualified", "qualifies", "admin_name_in_text", "near_share", "pair_local", "pair_share", "list_kind",
    "telephone_country", "neighbour_named",
)
FEATURES = STATIC_FEATURES + CONTEXT_FEATURES
NEAR_KM, NEAR_LOCAL_KM = 250.0, 50.0  # distance scales of the two proximity features
BIG_CITY = 1_000_000  # a city this large weighs like a capital
_PARTS = {  # how `static_parts` groups the static features for `gazetteer lookup`
    "feature_weight": ("country", "region", "other_area", "adm1", "adm2", "other_division", "capital", "seat",
                       "lower_seat", "town", "landmark", "big_city"),
    "name_weight": ("own_name", "alternate_division", "demonym", "abbreviation", "foreign_name"),
    "population_weight": ("population", "most_populous", "population_gap"),
}


@lru_cache(maxsize=1)
def model() -> dict:
    """The ranker's weights and their provenance (data/ranker.json)."""
    data = json.loads(resources.files("geoincidents").joinpath("data/ranker.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError("data/ranker.json was trained on other features: run scripts/train_ranker.py")
    return data


def weights() -> np.ndarray:
    return np.array(model()["weights"], dtype=float)


def distances_km(a: "np.ndarray", b: "np.ndarray") -> "np.ndarray":
    """Great-circle distances (haversine) between every row of ``a`` and of ``b`` (degrees lat, lon),
    as one matrix: a name's candidates against the document's other places at once."""
    la1, lo1 = np.radians(a[:, :1]), np.radians(a[:, 1:])
    la2, lo2 = np.radians(b[:, 0]), np.radians(b[:, 1])
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))


@dataclass(frozen=True)
class _Context:
    """What the names of the document chose in one round, one vote per distinct name.

    Evidence is keyed by the folded name (as an index into _Names.keys), so a name repeated
    ten times does not vouch for itself ('Dublin' x10 must not make Ireland the document's country).
    """

    chosen: list[Place]  # each distinct name's (key's) place, where it first stands; keys as in _Names.keys
    countries: frozenset[str]  # countries the document names
    admin_by_sentence: dict[int, list[tuple[int, tuple[str, str]]]]  # sentence -> (key, (cc, admin1))
    admins: list[tuple[int, tuple[str, str]]]  # first-level divisions the document names: (key, division)
    anchors: list[list]  # places (not areas), the keys that chose them, the place's column in _Names._km (or None)


_OF = frozenset({"of", "de", "del", "di", "du", "von"})  # 'the state of X', 'provincia de X'
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")  # WORD in ASCII text, found by the faster engine (as names.words)


def _division_words(doc: Document, m: Mention) -> bool:
    """Is the name beside a division noun ('Kandahar province', 'wilayah Gadabay')?"""
    nouns = lexicon.get(doc.lang).admin_nouns
    before = doc.text[max(0, m.start - 30) : m.start]
    after = doc.text[m.end : m.end + 30]
    before = [fold_word(k) for k in (_ASCII_WORD if before.isascii() else WORD).findall(before)[-2:]]  # as names.words
    after = [fold_word(k) for k in (_ASCII_WORD if after.isascii() else WORD).findall(after)[:2]]
    if len(before) == 2 and before[-1] in _OF:  # 'the state of Washington', 'province de Kandahar'
        before = before[:1]
    return bool(
        (before and (before[-1] in nouns or " ".join(before) in nouns))
        or (after and (after[0] in nouns or " ".join(after) in nouns))
    )


_CUE_KINDS = ("town_after", "town_before", "division_after", "division_before")
# one or two words right after a name ("Dublin's city manager", 'Berea Police', 'Kent-based')
_CUE_AFTER = regex.compile(r"(?:['\u2019]s)?[ -]+([\p{L}\p{M}]+)(?:[ -]+([\p{L}\p{M}]+))?")


@lru_cache(maxsize=1)
def _telephone_plans() -> list[tuple[re.Pattern, frozenset[str]]]:
    """(how a numbering plan writes a telephone number, its countries), from data/place_cues.toml."""
    return [(re.compile(plan["pattern"]), frozenset(plan["countries"]))
            for plan in lexicon.place_cues().get("telephone", {}).values()]


_DIGITS = re.compile(r"\d\d\d[-.]\d\d\d\d")  # in every number of the plans: the text is searched for them when it has one


def _telephone_countries(text: str) -> frozenset[str]:
    """The countries whose numbering plan writes a telephone number of the text ('519-661-5670')."""
    found: frozenset[str] = frozenset()
    if not _DIGITS.search(text):
        return found
    for pattern, countries in _telephone_plans():
        if pattern.search(text):
            found |= countries
    return found


def _place_cues(doc: Document, m: Mention) -> tuple[bool, bool]:
    """Does a word right beside the name say it is a town ('Athens City Council', 'a Columbia
    woman', 'the city of Athens') and does one say it is a state or province ('New York Gov.',
    'upstate New York')? Only words of the name's own sentence count."""
    if not any(lexicon.place_cue_words(doc.lang, kind) for kind in _CUE_KINDS):
        return False, False
    words = []
    after = _CUE_AFTER.match(doc.text, m.end)
    if after:
        one = fold_word(after[1])
        words.append(("_after", one))
        if after[2]:
            words.append(("_after", f"{one} {fold_word(after[2])}"))
    if m.start and doc.text[m.start - 1] == " ":  # the words right before, up to a non-letter
        before = doc.text[max(0, m.start - 30) : m.start - 1].split(" ")[-2:]
        if before[-1].isalpha():
            one = fold_word(before[-1])
            words.append(("_before", one))
            if len(before) == 2 and before[0].isalpha():
                words.append(("_before", f"{fold_word(before[0])} {one}"))
    return (any(w in lexicon.place_cue_words(doc.lang, "town" + side) for side, w in words),
            any(w in lexicon.place_cue_words(doc.lang, "division" + side) for side, w in words))


# after a dateline's town: the agency ('(AP)'), then a dash, a colon or the state or country
# ('KYIV, March 3', 'SALINA, Kan.'); a town at the very start of a line may go straight on
# with the first sentence ('LONDON The Latest on ...')
_DATELINE = regex.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:[-:\u2013\u2014\u2015\x97\ufffd\"\u201d]|,\s*\p{Lu})")
_DATELINE_START = regex.compile(r"\s*(?:\([^)]{1,40}\))?\s+\p{Lu}\p{Ll}")
_AGENCY = regex.compile(r"\s*\(\p{Lu}[\p{L}. ]{0,20}\)\s*[-:\u2013\u2014\u2015\x97]")  # '(AP) \u2014' anywhere
_BEFORE_DATELINE = ('.', '!', '?', ':', '"', '\u201d', '\u2019', ')')  # ends of a headline or byline


def _dateline(doc: Document, m: Mention) -> bool:
    """Does the name in capitals open a line, or the text after a headline or a byline on the
    same line, before a dash or a date ('WASHINGTON (AP) \u2014', 'KYIV, March 3', 'Headline. BEIRUT:',
    'Reporter March 30, 2009 NEWARK --', '(NEW YORK) \u2014')? A dateline names the town the report
    was filed from."""
    if not (m.text.isupper() and len(m.text) > 2):
        return False
    text = doc.text
    before = text[text.rfind("\n", 0, m.start) + 1 : m.start].rstrip()
    if not before:
        return bool(_DATELINE.match(text, m.end) or _DATELINE_START.match(text, m.end))
    if before == "(" and text.startswith(")", m.end):  # '(NEW YORK) \u2014'
        return bool(_DATELINE.match(text, m.end + 1))
    if _AGENCY.match(text, m.end):
        return True
    last = before.split()[-1]
    ends = before.endswith(_BEFORE_DATELINE)
    if not ends and last.isupper() and any(ch.isalpha() for ch in last):
        return False  # a headline in capitals ('CHECK YOUR TICKETS NEW JERSEY')
    return (ends or before[-1].isdigit() or before[-1] == "%") and bool(_DATELINE.match(text, m.end))


def _kind(p: Place) -> str:
    """The place's feature type: one of the first static features."""
    kind = _KINDS.get((p.feature_code, p.feature_class))
    if kind is None:
        kind = _KINDS[(p.feature_code, p.feature_class)] = _kind_of(p)
    return kind


_KINDS: dict[tuple[str, str], str] = {}  # (feature code, feature class) -> _kind
# (feature code, feature class) -> (is_area, _kind, _group, a first-level division, a country)
_KIND_OF: dict[tuple[str, str], tuple[bool, str, str, bool, bool]] = {}


def _kind_of(p: Place) -> str:
    code = p.feature_code
    if code.startswith("PCL"):
        return "country"
    if code.startswith(("CONT", "RGN", "TERR", "OCN", "SEA", "GULF")):
        return "region"
    if is_area(p):
        return "other_area"
    if code.startswith("ADM1"):
        return "adm1"
    if code.startswith("ADM2"):
        return "adm2"
    if p.feature_class == "A":
        return "other_division"
    if code == "PPLC":
        return "capital"
    if code == "PPLA":
        return "seat"
    if code.startswith("PPLA"):
        return "lower_seat"
    if p.feature_class != "P":
        return "landmark"  # airports, air bases, parks, mountains
    return "town"


# A division by one of its alternate names only ('Columbia' for the District of Columbia,
# 'Texas' for Texas County): the weight of a division's kind is for its own name.
_DIVISION_KINDS = frozenset(("adm1", "adm2", "other_division"))
_INDEX = {name: k for k, name in enumerate(FEATURES)}
_N_FEATURES = len(FEATURES)


def static_features(c: Candidate) -> np.ndarray:
    """The features a candidate has alone, without the mention's other candidates or the text."""
    return np.array(_static_row(c))


def _static_row(c: Candidate) -> list[float]:
    p = c.place
    row = [0.0] * len(FEATURES)
    row[_INDEX[_kind(p)]] = 1.0
    row[_INDEX["big_city"]] = float(p.feature_class == "P" and p.population >= BIG_CITY)
    row[_INDEX["own_name"]] = float(c.name_kind != "alternate")
    row[_INDEX["alternate_division"]] = float(c.name_kind == "alternate" and _kind(p) in _DIVISION_KINDS)
    row[_INDEX["demonym"]] = float(c.name_kind == "demonym")
    row[_INDEX["abbreviation"]] = float(c.name_kind == "abbrev")
    row[_INDEX["foreign_name"]] = float(c.foreign)
    row[_INDEX["population"]] = math.log10(p.population + 1)
    return row


@lru_cache(maxsize=16384)
def _folded(name: str) -> str:
    """fold(name), remembered: the same divisions' names come back in every document."""
    return fold(name)


# The text's words are ASCII ones when no letter, mark or digit outside ASCII stands in it
# (curly quotes and dashes are no word's): then they are folded at once, bytes at a time.
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_WORD_NOT_ASCII = regex.compile(r"(?V1)[[\p{L}\p{M}\p{N}]--[\x00-\x7f]]")
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def _ascii_words(text: str) -> list[str] | None:
    """The text's folded words (fold(text).split()) when they are all ASCII: no letter, mark
    or digit outside ASCII stands in the text. Then fold_word is str.lower, and all else
    separates words (a non-ASCII character encodes as '?'). Else None."""
    if text.isascii() or not _WORD_NOT_ASCII.search(_ASCII_RUNS.sub("", text)):
        return text.encode("ascii", "replace").translate(_ASCII_FOLD).decode("ascii").split()
    return None


class _Text:
    """The document's folded words, space-separated and space-padded (f" {fold(text)} "), asked
    whether they contain a name; computed when first asked, each name's answer remembered."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._words: str | None = None
        self._set: set[str] | None = None  # the words, when all are ASCII (see _ascii_words)
        self._found: dict[str, bool] = {}

    def names(self, folded: str) -> bool:
        """Does the text name the name whose fold is ``folded``?"""
        found = self._found.get(folded)
        if found is None:
            if self._words is None:
                words = _ascii_words(self.doc.text)
                if words is None:
                    self._words = f" {fold(self.doc.text)} "
                else:
                    self._words = f" {' '.join(words)} "
                    self._set = set(words)
            first, space, _ = folded.partition(" ")
            if self._set is None or not first:
                found = f" {folded} " in self._words
            elif first not in self._set:
                found = False  # not even its first word is a word of the text
            else:  # a one-word name is a word of the text; a longer one, its words in a row?
                found = not space or f" {folded} " in self._words
            self._found[folded] = found
        return found


def c_own(best: dict[int, Candidate], p: Place) -> bool:
    """Is ``p`` among the candidates by its own name (not an alternate one)?"""
    return best[p.id].name_kind != "alternate"


class _Name:
    """The candidates of a name, whatever the document: one row per distinct place among them
    (its best-matching name), with the static features that do not depend on where the name
    stands, and what the context features need of each place. One gazetteer answer (as the
    recogniser kept it) comes back in many documents: see `_name`, which shares them."""

    def __init__(self, candidates: tuple[Candidate, ...]):
        self.candidates = candidates  # kept: their ids are the name's key in _NAMES
        best: dict[int, Candidate] = {}
        for c in candidates:
            old = best.get(c.place.id)
            if old is None or (c.name_kind != "alternate" and old.name_kind == "alternate"):
                best[c.place.id] = c  # the place's own name beats an alternate one
        self._best = best
        self.places = plist = [c.place for c in best.values()]
        self.ids = frozenset(best)
        self.area = area = []
        # Places at a point (towns, divisions, landmarks) in a known country: all the context
        # features but the country's own are theirs.
        self.points = points = []
        keys = []  # their (lat, lon)
        self.point_pos = pos = [-1] * len(plist)  # where each place stands among the points (-1: none)
        # the distinct countries and divisions of the places (in order), as _Names joins them in a document
        countries: dict[str, None] = {}
        divisions: dict[tuple[str, str], None] = {}
        # what a round needs of each place when the name chooses it (see _Names.context): the
        # country it is ('' for none), its first-level division (None for an area or a place in
        # none), whether it is a first-level division, whether it lies at a point (no area)
        self.facts = facts = []
        self.groups = groups = []  # as a list mixes them (list_kind)
        self.qualifies = qualifies = []  # 'Paris, Texas': a first-level division or a country
        self.kinds = kinds = []  # _kind of each
        for k, p in enumerate(plist):
            code = p.feature_code
            kind_of = _KIND_OF.get((code, p.feature_class))
            if kind_of is None:
                kind = _kind(p)
                kind_of = _KIND_OF[(code, p.feature_class)] = (
                    is_area(p), kind, _GROUPS.get(kind, kind), code.startswith("ADM1"), code.startswith("PCL"))
            a, kind, group, adm1, pcl = kind_of
            area.append(a)
            kinds.append(kind)
            cc, a1 = p.country_code, p.admin1_code
            if cc:
                countries[cc] = None
                if not a:
                    pos[k] = len(points)
                    points.append(k)
                    keys.append((p.lat, p.lon))
            if a1:
                divisions[(cc, a1)] = None
            facts.append((cc if pcl else "", (cc, a1) if a1 and not a else None, adm1, not a))
            groups.append(group)
            qualifies.append(adm1 or pcl)
        self.point_latlon = np.array(keys, dtype=float).reshape(-1, 2)
        self.country_codes = list(countries)
        self.division_codes = list(divisions)
        # (dateline, division noun, town cue, division cue) -> rows
        self._static: dict[tuple[bool, bool, bool, bool], np.ndarray] | None = None
        if len(plist) > 1:
            self._ranked()  # else only when its rows are asked for: one place has nothing to choose

    def _ranked(self) -> None:
        """The static rows, and what the context features need of the places."""
        best, plist, area = self._best, self.places, self.area
        chosen = list(best.values())
        n = len(plist)
        # the rows of _static_row, and the columns below
        x = np.zeros((n, len(FEATURES)))
        top = max(p.population for p in plist)
        at: list[int] = []  # flat indices into x of its ones
        population: list[float] = []
        seats, capitals, areas = set(), set(), set()
        self.divisions = divisions = []
        names_division = False
        for k, (c, p, kind) in enumerate(zip(chosen, plist, self.kinds)):
            row = k * _N_FEATURES
            at.append(row + _INDEX[kind])
            own = c.name_kind != "alternate"
            if p.feature_class == "P" and p.population >= BIG_CITY:
                at.append(row + _INDEX["big_city"])
            if not own and kind in _DIVISION_KINDS:
                at.append(row + _INDEX["alternate_division"])
            if c.foreign:  # a name of another language than the text's ('Columbia' for Colombia in English)
                at.append(row + _INDEX["foreign_name"])
            if own:
                at.append(row + _INDEX["own_name"])
                if c.name_kind == "demonym":
                    at.append(row + _INDEX["demonym"])
                elif c.name_kind == "abbrev":
                    at.append(row + _INDEX["abbreviation"])
            if top > 0 and p.population == top:
                at.append(row + _INDEX["most_populous"])
            population.append(math.log10(p.population + 1))
            code = p.feature_code
            # A division named like its seat town ('Kandahar') or like a city of a million in it
            # ('New York'): news means the city, unless a division noun or cue stands beside the
            # name (see `static`: 'Kandahar province', 'New York Gov.', 'upstate New York').
            # Likewise a division named like its country's capital, wherever the capital lies ('Washington').
            if p.admin1_code and (code in ("PPLA", "PPLC") or (p.feature_class == "P" and p.population >= BIG_CITY)):
                seats.add((p.country_code, p.admin1_code))
            if code == "PPLC" and c_own(best, p):
                capitals.add(p.country_code)
            if p.feature_class == "A" and not area[k]:
                divisions.append(k)
            # the countries of the areas whose own name this is ('China', 'Canadian', 'Middle East' -> {''})
            if area[k] and own:
                areas.add(p.country_code)
            # the name is a first-level division's or a country's own: a division after a comma starts a
            # list ('Washington, Oregon and California'), not a qualifier ('Paris, Texas'); a country
            # after it still qualifies it ('Queensland, Australia', 'Punjab, India')
            if own and code.startswith(("ADM1", "PCL")):
                names_division = True
        self.names_division = names_division
        x.reshape(-1)[at] = 1.0
        x[:, _INDEX["population"]] = population
        x[:, _INDEX["population_gap"]] = math.log10(top + 1) - x[:, _INDEX["population"]]
        for k in divisions:
            p = plist[k]
            if p.feature_code == "ADM1" and ((p.country_code, p.admin1_code) in seats or p.country_code in capitals):
                x[k, _INDEX["seat_division"]] = 1.0
        like_area = [False] * n  # a town or division named like an area ('Mexico' the state)
        if areas:
            for k, p in enumerate(plist):
                if p.feature_class == "P":
                    x[k, _INDEX["town_named_like_area"]] = 1.0
                    like_area[k] = True
                elif p.feature_class == "A" and not area[k] and p.country_code in areas:
                    x[k, _INDEX["division_named_like_country"]] = 1.0
                    like_area[k] = True
        self._static = {(False, False, False, False): x}
        # whether a town cue or a division cue would tell some places from the others
        towns = sum(p.feature_class == "P" for p in plist)
        self.some_towns = 0 < towns < n
        self.some_divisions = 0 < len(divisions) < n
        self.cued = self.some_towns or self.some_divisions

        # What the context features need. A country's own entry: its country.
        self.own_countries = [(k, p.country_code) for k, p in enumerate(plist)
                              if area[k] and p.country_code and p.feature_code.startswith("PCL")]
        self.point_countries = countries = []
        self.point_admin1_codes = admin1_codes = []
        adm1, like = [], []
        # (k, its first-level division) of the points in one
        self.point_divisions = point_divisions = []
        # (k, the name of its division, folded) of the points below the first level, which the text may spell out
        self.admin1_folded = admin1_folded = []
        for k in self.points:
            p = plist[k]
            countries.append(p.country_code)
            admin1_codes.append(p.admin1_code)
            is_adm1 = p.feature_code.startswith("ADM1")
            adm1.append(is_adm1)
            like.append(like_area[k])
            if p.admin1_code:
                point_divisions.append((k, (p.country_code, p.admin1_code)))
            if p.admin1 and not is_adm1:
                admin1_folded.append((k, _folded(p.admin1)))
        # where a point's country share goes: apart for a town or division named like an area,
        # else as a first-level division's or as any other place's
        self.share_columns = [_INDEX["like_area_country_share"] if a else _INDEX["division_country_share"] if d
                              else _INDEX["country_share"] for a, d in zip(like, adm1)]
        self.unlike_area = [not a for a in like]  # 'country_named' is theirs
        self.division_ks = [k for k, _ in point_divisions]
        self.division_of_points = [d for _, d in point_divisions]
        groups: dict[str, list[int]] = {}
        for k, admin1 in admin1_folded:
            groups.setdefault(admin1, []).append(k)
        self.admin1_groups = list(groups.items())  # (a division's name, folded; the points in it)

    def rows(self) -> np.ndarray:
        """The static rows where no dateline, division noun or cue word stands beside the name."""
        if self._static is None:
            self._ranked()
        return self._static[(False, False, False, False)]

    def static(self, doc: Document, m: Mention) -> np.ndarray:
        """The static rows where the occurrence ``m`` of the name stands: a dateline names a town
        ('KYIV, March 3'); a division noun beside the name ('Kandahar province') names the division;
        a word beside it may say it is a town ('Athens City Council') or a state ('New York Gov.').
        Shared: not to be changed."""
        if self._static is None:
            self._ranked()
        town = division = False
        if self.cued:  # (a cue for all of the name's places or for none changes no choice)
            town, division = _place_cues(doc, m)
            town, division = town and self.some_towns, division and self.some_divisions
        variant = (_dateline(doc, m), bool(self.divisions) and _division_words(doc, m), town, division)
        x = self._static.get(variant)
        if x is None:
            x = self._static[variant] = self._static[(False, False, False, False)].copy()
            dateline, division_noun, town, division = variant
            if dateline or town:
                towns = [float(p.feature_class == "P") for p in self.places]
                if dateline:
                    x[:, _INDEX["dateline_town"]] = towns
                if town:
                    x[:, _INDEX["town_cue"]] = towns
            if division_noun:
                x[self.divisions, _INDEX["division_noun"]] = 1.0
            if division:
                x[self.divisions, _INDEX["division_cue"]] = 1.0
            if division_noun or division:  # 'Kandahar province', 'New York Gov.': the division after all
                x[:, _INDEX["seat_division"]] = 0.0
        return x


_NAMES: dict[tuple[int, ...], _Name] = {}  # the ids of a name's candidates -> the _Name
_NAMES_SIZE = 8192


def _name(candidates: tuple[Candidate, ...], ident: tuple[int, ...] | None = None) -> _Name:
    """The _Name of these candidates (``ident``: their ids), made once while the recogniser
    hands out the same candidates (it remembers the gazetteer's answers; the _Name keeps them
    alive, so their ids stay theirs)."""
    if ident is None:
        ident = tuple(map(id, candidates))
    name = _NAMES.get(ident)
    if name is None:
        if len(_NAMES) >= _NAMES_SIZE:
            _NAMES.clear()
        name = _NAMES[ident] = _Name(candidates)
    return name


def _same_family(a: str, b: str) -> bool:
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _families(keys: list[str]) -> list[list[bool]]:
    """_same_family of every two keys, as rows of booleans: a key's family is itself and the
    keys that are a word-prefix of it ('dublin', 'dublin city') or of which it is one."""
    index = {k: i for i, k in enumerate(keys)}
    family = [[False] * len(keys) for _ in keys]
    for i, key in enumerate(keys):
        family[i][i] = True
        at = key.find(" ")
        while at >= 0:
            j = index.get(key[:at])
            if j is not None:
                family[i][j] = family[j][i] = True
            at = key.find(" ", at + 1)
    return family


class _Names:
    """A document's distinct names (a folded key and its candidates) and what the ranker's
    rounds need of them, computed once.

    The context features are computed for all the names that have a choice (several places)
    at once: their candidates' rows are stacked, and each candidate's country, division and
    point are arrays over those rows. A name's own family (itself, and the names it is part of
    or that are part of it: 'Dublin', 'Dublin City') does not vouch for it.
    """

    def __init__(self, doc: Document, mentions: tuple[Mention, ...],
                 neighbours: Mapping[str, frozenset[str]] | None = None):
        self.mentions = mentions
        first: dict[str, int] = {}  # each key's first mention
        groups: dict[tuple, int] = {}
        self.names: list[tuple[str, _Name]] = []  # (key, candidates)
        self.of_mention: list[int] = []  # each mention's name (index into names)
        idents: dict[int, tuple[int, ...]] = {}  # id(candidates) -> their ids (the tuples live as long as this)
        for i, m in enumerate(mentions):
            key = m.key
            if key not in first:
                first[key] = i
            ids = idents.get(id(m.candidates))
            if ids is None:
                ids = idents[id(m.candidates)] = tuple(map(id, m.candidates))
            ident = (key, ids)
            g = groups.get(ident)
            if g is None:
                g = groups[ident] = len(self.names)
                self.names.append((key, _name(m.candidates, ids)))
            self.of_mention.append(g)
        self.keys = list(first)
        self.key_index = key_index = {k: i for i, k in enumerate(self.keys)}
        self.key_of = [key_index[m.key] for m in mentions]  # each mention's key (index into keys)
        self.first_mention = list(first.values())
        names = self.names
        self.name_of = [names[g][1] for g in self.of_mention]  # each mention's _Name
        self.family_rows = _families(self.keys)  # _same_family of every two keys

        # The names with a choice, their rows stacked: name g's rows start at offset[g].
        self.ranked = [g for g, (_, n) in enumerate(names) if len(n.places) > 1]
        if not self.ranked:
            return
        chain = itertools.chain.from_iterable
        self.country_id = cid = {cc: i for i, cc in enumerate(dict.fromkeys(chain(n.country_codes for _, n in names)))}
        self.division_id = did = {d: i for i, d in enumerate(dict.fromkeys(chain(n.division_codes for _, n in names)))}
        ranked = [names[g] for g in self.ranked]
        starts = [0, *itertools.accumulate(len(n.places) for _, n in ranked)]
        self.offset = dict(zip(self.ranked, starts))
        self.n_rows = starts[-1]
        # The context features are written at flat indices into the stacked rows (row * F +
        # column) from flat indices into the round's votes (ranked name * W + ballot column: see
        # context_rows), gathered here: a ranked name's country's own entries, its points (where
        # their country's share goes, 'country_named' of those not named like an area, 'near'),
        # its points in a first-level division.
        F = _N_FEATURES
        nc, nd = len(cid), len(did)
        self.width = W = 2 * nc + 2 * nd + len(mentions)
        own_to, own_from, own_name = [], [], []
        point_rows, point_name, share_to, share_from, named_to, named_country = [], [], [], [], [], []
        division_to, division_from, division_name = [], [], []
        area_share, country_named = _INDEX["area_share"], _INDEX["country_named"]
        for i, ((_, n), start) in enumerate(zip(ranked, starts)):
            v = i * W
            for k, cc in n.own_countries:
                own_to.append((start + k) * F + area_share)
                own_from.append(v + nc + cid[cc])
                own_name.append(i)
            rows = [start + k for k in n.points]
            point_rows.extend(rows)
            point_name.extend([i] * len(rows))
            countries = [cid[cc] for cc in n.point_countries]
            share_to.extend([r * F + c for r, c in zip(rows, n.share_columns)])
            share_from.extend([v + c for c in countries])
            for r, c, unlike in zip(rows, countries, n.unlike_area):
                if unlike:
                    named_to.append(r * F + country_named)
                    named_country.append(c)
            division_to.extend([(start + k) * F for k in n.division_ks])
            division_from.extend([v + 2 * nc + did[d] for d in n.division_of_points])
            division_name.extend([i] * len(n.division_ks))
        self.own = (np.array(own_to, dtype=int), np.array(own_from, dtype=int))
        self.shares = (np.array(share_to, dtype=int), np.array(share_from, dtype=int))
        self.named = (np.array(named_to, dtype=int), np.array(named_country, dtype=int))
        # which of the names' countries border which (Gazetteer.neighbours): 'neighbour_named'
        self.bordering = None
        if neighbours and named_to:
            bordering = np.zeros((nc, nc))
            for cc, i in cid.items():
                for j in [cid[nb] for nb in neighbours.get(cc, ()) if nb in cid]:
                    bordering[i, j] = 1.0
            if bordering.any():
                self.bordering = bordering
        division_to, division_from = np.array(division_to, dtype=int), np.array(division_from, dtype=int)
        self.division_share = (division_to + _INDEX["admin_share"], division_from)
        self.division_named = (division_to + _INDEX["admin_in_document"], division_from + nd)
        # the rows of the points, their names (indices into ranked), their coordinates
        self.points = (np.array(point_rows, dtype=int), np.array(point_name, dtype=int))
        # the points that are first-level divisions (their indices among the points), and which
        # division each is: a division holds the places in it
        divisions = [(at, did[(n.places[k].country_code, n.places[k].admin1_code)])
                     for at, (n, k) in enumerate((n, k) for _, n in ranked for k in n.points)
                     if n.kinds[k] == "adm1" and n.places[k].admin1_code]
        self.adm1_points = np.array([at for at, _ in divisions], dtype=int)
        self.adm1_ids = np.array([d for _, d in divisions], dtype=int)
        self.point_latlon = np.concatenate([n.point_latlon for _, n in ranked])
        # the ranked names' static rows where no dateline or division noun is beside them, stacked
        self.static_rows = np.concatenate([n.rows() for _, n in ranked])
        # rows of points whose division the text spells out, not as part of the name itself
        # ('Springfield ... Illinois', but not 'New York' for New York City): the same in every round
        text = _Text(doc)
        spelled = []
        for (key, n), start in zip(ranked, starts):
            for admin1, ks in n.admin1_groups:
                if text.names(admin1) and not _same_family(admin1, key):
                    spelled.extend([start + k for k in ks])
        self.fixed = np.zeros((self.n_rows, F))  # the context features that are the same in every round
        self.fixed[spelled, _INDEX["admin_name_in_text"]] = 1.0
        # candidates in the countries whose telephone numbers the text writes: the same in every round
        phoned = _telephone_countries(doc.text)
        if phoned:
            self.fixed[[start + k for (_, n), start in zip(ranked, starts)
                        for k, p in enumerate(n.places) if p.country_code in phoned], _INDEX["telephone_country"]] = 1.0
        # the other names, outside each ranked name's family (one vote each), and how many they are
        family = np.array(self.family_rows, dtype=bool)[[key_index[key] for key, _ in ranked]]
        self._pairs(family[:, [key_index[key] for key, _ in names]])
        self.not_family = (~family).astype(float)
        others = np.maximum(len(self.keys) - family.sum(axis=1), 1)  # no other name: every share 0 / 1
        # ... for each feature written from the votes
        self.others = (others[own_name], others[point_name], others[division_name])

    def _pairs(self, family: np.ndarray) -> None:
        """'pair_local': how near the nearest candidate of an other name is, whatever that name
        chose ('Richmond' ... 'Madison County': the Richmond and the Madison County that lie
        together, though each alone would be elsewhere), and 'pair_share', the mean of that
        nearness over the other names. Other names: outside the name's
        family (``family``: ranked names x names), sharing no candidate with it (not a second
        spelling of it). Keeps the distances of the ranked names' points to all the names'
        points for the rounds (``_km``: name g's points are its columns from ``column[g]`` on)."""
        self._km = None
        rows, name = self.points
        sizes = [len(n.points) for _, n in self.names]
        self.column = list(itertools.accumulate(sizes, initial=0))
        if not self.column[-1] or not len(rows):
            return
        latlon = np.concatenate([n.point_latlon for _, n in self.names])
        allowed = ~family
        ids = [n.ids for _, n in self.names]
        if len(set().union(*ids)) < sum(map(len, ids)):  # some names share a candidate
            for i, g in enumerate(self.ranked):
                for h in range(len(ids)):
                    if allowed[i, h] and ids[g] & ids[h]:
                        allowed[i, h] = False
        self._km = km = distances_km(self.point_latlon, latlon)
        # the nearest point of each name with points, then of the allowed ones: the nearest of
        # all ('pair_local') and their mean ('pair_share': 'New London' beside both 'Mt. Pleasant'
        # and 'Winfield' of Iowa, not only one of them)
        some = [h for h, size in enumerate(sizes) if size]
        km = np.minimum.reduceat(km, [self.column[h] for h in some], axis=1)
        counted = allowed[name][:, some]
        near = np.where(counted, np.exp(-km / NEAR_LOCAL_KM), 0.0)
        self.fixed[rows, _INDEX["pair_local"]] = near.max(axis=1)
        self.fixed[rows, _INDEX["pair_share"]] = near.sum(axis=1) / np.maximum(counted.sum(axis=1), 1)

    def context(self, picks: list[int]) -> _Context:
        """What the names chose in this round (``picks``: each mention's place, as an index
        into its _Name's places)."""
        countries = set()
        admins: list[tuple[int, tuple[str, str]]] = []
        by_sentence: dict[int, list[tuple[int, tuple[str, str]]]] = {}
        users: dict[int, list] = {}  # place id -> [the place, the keys that chose it, its column in _km]
        column = self.column
        for m, key, g, n, k in zip(self.mentions, self.key_of, self.of_mention, self.name_of, picks):
            country, division, adm1, point = n.facts[k]
            if country:
                countries.add(country)
            if division is not None:
                if adm1:
                    admins.append((key, division))
                by_sentence.setdefault(m.sentence, []).append((key, division))
            if point:
                p = n.places[k]
                at = n.point_pos[k]
                at = column[g] + at if at >= 0 else None
                user = users.get(p.id)
                if user is None:
                    users[p.id] = [p, {key}, at]
                else:  # the last one's place stands for them, as the original dict of places had it
                    user[0] = p
                    user[1].add(key)
                    user[2] = at
        name_of = self.name_of
        return _Context(
            chosen=[name_of[i].places[picks[i]] for i in self.first_mention],
            countries=frozenset(countries),
            admin_by_sentence=by_sentence,
            admins=admins,
            anchors=list(users.values()),
        )

    def context_rows(self, ctx: _Context) -> np.ndarray:
        """The context features of all the ranked names' candidates (rows stacked as ``offset``
        says; the static columns are 0), from what the document's other names chose; the same
        wherever the name stands ('admin_in_document' is moved to 'admin_in_sentence' per
        mention, by _mention_context)."""
        x = self.fixed.copy()
        flat = x.reshape(-1)
        col = _INDEX
        cid, did = self.country_id, self.division_id
        # One (names x votes) ballot, counted for each ranked name over the names outside its
        # family: a name's place in each country, at a point in each country, at a point in each
        # first-level division; the first-level division it is; the places at a point it chose.
        nc, nd = len(cid), len(did)
        at_division, at_named, at_anchor = 2 * nc, 2 * nc + nd, 2 * nc + 2 * nd
        ballots = np.zeros((len(ctx.chosen), self.width))
        voter: list[int] = []
        vote: list[int] = []
        for key, p in enumerate(ctx.chosen):
            if p.country_code:
                voter.append(key)
                vote.append(cid[p.country_code])
                if not is_area(p):
                    voter.append(key)
                    vote.append(nc + cid[p.country_code])
                    if p.admin1_code:
                        voter.append(key)
                        vote.append(at_division + did[(p.country_code, p.admin1_code)])
            elif p.admin1_code and not is_area(p):
                voter.append(key)
                vote.append(at_division + did[(p.country_code, p.admin1_code)])
        for key, d in ctx.admins:
            voter.append(key)
            vote.append(at_named + did[d])
        for a, (_, keys, _) in enumerate(ctx.anchors):
            voter.extend(keys)
            vote.extend([at_anchor + a] * len(keys))
        ballots[voter, vote] = 1.0
        votes = self.not_family @ ballots
        counts = votes.reshape(-1)
        own_others, point_others, division_others = self.others

        # the shares of the other names' votes
        to, at = self.own
        flat[to] = counts[at] / own_others
        to, at = self.shares
        flat[to] = counts[at] / point_others
        to, country = self.named
        named = np.array([cc in ctx.countries for cc in cid], dtype=float)
        flat[to] = named[country]
        if self.bordering is not None and ctx.countries:  # 'Gaza' beside 'Israel': a country it borders
            flat[to + (col["neighbour_named"] - col["country_named"])] = (self.bordering @ named > 0)[country]
        to, at = self.division_share
        flat[to] = counts[at] / division_others
        if ctx.admins:
            to, at = self.division_named
            flat[to] = counts[at] > 0

        # how near the other names' places are: the nearest one, and the share within NEAR_KM
        rows, name = self.points
        if ctx.anchors and len(rows):
            counted = votes[name, at_anchor : at_anchor + len(ctx.anchors)] > 0  # (rows, anchors): chosen by an other name
            columns = [at for _, _, at in ctx.anchors]
            if self._km is None or None in columns:  # (a place at no point of the names: not in _km)
                km = distances_km(self.point_latlon, np.array([[q.lat, q.lon] for q, _, _ in ctx.anchors]))
            else:
                km = self._km[:, columns]
            if len(self.adm1_points):  # a division is at no distance from the places in it
                did = self.division_id
                inside = np.array([did.get((q.country_code, q.admin1_code), -1) for q, _, _ in ctx.anchors])
                r, a = np.nonzero(self.adm1_ids[:, None] == inside)
                km[self.adm1_points[r], a] = 0.0  # (km is this round's copy)
            n = counted.sum(axis=1)
            has = n > 0
            nearest = np.where(counted, km, np.inf).min(axis=1)[has]
            at = rows[has] * _N_FEATURES
            flat[at + col["near"]] = list(map(math.exp, (nearest / -NEAR_KM).tolist()))  # math.exp(-d / NEAR_KM)
            flat[at + col["near_local"]] = list(map(math.exp, (nearest / -NEAR_LOCAL_KM).tolist()))
            flat[at + col["near_share"]] = (counted & (km <= NEAR_KM)).sum(axis=1)[has] / n[has]
        return x


_LIST = regex.compile(r"\s*(?:,|/|&|,?\s*(?:and|or|und|et|y|dan|и|та)\b)\s*")  # between the names of a list
_GROUPS = {"capital": "town", "seat": "town", "lower_seat": "town"}  # kinds a list mixes freely


def _mention_context(x: np.ndarray, name: _Name, family: list[bool], in_sentence: list[tuple[int, tuple[str, str]]],
                     qualifier: Place | None, listed: frozenset[str] = frozenset(),
                     town: Place | None = None) -> np.ndarray:
    """What only this occurrence of the name has: a division named in its sentence
    (``in_sentence``: the divisions the names of its sentence chose, with their keys; those of
    the name's own ``family`` do not count), ``qualifier``, the division or country named
    right after it ('Paris, Texas'), and ``town``, the town named right before it, which its
    division or country qualifies ('Buffalo, New York': the state). ``x`` is the name's rows;
    a copy is returned when this occurrence changes them."""
    named = {d for key, d in in_sentence if not family[key]}
    beside = [k for k, d in name.point_divisions if d in named] if named else ()
    qualified = ()
    if qualifier is not None:
        cc, a1 = qualifier.country_code, qualifier.admin1_code
        if qualifier.feature_code.startswith("ADM1"):
            qualified = [k for k, c, a in zip(name.points, name.point_countries, name.point_admin1_codes)
                         if c == cc and a == a1]
        else:
            qualified = [k for k, c in zip(name.points, name.point_countries) if c == cc]
    # 'Washington, Oregon and California': the kinds of place the list's other names chose
    kinds = [k for k, group in enumerate(name.groups) if group in listed] if listed else ()
    qualifies = ()
    if town is not None:
        qualifies = [k for k, (p, ok) in enumerate(zip(name.places, name.qualifies)) if ok
                     and p.country_code == town.country_code
                     and (not p.feature_code.startswith("ADM1") or p.admin1_code == town.admin1_code)]
    if not beside and not qualified and not kinds and not qualifies:
        return x
    x = x.copy()
    if kinds:
        x[kinds, _INDEX["list_kind"]] = 1.0
    if beside:
        x[beside, _INDEX["admin_in_sentence"]] = 1.0
        x[beside, _INDEX["admin_in_document"]] = 0.0
    if qualified:
        x[qualified, _INDEX["qualified"]] = 1.0
    if qualifies:
        x[qualifies, _INDEX["qualifies"]] = 1.0
    return x


_NO_KINDS: frozenset[str] = frozenset()


def _final_rows(doc: Document, mentions: tuple[Mention, ...], w: np.ndarray, every: bool = True,
                neighbours: Mapping[str, frozenset[str]] | None = None,
                ) -> tuple[list[_Name], list[np.ndarray | None], dict[int, tuple[np.ndarray, int, np.ndarray]]]:
    """candidate_features, whose rows here may be shared (by mentions, and by documents): read
    only. Each mention's _Name, its rows (without ``every``, None for a name with one place:
    it has nothing to choose), and the scores (x @ w) of those rows the last round scored:
    id(rows) -> (rows, best row, scores)."""
    names = _Names(doc, mentions, neighbours)
    name_of = names.name_of
    active = [i for i, n in enumerate(name_of) if len(n.places) > 1]  # the mentions with a choice
    if every:
        static = [n.static(doc, m) for n, m in zip(name_of, mentions)]
    else:
        static = [None] * len(mentions)
        for i in active:
            static[i] = name_of[i].static(doc, mentions[i])
    rows = list(static)
    if not active:
        return name_of, rows, {}

    def choices() -> tuple[list[int], dict[int, tuple[np.ndarray, int, np.ndarray]]]:
        scored: dict[int, tuple[np.ndarray, int, np.ndarray]] = {}  # id(rows) -> (rows, its best row, scores)
        picks = [0] * len(mentions)  # a name with one place picks it
        for i in active:
            x = rows[i]
            got = scored.get(id(x))
            if got is None:
                s = x @ w
                got = scored[id(x)] = (x, int(s.argmax()), s)
            picks[i] = got[1]
        return picks, scored

    def stacked(context: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
        """Each active mention's rows: static + context, shared by the mentions of a name whose static rows are the same."""
        full = names.static_rows + context  # where no dateline or division noun stands beside the name
        out: dict[tuple[int, int], np.ndarray] = {}
        for i in active:
            g, s = names.of_mention[i], static[i]
            if (g, id(s)) not in out:
                start = names.offset[g]
                n = len(name_of[i].places)
                out[(g, id(s))] = full[start : start + n] if s is name_of[i].rows() \
                    else s + context[start : start + n]
        return out

    # first alone with what needs no other choice (the nearest candidates of other names...)
    alone = stacked(names.fixed)
    for i in active:
        rows[i] = alone[(names.of_mention[i], id(static[i]))]
    picks, scored = choices()
    # 'Paris, Texas', 'Gori (Georgia)': the name right after a name, when it is a division or country
    text = doc.text
    qualified_by = [
        k + 1 if k + 1 < len(mentions) and text[m.end : mentions[k + 1].start] in (", ", ",", " (") else None
        for k, m in enumerate(mentions)
    ]
    qualifying = [None] + [k - 1 if q == k else None for k, q in enumerate(qualified_by[:-1], start=1)]
    # the names of a list ('Washington, Oregon and California'): each mention's neighbours in it
    linked = [bool(_LIST.fullmatch(text, a.end, b.start)) for a, b in zip(mentions, mentions[1:])]
    neighbours = [[j for j, ok in ((k - 1, k > 0 and linked[k - 1]), (k + 1, k < len(linked) and linked[k])) if ok
                   and not _same_family(mentions[j].key, m.key)] for k, m in enumerate(mentions)]
    # what each active mention keeps over the rounds
    plan = [(i, mentions[i].sentence, name_of[i], (names.of_mention[i], id(static[i])),
             names.family_rows[names.key_of[i]], qualified_by[i], name_of[i].names_division, neighbours[i],
             qualifying[i]) for i in active]
    for rounds_left in (2, 1, 0):
        ctx = names.context(picks)
        with_context = stacked(names.context_rows(ctx))  # (name, id(static rows)) -> static + context rows
        by_sentence = ctx.admin_by_sentence
        for i, sentence, n, key, family, q, countries_only, nearby, before in plan:
            qualifier = None
            if q is not None and name_of[q].qualifies[picks[q]]:
                qualifier = name_of[q].places[picks[q]]
                if countries_only and not qualifier.feature_code.startswith("PCL"):
                    qualifier = None
            listed = frozenset([name_of[j].groups[picks[j]] for j in nearby]) if nearby else _NO_KINDS
            town = None
            if before is not None:  # 'Buffalo, New York': the name before it chose a town
                town = name_of[before].places[picks[before]]
                if town.feature_class != "P":
                    town = None
            rows[i] = _mention_context(with_context[key], n, family, by_sentence.get(sentence, ()), qualifier, listed,
                                       town)
        if rounds_left:
            again, scored = choices()
            if again == picks:
                break  # the same choices give the same context: these are the final rows
            picks = again
        else:
            scored = {}
    return name_of, rows, scored


def candidate_features(doc: Document, mentions: tuple[Mention, ...], w: np.ndarray | None = None,
                       neighbours: Mapping[str, frozenset[str]] | None = None) -> list[tuple[list[Place], np.ndarray]]:
    """Each mention's distinct candidate places and their feature rows, as the ranker
    with weights ``w`` (default: the bundled ones) finally scores them: alone first, then
    twice with the document's other choices as context."""
    name_of, rows, _ = _final_rows(doc, mentions, weights() if w is None else w, neighbours=neighbours)
    return [(list(n.places), x.copy()) for n, x in zip(name_of, rows)]


def resolve(doc: Document, mentions: tuple[Mention, ...], w: np.ndarray | None = None,
            neighbours: Mapping[str, frozenset[str]] | None = None) -> tuple[Toponym, ...]:
    """Pick one candidate per mention using the whole document as context (``w``: the
    ranker's weights, default the bundled ones; ``neighbours``: the countries each country
    borders, Gazetteer.neighbours(), without which 'neighbour_named' is 0).

    A name that no gazetteer knows (a mention without candidates: 'the village of X') is
    placed at the place its sentence puts it in or beside, when there is one; else it is kept
    unplaced (``place`` None)."""
    w = weights() if w is None else w
    known = tuple(m for m in mentions if m.candidates)
    placed: dict[int, Toponym] = {}
    ranked: dict[int, tuple[int, float]] = {}  # id(rows) -> (best row, its probability)
    name_of, rows, scored = _final_rows(doc, known, w, every=False, neighbours=neighbours)
    for m, n, x in zip(known, name_of, rows):
        if x is None:  # one place: the ranker's probability of it is 1
            placed[id(m)] = Toponym(m, n.places[0], 1.0)
            continue
        if id(x) not in ranked:
            got = scored.get(id(x))
            if got is not None and got[0] is x:
                _, best, s = got
            else:
                s = x @ w
                best = int(np.argmax(s))
            ranked[id(x)] = best, 1.0 / float(np.exp(s - s[best]).sum())
        best, prob = ranked[id(x)]
        placed[id(m)] = Toponym(m, n.places[best], round(prob, 3))
    out = []
    for m in mentions:
        out.append(placed.get(id(m)) or _placed_beside(m, list(placed.values())))
    return tuple(out)


UNKNOWN_SCORE = 0.5  # an unknown name's place is only its container's: at most this sure


def _placed_beside(m: Mention, toponyms: list[Toponym]) -> Toponym:
    """An unknown name placed at the nearest place named in its sentence: a town or division
    before a country or region ('the Baghdad neighbourhood of Al-Bayaa', 'the village of X in
    Idlib province'). When its sentence names none, the article's own setting stands in: the
    place named last before it (else first after it), at half the certainty. Unplaced (``place``
    None, score 0) when the document names no place at all."""
    same = [t for t in toponyms if t.mention.sentence == m.sentence]
    if same:
        def rank(t: Toponym):
            gap = m.start - t.mention.end if t.mention.end <= m.start else t.mention.start - m.end
            return (t.place.feature_code.startswith(("CONT", "RGN", "OCN", "SEA")), is_area(t.place), gap)

        host, factor = min(same, key=rank), UNKNOWN_SCORE
    else:
        near = [t for t in toponyms if not t.approximate
                and not t.place.feature_code.startswith(("CONT", "RGN", "OCN", "SEA"))]
        if not near:
            return Toponym(mention=m, place=None, score=0.0)
        before = [t for t in near if t.mention.end <= m.start]
        host = (max(before, key=lambda t: t.mention.end) if before
                else min(near, key=lambda t: t.mention.start))
        factor = UNKNOWN_SCORE / 2
    return Toponym(mention=m, place=host.place, score=round(factor * host.score, 3), approximate=True)


def static_parts(c: Candidate) -> dict[str, float]:
    """What a candidate weighs alone, in three parts: its feature type, how its name matched,
    its population (the ranker's weights times the candidate's own features)."""
    x, w = static_features(c), weights()
    return {part: float(sum(x[_INDEX[f]] * w[_INDEX[f]] for f in names)) for part, names in _PARTS.items()}


def static_score(c: Candidate) -> float:
    """The candidate's score before the document's context (the sum of static_parts)."""
    return sum(static_parts(c).values())
