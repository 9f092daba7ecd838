"""Exports: the incident CSV (ACLED column names), GeoJSON (RFC 7946) and DataFrames."""
import csv
import io
import json
import math

import pytest
from click.testing import CliRunner

from geoincidents.cli import main
from geoincidents.export import INCIDENT_COLUMNS, feature_collection

ACLED = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
         "latitude", "longitude", "geo_precision", "time_precision", "source", "notes", "fatalities"]
OURS = ["claimed_by", "disputed_by", "confidence", "doc_id", "start", "end", "event_id"]


def _extract(fmt, seed_path):
    r = CliRunner().invoke(main, ["extract", "--format", fmt, "--published", "2022-09-13", str(seed_path)])
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture(scope="module")
def seed_path():
    from conftest import EXAMPLE

    return EXAMPLE


def test_columns():
    assert set(ACLED + OURS) <= set(INCIDENT_COLUMNS)


def test_csv_one_row_per_incident(seed_path, seed_text):
    rows = list(csv.DictReader(io.StringIO(_extract("csv", seed_path))))
    assert {r["location"] for r in rows} == {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu"}
    for r in rows:
        assert seed_text[int(r["start"]) : int(r["end"])] == r["location"]
        assert r["location"] in r["notes"]
    goris = next(r for r in rows if r["location"] == "Goris")
    assert goris["event_date"] == "2022-09-13" and goris["country"] == "AM"
    assert goris["claimed_by"] == "Kementerian Pertahanan Armenia"
    assert float(goris["latitude"]) == pytest.approx(39.51, abs=0.05)


def test_geojson_is_valid_rfc7946(seed_path):
    text = _extract("geojson", seed_path)
    fc = json.loads(text)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == 5
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90 and math.isfinite(lon) and math.isfinite(lat)
    goris = next(f for f in fc["features"] if f["properties"]["location"] == "Goris")
    assert goris["geometry"]["coordinates"][0] == pytest.approx(46.34, abs=0.05)  # lon first
    geojson = pytest.importorskip("geojson", reason="the GeoJSON validator is a test extra (pip install geojson)")
    obj = geojson.loads(text)
    assert obj.is_valid, obj.errors()


def test_feature_collection_of_nothing():
    assert feature_collection([]) == {"type": "FeatureCollection", "features": []}


def test_dataframes(seed_report):
    toponyms = seed_report.to_dataframe()
    assert len(toponyms) == len(seed_report.toponyms)  # the default stays the toponym table
    incidents = seed_report.to_dataframe(kind="incidents")
    assert len(incidents) == len(seed_report.incidents)
    assert set(ACLED + OURS) <= set(incidents.columns)
    with pytest.raises(ValueError):
        seed_report.to_dataframe(kind="events")


# A name no gazetteer has, in a text that names no known place: the incident is kept, unplaced
UNPLACED = "Gunmen stormed the village of Qaryat Zelwan on Tuesday, killing four farmers."
PLACED = "Shelling hit the centre of Donetsk on Tuesday, killing two civilians."


@pytest.fixture(scope="module")
def unplaced_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("unplaced") / "zelwan.txt"
    path.write_text(UNPLACED, encoding="utf-8")
    return path


def test_an_unplaced_incident_in_the_jsonl_record(unplaced_path):
    (rec,) = [json.loads(line) for line in _extract("jsonl", unplaced_path).splitlines()]
    (t,) = [t for t in rec["toponyms"] if t["text"] == "Qaryat Zelwan"]
    assert t["name"] == "Qaryat Zelwan" and t["role"] == "incident" and t["score"] == 0.0
    assert all(t[k] is None for k in ("lat", "lon", "geonameid", "country_code", "feature_code", "admin1"))
    (inc,) = rec["incidents"]
    assert inc["location"] == "Qaryat Zelwan" and inc["place"] is None and inc["geo_precision"] is None
    assert UNPLACED[inc["start"] : inc["end"]] == "Qaryat Zelwan" and inc["fatalities"] == 4


def test_an_unplaced_incident_in_csv_and_geojson(unplaced_path):
    (row,) = list(csv.DictReader(io.StringIO(_extract("csv", unplaced_path))))
    assert row["location"] == "Qaryat Zelwan" and row["notes"] == UNPLACED
    assert row["latitude"] == row["longitude"] == row["country"] == row["geo_precision"] == ""
    text = _extract("geojson", unplaced_path)
    (f,) = json.loads(text)["features"]
    assert f["geometry"] is None and f["properties"]["location"] == "Qaryat Zelwan"
    geojson = pytest.importorskip("geojson", reason="the GeoJSON validator is a test extra (pip install geojson)")
    obj = geojson.loads(text)
    assert obj.is_valid, obj.errors()


def test_an_unplaced_incident_in_the_dataframes(pipeline):
    report = pipeline.parse(UNPLACED, lang="en")
    toponyms = report.to_dataframe()
    row = toponyms[toponyms["text"] == "Qaryat Zelwan"].iloc[0]
    assert math.isnan(row["lat"]) and math.isnan(row["lon"]) and row["role"] == "incident"
    assert "Qaryat Zelwan" not in {p.surface for p in report.map_points()}  # nowhere to draw it
    both = [report, pipeline.parse(PLACED, lang="en")]
    from geoincidents.export import incidents_dataframe

    incidents = incidents_dataframe(both)
    assert incidents["latitude"].dtype.kind == "f"
    unplaced = incidents[incidents["location"] == "Qaryat Zelwan"]
    assert len(unplaced) == 1 and unplaced["latitude"].isna().all()
    assert incidents[incidents["location"] == "Donetsk"]["latitude"].between(47, 49).all()
    if hasattr(incidents, "geometry"):  # geopandas installed: no point for the unplaced name
        assert incidents.geometry[incidents["location"] == "Qaryat Zelwan"].isna().all()


def test_the_map_leaves_out_an_unplaced_incident_and_names_it(unplaced_path, tmp_path):
    placed = tmp_path / "donetsk.txt"
    placed.write_text(PLACED, encoding="utf-8")
    target = tmp_path / "map.html"
    r = CliRunner().invoke(main, ["map", str(unplaced_path), str(placed), "-o", str(target)])
    assert r.exit_code == 0, r.output
    assert "not on the map (in no gazetteer): Qaryat Zelwan" in r.stderr
    html = target.read_text(encoding="utf-8")
    assert "Qaryat Zelwan" in html and "Donetsk" in html  # in the subtitle; the placed one drawn
    alone = tmp_path / "alone.html"
    r = CliRunner().invoke(main, ["map", str(unplaced_path), "-o", str(alone)])
    assert r.exit_code == 0 and alone.stat().st_size > 0, r.output
