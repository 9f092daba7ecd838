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

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import regex

from . import lexicon
from .gazetteer import is_area
from .names import fold, words
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
    "qualified", "admin_name_in_text", "near_share",
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
    """What the other names of the document say, one vote per distinct name.

    Evidence is keyed by the folded name, so a name repeated ten times does not
    vouch for itself ('Dublin' x10 must not make Ireland the document's country).
    """

    countries: frozenset[str]  # countries the document names
    admin_by_sentence: dict[int, tuple[tuple[str, str, str], ...]]  # sentence -> (name, cc, admin1)
    admins: tuple[tuple[str, str, str], ...]  # first-level divisions the document names
    chosen: dict[str, Place]  # each distinct name's current place
    country_votes: Counter  # cc -> distinct names placed in that country (areas included)
    place_country_votes: Counter  # cc -> distinct names placed at a point (not an area) in that country
    admin_votes: Counter  # (cc, admin1) -> distinct names placed in that division
    anchors: tuple[tuple[Place, frozenset[str]], ...]  # places (not areas) and the names that chose them

    def family(self, key: str) -> list[Place]:
        """The places chosen by the name ``key`` and by the names it is part of or that are part
        of it ('Dublin', 'Dublin City'): such names do not vouch for each other."""
        return [p for k, p in self.chosen.items() if _same_family(k, key)]

    def nearest_km(self, key: str, places: list[Place]) -> list[tuple[float, float] | None]:
        """For each of ``places`` (candidates of the name ``key``, areas excepted): km to the nearest place
        the other names chose, and the share of those places within NEAR_KM (one stray
        name nearby is weaker evidence than most of them)."""
        others = [q for q, names in self.anchors if not all(_same_family(k, key) for k in names)]
        towns = [k for k, p in enumerate(places) if not is_area(p)]
        out: list[tuple[float, float] | None] = [None] * len(places)
        if others and towns:
            km = distances_km(
                np.array([[places[k].lat, places[k].lon] for k in towns]),
                np.array([[q.lat, q.lon] for q in others]),
            )
            for k, row in zip(towns, km):
                out[k] = (float(row.min()), float((row <= NEAR_KM).mean()))
        return out


def _division_words(doc: Document, m: Mention) -> bool:
    """Is the name beside a division noun ('Kandahar province', 'wilayah Gadabay')?"""
    nouns = lexicon.get(doc.lang).admin_nouns
    before = [k for _, _, k in words(doc.text[max(0, m.start - 30) : m.start])][-2:]
    after = [k for _, _, k in words(doc.text[m.end : m.end + 30])][:2]
    return bool(
        (before and (before[-1] in nouns or " ".join(before) in nouns))
        or (after and (after[0] in nouns or " ".join(after) in nouns))
    )


_DATELINE = regex.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:[-\u2013\u2014]|,\s*\p{Lu})")


def _dateline(doc: Document, m: Mention) -> bool:
    """Does the name open a line in capitals before a dash or a date ('WASHINGTON (AP) —',
    'KYIV, March 3')? A dateline names the town the report was filed from."""
    line_start = doc.text.rfind("\n", 0, m.start) + 1
    return (not doc.text[line_start : m.start].strip() and m.text.isupper() and len(m.text) > 2
            and bool(_DATELINE.match(doc.text, m.end)))


def _names_an_area(m: Mention) -> frozenset[str]:
    """Countries of the areas whose own name this is ('China', 'Canadian', 'Middle East' -> {''}).

    Empty when the name is no area's: then it is falsy, so it reads as a yes/no too."""
    return frozenset(c.place.country_code for c in m.candidates if is_area(c.place) and c.name_kind != "alternate")


def _kind(p: Place) -> str:
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
    row = np.zeros(len(FEATURES))
    _fill_static(row, c)
    return row


def _fill_static(row: np.ndarray, c: Candidate) -> None:
    p = c.place
    row[_INDEX[_kind(p)]] = 1.0
    row[_INDEX["big_city"]] = float(p.feature_class == "P" and p.population >= BIG_CITY)
    row[_INDEX["own_name"]] = float(c.name_kind != "alternate")
    row[_INDEX["demonym"]] = float(c.name_kind == "demonym")
    row[_INDEX["abbreviation"]] = float(c.name_kind == "abbrev")
    row[_INDEX["population"]] = math.log10(p.population + 1)


