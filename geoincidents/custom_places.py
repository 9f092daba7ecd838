"""Places of your own (local villages, checkpoints, camps) from a CSV file.

Columns (a header row; only ``name``, ``lat`` and ``lon`` are required):

    name, aliases (|-separated), lat, lon, country (ISO alpha-2), admin1 (a GeoNames admin1
    code or the division's name), feature_code (GeoNames, PPL when empty), source,
    population, geonameid (to correct a GeoNames entry: the row replaces it)

``geoincidents gazetteer add FILE.csv --out PATH`` writes them into a gazetteer file (a new
one, or one built by ``gazetteer build``, which keeps its other places); ``--places FILE.csv``
on ``map``/``extract`` puts them above the other gazetteers for one run.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ._files import replacing
from .gazetteer import NAME_KINDS, TABLES
from .geonames_dump import (LATLON_INDEX, SCHEMA_VERSION, build_date, counts, create_schema, fill_lookup_tables,
                            name_rows, write_meta)
from .names import fold

COLUMNS = ("name", "aliases", "lat", "lon", "country", "admin1", "feature_code", "source", "population",
           "geonameid")
REQUIRED = ("name", "lat", "lon")
PLACES_SCHEMA = 1  # of the cached databases made from CSV files

# GeoNames feature codes a custom place may have, with their class.
_CODES = {
    "P": "PPL PPLA PPLA2 PPLA3 PPLA4 PPLA5 PPLC PPLCH PPLF PPLG PPLH PPLL PPLQ PPLR PPLS PPLW PPLX STLMT",
    "A": "ADM1 ADM1H ADM2 ADM2H ADM3 ADM3H ADM4 ADM4H ADM5 ADM5H ADMD ADMDH LTER PCL PCLD PCLF PCLH PCLI PCLIX "
         "PCLS PRSH TERR ZN ZNB",
    "L": "AREA BTL CMN CNS COLF CTRB DEVH FLD FLDI GASF GRAZ GVL INDS LAND LCTY MILB MNA MVA NVB OAS OILF PEAT PRK "
         "PRT QCKS RES RESA RESF RESH RESN RESP RESV RESW RGN RGNE RGNH RGNL RNGA SALT SNOW TRB",
    "S": "ADMF AIRB AIRF AIRH AIRP BDG BLDG BP BRKS BUR CH CMP CMPL CMPLA CMPMN CMPO CMPQ CMPRF CSTL CTRCM CTRM "
         "DAM FT HSP INSM ITTR MKT MSQE MUS OBPT PO PP PRN PS PSTB PSTC PSTP RDCR RDCUT RSTN SCH STDM TMPL TOWR "
         "UNIV",
    "H": "BAY CHN GULF HBR LK OCN RSV SEA STM",
    "T": "CAPE DSRT HLL ISL ISLS MT MTS PASS PEN PLN PLAT VAL",
    "R": "RD RDJCT RJCT RR ST TNL TRL",
    "V": "FRST",
    "U": "",
}
FEATURE_CLASS = {code: cls for cls, codes in _CODES.items() for code in codes.split()}


class PlacesError(ValueError):
    """A places file that cannot be used; ``lines`` are the one-line errors, row-numbered."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class CustomPlace:
    row: int  # line of the CSV file
    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    country_code: str
    admin1_code: str
    admin1: str
    feature_class: str
    feature_code: str
    population: int
    geonameid: int | None
    source: str

    @property
    def id(self) -> int:
        """The gazetteer id: the GeoNames id when given, else a stable negative number of its own range."""
        if self.geonameid is not None:
            return self.geonameid
        key = f"custom:{self.name}|{self.lat:.5f}|{self.lon:.5f}|{self.country_code}"
        return -(2 * 10**12 + int(hashlib.sha1(key.encode()).hexdigest()[:12], 16) % 10**12)


