"""One process parses documents in batches (Pipeline.parse_many): the same records, in order."""
from __future__ import annotations

import json

from geoincidents import batch
from geoincidents.export import record
from geoincidents.inputs import InputDoc, InputError


def test_batches_close_at_a_count_or_an_amount_of_text(monkeypatch):
    monkeypatch.setattr(batch, "BATCH_CHARS", 100)
    docs = [InputDoc(str(k), "x" * 30) for k in range(7)]
    assert [len(c) for c in batch.chunks(docs, 3)] == [3, 3, 1]
    big = [InputDoc("a", "x" * 60), InputError("f:2", "bad line"), InputDoc("b", "x" * 60), InputDoc("c", "x")]
    assert [[getattr(it, "id", None) for it in c] for c in batch.chunks(big, 10)] == [["a", None, "b"], ["c"]]


def test_one_process_gives_each_document_its_record_in_order(pipeline, monkeypatch):
    monkeypatch.setattr(batch, "BATCH", 2)
    texts = ["Shelling hit Kharkiv on Monday.", "Two people were killed in Goris.", "A fire broke out.",
             "Protesters gathered in Lyon."]
    items = [InputDoc(str(k), t, lang="en") for k, t in enumerate(texts)]
    items.insert(2, InputError("f:3", "bad line"))
    items.insert(4, InputDoc("bad", "No place.", lang="en", triggers=((0, 99),)))  # its triggers fail
    got = list(batch.run(items, batch.Settings(), workers=1, pipeline=pipeline))
    assert [type(g).__name__ for g in got] == ["Done", "Done", "InputError", "Done", "Failed", "Done"]
    assert got[4].doc.id == "bad" and "triggers" in got[4].error
    for g in got:
        if isinstance(g, batch.Done):
            one = pipeline.parse(g.doc.text, doc_id=g.doc.id, lang="en")
            assert json.loads(g.payload)["id"] == g.doc.id
            assert g.payload == json.dumps(record(one), ensure_ascii=False) + "\n"
