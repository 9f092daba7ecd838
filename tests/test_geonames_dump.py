"""Gazetteers built from GeoNames dump files (written here, small), and merged with the bundled one."""
from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from geoincidents.gazetteer import Gazetteer, LayeredGazetteer, open_gazetteer
from geoincidents.geonames_dump import DumpError, build
from geoincidents.names import fold
from geoincidents.pipeline import Pipeline


def geoname(gid, name, lat, lon, fclass, code, cc, a1="", pop=0, ascii_name=None, alts="", a2=""):
    """One line of the 19-column 'geoname' format."""
    return "\t".join(map(str, [gid, name, ascii_name if ascii_name is not None else name, alts, lat, lon, fclass,
                               code, cc, "", a1, a2, "", "", pop, "", "", "Asia/Yerevan", "2024-01-01"])) + "\n"


AM_ROWS = [
    geoname(174982, "Armenia", 40.25, 45.0, "A", "PCLI", "AM", "00", 2968000, alts="Hayastan,Armenien"),
    geoname(828260, "Syunik Province", 39.5, 46.0, "A", "ADM1", "AM", "08", alts="Syunik Marz"),
    # Goris, moved 40 km north: a correction of the bundled entry with the same id
    geoname(174895, "Goris", 39.9, 46.3, "P", "PPL", "AM", "08", 20379, alts="Gorisi"),
    # a village the bundled gazetteer lacks, population 0
    geoname(9100001, "Zangakatun Verin", 39.62, 46.12, "P", "PPL", "AM", "08", 0),
    geoname(9100002, "Vorotan Gyugh", 39.41, 46.05, "P", "PPLL", "AM", "08", 0, ascii_name="Vorotan Gyugh"),
    geoname(5555, "Aragats Peak", 40.5, 44.2, "T", "MT", "AM", "05", 0),  # not P or A: left out
    geoname(9100003, "Tiny Hamlet", 39.7, 46.2, "P", "PPL", "AM", "08", 3),
]
OTHER_ROWS = [
    geoname(8505031, "Soviet Union", 61.0, 99.0, "A", "PCLH", "", "", 0, alts="USSR"),  # historical
]
AZ_ROWS = [
    geoname(587116, "Azerbaijan", 40.5, 47.5, "A", "PCLI", "AZ", "00", 9942334),
    geoname(9200001, "Qaraqaya Kend", 40.61, 45.6, "P", "PPL", "AZ", "19", 0),
]
ALT_NAMES = [
    # alternateNameId, geonameid, isolanguage, name, preferred, short, colloquial, historic, from, to
    (1, 174895, "ru", "Горис"), (2, 174895, "link", "https://en.wikipedia.org/wiki/Goris"),
    (3, 174895, "post", "3201"), (4, 174895, "hy", "Գորիս"), (5, 9100001, "ru", "Зангакатун Верин"),
    (6, 174982, "id", "Armenia Raya"), (7, 174982, "ru", "Армения"), (8, 8505031, "abbr", "SSSR"),
    (9, 8505031, "en", "USSR"), (10, 9100001, "de", "Oberzangakatun"), (11, 9100001, "iata", "ZZZ"),
    (12, 9100001, "", "Verin Zangakatun"), (13, 9999999, "en", "Not Kept Anywhere"),
    (14, 174895, "wkdt", "Q123"), (15, 9100001, "zh-CN", "上赞加卡通"),
]


