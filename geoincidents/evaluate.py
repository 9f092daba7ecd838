"""Scores of geoparser predictions against gold annotations (``geoincidents evaluate``).

Gold is JSONL, one document a line: ``{"id", "text", "lang"?, "published"?, "spans": [{"start",
"end", "name", "lat"?, "lon"?, "role"?}]}`` with Python string offsets (``text[start:end] ==
name``); spans with role ``event_location`` or ``Place-Arg`` are incident locations.
Predictions are the toponyms of `extract` records (export.record).

The measures:

- recognition precision, recall and F1 with overlapping spans (each gold span matched to at most
  one predicted span and back, the longest overlaps first) and with exact spans;
- resolution on the matched toponyms where both the gold and the predicted span have
  coordinates (an unplaced prediction has none): the share within ``km`` (acc@161 by
  default), mean and median error in km, and the AUC of Gritta et al. (2018): the area under
  the curve of ln(1 + error) / ln(20039) over the errors sorted ascending, the x axis scaled
  to [0, 1] (0 is perfect, 1 every toponym at the antipode; lower is better);
- end to end: gold toponyms with coordinates that are found and placed within ``km``, over all
  gold toponyms with coordinates;
- calibration: of the matched toponyms (with gold and predicted coordinates) whose ``score`` is at least
  ``min_score``, the share placed within ``km``;
- incident locations, when the gold carries roles (any span of the file has one): predicted
  toponyms with role ``incident`` against gold spans with an incident role, matched as in
  recognition, over every document (one without incident spans has no incident location, as in
  the Halterman sentences, so an incident predicted there is a false positive).

Everything here is plain data and functions; the command is in cli.py.
"""
from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from geopy.distance import EARTH_RADIUS, great_circle

INCIDENT_ROLES = frozenset({"event_location", "Place-Arg", "incident"})
EARTH_RADIUS_KM = EARTH_RADIUS  # geopy's mean radius (IUGG), km
MAX_ERROR_KM = 20039.0  # half the equator: the farthest two points can be (Gritta et al. 2018)
SPLITS_FILE = "splits.json"


class GoldError(Exception):
    """The gold (or splits) file cannot be used; the message is one line for the user."""


# ------------------------------------------------------------------------------ data


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    role: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_incident(self) -> bool:
        return self.role in INCIDENT_ROLES


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    spans: tuple[GoldSpan, ...] = ()
    lang: str | None = None
    published: date | None = None
    line: int = 0  # line in the gold file, for messages
    triggers: tuple[tuple[int, int], ...] = ()  # event words given to the pipeline (read_gold's triggers_field)

    @property
    def has_roles(self) -> bool:
        return any(s.role is not None for s in self.spans)


