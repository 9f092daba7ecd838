"""Build a gazetteer from GeoNames dump files the user downloaded.

    geoincidents gazetteer build --from DIR --out PATH [--countries AM,AZ] [--languages id,en,ru]
                                 [--min-population N]

DIR holds files from https://download.geonames.org/export/dump/:

- the places, in the 19-column 'geoname' format: ``allCountries.txt``/``.zip``, or per-country
  ``XX.txt``/``XX.zip``, or a ``citiesN.txt``/``.zip`` extract;
- optionally ``alternateNamesV2.txt``/``.zip`` (or the older ``alternateNames``): names with
  their language; ``abbr`` rows become abbreviations, the other non-language codes ('link',
  'post', 'iata', 'icao', 'faac', 'wkdt', 'unlc', 'tcid', 'phon', 'piny'...) are skipped;
- optionally ``admin1CodesASCII.txt``, ``admin2Codes.txt``, ``countryInfo.txt``.

Kept: populated places (class P, of any population unless ``min_population``) and
administrative units (class A, historical ones such as PCLH included). The output has the
bundled gazetteer's schema (tables places, names, countries, admin1, meta), so
``Gazetteer.open(PATH)`` reads it, plus an index on (lat, lon) for reverse geocoding.

Memory stays bounded however large the dump: rows go to SQLite as they are read; the ids
kept are a bit set (1.6 MB for every GeoNames id); names are staged in a scratch database
and sorted into the index by SQLite, on disk. The output is written to a temporary file
beside PATH and renamed into place when complete.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from .gazetteer import NAME_KINDS as KIND
from .gazetteer import SCHEMA, SCHEMA_VERSION
from .names import ARABIC_ARTICLES, fold

LICENCE = "GeoNames data: CC BY 4.0 (https://www.geonames.org/), as downloaded by the user"
KEEP_CLASSES = frozenset("PA")
# isolanguage values that are no language (abbr is read as an abbreviation)
_NOT_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "wkdt", "unlc", "tcid", "phon", "piny",
                            "fr_1793", "dese"})
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_CODE_LIKE = re.compile(r"[A-Z]{2,4}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_BATCH = 20_000

LATLON_INDEX = "CREATE INDEX IF NOT EXISTS places_latlon ON places (lat, lon)"


class DumpError(ValueError):
    """The dump folder or one of its files cannot be used (one line, for the user)."""


# --------------------------------------------------------------------------- shared helpers

def create_schema(con: sqlite3.Connection) -> None:
    con.executescript("PRAGMA page_size = 4096;" + SCHEMA)


def build_date() -> str:
    """Today in UTC, or SOURCE_DATE_EPOCH's day (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch else datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%d")


