"""geopy, both ways.

``GazetteerGeocoder``: the gazetteer (bundled, built, or layered) behind geopy's ``Geocoder``
interface, offline::

    from geoincidents.geocoders import GazetteerGeocoder
    g = GazetteerGeocoder()
    g.geocode("Goris, Armenia")          # Location('Goris, Syunik, Armenia', (39.51, 46.34)), .raw
    g.reverse((39.5, 46.3))              # the nearest populated place

``OnlineFallback``: names the gazetteer lacks, asked of any geopy geocoder (Nominatim by
default), off unless asked for (``Pipeline(fallback=OnlineFallback(...))``, ``--online-fallback``).
Requests go through geopy's ``RateLimiter`` (one a second by default, Nominatim's policy) with
a user agent of your choosing, and every answer (a miss too) is kept in an SQLite cache in
the cache folder, so a name is asked at most once.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
from pathlib import Path

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.distance import EARTH_RADIUS, great_circle
from geopy.location import Location

from .names import fold, words
from .types import Candidate, Document, Mention, Place

USER_AGENT_ENV = "GEOINCIDENTS_USER_AGENT"
NOMINATIM_URL_ENV = "GEOINCIDENTS_NOMINATIM_URL"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (geopy's, on its mean Earth radius)."""
    return great_circle((lat1, lon1), (lat2, lon2)).km


def _raw(place: Place, **extra) -> dict:
    return {**{k: getattr(place, k) for k in place.__dataclass_fields__}, **extra}


class GazetteerGeocoder(Geocoder):
    """A geopy geocoder that answers from the gazetteer: no network."""

    def __init__(self, gazetteer=None, *, fallback: "OnlineFallback | None" = None, **kwargs):
        super().__init__(**kwargs)
        if gazetteer is None or isinstance(gazetteer, (str, Path)):
            from .gazetteer import open_gazetteer

            gazetteer = open_gazetteer(gazetteer)
        self.gazetteer = gazetteer
        self.fallback = fallback

    def _address(self, p: Place) -> str:
        parts = [p.name]
        if p.admin1 and p.admin1 != p.name:
            parts.append(p.admin1)
        if p.country_code and not p.feature_code.startswith("PCL"):
            country = self.gazetteer.country(p.country_code)
            parts.append(country.name if country is not None else p.country_code)
        return ", ".join(parts)

    def ranked(self, query: str, *, country_codes=None, lang: str | None = None) -> list[tuple[float, Candidate]]:
        """(score, candidate) for a query 'Name' or 'Name, Division, Country', best first.

        The score is the resolver's context-free one (feature type, name kind, population);
        the parts after the first comma keep the candidates inside the places they name.
        """
        from .resolve import static_score

        head, *context = [part.strip() for part in query.split(",") if part.strip()] or [""]
        found = self.gazetteer.candidates(fold(head), lang)
        codes = {c.upper() for c in ([country_codes] if isinstance(country_codes, str) else country_codes or ())}
        if codes:
            found = [c for c in found if c.place.country_code in codes]
        for part in context:
            within = self.gazetteer.candidates(fold(part), lang)
            ccs = {c.place.country_code for c in within if c.place.feature_code.startswith("PCL")}
            a1s = {(c.place.country_code, c.place.admin1_code) for c in within
                   if c.place.feature_code == "ADM1"}
            keep = [c for c in found if c.place.country_code in ccs
                    or (c.place.country_code, c.place.admin1_code) in a1s]
            if keep:
                found = keep
        scored = [(static_score(c), c) for c in found]
        scored.sort(key=lambda sc: (-sc[0], sc[1].place.id))
        return scored

    def geocode(self, query, *, exactly_one=True, timeout=None, limit=None, country_codes=None,
                language=None):
        if isinstance(query, dict):
            query = ", ".join(str(v) for v in query.values() if v)
        scored = self.ranked(str(query), country_codes=country_codes, lang=language or None)
        out = [Location(self._address(c.place), (c.place.lat, c.place.lon),
                        _raw(c.place, name_kind=c.name_kind, lang=c.lang, score=round(s, 4)))
               for s, c in scored]
        if not out and self.fallback is not None:
            p = self.fallback.lookup(str(query), country_codes=country_codes)
            if p is not None:
                out = [Location(self._address(p), (p.lat, p.lon), _raw(p, name_kind="primary", lang="", score=None))]
        if limit:
            out = out[:limit]
        if not out:
            return None
        return out[0] if exactly_one else out

    def nearest(self, lat: float, lon: float, *, limit: int = 1, feature_class: str | None = "P",
                max_km: float = 2000.0) -> list[tuple[float, Place]]:
        """(km, place) of the nearest entries: a bounding-box query grown until it holds enough."""
        radius = 10.0
        while True:
            dlat = math.degrees(radius / EARTH_RADIUS)
            coslat = math.cos(math.radians(min(89.9, abs(lat) + dlat)))
            dlon = 180.0 if coslat < 1e-6 else min(180.0, math.degrees(radius / (EARTH_RADIUS * coslat)))
            south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
            west, east = lon - dlon, lon + dlon
            if dlon >= 180.0:
                west, east = -180.0, 180.0
            else:
                west = west + 360 if west < -180 else west
                east = east - 360 if east > 180 else east
            found = [(haversine_km(lat, lon, p.lat, p.lon), p)
                     for p in self.gazetteer.places_in_box(south, west, north, east, feature_class)]
            found = sorted((d, p) for d, p in found if d <= min(radius, max_km))
            if len(found) >= limit or radius >= max_km:
                return [(d, p) for d, p in found if d <= max_km][:limit]
            radius *= 4

    def reverse(self, query, *, exactly_one=True, timeout=None, limit=None, max_km: float = 2000.0,
                feature_class: str | None = "P"):
        """The nearest populated place (class P) to ``(lat, lon)`` within ``max_km``."""
        from geopy.point import Point

        pt = Point(query) if not isinstance(query, Point) else query
        found = self.nearest(pt.latitude, pt.longitude, limit=1 if exactly_one else (limit or 10),
                             feature_class=feature_class, max_km=max_km)
        out = [Location(self._address(p), (p.lat, p.lon), _raw(p, distance_km=round(d, 3))) for d, p in found]
        if not out:
            return None
        return out[0] if exactly_one else out


