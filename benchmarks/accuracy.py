"""Accuracy on the shared evaluation corpora, scored by the shared scorer.

    python benchmarks/accuracy.py [--split test|train] [--corpus lgl ...]

Runs the bundled pipeline on each corpus's documents of the split, writes the
predictions (the `extract` JSONL) to a temporary folder, scores them with
../shared/eval/score.py and prints one table. Needs ../shared (not in the repo).
Tune on --split train only; report --split test.
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
    entry = json.loads((EVAL / "splits.json").read_text())[corpus_file]
    return {str(i) for i in entry["test_ids"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["test", "train"], default="test")
    ap.add_argument("--corpus", nargs="*", default=CORPORA)
    args = ap.parse_args()
    if not EVAL.exists():
        sys.exit("needs ../shared/eval (the evaluation corpora are not part of the repository)")

    from geoincidents.export import record
    from geoincidents.pipeline import Pipeline

    pipeline = Pipeline()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.corpus:
            gold = EVAL / "corpora" / f"{name}.jsonl"
            test = test_ids(gold.name)
            pred = Path(tmp) / f"{name}.jsonl"
            n = chars = 0
            t0 = time.perf_counter()
            with gold.open(encoding="utf-8") as src, pred.open("w", encoding="utf-8") as out:
                for line in src:
                    d = json.loads(line)
                    if (str(d["id"]) in test) != (args.split == "test"):
                        continue
                    report = pipeline.parse(d["text"], doc_id=str(d["id"]), lang=d.get("lang") or "en")
                    out.write(json.dumps(record(report), ensure_ascii=False) + "\n")
                    n += 1
                    chars += len(d["text"])
            seconds = time.perf_counter() - t0
            r = subprocess.run(
                [sys.executable, str(EVAL / "score.py"), str(gold), str(pred), "--split", args.split, "--json"],
                capture_output=True, text=True, check=True,
            )
            s = json.loads(r.stdout)
            rows.append((name, n, s, chars / seconds / 1e6))
    print(f"split: {args.split}")
    print(f"{'corpus':<12}{'docs':>6}{'rec P':>8}{'rec R':>8}{'F1 ovl':>8}{'F1 ex':>8}{'acc161':>8}{'e2e161':>8}{'MB/s':>7}")
    for name, n, s, mbps in rows:
        ov, ex = s["recognition_overlap"], s["recognition_exact"]
        print(
            f"{name:<12}{n:>6}{ov['p']:>8.3f}{ov['r']:>8.3f}{ov['f1']:>8.3f}{ex['f1']:>8.3f}"
            f"{s['resolution']['acc161']:>8.3f}{s['end_to_end_acc161']:>8.3f}{mbps:>7.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