def file_source(path: Path, licence: str = LICENCE) -> dict:
    """Name, size, sha256 and modification date of a source file, for the meta table."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    st = path.stat()
    return {"name": path.name, "bytes": st.st_size, "sha256": h.hexdigest(),
            "modified": datetime.fromtimestamp(st.st_mtime, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "licence": licence}


def keep_alternate(name: str) -> bool:
    """Alternate names worth indexing: no URLs, no airport/ICAO-like codes."""
    return "/" not in name and "http" not in name.lower() and not _CODE_LIKE.fullmatch(name)


def name_rows(name: str, pid: int, kind: str, lang: str = "") -> list[tuple[str, int, int, str]]:
    """(key, id, kind, lang) rows of one name; 'Al-Qamishli' gives 'qamishli' too, as in the bundled build."""
    key = fold(name)
    if not key or key.replace(" ", "").isdigit():
        return []
    out = [(key, pid, KIND[kind], lang)]
    first, _, rest = key.partition(" ")
    if first in ARABIC_ARTICLES and len(rest) > 3 and not rest.replace(" ", "").isdigit():
        out.append((rest, pid, KIND["alternate"], lang))
    return out


def write_meta(con: sqlite3.Connection, meta: dict) -> None:
    con.execute("DELETE FROM meta")
    con.executemany("INSERT INTO meta VALUES (?, ?)",
                    sorted((k, json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in meta.items()))


def counts(con: sqlite3.Connection) -> dict:
    """The counts the meta table records (as the bundled build does)."""
    inv = {v: k for k, v in KIND.items()}
    return {
        "places": con.execute("SELECT count(*) FROM places").fetchone()[0],
        "names": con.execute("SELECT count(*) FROM names").fetchone()[0],
        "feature_class": dict(con.execute("SELECT feature_class, count(*) FROM places GROUP BY 1 ORDER BY 1")),
        "feature_code": dict(con.execute("SELECT feature_code, count(*) FROM places GROUP BY 1 ORDER BY 1")),
        "name_kind": {inv[k]: n for k, n in con.execute("SELECT kind, count(*) FROM names GROUP BY 1 ORDER BY 1")},
    }


def fill_lookup_tables(con: sqlite3.Connection, country_ids: dict[str, int] | None = None,
                       admin1_ids: dict[tuple[str, str], int] | None = None) -> None:
    """The countries and admin1 tables from the places (countryInfo/admin1 ids preferred)."""
    con.execute("DELETE FROM countries")
    con.execute("DELETE FROM admin1")
    order = "CASE feature_code WHEN 'PCLI' THEN 0 WHEN 'PCLD' THEN 1 WHEN 'PCLF' THEN 2 WHEN 'PCLS' THEN 3 " \
            "WHEN 'PCL' THEN 4 WHEN 'PCLIX' THEN 5 ELSE 6 END"
    for cc, pid in con.execute(
        f"SELECT country_code, id FROM places WHERE feature_code LIKE 'PCL%' AND country_code != '' "
        f"ORDER BY country_code, {order}, population DESC, id"
    ).fetchall():
        con.execute("INSERT OR IGNORE INTO countries VALUES (?, ?)", (cc, pid))
    for cc, pid in (country_ids or {}).items():
        if con.execute("SELECT 1 FROM places WHERE id = ? AND feature_code LIKE 'PCL%'", (pid,)).fetchone():
            con.execute("INSERT OR REPLACE INTO countries VALUES (?, ?)", (cc, pid))
    con.execute("INSERT OR IGNORE INTO admin1 SELECT country_code, admin1_code, id FROM places "
                "WHERE feature_code = 'ADM1' AND admin1_code != '' ORDER BY country_code, admin1_code, id")
    for (cc, a1), pid in (admin1_ids or {}).items():
        if con.execute("SELECT 1 FROM places WHERE id = ? AND feature_code = 'ADM1'", (pid,)).fetchone():
            con.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?)", (cc, a1, pid))


# --------------------------------------------------------------------------- reading the dump

def _member(z: zipfile.ZipFile, stem: str) -> zipfile.ZipInfo:
    infos = [i for i in z.infolist() if not i.is_dir()]
    for info in infos:
        if Path(info.filename).name.lower() == stem.lower() + ".txt":
            return info
    texts = [i for i in infos if i.filename.lower().endswith(".txt") and "readme" not in i.filename.lower()]
    if len(texts) != 1:
        raise DumpError(f"{z.filename}: expected {stem}.txt inside, found {[i.filename for i in infos][:5]}")
    return texts[0]


def _open_lines(path: Path) -> tuple[Iterator[bytes], int, object]:
    """(binary lines, uncompressed size, closable) of a .txt or .zip dump file."""
    if path.suffix.lower() == ".zip":
        try:
            z = zipfile.ZipFile(path)
            info = _member(z, path.stem)
            return z.open(info), info.file_size, z
        except (zipfile.BadZipFile, OSError) as e:
            raise DumpError(f"{path}: not a readable zip file ({e})") from e
    f = open(path, "rb")
    return f, path.stat().st_size, f


def _rows(path: Path, columns: int, bar) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a tab-separated dump file, updating the progress bar by bytes."""
    lines, _size, closable = _open_lines(path)
    done = 0
    try:
        for n, raw in enumerate(lines, 1):
            done += len(raw)
            if n % 10_000 == 0:
                bar.update(done)
                done = 0
            if raw.startswith(b"#") or not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise DumpError(f"{path.name}:{n}: not UTF-8 ({e.reason})") from e
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < columns:
                raise DumpError(f"{path.name}:{n}: has {len(fields)} tab-separated fields where the format has "
                                f"{columns}; is it the right file?")
            yield n, fields
    finally:
        bar.update(done)
        closable.close()