def read_places(path: Path | str, gazetteer=None) -> list[CustomPlace]:
    """The places of a CSV file, validated; raises PlacesError listing every bad row.

    With a gazetteer, country codes must be ones it knows, and ``admin1`` given as a name
    is turned into its code (so the resolver's division votes count for the place).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PlacesError([f"{path}: cannot be read ({e.strerror or e})"]) from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise PlacesError([f"{path}: not UTF-8 ({e.reason} at byte {e.start}); save it as UTF-8"]) from e
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise PlacesError([f"{path}: is empty; it needs a header row ({', '.join(COLUMNS)})"]) from None
    except csv.Error as e:
        raise PlacesError([f"{path}:1: {e}"]) from e
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        what = (f"unknown column {', '.join(map(repr, unknown))}" if unknown else "") + \
               ("; " if unknown and missing else "") + \
               (f"no {', '.join(map(repr, missing))} column" if missing else "")
        raise PlacesError([f"{path}:1: {what} (columns: {', '.join(COLUMNS)}; name, lat, lon required)"])
    errors: list[str] = []
    out: list[CustomPlace] = []
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(f"{path}:{reader.line_num}: {e}")
            break
        line, start_line = reader.line_num, line + 1
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            errors.append(f"{path}:{start_line}: has {len(fields)} fields, the header row has {len(header)}")
            continue
        row = {k: v.strip() for k, v in zip(header, fields)}
        problem, place = _place(row, start_line, gazetteer)
        if problem:
            errors.append(f"{path}:{start_line}: {problem}")
        else:
            out.append(place)
    if not out and not errors:
        errors.append(f"{path}: holds no places (only a header row)")
    if errors:
        raise PlacesError(errors)
    return out


def _place(row: dict, line: int, gazetteer) -> tuple[str | None, CustomPlace | None]:
    name = row.get("name", "")
    if not name or not fold(name):
        return "missing name", None
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        return f"lat {row['lat']!r} / lon {row['lon']!r} is not a pair of decimal degrees (like 39.51, 46.34)", None
    if not (-90 <= lat <= 90) or lat != lat:
        return f"lat {row['lat']} is outside -90..90", None
    if not (-180 <= lon <= 180) or lon != lon:
        return f"lon {row['lon']} is outside -180..180", None
    cc = row.get("country", "").upper()
    if cc and (len(cc) != 2 or not cc.isalpha()):
        return f"country {row['country']!r} is not an ISO 3166-1 alpha-2 code (like AM)", None
    if cc and gazetteer is not None and gazetteer.country(cc) is None:
        return f"country {cc} is not a country the gazetteer knows", None
    code = (row.get("feature_code") or "PPL").upper()
    if code not in FEATURE_CLASS:
        return f"unknown feature code {row.get('feature_code')!r} (GeoNames codes: PPL, PPLX, ADM2, CMPRF, PSTB, MILB…)", None
    population, geonameid = 0, None
    if row.get("population"):
        try:
            population = int(row["population"].replace(",", "").replace("_", ""))
            assert population >= 0
        except (ValueError, AssertionError):
            return f"population {row['population']!r} is not a whole number", None
    if row.get("geonameid"):
        if not row["geonameid"].isdigit() or int(row["geonameid"]) <= 0:
            return f"geonameid {row['geonameid']!r} is not a GeoNames id", None
        geonameid = int(row["geonameid"])
    a1 = row.get("admin1", "")
    a1_code, a1_name = a1, ""
    if a1 and gazetteer is not None and cc:
        hit = gazetteer.admin1(cc, a1)
        if hit is None:
            by_name = [c.place for c in gazetteer.candidates(fold(a1))
                       if c.place.feature_code == "ADM1" and c.place.country_code == cc]
            hit = by_name[0] if by_name else None
        if hit is not None:
            a1_code, a1_name = hit.admin1_code, hit.admin1 or hit.name
        else:
            a1_code, a1_name = "", a1
    aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip() and a.strip() != name)
    return None, CustomPlace(row=line, name=name, aliases=aliases, lat=round(lat, 5), lon=round(lon, 5),
                             country_code=cc, admin1_code=a1_code, admin1=a1_name, feature_class=FEATURE_CLASS[code],
                             feature_code=code, population=population, geonameid=geonameid,
                             source=row.get("source") or "")


def write_places(places: list[CustomPlace], out: Path | str, *, source_file: Path | str | None = None) -> int:
    """Add ``places`` to the gazetteer file ``out`` (made when missing); returns how many.

    A place with the id of one already there replaces it (with its names). Written to a
    temporary copy and renamed into place.
    """
    from .geonames_dump import file_source

    out = Path(out)
    with replacing(out) as target:
        tmp = target.path
        if out.exists():
            shutil.copyfile(out, tmp)
            con = sqlite3.connect(tmp)
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not TABLES <= tables:
                con.close()
                raise PlacesError([f"{out}: is not a geoincidents gazetteer (tables places, names, ... missing)"])
            meta = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}
        else:
            con = sqlite3.connect(tmp)
            create_schema(con)
            meta = {"schema_version": SCHEMA_VERSION, "builder": "geoincidents gazetteer add", "sources": [],
                    "licence": "the user's own places (see each place's source)", "regions": {},
                    "kinds": {str(v): k for k, v in NAME_KINDS.items()}}
        for p in places:
            pid = p.id
            con.execute("DELETE FROM names WHERE id = ?", (pid,))
            con.execute("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (pid, p.geonameid, p.name, p.lat, p.lon, p.country_code, p.feature_class, p.feature_code,
                         p.admin1_code, p.admin1, "", p.population, "custom", p.source or "custom"))
            rows = name_rows(p.name, pid, "primary") + [r for a in p.aliases for r in name_rows(a, pid, "alternate")]
            con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?)", rows)
        fill_lookup_tables(con)
        con.execute(LATLON_INDEX)
        meta["build_date"] = build_date()
        if source_file is not None:
            meta["sources"] = [s for s in meta.get("sources", []) if s.get("name") != Path(source_file).name]
            meta["sources"].append(file_source(Path(source_file), "the user's own places (see each place's source)"))
        meta["counts"] = counts(con)
        write_meta(con, meta)
        con.commit()
        con.close()
    return len(places)


def places_gazetteer(csv_path: Path | str, gazetteer=None) -> Path:
    """A gazetteer file of the places in ``csv_path``, made once per content in the cache folder."""
    from .gazetteer import cache_dir

    csv_path = Path(csv_path)
    try:
        below = "|".join(str(g.path) for g in getattr(gazetteer, "layers", ()))
        digest = hashlib.sha256(csv_path.read_bytes() + f"|{PLACES_SCHEMA}|{below}".encode()).hexdigest()[:16]
    except OSError as e:
        raise PlacesError([f"{csv_path}: cannot be read ({e.strerror or e})"]) from e
    target = cache_dir() / f"custom-places-{digest}.sqlite"
    if not target.exists():
        write_places(read_places(csv_path, gazetteer), target, source_file=csv_path)
    return target
