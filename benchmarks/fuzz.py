"""Fuzz the reading, the pipeline and the renderer with random and mutated inputs.

    python benchmarks/fuzz.py                      # 100,000 cases, seed 0
    python benchmarks/fuzz.py --cases 2000 --seed 7
    python benchmarks/fuzz.py --seed 7 --case 1234  # replay one case, with its traceback

Each case is made from its own random generator (seeded by --seed and the case
number), so any case can be replayed alone. Four kinds of case:

- ``file``: a .txt / .jsonl / .csv / .html document (sometimes gzipped, in a random
  encoding), built from the seed texts below and then mutated (bit flips, byte
  inserts and deletes, splices, cuts, repeated and very long lines), read with
  ``inputs.read_input``; what it yields must be documents, errors or notes (no
  exception), each message one line, each text non-empty, surrogate-free and within
  the size limit; a share of the documents go on through the pipeline.
- ``text``: a text mutated with combining marks, RTL and bidi controls, emoji and
  ZWJ sequences, C0/C1 controls, line and paragraph separators, random code points
  and repeated place names, run through the pipeline.
- ``pipeline`` checks (for both kinds above): no exception; every toponym, sentence and
  incident offset slices the text to the reported string; the extract record is JSON
  that encodes as UTF-8.
- ``render``: random MapPoints (any strings) through ``build_map`` / ``render_html``:
  the page's JSON blocks decode back to the very strings given, and no ``<script``
  / ``</script`` comes from the data.

It prints what it found: counts per kind, what inputs were refused (by message),
every failure with its case number, and the slowest cases. Exit 1 if any case failed.
"""
from __future__ import annotations

import argparse
import logging
import gzip
import io
import json
import random
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
logging.getLogger("wordfreq").setLevel(logging.ERROR)
sys.path.insert(0, str(ROOT))

from geoincidents import inputs  # noqa: E402
from geoincidents.export import record  # noqa: E402
from geoincidents.types import MapPoint  # noqa: E402

# Seed texts written for this script (short news-like sentences in several scripts).
SEEDS = [
    "Shelling hit Kharkiv on Monday, officials in Kyiv said.\nTwo people were killed in the village of Sotk.",
    "Protesters marched in Lyon and Marseille on Saturday; police used tear gas near the station.",
    "Floods swept through Ninh Binh province in Vietnam after heavy rain on Sunday.",
    "Pada Selasa pagi, drone menyerang desa dekat Goris, Armenia. Warga Jermuk dievakuasi.",
    "Обстрел села Новоивановка в понедельник. В Баку заявили, что армия ответила огнём.",
    "قصفت القوات قرية قرب حلب يوم الاثنين وقتل ثلاثة مدنيين في إدلب.",
    "周一，河南省郑州市发生洪水，造成多人死亡。",
    "Σεισμός στην Αθήνα τη Δευτέρα, ζημιές σε σπίτια στον Πειραιά.",
    "הפגזה בעיר חיפה ביום שני; שלושה נפצעו.",
    "Des manifestants ont défilé à Besançon et à Orléans, où la préfecture a été évacuée.",
    "İstanbul'da protestocular toplandı; Şişli'de çatışma çıktı.",
    "Baca juga: Serangan di Jakarta\n0 Response to \"Banjir di Bandung\"\nPost a Comment",
]
EXAMPLE = ROOT / "examples" / "armenia-azerbaijan-2022-09-13.id.txt"
PLACES = ["Kharkiv", "Kyiv", "Goris", "Sotk", "Jermuk", "Baku", "Yerevan", "Moscow", "Lyon", "Paris", "Gaza",
          "Aleppo", "Jakarta", "New York", "São Paulo", "Nagorno-Karabakh", "Armenia", "Azerbaijan", "UK", "U.S."]
