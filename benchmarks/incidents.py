"""Incident-location accuracy on the Halterman (2019) event-location sentences.

    python benchmarks/incidents.py [--split test|train] [--limit N] [--errors FILE] [--triggers]

Runs the pipeline (lang 'en') on the sentences of the split, writes the
`extract` JSONL to a temporary file and scores it with ../shared/eval/score.py
--split SPLIT (incident-location P/R/F1: predicted incident toponyms against the
spans marked `event_location`; other places in a sentence are not annotated, so
recognition precision there means little). Also prints an upper bound from
recognition: the share of gold event locations that the recogniser found at all.
With --triggers it runs a second time with each sentence's event verb (the corpus'
`event_verbs`) given as a trigger (the `triggers` input field), which is Halterman's task:
given a sentence and an event, where did that event happen (the corpus repeats a sentence
once per event verb, each copy with the location of its own verb); both figures are printed.
Needs ../shared (not part of the repository). Tune on --split train only.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "corpora" / "halterman_event_location_en.jsonl"


def _run(args, test: set[str], pipeline, triggers: bool) -> tuple[dict, int, int, int, list[str]]:
    """(incident-location scores, sentences, gold locations recognised, gold locations, error
    lines) of the split, with the corpus' event verbs given as triggers or not."""
    from geoincidents.export import record

    found = gold_n = 0
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        gold_part = Path(tmp) / GOLD.name  # the scorer finds the split by the file's name
        n = 0
        with GOLD.open(encoding="utf-8") as src, pred.open("w", encoding="utf-8") as out, \
                gold_part.open("w", encoding="utf-8") as gout:
            for line in src:
                d = json.loads(line)
                if (str(d["id"]) in test) != (args.split == "test"):
                    continue
                if args.limit and n >= args.limit:
                    break
                n += 1
                gout.write(line)
                given = tuple((v["start"], v["end"]) for v in d.get("event_verbs") or ()) if triggers else ()
                report = pipeline.parse(d["text"], doc_id=str(d["id"]), lang="en", triggers=given)
                rec = record(report)
                shown = d["text"]
                for a, b in sorted(given, reverse=True):  # the event verb marked in the error lines
                    shown = shown[:a] + "[[" + shown[a:b] + "]]" + shown[b:]
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                spans = {(t["start"], t["end"]) for t in rec["toponyms"]}
                inc = {(t["start"], t["end"]) for t in rec["toponyms"] if t["role"] == "incident"}
                for g in d["spans"]:
                    gold_n += 1
                    hit = any(s < g["end"] and g["start"] < e for s, e in spans)
                    found += hit
                    if args.errors and not any(s < g["end"] and g["start"] < e for s, e in inc):
                        errors.append(f"MISS{'' if hit else '(unrecognised)'} {g['name']!r}: {shown}")
                if args.errors:
                    for t in rec["toponyms"]:
                        if t["role"] == "incident" and not any(
                            t["start"] < g["end"] and g["start"] < t["end"] for g in d["spans"]
                        ):
                            errors.append(f"SPURIOUS {t['text']!r}: {shown}")
        r = subprocess.run(
            [sys.executable, str(EVAL / "score.py"), str(gold_part), str(pred), "--split", args.split, "--json"],
            capture_output=True, text=True, check=True,
        )
    return json.loads(r.stdout)["incident_locations"], n, found, gold_n, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["test", "train"], default="test")
    ap.add_argument("--limit", type=int, help="only the first N sentences of the split (quick looks)")
    ap.add_argument("--errors", type=Path, help="write missed and spurious incident places here (train only; "
                                                "with --triggers, those of the run with the event verbs given)")
    ap.add_argument("--triggers", action="store_true",
                    help="also run with each sentence's event verb (the corpus' event_verbs) given as a trigger, "
                         "as in Halterman's task, and print both figures")
    args = ap.parse_args()
    if not GOLD.exists():
        sys.exit("needs ../shared/eval (the evaluation corpora are not part of the repository)")
    if args.errors and args.split == "test":
        sys.exit("--errors is for the train split: inspect errors on train only")

    from geoincidents.evaluate import test_ids
    from geoincidents.pipeline import Pipeline

    test = test_ids(EVAL / "splits.json", GOLD)
    pipeline = Pipeline()
    runs = [("text only", False)] + ([("event trigger given", True)] if args.triggers else [])
    errors: list[str] = []
    for label, triggers in runs:
        s, n, found, gold_n, errors = _run(args, test, pipeline, triggers)
        print(f"split: {args.split}  sentences: {n}  input: {label}")
        print(f"incident locations ({label})  P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  "
              f"(tp {s['tp']}, predicted {s['pred']}, gold {s['gold']})")
    print(f"gold event locations recognised as toponyms at all: {found / gold_n:.3f} ({found}/{gold_n})")
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