def _pick(src: Path, stem: str) -> Path | None:
    for suffix in (".txt", ".zip"):
        for p in (src / (stem + suffix), src / (stem + suffix.upper())):
            if p.is_file():
                return p
    return None


def find_sources(src: Path, countries: Iterable[str] | None = None) -> dict:
    """The dump files of ``src`` to read: {'geonames': [...], 'alternate', 'admin1', 'admin2', 'country_info'}."""
    if not src.is_dir():
        raise DumpError(f"--from {src}: no such folder")
    wanted = sorted({c.upper() for c in countries or ()})
    bad = [c for c in wanted if not _COUNTRY_CODE.fullmatch(c)]
    if bad:
        raise DumpError(f"--countries: {', '.join(bad)} is not an ISO 3166-1 alpha-2 code (like AM, AZ)")
    per_country = {p.stem.upper(): p for p in sorted(src.iterdir())
                   if p.is_file() and _COUNTRY_CODE.fullmatch(p.stem) and p.suffix.lower() in (".txt", ".zip")}
    everything = _pick(src, "allCountries")
    if wanted and all(c in per_country for c in wanted):
        geonames = [per_country[c] for c in wanted]
    elif everything is not None:
        geonames = [everything]
    elif per_country:
        missing = [c for c in wanted if c not in per_country]
        if missing:
            raise DumpError(f"{src} has no {', '.join(m + '.txt/.zip' for m in missing)} and no allCountries.txt/.zip")
        geonames = [per_country[c] for c in sorted(per_country)]
    else:
        cities = sorted(p for p in src.iterdir() if re.fullmatch(r"cities\d+\.(txt|zip)", p.name, re.I))
        if not cities:
            raise DumpError(f"{src} holds no GeoNames place file (allCountries.txt/.zip, XX.txt/.zip per country "
                            f"or citiesN.txt/.zip); download them from https://download.geonames.org/export/dump/")
        geonames = cities[-1:]  # the largest extract (cities500 sorts after cities15000)
    return {
        "geonames": geonames,
        "alternate": _pick(src, "alternateNamesV2") or _pick(src, "alternateNames"),
        "admin1": _pick(src, "admin1CodesASCII"),
        "admin2": _pick(src, "admin2Codes"),
        "country_info": _pick(src, "countryInfo"),
    }


class _Bits:
    """A growable bit set of non-negative ids (every GeoNames id fits in 1.6 MB)."""

    def __init__(self):
        self._b = bytearray(1 << 20)

    def add(self, i: int) -> None:
        if i >> 3 >= len(self._b):
            self._b.extend(bytes(max(len(self._b), (i >> 3) + 1 - len(self._b))))
        self._b[i >> 3] |= 1 << (i & 7)

    def __contains__(self, i: int) -> bool:
        return 0 <= i and i >> 3 < len(self._b) and bool(self._b[i >> 3] & (1 << (i & 7)))


def _language(code: str) -> str | None:
    """The language of an isolanguage value ('' for none, None for a code that is no language)."""
    if not code:
        return ""
    if code in _NOT_LANGUAGES or not _LANGUAGE.fullmatch(code):
        return None
    return code.split("-")[0].lower()


def _progress(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
                disable=not enabled, leave=False, mininterval=0.5)


# --------------------------------------------------------------------------- the build

