"""Fit the role model (geoincidents/data/role_model.json) on the train split of the
Halterman (2019) event-location sentences.

    python scripts/train_role_model.py [--corpus FILE] [--out FILE] [--l2 X] [--lexical-l2 X]
                                       [--folds K] [--no-lexical] [--no-context] [--keep-text-only]
                                       [--no-trees] [--tree-rounds N] [--tree-depth D] [--tree-rate X]
                                       [--tree-l2 X] [--tree-bags B] [--tree-fraction X]
                                       [--errors FILE] [--text-errors FILE] [--toponym-cache FILE]

Each toponym of a sentence with an event cue is a sample (but those that a veto of
geoincidents.incidents.VETOES makes a mention whatever the weights): its features are what
geoincidents.incidents.role_features computes (language-independent structure and the
language's cue lists); its label is whether it overlaps a span marked `event_location`.
Only the train split is read (the test ids listed in ../shared/eval/splits.json are
skipped).

Two parts are fitted, both L2-regularised logistic regressions:

- the language-independent weights (numpy, Newton's method), used for every language;
- the English lexical layer: weights of the words around the name
  (geoincidents.incidents.lexical_words), fitted on top of the first part's logit
  (an offset, so the first part stays what it is for the other languages), words seen
  in at least MIN_COUNT samples, weights under PRUNE in size dropped (scipy L-BFGS; the
  `train` extra). It is used only for documents whose language is 'en'.

Then each of the two gets a context stage, a small logistic regression (geoincidents.incidents.
ContextStage) that weighs a candidate's logit again with those of the other candidates of its
sentence (its lead over the best of them, the sum of their probabilities): it is fitted on the
out-of-fold logits of the part below it (stacking), and its own out-of-fold logits (same folds)
choose the threshold. The English lexical layer gets a tree stage instead (geoincidents.incidents.
TreeStage; --no-trees keeps its context stage): gradient-boosted trees of depth --tree-depth (LightGBM,
fit_trees) over the role features and the context features of the layer's out-of-fold logits,
fitted, cross-validated and thresholded the same way; they can weigh features together, which
the logistic sums cannot. --tree-bags ensembles of them, each on a random part of the samples
and features, are averaged (bagging).

--errors FILE writes the out-of-fold errors of the event-verb-given setting (missed, spurious and
unrecognised incident toponyms, each with its sentence, the event verb marked, and its features;
write_errors) for studying them; train split only, as everything here.

All of it is fitted twice: on the sentences alone (the text-only weights) and with each
sentence's event verbs (the corpus' `event_verbs`) given as Document.triggers, the features then
taken against the given verb (the `with_triggers` weights, kept when they do better out of fold
with the verbs given than the text-only weights do). --keep-text-only keeps the text-only
weights of --out as they are and refits `with_triggers` only.

Each part's threshold is the one that maximises incident-location F1 of out-of-fold
predictions (K folds over groups of sentences, fold_keys: the corpus repeats a sentence once
per event verb, each copy with its own spans, and has several sentences of one article; a
sentence whose copy or article-mate sits in another fold would make the figures optimistic;
in each fold both parts are refitted on the other folds), F1 counted as the scorer does: one-to-one overlap of predicted and gold spans,
all gold spans in the denominator, recognised or not. The output records where the
weights come from and the cross-validated figures.
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
CORPUS = EVAL / "corpora" / "halterman_event_location_en.jsonl"
OUT = ROOT / "geoincidents" / "data" / "role_model.json"
LEXICAL_LANG = "en"
MIN_COUNT = 2  # a word enters the lexical layer when this many train samples have it
PRUNE = 0.1  # lexical weights smaller than this (in size) are left out
MIN_LEAF_HESSIAN = 5.0  # a tree's leaf holds at least this much of the samples' p(1-p)
MAX_BINS = 32  # thresholds a tree may split a feature at: between its values, or quantiles when it has more


def recognised(corpus: Path, splits: Path, cache: Path | None = None) -> list[tuple[dict, object, tuple]]:
    """(record, document, resolved toponyms) of each train sentence of ``corpus``. With ``cache``,
    read from that pickle when it exists, else written to it: the recogniser and resolver take most
    of a run's time, and trying role features needs neither to change (a stale cache after a change
    to them gives stale samples: delete it)."""
    import pickle

    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)
    from geoincidents.document import read_document
    from geoincidents.evaluate import test_ids
    from geoincidents.gazetteer import open_gazetteer
    from geoincidents.resolve import resolve
    from geoincidents.toponyms import Recognizer

    test = test_ids(splits, corpus)
    recognizer = Recognizer(open_gazetteer())
    out = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if str(d["id"]) in test:
                continue
            doc = read_document(d["text"], doc_id=str(d["id"]), lang=d.get("lang", "en"), published=None)
            out.append((d, doc, resolve(doc, recognizer.recognize(doc))))
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(out, f)
    return out


def samples(corpus: Path, splits: Path, cache: Path | None = None) -> dict[str, tuple]:
    """For each input, 'text' (the sentence alone) and 'triggers' (the sentence with its event verbs,
    the corpus' event_verbs, given as Document.triggers): (feature dicts, lexical words, labels,
    sentence numbers, spans, gold span lists, fold keys of the sentences) of the train split.
    ``cache``: recognised()'s."""
    from dataclasses import replace

    from geoincidents.incidents import VETOES, role_features

    out = {mode: ([], [], [], [], []) for mode in ("text", "triggers")}
    golds, keys, sentences = [], [], []
    n = 0
    for d, doc, toponyms in recognised(corpus, splits, cache):
        gold = [(g["start"], g["end"]) for g in d["spans"]]
        golds.append(gold)
        keys.append((str(d["id"]), d["text"]))
        given = tuple((v["start"], v["end"]) for v in d.get("event_verbs") or ())
        sentences.append((str(d["id"]), d["text"], given))
        for mode, document in (("text", doc), ("triggers", replace(doc, triggers=given))):
            feats, words, labels, groups, spans = out[mode]
            for _, c in role_features(document, toponyms):
                if any(v in c.features for v in VETOES):
                    continue  # always a mention
                m = toponyms[c.index].mention
                feats.append(c.features)
                words.append(c.words)
                labels.append(any(s < m.end and m.start < e for s, e in gold))
                groups.append(n)
                spans.append((m.start, m.end))
        n += 1
    folds = fold_keys(keys)
    data = {mode: (feats, words, np.array(labels, dtype=float), np.array(groups), spans, golds, folds)
            for mode, (feats, words, labels, groups, spans) in out.items()}
    data["sentences"] = sentences
    return data


