"""The gazetteer: the one interface every stage asks about places.

The bundled index is an SQLite database built by ``gazetteer/build.py``. It is
committed compressed (``gazetteer/places.sqlite.xz`` with the sha256 of the
uncompressed file in ``places.sqlite.sha256``); the first open in a fresh cache
decompresses it once, atomically, into the user cache directory
(``$GEOINCIDENTS_CACHE``, else ``$XDG_CACHE_HOME/geoincidents``, else
``~/.cache/geoincidents``) under a file name that contains the sha256. Later
opens find that file and open it read-only: no parsing at start, every look-up
is an indexed query.

Where to find the data: the ``path`` argument, else ``$GEOINCIDENTS_GAZETTEER``,
else the bundled one: the repository's ``gazetteer/`` folder, which an installed (not editable)
package holds as ``geoincidents/_gazetteer/``. A path may be a folder (holding
``places.sqlite`` or ``places.sqlite.xz``), an ``.sqlite`` file, or an ``.xz`` file.
"""
from __future__ import annotations

import hashlib
import json
import lzma
import os
import sqlite3
import tempfile
import threading
from dataclasses import fields, replace
from pathlib import Path

from .types import Candidate, Place

DB_NAME = "places.sqlite"
_INSTALLED = Path(__file__).resolve().parent / "_gazetteer"  # (see pyproject.toml)
BUNDLED_DIR = _INSTALLED if _INSTALLED.is_dir() else Path(__file__).resolve().parent.parent / "gazetteer"
REBUILD_HINT = "rebuild it with: python gazetteer/build.py (or reinstall geoincidents)"

# How a name names its place, as stored in names.kind.
NAME_KINDS = {"primary": 0, "country": 1, "abbrev": 2, "alternate": 3, "demonym": 4}
_KIND_NAMES = {v: k for k, v in NAME_KINDS.items()}
_LANGUAGE_BOUND = (1, 4)  # country names and demonyms belong to their language
_ALTERNATE = 3
_RANK = {0: 0, 1: 1, 2: 2, 4: 3, 3: 4}  # primary > country > abbrev > demonym > alternate
_PLACE_COLS = ("id, geonameid, name, lat, lon, country_code, feature_class, feature_code, "
               "admin1_code, admin1, population, source")
_PLACE_FIELDS = tuple(f.name for f in fields(Place))  # the same, in the same order
assert _PLACE_FIELDS == tuple(_PLACE_COLS.split(", "))
_new = object.__new__
MMAP_SIZE = 1 << 30  # bytes of a gazetteer file SQLite reads through a memory map (the bundled one: 57 MB)


# The tables every gazetteer file holds (the bundled one and those users build).
SCHEMA_VERSION = 1
TABLES = frozenset({"places", "names", "countries", "admin1", "meta"})
SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country_code TEXT NOT NULL, feature_class TEXT NOT NULL, feature_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL, admin1 TEXT NOT NULL, admin2_code TEXT NOT NULL,
    population INTEGER NOT NULL, source TEXT NOT NULL, point_source TEXT);
CREATE TABLE names (key TEXT NOT NULL, id INTEGER NOT NULL, kind INTEGER NOT NULL, lang TEXT NOT NULL,
    PRIMARY KEY (key, id, kind, lang)) WITHOUT ROWID;