CUES = ["shelling", "attack", "protest", "flood", "explosion", "clash", "menyerang", "serangan", "drone", "killed"]
ODD = (
    ["\u0301", "\u0308", "\u0323", "\u20dd", "\u0e31", "\u094d"]            # combining marks
    + ["\u200f", "\u200e", "\u202e", "\u202a", "\u2066", "\u2069", "\u061c"]  # bidi controls
    + ["\U0001f525", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1fa\U0001f1e6", "\u2764\ufe0f"]
    + ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\x9c", "\u2028", "\u2029", "\x0c", "\x0b", "\r", "\r\n"]
    + ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\u3000", "\ufffd", "\uffff", "\U0010ffff"]
    + ["</script>", "<!--", "<script>alert(1)</script>", "&amp;", "\"", "'", "\\", "{", "}", ",", ";", "\t"]
)
LANGS = [None, None, None, "en", "id", "ru", "fr", "ar", "zh", "de", "es"]
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1251", "latin-1", "cp1256", "cp1252", "gb18030"]


# ---------------------------------------------------------------- generators

def random_char(rng: random.Random) -> str:
    while True:
        cp = rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0xa0, 0x800), rng.randrange(0x800, 0x10000),
                         rng.randrange(0x10000, 0x110000)])
        if not 0xD800 <= cp <= 0xDFFF:
            return chr(cp)


def mutate_text(rng: random.Random, text: str) -> str:
    for _ in range(rng.randrange(1, 12)):
        op = rng.randrange(9)
        pos = rng.randrange(len(text) + 1)
        if op == 0:
            text = text[:pos] + rng.choice(ODD) + text[pos:]
        elif op == 1:
            text = text[:pos] + "".join(random_char(rng) for _ in range(rng.randrange(1, 20))) + text[pos:]
        elif op == 2:
            text = text[:pos] + " " + rng.choice(PLACES) + " " + text[pos:]
        elif op == 3:
            text = text[:pos] + " " + rng.choice(CUES) + " in " + rng.choice(PLACES) + ". " + text[pos:]
        elif op == 4 and text:
            end = min(len(text), pos + rng.randrange(1, 40))
            text = text[:pos] + text[end:]
        elif op == 5:
            text = text[:pos] + text[pos:].upper() if rng.random() < 0.5 else text.lower()
        elif op == 6:
            text = text + "\n" + rng.choice(SEEDS)
        elif op == 7:  # a long line
            text = text[:pos] + (rng.choice(PLACES) + rng.choice([" ", ", ", "-", ""])) * rng.randrange(10, 150) + text[pos:]
        elif op == 8:
            text = text[:pos] + "\n" * rng.randrange(1, 5) + text[pos:]
    return text


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randrange(1, 8)):
        op = rng.randrange(7)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        elif op == 2 and b:
            del b[pos:pos + rng.randrange(1, 32)]
        elif op == 3:
            b = b[:pos]
        elif op == 4 and b:
            i = rng.randrange(len(b))
            b[pos:pos] = b[i:i + rng.randrange(1, 200)]
        elif op == 5:
            b[pos:pos] = rng.choice([b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\x1f\x8b", b"%PDF-",
                                     b'"', b",", b"{", b"}", b"<", b"</script>", b"\\ud800"])
        elif op == 6:
            b[pos:pos] = b"x" * rng.randrange(1, 5000)
    return bytes(b)