def _mention_static(doc: Document, m: Mention) -> tuple[list[Place], np.ndarray]:
    """One row per distinct place among the mention's candidates (its best-matching name)."""
    rows: dict[int, np.ndarray] = {}
    places: dict[int, Place] = {}
    for c in m.candidates:
        row = np.zeros(len(FEATURES))
        _fill_static(row, c)
        old = rows.get(c.place.id)
        if old is None or row[_INDEX["own_name"]] > old[_INDEX["own_name"]]:
            rows[c.place.id], places[c.place.id] = row, c.place
    plist = list(places.values())
    x = np.array([rows[p.id] for p in plist])
    top = max(p.population for p in plist)
    if top > 0:
        x[:, _INDEX["most_populous"]] = [float(p.population == top) for p in plist]
    x[:, _INDEX["population_gap"]] = math.log10(top + 1) - x[:, _INDEX["population"]]
    if _dateline(doc, m):
        x[:, _INDEX["dateline_town"]] = [float(p.feature_class == "P") for p in plist]
    # A division named like its seat town ('Kandahar'): news means the town, unless a
    # division noun stands beside the name.
    seats = {(p.country_code, p.admin1_code) for p in plist if p.feature_code in ("PPLA", "PPLC") and p.admin1_code}
    division_noun = None
    for k, p in enumerate(plist):
        if p.feature_class == "A" and not is_area(p):
            if division_noun is None:
                division_noun = _division_words(doc, m)
            x[k, _INDEX["division_noun"]] = float(division_noun)
            if p.feature_code == "ADM1" and (p.country_code, p.admin1_code) in seats and not division_noun:
                x[k, _INDEX["seat_division"]] = 1.0
    areas = _names_an_area(m)
    if areas:
        for k, p in enumerate(plist):
            if p.feature_class == "P":
                x[k, _INDEX["town_named_like_area"]] = 1.0
            elif p.feature_class == "A" and not is_area(p) and p.country_code in areas:
                x[k, _INDEX["division_named_like_country"]] = 1.0
    return plist, x


def _same_family(a: str, b: str) -> bool:
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _share(votes: Counter, key, own_keys: list, others: int) -> float:
    """The share of the other names' votes that went to ``key`` (``own_keys``: the votes of the
    name's own family, which do not count)."""
    if others <= 0:
        return 0.0
    return (votes.get(key, 0) - own_keys.count(key)) / others


def _name_context(plist: list[Place], static: np.ndarray, key: str, ctx: _Context, doc_words: str) -> np.ndarray:
    """The context features of a name's candidates (rows as in ``static``), from what the
    document's other names chose; the same wherever the name stands ('admin_in_document'
    is moved to 'admin_in_sentence' per mention, by _mention_context).

    ``doc_words``: the document's folded words, space-separated and space-padded."""
    own = ctx.family(key)
    others = len(ctx.chosen) - len(own)
    own_cc = [p.country_code for p in own if p.country_code]
    own_point_cc = [p.country_code for p in own if p.country_code and not is_area(p)]
    own_admin = [(p.country_code, p.admin1_code) for p in own if p.admin1_code and not is_area(p)]
    in_document = {(cc, a) for k, cc, a in ctx.admins if not _same_family(k, key)}
    near = ctx.nearest_km(key, plist)
    like_town = (static[:, _INDEX["town_named_like_area"]] + static[:, _INDEX["division_named_like_country"]]).tolist()
    cols: dict[str, list[float]] = {name: [0.0] * len(plist) for name in CONTEXT_FEATURES}
    for k, p in enumerate(plist):
        if not p.country_code:
            continue
        if is_area(p):
            if p.feature_code.startswith("PCL"):
                cols["area_share"][k] = _share(ctx.place_country_votes, p.country_code, own_point_cc, others)
            continue
        share = _share(ctx.country_votes, p.country_code, own_cc, others)
        if like_town[k]:
            cols["like_area_country_share"][k] = share
        else:
            cols["country_named"][k] = float(p.country_code in ctx.countries)
            cols["division_country_share" if p.feature_code.startswith("ADM1") else "country_share"][k] = share
        if p.admin1 and not p.feature_code.startswith("ADM1"):
            name = fold(p.admin1)
            if not _same_family(name, key) and f" {name} " in doc_words:
                cols["admin_name_in_text"][k] = 1.0
        if p.admin1_code:
            division = (p.country_code, p.admin1_code)
            if division in in_document:
                cols["admin_in_document"][k] = 1.0
            cols["admin_share"][k] = _share(ctx.admin_votes, division, own_admin, others)
        if near[k] is not None:
            nearest, within = near[k]
            cols["near"][k] = math.exp(-nearest / NEAR_KM)
            cols["near_local"][k] = math.exp(-nearest / NEAR_LOCAL_KM)
            cols["near_share"][k] = within
    x = np.zeros_like(static)
    x[:, len(STATIC_FEATURES):] = np.array([cols[name] for name in CONTEXT_FEATURES]).T
    return x


def _mention_context(x: np.ndarray, plist: list[Place], m: Mention, ctx: _Context, qualifier: Place | None) -> None:
    """What only this occurrence of the name has: a division named in its sentence, and
    ``qualifier``, the division or country named right after it ('Paris, Texas')."""
    in_sentence = {(cc, a) for k, cc, a in ctx.admin_by_sentence.get(m.sentence, ()) if not _same_family(k, m.key)}
    if not in_sentence and qualifier is None:
        return
    for k, p in enumerate(plist):
        if not p.country_code or is_area(p):
            continue
        if (p.country_code, p.admin1_code) in in_sentence and p.admin1_code:
            x[k, _INDEX["admin_in_sentence"]] = 1.0
            x[k, _INDEX["admin_in_document"]] = 0.0
        if qualifier is not None and p.country_code == qualifier.country_code and (
            not qualifier.feature_code.startswith("ADM1") or p.admin1_code == qualifier.admin1_code
        ):
            x[k, _INDEX["qualified"]] = 1.0


