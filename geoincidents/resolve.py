"""Stage 3: Mentions -> Toponyms (one gazetteer entry each, with a score).

Each candidate gets a score from evidence, strongest first:
  1. what the name is: a country's or region's name is that country or region, not a
     village named after it; a first-level division or capital outranks a village;
  2. how the name matched: the entry's own (primary) name beats an alternate name;
  3. the document's own context: the countries and divisions it names
     ('Novoivanovka ... di wilayah Gadabay' -> the Azerbaijani village), and the
     places it names nearby (a coherent set beats scattered candidates);
  4. population, which only breaks ties.
The score reported is the softmax probability of the chosen candidate.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from . import lexicon
from .gazetteer import is_area
from .names import words
from .types import Candidate, Document, Mention, Place, Toponym

FEATURE_WEIGHT = {
    "PCL": 4.5, "CONT": 2.6, "RGN": 2.4, "TERR": 2.6, "OCN": 2.6, "SEA": 2.2, "GULF": 2.0,
    "ADM1": 2.6, "PPLC": 2.0, "PPLA": 1.4, "ISL": 1.5, "ADM2": 1.2, "PPLA2": 1.2, "PPL": 1.0,
}
NAME_WEIGHT = {"primary": 1.0, "country": 1.0, "abbrev": 1.0, "demonym": 1.0, "alternate": 0.0}
POPULATION_WEIGHT = 0.15  # per decade of population
COUNTRY_CONTEXT = 1.5  # the candidate lies in a country the document names
ADMIN_CONTEXT = 2.0  # ... in a division the same sentence names
ADMIN_CONTEXT_DOC = 1.0  # ... in a division named elsewhere in the document
COUNTRY_SHARE = 1.5  # ... times the share of the document's other places in its country
DIVISION_COUNTRY_SHARE = 3.5  # ... for a first-level division ('Georgia' among US towns is the state)
ADMIN_SHARE = 1.0  # ... times the share of the document's other places in its division
PROXIMITY = 1.0  # closeness to the other places of the document
PROXIMITY_KM = 250.0
SEAT_TOWN = 1.0  # a division named like its seat town yields to the town ...
DIVISION_NOUN = 1.0  # ... unless 'province', 'wilayah' stands beside the name
BIG_CITY = 1_000_000  # a city this large weighs like a capital
TEMPERATURE = 2.0  # sharpness of the softmax that turns scores into the reported probability


def feature_weight(code: str) -> float:
    for prefix in (code, code[:4], code[:3]):
        if prefix in FEATURE_WEIGHT:
            return FEATURE_WEIGHT[prefix]
    return 0.8


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
    country_votes: Counter  # cc -> distinct names placed in that country
    admin_votes: Counter  # (cc, admin1) -> distinct names placed in that division
    anchors: tuple[tuple[Place, frozenset[str]], ...]  # places (not areas) and the names that chose them
    near: dict[str, dict[int, float]]  # name -> {candidate id: km to the nearest other place}
    named_admins: dict[tuple[str, int], tuple[frozenset, frozenset]]  # see admins_named

    def admins_named(self, m: Mention) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
        """(cc, admin1) of the divisions that the places of the other names of ``m``'s sentence
        lie in, and of the first-level divisions that the document's other names are."""
        found = self.named_admins.get((m.key, m.sentence))
        if found is None:
            found = self.named_admins[(m.key, m.sentence)] = (
                frozenset((cc, a) for k, cc, a in self.admin_by_sentence.get(m.sentence, ()) if k != m.key),
                frozenset((cc, a) for k, cc, a in self.admins if k != m.key),
            )
        return found

    def nearest_km(self, m: Mention) -> dict[int, float]:
        """For each (non-area) candidate of ``m``: km to the nearest place the other names chose."""
        found = self.near.get(m.key)
        if found is None:
            others = [q for q, names in self.anchors if names != {m.key}]
            towns = [c.place for c in m.candidates if not is_area(c.place)]
            found = {}
            if others and towns:
                km = distances_km(
                    np.array([[p.lat, p.lon] for p in towns]), np.array([[q.lat, q.lon] for q in others])
                ).min(axis=1)
                found = {p.id: float(d) for p, d in zip(towns, km)}
            self.near[m.key] = found
        return found