def write_errors(path: Path, data, z: np.ndarray, threshold: float, sentences) -> Counter:
    """The out-of-fold errors at ``threshold`` of the logits ``z`` of ``data``'s samples, one JSON
    object a line: 'missed' (a gold span a candidate overlaps, under the threshold), 'spurious' (a
    candidate at or over it that overlaps no gold span) and 'unrecognised' (a gold span no
    candidate overlaps: the recogniser's, or a veto's), each with its sentence (``sentences``: id,
    text, given event words), that sentence marked ('[[killed]]' the event word, '{{X}}' the name,
    '<<Y>>' the other gold spans), the logit and the features. Gives the count of each kind."""
    feats, _, _, groups, spans, golds, _ = data
    by_sentence: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        by_sentence.setdefault(int(g), []).append(i)
    counts: Counter = Counter()

    def marked(text: str, verbs, name: tuple[int, int], gold) -> str:
        marks = [(s, "[[", "]]", e) for s, e in verbs] + [(name[0], "{{", "}}", name[1])]
        marks += [(s, "<<", ">>", e) for s, e in gold if not (s < name[1] and name[0] < e)]
        out, at = [], 0
        for s, a, b, e in sorted(marks):
            if s < at:
                continue
            out += [text[at:s], a, text[s:e], b]
            at = e
        return "".join(out + [text[at:]])

    with path.open("w", encoding="utf-8") as f:
        for g, (sid, text, verbs) in enumerate(sentences):
            rows = by_sentence.get(g, [])
            gold = golds[g]
            for i in rows:
                hit = any(s < spans[i][1] and spans[i][0] < e for s, e in gold)
                kind = ("missed" if hit else None) if z[i] < threshold else (None if hit else "spurious")
                if kind is None:
                    continue
                counts[kind] += 1
                f.write(json.dumps({
                    "id": sid, "kind": kind, "name": text[spans[i][0]:spans[i][1]], "z": round(float(z[i]), 3),
                    "threshold": threshold, "marked": marked(text, verbs, spans[i], gold),
                    "features": feats[i]}, ensure_ascii=False) + "\n")
            for s, e in gold:
                if not any(s < spans[i][1] and spans[i][0] < e for i in rows):
                    counts["unrecognised"] += 1
                    f.write(json.dumps({"id": sid, "kind": "unrecognised", "name": text[s:e],
                                        "marked": marked(text, verbs, (s, e), gold)}, ensure_ascii=False) + "\n")
    return counts


