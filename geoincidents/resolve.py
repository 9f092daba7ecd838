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
from dataclasses import dataclass

from .types import Candidate, Document, Mention, Place, Toponym

FEATURE_WEIGHT = {
    "PCL": 3.0, "CONT": 2.6, "RGN": 2.4, "TERR": 2.6, "ADM1": 2.0, "PPLC": 2.0,
    "PPLA": 1.4, "ADM2": 1.2, "PPLA2": 1.2, "PPL": 1.0,
}
NAME_WEIGHT = {"primary": 1.0, "country": 1.0, "abbrev": 1.0, "alternate": 0.0}
POPULATION_WEIGHT = 0.15  # per decade of population
COUNTRY_CONTEXT = 1.5  # the candidate lies in a country the document names
ADMIN_CONTEXT = 2.0  # ... in a division the same sentence names
ADMIN_CONTEXT_DOC = 1.0  # ... in a division named elsewhere in the document
PROXIMITY = 1.0  # closeness to the other places of the document
PROXIMITY_KM = 250.0
TEMPERATURE = 2.0  # sharpness of the softmax that turns scores into the reported probability
_AREA_CODES = ("PCL", "CONT", "RGN", "TERR")


def feature_weight(code: str) -> float:
    for prefix in (code, code[:4], code[:3]):
        if prefix in FEATURE_WEIGHT:
            return FEATURE_WEIGHT[prefix]
    return 0.8


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def is_area(place: Place) -> bool:
    return place.feature_code.startswith(_AREA_CODES)


@dataclass(frozen=True)
class _Context:
    countries: frozenset[str]
    admin_by_sentence: dict[int, tuple[tuple[int, str, str], ...]]  # (mention index, cc, admin1)
    admins: tuple[tuple[int, str, str], ...]  # divisions the document names
    anchors: tuple[tuple[Place, frozenset[int]], ...]  # the document's places (not areas) and which mentions chose them


def _static_score(c: Candidate) -> float:
    p = c.place
    return (
        feature_weight(p.feature_code)
        + NAME_WEIGHT.get(c.name_kind, 0.0)
        + POPULATION_WEIGHT * math.log10(p.population + 1)
    )


def _context_score(c: Candidate, m: Mention, index: int, ctx: _Context) -> float:
    p = c.place
    score = 0.0
    if p.country_code and p.country_code in ctx.countries and not is_area(p):
        score += COUNTRY_CONTEXT
    if p.admin1_code:
        # a place in a division the text names, or the division holding a place it names
        key = (p.country_code, p.admin1_code)
        # evidence from the other mentions only: a name does not vouch for itself
        if any((cc, a) == key for j, cc, a in ctx.admin_by_sentence.get(m.sentence, ()) if j != index):
            score += ADMIN_CONTEXT
        elif any((cc, a) == key for j, cc, a in ctx.admins if j != index):
            score += ADMIN_CONTEXT_DOC
    if not is_area(p):
        near = min((distance_km(p, q) for q, users in ctx.anchors if users != {index}), default=None)
        if near is not None:
            score += PROXIMITY * math.exp(-near / PROXIMITY_KM)
    return score


def _softmax_top(scores: list[float]) -> tuple[int, float]:
    best = max(range(len(scores)), key=lambda k: scores[k])
    top = scores[best]
    total = sum(math.exp(TEMPERATURE * (s - top)) for s in scores)
    return best, 1.0 / total


def _context(mentions: tuple[Mention, ...], chosen: list[Candidate]) -> _Context:
    countries = set()
    admins: list[tuple[int, str, str]] = []
    by_sentence: dict[int, list[tuple[int, str, str]]] = {}
    for i, (m, c) in enumerate(zip(mentions, chosen)):
        p = c.place
        if p.feature_code.startswith("PCL") and p.country_code:
            countries.add(p.country_code)
        if p.admin1_code and not is_area(p):
            key = (i, p.country_code, p.admin1_code)
            if p.feature_code.startswith("ADM1"):
                admins.append(key)
            by_sentence.setdefault(m.sentence, []).append(key)
    return _Context(
        countries=frozenset(countries),
        admin_by_sentence={k: tuple(v) for k, v in by_sentence.items()},
        admins=tuple(admins),
        anchors=_anchors(chosen),
    )


def _anchors(chosen: list[Candidate]) -> tuple[tuple[Place, frozenset[int]], ...]:
    users: dict[int, set[int]] = {}
    places: dict[int, Place] = {}
    for i, c in enumerate(chosen):
        if not is_area(c.place):
            users.setdefault(c.place.id, set()).add(i)
            places[c.place.id] = c.place
    return tuple((places[k], frozenset(v)) for k, v in users.items())


def resolve(doc: Document, mentions: tuple[Mention, ...]) -> tuple[Toponym, ...]:
    """Pick one candidate per mention using the whole document as context."""
    if not mentions:
        return ()
    # Pass 1: each mention alone.
    chosen = [max(m.candidates, key=_static_score) for m in mentions]
    # Passes 2-3: with the document's countries, divisions and places as context.
    for _ in range(2):
        ctx = _context(mentions, chosen)
        chosen = [
            max(m.candidates, key=lambda c, m=m, i=i: _static_score(c) + _context_score(c, m, i, ctx))
            for i, m in enumerate(mentions)
        ]
    ctx = _context(mentions, chosen)
    out = []
    for i, m in enumerate(mentions):
        best_of_place: dict[int, tuple[float, Place]] = {}
        for c in m.candidates:  # one score per place, however many of its names matched
            s = _static_score(c) + _context_score(c, m, i, ctx)
            if c.place.id not in best_of_place or s > best_of_place[c.place.id][0]:
                best_of_place[c.place.id] = (s, c.place)
        ranked = list(best_of_place.values())
        best, prob = _softmax_top([s for s, _ in ranked])
        out.append(Toponym(mention=m, place=ranked[best][1], score=round(prob, 3)))
    return tuple(out)