def random_triggers(rng: random.Random, text: str):
    """A 'triggers' value for ``text``: mostly spans of its words, sometimes broken ones."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    good = [{"start": s, "end": e} for s, e in rng.sample(words, min(len(words), rng.randrange(0, 3)))]
    return rng.choice([good, good, good, [{"start": 5, "end": 2}], [{"start": -1, "end": 3}],
                       [{"start": 0, "end": len(text) + 5}], [{"start": True, "end": 2}], ["x"], {"start": 0}, None])


def make_file(rng: random.Random) -> tuple[str, bytes]:
    """(file name, bytes) of a random, possibly broken, input file."""
    kind = rng.choice(["txt", "txt", "jsonl", "jsonl", "csv", "html"])
    texts = [mutate_text(rng, rng.choice(SEEDS)) if rng.random() < 0.5 else rng.choice(SEEDS)
             for _ in range(rng.randrange(1, 5))]
    if kind == "txt":
        body = texts[0]
    elif kind == "jsonl":
        lines = []
        for i, t in enumerate(texts):
            obj = {"id": f"d{i}", "text": t}
            if rng.random() < 0.5:
                obj["lang"] = rng.choice(["en", "id", "ru", "", "English", 3, None])
            if rng.random() < 0.3:
                obj["published"] = rng.choice(["2023-01-04", "yesterday", "", 20230104, "2023-02-30"])
            if rng.random() < 0.3:
                obj["triggers"] = random_triggers(rng, t)
            lines.append(json.dumps(obj, ensure_ascii=rng.random() < 0.3))
        body = "\n".join(lines) + "\n"
    elif kind == "csv":
        out = io.StringIO()
        import csv

        w = csv.writer(out, delimiter=rng.choice([",", ";", "\t"]))
        w.writerow(["id", "text", "lang", "triggers"])
        for i, t in enumerate(texts):
            cell = json.dumps(random_triggers(rng, t)) if rng.random() < 0.3 else rng.choice(["", "", "[{", "null"])
            w.writerow([f"r{i}", t, rng.choice(["en", "", "id"]), cell])
        body = out.getvalue()
    else:
        paras = "".join(f"<p>{t}</p>" for t in texts)
        body = (f"<!DOCTYPE html><html><head><meta charset=\"{rng.choice(['utf-8', 'windows-1251', 'bogus'])}\">"
                f"<title>T</title><script>var s = '<p>Paris</p>';</script></head><body><nav>Home</nav>"
                f"<article><h1>{rng.choice(PLACES)}</h1>{paras}</article><footer>Lyon</footer></body></html>")
    enc = rng.choice(ENCODINGS)
    try:
        data = body.encode(enc)
    except UnicodeEncodeError:
        data = body.encode("utf-8")
    if rng.random() < 0.6:
        data = mutate_bytes(rng, data)
    name = f"case.{kind}"
    if rng.random() < 0.15:
        data = gzip.compress(data, mtime=0)
        if rng.random() < 0.3:
            data = mutate_bytes(rng, data)
        name += ".gz"
    if rng.random() < 0.05:  # stdin-like: no useful name
        name = "case.unknown"
    return name, data


def random_string(rng: random.Random, n: int = 40) -> str:
    parts = []
    for _ in range(rng.randrange(0, n)):
        r = rng.random()
        parts.append(rng.choice(ODD) if r < 0.3 else random_char(rng) if r < 0.6 else rng.choice(PLACES + CUES))
    return "".join(parts)


def make_points(rng: random.Random) -> list[MapPoint]:
    points = []
    for _ in range(rng.randrange(0, 6)):
        sentence = random_string(rng, 60)
        a = rng.randrange(len(sentence) + 1)
        b = rng.randrange(a, len(sentence) + 1)
        points.append(MapPoint(
            lat=rng.uniform(-90, 90), lon=rng.uniform(-180, 180), name=random_string(rng, 10),
            layer=rng.choice(["incident", "mention"]), surface=sentence[a:b], sentence=sentence, highlight=(a, b),
            event_type=rng.choice([None, "Battles", "Protests", random_string(rng, 8)]),
            sub_event_type=rng.choice([None, random_string(rng, 8)]), event_date=rng.choice([None, "2023-01-04"]),
            country_code=rng.choice(["", "AM", random_string(rng, 3)]), doc_id=random_string(rng, 10),
            source_title=rng.choice([None, random_string(rng, 10)]),
            source_url=rng.choice([None, "https://example.org/a?b=<script>", "javascript:alert(1)", random_string(rng, 10)]),
            extra=tuple((random_string(rng, 5), random_string(rng, 10)) for _ in range(rng.randrange(3))),
        ))
    return points


# ---------------------------------------------------------------- checks

class Failure(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


def check_report(text: str, report) -> None:
    doc = report.document
    check(doc.text == text, "document text differs from the input")
    for s in doc.sentences:
        check(text[s.start:s.end] == s.text, f"sentence {s.start}:{s.end} does not slice to its text")
    for t in report.toponyms:
        m = t.mention
        check(text[m.start:m.end] == m.text, f"toponym {m.start}:{m.end} {m.text!r} does not slice")
    for inc in report.incidents:
        check(text[inc.sentence.start:inc.sentence.end] == inc.sentence.text, "incident sentence does not slice")
        m = inc.toponym.mention
        check(text[m.start:m.end] == m.text, "incident place does not slice")
    json.dumps(record(report), ensure_ascii=False).encode("utf-8")


_JSON_BLOCK = re.compile(r'<script type="application/json" id="([^"]*)">(.*?)</script>', re.DOTALL)


def _strings(value, out: set[str]) -> set[str]:
    """Every string in decoded JSON, and the join of every list of strings (a quote may be split)."""
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            out.add("".join(value))
        for v in value:
            _strings(v, out)
    return out


def check_page(points: list[MapPoint], title: str, html: str, baseline_tags: tuple[int, int]) -> None:
    """The page's JSON blocks hold every string given, verbatim; no script tag came from the data."""
    blocks = _JSON_BLOCK.findall(html)
    check(len(blocks) >= 2, "no JSON blocks in the page")
    found: set[str] = set()
    for _, body in blocks:
        _strings(json.loads(body), found)
    for p in points:
        wanted = [p.name, p.sentence, p.doc_id, *(text for pair in p.extra for text in pair)]
        for text in wanted:
            if text:
                check(text in found, f"string not verbatim in the page data: {text!r}")
    if title:
        check(title in found, f"title not verbatim in the page data: {title!r}")
    tags = (len(re.findall(r"<script", html, re.I)), len(re.findall(r"</script", html, re.I)))
    check(tags == baseline_tags, f"script tags {tags} != {baseline_tags}: data leaked markup")


