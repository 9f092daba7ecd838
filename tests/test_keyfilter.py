"""geoincidents._keyfilter: the keys a gazetteer surely lacks are not asked, and nothing changes."""
from __future__ import annotations

import os
import sqlite3

import pytest

from geoincidents import _keyfilter
from geoincidents.gazetteer import SCHEMA, Gazetteer, LayeredGazetteer
from geoincidents.pipeline import Pipeline
from geoincidents.toponyms import Recognizer


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(_keyfilter, "_filters", {})
    return tmp_path / "cache"


def _gazetteer(path, keys):
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.executemany("INSERT INTO names (key, id, kind, lang) VALUES (?, ?, 0, '')",
                    [(k, n) for n, k in enumerate(keys, 1)])
    con.commit()
    con.close()
    return Gazetteer(path)


def test_every_key_of_the_bundled_gazetteer_is_known():
    g = Gazetteer.open()
    keys = [k for (k,) in g._con.execute("SELECT DISTINCT key FROM names WHERE id % 211 = 0")]
    keys += ["nagorno karabakh", "jermuk", "new york", "sao paulo", "харьков"]
    known = _keyfilter.for_gazetteer(g)
    assert known is not None and all(known.known(keys))
    made_up = [f"qxzv {n} wkpz" for n in range(1000)]
    assert sum(known.known(made_up)) < 80  # (some 3 in 100 share a bit with a key: they are merely asked)


def test_layers_are_read_together_and_a_changed_file_is_read_again(tmp_path, fresh_cache, monkeypatch):
    monkeypatch.setattr(_keyfilter, "KEEP_FROM", 1)  # kept in the cache however small
    a = _gazetteer(tmp_path / "a.sqlite", ["kamp nor hatsar", "tegh 7"])
    b = _gazetteer(tmp_path / "b.sqlite", ["zarvert"])
    known = _keyfilter.for_gazetteer(LayeredGazetteer([a, b]))
    assert known.known(["kamp nor hatsar", "zarvert", "tegh 7", "tegh"]) == [True, True, True, False]
    assert known.known(["tegh", "\ud800"]) == [True, True]  # (a lone surrogate: all are asked)
    assert len(list(fresh_cache.glob("keybits-*/*.npy"))) == 2
    assert _keyfilter.for_gazetteer(a) is _keyfilter.for_gazetteer(a)  # once per process

    con = sqlite3.connect(tmp_path / "a.sqlite")
    con.execute("INSERT INTO names (key, id, kind, lang) VALUES ('tegh', 9, 0, '')")
    con.commit()
    con.close()
    st = os.stat(tmp_path / "a.sqlite")
    os.utime(tmp_path / "a.sqlite", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _keyfilter.for_gazetteer(a).known(["tegh", "zarvert"]) == [True, False]


def test_no_filter_where_a_large_gazetteer_s_cannot_be_kept(tmp_path, fresh_cache, monkeypatch):
    g = _gazetteer(tmp_path / "a.sqlite", ["zarvert"])
    fresh_cache.parent.mkdir(parents=True, exist_ok=True)
    fresh_cache.write_text("a file, not a folder")
    monkeypatch.setattr(_keyfilter, "KEEP_FROM", 1)  # large: it would be kept
    assert _keyfilter.for_gazetteer(g) is None  # (not made at every run)
    monkeypatch.setattr(_keyfilter, "_filters", {})
    monkeypatch.setattr(_keyfilter, "KEEP_FROM", 10**9)  # small: made at every start
    assert _keyfilter.for_gazetteer(g).known(["zarvert", "tegh"]) == [True, False]


def test_only_a_batch_makes_a_large_gazetteer_s_filter(tmp_path, fresh_cache, monkeypatch):
    g = _gazetteer(tmp_path / "a.sqlite", ["zarvert", "tegh"])
    monkeypatch.setattr(_keyfilter, "KEEP_FROM", 1)  # large: kept in the cache once made
    assert _keyfilter.for_gazetteer(g, make=False) is None
    assert not list(fresh_cache.glob("keybits-*/*.npy"))  # a small run writes nothing
    recognizer = Recognizer(g)
    monkeypatch.setattr(Recognizer, "MAKE_FILTER_AFTER", 3)
    assert recognizer._key_filter() is None
    recognizer._asked = 3  # a batch asked this many keys: now it is made and kept
    assert recognizer._key_filter().known(["zarvert", "tegh", "goris"]) == [True, True, False]
    assert list(fresh_cache.glob("keybits-*/*.npy"))
    monkeypatch.setattr(_keyfilter, "_filters", {})  # a later run reads it without making it
    assert _keyfilter.for_gazetteer(g, make=False).known(["zarvert", "goris"]) == [True, False]


def test_a_gazetteer_without_files_has_no_filter():
    class Fake:
        layers = (object(),)

    assert _keyfilter.for_gazetteer(Fake()) is None
    assert _keyfilter.for_gazetteer(object()) is None


def test_the_same_mentions_without_the_filter(seed_text, monkeypatch):
    gazetteer = Pipeline().gazetteer
    assert _keyfilter.for_gazetteer(gazetteer) is not None  # made (or read from the cache)
    filtered = Pipeline(gazetteer)
    report = filtered.parse(seed_text, doc_id="seed")
    assert filtered.recognizer._filter is not None  # the parse used it
    monkeypatch.setattr(Recognizer, "_key_filter", lambda self: None)
    plain = Pipeline(gazetteer).parse(seed_text, doc_id="seed")
    assert [(t.mention.start, t.mention.end, t.place.id) for t in report.toponyms] == \
        [(t.mention.start, t.mention.end, t.place.id) for t in plain.toponyms]
    assert len(report.toponyms) >= 10