@dataclass(frozen=True)
class Predicted:
    """One predicted toponym: its span, where it was placed, its role and confidence."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    role: str = "mention"
    score: float | None = None

    @property
    def has_coords(self) -> bool:
        return (self.lat is not None and self.lon is not None
                and math.isfinite(self.lat) and math.isfinite(self.lon))


def predicted_from_record(record: dict) -> list[Predicted]:
    """The toponyms of an `extract` record (export.record, or a line of its JSONL)."""
    out = []
    for t in record.get("toponyms") or ():
        out.append(Predicted(int(t["start"]), int(t["end"]), _float(t.get("lat")), _float(t.get("lon")),
                             t.get("role") or "mention", _float(t.get("score"))))
    return out


def _float(v) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------ reading gold


@dataclass
class Gold:
    """A gold file read: its documents and how many spans were dropped for bad offsets."""

    docs: list[GoldDoc]
    skipped_spans: int = 0


def read_gold(path: Path | str, *, skip_bad_spans: bool = False, triggers_field: str | None = None) -> Gold:
    """The documents of a gold JSONL file; GoldError (one line) when it cannot be used.

    A span whose offsets do not give its ``name`` in the text is an error, unless
    ``skip_bad_spans``: then it is left out and counted. ``triggers_field``: the field
    whose [{"start", "end"}] spans are the document's event words, given to the pipeline
    as the `triggers` input field ('event_verbs' in Halterman's sentences).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GoldError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GoldError(f"{path}: is a folder, not a gold JSONL file") from None
    except OSError as e:
        raise GoldError(f"{path}: cannot be read ({e.strerror})") from None
    if path.suffix == ".gz" or raw[:2] == b"\x1f\x8b":
        import gzip

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise GoldError(f"{path}: is not a readable gzip file ({e})") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise GoldError(f"{path}:{line}: is not UTF-8 text") from None
    docs: list[GoldDoc] = []
    skipped = 0
    for n, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as e:
            msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
            raise GoldError(f"{where}: not valid JSON ({msg})") from None
        doc, bad = _gold_doc(obj, where, n, skip_bad_spans, triggers_field)
        docs.append(doc)
        skipped += bad
    if not docs:
        raise GoldError(f"{path}: holds no documents")
    return Gold(docs, skipped)


def _gold_doc(obj, where: str, n: int, skip_bad_spans: bool,
              triggers_field: str | None = None) -> tuple[GoldDoc, int]:
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: each line must be a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise GoldError(f'{where}: no "text" string')
    if any("\ud800" <= c <= "\udfff" for c in text):  # lone surrogates from JSON escapes: one for one
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    doc_id = obj.get("id")
    if doc_id is None or doc_id == "":
        raise GoldError(f'{where}: no "id"')
    spans = obj.get("spans", [])
    if not isinstance(spans, list):
        raise GoldError(f'{where}: "spans" must be a list')
    out: list[GoldSpan] = []
    skipped = 0
    for i, s in enumerate(spans, 1):
        if not isinstance(s, dict):
            raise GoldError(f"{where}: span {i} is not an object")
        start, end, name = s.get("start"), s.get("end"), s.get("name")
        if not (_is_int(start) and _is_int(end)):
            raise GoldError(f'{where}: span {i} needs integer "start" and "end"')
        ok = 0 <= start < end <= len(text) and (name is None or text[start:end] == name)
        if not ok:
            if skip_bad_spans:
                skipped += 1
                continue
            if 0 <= start < end <= len(text):
                what = f"is {text[start:end][:40]!r} in the text, not {str(name)[:40]!r}"
            else:
                what = f"({str(name)[:40]!r}) is not within the text (0 to {len(text)})"
            raise GoldError(f"{where}: span {i} [{start}:{end}] {what} (offsets are Python string indices; "
                            f"--skip-bad-spans leaves such spans out)")
        lat, lon = _float(s.get("lat")), _float(s.get("lon"))
        if (lat is None) != (lon is None):
            lat = lon = None
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GoldError(f"{where}: span {i} has coordinates out of range ({lat}, {lon})")
        role = s.get("role")
        out.append(GoldSpan(start, end, text[start:end] if name is None else name, lat, lon,
                            str(role) if role not in (None, "") else None))
    published = obj.get("published")
    if published not in (None, ""):
        try:
            published = date.fromisoformat(str(published).strip()[:10])
        except ValueError:
            raise GoldError(f"{where}: 'published' is not a YYYY-MM-DD date: {str(published)[:40]!r}") from None
    else:
        published = None
    lang = obj.get("lang")
    lang = lang.strip() if isinstance(lang, str) and lang.strip() else None
    triggers: tuple[tuple[int, int], ...] = ()
    given = obj.get(triggers_field) if triggers_field is not None else None
    if given is not None:
        from .document import check_triggers

        if not isinstance(given, list):
            raise GoldError(f'{where}: {triggers_field!r} must be a list of {{"start": int, "end": int}} objects')
        try:
            triggers = check_triggers(given, text)
        except ValueError as e:
            raise GoldError(f"{where}: {triggers_field!r} {e}") from None
    return GoldDoc(str(doc_id), text, tuple(out), lang, published, n, triggers), skipped


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# ------------------------------------------------------------------------------ splits


def find_splits_file(gold_path: Path | str) -> Path | None:
    """``splits.json`` in the gold file's folder, else in its parent folder; None when neither has one."""
    folder = Path(gold_path).resolve().parent
    for candidate in (folder / SPLITS_FILE, folder.parent / SPLITS_FILE):
        if candidate.is_file():
            return candidate
    return None


def test_ids(splits_path: Path | str, gold_path: Path | str) -> set[str]:
    """The test document ids that ``splits_path`` lists for the gold file (by its file name).

    An entry is a list of ids or an object with a ``test_ids`` list.
    """
    splits_path = Path(splits_path)
    name = Path(gold_path).name
    try:
        data = json.loads(splits_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldError(f"{splits_path}: no such splits file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"{splits_path}: cannot be read ({getattr(e, 'strerror', None) or e})") from None
    except json.JSONDecodeError as e:
        raise GoldError(f"{splits_path}: not valid JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(data, dict):
        raise GoldError(f"{splits_path}: must be a JSON object mapping gold file names to test ids")
    entry = data.get(name)
    if entry is None:
        raise GoldError(f"{splits_path}: no split is defined for {name}")
    if isinstance(entry, dict):
        entry = entry.get("test_ids")
    if not isinstance(entry, list):
        raise GoldError(f"{splits_path}: the entry for {name} must be a list of test ids "
                        f'(or an object with a "test_ids" list)')
    return {str(i) for i in entry}


def select_split(docs: Iterable[GoldDoc], split: str | None, test: set[str]) -> list[GoldDoc]:
    """The documents of ``split`` ('test': those whose id is in ``test``; 'train': the others; None: all)."""
    if split is None:
        return list(docs)
    if split not in ("test", "train"):
        raise ValueError(f"split must be 'test' or 'train', not {split!r}")
    return [d for d in docs if (d.id in test) == (split == "test")]


# ------------------------------------------------------------------------------ measures


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius (geopy's)."""
    return great_circle((lat1, lon1), (lat2, lon2)).km


def match_overlapping(gold: Sequence, pred: Sequence) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of overlapping spans.

    Each span has ``start`` and ``end``; pairs are taken greedily, the longest overlap first
    (ties: the earlier gold span, then the earlier prediction), so a span is in at most one pair.
    """
    order = sorted(range(len(pred)), key=lambda j: (pred[j].start, pred[j].end))
    candidates = []
    for i, g in enumerate(gold):
        for j in order:
            p = pred[j]
            if p.start >= g.end:
                break
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                candidates.append((-overlap, i, j))
    candidates.sort()
    gold_used: set[int] = set()
    pred_used: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in gold_used or j in pred_used:
            continue
        gold_used.add(i)
        pred_used.add(j)
        pairs.append((i, j))
    pairs.sort()
    return pairs


def match_exact(gold: Sequence, pred: Sequence) -> int:
    """How many gold spans have a predicted span with the same offsets (one to one)."""
    available: dict[tuple[int, int], int] = {}
    for p in pred:
        key = (p.start, p.end)
        available[key] = available.get(key, 0) + 1
    hits = 0
    for g in gold:
        key = (g.start, g.end)
        if available.get(key, 0) > 0:
            available[key] -= 1
            hits += 1
    return hits


def auc_log_error(errors_km: Sequence[float]) -> float | None:
    """Gritta et al. (2018): area under ln(1 + error) / ln(20039) over the sorted errors, the x
    axis scaled to [0, 1] (trapezoids); None without errors. Lower is better."""
    if not errors_km:
        return None
    ys = [math.log1p(min(max(e, 0.0), MAX_ERROR_KM)) / math.log(MAX_ERROR_KM) for e in sorted(errors_km)]
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in zip(ys, ys[1:]))
    return area / (len(ys) - 1)


@dataclass(frozen=True)
class PRF:
    tp: int
    pred: int
    gold: int

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)

    def as_dict(self) -> dict:
        return {"p": _r(self.p), "r": _r(self.r), "f1": _r(self.f1), "tp": self.tp, "pred": self.pred,
                "gold": self.gold}


@dataclass(frozen=True)
class DocScore:
    """What one document adds to the totals."""

    gold_spans: int
    pred_spans: int
    gold_with_coords: int
    overlap: PRF
    exact: PRF
    errors_km: tuple[float, ...]  # matched toponyms with coordinates (gold and predicted)
    confident: int  # of those, with score >= min_score
    confident_within: int  # ... and placed within km
    incidents: PRF | None  # None when the gold has no roles
    text_bytes: int = 0


def score_document(gold: GoldDoc, pred: Sequence[Predicted], *, km: float = 161.0,
                   min_score: float = 0.8, roles: bool | None = None) -> DocScore:
    """``roles``: whether incident locations are scored here (None: when this document's gold has roles)."""
    pairs = match_overlapping(gold.spans, pred)
    n_gold, n_pred = len(gold.spans), len(pred)
    errors = []
    confident = confident_within = 0
    for i, j in pairs:
        g, p = gold.spans[i], pred[j]
        if not (g.has_coords and p.has_coords):
            continue
        err = distance_km(g.lat, g.lon, p.lat, p.lon)
        errors.append(err)
        if p.score is not None and p.score >= min_score:
            confident += 1
            confident_within += err <= km
    incidents = None
    if gold.has_roles if roles is None else roles:
        gold_inc = [s for s in gold.spans if s.is_incident]
        pred_inc = [p for p in pred if p.role == "incident"]
        incidents = PRF(len(match_overlapping(gold_inc, pred_inc)), len(pred_inc), len(gold_inc))
    return DocScore(
        gold_spans=n_gold, pred_spans=n_pred,
        gold_with_coords=sum(s.has_coords for s in gold.spans),
        overlap=PRF(len(pairs), n_pred, n_gold),
        exact=PRF(match_exact(gold.spans, pred), n_pred, n_gold),
        errors_km=tuple(errors), confident=confident, confident_within=confident_within,
        incidents=incidents, text_bytes=len(gold.text.encode("utf-8", "surrogatepass")),
    )


@dataclass
class Evaluation:
    """The totals over documents; ``as_dict`` is the JSON output, ``table`` the readable one."""

    km: float
    min_score: float
    documents: int
    gold_spans: int
    pred_spans: int
    gold_with_coords: int
    overlap: PRF
    exact: PRF
    errors_km: list[float] = field(repr=False)
    confident: int
    confident_within: int
    incidents: PRF | None
    incident_documents: int
    text_bytes: int
    seconds: float | None = None
    failed_documents: int = 0
    skipped_spans: int = 0
    gold_file: str | None = None
    split: str | None = None

    # resolution, on the matched toponyms with coordinates (gold and predicted)
    @property
    def resolved(self) -> int:
        return len(self.errors_km)

    @property
    def within(self) -> int:
        return sum(e <= self.km for e in self.errors_km)

    @property
    def accuracy(self) -> float | None:
        return self.within / self.resolved if self.resolved else None

    @property
    def mean_km(self) -> float | None:
        return statistics.fmean(self.errors_km) if self.errors_km else None

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None

    @property
    def auc(self) -> float | None:
        return auc_log_error(self.errors_km)

    @property
    def end_to_end(self) -> float | None:
        return self.within / self.gold_with_coords if self.gold_with_coords else None

    @property
    def calibration(self) -> float | None:
        return self.confident_within / self.confident if self.confident else None

    @property
    def mb_per_s(self) -> float | None:
        if not self.seconds:
            return None
        return self.text_bytes / 1e6 / self.seconds

    def as_dict(self) -> dict:
        return {
            "gold_file": self.gold_file,
            "split": self.split,
            "documents": self.documents,
            "failed_documents": self.failed_documents,
            "gold_spans": self.gold_spans,
            "gold_spans_with_coordinates": self.gold_with_coords,
            "skipped_gold_spans": self.skipped_spans,
            "predicted_spans": self.pred_spans,
            "recognition": {"overlap": self.overlap.as_dict(), "exact": self.exact.as_dict()},
            "resolution": {
                "km": self.km,
                "toponyms": self.resolved,
                "within_km": self.within,
                "accuracy": _r(self.accuracy),
                "mean_km": _r(self.mean_km, 1),
                "median_km": _r(self.median_km, 1),
                "auc": _r(self.auc),
            },
            "end_to_end": {"km": self.km, "accuracy": _r(self.end_to_end), "found_within_km": self.within,
                           "gold_with_coordinates": self.gold_with_coords},
            "calibration": {"min_score": self.min_score, "toponyms": self.confident,
                            "within_km": self.confident_within, "share": _r(self.calibration)},
            "incidents": (None if self.incidents is None
                          else {**self.incidents.as_dict(), "documents": self.incident_documents}),
            "seconds": _r(self.seconds, 2),
            "mb_per_s": _r(self.mb_per_s, 3),
        }

    def table(self) -> str:
        km = f"{self.km:g}"
        head = "geoincidents evaluate"
        if self.gold_file:
            head += f": {self.gold_file}" + (f" ({self.split} split)" if self.split else "")
        lines = [head]
        counts = (f"documents {self.documents:,}   gold spans {self.gold_spans:,} "
                  f"({self.gold_with_coords:,} with coordinates)   predicted spans {self.pred_spans:,}")
        extra = []
        if self.failed_documents:
            extra.append(f"{self.failed_documents:,} documents failed (scored as finding nothing)")
        if self.skipped_spans:
            extra.append(f"{self.skipped_spans:,} gold spans with bad offsets left out")
        lines.append(counts + ("" if not extra else "   [" + "; ".join(extra) + "]"))
        lines.append("recognition          P      R      F1")
        for label, prf in (("overlapping spans", self.overlap), ("exact spans      ", self.exact)):
            lines.append(f"  {label}  {_d(prf.p)}   {_d(prf.r)}   {_d(prf.f1)}   ({prf.tp:,} matched)")
        lines.append(f"resolution ({self.resolved:,} matched toponyms with coordinates)")
        lines.append(f"  acc@{km} km {_d(self.accuracy)}   mean {_km(self.mean_km)}   "
                     f"median {_km(self.median_km)}   AUC {_d(self.auc)} (lower is better)")
        lines.append(f"end to end acc@{km} km {_d(self.end_to_end)}   ({self.within:,} of "
                     f"{self.gold_with_coords:,} gold toponyms with coordinates found and placed within {km} km)")
        share = "-" if self.calibration is None else f"{100 * self.calibration:.1f} %"
        lines.append(f"calibration   score >= {self.min_score:g}: {self.confident:,} toponyms, {share} within {km} km")
        if self.incidents is None:
            lines.append("incident locations   - (the gold has no roles)")
        else:
            i = self.incidents
            lines.append(f"incident locations   P {_d(i.p)}   R {_d(i.r)}   F1 {_d(i.f1)}   ({i.tp:,} of "
                         f"{i.gold:,} gold, {i.pred:,} predicted, over {self.incident_documents:,} documents)")
        if self.seconds is not None:
            speed = "" if self.mb_per_s is None else f", {self.mb_per_s:.2f} MB/s"
            lines.append(f"speed   {self.seconds:.1f} s for {self.text_bytes / 1e6:.2f} MB{speed}")
        return "\n".join(lines) + "\n"


def summarize(scores: Iterable[DocScore], *, km: float = 161.0, min_score: float = 0.8,
              seconds: float | None = None, **about) -> Evaluation:
    """The totals of per-document scores (``about``: failed_documents, skipped_spans, gold_file, split)."""
    zero = PRF(0, 0, 0)
    ev = Evaluation(km=km, min_score=min_score, documents=0, gold_spans=0, pred_spans=0, gold_with_coords=0,
                    overlap=zero, exact=zero, errors_km=[], confident=0, confident_within=0, incidents=None,
                    incident_documents=0, text_bytes=0, seconds=seconds, **about)
    for s in scores:
        ev.documents += 1
        ev.gold_spans += s.gold_spans
        ev.pred_spans += s.pred_spans
        ev.gold_with_coords += s.gold_with_coords
        ev.overlap += s.overlap
        ev.exact += s.exact
        ev.errors_km.extend(s.errors_km)
        ev.confident += s.confident
        ev.confident_within += s.confident_within
        ev.text_bytes += s.text_bytes
        if s.incidents is not None:
            ev.incidents = s.incidents if ev.incidents is None else ev.incidents + s.incidents
            ev.incident_documents += 1
    return ev


def evaluate(pairs: Iterable[tuple[GoldDoc, Sequence[Predicted]]], *, km: float = 161.0, min_score: float = 0.8,
             roles: bool | None = None, seconds: float | None = None, **about) -> Evaluation:
    """All measures over (gold document, its predicted toponyms) pairs.

    ``roles``: whether the gold marks incident locations (None: when any of its spans has a role);
    then incident locations are scored in every document.
    """
    if roles is None:
        pairs = list(pairs)
        roles = any(g.has_roles for g, _ in pairs)
    return summarize((score_document(g, p, km=km, min_score=min_score, roles=roles) for g, p in pairs),
                     km=km, min_score=min_score, seconds=seconds, **about)


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


def _d(x: float | None) -> str:
    """.821 style (three decimals, no leading zero below 1); '-' for none."""
    if x is None:
        return "  -  "
    s = f"{x:.3f}"
    return s[1:] if s.startswith("0") else s


def _km(x: float | None) -> str:
    return "-" if x is None else f"{x:,.1f} km"
