"""scripts/train_ranker.py's out-of-fold estimate: every document resolved once, by weights
fitted without it (the corpora themselves are not part of the repository)."""

import numpy as np
import pytest
from conftest import load_script

pytest.importorskip("scipy")


def test_out_of_fold_resolves_each_document_once_without_its_own_fit(monkeypatch):
    tr = load_script("train_ranker")
    data = {name: [(f"{name}-doc{i}", (), [], (), f"{name}-gold{i}") for i in range(n)]
            for name, n in (("a.jsonl", 7), ("b.jsonl", 3))}
    seen_by_fit: dict[int, set] = {}

    def fake_train(rest, folds, penalties, log=None):
        w = np.array([float(len(seen_by_fit))])
        seen_by_fit[int(w[0])] = {d[0] for docs in rest.values() for d in docs}
        return w, penalties[0], {}

    resolved = []

    def fake_resolve(doc, mentions, w=None, neighbours=None):
        resolved.append((doc, int(w[0])))
        return ()

    monkeypatch.setattr(tr, "train", fake_train)
    monkeypatch.setattr(tr.resolve, "resolve", fake_resolve)
    out = tr.out_of_fold(data, 3, 2, (1.0,))
    assert len(seen_by_fit) == 3
    docs = [doc for doc, _ in resolved]
    assert sorted(docs) == sorted(d[0] for got in data.values() for d in got)  # each once
    for doc, fit in resolved:
        assert doc not in seen_by_fit[fit]  # never by weights fitted on it
    for name, got in out.items():  # in the corpus's own order, with its gold
        assert [i for i, _, _ in got] == list(range(len(data[name])))
        assert [g for _, g, _ in got] == [d[4] for d in data[name]]


def test_resolve_uses_the_weights_it_is_given(pipeline):
    from geoincidents import resolve
    from geoincidents.document import read_document

    doc = read_document("Flooding hit Paris on Monday, and Lyon and Marseille braced for more rain.", lang="en")
    mentions = pipeline.recognizer.recognize(doc)
    bundled = resolve.resolve(doc, mentions)
    assert resolve.resolve(doc, mentions, resolve.weights()) == bundled
    flat = resolve.resolve(doc, mentions, np.zeros(len(resolve.FEATURES)))  # no evidence: all alike
    paris = next(t for t in flat if t.mention.text == "Paris")
    assert paris.score == round(1 / len({c.place.id for c in paris.mention.candidates}), 3)
