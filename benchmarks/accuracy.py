"""Accuracy on the shared evaluation corpora, scored by the shared scorer.

    python benchmarks/accuracy.py [--split test|train] [--corpus lgl ...] [--no-baselines]

Runs the bundled pipeline on each corpus's documents of the split, writes the
predictions (the `extract` JSONL) to a temporary folder, scores them with
../shared/eval/score.py and prints one table. In the same run it scores two
offline name matchers, geotext and flashgeotext (when installed: pip install geotext
flashgeotext), on the same documents: they only find names, so their spans are placed
by the classic population baseline over our gazetteer (the most populous entry of
that name), which is what their resolution columns measure.
Needs ../shared (not in the repo). Tune on --split train only; report --split test.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
CORPORA = ["geowebnews", "lgl", "geovirus", "trnews"]


def test_ids(corpus_file: str) -> set[str]:
    from geoincidents.evaluate import test_ids as listed

    return listed(EVAL / "splits.json", corpus_file)


def _occurrences(text: str, name: str):
    """Offsets of ``name`` as a whole word in ``text`` (the matchers give names, not offsets)."""
    import re

    for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
        yield m.start(), m.end()


def _population_baseline(gazetteer, name: str):
    from geoincidents.names import fold

    candidates = gazetteer.candidates(fold(name))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c.place.population).place


def baselines():
    """name -> function(text) returning (start, end, name) of what a matcher finds, for those installed."""
    found = {}
    try:
        from geotext import GeoText

        def geotext_spans(text):
            g = GeoText(text)
            names = set(g.cities) | set(g.countries)
            return [(s, e, n) for n in sorted(names) for s, e in _occurrences(text, n)]

        found["geotext"] = geotext_spans
    except ImportError:
        pass
    try:
        from flashgeotext.geotext import GeoText as FlashGeoText

        flash = FlashGeoText()

        def flash_spans(text):
            out = flash.extract(input_text=text, span_info=True)
            return [(s, e, text[s:e]) for kind in out.values() for v in kind.values() for s, e in v["span_info"]]

        found["flashgeotext"] = flash_spans
    except ImportError:
        pass
    return found


def baseline_record(doc_id: str, spans, gazetteer) -> dict:
    toponyms = []
    for start, end, name in sorted(spans):
        t = {"start": start, "end": end, "text": name, "role": "mention"}
        place = _population_baseline(gazetteer, name)
        if place is not None:
            t.update(lat=place.lat, lon=place.lon, country_code=place.country_code, feature_code=place.feature_code)
        toponyms.append(t)
    return {"id": doc_id, "toponyms": toponyms}


def score(gold: Path, pred: Path, split: str) -> dict:
    r = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(gold), str(pred), "--split", split, "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["test", "train"], default="test")
    ap.add_argument("--corpus", nargs="*", default=CORPORA)
    ap.add_argument("--no-baselines", action="store_true", help="score geoincidents only")
    args = ap.parse_args()
    if not EVAL.exists():
        sys.exit("needs ../shared/eval (the evaluation corpora are not part of the repository)")

    from geoincidents.export import record
    from geoincidents.pipeline import Pipeline

    pipeline = Pipeline()
    others = {} if args.no_baselines else baselines()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.corpus:
            gold = EVAL / "corpora" / f"{name}.jsonl"
            test = test_ids(gold.name)
            docs = []
            with gold.open(encoding="utf-8") as src:
                for line in src:
                    d = json.loads(line)
                    if (str(d["id"]) in test) == (args.split == "test"):
                        docs.append(d)
            pred = Path(tmp) / f"{name}.jsonl"
            t0 = time.perf_counter()
            with pred.open("w", encoding="utf-8") as out:
                for d in docs:
                    report = pipeline.parse(d["text"], doc_id=str(d["id"]), lang=d.get("lang") or "en")
                    out.write(json.dumps(record(report), ensure_ascii=False) + "\n")
            seconds = time.perf_counter() - t0
            chars = sum(len(d["text"]) for d in docs)
            rows.append((name, "geoincidents", len(docs), score(gold, pred, args.split), chars / seconds / 1e6))
            for system, find in others.items():
                other = Path(tmp) / f"{name}.{system}.jsonl"
                t0 = time.perf_counter()
                found = [(d, find(d["text"])) for d in docs]
                seconds = time.perf_counter() - t0
                with other.open("w", encoding="utf-8") as out:
                    for d, spans in found:
                        rec = baseline_record(str(d["id"]), spans, pipeline.gazetteer)
                        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                rows.append((name, system, len(docs), score(gold, other, args.split), chars / seconds / 1e6))
    print(f"split: {args.split}  (recognition on overlapping spans; acc161 on the toponyms found;"
          " e2e161 = gold toponyms found and placed within 161 km)")
    print(f"{'corpus':<12}{'system':<14}{'docs':>5}{'rec P':>7}{'rec R':>7}{'F1':>7}{'F1 ex':>7}"
          f"{'acc161':>8}{'AUC':>6}{'e2e161':>8}{'MB/s':>7}")
    for name, system, n, s, mbps in rows:
        ov, ex, res = s["recognition_overlap"], s["recognition_exact"], s["resolution"]
        auc = f"{res['auc']:.2f}" if res.get("auc") is not None else "-"
        print(
            f"{name:<12}{system:<14}{n:>5}{ov['p']:>7.3f}{ov['r']:>7.3f}{ov['f1']:>7.3f}{ex['f1']:>7.3f}"
            f"{res['acc161']:>8.3f}{auc:>6}{s['end_to_end_acc161']:>8.3f}{mbps:>7.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
