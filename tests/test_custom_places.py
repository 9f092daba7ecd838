"""Custom places from a CSV file: validation, `gazetteer add`, `--places`."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from click.testing import CliRunner

from geoincidents.cli import main
from geoincidents.custom_places import PlacesError, read_places, write_places
from geoincidents.gazetteer import Gazetteer, open_gazetteer
from geoincidents.names import fold
from geoincidents.pipeline import Pipeline

GOOD = """name,aliases,lat,lon,country,admin1,feature_code,source
Kamp Nor Hatsar,Nor Hatsar Camp|Camp Nor Hatsar,39.555,46.2,AM,Syunik,CMPRF,field report 2022-09-14
Checkpoint Tegh-7,Tegh-7,39.56,46.48,AM,08,PSTB,UN OCHA map
Zarvert,,39.6,46.25,am,,,our survey
"""


@pytest.fixture()
def good_csv(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text(GOOD, encoding="utf-8")
    return p


def test_rows_are_read_with_codes_and_divisions(good_csv):
    places = read_places(good_csv, Gazetteer.open())
    camp, checkpoint, village = places
    assert camp.feature_class == "S" and camp.feature_code == "CMPRF" and camp.aliases == ("Nor Hatsar Camp", "Camp Nor Hatsar")
    assert camp.admin1_code == "08" and camp.admin1 == "Syunik"  # a division's name becomes its code
    assert checkpoint.admin1_code == "08" and checkpoint.admin1 == "Syunik"
    assert village.feature_code == "PPL" and village.country_code == "AM" and village.row == 4
    assert camp.id < 0 and len({p.id for p in places}) == 3


@pytest.mark.parametrize("row, message", [
    (",,39.5,46.2,AM,,PPL,x", "missing name"),
    ("Somewhere,,95,46.2,AM,,PPL,x", "lat 95 is outside -90..90"),
    ("Somewhere,,39.5,200,AM,,PPL,x", "lon 200 is outside -180..180"),
    ("Somewhere,,north,46.2,AM,,PPL,x", "is not a pair of decimal degrees"),
    ("Somewhere,,39.5,46.2,AM,,VILLAGE,x", "unknown feature code 'VILLAGE'"),
    ("Somewhere,,39.5,46.2,Armenia,,PPL,x", "is not an ISO 3166-1 alpha-2 code"),
    ("Somewhere,,39.5,46.2,QQ,,PPL,x", "country QQ is not a country the gazetteer knows"),
    ("Somewhere,39.5,46.2,AM,,PPL,x", "has 7 fields, the header row has 8"),
])
def test_bad_rows_are_named_by_line(tmp_path, row, message):
    p = tmp_path / "bad.csv"
    p.write_text(GOOD + row + "\n", encoding="utf-8")
    with pytest.raises(PlacesError) as e:
        read_places(p, Gazetteer.open())
    (line,) = e.value.lines
    assert line.startswith(f"{p}:5: ") and message in line


def test_bad_header_and_every_bad_row_reported(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("name,latitude,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(PlacesError, match=r":1: unknown column 'latitude'; no 'lat' column"):
        read_places(p)
    p.write_text("name,lat,lon\n,1,2\nOk,1,2\nBad,100,2\n", encoding="utf-8")
    with pytest.raises(PlacesError) as e:
        read_places(p)
    assert [line.split(": ", 1)[0] for line in e.value.lines] == [f"{p}:2", f"{p}:4"]


def test_add_command_writes_a_gazetteer_and_exits_2_on_bad_rows(good_csv, tmp_path):
    out = tmp_path / "mine.sqlite"
    r = CliRunner().invoke(main, ["gazetteer", "add", str(good_csv), "--out", str(out)])
    assert r.exit_code == 0, r.output
    g = Gazetteer.open(out)
    (c,) = g.candidates(fold("Nor Hatsar Camp"))
    assert c.place.feature_code == "CMPRF" and c.name_kind == "alternate" and c.place.source == "custom"
    assert g.point_source(c.place.id) == "field report 2022-09-14"
    assert g.info()["sources"][0]["name"] == "mine.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon,feature_code\nA,1,2,XXX\nB,1,999,PPL\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["gazetteer", "add", str(bad), "--out", str(tmp_path / "other.sqlite")])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 2 and ":2: unknown feature code" in lines[0] and ":3: lon 999" in lines[1]
    assert not (tmp_path / "other.sqlite").exists()


def test_add_to_a_built_gazetteer_keeps_its_places(good_csv, tmp_path):
    out = tmp_path / "g.sqlite"
    first = tmp_path / "first.csv"
    first.write_text("name,lat,lon,country\nAlpha Post,10,10,AM\n", encoding="utf-8")
    write_places(read_places(first), out, source_file=first)
    write_places(read_places(good_csv), out, source_file=good_csv)
    con = sqlite3.connect(out)
    names = {r[0] for r in con.execute("SELECT name FROM places")}
    meta = json.loads(con.execute("SELECT value FROM meta WHERE key = 'sources'").fetchone()[0])
    con.close()
    assert {"Alpha Post", "Zarvert", "Kamp Nor Hatsar"} <= names
    assert [s["name"] for s in meta] == ["first.csv", "mine.csv"]


def test_places_option_finds_a_camp_in_a_text(good_csv):
    text = "Shelling hit Kamp Nor Hatsar near Goris on Tuesday, the ministry said."
    report = Pipeline(places=good_csv).parse(text, lang="en", published=date(2022, 9, 13))
    found = {t.mention.text: t for t in report.toponyms}
    assert found["Kamp Nor Hatsar"].place.feature_code == "CMPRF"
    assert found["Kamp Nor Hatsar"].place.lat == 39.555
    assert found["Goris"].place.geonameid == 174895  # the bundled data below


def test_a_custom_row_with_a_geonameid_replaces_that_entry(tmp_path):
    p = tmp_path / "fix.csv"
    p.write_text("name,lat,lon,country,geonameid,population\nGoris,39.0,46.0,AM,174895,21000\n", encoding="utf-8")
    g = open_gazetteer(places=p)
    goris = [c.place for c in g.candidates("goris") if c.place.geonameid == 174895]
    assert len(goris) == 1 and (goris[0].lat, goris[0].lon, goris[0].population) == (39.0, 46.0, 21000)


def test_extract_with_places_option(good_csv, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Drones struck Zarvert on Monday.", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", "--lang", "en", "--places", str(good_csv), str(doc)])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout.splitlines()[0])
    assert [(t["name"], t["lat"], t["geonameid"]) for t in rec["toponyms"]] == [("Zarvert", 39.6, None)]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nX,91,0\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", "--places", str(bad), str(doc)])
    assert r.exit_code == 2 and ":2: lat 91 is outside -90..90" in r.output


def test_a_name_may_end_in_a_number(tmp_path):
    from geoincidents.pipeline import Pipeline

    csv_file = tmp_path / "places.csv"
    csv_file.write_text(
        "name,aliases,lat,lon,country,admin1,feature_code,source\n"
        "Checkpoint Tegh-7,,39.56,46.48,AM,,PPL,test fixture\n",
        encoding="utf-8",
    )
    report = Pipeline(places=csv_file).parse("Shots were fired at Checkpoint Tegh-7 on Monday.", lang="en")
    assert "Checkpoint Tegh-7" in [t.mention.text for t in report.toponyms]
