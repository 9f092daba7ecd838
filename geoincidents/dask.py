"""Extraction over Dask collections, for corpora larger than one machine's cores.

    >>> import dask.bag as db
    >>> from geoincidents.dask import extract_bag
    >>> records = extract_bag(db.read_text("news-*.jsonl").map(json.loads))   # a bag of `extract` records
    >>> records.map(json.dumps).to_textfiles("out/part-*.jsonl")

    >>> import dask.dataframe as dd
    >>> from geoincidents.dask import extract_partitions
    >>> out = extract_partitions(dd.read_parquet("news/"), text_column="body")   # columns id, incidents, record
    >>> out.to_parquet("extracted/")

Each worker process opens its pipeline (gazetteer, lexicons) once, at its first partition,
and keeps it. Needs ``pip install 'geoincidents[dask]'``; point a
``dask.distributed.Client('tcp://scheduler:8786')`` at a cluster whose workers have
geoincidents installed (the gazetteer is in the package; it needs no network).
"""
from __future__ import annotations

import json
from datetime import date

__all__ = ["extract_bag", "extract_partitions", "extract_records"]

def _published(value) -> date | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):  # None, '', NaN
        return None
    if isinstance(value, date):
        return value
    if hasattr(value, "date"):  # pandas Timestamp, datetime
        return value.date()
    return date.fromisoformat(str(value)[:10])


def extract_records(items, *, lang: str | None = None, published=None, gazetteer: str | None = None,
                    places: str | None = None) -> list[dict]:
    """`extract` records of ``items``: texts (str; ids 'document-N' by position) or dicts
    {"id", "text", "lang"?, "published"?, "triggers"?} as in a JSONL input. ``lang``/``published``
    apply where an item gives none. The function each partition runs. An item whose 'triggers' is
    not a list of {"start", "end"} spans of its text raises ValueError with the JSONL input's message."""
    from .batch import BATCH, chunks
    from .export import record
    from .inputs import InputError, read_triggers
    from .pipeline import Text, shared_pipeline

    def texts():
        for n, item in enumerate(items):
            if isinstance(item, str):
                item = {"id": f"document-{n}", "text": item}
            doc_id = str(item.get("id", f"document-{n}"))
            triggers = read_triggers(item.get("triggers"), item["text"], doc_id)
            if isinstance(triggers, InputError):
                raise ValueError(str(triggers))
            yield Text(item["text"], doc_id, item.get("lang") or lang,
                       _published(item.get("published")) or _published(published), triggers)

    pipeline = shared_pipeline(gazetteer, places)
    out = []
    for batch in chunks(texts(), BATCH):  # a few texts at once, stage by stage, as `extract` does
        for report in pipeline.parse_many(batch):
            if isinstance(report, BaseException):
                raise report
            out.append(record(report))
    return out


def extract_bag(bag, *, lang: str | None = None, published=None, gazetteer: str | None = None,
                places: str | None = None):
    """A dask.bag of `extract` records (dicts), one per item of ``bag`` (texts or dicts, see
    extract_records), in the bag's order."""
    return bag.map_partitions(extract_records, lang=lang, published=published, gazetteer=gazetteer,
                              places=places)


def _triggers_cell(value):
    """A 'triggers' cell: a list of {"start", "end"} (or an array of them), or that list as JSON
    text as in CSV input; None when empty or missing."""
    if isinstance(value, str):
        return json.loads(value) if value.strip() else None
    if hasattr(value, "tolist"):  # a numpy array from a list column
        value = value.tolist()
    return value if isinstance(value, list) else None


def _frame(df, text_column: str, id_column: str, lang, published, gazetteer, places):
    import pandas as pd

    items = []
    for index, row in df.iterrows():
        items.append({
            "id": str(row[id_column]) if id_column in df.columns else str(index),
            "text": row[text_column],
            "lang": row["lang"] if "lang" in df.columns and isinstance(row["lang"], str) else None,
            "published": row["published"] if "published" in df.columns else None,
            "triggers": _triggers_cell(row["triggers"]) if "triggers" in df.columns else None,
        })
    records = extract_records(items, lang=lang, published=published, gazetteer=gazetteer, places=places)
    return pd.DataFrame(
        {
            "id": [r["id"] for r in records],
            "toponyms": [len(r["toponyms"]) for r in records],
            "incidents": [len(r["incidents"]) for r in records],
            "record": [json.dumps(r, ensure_ascii=False) for r in records],
        },
        index=df.index,
    )


def extract_partitions(df, *, text_column: str = "text", id_column: str = "id", lang: str | None = None, published=None,
                       gazetteer: str | None = None, places: str | None = None):
    """A dask.dataframe with one row per row of ``df`` (same index): ``id`` (the ``id_column``,
    else the index), ``toponyms`` and ``incidents`` (counts) and ``record`` (the `extract`
    JSON line). ``df`` has the text in ``text_column``; ``lang``, ``published`` and ``triggers`` columns
    are used when present."""
    import pandas as pd

    meta = pd.DataFrame({"id": pd.Series(dtype=object), "toponyms": pd.Series(dtype="int64"),
                         "incidents": pd.Series(dtype="int64"), "record": pd.Series(dtype=object)})
    return df.map_partitions(_frame, text_column, id_column, lang, published, gazetteer, places, meta=meta)