def static_parts(c: Candidate) -> dict[str, float]:
    """What a candidate weighs alone: its feature type, how its name matched, its population."""
    p = c.place
    weight = feature_weight(p.feature_code)
    if p.feature_class == "P" and p.population >= BIG_CITY:
        weight = max(weight, FEATURE_WEIGHT["PPLC"])  # 'New York' is the city before the state
    return {
        "feature_weight": weight,
        "name_weight": NAME_WEIGHT.get(c.name_kind, 0.0),
        "population_weight": POPULATION_WEIGHT * math.log10(p.population + 1),
    }


def static_score(c: Candidate) -> float:
    """The candidate's score before the document's context (the sum of static_parts)."""
    return sum(static_parts(c).values())


def _division_words(doc: Document, m: Mention) -> bool:
    """Is the name beside a division noun ('Kandahar province', 'wilayah Gadabay')?"""
    nouns = lexicon.get(doc.lang).admin_nouns
    before = [k for _, _, k in words(doc.text[max(0, m.start - 30) : m.start])][-2:]
    after = [k for _, _, k in words(doc.text[m.end : m.end + 30])][:2]
    return bool(
        (before and (before[-1] in nouns or " ".join(before) in nouns))
        or (after and (after[0] in nouns or " ".join(after) in nouns))
    )


def _seat_adjustment(doc: Document, m: Mention) -> dict[int, float]:
    """Score changes for a division whose seat town bears its name ('Kandahar').

    News means the town unless a division noun stands beside the name.
    """
    seats = {
        (c.place.country_code, c.place.admin1_code)
        for c in m.candidates
        if c.place.feature_code in ("PPLA", "PPLC") and c.place.admin1_code
    }
    divisions = [
        c.place.id for c in m.candidates
        if c.place.feature_code == "ADM1" and (c.place.country_code, c.place.admin1_code) in seats
    ]
    if not divisions:
        return {}
    change = DIVISION_NOUN if _division_words(doc, m) else -SEAT_TOWN
    return {pid: change for pid in divisions}


def _names_an_area(m: Mention) -> frozenset[str]:
    """Countries of the areas whose own name this is ('China', 'Canadian', 'Middle East' -> {''}).

    Empty when the name is no area's: then it is falsy, so it reads as a yes/no too."""
    return frozenset(c.place.country_code for c in m.candidates if is_area(c.place) and c.name_kind != "alternate")


def _share(votes: Counter, key, own: Place | None, own_key, others: int) -> float:
    if others <= 0:
        return 0.0
    return (votes.get(key, 0) - (1 if own is not None and own_key == key else 0)) / others


def _context_score(c: Candidate, m: Mention, ctx: _Context, names_area: frozenset[str] | None = None) -> float:
    """``names_area``: _names_an_area(m), when the caller has it (it is the same for every candidate)."""
    p = c.place
    score = 0.0
    own = ctx.chosen.get(m.key)
    others = len(ctx.chosen) - 1
    areas = _names_an_area(m) if names_area is None else names_area
    # A town named like a country or region ('China', Maine), or a division named like its
    # own country (the State of Mexico), needs evidence of its own: that the document is
    # about that country is no reason to read the country's name as the town or division.
    named_like_area = (p.feature_class == "P" and areas) or (p.feature_class == "A" and p.country_code in areas)
    if p.country_code and not is_area(p) and not named_like_area:
        if p.country_code in ctx.countries:
            score += COUNTRY_CONTEXT
        weight = DIVISION_COUNTRY_SHARE if p.feature_code.startswith("ADM1") else COUNTRY_SHARE
        score += weight * _share(ctx.country_votes, p.country_code, own, own.country_code if own else None, others)
    if p.admin1_code:
        # a place in a division the text names, or the division holding a place it names
        key = (p.country_code, p.admin1_code)
        in_sentence, in_document = ctx.admins_named(m)
        if key in in_sentence:
            score += ADMIN_CONTEXT
        elif key in in_document:
            score += ADMIN_CONTEXT_DOC
        if not is_area(p):
            own_admin = (own.country_code, own.admin1_code) if own else None
            score += ADMIN_SHARE * _share(ctx.admin_votes, key, own, own_admin, others)
    near = ctx.nearest_km(m).get(p.id)
    if near is not None:
        score += PROXIMITY * math.exp(-near / PROXIMITY_KM)
    return score


