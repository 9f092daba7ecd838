"""Many documents at once: in this process, or in a pool of worker processes.

Each worker opens its pipeline (gazetteer, lexicons) once, in the pool's initializer, and
turns documents into what the command writes (a JSON line, CSV rows, GeoJSON features or
the Report itself), so little crosses between processes. Results come back in input order
and only a bounded number of documents is in flight, so memory does not grow with the
number of documents. Reading stays in the calling process; inputs' errors and notes pass
through in their place.
"""
from __future__ import annotations

import gc
import json
import os
import signal
from collections import deque
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from .inputs import InputDoc

CHUNK = 8  # documents per task sent to a worker
BATCH = 32  # documents parsed together in one process (Pipeline.parse_many)
BATCH_CHARS = 100_000  # ... or fewer, holding this much text: all held at once (a document may have 20 MiB), and
# their sentences' words kept from stage to stage (names.tokens remembers 4096 sentences)
IN_FLIGHT = 4  # tasks per worker sent ahead


@dataclass(frozen=True)
class Settings:
    """What a pipeline is made of and what to make of each document (picklable, for workers)."""

    gazetteer: str | None = None
    places: str | None = None
    online_fallback: bool = False
    lang: str | None = None
    published: date | None = None
    output: str = "jsonl"  # jsonl | csv | geojson | report
    debug: bool = False


@dataclass(frozen=True)
class Done:
    """One document processed: ``payload`` is what to write (see Settings.output)."""

    doc: InputDoc
    payload: object
    incidents: int


@dataclass(frozen=True)
class Failed:
    """One document that could not be processed (the others go on)."""

    doc: InputDoc
    error: str


class Fatal(Exception):
    """Not the document's fault (the gazetteer is broken): the whole run stops."""


def collect_less() -> None:
    """Collect reference cycles less often, for a process that parses documents one after
    another. Parsing makes many short-lived objects and few cycles (LGL: 97); what a
    collection walks is every object made since the last one and still alive, mostly the
    caches' new entries (LGL's whole run: some 215,000), each at a cost. At Python's default
    (a collection every 700 new objects) a run spent about a twentieth of its time so, and
    still about 0.2 s of LGL's 4-5 s with a collection every 50,000 (five collections); with
    one every 500,000, a run of LGL's size makes none and a longer one a few."""
    gc.set_threshold(500_000, 20, 20)


def make_pipeline(settings: Settings):
    from .pipeline import Pipeline

    fallback = None
    if settings.online_fallback:
        from .geocoders import OnlineFallback

        fallback = OnlineFallback()
    return Pipeline(gazetteer_path=settings.gazetteer, places=settings.places, fallback=fallback)


def process_many(pipeline, settings: Settings, items: list) -> list:
    """Each of ``items``: a document's Done or Failed, its document parsed with the others
    (Pipeline.parse_many: stage by stage, which is faster than one by one); anything else (an
    input's error or note) as it came."""
    from .pipeline import Text

    docs = [it for it in items if isinstance(it, InputDoc)]
    reports = iter(pipeline.parse_many([Text(d.text, d.id, settings.lang or d.lang, settings.published or d.published,
                                             d.triggers) for d in docs]))
    return [_done(settings, it, next(reports)) if isinstance(it, InputDoc) else it for it in items]


def _done(settings: Settings, doc: InputDoc, report) -> Done | Failed:
    """The document's report formatted, or its failure: one bad document must not stop the
    batch. What is not the document's fault (the gazetteer is broken) is raised, and so is
    every failure with ``settings.debug``."""
    from . import export
    from .gazetteer import GazetteerError

    if isinstance(report, BaseException):
        if settings.debug or isinstance(report, GazetteerError):
            raise report
        return Failed(doc, f"{type(report).__name__}: {report}")
    if settings.output == "jsonl":
        payload: object = json.dumps(export.record(report), ensure_ascii=False) + "\n"
    elif settings.output == "csv":
        payload = export.csv_rows(report)
    elif settings.output == "geojson":
        payload = export.feature_collection([report])["features"]
    else:
        payload = report
    return Done(doc, payload, len(report.incidents))


# ------------------------------------------------------------------------------ workers

_worker: tuple | None = None  # (pipeline, settings) of this worker process


def _init_worker(settings: Settings) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from .gazetteer import Gazetteer

    Gazetteer.forget_open()  # a forked worker opens its own SQLite connection (milliseconds)
    collect_less()
    try:
        _worker = (make_pipeline(settings), settings)
    except Exception as e:  # reported with the first task
        _worker = (e, settings)


def _work(items: list) -> list:
    from .gazetteer import GazetteerError

    pipeline, settings = _worker
    if isinstance(pipeline, Exception):
        raise Fatal(str(pipeline))
    try:
        return process_many(pipeline, settings, items)
    except GazetteerError as e:
        raise Fatal(str(e)) from None


def chunks(items: Iterable, n: int) -> Iterator[list]:
    """Lists of ``n`` items, or fewer holding BATCH_CHARS characters of text (a list's documents
    are all held at once); an item's text is its ``text`` (an InputDoc's, a pipeline.Text's),
    an item without one (an input's error or note) has none."""
    chunk: list = []
    chars = 0
    for it in items:
        chunk.append(it)
        chars += len(getattr(it, "text", ""))
        if len(chunk) >= n or chars >= BATCH_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def run(items: Iterable, settings: Settings, workers: int = 1, pipeline=None, batch: int = BATCH) -> Iterator:
    """Each item of ``items`` (InputDoc, or an input's error or note), in order: a Done or
    Failed for a document, anything else as it came. ``workers`` > 1 uses that many processes;
    one process parses ``batch`` documents together (1 for a live stream, whose documents
    must come out as they come in).

    Raises Fatal when the gazetteer fails (in a worker) and the pipeline's own errors when
    it cannot be made; ``pipeline`` (made lazily when None) serves the one-process case.
    """
    if workers <= 1:
        for chunk in chunks(items, batch):
            if pipeline is None and any(isinstance(it, InputDoc) for it in chunk):
                pipeline = make_pipeline(settings)
            yield from process_many(pipeline, settings, chunk)
        return
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque = deque()
        for chunk in chunks(items, CHUNK):
            pending.append(pool.apply_async(_work, (chunk,)))
            while len(pending) >= workers * IN_FLIGHT:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
