"""`geoincidents evaluate` and the measures behind it (geoincidents.evaluate).

The gold here is written by hand from short sentences; nothing needs ../shared.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geoincidents import evaluate as ev
from geoincidents.cli import main

# name -> (lat, lon), roughly where these places are
WHERE = {
    "Jakarta": (-6.2088, 106.8456), "Bandung": (-6.9175, 107.6191),
    "Kabul": (34.5553, 69.2075), "Kandahar": (31.6289, 65.7372),
    "Nairobi": (-1.2921, 36.8219), "Kenya": (0.5, 37.9),
    "Lima": (-12.0464, -77.0428), "Peru": (-10.0, -75.5),
}
DOCS = [
    ("d1", "Floods hit Jakarta on Monday, officials in Bandung said.", ["Jakarta", "Bandung"], {"Jakarta"}),
    ("d2", "A bomb exploded in Kabul on Tuesday, killing five people, police in Kandahar said.",
     ["Kabul", "Kandahar"], {"Kabul"}),
    ("d3", "Protesters clashed with police in Nairobi, the capital of Kenya.", ["Nairobi", "Kenya"], {"Nairobi"}),
    ("d4", "An earthquake struck near Lima, Peru, on Sunday.", ["Lima", "Peru"], {"Lima"}),
]


def gold_record(doc_id, text, names, incidents=(), *, roles=False, where=WHERE):
    spans = []
    for name in names:
        start = text.index(name)
        span = {"start": start, "end": start + len(name), "name": name}
        if name in where:
            span["lat"], span["lon"] = where[name]
        if roles and name in incidents:
            span["role"] = "event_location"
        spans.append(span)
    return {"id": doc_id, "lang": "en", "text": text, "spans": spans}


def write_gold(path, *, roles=False, where=WHERE, docs=DOCS):
    lines = [json.dumps(gold_record(*d, roles=roles, where=where)) for d in docs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(main, ["evaluate", *map(str, args)])


def as_json(*args) -> dict:
    r = invoke(*args, "--format", "json", "--quiet")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


# ---------------------------------------------------------------- the command


def test_all_found_and_placed(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    s = as_json(gold)
    assert s["documents"] == 4 and s["gold_spans"] == 8 and s["gold_spans_with_coordinates"] == 8
    assert s["recognition"]["overlap"]["r"] == 1.0 and s["recognition"]["exact"]["r"] == 1.0
    assert s["resolution"]["toponyms"] == 8 and s["resolution"]["accuracy"] == 1.0
    assert s["end_to_end"]["accuracy"] == 1.0
    assert s["resolution"]["median_km"] < 161 and 0 <= s["resolution"]["auc"] < 0.6
    assert s["incidents"] is None  # no roles in this gold
    assert s["seconds"] > 0 and s["predicted_spans"] >= 8


def test_a_wrong_gold_coordinate_lowers_accuracy(tmp_path):
    right = as_json(write_gold(tmp_path / "right.jsonl"))
    wrong = as_json(write_gold(tmp_path / "wrong.jsonl", where={**WHERE, "Kabul": WHERE["Lima"]}))
    assert right["resolution"]["accuracy"] == 1.0
    assert wrong["resolution"]["accuracy"] == pytest.approx(7 / 8, abs=1e-4)
    assert wrong["end_to_end"]["accuracy"] == pytest.approx(7 / 8, abs=1e-4)
    assert wrong["resolution"]["mean_km"] > right["resolution"]["mean_km"] + 1000
    assert wrong["recognition"] == right["recognition"]  # recognition does not care where


def test_a_gold_span_without_coordinates_is_recognised_but_not_resolved(tmp_path):
    where = {k: v for k, v in WHERE.items() if k != "Kenya"}
    s = as_json(write_gold(tmp_path / "gold.jsonl", where=where))
    assert s["gold_spans"] == 8 and s["gold_spans_with_coordinates"] == 7
    assert s["recognition"]["overlap"]["tp"] == 8 and s["resolution"]["toponyms"] == 7


def test_incident_locations_when_the_gold_has_roles(tmp_path):
    s = as_json(write_gold(tmp_path / "gold.jsonl", roles=True))
    inc = s["incidents"]
    assert inc["gold"] == 4 and inc["documents"] == 4
    assert inc["r"] == 1.0  # Jakarta, Kabul, Nairobi and Lima are where things happened
    assert inc["p"] == pytest.approx(inc["tp"] / inc["pred"], abs=1e-4)


def test_table_output(tmp_path):
    r = invoke(write_gold(tmp_path / "gold.jsonl", roles=True), "--km", "50")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert out.startswith("geoincidents evaluate: gold.jsonl\n")
    for part in ("documents 4", "gold spans 8", "overlapping spans", "exact spans", "acc@50 km", "AUC",
                 "end to end acc@50 km", "calibration", "score >= 0.8", "incident locations   P", "MB/s"):
        assert part in out, part


def test_split_keeps_only_the_listed_ids(tmp_path):
    folder = tmp_path / "corpora"
    folder.mkdir()
    gold = write_gold(folder / "news.jsonl")
    # found in the gold file's parent folder, as the shared corpora's splits.json is
    (tmp_path / "splits.json").write_text(json.dumps({"news.jsonl": ["d1", "d3"]}))
    test = as_json(gold, "--split", "test")
    train = as_json(gold, "--split", "train")
    assert test["split"] == "test" and test["documents"] == 2 and test["gold_spans"] == 4
    assert train["documents"] == 2 and train["gold_spans"] == 4
    assert test["predicted_spans"] + train["predicted_spans"] == as_json(gold)["predicted_spans"]
    # an explicit file, in the shared corpora's {"test_ids": [...]} shape
    other = tmp_path / "mine.json"
    other.write_text(json.dumps({"news.jsonl": {"docs": 4, "test_ids": ["d4"]}}))
    assert as_json(gold, "--split", "test", "--splits", other)["documents"] == 1
    assert as_json(gold, "--split", "train", "--splits", other)["documents"] == 3


def test_predictions_file_holds_the_extract_records(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = tmp_path / "pred.jsonl"
    r = invoke(gold, "--predictions", pred, "--quiet")
    assert r.exit_code == 0, r.stderr
    extract = CliRunner().invoke(main, ["extract", "--format", "jsonl", "--quiet", str(gold)])
    assert extract.exit_code == 0, extract.stderr
    assert pred.read_text(encoding="utf-8") == extract.stdout
    assert [json.loads(line)["id"] for line in extract.stdout.splitlines()] == ["d1", "d2", "d3", "d4"]


def test_workers_give_the_same_figures(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl", roles=True)
    r = subprocess.run([sys.executable, "-m", "geoincidents.cli", "evaluate", "--format", "json", "-j", "2",
                        str(gold)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    two, one = json.loads(r.stdout), as_json(gold)
    for s in (one, two):
        s.pop("seconds"), s.pop("mb_per_s")
    assert two == one


def test_a_failed_document_scores_as_finding_nothing(tmp_path, monkeypatch):
    from geoincidents.pipeline import Pipeline

    mentions = Pipeline._mentions  # (a stage of Pipeline.parse_many, which parses the documents together)

    def fails_on_kabul(self, doc):
        if "Kabul" in doc.text:
            raise RuntimeError("boom")
        return mentions(self, doc)

    monkeypatch.setattr(Pipeline, "_mentions", fails_on_kabul)
    r = invoke(write_gold(tmp_path / "gold.jsonl"), "--format", "json")
    assert r.exit_code == 1
    assert "gold.jsonl:2 (d2): could not be processed (RuntimeError: boom); skipped" in r.stderr
    s = json.loads(r.stdout)
    assert s["documents"] == 4 and s["failed_documents"] == 1
    assert s["recognition"]["overlap"]["r"] == 0.75  # Kabul and Kandahar were not found


def one_line_error(r, *parts):
    assert r.exit_code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoincidents: "), r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    for part in parts:
        assert part in lines[0], (part, lines[0])


def test_bad_gold_is_one_line_and_exit_2(tmp_path):
    one_line_error(invoke(tmp_path / "missing.jsonl"), "missing.jsonl", "no such file")

    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text(json.dumps(gold_record(*DOCS[0])) + "\n{not json\n", encoding="utf-8")
    one_line_error(invoke(bad_json), "bad.jsonl:2", "not valid JSON")

    rec = gold_record(*DOCS[0])
    rec["spans"][1]["start"] += 1  # 'andung ' is not 'Bandung'
    rec["spans"][1]["end"] += 1
    offsets = tmp_path / "offsets.jsonl"
    offsets.write_text(json.dumps(gold_record(*DOCS[1])) + "\n" + json.dumps(rec) + "\n", encoding="utf-8")
    one_line_error(invoke(offsets), "offsets.jsonl:2", "span 2", "'Bandung'")
    # ... unless asked to leave such spans out
    s = as_json(offsets, "--skip-bad-spans")
    assert s["skipped_gold_spans"] == 1 and s["gold_spans"] == 3

    no_text = tmp_path / "no_text.jsonl"
    no_text.write_text('{"id": "x", "spans": []}\n', encoding="utf-8")
    one_line_error(invoke(no_text), "no_text.jsonl:1", '"text"')


def test_split_without_splits_file_is_one_line_and_exit_2(tmp_path):
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    gold = write_gold(folder / "news.jsonl")
    one_line_error(invoke(gold, "--split", "test"), "splits.json", "--splits")
    (folder / "splits.json").write_text(json.dumps({"other.jsonl": ["d1"]}))
    one_line_error(invoke(gold, "--split", "train"), "no split is defined for news.jsonl")
    (folder / "splits.json").write_text("{oops")
    one_line_error(invoke(gold, "--split", "train"), "splits.json", "not valid JSON")


# ---------------------------------------------------------------- the measures, on hand-made predictions


def span(start, end, lat=None, lon=None, role=None, name=None):
    return ev.GoldSpan(start, end, name or "x" * (end - start), lat, lon, role)


def pred(start, end, lat=0.0, lon=0.0, role="mention", score=0.9):
    return ev.Predicted(start, end, lat, lon, role, score)


def test_distance_km():
    assert ev.distance_km(0, 0, 0, 0) == 0
    assert ev.distance_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    assert ev.distance_km(0, 0, 0, 180) == pytest.approx(math.pi * ev.EARTH_RADIUS_KM)
    assert ev.distance_km(51.5, -0.13, 48.86, 2.35) == pytest.approx(343, abs=3)  # London-Paris


def test_overlap_matching_is_one_to_one_longest_first():
    gold = [span(0, 10)]
    preds = [pred(0, 4), pred(2, 10)]
    assert ev.match_overlapping(gold, preds) == [(0, 1)]
    # one long prediction over two gold names matches one of them only
    gold = [span(0, 5), span(6, 14)]
    assert ev.match_overlapping(gold, [pred(0, 14)]) == [(1, 0)]
    # touching is not overlapping
    assert ev.match_overlapping([span(0, 5)], [pred(5, 9)]) == []
    assert ev.match_exact([span(0, 5), span(6, 9)], [pred(0, 5), pred(6, 10), pred(0, 5)]) == 1


def test_auc_of_log_error():
    assert ev.auc_log_error([]) is None
    assert ev.auc_log_error([0, 0, 0]) == 0
    assert ev.auc_log_error([20039, 20039]) == pytest.approx(1.0, abs=1e-4)
    assert ev.auc_log_error([0, 20039]) == pytest.approx(0.5, abs=1e-4)
    assert ev.auc_log_error([20039, 0]) == pytest.approx(0.5, abs=1e-4)  # sorted first
    one = math.log(1 + 100) / math.log(20039)
    assert ev.auc_log_error([100]) == pytest.approx(one)
    assert ev.auc_log_error([0, 100, 100]) == pytest.approx((one / 2 + one) / 2)


def test_scores_of_hand_made_predictions():
    text = "Aaaa bbbb cccc dddd eeee"
    gold = ev.GoldDoc("g", text, (
        span(0, 4, 10.0, 10.0),  # found, placed exactly
        span(5, 9, 10.0, 10.0),  # found with a shorter span, placed ~1,100 km off
        span(10, 14, 10.0, 10.0),  # missed
        span(15, 19),  # found, no gold coordinates
    ))
    preds = [
        pred(0, 4, 10.0, 10.0, score=0.95),
        pred(5, 8, 10.0, 20.0, score=0.85),
        pred(15, 19, 1.0, 1.0, score=0.2),
        pred(20, 24, score=0.99),  # spurious
    ]
    e = ev.evaluate([(gold, preds)])
    assert (e.overlap.tp, e.overlap.pred, e.overlap.gold) == (3, 4, 4)
    assert e.overlap.p == e.overlap.r == e.overlap.f1 == 0.75
    assert (e.exact.tp, e.exact.p) == (2, 0.5)
    assert e.resolved == 2 and e.within == 1 and e.accuracy == 0.5
    far = ev.distance_km(10, 10, 10, 20)
    assert e.mean_km == pytest.approx(far / 2) and e.median_km == pytest.approx(far / 2)
    assert e.end_to_end == pytest.approx(1 / 3)  # 1 of the 3 gold toponyms with coordinates
    assert (e.confident, e.confident_within, e.calibration) == (2, 1, 0.5)
    assert e.incidents is None
    assert ev.evaluate([(gold, preds)], km=2000).accuracy == 1.0

    d = e.as_dict()
    json.dumps(d, allow_nan=False)
    assert d["recognition"]["overlap"]["f1"] == 0.75 and d["end_to_end"]["accuracy"] == pytest.approx(0.3333)


def test_an_unplaced_prediction_is_found_but_not_resolved():
    text = "Aaaa bbbb"
    gold = ev.GoldDoc("g", text, (span(0, 4, 10.0, 10.0), span(5, 9, 10.0, 10.0)))
    preds = [pred(0, 4, 10.0, 10.0), pred(5, 9, None, None, role="incident", score=0.0)]  # in no gazetteer
    e = ev.evaluate([(gold, preds)])
    assert e.overlap.tp == 2  # recognised
    assert e.resolved == 1 and e.accuracy == 1.0  # resolution leaves it out (as the corpora's scorer)
    assert e.end_to_end == 0.5  # but it is not placed within 161 km


def test_nothing_predicted_and_nothing_gold():
    gold = ev.GoldDoc("g", "Aaaa", (span(0, 4, 1.0, 1.0),))
    e = ev.evaluate([(gold, [])])
    assert e.overlap.p == e.overlap.r == e.overlap.f1 == 0
    assert e.accuracy is None and e.auc is None and e.end_to_end == 0
    e = ev.evaluate([(ev.GoldDoc("g", "Aaaa"), [pred(0, 4)])])
    assert e.overlap.p == 0 and e.end_to_end is None
    assert "acc@161 km" in e.table()


def test_incident_locations_count_every_document_when_the_gold_has_roles():
    with_roles = ev.GoldDoc("a", "Aaaa bbbb cccc", (span(0, 4, role="event_location"), span(5, 9, role="Place-Arg"),
                                                     span(10, 14)))
    no_spans = ev.GoldDoc("b", "Dddd")  # a sentence with no incident location
    preds_a = [pred(0, 4, role="incident"), pred(5, 9, role="mention"), pred(10, 14, role="incident")]
    preds_b = [pred(0, 4, role="incident")]
    e = ev.evaluate([(with_roles, preds_a), (no_spans, preds_b)])
    assert (e.incidents.tp, e.incidents.pred, e.incidents.gold) == (1, 3, 2)
    assert e.incident_documents == 2
    # without roles anywhere there is nothing to score
    plain = ev.GoldDoc("a", "Aaaa", (span(0, 4),))
    assert ev.evaluate([(plain, [pred(0, 4, role="incident")])]).incidents is None


def test_read_gold_and_splits(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl", roles=True)
    docs = ev.read_gold(gold).docs
    assert [d.id for d in docs] == ["d1", "d2", "d3", "d4"] and docs[0].lang == "en" and docs[0].line == 1
    assert docs[0].spans[0] == ev.GoldSpan(11, 18, "Jakarta", *WHERE["Jakarta"], "event_location")
    assert docs[0].has_roles and docs[0].spans[0].is_incident and not docs[0].spans[1].is_incident

    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"gold.jsonl": [2, "d3"]}))
    assert ev.find_splits_file(gold) == splits
    test = ev.test_ids(splits, gold)
    assert test == {"2", "d3"}
    assert [d.id for d in ev.select_split(docs, "test", test)] == ["d3"]
    assert [d.id for d in ev.select_split(docs, "train", test)] == ["d1", "d2", "d4"]
    assert len(ev.select_split(docs, None, test)) == 4

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "Paris", "spans": [{"start": 0, "end": 9, "name": "Paris"}]}\n')
    with pytest.raises(ev.GoldError, match=r"bad.jsonl:1: span 1 \[0:9\]"):
        ev.read_gold(bad)
    assert ev.read_gold(bad, skip_bad_spans=True).skipped_spans == 1
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(ev.GoldError, match="holds no documents"):
        ev.read_gold(tmp_path / "empty.jsonl")


def test_predicted_from_an_extract_record():
    record = {"id": "x", "toponyms": [{"start": 0, "end": 5, "text": "Paris", "lat": 48.85, "lon": 2.35,
                                       "role": "incident", "score": 0.9}]}
    assert ev.predicted_from_record(record) == [ev.Predicted(0, 5, 48.85, 2.35, "incident", 0.9)]
    assert ev.predicted_from_record({"id": "y"}) == []
