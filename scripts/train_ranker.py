"""Learn the resolver's ranker weights (geoincidents/data/ranker.json) from annotated news.

    pip install -e '.[train]' && python scripts/train_ranker.py [--eval ../shared/eval] [--folds 5]

Reads the TRAIN split only (../shared/eval/splits.json names the test documents, which
are skipped) of four news corpora with gold coordinates: GeoWebNews, LGL, GeoVirus and
TR-News. Each document goes through the bundled pipeline's own stages (document ->
recogniser -> resolve.candidate_features), so the ranker learns on the mentions and
candidates it will see at run time. A recognised name that overlaps a gold toponym is a
training case; its candidates within 161 km of the gold point are the right answers.

The model is a conditional logit: P(candidate | name) = softmax(features . w) over the
name's candidate places, fitted by L-BFGS to maximise the probability of the right
answers with an L2 penalty that pulls the weights towards the hand-set PRIOR (so what the
corpora rarely show, such as a division named like its seat town, keeps its prior weight);
each corpus weighs the same in total. The context features
depend on what the other names chose, so fitting runs in rounds: the features of round
k come from resolving with the weights of round k-1 (round 0: the hand-set prior).
Cross-validation by document (--folds) picks the penalty and prints train-split accuracy.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoincidents import resolve  # noqa: E402
from geoincidents.document import read_document  # noqa: E402
from geoincidents.evaluate import test_ids  # noqa: E402
from geoincidents.pipeline import Pipeline  # noqa: E402

CORPORA = {  # file -> licence of the source, as ../shared/eval/README.md gives it
    "geowebnews.jsonl": "GPL-3.0 (Gritta et al. 2019)",
    "lgl.jsonl": "GPL-3.0 repository (Lieberman et al. 2010)",
    "geovirus.jsonl": "GPL-3.0; text CC BY 2.5 (Gritta et al. 2018)",
    "trnews.jsonl": "GPL-3.0 repository (Kamalloo & Rafiei 2018)",
}
WITHIN_KM = 161.0
PENALTIES = (0.3, 1.0, 3.0, 10.0)
ROUNDS = 3
# Round 0 resolves with these hand-set weights (softmax scale 2 included), so the
# result does not depend on the ranker.json being replaced.
PRIOR = {
    "country": 9.0, "region": 4.8, "other_area": 3.0, "adm1": 5.2, "adm2": 2.4, "other_division": 1.6,
    "capital": 4.0, "seat": 2.8, "lower_seat": 2.4, "town": 2.0, "big_city": 2.0, "own_name": 2.0,
    "population": 0.3, "seat_division": -2.0, "division_noun": 1.0, "country_named": 3.0, "country_share": 3.0,
    "division_country_share": 7.0, "admin_in_sentence": 4.0, "admin_in_document": 2.0, "admin_share": 2.0,
    "near": 2.0,
}
# Kept at their PRIOR weight, not fitted: what the train corpora (US and world news in English)
# hardly show, but news in general does. A division named like its seat town ('Kandahar',
# 'Herat', 'Donetsk') is the town unless a division noun stands beside the name.
FIXED = ("seat_division",)


def km(lat1, lon1, lat2, lon2) -> float:
    return float(resolve.distances_km(np.array([[lat1, lon1]]), np.array([[lat2, lon2]]))[0, 0])


def read_train(eval_dir: Path) -> dict[str, list[tuple]]:
    """corpus -> [(document, mentions, gold spans with coordinates)], train split only."""
    pipeline = Pipeline()
    out = {}
    for name in CORPORA:
        held_out = test_ids(eval_dir / "splits.json", name)
        if not held_out:
            raise SystemExit(f"splits.json names no test documents for {name}")
        docs = []
        with open(eval_dir / "corpora" / name, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r["id"] in held_out:
                    continue
                doc = read_document(r["text"], doc_id=r["id"], lang=r.get("lang"))
                gold = [(s["start"], s["end"], s["lat"], s["lon"]) for s in r["spans"] if s.get("lat") is not None]
                known = tuple(m for m in pipeline.recognizer.recognize(doc) if m.candidates)  # as resolve() ranks
                docs.append((doc, known, gold))
        out[name] = docs
    return out


def cases(docs, w) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features of a name's candidates, which of them are right) for every gold-matched name."""
    out = []
    for doc, mentions, gold in docs:
        for m, (places, x) in zip(mentions, resolve.candidate_features(doc, mentions, w)):
            g = next((g for g in gold if g[0] < m.end and m.start < g[1]), None)
            if g is None or len(places) < 2:
                continue
            right = np.array([km(p.lat, p.lon, g[2], g[3]) <= WITHIN_KM for p in places])
            if right.any() and not right.all():
                out.append((x.copy(), right))
    return out


