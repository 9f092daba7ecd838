"""Stage 3: Mentions -> Toponyms (one gazetteer entry each, with a score).

Each candidate is described by a few evidence features, strongest kinds first:
  1. what the name is: a country's or region's name is that country or region, not a
     village named after it; a first-level division or capital outranks a village;
  2. how the name matched: the entry's own (primary) name beats an alternate name;
  3. the document's own context: the countries and divisions it names
     ('Novoivanovka ... di wilayah Gadabay' -> the Azerbaijani village), and the
     places it names nearby (a coherent set beats scattered candidates);
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
    "town", "landmark", "big_city", "own_name", "demonym", "abbreviation", "population", "most_populous", "population_gap",
    "dateline_town", "division_noun", "seat_division", "town_named_like_area", "division_named_like_country",
)
# What the document's other names say about it.
CONTEXT_FEATURES = (
    "country_named", "country_share", "division_country_share", "like_area_country_share",
    "admin_in_sentence", "admin_in_document", "admin_share", "near", "near_local", "area_share",
    "qualified", "admin_name_in_text", "near_share", "pair_local", "list_kind",
)
FEATURES = STATIC_FEATURES + CONTEXT_FEATURES
NEAR_KM, NEAR_LOCAL_KM = 250.0, 50.0  # distance scales of the two proximity features
BIG_CITY = 1_000_000  # a city this large weighs like a capital
_PARTS = {  # how `static_parts` groups the static features for `gazetteer lookup`
    "feature_weight": ("country", "region", "other_area", "adm1", "adm2", "other_division", "capital", "seat",
                       "lower_seat", "town", "landmark", "big_city"),
    "name_weight": ("own_name", "demonym", "abbreviation"),
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

    Evidence is keyed by the folded name, so a name repeated ten times does not
    vouch for itself ('Dublin' x10 must not make Ireland the document's country).
    """

    chosen: list[Place]  # each distinct name's (key's) place, where it first stands; keys as in _Names.keys
    countries: frozenset[str]  # countries the document names
    admin_by_sentence: dict[int, tuple[tuple[str, str, str], ...]]  # sentence -> (name, cc, admin1)
    admins: tuple[tuple[int, tuple[str, str]], ...]  # first-level divisions the document names: (name, division)
    anchors: tuple[tuple[Place, frozenset[int]], ...]  # places (not areas) and the names that chose them


_OF = frozenset({"of", "de", "del", "di", "du", "von"})  # 'the state of X', 'provincia de X'


def _division_words(doc: Document, m: Mention) -> bool:
    """Is the name beside a division noun ('Kandahar province', 'wilayah Gadabay')?"""
    nouns = lexicon.get(doc.lang).admin_nouns
    before = [fold_word(k) for k in WORD.findall(doc.text[max(0, m.start - 30) : m.start])[-2:]]  # as names.words
    after = [fold_word(k) for k in WORD.findall(doc.text[m.end : m.end + 30])[:2]]
    if len(before) == 2 and before[-1] in _OF:  # 'the state of Washington', 'province de Kandahar'
        before = before[:1]
    return bool(
        (before and (before[-1] in nouns or " ".join(before) in nouns))
        or (after and (after[0] in nouns or " ".join(after) in nouns))
    )


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


def _names_an_area(candidates: tuple[Candidate, ...]) -> frozenset[str]:
    """Countries of the areas whose own name this is ('China', 'Canadian', 'Middle East' -> {''}).

    Empty when the name is no area's: then it is falsy, so it reads as a yes/no too."""
    return frozenset(c.place.country_code for c in candidates if is_area(c.place) and c.name_kind != "alternate")


def _kind(p: Place) -> str:
    """The place's feature type: one of the first static features."""
    kind = _KINDS.get((p.feature_code, p.feature_class))
    if kind is None:
        kind = _KINDS[(p.feature_code, p.feature_class)] = _kind_of(p)
    return kind


_KINDS: dict[tuple[str, str], str] = {}  # (feature code, feature class) -> _kind


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