_ARTICLE = re.compile(r"^([A-Z]+_ENG_\d{8}\.\d{4})_")


def fold_keys(sentences: list[tuple[str, str]]) -> list[str]:
    """A key per sentence ((id, text) each) that keeps together in one fold what must not be split
    across folds: the corpus repeats a sentence once per event verb ('masdar_kill_498#1',
    'masdar_kill_498#2', the same text with its own spans), and several sentences come from one
    article ('APW_ENG_20040928.0001_3_shoot', 'APW_ENG_20040928.0001_24_capture#1'). Sentences
    that share a text, an id before '#' or an article id share a key (union-find)."""
    parent = list(range(len(sentences)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, (sid, text) in enumerate(sentences):
        m = _ARTICLE.match(sid)
        for key in ("t:" + " ".join(text.split()), "i:" + sid.split("#")[0].strip(), "a:" + (m.group(1) if m else "")):
            if key == "a:":
                continue
            j = first.setdefault(key, i)
            parent[root(i)] = root(j)
    return [sentences[root(i)][0] for i in range(len(sentences))]


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


def word_matrix(words, vocab: dict[str, int]):
    """Sparse 0/1 matrix of the samples' lexical words in ``vocab``; column 0 is the bias."""
    from scipy import sparse

    rows, cols = [], []
    for i, ws in enumerate(words):
        rows.append(i)
        cols.append(0)
        for w in ws:
            j = vocab.get(w)
            if j is not None:
                rows.append(i)
                cols.append(j)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(words), len(vocab) + 1))


def fit_lexical(words, y: np.ndarray, offset: np.ndarray, l2: float) -> tuple[float, dict[str, float]]:
    """(bias, weights) of the lexical layer on top of the logits ``offset`` (L-BFGS), pruned."""
    from scipy.optimize import minimize

    counts = Counter(w for ws in words for w in ws)
    names = sorted(w for w, n in counts.items() if n >= MIN_COUNT)
    vocab = {w: j + 1 for j, w in enumerate(names)}
    X = word_matrix(words, vocab)
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 0.0

    def loss(w):
        z = X @ w + offset
        p = 1.0 / (1.0 + np.exp(-z))
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(penalty * w * w)), X.T @ (p - y) + penalty * w

    w = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000}).x
    return float(w[0]), {n: float(w[j]) for n, j in vocab.items() if abs(w[j]) >= PRUNE}


