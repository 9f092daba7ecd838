"""Event words given with the input ('triggers'): each is an event, and its place is found
against it (sentences written for these tests)."""
from __future__ import annotations

import json

import pytest

from geoincidents.inputs import InputDoc, InputError, read_input

TWO_EVENTS = ("Troops shelled Kherson overnight while thousands of people marched in Lviv "
              "to mark the anniversary.")
THREE_EVENTS = ("Gunmen killed three farmers near Peshawar on Monday, a day after protesters rallied "
                "in Karachi against fuel prices.")


def span(text: str, word: str) -> tuple[int, int]:
    i = text.index(word)
    return i, i + len(word)


def places(report) -> list[tuple[str, str, str]]:
    """(place as written, cue, event id) of the report's incidents."""
    return [(i.toponym.mention.text, i.cue, i.event_id) for i in report.incidents]


@pytest.mark.parametrize("text, first, second", [
    (TWO_EVENTS, ("shelled", "Kherson"), ("marched", "Lviv")),
    (THREE_EVENTS, ("killed", "Peshawar"), ("rallied", "Karachi")),
])
def test_each_trigger_has_its_own_place(pipeline, text, first, second):
    for verb, place in (first, second):
        got = places(pipeline.parse(text, lang="en", triggers=(span(text, verb),)))
        assert [(p, cue) for p, cue, _ in got] == [(place, verb)]
    both = places(pipeline.parse(text, lang="en", triggers=(span(text, first[0]), span(text, second[0]))))
    assert [(p, cue) for p, cue, _ in both] == [(first[1], first[0]), (second[1], second[0])]
    assert len({event for _, _, event in both}) == 2  # two events of one sentence


def test_trigger_type_from_the_lexicon_else_generic(pipeline):
    from geoincidents.incidents import TRIGGER_LABEL

    text = "The minister visited Odesa on Tuesday, a week after missiles struck the port."
    shelled = pipeline.parse(TWO_EVENTS, lang="en", triggers=(span(TWO_EVENTS, "shelled"),))
    assert shelled.incidents[0].event_type == "Explosions/Remote violence"
    visited = pipeline.parse(text, lang="en", triggers=(span(text, "visited"),))
    for inc in visited.incidents:
        assert (inc.event_type, inc.sub_event_type) == tuple(TRIGGER_LABEL.split("|"))
        assert inc.cue == "visited"


def test_sentences_without_a_trigger_give_no_incident(pipeline):
    text = TWO_EVENTS + " " + THREE_EVENTS
    alone = pipeline.parse(text, lang="en")
    assert {p for p, _, _ in places(alone)} >= {"Kherson", "Peshawar"}
    given = pipeline.parse(text, lang="en", triggers=(span(text, "killed"),))
    assert [(p, cue) for p, cue, _ in places(given)] == [("Peshawar", "killed")]


def test_without_triggers_nothing_changes(pipeline):
    for text in (TWO_EVENTS, THREE_EVENTS):
        assert pipeline.parse(text, lang="en").incidents == pipeline.parse(text, lang="en", triggers=()).incidents


