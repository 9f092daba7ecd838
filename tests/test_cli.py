"""The command line as users and tools call it: real processes, real files."""
import json
import select
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


def test_stdin_streams_each_document_out_as_it_comes_in():
    """A live feed on stdin: a document's record is written before the next one arrives (files
    are parsed in batches; a stream must not wait for a batch to fill)."""
    proc = subprocess.Popen([sys.executable, "-m", "geoincidents.cli", "extract", "--quiet", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        proc.stdin.write(json.dumps({"id": "first", "text": "Shelling hit Kharkiv on Monday.", "lang": "en"}) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 60)  # stdin still open: the record comes out now
        assert ready, "no record while the stream stays open"
        first = json.loads(proc.stdout.readline())
        assert first["id"] == "first" and "Kharkiv" in {t["text"] for t in first["toponyms"]}
        proc.stdin.write(json.dumps({"id": "second", "text": "Protesters marched in Lyon.", "lang": "en"}) + "\n")
        proc.stdin.close()
        assert json.loads(proc.stdout.readline())["id"] == "second"
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()


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


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", bytes(range(1, 256)) * 4])  # legacy text: test_inputs.py
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


# ---------------------------------------------------------------- faults: one line, an exit code, nothing half-written

def invoke(*args, **kw):
    """The CLI in this process (so that a test can break a part of it), stderr apart."""
    from click.testing import CliRunner

    from geoincidents.cli import main

    return CliRunner().invoke(main, list(args), **kw)


def test_interrupt_is_one_line_and_exit_130(monkeypatch):
    from geoincidents.pipeline import Pipeline

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(Pipeline, "parse_many", interrupted)
    r = invoke("extract", str(EXAMPLE))
    assert r.exit_code == 130 and r.stderr.strip() == "geoincidents: interrupted"


def test_unexpected_error_is_one_line_unless_debug(monkeypatch, tmp_path):
    import geoincidents.render

    def broken(*a, **k):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(geoincidents.render, "build_map", broken)
    r = invoke("map", str(EXAMPLE), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 2
    (line,) = r.stderr.strip().splitlines()
    assert "the renderer broke" in line and "--debug" in line
    r = invoke("map", "--debug", str(EXAMPLE), "-o", str(tmp_path / "m.html"))
    assert isinstance(r.exception, RuntimeError)  # --debug lets the traceback through
    assert not list(tmp_path.iterdir())


def test_gazetteer_failing_mid_run_stops_with_one_line(monkeypatch):
    import geoincidents.pipeline
    from geoincidents.gazetteer import GazetteerError

    def corrupt(*a, **k):
        raise GazetteerError("gazetteer x.sqlite is corrupt (database disk image is malformed); rebuild it")

    monkeypatch.setattr(geoincidents.pipeline, "resolve", corrupt)  # (a stage of Pipeline.parse_many)
    r = invoke("extract", str(EXAMPLE))
    assert r.exit_code == 2 and r.stderr.strip().splitlines() == [
        "geoincidents: gazetteer x.sqlite is corrupt (database disk image is malformed); rebuild it"]


def test_renderer_failing_midway_leaves_no_file(monkeypatch, tmp_path):
    import geoincidents.render

    calls = []

    def half(m):  # the page is half made when the renderer fails
        calls.append(m)
        raise MemoryError("out of memory while rendering")

    monkeypatch.setattr(geoincidents.render, "render_html", half)
    target = tmp_path / "out" / "map.html"
    r = invoke("map", str(EXAMPLE), "-o", str(target))
    assert calls and r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert not target.exists() and not list(tmp_path.rglob("*.tmp"))


def test_interrupted_write_keeps_the_old_file_whole(monkeypatch, tmp_path):
    import os

    target = tmp_path / "map.html"
    target.write_text("the old map", encoding="utf-8")
    real_replace = os.replace

    def interrupted(src, dst, *a, **k):
        if str(dst) == str(target):
            raise KeyboardInterrupt
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", interrupted)
    r = invoke("map", str(EXAMPLE), "-o", str(target))
    assert r.exit_code == 130 and "Traceback" not in r.stderr
    assert target.read_text(encoding="utf-8") == "the old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temp file left


def test_map_of_the_good_documents_when_some_fail(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Shelling hit Kharkiv on Monday.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "in" / "c.jsonl").write_text('{"id": "c", "text": "Floods hit Lyon."}\n{oops\n', encoding="utf-8")
    r = run("map", str(tmp_path / "in"), "-o", str(tmp_path / "m.html"))
    assert r.returncode == 1, r.stderr
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Kharkiv" in html and "Lyon" in html
    errs = [line for line in r.stderr.splitlines() if not line.startswith("wrote ")]
    assert [e.split(": ")[1].rsplit("/", 1)[-1] for e in errs] == ["b.txt", "c.jsonl:2"]
    assert "Traceback" not in r.stderr


def test_csv_text_column_option(tmp_path):
    src = tmp_path / "rows.csv"
    src.write_text('id;body;lang\nr1;"Shelling hit Kharkiv, officials said.";en\n', encoding="utf-8")
    r = run("extract", str(src))
    assert r.returncode == 2 and "--text-column" in r.stderr
    r = run("extract", "--text-column", "body", str(src))
    assert r.returncode == 0, r.stderr
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert doc["id"] == "r1" and "Kharkiv" in {t["text"] for t in doc["toponyms"]}


def test_legacy_encoding_note_and_html_offsets(tmp_path):
    page = tmp_path / "page.html"
    text = "Shelling hit Kharkiv on Monday, officials in Kyiv said."
    page.write_bytes(f"<html><head><meta charset=windows-1251></head><body><nav>Lyon</nav><p>{text} Обстрел.</p>"
                     "</body></html>".encode("cp1251"))
    r = run("extract", "--lang", "en", str(page))
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("\n") == 1 and "note:" in r.stderr and "cp1251" in r.stderr
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    reported = text + " Обстрел."  # offsets index the extracted text
    assert {t["text"] for t in doc["toponyms"]} >= {"Kharkiv", "Kyiv"}
    for t in doc["toponyms"]:
        assert reported[t["start"]:t["end"]] == t["text"]


def _tiny_gazetteer(folder):
    """A valid but empty gazetteer database (the tables the code asks for), and its path."""
    import sqlite3

    from geoincidents.gazetteer import SCHEMA

    db = folder / "places.sqlite"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    con.close()
    return db


@pytest.mark.parametrize("damage", ["truncated sqlite", "xz not matching its checksum", "corrupt xz", "missing"])
def test_damaged_gazetteer_is_one_line_with_the_fix(tmp_path, damage):
    import hashlib
    import lzma
    import os

    data_dir = tmp_path / "gaz"
    data_dir.mkdir()
    db = _tiny_gazetteer(data_dir)
    raw = db.read_bytes()
    if damage == "truncated sqlite":
        db.write_bytes(raw[: len(raw) // 2])
    else:
        db.unlink()
        if damage != "missing":
            (data_dir / "places.sqlite.xz").write_bytes(lzma.compress(raw) if "checksum" in damage else b"\xfd7zXZ\x00junk")
            sha = hashlib.sha256(b"other data" if "checksum" in damage else raw).hexdigest()
            (data_dir / "places.sqlite.sha256").write_text(f"{sha}  places.sqlite\n")
    env = {**os.environ, "GEOINCIDENTS_GAZETTEER": str(data_dir), "GEOINCIDENTS_CACHE": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "geoincidents.cli", "extract", str(EXAMPLE)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and r.stdout == ""
    (line,) = r.stderr.strip().splitlines()
    assert "python gazetteer/build.py" in line and "reinstall" in line
    assert not list((tmp_path / "cache").glob("*.sqlite")) if (tmp_path / "cache").exists() else True


# ---------------------------------------------------------------- no network unless asked

_SOCKET_GUARD = r"""
import socket, sys

def _refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT %r\n" % (args[:2],))
    raise OSError("network use is not allowed here")

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex

def _guarded(real):
    def method(self, address, *rest):
        if self.family != getattr(socket, "AF_UNIX", None):
            _refuse(address)
        return real(self, address, *rest)
    return method

socket.socket.connect = _guarded(_connect)
socket.socket.connect_ex = _guarded(_connect_ex)
socket.create_connection = socket.getaddrinfo = socket.gethostbyname = socket.gethostbyname_ex = _refuse
"""


def guarded(*args, code="from geoincidents.cli import main; main(prog_name='geoincidents')", cwd=None):
    return subprocess.run([sys.executable, "-c", _SOCKET_GUARD + code, *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def test_the_socket_guard_catches_a_connection():
    r = guarded(code="import urllib.request; urllib.request.urlopen('http://example.org/', timeout=5)")
    assert r.returncode != 0 and "NETWORK ATTEMPT" in r.stderr


def test_main_commands_use_no_network(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Floods hit Lyon on Sunday.</p></article></body></html>", encoding="utf-8")
    for args in (["extract", "--published", "2022-09-13", str(EXAMPLE)],
                 ["extract", str(page), "-"],
                 ["map", "--published", "2022-09-13", str(EXAMPLE), "-o", str(tmp_path / "a.html")],
                 ["map", "--tiles", "OpenStreetMap", str(EXAMPLE), "-o", str(tmp_path / "b.html")]):
        r = subprocess.run([sys.executable, "-c", _SOCKET_GUARD + "from geoincidents.cli import main; main()", *args],
                           input="Protesters marched in Paris.", capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, (args, r.stderr)
        assert "NETWORK ATTEMPT" not in r.stderr, args
    assert (tmp_path / "a.html").stat().st_size > 100_000 and (tmp_path / "b.html").exists()


def _batch(tmp_path, n=3):
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(n):
        (folder / f"n{i}.jsonl").write_text(
            json.dumps({"id": f"d{i}", "text": f"Shelling hit Kharkiv on Monday ({i}).", "lang": "en",
                        "published": "2023-01-04"}) + "\n", encoding="utf-8")
    return folder


def test_glob_patterns_workers_and_summary(tmp_path):
    folder = _batch(tmp_path)
    one = run("extract", str(folder / "n*.jsonl"))
    assert one.returncode == 0, one.stderr
    assert [json.loads(line)["id"] for line in one.stdout.splitlines()] == ["d0", "d1", "d2"]
    # stderr is no terminal here: no bar; the closing summary line of a batch
    (summary,) = one.stderr.strip().splitlines()
    assert summary.startswith("geoincidents: 3 documents, 3 incidents, 0 failures, ")
    two = run("extract", "--workers", "2", "--quiet", str(folder / "**" / "*.jsonl"))
    assert two.returncode == 0 and two.stdout == one.stdout and two.stderr == ""
    none = run("extract", str(folder / "*.csv"))
    assert none.returncode == 2 and "no file matches this pattern" in none.stderr


def test_workers_keep_order_and_count_failures(tmp_path):
    src = tmp_path / "many.jsonl"
    lines = [json.dumps({"id": f"d{i}", "text": f"Floods hit Lyon ({i}).", "lang": "en"}) for i in range(40)]
    lines[17] = "{oops"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("extract", "-j", "2", str(src))
    assert r.returncode == 1
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == [f"d{i}" for i in range(40) if i != 17]
    assert "many.jsonl:18" in r.stderr and "39 documents, " in r.stderr and "1 failures" in r.stderr


def test_gazetteer_commands_loaded_when_asked_for():
    """`extract` and `map` do not import the gazetteer commands; `gazetteer ...` and the
    command list still find them."""
    probe = ("import sys; from geoincidents import cli; "
             "print('geoincidents.gazetteer_cli' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
    r = run("gazetteer", "--help")
    assert r.returncode == 0, r.stderr
    assert "lookup" in r.stdout and "build" in r.stdout
    r = run("--help")
    assert r.returncode == 0 and "gazetteer" in r.stdout