def _context(mentions: tuple[Mention, ...], chosen: list[Place]) -> _Context:
    countries = set()
    admins: list[tuple[str, str, str]] = []
    by_sentence: dict[int, list[tuple[str, str, str]]] = {}
    first: dict[str, Place] = {}
    users: dict[int, set[str]] = {}
    places: dict[int, Place] = {}
    for m, p in zip(mentions, chosen):
        first.setdefault(m.key, p)
        if p.feature_code.startswith("PCL") and p.country_code:
            countries.add(p.country_code)
        if p.admin1_code and not is_area(p):
            entry = (m.key, p.country_code, p.admin1_code)
            if p.feature_code.startswith("ADM1"):
                admins.append(entry)
            by_sentence.setdefault(m.sentence, []).append(entry)
        if not is_area(p):
            users.setdefault(p.id, set()).add(m.key)
            places[p.id] = p
    return _Context(
        countries=frozenset(countries),
        admin_by_sentence={k: tuple(v) for k, v in by_sentence.items()},
        admins=tuple(admins),
        chosen=first,
        country_votes=Counter(p.country_code for p in first.values() if p.country_code),
        place_country_votes=Counter(p.country_code for p in first.values() if p.country_code and not is_area(p)),
        admin_votes=Counter((p.country_code, p.admin1_code) for p in first.values() if p.admin1_code and not is_area(p)),
        anchors=tuple((places[k], frozenset(v)) for k, v in users.items()),
    )


def candidate_features(doc: Document, mentions: tuple[Mention, ...],
                       w: np.ndarray | None = None) -> list[tuple[list[Place], np.ndarray]]:
    """Each mention's distinct candidate places and their feature rows, as the ranker
    with weights ``w`` (default: the bundled ones) finally scores them: alone first, then
    twice with the document's other choices as context."""
    w = weights() if w is None else w
    rows = [_mention_static(doc, m) for m in mentions]
    static = [x.copy() for _, x in rows]
    chosen = [plist[int(np.argmax(x @ w))] for plist, x in rows]
    doc_words = " " + " ".join(k for _, _, k in words(doc.text)) + " "
    # 'Paris, Texas', 'Gori (Georgia)': the name right after a name, when it is a division or country
    qualified_by = [
        k + 1 if k + 1 < len(mentions) and doc.text[m.end : mentions[k + 1].start] in (", ", ",", " (") else None
        for k, m in enumerate(mentions)
    ]
    for rounds_left in (2, 1, 0):
        ctx = _context(mentions, chosen)
        by_name: dict[str, np.ndarray] = {}
        for m, (plist, x), s, q in zip(mentions, rows, static, qualified_by):
            if len(plist) == 1:
                continue  # nothing to choose
            named = by_name.get(m.key)
            if named is None:
                named = by_name[m.key] = _name_context(plist, s, m.key, ctx, doc_words)
            np.add(s, named, out=x)
            qualifier = chosen[q] if q is not None else None
            if qualifier is not None and not qualifier.feature_code.startswith(("ADM1", "PCL")):
                qualifier = None
            _mention_context(x, plist, m, ctx, qualifier)
        if rounds_left:
            again = [plist[int(np.argmax(x @ w))] for plist, x in rows]
            if all(a.id == b.id for a, b in zip(again, chosen)):
                break  # the same choices give the same context: these are the final rows
            chosen = again
    return rows


def resolve(doc: Document, mentions: tuple[Mention, ...]) -> tuple[Toponym, ...]:
    """Pick one candidate per mention using the whole document as context.

    A name that no gazetteer knows (a mention without candidates: 'the village of X') is
    placed at the place its sentence puts it in or beside, when there is one."""
    w = weights()
    known = tuple(m for m in mentions if m.candidates)
    placed: dict[int, Toponym] = {}
    for m, (plist, x) in zip(known, candidate_features(doc, known, w)):
        s = x @ w
        best = int(np.argmax(s))
        prob = 1.0 / float(np.exp(s - s[best]).sum())
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
    Idlib province'); None when the sentence names no place."""
    same = [t for t in toponyms if t.mention.sentence == m.sentence]
    if not same:
        return None

    def rank(t: Toponym):
        gap = m.start - t.mention.end if t.mention.end <= m.start else t.mention.start - m.end
        return (t.place.feature_code.startswith(("CONT", "RGN", "OCN", "SEA")), is_area(t.place), gap)

    host = min(same, key=rank)
    return Toponym(mention=m, place=host.place, score=round(UNKNOWN_SCORE * host.score, 3), approximate=True)


def static_parts(c: Candidate) -> dict[str, float]:
    """What a candidate weighs alone, in three parts: its feature type, how its name matched,
    its population (the ranker's weights times the candidate's own features)."""
    x, w = static_features(c), weights()
    return {part: float(sum(x[_INDEX[f]] * w[_INDEX[f]] for f in names)) for part, names in _PARTS.items()}


def static_score(c: Candidate) -> float:
    """The candidate's score before the document's context (the sum of static_parts)."""
    return sum(static_parts(c).values())