def context_matrix(z: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The context stage's features (geoincidents.incidents.context_features) of the logits ``z``,
    sentence by sentence; column 0 is the bias."""
    from geoincidents.incidents import CONTEXT_FEATURES, context_features

    X = np.zeros((len(z), len(CONTEXT_FEATURES) + 1))
    X[:, 0] = 1.0
    by_sentence: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        by_sentence.setdefault(int(g), []).append(i)
    for rows in by_sentence.values():
        for i, f in zip(rows, context_features([float(z[i]) for i in rows])):
            X[i, 1:] = [f[n] for n in CONTEXT_FEATURES]
    return X


def fit_context(z: np.ndarray, y: np.ndarray, groups: np.ndarray, fold: np.ndarray, folds: int, l2: float):
    """(out-of-fold logits, weights fitted on all) of the context stage over out-of-fold logits ``z``."""
    from geoincidents.incidents import CONTEXT_FEATURES

    X = context_matrix(z, groups)
    out = np.zeros(len(y))
    for k in range(folds):
        train, held = fold != k, fold == k
        out[held] = X[held] @ fit(X[train], y[train], l2)
    w = fit(X, y, l2)
    return out, {"bias": round(float(w[0]), 4),
                 "weights": {n: round(float(w[j + 1]), 4) for j, n in enumerate(CONTEXT_FEATURES)}}


def fit_trees(X: np.ndarray, y: np.ndarray, args) -> tuple[float, list]:
    """(bias, trees) of gradient-boosted regression trees for the log loss, fitted by LightGBM
    (depth args.tree_depth, args.tree_rounds trees shrunk by args.tree_rate, L2 args.tree_l2 on
    the leaves, leaves of at least MIN_LEAF_HESSIAN, at most MAX_BINS thresholds per feature,
    one thread: the same trees every run) from the base rate's logit (bias), exported as
    geoincidents.incidents.TreeStage reads them: [column, threshold, left, right], a number at
    a leaf, a value at most the threshold going left. With args.tree_bags above 1, that many
    such ensembles, each fitted on its own random args.tree_fraction of the samples and of the
    features at each round (bagging, seeds 1, 2, ...), averaged: their trees one after another,
    each leaf divided by the number of bags (a sum of trees still, as TreeStage walks them)."""
    import lightgbm

    bias = float(np.log(y.mean() / (1 - y.mean())))
    bags = getattr(args, "tree_bags", 1)
    params = {
        "objective": "binary", "learning_rate": args.tree_rate, "max_depth": args.tree_depth,
        "num_leaves": 2 ** args.tree_depth, "lambda_l2": args.tree_l2,
        "min_sum_hessian_in_leaf": MIN_LEAF_HESSIAN, "min_data_in_leaf": 1, "max_bin": MAX_BINS,
        "num_threads": 1, "deterministic": True, "force_row_wise": True, "verbose": -1,
    }
    if bags > 1:
        params.update({"bagging_fraction": args.tree_fraction, "bagging_freq": 1, "feature_fraction": args.tree_fraction})

    def tree(node: dict):
        if "leaf_value" in node:
            return round(float(node["leaf_value"]) / bags, 4)
        assert node["decision_type"] == "<="
        return [int(node["split_feature"]), round(float(node["threshold"]), 4),
                tree(node["left_child"]), tree(node["right_child"])]

    trees = []
    for bag in range(bags):
        booster = lightgbm.train({**params, "seed": bag + 1} if bags > 1 else params,
                                 lightgbm.Dataset(X, y, init_score=np.full(len(y), bias)),
                                 num_boost_round=args.tree_rounds)
        trees += [tree(t["tree_structure"]) for t in booster.dump_model()["tree_info"]]
    return bias, trees


def fit_tree_stage(X: np.ndarray, z: np.ndarray, y: np.ndarray, groups: np.ndarray, fold: np.ndarray, args,
                   names: list[str]) -> tuple[np.ndarray, dict]:
    """(out-of-fold logits, stage fitted on all) of the tree stage over the role features ``X``
    (no bias column) and the context features of the out-of-fold logits ``z``
    (geoincidents.incidents.TreeStage)."""
    from geoincidents.incidents import CONTEXT_FEATURES, TreeStage

    XX = np.hstack([X, context_matrix(z, groups)[:, 1:]])
    inputs = tuple(names) + tuple("ctx:" + n for n in CONTEXT_FEATURES)
    out = np.zeros(len(y))
    for k in range(args.folds):
        train, held = fold != k, fold == k
        bias, trees = fit_trees(XX[train], y[train], args)
        out[held] = TreeStage(inputs, bias, tuple(trees)).rows_logits(XX[held])  # as at run time
    bias, trees = fit_trees(XX, y, args)
    return out, {"inputs": list(inputs), "bias": round(bias, 4), "trees": trees}


def lexical_logits(words, bias: float, weights: dict[str, float]) -> np.ndarray:
    return np.array([bias + sum(weights.get(w, 0.0) for w in ws) for ws in words])


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


def best_threshold(z, groups, spans, golds) -> tuple[tuple[float, float, float], float]:
    grid = np.arange(-3.0, 3.0, 0.05)
    return max(((f1_at(z, t, groups, spans, golds), float(t)) for t in grid), key=lambda s: s[0][2])


def feature_matrix(feats, names: list[str]) -> np.ndarray:
    col = {n: j + 1 for j, n in enumerate(names)}
    X = np.zeros((len(feats), len(names) + 1))
    X[:, 0] = 1.0
    for i, f in enumerate(feats):
        for n, v in f.items():
            j = col.get(n)
            if j is not None:
                X[i, j] = v
    return X


def fold_of(groups, keys, folds: int) -> np.ndarray:
    """Each sample's fold: by its sentence group (fold_keys), fixed by a hash of the group's key."""
    return np.array([zlib.crc32(keys[g].encode()) % folds for g in groups])


def fit_model(data, args, title: str, errors: Path | None = None, sentences=None) -> tuple[dict, dict]:
    """(model, provenance) of one set of weights fitted on ``data`` (one mode of samples()); with
    ``errors``, the out-of-fold errors of the last stage at its threshold written there (write_errors;
    ``sentences``: samples()' 'sentences')."""
    feats, words, y, groups, spans, golds, keys = data
    names = sorted({n for f in feats for n in f})
    col = {n: j + 1 for j, n in enumerate(names)}
    X = feature_matrix(feats, names)
    # out-of-fold logits for the thresholds: folds by sentence group (fold_keys), fixed by a hash of its key
    fold = fold_of(groups, keys, args.folds)
    z, zl = first_stage_oof(data, data, args)
    (p0, r0, f0), _ = best_threshold(z, groups, spans, golds)
    print(f"[{title}] {len(y)} samples ({int(y.sum())} positive) from {len(golds)} sentences")
    print(f"[{title}] language-independent, first stage: out-of-fold P {p0:.3f} R {r0:.3f} F1 {f0:.3f}")
    context = None
    if not args.no_context:
        z, context = fit_context(z, y, groups, fold, args.folds, args.l2)
    (p, r, f1), threshold = best_threshold(z, groups, spans, golds)
    final = (z, threshold)
    w = fit(X, y, args.l2)
    model = {
        "bias": round(float(w[0]), 4),
        "threshold_logit": round(threshold, 3),
        "weights": {n: round(float(w[col[n]]), 4) for n in names},
    }
    if context:
        model["context"] = context
    provenance = {
        "sentences": len(golds),
        "samples": int(len(y)),
        "positives": int(y.sum()),
        "cross_validated": {"folds": args.folds, "p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)},
        "cross_validated_first_stage": {"folds": args.folds, "p": round(p0, 4), "r": round(r0, 4), "f1": round(f0, 4)},
    }
    print(f"[{title}] language-independent{'' if args.no_context else ', with the context stage'}: "
          f"out-of-fold P {p:.3f} R {r:.3f} F1 {f1:.3f} at logit {threshold:.2f}")
    if not args.no_lexical:
        (lp0, lr0, lf0), _ = best_threshold(zl, groups, spans, golds)
        print(f"[{title}] with the {LEXICAL_LANG} lexical layer, first stage: out-of-fold P {lp0:.3f} R {lr0:.3f} F1 {lf0:.3f}")
        lcontext = None
        zl_first = zl
        if not args.no_context:
            zl, lcontext = fit_context(zl, y, groups, fold, args.folds, args.l2)
        (lp, lr, lf1), lthreshold = best_threshold(zl, groups, spans, golds)
        final = (zl, lthreshold)
        trees = None
        if not args.no_trees:
            zt, trees = fit_tree_stage(X[:, 1:], zl_first, y, groups, fold, args, names)
            (tp_, tr_, tf1), tthreshold = best_threshold(zt, groups, spans, golds)
            final = (zt, tthreshold)
            print(f"[{title}] with the {LEXICAL_LANG} lexical layer and the tree stage ({len(trees['trees'])} trees "
                  f"of depth {args.tree_depth}, {args.tree_bags} bags): out-of-fold P {tp_:.3f} R {tr_:.3f} F1 {tf1:.3f} at logit {tthreshold:.2f}")
        bias, weights = fit_lexical(words, y, X @ w, args.lexical_l2)
        model["lexical"] = {
            LEXICAL_LANG: {
                "about": "Weights of the words around the name (geoincidents.incidents.lexical_words), "
                         "fitted on top of the language-independent logit; used for documents in this language.",
                "bias": round(bias, 4),
                "threshold_logit": round(lthreshold, 3),
                "weights": {n: round(v, 3) for n, v in sorted(weights.items())},
            }
        }
        if trees:
            model["lexical"][LEXICAL_LANG]["threshold_logit"] = round(tthreshold, 3)
            model["lexical"][LEXICAL_LANG]["trees"] = trees
        elif lcontext:
            model["lexical"][LEXICAL_LANG]["context"] = lcontext
        provenance["lexical"] = {
            LEXICAL_LANG: {
                "l2": args.lexical_l2, "min_count": MIN_COUNT, "prune": PRUNE, "words": len(weights),
                "cross_validated": {"folds": args.folds, "p": round(lp, 4), "r": round(lr, 4), "f1": round(lf1, 4)},
                "cross_validated_first_stage": {"folds": args.folds, "p": round(lp0, 4), "r": round(lr0, 4),
                                                "f1": round(lf0, 4)},
            }
        }
        if trees:
            provenance["lexical"][LEXICAL_LANG]["cross_validated_context_stage"] = \
                provenance["lexical"][LEXICAL_LANG]["cross_validated"]
            provenance["lexical"][LEXICAL_LANG]["cross_validated"] = {
                "folds": args.folds, "p": round(tp_, 4), "r": round(tr_, 4), "f1": round(tf1, 4)}
            provenance["lexical"][LEXICAL_LANG]["trees"] = {
                "rounds": args.tree_rounds, "depth": args.tree_depth, "rate": args.tree_rate, "l2": args.tree_l2,
                "min_leaf_hessian": MIN_LEAF_HESSIAN, "bags": args.tree_bags, "fraction": args.tree_fraction}
        print(f"[{title}] with the {LEXICAL_LANG} lexical layer ({len(weights)} words)"
              f"{'' if args.no_context else ' and the context stage'}: "
              f"out-of-fold P {lp:.3f} R {lr:.3f} F1 {lf1:.3f} at logit {lthreshold:.2f}")
    for n in sorted(names, key=lambda n: -abs(w[col[n]]))[:25]:
        print(f"  {n:28s} {w[col[n]]:+.3f}")
    if errors is not None:
        counts = write_errors(errors, data, final[0], final[1], sentences)
        print(f"[{title}] out-of-fold errors written to {errors}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    return model, provenance


def first_stage_oof(source, target, args) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold logits of ``target``'s samples from the first stage alone and with the lexical
    layer (zeros with --no-lexical), both fitted on the ``source`` samples of the other folds
    (the same sentences, the same folds; ``target`` may be ``source``)."""
    feats, words, y, groups, _, _, keys = source
    tfeats, twords, _, tgroups, _, _, _ = target
    names = sorted({n for f in feats for n in f})
    X = feature_matrix(feats, names)
    TX = X if target is source else feature_matrix(tfeats, names)
    fold = fold_of(groups, keys, args.folds)
    tfold = fold if target is source else fold_of(tgroups, keys, args.folds)
    z, zl = np.zeros(len(tfeats)), np.zeros(len(tfeats))
    for k in range(args.folds):
        train, held = fold != k, tfold == k
        w = fit(X[train], y[train], args.l2)
        z[held] = TX[held] @ w
        if not args.no_lexical:
            bias, weights = fit_lexical([words[i] for i in np.flatnonzero(train)], y[train], X[train] @ w,
                                        args.lexical_l2)
            zl[held] = z[held] + lexical_logits([twords[i] for i in np.flatnonzero(held)], bias, weights)
    return z, zl


def transfer(source, target, args) -> tuple[float, float, float]:
    """Out-of-fold P, R, F1 on ``target`` samples of first stage and lexical layer fitted on the
    ``source`` samples of the other folds: how the text-only weights do when the event verbs
    are given. No context stage."""
    tgroups, tspans, tgolds = target[3], target[4], target[5]
    z, zl = first_stage_oof(source, target, args)
    return best_threshold(z if args.no_lexical else zl, tgroups, tspans, tgolds)[0]


def dumps(model: dict) -> str:
    """``model`` as indented JSON, but each tree of a tree stage on one line (indented, its nested
    lists would take a line per number)."""
    lines: dict[str, str] = {}
    for weights in (model, model.get("with_triggers") or {}):
        for layer in weights.get("lexical", {}).values():
            if "trees" in layer:
                marks = ["@tree%d" % (len(lines) + k) for k in range(len(layer["trees"]["trees"]))]
                lines.update((m, json.dumps(t, separators=(",", ":"))) for m, t in zip(marks, layer["trees"]["trees"]))
                layer["trees"] = {**layer["trees"], "trees": marks}
    text = json.dumps(model, indent=1, ensure_ascii=False)
    return re.sub(r'"(@tree\d+)"', lambda m: lines[m.group(1)], text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--splits", type=Path, default=EVAL / "splits.json")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--lexical-l2", type=float, default=2.5)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-lexical", action="store_true", help="fit the language-independent part only")
    ap.add_argument("--no-context", action="store_true", help="fit no context stage")
    ap.add_argument("--no-trees", action="store_true",
                    help="no tree stage: the lexical layer keeps its logistic context stage")
    ap.add_argument("--tree-rounds", type=int, default=150)
    ap.add_argument("--tree-depth", type=int, default=4)
    ap.add_argument("--tree-rate", type=float, default=0.1)
    ap.add_argument("--tree-l2", type=float, default=1.0)
    ap.add_argument("--tree-bags", type=int, default=4,
                    help="average this many tree ensembles, each fitted on a random part of the samples and features")
    ap.add_argument("--tree-fraction", type=float, default=0.8,
                    help="the part of the samples and of the features each bag's rounds see (with --tree-bags above 1)")
    ap.add_argument("--errors", type=Path, default=None,
                    help="write the out-of-fold errors of the event-verb-given setting (its last stage, at its "
                         "threshold) to this file, one JSON object a line (train split only)")
    ap.add_argument("--text-errors", type=Path, default=None,
                    help="the same for the text-only setting")
    ap.add_argument("--toponym-cache", type=Path, default=None,
                    help="a pickle of the recognised and resolved train sentences: read when it exists, else "
                         "written (for trying role features; delete it when the recogniser or gazetteer changes)")
    ap.add_argument("--keep-text-only", action="store_true",
                    help="keep the text-only weights of --out as they are (their figures are still printed) "
                         "and refit the with_triggers set only")
    args = ap.parse_args()
    data = samples(args.corpus, args.splits, args.toponym_cache)
    model, provenance = fit_model(data["text"], args, "text only", args.text_errors, data["sentences"])
    if args.keep_text_only:
        kept = json.loads(args.out.read_text(encoding="utf-8"))
        kept.pop("with_triggers", None)
        kept_provenance = kept.pop("provenance")
        kept_provenance.pop("with_triggers", None)
        kept.pop("about", None)
        model = kept
        provenance = {k: v for k, v in kept_provenance.items()
                      if k not in ("corpus", "licence", "split", "script", "l2", "folds_grouped_by", "date")}
        provenance["text_only_date"] = kept_provenance.get("date")
    trig_model, trig_provenance = fit_model(data["triggers"], args, "event verb given", args.errors, data["sentences"])
    tp, tr, tf = transfer(data["text"], data["triggers"], args)
    sp, sr, sf = transfer(data["triggers"], data["triggers"], args)
    print(f"[event verb given] first stage and lexical layer, out-of-fold: text-only weights P {tp:.3f} R {tr:.3f} "
          f"F1 {tf:.3f}; weights fitted with the event verbs P {sp:.3f} R {sr:.3f} F1 {sf:.3f}")
    model = {
        "about": "Logistic weights of the role features of geoincidents.incidents: a toponym of a sentence "
                 "with an event cue is an incident place when bias + sum(weight * feature) >= threshold_logit. "
                 "A language under 'lexical' adds its layer's bias and the weights of the name's "
                 "lexical_words to that logit and decides at the layer's threshold_logit instead, on the "
                 "logit of its 'trees' when it has them (boosted trees over the role features and the "
                 "context features of the sentence's logits: geoincidents.incidents.TreeStage). "
                 "'with_triggers' is the same for documents given with their event words (Document.triggers), "
                 "the features then being relative to the given word.",
        **model,
    }
    separate = sf > tf
    if separate:
        model["with_triggers"] = trig_model
    provenance = {
        "corpus": "Halterman (2019) event-location sentences (halterman_event_location_en.jsonl)",
        "licence": "MIT",
        "split": "train (all sentences not listed as test in splits.json)",
        **provenance,
        "script": "scripts/train_role_model.py",
        "l2": args.l2,
        "folds_grouped_by": "sentence text, id before '#' and article id (fold_keys): the corpus repeats "
                            "a sentence once per event verb",
        "with_triggers": {
            "about": "fitted on the same sentences with the corpus' event_verbs given as triggers; "
                     + ("kept as a separate weight set" if separate else "not kept: the text-only weights do as well")
                     + " (first stage and lexical layer, out-of-fold F1 with the event verbs given: text-only "
                     f"weights {tf:.4f}, these {sf:.4f})",
            **trig_provenance,
        },
        "date": datetime.date.today().isoformat(),
    }
    model["provenance"] = provenance
    args.out.write_text(dumps(model) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
