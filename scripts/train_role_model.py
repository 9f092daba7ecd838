"""Fit the role model (geoincidents/data/role_model.json) on the train split of the
Halterman (2019) event-location sentences.

    python scripts/train_role_model.py [--corpus FILE] [--out FILE] [--l2 X] [--folds K]

Each toponym of a sentence with an event cue is a sample (but those that a veto of
geoincidents.incidents.VETOES makes a mention whatever the weights): its features are what
geoincidents.incidents.role_features computes (language-independent structure and the
language's cue lists); its label is whether it overlaps a span marked `event_location`.
Only the train split is read (the test ids listed in ../shared/eval/splits.json are
skipped). The weights are an L2-regularised logistic regression fitted with Newton's
method (numpy only); the threshold is the one that maximises incident-location F1 of
out-of-fold predictions (K folds over sentences), F1 counted as the scorer does:
one-to-one overlap of predicted and gold spans, all gold spans in the denominator,
recognised or not. The output records where the weights come from.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
CORPUS = EVAL / "corpora" / "halterman_event_location_en.jsonl"
OUT = ROOT / "geoincidents" / "data" / "role_model.json"


def samples(corpus: Path, splits: Path):
    """(feature dicts, labels, sentence numbers, gold span lists) of the train split."""
    from geoincidents.document import read_document
    from geoincidents.evaluate import test_ids
    from geoincidents.incidents import VETOES, role_features
    from geoincidents.resolve import resolve
    from geoincidents.toponyms import Recognizer
    from geoincidents.gazetteer import open_gazetteer

    test = test_ids(splits, corpus)
    recognizer = Recognizer(open_gazetteer())
    feats, labels, groups, spans, golds = [], [], [], [], []
    n = 0
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if str(d["id"]) in test:
                continue
            gold = [(g["start"], g["end"]) for g in d["spans"]]
            golds.append(gold)
            doc = read_document(d["text"], doc_id=str(d["id"]), lang=d.get("lang", "en"), published=None)
            toponyms = resolve(doc, recognizer.recognize(doc))
            for _, c in role_features(doc, toponyms):
                if any(v in c.features for v in VETOES):
                    continue  # always a mention
                m = toponyms[c.index].mention
                feats.append(c.features)
                labels.append(any(s < m.end and m.start < e for s, e in gold))
                groups.append(n)
                spans.append((m.start, m.end))
            n += 1
    return feats, np.array(labels, dtype=float), np.array(groups), spans, golds


def fit(X: np.ndarray, y: np.ndarray, l2: float, iters: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; column 0 is the bias (not penalised)."""
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (p - y) + penalty * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _pairs(gold, pred) -> int:
    """One-to-one greedy matching of overlapping spans, longest overlap first (as the scorer)."""
    cands = sorted(
        (-(min(g[1], p[1]) - max(g[0], p[0])), gi, pi)
        for gi, g in enumerate(gold) for pi, p in enumerate(pred)
        if min(g[1], p[1]) > max(g[0], p[0])
    )
    used_g, used_p, n = set(), set(), 0
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            n += 1
    return n


def f1_at(z: np.ndarray, threshold: float, groups, spans, golds) -> tuple[float, float, float]:
    pred: dict[int, set] = {}
    for i in np.flatnonzero(z >= threshold):
        pred.setdefault(int(groups[i]), set()).add(spans[i])
    tp = sum(_pairs(golds[g], sorted(p)) for g, p in pred.items())
    n_pred = sum(len(p) for p in pred.values())
    n_gold = sum(len(g) for g in golds)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--splits", type=Path, default=EVAL / "splits.json")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    feats, y, groups, spans, golds = samples(args.corpus, args.splits)
    names = sorted({n for f in feats for n in f})
    col = {n: j + 1 for j, n in enumerate(names)}
    X = np.zeros((len(feats), len(names) + 1))
    X[:, 0] = 1.0
    for i, f in enumerate(feats):
        for n, v in f.items():
            X[i, col[n]] = v
    # out-of-fold logits for the threshold: folds by sentence, fixed by a hash of its number
    fold = np.array([zlib.crc32(str(g).encode()) % args.folds for g in groups])
    z = np.zeros(len(y))
    for k in range(args.folds):
        w = fit(X[fold != k], y[fold != k], args.l2)
        z[fold == k] = X[fold == k] @ w
    grid = np.arange(-3.0, 3.0, 0.05)
    scores = [(f1_at(z, t, groups, spans, golds), t) for t in grid]
    (p, r, f1), threshold = max(scores, key=lambda s: s[0][2])
    w = fit(X, y, args.l2)
    model = {
        "about": "Logistic weights of the role features of geoincidents.incidents: a toponym of a sentence "
                 "with an event cue is an incident place when bias + sum(weight * feature) >= threshold_logit.",
        "bias": round(float(w[0]), 4),
        "threshold_logit": round(float(threshold), 3),
        "weights": {n: round(float(w[col[n]]), 4) for n in names},
        "provenance": {
            "corpus": "Halterman (2019) event-location sentences (halterman_event_location_en.jsonl)",
            "licence": "MIT",
            "split": "train (all sentences not listed as test in splits.json)",
            "sentences": len(golds),
            "samples": int(len(y)),
            "positives": int(y.sum()),
            "script": "scripts/train_role_model.py",
            "l2": args.l2,
            "cross_validated": {"folds": args.folds, "p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)},
            "date": datetime.date.today().isoformat(),
        },
    }
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(y)} samples ({int(y.sum())} positive) from {len(golds)} sentences; "
          f"out-of-fold P {p:.3f} R {r:.3f} F1 {f1:.3f} at logit {threshold:.2f}")
    for n in sorted(names, key=lambda n: -abs(w[col[n]])):
        print(f"  {n:28s} {w[col[n]]:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
