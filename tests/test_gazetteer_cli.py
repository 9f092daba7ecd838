"""`geoincidents gazetteer build | lookup | info` and `--gazetteer` on map/extract."""
from __future__ import annotations

import json

from click.testing import CliRunner
from test_geonames_dump import write_dump

from geoincidents.cli import main


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def test_build_then_extract_and_map_with_it(tmp_path):
    out = tmp_path / "mine.sqlite"
    r = run("gazetteer", "build", "--from", write_dump(tmp_path / "dump"), "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    assert "wrote" in r.output and "9 places" in r.output
    doc = tmp_path / "a.txt"
    doc.write_text("Artillery shelled Zangakatun Verin in Armenia on Tuesday.", encoding="utf-8")
    r = run("extract", "--lang", "en", "--published", "2022-09-13", str(doc))
    assert "9100001" not in r.stdout  # the bundled gazetteer alone lacks it
    r = run("extract", "--lang", "en", "--published", "2022-09-13", "--gazetteer", out, doc)
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout.splitlines()[0])
    assert rec["incidents"][0]["place"]["geonameid"] == 9100001
    html = tmp_path / "map.html"
    r = run("map", "--lang", "en", "--gazetteer", out, "-o", html, doc)
    assert r.exit_code == 0, r.output
    assert "Zangakatun Verin" in html.read_text(encoding="utf-8")


def test_build_errors_exit_2(tmp_path):
    r = run("gazetteer", "build", "--from", tmp_path / "nope", "--out", tmp_path / "x.sqlite")
    assert r.exit_code == 2 and "no such folder" in r.output
    r = run("gazetteer", "build", "--from", tmp_path, "--out", tmp_path / "x.sqlite", "--countries", "ARM")
    assert r.exit_code == 2 and "ARM is not an ISO 3166-1 alpha-2 code" in r.output


def test_missing_user_gazetteer_is_a_usage_error(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Shelling in Goris.", encoding="utf-8")
    r = run("extract", "--gazetteer", tmp_path / "missing.sqlite", doc)
    assert r.exit_code == 2 and "not found" in r.output


def test_lookup_explains_the_ranking():
    r = run("gazetteer", "lookup", "Goris", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    top = rows[0]
    assert top["geonameid"] == 174895 and top["country_code"] == "AM" and top["admin1"] == "Syunik"
    assert top["name_kind"] == "primary" and top["feature_code"] == "PPL"
    assert abs(top["score"] - (top["feature_weight"] + top["name_weight"] + top["population_weight"])) < 0.01
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    table = run("gazetteer", "lookup", "Novoivanovka", "--country", "AZ").stdout.splitlines()
    assert table[0].split()[:4] == ["score", "=", "feat", "+"] and len(table) == 2 and "585348" in table[1]
    r = run("gazetteer", "lookup", "Xqzzqx Nowhere")
    assert r.exit_code == 1 and "no gazetteer entry" in r.stdout


def test_lookup_in_a_built_gazetteer_shows_the_user_entry_first(tmp_path):
    out = tmp_path / "mine.sqlite"
    run("gazetteer", "build", "--from", write_dump(tmp_path / "dump"), "--out", out, "--quiet")
    rows = json.loads(run("gazetteer", "lookup", "Goris", "--gazetteer", out, "--format", "json").stdout)
    goris = [r for r in rows if r["geonameid"] == 174895]
    assert len(goris) == 1 and goris[0]["lat"] == 39.9


def test_info_shows_sources_counts_and_licence(tmp_path):
    r = run("gazetteer", "info")
    assert r.exit_code == 0 and "places" in r.stdout and "GeoNames" in r.stdout and "built" in r.stdout
    out = tmp_path / "mine.sqlite"
    run("gazetteer", "build", "--from", write_dump(tmp_path / "dump"), "--out", out, "--quiet")
    infos = json.loads(run("gazetteer", "info", "--gazetteer", out, "--format", "json").stdout)
    assert len(infos) == 2 and infos[0]["counts"]["places"] == 9 and "CC BY 4.0" in infos[0]["licence"]
    assert {s["name"] for s in infos[0]["sources"]} >= {"AM.txt", "AZ.zip"}
    text = run("gazetteer", "info", "--gazetteer", out).stdout
    assert text.startswith("gazetteer 1 of 2: ") and "source: AM.txt" in text and "licence: GeoNames" in text