def fit(groups: list[tuple[list, float]], penalty: float, w0: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Conditional logit over [(cases, weight per case)] with an L2 penalty, all cases at once:
    the candidates' rows stacked into one matrix, each case a run of rows."""
    flat = [(x, r, wt) for cs, wt in groups for x, r in cs]
    x = np.vstack([c[0] for c in flat])
    right = np.concatenate([c[1] for c in flat]).astype(float)
    sizes = np.array([len(c[1]) for c in flat])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    case_weight = np.array([c[2] for c in flat])
    row_case = np.repeat(np.arange(len(flat)), sizes)

    def loss(w):
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[row_case]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[row_case]
        pr = np.add.reduceat(p * right, starts)
        d = w - prior  # the penalty pulls towards the hand-set prior, which rare evidence keeps
        total = penalty * d @ d / 2 - case_weight @ np.log(np.maximum(pr, 1e-300))
        # d/dw -log sum_right p = E_p[x] - E_{p | right}[x]
        coef = case_weight[row_case] * (p - p * right / pr[row_case])
        return total, penalty * d + coef @ x

    bounds = [(prior[k], prior[k]) if f in FIXED else (None, None) for k, f in enumerate(resolve.FEATURES)]
    return minimize(loss, np.where([f in FIXED for f in resolve.FEATURES], prior, w0), jac=True,
                    method="L-BFGS-B", bounds=bounds).x


def accuracy(cs, w) -> float:
    return float(np.mean([right[int(np.argmax(x @ w))] for x, right in cs])) if cs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "geoincidents" / "data" / "ranker.json")
    args = ap.parse_args()
    data = read_train(args.eval)
    prior = np.array([PRIOR.get(f, 0.0) for f in resolve.FEATURES])
    w = prior.copy()
    penalty = PENALTIES[1]
    for rnd in range(ROUNDS):
        per_corpus = {name: cases(docs, w) for name, docs in data.items()}
        # each corpus weighs the same in total, whatever its size
        total = sum(len(cs) for cs in per_corpus.values())
        scale = {name: total / (len(per_corpus) * len(cs)) for name, cs in per_corpus.items()}
        cv = {}
        for lam in PENALTIES:
            right = {name: [] for name in per_corpus}
            for k in range(args.folds):
                train = [([c for i, c in enumerate(cs) if i % args.folds != k], scale[name])
                         for name, cs in per_corpus.items()]
                wk = fit(train, lam, w, prior)
                for name, cs in per_corpus.items():
                    held = [c for i, c in enumerate(cs) if i % args.folds == k]
                    right[name] += [c[1][int(np.argmax(c[0] @ wk))] for c in held]
            cv[lam] = {name: float(np.mean(r)) for name, r in right.items()}
            print(f"round {rnd} penalty {lam:5.1f} " + " ".join(f"{n.split('.')[0]} {a:.3f}" for n, a in cv[lam].items()),
                  f"min {min(cv[lam].values()):.3f}", flush=True)
        penalty = max(cv, key=lambda lam: (min(cv[lam].values()), np.mean(list(cv[lam].values()))))
        w = fit([(cs, scale[name]) for name, cs in per_corpus.items()], penalty, w, prior)
    args.out.write_text(json.dumps({
        "features": list(resolve.FEATURES),
        "weights": [round(float(v), 4) for v in w],
        "model": "conditional logit over a name's candidate places (geoincidents/resolve.py)",
        "trained_by": "scripts/train_ranker.py",
        "trained_on": [{"corpus": name, "split": "train (all but the ids in splits.json)", "licence": lic,
                        "documents": len(data[name])} for name, lic in CORPORA.items()],
        "penalty": penalty,
        "cross_validated_accuracy_on_ambiguous_names": cv[penalty],
        "date": datetime.date.today().isoformat(),
    }, indent=1) + "\n")
    print(f"wrote {args.out}: " + ", ".join(f"{f} {v:+.2f}" for f, v in zip(resolve.FEATURES, w)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