def test_a_trigger_over_no_word_is_left_out(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import find_incidents
    from geoincidents.resolve import resolve

    import dataclasses

    stop = ((len(TWO_EVENTS) - 1, len(TWO_EVENTS)),)
    with pytest.raises(ValueError, match="holds no word"):
        read_document(TWO_EVENTS, lang="en", triggers=stop)
    # a Document built by hand is not checked: the incidents stage still gives nothing for it
    doc = dataclasses.replace(read_document(TWO_EVENTS, lang="en"), triggers=stop)
    _, incidents = find_incidents(doc, resolve(doc, pipeline.recognizer.recognize(doc)))
    assert incidents == ()


def test_model_has_a_trigger_weight_set():
    from geoincidents.incidents import role_model
    from geoincidents.types import Document

    model = role_model()
    plain = Document("d", "x", "en", None, ())
    given = Document("d", "x", "en", None, (), triggers=((0, 1),))
    assert model.for_document(plain) is model
    chosen = model.for_document(given)
    assert chosen is (model.with_triggers or model)
    if model.with_triggers is not None:
        assert "trigger_known" in chosen.weights and "trigger_known" not in model.weights


# ---------------------------------------------------------------- input

def test_jsonl_triggers_are_read_sorted_and_checked(tmp_path):
    text = THREE_EVENTS
    good = [{"start": span(text, "rallied")[0], "end": span(text, "rallied")[1]},
            {"start": span(text, "killed")[0], "end": span(text, "killed")[1]}]
    lines = [
        {"id": "ok", "text": text, "triggers": good + good[:1]},
        {"id": "none", "text": text},
        {"id": "empty", "text": text, "triggers": []},
        {"id": "not-a-list", "text": text, "triggers": {"start": 0, "end": 3}},
        {"id": "not-ints", "text": text, "triggers": [{"start": "7", "end": 13}]},
        {"id": "bool", "text": text, "triggers": [{"start": True, "end": 13}]},
        {"id": "outside", "text": text, "triggers": [{"start": 5, "end": len(text) + 4}]},
        {"id": "reversed", "text": text, "triggers": [{"start": 13, "end": 7}]},
        {"id": "no-word", "text": text, "triggers": [{"start": text.index(","), "end": text.index(",") + 1}]},
        {"id": "last", "text": text, "triggers": good[:1]},
    ]
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    found = list(read_input(f))
    docs = {d.id: d for d in found if isinstance(d, InputDoc)}
    assert list(docs) == ["ok", "none", "empty", "last"]
    assert docs["ok"].triggers == (span(text, "killed"), span(text, "rallied"))
    assert docs["none"].triggers == docs["empty"].triggers == ()
    errors = [e for e in found if isinstance(e, InputError)]
    assert [e.where.rsplit(":", 1)[1] for e in errors] == ["4", "5", "6", "7", "8", "9"]
    for e in errors:
        assert "\n" not in str(e) and "'triggers'" in e.message and e.message.endswith("skipped")


def test_extract_with_triggers(tmp_path):
    from click.testing import CliRunner

    from geoincidents.cli import main

    text = TWO_EVENTS
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in [
        {"id": "shelled", "text": text, "lang": "en", "triggers": [dict(zip(("start", "end"), span(text, "shelled")))]},
        {"id": "marched", "text": text, "lang": "en", "triggers": [dict(zip(("start", "end"), span(text, "marched")))]},
        {"id": "bad", "text": text, "lang": "en", "triggers": [{"start": 0}]},
    ]) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", "--format", "jsonl", str(f)])
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["id"], [i["location"] for i in o["incidents"]]) for o in out] == [
        ("shelled", ["Kherson"]), ("marched", ["Lviv"])]
    bad = [line for line in r.stderr.splitlines() if f"{f}:3" in line]
    assert len(bad) == 1 and "'triggers'" in bad[0]


def test_dask_records_carry_triggers_like_jsonl_input():
    from geoincidents.dask import extract_records

    def places(rec):
        return {i["location"] for i in rec["incidents"]}

    shelled, marched = span(TWO_EVENTS, "shelled"), span(TWO_EVENTS, "marched")
    item = {"id": "t", "text": TWO_EVENTS, "lang": "en"}
    by_shelled, by_marched = extract_records([
        {**item, "triggers": [{"start": shelled[0], "end": shelled[1]}]},
        {**item, "triggers": [{"start": marched[0], "end": marched[1]}]},
    ])
    assert places(by_shelled) == {"Kherson"}
    assert places(by_marched) == {"Lviv"}


def test_dask_records_reject_bad_triggers_with_the_input_message():
    from geoincidents.dask import extract_records

    with pytest.raises(ValueError, match=r"^t: 'triggers' item 0 \(5, 500\) is not a span of the text"):
        extract_records([{"id": "t", "text": TWO_EVENTS, "triggers": [{"start": 5, "end": 500}]}])