def _softmax_top(scores: list[float]) -> tuple[int, float]:
    best = max(range(len(scores)), key=lambda k: scores[k])
    top = scores[best]
    total = sum(math.exp(TEMPERATURE * (s - top)) for s in scores)
    return best, 1.0 / total


def _context(mentions: tuple[Mention, ...], chosen: list[Candidate], previous: _Context | None = None) -> _Context:
    """``previous``: the context of the pass before, whose distances hold while the places chosen do."""
    countries = set()
    admins: list[tuple[str, str, str]] = []
    by_sentence: dict[int, list[tuple[str, str, str]]] = {}
    first: dict[str, Place] = {}
    users: dict[int, set[str]] = {}
    places: dict[int, Place] = {}
    for m, c in zip(mentions, chosen):
        p = c.place
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
    country_votes = Counter(p.country_code for p in first.values() if p.country_code)
    admin_votes = Counter((p.country_code, p.admin1_code) for p in first.values() if p.admin1_code and not is_area(p))
    anchors = tuple((places[k], frozenset(v)) for k, v in users.items())
    return _Context(
        countries=frozenset(countries),
        admin_by_sentence={k: tuple(v) for k, v in by_sentence.items()},
        admins=tuple(admins),
        chosen=first,
        country_votes=country_votes,
        admin_votes=admin_votes,
        anchors=anchors,
        near=previous.near if previous is not None and previous.anchors == anchors else {},
        named_admins={},
    )


def resolve(doc: Document, mentions: tuple[Mention, ...]) -> tuple[Toponym, ...]:
    """Pick one candidate per mention using the whole document as context."""
    if not mentions:
        return ()
    # What each mention says alone: the candidate's own weight and the words beside it.
    alone = []
    for m in mentions:
        seat = _seat_adjustment(doc, m)
        alone.append({c.place.id: static_score(c) + seat.get(c.place.id, 0.0) for c in m.candidates})
    chosen = [max(m.candidates, key=lambda c, a=a: a[c.place.id]) for m, a in zip(mentions, alone)]
    areas = [_names_an_area(m) for m in mentions]
    # Then with the document's countries, divisions and places as context, twice over.
    ctx = None
    for _ in range(2):
        ctx = _context(mentions, chosen, ctx)
        chosen = [
            max(m.candidates, key=lambda c, m=m, a=a, na=na: a[c.place.id] + _context_score(c, m, ctx, na))
            for m, a, na in zip(mentions, alone, areas)
        ]
    ctx = _context(mentions, chosen, ctx)
    out = []
    for m, a, na in zip(mentions, alone, areas):
        best_of_place: dict[int, tuple[float, Place]] = {}
        for c in m.candidates:  # one score per place, however many of its names matched
            s = a[c.place.id] + _context_score(c, m, ctx, na)
            if c.place.id not in best_of_place or s > best_of_place[c.place.id][0]:
                best_of_place[c.place.id] = (s, c.place)
        ranked = list(best_of_place.values())
        best, prob = _softmax_top([s for s, _ in ranked])
        out.append(Toponym(mention=m, place=ranked[best][1], score=round(prob, 3)))
    return tuple(out)
