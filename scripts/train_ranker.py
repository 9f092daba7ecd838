"""Learn the resolver's ranker weights (geoincidents/data/ranker.json) from annotated news.

    pip install -e '.[train]' && python scripts/train_ranker.py [--eval ../shared/eval] [--folds 5]
    python scripts/train_ranker.py --oof 5 [--penalty 1.0] [--errors oof.tsv]   # honest estimate, writes nothing

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

--oof K estimates what the fitted ranker does on documents it has not seen: each corpus's train
documents in K groups; for each group the whole fit above (rounds, penalty choice) runs on the
other groups and the group's documents are resolved with those weights; acc@161 and calibration
(score >= 0.8) are then printed per corpus beside the in-sample figures of the bundled ranker.json
(which match benchmarks/accuracy.py --split train). --errors writes the out-of-fold resolution
errors with their context and whether any candidate lay within 161 km of the gold point.
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
from geoincidents.evaluate import GoldDoc, GoldSpan, Predicted, evaluate, match_overlapping, test_ids  # noqa: E402
from geoincidents.pipeline import Pipeline  # noqa: E402

NEIGHBOURS: dict[str, frozenset[str]] = {}  # the countries each country borders (Gazetteer.neighbours)

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
    "near": 2.0, "telephone_country": 3.0, "foreign_name": -2.0, "qualifies": 2.0, "neighbour_named": 1.0,
}
# Kept at their PRIOR weight, not fitted: what the train corpora (US and world news in English)
# hardly show, but news in general does. A division named like its seat town ('Kandahar',
# 'Herat', 'Donetsk') is the town unless a division noun stands beside the name.
FIXED = ("seat_division",)


def km(lat1, lon1, lat2, lon2) -> float:
    return float(resolve.distances_km(np.array([[lat1, lon1]]), np.array([[lat2, lon2]]))[0, 0])


def read_train(eval_dir: Path, neighbours: bool = True) -> dict[str, list[tuple]]:
    """corpus -> [(document, its recognised names with candidates, gold spans with coordinates,
    all its recognised names, its gold)], train split only."""
    pipeline = Pipeline()
    if neighbours:
        NEIGHBOURS.update(pipeline.gazetteer.neighbours())
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
                mentions = pipeline.recognizer.recognize(doc)
                known = tuple(m for m in mentions if m.candidates)  # as resolve() ranks
                spans = tuple(GoldSpan(s["start"], s["end"], s.get("name", ""), s.get("lat"), s.get("lon"))
                              for s in r["spans"])
                docs.append((doc, known, gold, mentions, GoldDoc(str(r["id"]), r["text"], spans)))
        out[name] = docs
    return out


def cases(docs, w) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """(features of a name's candidates, which of them are right, the document's index) for
    every gold-matched name."""
    out = []
    for i, (doc, mentions, gold, *_) in enumerate(docs):
        for m, (places, x) in zip(mentions, resolve.candidate_features(doc, mentions, w, NEIGHBOURS)):
            g = next((g for g in gold if g[0] < m.end and m.start < g[1]), None)
            if g is None or len(places) < 2:
                continue
            right = np.array([km(p.lat, p.lon, g[2], g[3]) <= WITHIN_KM for p in places])
            if right.any() and not right.all():
                out.append((x.copy(), right, i))
    return out


def fit(groups: list[tuple[list, float]], penalty: float, w0: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Conditional logit over [(cases, weight per case)] with an L2 penalty, all cases at once:
    the candidates' rows stacked into one matrix, each case a run of rows."""
    flat = [(x, r, wt) for cs, wt in groups for x, r, _ in cs]
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
    return float(np.mean([right[int(np.argmax(x @ w))] for x, right, _ in cs])) if cs else float("nan")