def test_csv_triggers_column_holds_the_jsonl_field_as_json(tmp_path):
    s, e = span(TWO_EVENTS, "marched")
    p = tmp_path / "news.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        import csv

        w = csv.writer(f)
        w.writerow(["id", "text", "triggers"])
        w.writerow(["ok", TWO_EVENTS, json.dumps([{"start": s, "end": e}])])
        w.writerow(["none", TWO_EVENTS, ""])
        w.writerow(["bad", TWO_EVENTS, "[{start: 1}]"])
        w.writerow(["out", TWO_EVENTS, json.dumps([{"start": 0, "end": 10_000}])])
    got = list(read_input(str(p)))
    docs = {d.id: d for d in got if isinstance(d, InputDoc)}
    errors = [str(x) for x in got if isinstance(x, InputError)]
    assert docs["ok"].triggers == ((s, e),)
    assert docs["none"].triggers == ()
    assert set(docs) == {"ok", "none"}
    assert len(errors) == 2 and "'triggers' is not JSON" in errors[0] and "not a span of the text" in errors[1]


def test_python_api_checks_triggers_and_takes_dicts_or_pairs():
    import geoincidents

    s, e = span(TWO_EVENTS, "marched")
    for given in (((s, e),), [{"start": s, "end": e}]):
        report = geoincidents.parse(TWO_EVENTS, lang="en", triggers=given)
        assert {i.toponym.mention.text for i in report.incidents} == {"Lviv"}
    for bad, why in ((((100, 5),), "not a span"), (((-5, 3),), "not a span"), (((7,),), "not a"),
                     ([{"start": "7", "end": 14}], "not a"), (((5, 10**6),), "not a span")):
        with pytest.raises(ValueError, match="^triggers: item 0 .*" + why):
            geoincidents.parse(TWO_EVENTS, lang="en", triggers=bad)


def test_dataframe_triggers_column_as_list_or_json(tmp_path):
    pd = pytest.importorskip("pandas")
    from geoincidents.dask import _frame

    s, e = span(TWO_EVENTS, "shelled")
    df = pd.DataFrame({"id": ["a", "b", "c"], "text": [TWO_EVENTS] * 3,
                       "triggers": [[{"start": s, "end": e}], json.dumps([{"start": s, "end": e}]), None]})
    out = _frame(df, "text", "id", "en", None, None, None)
    places = [{i["location"] for i in json.loads(r)["incidents"]} for r in out["record"]]
    assert places[0] == places[1] == {"Kherson"}
    assert places[2] == {"Kherson", "Lviv"}


def test_evaluate_gives_a_gold_field_as_triggers(tmp_path):
    from click.testing import CliRunner

    from geoincidents.cli import main

    s, e = span(TWO_EVENTS, "marched")
    k = TWO_EVENTS.index("Lviv")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g", "text": TWO_EVENTS, "lang": "en",
                                "verbs": [{"start": s, "end": e, "name": "marched"}],
                                "spans": [{"start": k, "end": k + 4, "name": "Lviv", "role": "event_location"}]}) + "\n")
    fmt = ["--format", "json", "--quiet"]
    given = json.loads(CliRunner().invoke(main, ["evaluate", str(gold), "--triggers", "verbs", *fmt]).output)
    plain = json.loads(CliRunner().invoke(main, ["evaluate", str(gold), *fmt]).output)
    assert given["incidents"]["p"] == 1.0 and plain["incidents"]["p"] == 0.5
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "g", "text": TWO_EVENTS, "verbs": [{"start": 0, "end": 999}], "spans": []}) + "\n")
    r = CliRunner().invoke(main, ["evaluate", str(bad), "--triggers", "verbs", *fmt])
    assert r.exit_code == 2 and "'verbs' item 0 (0, 999) is not a span of the text" in r.output
