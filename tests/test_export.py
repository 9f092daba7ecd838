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