_INDEX = {name: k for k, name in enumerate(FEATURES)}


def static_features(c: Candidate) -> np.ndarray:
    """The features a candidate has alone, without the mention's other candidates or the text."""
    return np.array(_static_row(c))


def _static_row(c: Candidate) -> list[float]:
    p = c.place
    row = [0.0] * len(FEATURES)
    row[_INDEX[_kind(p)]] = 1.0
    row[_INDEX["big_city"]] = float(p.feature_class == "P" and p.population >= BIG_CITY)
    row[_INDEX["own_name"]] = float(c.name_kind != "alternate")
    row[_INDEX["demonym"]] = float(c.name_kind == "demonym")
    row[_INDEX["abbreviation"]] = float(c.name_kind == "abbrev")
    row[_INDEX["population"]] = math.log10(p.population + 1)
    return row


@lru_cache(maxsize=16384)
def _folded(name: str) -> str:
    """fold(name), remembered: the same divisions' names come back in every document."""
    return fold(name)


class _Text:
    """The document's folded words, space-separated and space-padded, asked whether they
    contain a name; computed when first asked, each name's answer remembered."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._words: str | None = None
        self._found: dict[str, bool] = {}

    def names(self, name: str) -> bool:
        """Does the text name ``name`` (as written: it is folded here)?"""
        found = self._found.get(name)
        if found is None:
            if self._words is None:
                self._words = f" {fold(self.doc.text)} "  # the text's folded words
            found = self._found[name] = f" {_folded(name)} " in self._words
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
        self.places = plist = [c.place for c in best.values()]
        self.area = [is_area(p) for p in plist]
        x = np.array([_static_row(c) for c in best.values()])
        top = max(p.population for p in plist)
        if top > 0:
            x[:, _INDEX["most_populous"]] = [float(p.population == top) for p in plist]
        x[:, _INDEX["population_gap"]] = math.log10(top + 1) - x[:, _INDEX["population"]]
        # A division named like its seat town ('Kandahar'): news means the town, unless a
        # division noun stands beside the name (see `static`).
        # Likewise a division named like its country's capital, wherever the capital lies ('Washington').
        seats = {(p.country_code, p.admin1_code) for p in plist if p.feature_code in ("PPLA", "PPLC") and p.admin1_code}
        capitals = {p.country_code for p in plist if p.feature_code == "PPLC" and c_own(best, p)}
        self.divisions = [k for k, p in enumerate(plist) if p.feature_class == "A" and not self.area[k]]
        for k in self.divisions:
            p = plist[k]
            if p.feature_code == "ADM1" and ((p.country_code, p.admin1_code) in seats or p.country_code in capitals):
                x[k, _INDEX["seat_division"]] = 1.0
        areas = _names_an_area(candidates)
        if areas:
            for k, p in enumerate(plist):
                if p.feature_class == "P":
                    x[k, _INDEX["town_named_like_area"]] = 1.0
                elif p.feature_class == "A" and not self.area[k] and p.country_code in areas:
                    x[k, _INDEX["division_named_like_country"]] = 1.0
        self._static = {(False, False): x}  # (dateline, division noun) -> rows
        # the name is a first-level division's or a country's own: a comma after it starts a list
        # ('Washington, Oregon and California'), not a qualifier ('Paris, Texas')
        self.names_division = any(c.name_kind != "alternate" and c.place.feature_code.startswith(("ADM1", "PCL"))
                                  for c in best.values())

        # What the context features need. A country's own entry: its country.
        self.own_countries = [(k, p.country_code) for k, p in enumerate(plist)
                              if self.area[k] and p.country_code and p.feature_code.startswith("PCL")]
        # Places at a point (towns, divisions, landmarks) in a known country: all the other
        # context features are theirs.
        self.points = [k for k, p in enumerate(plist) if p.country_code and not self.area[k]]
        at = [plist[k] for k in self.points]
        self.point_countries = [p.country_code for p in at]
        self.point_adm1 = np.array([p.feature_code.startswith("ADM1") for p in at], dtype=bool)
        self.point_latlon = np.array([(p.lat, p.lon) for p in at], dtype=float).reshape(-1, 2)
        # a town or division named like an area ('Mexico' the state) gets the country's share apart
        like_area = (x[:, _INDEX["town_named_like_area"]] + x[:, _INDEX["division_named_like_country"]]) > 0
        self.point_like_area = like_area[self.points]
        # (k, its first-level division) of the points in one
        self.point_divisions = [(k, (p.country_code, p.admin1_code)) for k, p in zip(self.points, at) if p.admin1_code]
        # (k, the name of its division) of the points below the first level, which the text may spell out
        self.point_admin1 = [(k, p.admin1) for k, p in zip(self.points, at)
                             if p.admin1 and not p.feature_code.startswith("ADM1")]

    def static(self, doc: Document, m: Mention) -> np.ndarray:
        """The static rows where the occurrence ``m`` of the name stands: a dateline names a town
        ('KYIV, March 3'); a division noun beside the name ('Kandahar province') names the division.
        Shared: not to be changed."""
        variant = (_dateline(doc, m), bool(self.divisions) and _division_words(doc, m))
        x = self._static.get(variant)
        if x is None:
            x = self._static[variant] = self._static[(False, False)].copy()
            dateline, division_noun = variant
            if dateline:
                x[:, _INDEX["dateline_town"]] = [float(p.feature_class == "P") for p in self.places]
            if division_noun:
                x[self.divisions, _INDEX["division_noun"]] = 1.0
                x[:, _INDEX["seat_division"]] = 0.0
        return x


_NAMES: dict[tuple[int, ...], _Name] = {}  # the ids of a name's candidates -> the _Name
_NAMES_SIZE = 8192


def _name(candidates: tuple[Candidate, ...]) -> _Name:
    """The _Name of these candidates, made once while the recogniser hands out the same
    candidates (it remembers the gazetteer's answers; the _Name keeps them alive, so their
    ids stay theirs)."""
    ident = tuple(map(id, candidates))
    name = _NAMES.get(ident)
    if name is None:
        if len(_NAMES) >= _NAMES_SIZE:
            _NAMES.clear()
        name = _NAMES[ident] = _Name(candidates)
    return name


def _same_family(a: str, b: str) -> bool:
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


class _Names:
    """A document's distinct names (a folded key and its candidates) and what the ranker's
    rounds need of them, computed once.

    The context features are computed for all the names that have a choice (several places)
    at once: their candidates' rows are stacked, and each candidate's country, division and
    point are arrays over those rows. A name's own family (itself, and the names it is part of
    or that are part of it: 'Dublin', 'Dublin City') does not vouch for it.
    """

    def __init__(self, doc: Document, mentions: tuple[Mention, ...]):
        self.keys = list(dict.fromkeys(m.key for m in mentions))
        self.key_index = {k: i for i, k in enumerate(self.keys)}
        first: dict[str, int] = {}  # each key's first mention
        for i, m in enumerate(mentions):
            first.setdefault(m.key, i)
        self.first_mention = [first[k] for k in self.keys]
        groups: dict[tuple, int] = {}
        self.names: list[tuple[str, _Name]] = []  # (key, candidates)
        self.of_mention: list[int] = []  # each mention's name (index into names)
        for m in mentions:
            ident = (m.key, tuple(map(id, m.candidates)))
            g = groups.get(ident)
            if g is None:
                g = groups[ident] = len(self.names)
                self.names.append((m.key, _name(m.candidates)))
            self.of_mention.append(g)
        every = [p for _, n in self.names for p in n.places]
        self.country_id = {cc: i for i, cc in enumerate(dict.fromkeys(p.country_code for p in every if p.country_code))}
        self.division_id = {d: i for i, d in enumerate(dict.fromkeys(
            (p.country_code, p.admin1_code) for p in every if p.admin1_code))}

        # The names with a choice, their rows stacked: name g's rows start at offset[g].
        self.ranked = [g for g, (_, n) in enumerate(self.names) if len(n.places) > 1]
        if not self.ranked:
            return
        ranked = [self.names[g] for g in self.ranked]
        sizes = [len(n.places) for _, n in ranked]
        starts = [0, *itertools.accumulate(sizes)]
        self.offset = dict(zip(self.ranked, starts))
        self.n_rows = starts[-1]
        cid, did = self.country_id, self.division_id
        # rows of countries' own entries: (rows, their names as indices into ranked, countries)
        own = [(start + k, i, cid[cc]) for i, ((_, n), start) in enumerate(zip(ranked, starts)) for k, cc in n.own_countries]
        self.country_rows = tuple(np.array(c, dtype=int) for c in zip(*own)) if own else (np.zeros(0, int),) * 3
        # rows of places at a point, likewise
        self.points = (
            np.concatenate([start + np.array(n.points, dtype=int) for (_, n), start in zip(ranked, starts)]),
            np.repeat(np.arange(len(ranked)), [len(n.points) for _, n in ranked]),
            np.array([cid[cc] for _, n in ranked for cc in n.point_countries], dtype=int),
        )
        # where a point's country share goes: apart for a town or division named like an area,
        # else as a first-level division's or as any other place's
        like_area = np.concatenate([n.point_like_area for _, n in ranked])
        adm1 = np.concatenate([n.point_adm1 for _, n in ranked])
        self.share_column = np.where(like_area, _INDEX["like_area_country_share"], np.where(
            adm1, _INDEX["division_country_share"], _INDEX["country_share"]))
        self.unlike_area = (self.points[0][~like_area], self.points[2][~like_area])  # rows, countries
        self.point_latlon = np.concatenate([n.point_latlon for _, n in ranked])
        # rows of points in a first-level division: (rows, names, divisions)
        within = [(start + k, i, did[d]) for i, ((_, n), start) in enumerate(zip(ranked, starts)) for k, d in n.point_divisions]
        self.division_rows = tuple(np.array(c, dtype=int) for c in zip(*within)) if within else (np.zeros(0, int),) * 3
        # rows of points whose division the text spells out, not as part of the name itself
        # ('Springfield ... Illinois', but not 'New York' for New York City): the same in every round
        text = _Text(doc)
        self.fixed = np.zeros((self.n_rows, len(FEATURES)))  # the context features that are the same in every round
        self.fixed[[start + k for (key, n), start in zip(ranked, starts) for k, admin1 in n.point_admin1
                    if text.names(admin1) and not _same_family(_folded(admin1), key)], _INDEX["admin_name_in_text"]] = 1.0
        # the other names, outside each ranked name's family (one vote each), and how many they are
        family = np.array([[_same_family(a, key) for a in self.keys] for key, _ in ranked], dtype=bool)
        self._pairs(ranked, starts)
        self.not_family = (~family).astype(float)
        self.others = np.maximum(len(self.keys) - family.sum(axis=1), 1)  # no other name: every share 0 / 1

    def _pairs(self, ranked: list[tuple[str, "_Name"]], starts: list[int]) -> None:
        """'pair_local': how near the nearest candidate of an other name is, whatever that name
        chose ('Richmond' ... 'Madison County': the Richmond and the Madison County that lie
        together, though each alone would be elsewhere). Other names: outside the name's
        family, sharing no candidate with it (not a second spelling of it)."""
        owners, latlon = [], []
        for g, (_, n) in enumerate(self.names):
            for k in n.points:
                owners.append(g)
                latlon.append((n.places[k].lat, n.places[k].lon))
        rows, name, _ = self.points
        if not owners or not len(rows):
            return
        ids = [frozenset(p.id for p in n.places) for _, n in self.names]
        allowed = np.array([[not _same_family(key, other) and not (ids[g] & ids[h])
                             for h, (other, _) in enumerate(self.names)]
                            for g, (key, _) in zip(self.ranked, ranked)], dtype=bool)
        owners = np.array(owners, dtype=int)
        km = distances_km(self.point_latlon, np.array(latlon, dtype=float))
        km = np.where(allowed[name][:, owners], km, np.inf).min(axis=1)
        self.fixed[rows, _INDEX["pair_local"]] = np.exp(-km / NEAR_LOCAL_KM)

    def context(self, mentions: tuple[Mention, ...], chosen: list[Place]) -> _Context:
        """What the names chose in this round (``chosen``: each mention's place)."""
        countries = set()
        admins: list[tuple[int, tuple[str, str]]] = []
        by_sentence: dict[int, list[tuple[str, str, str]]] = {}
        users: dict[int, set[int]] = {}
        places: dict[int, Place] = {}
        for m, p in zip(mentions, chosen):
            if p.feature_code.startswith("PCL") and p.country_code:
                countries.add(p.country_code)
            if p.admin1_code and not is_area(p):
                if p.feature_code.startswith("ADM1"):
                    admins.append((self.key_index[m.key], (p.country_code, p.admin1_code)))
                by_sentence.setdefault(m.sentence, []).append((m.key, p.country_code, p.admin1_code))
            if not is_area(p):
                users.setdefault(p.id, set()).add(self.key_index[m.key])
                places[p.id] = p
        return _Context(
            chosen=[chosen[i] for i in self.first_mention],
            countries=frozenset(countries),
            admin_by_sentence={k: tuple(v) for k, v in by_sentence.items()},
            admins=tuple(admins),
            anchors=tuple((places[k], frozenset(v)) for k, v in users.items()),
        )

    def _other_votes(self, chosen: list[Place]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """How many of the names outside each ranked name's family chose a place in each country,
        a place at a point in each country, a place at a point in each first-level division:
        three matrices (ranked names x countries or divisions), from one (names x votes) ballot."""
        nc = len(self.country_id)
        ballots = np.zeros((len(chosen), 2 * nc + len(self.division_id)))
        for k, p in enumerate(chosen):
            point = not is_area(p)
            if p.country_code:
                ballots[k, self.country_id[p.country_code]] = 1.0
                if point:
                    ballots[k, nc + self.country_id[p.country_code]] = 1.0
            if p.admin1_code and point:
                ballots[k, 2 * nc + self.division_id[(p.country_code, p.admin1_code)]] = 1.0
        votes = self.not_family @ ballots
        return votes[:, :nc], votes[:, nc : 2 * nc], votes[:, 2 * nc :]

    def context_rows(self, ctx: _Context) -> np.ndarray:
        """The context features of all the ranked names' candidates (rows stacked as ``offset``
        says; the static columns are 0), from what the document's other names chose; the same
        wherever the name stands ('admin_in_document' is moved to 'admin_in_sentence' per
        mention, by _mention_context)."""
        x = self.fixed.copy()
        col = _INDEX
        # the shares of the other names' votes
        country_votes, point_votes, admin_votes = self._other_votes(ctx.chosen)

        rows, name, country = self.country_rows
        x[rows, col["area_share"]] = point_votes[name, country] / self.others[name]

        rows, name, country = self.points
        x[rows, self.share_column] = country_votes[name, country] / self.others[name]
        rows, country = self.unlike_area
        x[rows, col["country_named"]] = np.array([cc in ctx.countries for cc in self.country_id], dtype=float)[country]

        rows, name, division = self.division_rows
        x[rows, col["admin_share"]] = admin_votes[name, division] / self.others[name]
        if ctx.admins:
            named_by = np.zeros((len(ctx.chosen), len(self.division_id)))
            for k, d in ctx.admins:
                named_by[k, self.division_id[d]] = 1.0
            in_document = (self.not_family @ named_by) > 0
            x[rows, col["admin_in_document"]] = in_document[name, division]

        # how near the other names' places are: the nearest one, and the share within NEAR_KM
        rows, name, _ = self.points
        if ctx.anchors and len(rows):
            users = np.zeros((len(ctx.anchors), len(ctx.chosen)))
            for a, (_, keys) in enumerate(ctx.anchors):
                users[a, list(keys)] = 1.0
            counted = ((self.not_family @ users.T) > 0)[name]  # (rows, anchors): chosen by an other name
            km = distances_km(self.point_latlon, np.array([[q.lat, q.lon] for q, _ in ctx.anchors]))
            n = counted.sum(axis=1)
            has = n > 0
            nearest = np.where(counted, km, np.inf).min(axis=1)[has].tolist()
            rows = rows[has]
            x[rows, col["near"]] = [math.exp(-d / NEAR_KM) for d in nearest]
            x[rows, col["near_local"]] = [math.exp(-d / NEAR_LOCAL_KM) for d in nearest]
            x[rows, col["near_share"]] = (counted & (km <= NEAR_KM)).sum(axis=1)[has] / n[has]
        return x


_LIST = regex.compile(r"\s*(?:,|/|&|,?\s*(?:and|or|und|et|y|dan|и|та)\b)\s*")  # between the names of a list
_GROUPS = {"capital": "town", "seat": "town", "lower_seat": "town"}  # kinds a list mixes freely


def _group(p: Place) -> str:
    kind = _kind(p)
    return _GROUPS.get(kind, kind)


def _mention_context(x: np.ndarray, name: _Name, m: Mention, ctx: _Context, qualifier: Place | None,
                     listed: frozenset[str] = frozenset()) -> np.ndarray:
    """What only this occurrence of the name has: a division named in its sentence, and
    ``qualifier``, the division or country named right after it ('Paris, Texas'). ``x`` is
    the name's rows; a copy is returned when this occurrence changes them."""
    in_sentence = {(cc, a) for k, cc, a in ctx.admin_by_sentence.get(m.sentence, ()) if not _same_family(k, m.key)}
    if not in_sentence and qualifier is None and not listed:
        return x
    x = x.copy()
    if listed:  # 'Washington, Oregon and California': the kinds of place the list's other names chose
        x[[k for k, p in enumerate(name.places) if _group(p) in listed], _INDEX["list_kind"]] = 1.0
    for k in name.points:
        p = name.places[k]
        if (p.country_code, p.admin1_code) in in_sentence and p.admin1_code:
            x[k, _INDEX["admin_in_sentence"]] = 1.0
            x[k, _INDEX["admin_in_document"]] = 0.0
        if qualifier is not None and p.country_code == qualifier.country_code and (
            not qualifier.feature_code.startswith("ADM1") or p.admin1_code == qualifier.admin1_code
        ):
            x[k, _INDEX["qualified"]] = 1.0
    return x


def _final_rows(doc: Document, mentions: tuple[Mention, ...], w: np.ndarray) -> list[tuple[list[Place], np.ndarray]]:
    """candidate_features, whose rows here may be shared (by mentions, and by documents): read only."""
    names = _Names(doc, mentions)
    name_of = [names.names[g][1] for g in names.of_mention]
    static = [n.static(doc, m) for n, m in zip(name_of, mentions)]
    rows = list(static)

    def choices() -> list[Place]:
        best: dict[int, int] = {}  # id(rows) -> its best row
        for x in rows:
            if id(x) not in best:
                best[id(x)] = int((x @ w).argmax())
        return [n.places[best[id(x)]] for n, x in zip(name_of, rows)]

    if names.ranked:  # first alone with what needs no other choice (the nearest candidates of other names...)
        alone: dict[tuple[int, int], np.ndarray] = {}
        for i, (g, n, s) in enumerate(zip(names.of_mention, name_of, static)):
            if len(n.places) > 1:
                x = alone.get((g, id(s)))
                if x is None:
                    start = names.offset[g]
                    x = alone[(g, id(s))] = s + names.fixed[start : start + len(n.places)]
                rows[i] = x
    chosen = choices()
    # 'Paris, Texas', 'Gori (Georgia)': the name right after a name, when it is a division or country
    qualified_by = [
        k + 1 if k + 1 < len(mentions) and doc.text[m.end : mentions[k + 1].start] in (", ", ",", " (") else None
        for k, m in enumerate(mentions)
    ]
    # the names of a list ('Washington, Oregon and California'): each mention's neighbours in it
    linked = [bool(_LIST.fullmatch(doc.text, a.end, b.start)) for a, b in zip(mentions, mentions[1:])]
    neighbours = [[j for j, ok in ((k - 1, k > 0 and linked[k - 1]), (k + 1, k < len(linked) and linked[k])) if ok
                   and not _same_family(mentions[j].key, m.key)] for k, m in enumerate(mentions)]
    for rounds_left in (2, 1, 0):
        ctx = names.context(mentions, chosen)
        context = names.context_rows(ctx) if names.ranked else None
        with_context: dict[tuple[int, int], np.ndarray] = {}  # (name, id(static rows)) -> static + context rows
        for i, (m, g, n, s, q) in enumerate(zip(mentions, names.of_mention, name_of, static, qualified_by)):
            if len(n.places) == 1:
                continue  # nothing to choose
            x = with_context.get((g, id(s)))
            if x is None:
                start = names.offset[g]
                x = with_context[(g, id(s))] = s + context[start : start + len(n.places)]
            qualifier = chosen[q] if q is not None and not n.names_division else None
            if qualifier is not None and not qualifier.feature_code.startswith(("ADM1", "PCL")):
                qualifier = None
            listed = frozenset(_group(chosen[j]) for j in neighbours[i])
            rows[i] = _mention_context(x, n, m, ctx, qualifier, listed)
        if rounds_left:
            again = choices()
            if all(a.id == b.id for a, b in zip(again, chosen)):
                break  # the same choices give the same context: these are the final rows
            chosen = again
    return [(n.places, x) for n, x in zip(name_of, rows)]


def candidate_features(doc: Document, mentions: tuple[Mention, ...],
                       w: np.ndarray | None = None) -> list[tuple[list[Place], np.ndarray]]:
    """Each mention's distinct candidate places and their feature rows, as the ranker
    with weights ``w`` (default: the bundled ones) finally scores them: alone first, then
    twice with the document's other choices as context."""
    return [(list(places), x.copy()) for places, x in _final_rows(doc, mentions, weights() if w is None else w)]


def resolve(doc: Document, mentions: tuple[Mention, ...]) -> tuple[Toponym, ...]:
    """Pick one candidate per mention using the whole document as context.

    A name that no gazetteer knows (a mention without candidates: 'the village of X') is
    placed at the place its sentence puts it in or beside, when there is one."""
    w = weights()
    known = tuple(m for m in mentions if m.candidates)
    placed: dict[int, Toponym] = {}
    ranked: dict[int, tuple[int, float]] = {}  # id(rows) -> (best row, its probability)
    for m, (plist, x) in zip(known, _final_rows(doc, known, w)):
        if id(x) not in ranked:
            s = x @ w
            best = int(np.argmax(s))
            ranked[id(x)] = best, 1.0 / float(np.exp(s - s[best]).sum())
        best, prob = ranked[id(x)]
        placed[id(m)] = Toponym(mention=m, place=plist[best], score=round(prob, 3))
    out = []
    for m in mentions:
        t = placed.get(id(m)) or _placed_beside(m, list(placed.values()))
        if t is not None:
            out.append(t)
    return tuple(out)


UNKNOWN_SCORE = 0.5  # an unknown name's place is only its container's: at most this sure


def _placed_beside(m: Mention, toponyms: list[Toponym]) -> Toponym | None:
    """An unknown name placed at the nearest place named in its sentence: a town or division
    before a country or region ('the Baghdad neighbourhood of Al-Bayaa', 'the village of X in
    Idlib province'). When its sentence names none, the article's own setting stands in: the
    place named last before it (else first after it), at half the certainty. None when the
    document names no place at all."""
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
            return None
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