def train(data: dict[str, list[tuple]], folds: int, penalties=PENALTIES, log=print) -> tuple[np.ndarray, float, dict]:
    """The weights fitted on ``data`` (read_train's), the penalty that document-grouped
    cross-validation over ``folds`` folds chose among ``penalties`` (one: no cross-validation)
    and the cross-validated accuracy on ambiguous names of each penalty tried."""
    prior = np.array([PRIOR.get(f, 0.0) for f in resolve.FEATURES])
    w = prior.copy()
    penalty = penalties[0]
    cv: dict[float, dict[str, float]] = {}
    for rnd in range(ROUNDS):
        per_corpus = {name: cases(docs, w) for name, docs in data.items()}
        # each corpus weighs the same in total, whatever its size
        total = sum(len(cs) for cs in per_corpus.values())
        scale = {name: total / (len(per_corpus) * len(cs)) for name, cs in per_corpus.items()}
        if len(penalties) > 1:
            cv = {}
            for lam in penalties:
                right = {name: [] for name in per_corpus}
                for k in range(folds):  # whole documents held out
                    fold = [([c for c in cs if c[2] % folds != k], scale[name]) for name, cs in per_corpus.items()]
                    wk = fit(fold, lam, w, prior)
                    for name, cs in per_corpus.items():
                        right[name] += [c[1][int(np.argmax(c[0] @ wk))] for c in cs if c[2] % folds == k]
                cv[lam] = {name: float(np.mean(r)) for name, r in right.items()}
                if log:
                    log(f"round {rnd} penalty {lam:5.1f} "
                        + " ".join(f"{n.split('.')[0]} {a:.3f}" for n, a in cv[lam].items()),
                        f"min {min(cv[lam].values()):.3f}", flush=True)
            penalty = max(cv, key=lambda lam: (min(cv[lam].values()), np.mean(list(cv[lam].values()))))
        w = fit([(cs, scale[name]) for name, cs in per_corpus.items()], penalty, w, prior)
    return w, penalty, cv


def placed(data: dict[str, list[tuple]], w: np.ndarray | None, which=None) -> dict[str, list[tuple]]:
    """corpus -> [(document's index, its gold, its toponyms)] resolved with weights ``w``
    (None: the bundled ones), of the documents ``which(corpus, index)`` keeps (None: all)."""
    out = {}
    for name, docs in data.items():
        out[name] = [(i, d[4], resolve.resolve(d[0], d[3], w, NEIGHBOURS)) for i, d in enumerate(docs)
                     if which is None or which(name, i)]
    return out


def predicted(t) -> Predicted:
    """A resolved toponym as geoincidents.evaluate scores it (an unplaced one without coordinates)."""
    p = t.place
    return Predicted(t.mention.start, t.mention.end, p.lat if p else None, p.lon if p else None, score=t.score)


def scored(results: list[tuple]) -> "Evaluation":
    """acc@161 and calibration (geoincidents.evaluate) of resolved documents."""
    return evaluate([(gold, [predicted(t) for t in toponyms]) for _, gold, toponyms in results], roles=False)


def out_of_fold(data: dict[str, list[tuple]], k: int, folds: int, penalties=PENALTIES) -> dict[str, list[tuple]]:
    """Each document resolved by a ranker fitted without it: the documents of each corpus in
    ``k`` groups (the i-th document in group i % k); for each group, the ranker is fitted (as
    ``train``) on the others and resolves the group."""
    out: dict[str, list[tuple]] = {name: [] for name in data}
    for j in range(k):
        rest = {name: [d for i, d in enumerate(docs) if i % k != j] for name, docs in data.items()}
        w, penalty, _ = train(rest, folds, penalties, log=None)
        print(f"fold {j + 1}/{k}: penalty {penalty}", flush=True)
        for name, got in placed(data, w, lambda name, i: i % k == j).items():
            out[name] += got
    return {name: sorted(got, key=lambda r: r[0]) for name, got in out.items()}