# ---------------------------------------------------------------- the run

class Fuzz:
    def __init__(self, seed: int, pipeline_share: float = 0.3, render_share: float = 0.01):
        from geoincidents.pipeline import Pipeline

        self.seed = seed
        self.pipeline = Pipeline()
        self.pipeline_share = pipeline_share
        self.render_share = render_share
        self.counts: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.failures: list[tuple[int, str, str]] = []
        self.slowest: list[tuple[float, int, str]] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="geoincidents-fuzz-"))
        self._baseline: tuple[int, int] | None = None

    def baseline(self) -> tuple[int, int]:
        if self._baseline is None:
            from geoincidents.render import build_map, render_html

            html = render_html(build_map([MapPoint(lat=1, lon=2, name="a", layer="incident", surface="a",
                                                   sentence="a b", highlight=(0, 1), doc_id="d",
                                                   extra=(("x", "y"),))], title="t"))
            self._baseline = (len(re.findall(r"<script", html, re.I)), len(re.findall(r"</script", html, re.I)))
        return self._baseline

    def parse(self, text: str, lang: str | None) -> None:
        report = self.pipeline.parse(text, doc_id="fuzz", lang=lang)
        self.counts["pipeline runs"] += 1
        check_report(text, report)

    def case(self, i: int) -> str:
        rng = random.Random(f"{self.seed}:{i}")
        r = rng.random()
        if r < self.render_share:
            from geoincidents.render import build_map, render_html

            points = make_points(rng)
            title = random_string(rng, 20)
            html = render_html(build_map(points, title=title, subtitle=random_string(rng, 10)))
            check_page(points, title, html, self.baseline())
            return "render"
        if r < 0.7:
            name, data = make_file(rng)
            path = self.tmp / name
            path.write_bytes(data)
            for item in inputs.read_input(path):
                check(isinstance(item, (inputs.InputDoc, inputs.InputError, inputs.InputNote)), "odd item")
                check("\n" not in str(item).replace(str(path), ""), f"message of more than one line: {item}")
                if isinstance(item, inputs.InputError):
                    self.refusals[re.sub(r"[\d]+", "N", item.message)[:60]] += 1
                elif isinstance(item, inputs.InputDoc):
                    self.counts["documents read"] += 1
                    check(bool(item.text.strip()), "empty document yielded")
                    check(len(item.text.encode("utf-8")) <= 4 * inputs.MAX_DOCUMENT_BYTES, "document over the limit")
                    item.text.encode("utf-8")  # no lone surrogates
                    if rng.random() < self.pipeline_share:
                        self.parse(item.text[:20000], item.lang if item.lang in LANGS else None)
            return "file"
        seed_text = EXAMPLE.read_text(encoding="utf-8")[:3000] if r > 0.98 else rng.choice(SEEDS)
        text = mutate_text(rng, seed_text)
        self.parse(text, rng.choice(LANGS))
        return "text"

    def run(self, cases: int, start: int = 0, progress: bool = False) -> None:
        self.start, self.cases = start, cases
        t0 = time.perf_counter()
        for i in range(start, start + cases):
            t = time.perf_counter()
            kind = "?"
            try:
                kind = self.case(i)
                self.counts[kind] += 1
            except Failure as e:
                self.failures.append((i, kind, f"check failed: {e}"))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as e:  # noqa: BLE001 - every exception is a finding (a Rust panic is a BaseException)
                self.failures.append((i, kind, f"{type(e).__name__}: {e}"[:300]))
            took = time.perf_counter() - t
            self.slowest = sorted(self.slowest + [(took, i, kind)], reverse=True)[:5]
            if progress and (i - start + 1) % 10000 == 0:
                print(f"  {i - start + 1} cases, {time.perf_counter() - t0:.0f} s, {len(self.failures)} failures",
                      file=sys.stderr, flush=True)
            if (i + 1) % 500 == 0:
                for f in self.tmp.iterdir():
                    f.unlink()
        self.seconds = time.perf_counter() - t0

    def summary(self) -> str:
        lines = [f"fuzz: seed {self.seed}, cases {self.start}..{self.start + self.cases - 1}: {sum(self.counts[k] for k in ('file', 'text', 'render')) + len(self.failures)}"
                 f" cases in {self.seconds:.0f} s: {self.counts['file']} files, {self.counts['text']} texts, "
                 f"{self.counts['render']} map pages; {self.counts['documents read']} documents read, "
                 f"{self.counts['pipeline runs']} pipeline runs",
                 f"inputs refused (expected, by message): {sum(self.refusals.values())}"]
        for msg, n in self.refusals.most_common(12):
            lines.append(f"  {n:7d}  {msg}")
        lines.append(f"failures: {len(self.failures)}")
        by_kind = Counter(msg[:80] for _, _, msg in self.failures)
        for msg, n in by_kind.most_common(20):
            first = next(i for i, _, m in self.failures if m[:80] == msg)
            lines.append(f"  {n:7d}  {msg}  (first: --seed {self.seed} --case {first})")
        lines.append("slowest: " + ", ".join(f"case {i} ({k}) {t * 1000:.0f} ms" for t, i, k in self.slowest))
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="number of the first case (to split a run over processes)")
    ap.add_argument("--case", type=int, help="replay this one case and show its traceback")
    args = ap.parse_args(argv)
    fuzz = Fuzz(args.seed)
    if args.case is not None:
        try:
            print(fuzz.case(args.case), "case passed")
        except Exception:
            traceback.print_exc()
            return 1
        return 0
    fuzz.run(args.cases, start=args.start, progress=True)
    print(fuzz.summary())
    return 1 if fuzz.failures else 0


if __name__ == "__main__":
    sys.exit(main())