# --------------------------------------------------------------------------- online fallback

_NOMINATIM_CODES = {
    "city": "PPLA", "town": "PPL", "village": "PPL", "hamlet": "PPL", "isolated_dwelling": "PPL",
    "locality": "PPLL", "suburb": "PPLX", "neighbourhood": "PPLX", "quarter": "PPLX", "city_district": "PPLX",
    "borough": "PPLX", "state": "ADM1", "province": "ADM1", "region": "ADM1", "county": "ADM2",
    "district": "ADM2", "municipality": "ADM3", "country": "PCLI", "island": "ISL",
}


class OnlineFallback:
    """Asks an online geopy geocoder for names the gazetteer lacks; each name once (cached)."""

    def __init__(self, geocoder=None, *, user_agent: str | None = None, cache_path: Path | str | None = None,
                 min_delay_seconds: float = 1.0, domain: str | None = None, scheme: str | None = None):
        if geocoder is None:
            from geopy.geocoders import Nominatim

            from . import __version__

            url = os.environ.get(NOMINATIM_URL_ENV)
            if url and domain is None:
                scheme, _, domain = url.partition("://") if "://" in url else ("https", "", url)
                domain = domain.rstrip("/")
            ua = user_agent or os.environ.get(USER_AGENT_ENV) or f"geoincidents/{__version__}"
            geocoder = Nominatim(user_agent=ua, domain=domain or "nominatim.openstreetmap.org", scheme=scheme)
        self.geocoder = geocoder
        self.name = type(geocoder).__name__.lower()
        self._ask = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=1,
                                error_wait_seconds=min_delay_seconds, swallow_exceptions=False)
        if cache_path is None:
            from .gazetteer import cache_dir

            cache_path = cache_dir() / "online-geocoder.sqlite"
        self.cache_path = Path(cache_path)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.cache_path, check_same_thread=False)
        self._con.execute("CREATE TABLE IF NOT EXISTS answers (geocoder TEXT, query TEXT, countries TEXT, "
                          "raw TEXT, PRIMARY KEY (geocoder, query, countries)) WITHOUT ROWID")
        self._con.commit()
        self._lock = threading.Lock()
        self.asked = 0  # requests made (not answered from the cache)

    def _where(self) -> str:
        return f"{self.name}@{getattr(self.geocoder, 'domain', '')}"

    def lookup(self, name: str, *, country_codes=None) -> Place | None:
        """The place the geocoder gives for ``name`` (None when it knows none); cached on disk."""
        query = " ".join(name.split())
        codes = sorted({c.lower() for c in ([country_codes] if isinstance(country_codes, str) else country_codes or ())})
        key = (self._where(), query.casefold(), ",".join(codes))
        with self._lock:
            row = self._con.execute("SELECT raw FROM answers WHERE geocoder = ? AND query = ? AND countries = ?",
                                    key).fetchone()
        if row is not None:
            raw = json.loads(row[0])
        else:
            kwargs = {}
            if self.name == "nominatim":
                kwargs = {"addressdetails": True, "extratags": True}
                if codes:
                    kwargs["country_codes"] = codes
            try:
                loc = self._ask(query, exactly_one=True, **kwargs)
            except GeopyError:
                return None  # not cached: a failure is no answer
            self.asked += 1
            raw = None if loc is None else {"raw": loc.raw, "lat": loc.latitude, "lon": loc.longitude,
                                            "address": loc.address}
            with self._lock:
                self._con.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", (*key, json.dumps(raw)))
                self._con.commit()
        return None if raw is None else self._place(query, raw)

    def _place(self, query: str, answer: dict) -> Place:
        raw = answer.get("raw") or {}
        address = raw.get("address") or {}
        kind = raw.get("addresstype") or raw.get("type") or ""
        code = _NOMINATIM_CODES.get(kind, "ADMD" if raw.get("class") == "boundary" else "PPL")
        try:
            population = int(str((raw.get("extratags") or {}).get("population", "0")).replace(",", ""))
        except ValueError:
            population = 0
        ident = f"{self.name}:{raw.get('osm_type', '')}{raw.get('osm_id', '')}:{answer['lat']:.5f},{answer['lon']:.5f}"
        pid = -(3 * 10**12 + int(hashlib.sha1(ident.encode()).hexdigest()[:12], 16) % 10**12)
        return Place(id=pid, geonameid=None, name=raw.get("name") or (answer.get("address") or query).split(",")[0],
                     lat=round(float(answer["lat"]), 5), lon=round(float(answer["lon"]), 5),
                     country_code=(address.get("country_code") or "").upper(),
                     feature_class="A" if code.startswith(("ADM", "PCL")) else "P", feature_code=code,
                     admin1=address.get("state") or address.get("province") or "", population=population,
                     source=self.name)

    # -- the pipeline's use: names after a locative word that the gazetteer did not know

    def extend(self, doc: Document, mentions: tuple[Mention, ...], max_words: int = 3) -> tuple[Mention, ...]:
        """``mentions`` plus the capitalised names right after a locative word or place noun
        ('in X', 'the village of X', 'di desa X') that no mention with candidates covers, when the
        geocoder knows them (a name the recogniser found but no gazetteer knows is replaced)."""
        from . import lexicon
        from .toponyms import zipf_frequency

        lex = lexicon.get(doc.lang)
        taken = [(m.start, m.end) for m in mentions if m.candidates]
        countries = sorted({m.candidates[0].place.country_code for m in mentions
                            if m.candidates and m.candidates[0].place.feature_code.startswith("PCL")} - {""})
        added: list[Mention] = []
        for index, sentence in enumerate(doc.sentences):
            if sentence.boilerplate:
                continue
            ws = words(sentence.text)
            keys = [k for _, _, k in ws]
            after_cue = {i + len(c.words) for i, c in lex.place_nouns.find(keys)}
            after_cue |= {i + 1 for i, k in enumerate(keys) if k in lex.locative}
            i = 0
            while i < len(ws):
                s, e, _ = ws[i]
                surface = sentence.text[s:e]
                if i not in after_cue or not surface[:1].isupper():
                    i += 1
                    continue
                j = i
                while (j + 1 < len(ws) and j - i + 1 < max_words and sentence.text[ws[j][1]:ws[j + 1][0]] in (" ", "-")
                       and sentence.text[ws[j + 1][0]:ws[j + 1][0] + 1].isupper()):
                    j += 1
                start, end = sentence.start + s, sentence.start + ws[j][1]
                text = doc.text[start:end]
                if any(a < end and start < b for a, b in taken) or (
                        i == j and zipf_frequency(text, doc.lang) >= 4.0):
                    i = j + 1
                    continue
                place = self.lookup(text, country_codes=countries)
                if place is not None:
                    added.append(Mention(start=start, end=end, text=text, key=fold(text), sentence=index,
                                         candidates=(Candidate(place=place, name_kind="primary"),)))
                    taken.append((start, end))
                i = j + 1
        if not added:
            return mentions
        kept = [m for m in mentions if m.candidates or not any(a.start < m.end and m.start < a.end for a in added)]
        return tuple(sorted((*kept, *added), key=lambda m: (m.start, m.end)))