CREATE TABLE countries (country_code TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE admin1 (country_code TEXT NOT NULL, admin1_code TEXT NOT NULL, id INTEGER NOT NULL,
    PRIMARY KEY (country_code, admin1_code)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


class GazetteerError(RuntimeError):
    """The gazetteer data is missing, unreadable or corrupt."""


def cache_dir() -> Path:
    env = os.environ.get("GEOINCIDENTS_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "geoincidents"


def _drop_older_copies(current: Path) -> None:
    """Remove the unpacked copies of earlier bundled gazetteers (57 MB each) from the cache.

    A copy only a little old may still be open in another process: keep those of the last hour.
    """
    import time

    for old in current.parent.glob("places-*.sqlite"):
        try:
            if old != current and time.time() - old.stat().st_mtime > 3600:
                old.unlink()
        except OSError:
            pass


def _decompress_once(xz_path: Path) -> Path:
    """The decompressed copy of ``xz_path`` in the cache, made atomically the first time."""
    sha_file = xz_path.with_name(xz_path.name[: -len(".xz")] + ".sha256")
    try:
        sha = sha_file.read_text().split()[0].strip().lower()
    except (OSError, IndexError) as e:
        raise GazetteerError(f"gazetteer checksum file {sha_file} is missing or empty; {REBUILD_HINT}") from e
    if len(sha) != 64:
        raise GazetteerError(f"gazetteer checksum file {sha_file} is malformed; {REBUILD_HINT}")
    target = cache_dir() / f"places-{sha[:16]}.sqlite"
    if target.exists():
        if _sqlite_damage(target) is None:
            return target
        target.unlink(missing_ok=True)  # a damaged copy in our cache: unpack it again
    if not xz_path.is_file():
        raise GazetteerError(f"gazetteer {xz_path} not found; {REBUILD_HINT}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".places-", suffix=".tmp", dir=target.parent)
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, lzma.open(xz_path, "rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != sha:
            raise GazetteerError(f"gazetteer {xz_path} does not match its checksum; {REBUILD_HINT}")
        os.replace(tmp_name, target)
        _drop_older_copies(target)
    except (lzma.LZMAError, EOFError, OSError) as e:
        raise GazetteerError(f"gazetteer {xz_path} cannot be decompressed ({e}); {REBUILD_HINT}") from e
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target


def _sqlite_damage(path: Path) -> str | None:
    """What is wrong with the SQLite file at ``path`` that its header shows (a cheap check), else None.

    The header gives the page size and, when valid, the page count: a file of another
    size was cut short (an interrupted copy, a full disk) or is not the database it says.
    """
    try:
        with open(path, "rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return "is not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and pages and size != pages * page_size:
        return f"is {size} bytes where its header says {pages * page_size}: truncated or damaged"
    return None


def _resolve(path: Path) -> Path:
    """The SQLite file for a folder / .sqlite / .xz path."""
    if path.is_dir():
        if (path / DB_NAME).is_file():
            return path / DB_NAME
        if (path / (DB_NAME + ".xz")).is_file():
            return _decompress_once(path / (DB_NAME + ".xz"))
        raise GazetteerError(f"no gazetteer ({DB_NAME} or {DB_NAME}.xz) in {path}; {REBUILD_HINT}")
    if path.suffix == ".xz" and path.is_file():
        return _decompress_once(path)
    if path.is_file():
        return path
    raise GazetteerError(f"gazetteer file {path} not found; {REBUILD_HINT}")


class Gazetteer:
    _instances: dict[str, "Gazetteer"] = {}
    _lock = threading.Lock()

    def __init__(self, db_path: Path):
        """Use :meth:`open`; this opens ``db_path`` (an SQLite file) read-only."""
        self.path = db_path
        damage = _sqlite_damage(db_path)
        if damage is not None:
            raise GazetteerError(f"gazetteer {db_path} {damage}; {REBUILD_HINT}")
        try:
            uri = db_path.resolve().as_uri() + "?mode=ro&immutable=1"
            self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._con.execute("PRAGMA query_only = 1")
            # pages read from the mapped file, not copied in by a system call each: a run's
            # look-ups reach pages all over the index
            self._con.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
            tables = {r[0] for r in self._con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.Error as e:
            raise GazetteerError(f"gazetteer {db_path} is not a readable SQLite database ({e}); {REBUILD_HINT}") from e
        missing = TABLES - tables
        if missing:
            raise GazetteerError(f"gazetteer {db_path} lacks tables {sorted(missing)}; {REBUILD_HINT}")
        self._place_cache: dict[int, Place | None] = {}
        self._qlock = threading.Lock()
        self._neighbours: dict[str, frozenset[str]] | None = None

    @classmethod
    def forget_open(cls) -> None:
        """Forget the gazetteers this process opened (a forked worker opens its own connections)."""
        with cls._lock:
            cls._instances.clear()

    @classmethod
    def open(cls, path: Path | str | None = None) -> "Gazetteer":
        """The bundled gazetteer (or the one at ``path``); opened once per process."""
        if path is None:
            path = os.environ.get("GEOINCIDENTS_GAZETTEER") or BUNDLED_DIR
        key = str(Path(path).expanduser().resolve())
        inst = cls._instances.get(key)
        if inst is not None:
            return inst
        with cls._lock:
            inst = cls._instances.get(key)
            if inst is None:
                inst = cls(_resolve(Path(key)))
                cls._instances[key] = inst
        return inst

    # ------------------------------------------------------------------ queries

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        try:
            with self._qlock:
                return self._con.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as e:
            raise GazetteerError(f"gazetteer {self.path} is corrupt ({e}); {REBUILD_HINT}") from e

    @staticmethod
    def _place(row: tuple) -> Place:
        """The Place of a row of _PLACE_COLS: ``Place(*row)``, made without the frozen
        dataclass's __init__ (one object.__setattr__ per field: four times the cost; a run
        makes some ten thousand places)."""
        p = _new(Place)
        p.__dict__.update(zip(_PLACE_FIELDS, row))
        return p

    def _places(self, ids: list[int]) -> dict[int, Place]:
        out = {i: self._place_cache[i] for i in ids if i in self._place_cache}
        todo = [i for i in ids if i not in out]
        if todo:
            rows = self._query(f"SELECT {_PLACE_COLS} FROM places WHERE id IN ({','.join('?' * len(todo))})",
                               tuple(todo))
            for row in rows:
                p = self._place(row)
                out[p.id] = p
                if len(self._place_cache) < 200_000:
                    self._place_cache[p.id] = p
        return out

    def name_rows(self, key: str) -> list[tuple[int, str, str]]:
        """Raw (place id, name kind, lang) rows of a folded key, every language kept."""
        return [(i, _KIND_NAMES[k], lang)
                for i, k, lang in self._query("SELECT id, kind, lang FROM names WHERE key = ?", (key,))]

    def candidates(self, key: str, lang: str | None = None) -> tuple[Candidate, ...]:
        """Every entry one of whose names folds (names.fold) to ``key``.

        One candidate per entry, with the best way the key names it (primary >
        country > abbrev > demonym > alternate). ``lang`` of a candidate is the
        language of that name when all its attestations are in one language, else ''
        (several or any). With ``lang`` given (the text's language), a country name
        or demonym attested only in other languages than it and English counts as an
        alternate name ('Columbia' is Colombia in Romanian, not in English), and a
        candidate whose name is attested only in such languages is ``foreign``.
        Order: by kind, then population (descending), then id — stable.
        """
        if not key:
            return ()
        best = _best_names(self._query("SELECT id, kind, lang FROM names WHERE key = ?", (key,)), lang)
        if not best:
            return ()
        return _ranked(best, self._places(list(best)), lang)

    def candidates_many(self, keys, lang: str | None = None) -> dict[str, tuple[Candidate, ...]]:
        """``candidates(key, lang)`` of each of ``keys``, found with a few queries for all of
        them: most keys a text asks about name nothing, and one query is cheaper than many."""
        keys = list(dict.fromkeys(k for k in keys if k))
        rows: dict[str, list[tuple[int, int, str]]] = {}
        for start in range(0, len(keys), _BATCH):
            chunk = keys[start : start + _BATCH]
            sql = f"SELECT key, id, kind, lang FROM names WHERE key IN ({','.join('?' * len(chunk))})"
            for key, pid, kind, name_lang in self._query(sql, tuple(chunk)):
                rows.setdefault(key, []).append((pid, kind, name_lang))
        best = {key: _best_names(found, lang) for key, found in rows.items()}
        ids = list(dict.fromkeys(pid for names in best.values() for pid in names))
        places: dict[int, Place] = {}
        for start in range(0, len(ids), _BATCH):
            places.update(self._places(ids[start : start + _BATCH]))
        out = dict.fromkeys(keys, ())  # most keys name nothing
        out.update((key, _ranked(found, places, lang)) for key, found in best.items())
        return out

    def has_key(self, key: str) -> bool:
        """Whether any name folds to ``key`` (cheap: one index probe)."""
        return bool(key) and bool(self._query("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)))

    def has_prefix(self, prefix: str) -> bool:
        """Whether some key starts with ``prefix`` + ' ' (for multi-word matching)."""
        p = prefix + " "
        return bool(self._query("SELECT 1 FROM names WHERE key >= ? AND key < ? LIMIT 1", (p, p + "\uffff")))

    def place(self, place_id: int) -> Place | None:
        return self._places([place_id]).get(place_id)

    def country(self, country_code: str) -> Place | None:
        """The country entry (PCLI/PCLD/...) for an ISO 3166-1 alpha-2 code."""
        rows = self._query("SELECT id FROM countries WHERE country_code = ?", ((country_code or "").upper(),))
        return self.place(rows[0][0]) if rows else None

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        """The first-level division entry for a GeoNames admin1 code."""
        rows = self._query("SELECT id FROM admin1 WHERE country_code = ? AND admin1_code = ?",
                           ((country_code or "").upper(), admin1_code or ""))
        return self.place(rows[0][0]) if rows else None

    def point_source(self, place_id: int) -> str | None:
        """How the entry's point was obtained (for derived points of divisions/regions), else None."""
        rows = self._query("SELECT point_source FROM places WHERE id = ?", (place_id,))
        return rows[0][0] if rows else None

    def neighbours(self) -> dict[str, frozenset[str]]:
        """The countries each country borders, by ISO code (the meta table's 'country_neighbours',
        from GeoNames countryInfo); empty for a gazetteer built without them. Read once."""
        found = self._neighbours
        if found is None:
            rows = self._query("SELECT value FROM meta WHERE key = 'country_neighbours'", ())
            found = self._neighbours = {cc: frozenset(nb) for cc, nb in json.loads(rows[0][0]).items()} if rows else {}
        return found

    def info(self) -> dict:
        """Sources, versions, licences, counts and build date of this gazetteer."""
        out = {k: json.loads(v) for k, v in self._query("SELECT key, value FROM meta", ())}
        out["path"] = str(self.path)
        return out

    def places_in_box(self, south: float, west: float, north: float, east: float,
                      feature_class: str | None = None) -> list[Place]:
        """Entries whose point lies in the box (west > east: across the antimeridian).

        Built gazetteers have an index on (lat, lon); on the bundled one this scans the table.
        """
        lon_sql = "lon BETWEEN ? AND ?" if west <= east else "(lon >= ? OR lon <= ?)"
        sql = f"SELECT {_PLACE_COLS} FROM places WHERE lat BETWEEN ? AND ? AND {lon_sql}"
        args: tuple = (south, north, west, east)
        if feature_class:
            sql += " AND feature_class = ?"
            args += (feature_class,)
        return [self._place(row) for row in self._query(sql + " ORDER BY id", args)]

    @property
    def layers(self) -> tuple["Gazetteer", ...]:
        return (self,)


_ORDER = {"primary": 0, "country": 1, "abbrev": 2, "demonym": 3, "alternate": 4}
_BATCH = 500  # keys or ids per query (SQLite's limit on parameters may be as low as 999)


def _order(kind: str) -> int:
    return _ORDER[kind]


def _candidate_order(c: Candidate) -> tuple:
    """Gazetteer.candidates' order: the best kind of name first, then the most populous."""
    return _ORDER[c.name_kind], -c.place.population, c.place.id


def merged_candidates(*found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """The candidates of several keys of one name ('mt pleasant', 'mount pleasant'), each place
    once with the best kind of name any key gives it, in Gazetteer.candidates' order."""
    best: dict[int, Candidate] = {}
    for candidates in found:
        for c in candidates:
            cur = best.get(c.place.id)
            if cur is None or _ORDER[c.name_kind] < _ORDER[cur.name_kind]:
                best[c.place.id] = c
    if len(best) == sum(map(len, found)) and sum(map(bool, found)) <= 1:
        return next((f for f in found if f), ())  # one key found them all: its order stands
    return tuple(sorted(best.values(), key=_candidate_order))


def _foreign(name_lang: str, lang: str | None) -> bool:
    """Is a name attested in ``name_lang`` one of another language than the text's (``lang``) and
    English? Not when no text language is given, nor for a language-free name."""
    return lang is not None and bool(name_lang) and name_lang not in (lang, "en")


def _best_names(rows, lang: str | None) -> dict[int, tuple[int, set[str]]]:
    """Place id -> (the best kind of name the rows give it, the languages of that name),
    from (place id, kind, lang) rows of one key, in any order; see Gazetteer.candidates."""
    best: dict[int, tuple[int, set[str]]] = {}
    for pid, kind, name_lang in rows:
        if kind in _LANGUAGE_BOUND and _foreign(name_lang, lang):
            kind = _ALTERNATE
        cur = best.get(pid)
        rank = _RANK[kind]
        if cur is None or rank < _RANK[cur[0]]:
            best[pid] = (kind, {name_lang})
        elif kind == cur[0]:
            cur[1].add(name_lang)
    return best


def _ranked(best: dict[int, tuple[int, set[str]]], places: dict[int, Place], lang: str | None) -> tuple[Candidate, ...]:
    """The candidates of one key (see _best_names) in a text of language ``lang`` (None: not
    given), in Gazetteer.candidates' order."""
    out = []
    for pid, (kind, langs) in best.items():
        p = places.get(pid)
        if p is None:
            continue
        only = next(iter(langs)) if len(langs) == 1 else ""  # '' = language-free or several
        foreign = all(_foreign(n, lang) for n in langs)
        out.append(Candidate(place=p, name_kind=_KIND_NAMES[kind], lang=only, foreign=foreign))
    out.sort(key=_candidate_order)
    return tuple(out)


# Feature codes of areas that are no town: countries, regions, continents, seas, gulfs,
# bays, straits, lakes, rivers, canals, mountain ranges, deserts, peninsulas, plateaus, islands.
AREA_CODES = ("PCL", "CONT", "RGN", "TERR", "OCN", "SEA", "GULF", "BAY", "STRT", "LK", "STM",
              "CNL", "MTS", "DSRT", "PEN", "PLAT", "ISL", "AREA")


def is_area(place: Place) -> bool:
    """Countries, regions, continents, seas, rivers, islands: places no event pins down to a point."""
    code = place.feature_code
    found = _AREA_BY_CODE.get(code)
    if found is None:  # (a few hundred codes: each is tested once, then looked up)
        found = _AREA_BY_CODE[code] = code.startswith(AREA_CODES)
    return found


_AREA_BY_CODE: dict[str, bool] = {}


# ---------------------------------------------------------------------- layers


class LayeredGazetteer:
    """Several gazetteers asked as one, first layer first (the user's own, then the bundled one).

    The same entry in two layers (the same GeoNames id, else the same id) is the first
    layer's: its point, names and population win; a name only a later layer knows still
    finds it. Same methods as :class:`Gazetteer`.
    """

    def __init__(self, layers: list[Gazetteer]):
        if not layers:
            raise ValueError("a LayeredGazetteer needs at least one layer")
        self._layers = tuple(layers)
        self.path = layers[0].path

    @property
    def layers(self) -> tuple[Gazetteer, ...]:
        return self._layers

    @staticmethod
    def _merge_key(p: Place):
        return ("g", p.geonameid) if p.geonameid is not None else ("i", p.id)

    def _override(self, p: Place, upto: int) -> Place:
        """The entry of an earlier layer for the same GeoNames id as ``p``, else ``p``."""
        if p.geonameid is None:
            return p
        for layer in self._layers[:upto]:
            q = layer.place(p.geonameid)
            if q is not None and q.geonameid == p.geonameid:
                return q
        return p

    def candidates(self, key: str, lang: str | None = None) -> tuple[Candidate, ...]:
        best: dict = {}
        for n, layer in enumerate(self._layers):
            for c in layer.candidates(key, lang):
                k = self._merge_key(c.place)
                if k in best:
                    if _order(c.name_kind) < _order(best[k].name_kind):  # a later layer names it better
                        best[k] = replace(c, place=best[k].place)
                    continue
                place = self._override(c.place, n) if n else c.place
                best[k] = c if place is c.place else replace(c, place=place)
        out = sorted(best.values(), key=lambda c: (_order(c.name_kind), -c.place.population, c.place.id))
        return tuple(out)

    def candidates_many(self, keys, lang: str | None = None) -> dict[str, tuple[Candidate, ...]]:
        return {key: self.candidates(key, lang) for key in dict.fromkeys(keys) if key}

    def name_rows(self, key: str) -> list[tuple[int, str, str]]:
        seen, out = set(), []
        for layer in self._layers:
            for row in layer.name_rows(key):
                if row not in seen:
                    seen.add(row)
                    out.append(row)
        return out

    def has_key(self, key: str) -> bool:
        return any(layer.has_key(key) for layer in self._layers)

    def has_prefix(self, prefix: str) -> bool:
        return any(layer.has_prefix(prefix) for layer in self._layers)

    def _first(self, ask) -> Place | None:
        """The first layer's answer to ``ask(layer)``, with the upper layers' overrides."""
        for n, layer in enumerate(self._layers):
            p = ask(layer)
            if p is not None:
                return self._override(p, n) if n else p
        return None

    def place(self, place_id: int) -> Place | None:
        return self._first(lambda layer: layer.place(place_id))

    def country(self, country_code: str) -> Place | None:
        return self._first(lambda layer: layer.country(country_code))

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        return self._first(lambda layer: layer.admin1(country_code, admin1_code))

    def point_source(self, place_id: int) -> str | None:
        for layer in self._layers:
            if layer.place(place_id) is not None:
                return layer.point_source(place_id)
        return None

    def places_in_box(self, south: float, west: float, north: float, east: float,
                      feature_class: str | None = None) -> list[Place]:
        best: dict = {}
        for layer in self._layers:
            for p in layer.places_in_box(south, west, north, east, feature_class):
                best.setdefault(self._merge_key(p), p)
        return sorted(best.values(), key=lambda p: p.id)

    def neighbours(self) -> dict[str, frozenset[str]]:
        """The first layer's that has them (a user's gazetteer may have been built without)."""
        for layer in self._layers:
            found = layer.neighbours()
            if found:
                return found
        return {}

    def info(self) -> dict:
        """The first layer's info, with every layer's under 'layers' (first wins)."""
        infos = [layer.info() for layer in self._layers]
        return {**infos[0], "layers": infos}


def open_gazetteer(path: Path | str | None = None, *, places: Path | str | None = None,
                   bundled: bool = True) -> Gazetteer | LayeredGazetteer:
    """The gazetteer the pipeline asks: the user's (``path``, else ``$GEOINCIDENTS_GAZETTEER``)
    merged with the bundled one by GeoNames id, the user's entry winning; custom places from a
    CSV file (``places``, see :mod:`geoincidents.custom_places`) win over both."""
    layers: list[Gazetteer] = []
    user = path if path is not None else os.environ.get("GEOINCIDENTS_GAZETTEER")
    if user:
        layers.append(Gazetteer.open(user))
    if bundled or not layers:
        base = Gazetteer.open(BUNDLED_DIR)
        if not any(base is layer for layer in layers):
            layers.append(base)
    if places is not None:
        from .custom_places import places_gazetteer

        below = layers[0] if len(layers) == 1 else LayeredGazetteer(layers)
        layers.insert(0, Gazetteer.open(places_gazetteer(places, below)))
    return layers[0] if len(layers) == 1 else LayeredGazetteer(layers)