def build(src: Path | str, out: Path | str, *, countries: Iterable[str] | None = None,
          languages: Iterable[str] | None = None, min_population: int = 0, progress: bool = True) -> dict:
    """Build the gazetteer at ``out`` from the dump files in ``src``; returns the meta 'counts'."""
    t0 = time.time()
    src, out = Path(src), Path(out)
    files = find_sources(src, countries)
    wanted = {c.upper() for c in countries or ()}
    langs = {l.strip().lower() for l in languages or () if l.strip()}
    if langs and files["alternate"] is None:
        raise DumpError(f"--languages needs alternateNamesV2.txt/.zip in {src} (the names of the place files "
                        f"carry no language)")
    if min_population < 0:
        raise DumpError("--min-population must be 0 or more")
    out.parent.mkdir(parents=True, exist_ok=True)

    admin1_label: dict[tuple[str, str], str] = {}
    admin1_ids: dict[tuple[str, str], int] = {}
    extra_names: dict[int, set[str]] = {}
    if files["admin1"]:
        for _, f in _rows(files["admin1"], 4, _progress(0, "admin1", False)):
            cc, _, a1 = f[0].partition(".")
            admin1_label[(cc, a1)] = f[2] or f[1]
            if f[3].strip().isdigit():
                admin1_ids[(cc, a1)] = int(f[3])
                extra_names.setdefault(int(f[3]), set()).update(x for x in (f[1], f[2]) if x)
    if files["admin2"]:
        for _, f in _rows(files["admin2"], 4, _progress(0, "admin2", False)):
            if f[3].strip().isdigit():
                extra_names.setdefault(int(f[3]), set()).update(x for x in (f[1], f[2]) if x)
    country_ids: dict[str, int] = {}
    neighbours: dict[str, list[str]] = {}  # countryInfo's 'neighbours' column (resolve's 'neighbour_named')
    if files["country_info"]:
        for _, f in _rows(files["country_info"], 17, _progress(0, "countryInfo", False)):
            if f[16].strip().isdigit() and _COUNTRY_CODE.fullmatch(f[0]):
                country_ids[f[0]] = int(f[16])
                found = sorted(c for c in (f[17] if len(f) > 17 else "").split(",") if _COUNTRY_CODE.fullmatch(c))
                if found:
                    neighbours[f[0]] = found

    fd, tmp_name = tempfile.mkstemp(prefix="." + out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    os.unlink(tmp_name)
    scratch = tempfile.TemporaryDirectory(prefix="geoincidents-build-", dir=out.parent)
    con = sqlite3.connect(tmp_name)
    try:
        create_schema(con)
        con.executescript(
            f"""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;
            ATTACH DATABASE '{Path(scratch.name, 'stage.sqlite').as_posix()}' AS stage;
            PRAGMA stage.journal_mode = OFF; PRAGMA stage.synchronous = OFF;
            CREATE TABLE stage.names (key TEXT, id INTEGER, kind INTEGER, lang TEXT);
            """
        )
        kept = _Bits()
        countries_kept: set[int] = set()
        with_alternates = files["alternate"] is None
        total = sum(_open_size(p) for p in files["geonames"])
        place_batch: list[tuple] = []
        name_batch: list[tuple] = []
        n_read = 0
        with _progress(total, "places", progress) as bar:
            for path in files["geonames"]:
                for _, f in _rows(path, 19, bar):
                    n_read += 1
                    fclass, cc = f[6], f[8]
                    if fclass not in KEEP_CLASSES or (wanted and cc not in wanted):
                        continue
                    try:
                        gid = int(f[0])
                        lat, lon = float(f[4]), float(f[5])
                        pop = int(f[14] or 0)
                    except ValueError:
                        continue  # a damaged row: GeoNames has none, a hand-edited file might
                    if fclass == "P" and pop < min_population:
                        continue
                    code, a1 = f[7], f[10]
                    place_batch.append((gid, gid, f[1], round(lat, 5), round(lon, 5), cc, fclass, code, a1,
                                        admin1_label.get((cc, a1), ""), f[11], pop, "geonames", None))
                    kept.add(gid)
                    if code.startswith("PCL"):
                        countries_kept.add(gid)
                    name_batch += name_rows(f[1], gid, "primary")
                    if f[2] and f[2] != f[1]:
                        name_batch += name_rows(f[2], gid, "primary")
                    if with_alternates:
                        for alt in sorted(set(a.strip() for a in f[3].split(",")) - {"", f[1], f[2]}):
                            if keep_alternate(alt):
                                name_batch += name_rows(alt, gid, "alternate")
                    if len(place_batch) >= _BATCH:
                        _flush(con, place_batch, name_batch)
            _flush(con, place_batch, name_batch)

        for gid, forms in sorted(extra_names.items()):  # admin1/admin2 code files: the divisions' own names
            if gid in kept:
                for form in sorted(forms):
                    name_batch += name_rows(form, gid, "primary")
        _flush(con, place_batch, name_batch)

        n_alt = 0
        if files["alternate"] is not None:
            path = files["alternate"]
            with _progress(_open_size(path), "alternate names", progress) as bar:
                for _, f in _rows(path, 4, bar):
                    try:
                        gid = int(f[1])
                    except ValueError:
                        continue
                    if gid not in kept:
                        continue
                    code, name = f[2], f[3].strip()
                    if not name:
                        continue
                    if code == "abbr":
                        kind, lang = "abbrev", ""
                    else:
                        lang = _language(code)
                        if lang is None or (langs and lang and lang not in langs):
                            continue
                        if not keep_alternate(name):
                            continue
                        kind = "country" if gid in countries_kept and lang else "alternate"
                    name_batch += name_rows(name, gid, kind, lang)
                    n_alt += 1
                    if len(name_batch) >= _BATCH:
                        _flush(con, place_batch, name_batch)
                _flush(con, place_batch, name_batch)

        if not admin1_label:  # no admin1CodesASCII: label places by the ADM1 features of the dump
            con.executescript("""
                CREATE TEMP TABLE a1 (cc TEXT, code TEXT, name TEXT, PRIMARY KEY (cc, code)) WITHOUT ROWID;
                INSERT OR IGNORE INTO a1 SELECT country_code, admin1_code, name FROM places
                    WHERE feature_code = 'ADM1' AND admin1_code != '' ORDER BY id;
                UPDATE places SET admin1 = coalesce((SELECT name FROM a1 WHERE cc = places.country_code
                                                     AND code = places.admin1_code), '')
                    WHERE admin1_code != '';
                DROP TABLE a1;""")
        if progress:
            print("geoincidents: sorting names into the index", file=sys.stderr, flush=True)
        con.execute("INSERT OR IGNORE INTO names SELECT key, id, kind, lang FROM stage.names "
                    "ORDER BY key, id, kind, lang")
        con.commit()
        con.execute("DETACH DATABASE stage")
        fill_lookup_tables(con, country_ids, admin1_ids)
        con.execute(LATLON_INDEX)
        meta = {
            "schema_version": SCHEMA_VERSION,
            "build_date": build_date(),
            "builder": "geoincidents gazetteer build (geoincidents.geonames_dump)",
            "licence": LICENCE,
            "options": {"countries": sorted(wanted), "languages": sorted(langs), "min_population": min_population},
            "sources": [file_source(p) for p in [*files["geonames"], files["alternate"], files["admin1"],
                                                  files["admin2"], files["country_info"]] if p is not None],
            "counts": {**counts(con), "rows_read": n_read, "alternate_names_read": n_alt},
            "kinds": {str(v): k for k, v in KIND.items()},
            "regions": {},
            "country_neighbours": neighbours,
        }
        write_meta(con, meta)
        con.commit()
        con.close()
        os.replace(tmp_name, out)
    except BaseException:
        con.close()
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    finally:
        scratch.cleanup()
    meta["counts"]["seconds"] = round(time.time() - t0, 1)
    return meta["counts"]


def _open_size(path: Path) -> int:
    lines, size, closable = _open_lines(path)
    closable.close()
    return size


def _flush(con: sqlite3.Connection, places: list, names: list) -> None:
    if places:
        con.executemany("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", places)
        places.clear()
    if names:
        con.executemany("INSERT INTO stage.names VALUES (?, ?, ?, ?)", names)
        names.clear()