def write_dump(folder: Path, *, zipped_az=True, alternates=True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "AM.txt").write_text("".join(AM_ROWS), encoding="utf-8")
    if zipped_az:
        with zipfile.ZipFile(folder / "AZ.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("AZ.txt", "".join(AZ_ROWS))
            z.writestr("readme.txt", "GeoNames readme")
    (folder / "SU.txt").write_text("".join(OTHER_ROWS), encoding="utf-8")
    if alternates:
        with zipfile.ZipFile(folder / "alternateNamesV2.zip", "w") as z:
            z.writestr("alternateNamesV2.txt", "".join(
                "\t".join([str(a), str(g), lang, name, "", "", "", "", "", ""]) + "\n" for a, g, lang, name in ALT_NAMES))
            z.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\n")
    (folder / "admin1CodesASCII.txt").write_text("AM.08\tSyunik\tSyunik\t828260\nAZ.19\tGadabay\tGadabay\t586725\n",
                                                  encoding="utf-8")
    (folder / "admin2Codes.txt").write_text("AM.08.123\tGoris Shrjan\tGoris Shrjan\t1234567\n", encoding="utf-8")
    (folder / "countryInfo.txt").write_text(
        "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea\tPopulation\tContinent\ttld\tCurrencyCode\t"
        "CurrencyName\tPhone\tPostal\tPostalRegex\tLanguages\tgeonameid\tneighbours\tEquivalentFipsCode\n"
        "AM\tARM\t051\tAM\tArmenia\tYerevan\t29800\t2968000\tAS\t.am\tAMD\tDram\t374\t######\t^(\\d{6})$\thy\t174982\t"
        "GE,IR,AZ,TR\t\n", encoding="utf-8")
    return folder


def db(path: Path, sql: str, *args):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.fixture()
def built(tmp_path) -> Path:
    src = write_dump(tmp_path / "dump")
    out = tmp_path / "mine.sqlite"
    build(src, out, progress=False)
    return out


def names_of(path: Path, gid: int) -> set[tuple[str, str, str]]:
    kinds = {0: "primary", 1: "country", 2: "abbrev", 3: "alternate", 4: "demonym"}
    return {(k, kinds[kind], lang) for k, kind, lang in db(path, "SELECT key, kind, lang FROM names WHERE id = ?", gid)}


def test_build_keeps_places_and_divisions_of_every_population(built):
    codes = dict(db(built, "SELECT id, feature_code FROM places"))
    assert codes[9100001] == "PPL" and codes[9100003] == "PPL" and codes[9100002] == "PPLL"
    assert codes[828260] == "ADM1" and codes[174982] == "PCLI" and codes[8505031] == "PCLH"
    assert codes[9200001] == "PPL"  # from AZ.zip
    assert 5555 not in codes  # a mountain (class T) is not kept
    row = db(built, "SELECT name, lat, lon, country_code, admin1_code, admin1, population FROM places WHERE id = 9100001")
    assert row == [("Zangakatun Verin", 39.62, 46.12, "AM", "08", "Syunik", 0)]


def test_build_joins_alternate_names_by_language(built):
    goris = names_of(built, 174895)
    assert ("горис", "alternate", "ru") in goris and ("գորիս", "alternate", "hy") in goris
    assert not any("wikipedia" in k or k == "3201" or k == "q123" for k, _, _ in goris)  # link, post, wkdt
    village = names_of(built, 9100001)
    assert ("oberzangakatun", "alternate", "de") in village and ("verin zangakatun", "alternate", "") in village
    assert ("上赞加卡通", "alternate", "zh") in village
    assert not any(k == "zzz" for k, _, _ in village)  # an IATA code
    assert ("sssr", "abbrev", "") in names_of(built, 8505031)
    # a country's names in a language are country names, as in the bundled gazetteer
    assert ("armenia raya", "country", "id") in names_of(built, 174982)
    assert not db(built, "SELECT 1 FROM names WHERE key = 'not kept anywhere'")


def test_build_names_from_admin_code_files_and_tables(built):
    assert ("syunik", "primary", "") in names_of(built, 828260)
    assert db(built, "SELECT id FROM countries WHERE country_code = 'AM'") == [(174982,)]
    assert db(built, "SELECT id FROM admin1 WHERE country_code = 'AM' AND admin1_code = '08'") == [(828260,)]
    assert db(built, "SELECT name FROM sqlite_master WHERE name = 'places_latlon'")


def test_build_records_sources_and_date_in_meta(built, tmp_path):
    g = Gazetteer.open(built)
    info = g.info()
    assert info["schema_version"] == 1 and len(info["build_date"]) == 10
    sources = {s["name"]: s for s in info["sources"]}
    assert {"AM.txt", "AZ.zip", "SU.txt", "alternateNamesV2.zip", "admin1CodesASCII.txt", "admin2Codes.txt",
            "countryInfo.txt"} <= set(sources)
    am = sources["AM.txt"]
    import hashlib

    raw = (tmp_path / "dump" / "AM.txt").read_bytes()
    assert am["bytes"] == len(raw) and am["sha256"] == hashlib.sha256(raw).hexdigest() and am["modified"]
    assert info["counts"]["places"] == 9 and "CC BY 4.0" in info["licence"]


def test_built_gazetteer_answers_like_the_bundled_one(built):
    g = Gazetteer.open(built)
    (c,) = g.candidates(fold("Zangakatun Verin"))
    assert c.place.geonameid == 9100001 and c.name_kind == "primary" and c.place.admin1 == "Syunik"
    assert g.has_key("горис") and g.country("AM").id == 174982 and g.admin1("AM", "08").name == "Syunik Province"
    assert g.candidates(fold("Армения"), "ru")[0].name_kind == "country"
    # a country name attested only in another language counts as an alternate one
    assert g.candidates(fold("Армения"), "id")[0].name_kind == "alternate"
    # the countries Armenia borders, from countryInfo, for the resolver's 'neighbour_named'
    assert g.neighbours() == {"AM": frozenset({"AZ", "GE", "IR", "TR"})}


def test_countries_languages_and_population_filters(tmp_path):
    src = write_dump(tmp_path / "dump")
    out = tmp_path / "am.sqlite"
    build(src, out, countries=["am"], languages=["ru"], min_population=1, progress=False)
    ids = {r[0] for r in db(out, "SELECT id FROM places")}
    assert 9200001 not in ids and 8505031 not in ids  # other countries
    assert 9100001 not in ids and 9100003 in ids and 828260 in ids  # population 0 < 1; divisions stay
    keys = {r[0] for r in db(out, "SELECT key FROM names")}
    assert "горис" in keys and "գորիս" not in keys  # only Russian alternate names


def test_all_countries_zip_is_read_and_filtered(tmp_path):
    src = tmp_path / "all"
    src.mkdir()
    with zipfile.ZipFile(src / "allCountries.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("allCountries.txt", "".join(AM_ROWS + AZ_ROWS + OTHER_ROWS))
    out = tmp_path / "az.sqlite"
    build(src, out, countries=["AZ"], progress=False)
    assert {r[0] for r in db(out, "SELECT id FROM places")} == {587116, 9200001}
    # without alternateNamesV2 the place file's own alternate names are used
    out2 = tmp_path / "all.sqlite"
    build(src, out2, progress=False)
    assert ("gorisi", "alternate", "") in names_of(out2, 174895)
    # without admin1CodesASCII places are labelled by the ADM1 features of the dump
    assert db(out2, "SELECT admin1 FROM places WHERE id = 174895") == [("Syunik Province",)]


def test_bad_dumps_are_one_line_errors(tmp_path):
    with pytest.raises(DumpError, match="no such folder"):
        build(tmp_path / "missing", tmp_path / "x.sqlite", progress=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DumpError, match="no GeoNames place file"):
        build(empty, tmp_path / "x.sqlite", progress=False)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "AM.txt").write_text("1\tonly\tthree\n")
    with pytest.raises(DumpError, match=r"AM.txt:1: has 3 tab-separated fields"):
        build(bad, tmp_path / "x.sqlite", progress=False)
    src = write_dump(tmp_path / "dump", alternates=False)
    with pytest.raises(DumpError, match="--languages needs alternateNamesV2"):
        build(src, tmp_path / "x.sqlite", languages=["ru"], progress=False)
    with pytest.raises(DumpError, match="no XX.txt"):
        build(src, tmp_path / "x.sqlite", countries=["XX"], progress=False)
    assert not list(tmp_path.glob("*.sqlite")) and not list(tmp_path.glob(".*.tmp"))  # nothing half-written


# ---------------------------------------------------------------- merged with the bundled gazetteer

def test_user_entry_overrides_the_bundled_one_by_geonameid(built):
    bundled = Gazetteer.open()
    assert abs(bundled.place(174895).lat - 39.51) < 0.05
    merged = open_gazetteer(built)
    assert isinstance(merged, LayeredGazetteer) and merged.layers[1] is bundled
    goris = [c for c in merged.candidates(fold("Goris")) if c.place.geonameid == 174895]
    assert len(goris) == 1 and goris[0].place.lat == 39.9  # the user's point
    assert merged.place(174895).lat == 39.9
    # a name only the bundled data has ('Geryusy') still finds the entry, with the user's point
    assert not Gazetteer.open(built).has_key("geryusy")
    (c,) = [c for c in merged.candidates("geryusy") if c.place.geonameid == 174895]
    assert c.place.lat == 39.9 and c.name_kind == "alternate"
    assert merged.country("AM").id == 174982 and merged.country("RU") == bundled.country("RU")
    assert merged.has_key(fold("Zangakatun Verin")) and not bundled.has_key(fold("Zangakatun Verin"))


def test_extract_finds_a_village_only_the_user_gazetteer_has(built):
    text = ("Azerbaijani forces shelled the village of Zangakatun Verin in Syunik on Tuesday, "
            "and drones struck Goris, the defence ministry in Yerevan said.")
    plain = Pipeline(gazetteer=Gazetteer.open()).parse(text, lang="en", published=date(2022, 9, 13))
    assert "Zangakatun Verin" not in {t.mention.text for t in plain.toponyms}
    report = Pipeline(gazetteer_path=built).parse(text, lang="en", published=date(2022, 9, 13))
    found = {t.mention.text: t for t in report.toponyms}
    village = found["Zangakatun Verin"]
    assert village.place.geonameid == 9100001 and (village.place.lat, village.place.lon) == (39.62, 46.12)
    assert village.role == "incident"
    assert found["Goris"].place.lat == 39.9  # the user's correction of a bundled place
    assert found["Yerevan"].place.country_code == "AM"  # still the bundled data for the rest


def test_environment_variable_and_parse_take_the_user_gazetteer(built, monkeypatch):
    import geoincidents

    text = "Shelling hit Zangakatun Verin in Armenia on Monday."
    report = geoincidents.parse(text, lang="en", published="2022-09-12", gazetteer=built)
    assert any(t.place.geonameid == 9100001 for t in report.toponyms)
    monkeypatch.setenv("GEOINCIDENTS_GAZETTEER", str(built))
    g = open_gazetteer()
    assert isinstance(g, LayeredGazetteer) and g.layers[0].path == built.resolve()


def test_layered_info_lists_every_layer(built):
    info = open_gazetteer(built).info()
    assert [layer["path"] for layer in info["layers"]][0] == str(built.resolve())
    assert len(info["layers"]) == 2 and info["layers"][1]["counts"]["places"] > 100_000
    json.dumps(info)
