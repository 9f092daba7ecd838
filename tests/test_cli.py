"""The command line as users and tools call it: real processes, real files."""
import json
import subprocess
import sys

import pytest

from conftest import EXAMPLE, SHARED


def run(*args, stdin=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "geoincidents.cli", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120,
    )


@pytest.fixture(scope="module")
def seed_extract(tmp_path_factory):
    r = run("extract", "--format", "jsonl", "--published", "2022-09-13", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    out = tmp_path_factory.mktemp("pred") / "pred.jsonl"
    out.write_text(r.stdout, encoding="utf-8")
    return out


def test_extract_contract(seed_extract, seed_text):
    (doc,) = [json.loads(line) for line in seed_extract.read_text().splitlines()]
    assert doc["id"] == "armenia-azerbaijan-2022-09-13" and doc["lang"] == "id"
    keys = {"start", "end", "text", "name", "lat", "lon", "geonameid", "country_code", "feature_code", "admin1", "role", "score"}
    for t in doc["toponyms"]:
        assert keys <= set(t)
        assert seed_text[t["start"] : t["end"]] == t["text"]
        assert t["role"] in ("incident", "mention")
    assert {t["text"] for t in doc["toponyms"] if t["role"] == "incident"} == {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu"}
    for inc in doc["incidents"]:
        assert seed_text[inc["sentence"]["start"] : inc["sentence"]["end"]] == inc["sentence"]["text"]


def test_seed_passes_the_scorer(seed_extract, seed_gold):
    r = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "seed" / "gold.jsonl"), str(seed_extract), "--json"],
        capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    places = scores.get("places", scores)
    inc = places["incident_places"]
    assert inc["r"] == 1.0 and inc["p"] == 1.0, places
    assert places["mention_recall"] >= 0.8, places


def test_stdin_and_lang_option():
    r = run("extract", "--lang", "en", "-", stdin="Floods swept through the village of Ninh Binh in Vietnam on Sunday.")
    assert r.returncode == 0, r.stderr
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert doc["id"] == "stdin" and doc["lang"] == "en"
    assert "Vietnam" in {t["text"] for t in doc["toponyms"]}


def test_jsonl_batch_skips_a_bad_line(tmp_path):
    src = tmp_path / "batch.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Shelling hit Kharkiv on Monday.", "lang": "en", "published": "2023-01-04"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "b", "text": "Protesters marched in Lyon.", "lang": "en"}) + "\n",
        encoding="utf-8",
    )
    r = run("extract", str(src))
    assert r.returncode == 1
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == ["a", "b"]
    assert "batch.jsonl:2" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"\xff\xfe\xfa not utf8 \xff"])
def test_bad_input_one_line_error(tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    r = run("map", str(bad), "-o", str(tmp_path / "bad.html"))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) <= 2 and "Traceback" not in r.stderr
    assert not (tmp_path / "bad.html").exists()


def test_missing_file_and_bad_date():
    r = run("extract", "no/such/file.txt")
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run("extract", "--published", "13/09/2022", str(EXAMPLE))
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr and "Traceback" not in r.stderr


def test_map_writes_into_output_dir(tmp_path):
    r = run("map", "--published", "2022-09-13", str(EXAMPLE), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "output" / "armenia-azerbaijan-2022-09-13.html").read_text(encoding="utf-8")
    assert "Novoivanovka" in html and "<script src=\"http" not in html


def test_python_api(seed_text):
    import geoincidents

    report = geoincidents.parse(seed_text, lang="id", published="2022-09-13")
    df = report.to_dataframe()
    assert set(df.loc[df.role == "incident", "text"]) == {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu"}
    m = report.to_map()
    assert "Goris" in m.get_root().render()
