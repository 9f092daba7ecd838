"""Speed of whole runs, as users start them: new processes, real files.

    python benchmarks/speed.py [--runs 3] [--corpus ../shared/eval/corpora/lgl.jsonl] [--stages]

Prints, each the median of --runs runs:
  - `geoincidents extract --quiet CORPUS` (a new process, start-up and language detection
    included): seconds, MB of text per second, peak memory (the child's max RSS);
  - the same with --workers 2, and the speed-up over one worker;
  - the README command (`geoincidents map --published 2022-09-13 examples/...`) in a new process;
  - geotext and flashgeotext (when installed) finding names in the same texts in this
    process (their start-up counted apart), and how many times faster geoincidents' whole
    pipeline or they are. They only match names: no resolution, no incidents.
With --stages, only where one process's time goes instead (a new process per run, CPU seconds
from time.process_time, so that other processes on the machine count less): importing and
opening the pipeline, then each stage over the whole corpus (document: language, sentences;
recognition; resolution; incidents; writing the records), stage by stage over batches of
documents as extract parses them (batch.BATCH, Pipeline.parse_many).
Needs ../shared for the default corpus (not part of the repository).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "corpora" / "lgl.jsonl"
EXAMPLE = ROOT / "examples" / "armenia-azerbaijan-2022-09-13.id.txt"
CLI = [sys.executable, "-m", "geoincidents.cli"]


def timed(args: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one new process, stdout discarded."""
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(args, stdout=devnull, stderr=subprocess.PIPE, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}): {err[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def median_of(runs: int, args: list[str], cwd: Path | None = None) -> tuple[float, float]:
    got = [timed(args, cwd) for _ in range(runs)]
    return statistics.median(s for s, _ in got), max(m for _, m in got)


def baselines(texts: list[str], runs: int) -> list[tuple[str, float, float]]:
    """(name, load seconds, median seconds over all texts) for the name matchers installed."""
    out = []
    try:
        from geotext import GeoText

        t0 = time.perf_counter()
        GeoText("Paris")
        load = time.perf_counter() - t0

        def geotext_run():
            for t in texts:
                g = GeoText(t)
                g.cities, g.countries

        out.append(("geotext", load, statistics.median(_time(geotext_run) for _ in range(runs))))
    except ImportError:
        print("geotext: not installed (pip install geotext); skipped")
    try:
        from flashgeotext.geotext import GeoText as FlashGeoText

        t0 = time.perf_counter()
        flash = FlashGeoText()
        load = time.perf_counter() - t0

        def flash_run():
            for t in texts:
                flash.extract(input_text=t, span_info=True)

        out.append(("flashgeotext", load, statistics.median(_time(flash_run) for _ in range(runs))))
    except ImportError:
        print("flashgeotext: not installed (pip install flashgeotext); skipped")
    return out


def _time(f) -> float:
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


_STAGES = r"""
import json, sys, time
c0 = time.process_time()
from geoincidents import batch, export
from geoincidents.document import read_document
from geoincidents.incidents import find_incidents
from geoincidents.pipeline import Pipeline
from geoincidents.report import Report
from geoincidents.resolve import resolve
pipeline = Pipeline()
batch.collect_less()
took = {"start": time.process_time() - c0}
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
for stage in ("document", "recognition", "resolution", "incidents", "records"):
    took[stage] = 0.0
for k in range(0, len(docs), batch.BATCH):  # (stage by stage over each batch, as extract parses: Pipeline.parse_many)
    t0 = time.process_time()
    read = [read_document(d["text"], doc_id=str(d.get("id", "")), lang=d.get("lang")) for d in docs[k : k + batch.BATCH]]
    t1 = time.process_time()
    mentions = [pipeline.recognizer.recognize(doc) for doc in read]
    t2 = time.process_time()
    toponyms = [resolve(doc, m) for doc, m in zip(read, mentions)]
    t3 = time.process_time()
    found = [find_incidents(doc, t) for doc, t in zip(read, toponyms)]
    t4 = time.process_time()
    for doc, (t, incidents) in zip(read, found):
        json.dumps(export.record(Report(document=doc, toponyms=t, incidents=incidents)), ensure_ascii=False)
    t5 = time.process_time()
    for stage, a, b in (("document", t0, t1), ("recognition", t1, t2), ("resolution", t2, t3),
                        ("incidents", t3, t4), ("records", t4, t5)):
        took[stage] += b - a
took["total"] = time.process_time() - c0
print(json.dumps(took))
"""


def stages(corpus: Path, runs: int) -> None:
    """CPU seconds of each stage in one process (see the module docstring), median of runs."""
    got = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _STAGES, str(corpus)], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        got.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'stage (CPU seconds, one process)':<36}{'median':>8}{'min':>8}")
    for stage in got[0]:
        values = [g[stage] for g in got]
        print(f"{stage:<36}{statistics.median(values):>8.2f}{min(values):>8.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--stages", action="store_true", help="only where one process's CPU time goes, stage by stage")
    args = ap.parse_args()
    if not args.corpus.exists():
        sys.exit(f"needs {args.corpus} (the evaluation corpora are not part of the repository)")
    if args.stages:
        timed(CLI + ["extract", "--quiet", str(EXAMPLE)])  # warm caches
        stages(args.corpus, args.runs)
        return 0
    texts = [json.loads(line)["text"] for line in args.corpus.open(encoding="utf-8") if line.strip()]
    mb = sum(len(t) for t in texts) / 1e6
    print(f"corpus: {args.corpus.name}, {len(texts)} documents, {mb:.2f} MB of text (million characters); "
          f"{os.cpu_count()} cores; median of {args.runs} runs")
    timed(CLI + ["extract", "--quiet", str(EXAMPLE)])  # warm caches (gazetteer and language model unpacked once)

    one, mem1 = median_of(args.runs, CLI + ["extract", "--quiet", str(args.corpus)])
    two, mem2 = median_of(args.runs, CLI + ["extract", "--quiet", "--workers", "2", str(args.corpus)])
    with tempfile.TemporaryDirectory() as tmp:
        readme, mem_map = median_of(args.runs, CLI + ["map", "--published", "2022-09-13", str(EXAMPLE),
                                                      "-o", str(Path(tmp) / "m.html")])
    print(f"{'run':<44}{'seconds':>9}{'MB/s':>8}{'peak MB':>9}")
    print(f"{'extract, 1 process (start included)':<44}{one:>9.2f}{mb / one:>8.2f}{mem1:>9.0f}")
    print(f"{'extract --workers 2':<44}{two:>9.2f}{mb / two:>8.2f}{mem2:>9.0f}")
    print(f"{'README map command (new process)':<44}{readme:>9.2f}{'':>8}{mem_map:>9.0f}")
    print(f"workers 2 vs 1: {one / two:.2f}x")
    for name, load, seconds in baselines(texts, args.runs):
        print(f"{name + ' (names only, in process)':<44}{seconds:>9.2f}{mb / seconds:>8.2f}"
              f"   load {load:.2f} s; geoincidents end to end is {seconds / one:.2f}x its speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