def write_errors(path: Path, results: dict[str, list[tuple]]) -> None:
    """The resolution errors (matched toponyms placed beyond 161 km of the gold point), TSV."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("corpus\tdoc\tgold_name\tgold_lat\tgold_lon\tfound\tplace\tfeature\tcountry\tadmin1\t"
                "lat\tlon\tkm\tscore\tright_candidate\tcontext\n")
        for name, got in results.items():
            for i, gold, toponyms in got:
                pred = [predicted(t) for t in toponyms]
                for a, b in match_overlapping(gold.spans, pred):
                    g, t = gold.spans[a], toponyms[b]
                    if not (g.has_coords and pred[b].has_coords):
                        continue
                    d = km(g.lat, g.lon, t.place.lat, t.place.lon)
                    if d <= WITHIN_KM:
                        continue
                    right = [c.place for c in t.mention.candidates if km(c.place.lat, c.place.lon, g.lat, g.lon) <= WITHIN_KM]
                    ok = "approximate" if t.approximate else (
                        f"{right[0].name} {right[0].feature_code} {right[0].country_code}" if right else "none")
                    text = gold.text
                    context = text[max(0, g.start - 60):g.end + 60].replace("\n", " ").replace("\t", " ")
                    f.write("\t".join(map(str, [
                        name.split(".")[0], gold.id, g.name or text[g.start:g.end], round(g.lat, 3), round(g.lon, 3),
                        t.mention.text, t.place.name, t.place.feature_code, t.place.country_code, t.place.admin1,
                        round(t.place.lat, 3), round(t.place.lon, 3), round(d), t.score, ok, context])) + "\n")


def report(title: str, results: dict[str, list[tuple]]) -> dict[str, float]:
    acc = {}
    for name, got in results.items():
        ev = scored(got)
        acc[name] = ev.accuracy
        print(f"{title:<10}{name.split('.')[0]:<12}acc@161 {ev.accuracy:.3f} ({ev.within}/{ev.resolved})"
              f"  score>=0.8: {ev.calibration:.3f} of {ev.confident}", flush=True)
    pooled = scored([r for got in results.values() for r in got])
    print(f"{title:<10}{'pooled':<12}acc@161 {pooled.accuracy:.3f} ({pooled.within}/{pooled.resolved})"
          f"  score>=0.8: {pooled.calibration:.3f} of {pooled.confident}"
          f"  mean of corpora {np.mean(list(acc.values())):.3f}", flush=True)
    return acc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "geoincidents" / "data" / "ranker.json")
    ap.add_argument("--oof", type=int, metavar="K", default=0,
                    help="do not fit ranker.json: report the document-grouped K-fold out-of-fold acc@161 per corpus "
                         "(each document resolved by a ranker fitted without its group) beside the in-sample one "
                         "(the bundled ranker.json)")
    ap.add_argument("--penalty", type=float, help="this L2 penalty, without cross-validating it")
    ap.add_argument("--errors", type=Path, help="with --oof: write the out-of-fold resolution errors here (TSV)")
    ap.add_argument("--no-neighbours", action="store_true",
                    help="ablation: without the countries' neighbours ('neighbour_named' always 0)")
    args = ap.parse_args()
    if args.oof == 1 or args.oof < 0:
        ap.error("--oof K needs K >= 2 groups (each is resolved by a ranker fitted on the others)")
    data = read_train(args.eval, neighbours=not args.no_neighbours)
    penalties = (args.penalty,) if args.penalty is not None else PENALTIES
    if args.oof:
        report("in-sample", placed(data, None))
        results = out_of_fold(data, args.oof, args.folds, penalties)
        report("OOF", results)
        if args.errors:
            write_errors(args.errors, results)
        return 0
    w, penalty, cv = train(data, args.folds, penalties)
    args.out.write_text(json.dumps({
        "features": list(resolve.FEATURES),
        "weights": [round(float(v), 4) for v in w],
        "model": "conditional logit over a name's candidate places (geoincidents/resolve.py)",
        "trained_by": "scripts/train_ranker.py",
        "trained_on": [{"corpus": name, "split": "train (all but the ids in splits.json)", "licence": lic,
                        "documents": len(data[name])} for name, lic in CORPORA.items()],
        "penalty": penalty,
        "cross_validated_accuracy_on_ambiguous_names": cv.get(penalty),
        "date": datetime.date.today().isoformat(),
    }, indent=1) + "\n")
    print(f"wrote {args.out}: " + ", ".join(f"{f} {v:+.2f}" for f, v in zip(resolve.FEATURES, w)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
