"""Extraction over Dask collections on a real two-process LocalCluster: the same records as the pipeline."""
import json

import pytest

from conftest import EXAMPLE

dask = pytest.importorskip("dask", reason="dask is optional: pip install 'geoincidents[dask]'")
distributed = pytest.importorskip("distributed", reason="needs dask[distributed]: pip install 'geoincidents[dask]'")

TEXTS = [
    {"id": "a", "text": "Shelling hit Kharkiv on Monday, officials said.", "lang": "en", "published": "2023-01-04"},
    {"id": "b", "text": "Protesters marched in Lyon on Saturday.", "lang": "en"},
    {"id": "c", "text": EXAMPLE.read_text(encoding="utf-8"), "published": "2022-09-13"},
    {"id": "d", "text": "Floods hit Dhaka and Chittagong."},
]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


def expected():
    from geoincidents.dask import extract_records

    return extract_records(TEXTS)


def test_bag_gives_the_pipelines_records_in_order(client):
    import dask.bag as db

    from geoincidents.dask import extract_bag

    got = extract_bag(db.from_sequence(TEXTS, npartitions=2)).compute()
    assert got == expected()
    assert [r["id"] for r in got] == ["a", "b", "c", "d"]
    assert any(i["location"] == "Goris" for i in got[2]["incidents"])


def test_bag_of_plain_texts(client):
    import dask.bag as db

    from geoincidents.dask import extract_bag

    got = extract_bag(db.from_sequence([t["text"] for t in TEXTS[:2]], npartitions=1), lang="en").compute()
    assert [r["id"] for r in got] == ["document-0", "document-1"]
    assert "Kharkiv" in {t["text"] for t in got[0]["toponyms"]}


def test_dataframe_partitions(client):
    dd = pytest.importorskip("dask.dataframe", reason="needs dask[dataframe] (pyarrow): pip install 'geoincidents[dask]'")
    import pandas as pd

    from geoincidents.dask import extract_partitions

    pdf = pd.DataFrame([{k: t.get(k) for k in ("id", "text", "lang", "published")} for t in TEXTS])
    out = extract_partitions(dd.from_pandas(pdf, npartitions=2)).compute()
    assert list(out["id"]) == ["a", "b", "c", "d"]
    assert [json.loads(r) for r in out["record"]] == expected()
    assert list(out["incidents"]) == [len(r["incidents"]) for r in expected()]
