"""The whole walk for texts: document -> mentions -> toponyms -> incidents -> Report."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .document import read_document
from .gazetteer import Gazetteer, LayeredGazetteer, open_gazetteer
from .incidents import find_incidents
from .report import Report
from .resolve import resolve
from .toponyms import Recognizer
from .types import Document, Mention, Toponym


class Pipeline:
    """Holds what is costly to open (the gazetteer) and parses texts with it."""

    def __init__(self, gazetteer: Gazetteer | LayeredGazetteer | None = None,
                 gazetteer_path: Path | str | None = None, *, places: Path | str | None = None,
                 fallback=None):
        """``gazetteer_path`` (else ``$GEOINCIDENTS_GAZETTEER``) is merged with the bundled
        gazetteer, its entries winning; ``places`` is a CSV file of custom places
        (geoincidents.custom_places) above both; ``fallback`` an OnlineFallback
        (geoincidents.geocoders) for names after a locative word that no gazetteer knows."""
        self.gazetteer = gazetteer or open_gazetteer(gazetteer_path, places=places)
        self.recognizer = Recognizer(self.gazetteer)
        self.fallback = fallback

    def parse(
        self,
        text: str,
        *,
        doc_id: str = "document",
        lang: str | None = None,
        published: date | None = None,
        triggers: tuple[tuple[int, int], ...] = (),
    ) -> Report:
        """``triggers``: (start, end) offsets of event words in ``text`` given with it (an event
        coder's trigger verbs); when there are some, each is an event and only they are."""
        (found,) = self.parse_many([Text(text, doc_id, lang, published, triggers)])
        if isinstance(found, BaseException):
            raise found
        return found

    def parse_many(self, texts: Sequence[Text]) -> list[Report | BaseException]:
        """parse() of each of ``texts``, in order, stage by stage: all of them read, then all
        recognised, and so on, rather than one text through every stage and then the next. Each
        stage's tables (the language model's, the lexicon's, the gazetteer's pages) are then
        still in the processor's caches for the next text: LGL in batches of 32 takes about a
        sixth less CPU time than text by text, to the same reports. A text whose stage fails has
        its exception in its place (the others go on); an interrupt stops all. Keep batches
        small (tens of texts): a batch's documents are all held at once."""
        out: list = list(texts)

        def each(stage) -> None:
            for k, value in enumerate(out):
                if not isinstance(value, BaseException):
                    try:
                        out[k] = stage(value)
                    except (KeyboardInterrupt, SystemExit, GeneratorExit):
                        raise
                    except BaseException as e:  # (a panic in a Rust library is a BaseException)
                        out[k] = e

        each(lambda t: read_document(t.text, doc_id=t.doc_id, lang=t.lang, published=t.published,
                                     triggers=t.triggers))
        each(self._mentions)
        neighbours = self.gazetteer.neighbours()
        each(lambda found: (found[0], resolve(*found, neighbours=neighbours)))
        each(self._report)
        return out

    def _mentions(self, doc: Document) -> tuple[Document, tuple[Mention, ...]]:
        mentions = self.recognizer.recognize(doc)
        if self.fallback is not None:
            mentions = self.fallback.extend(doc, mentions)
        return doc, mentions

    @staticmethod
    def _report(found: tuple[Document, tuple[Toponym, ...]]) -> Report:
        doc, toponyms = found
        toponyms, incidents = find_incidents(doc, toponyms)
        return Report(document=doc, toponyms=toponyms, incidents=incidents)


class Text(NamedTuple):
    """One text for Pipeline.parse_many: parse()'s arguments."""

    text: str
    doc_id: str = "document"
    lang: str | None = None
    published: date | None = None
    triggers: tuple[tuple[int, int], ...] = ()


_shared: dict[tuple[str | None, str | None], Pipeline] = {}


def shared_pipeline(gazetteer: Path | str | None = None, places: Path | str | None = None) -> Pipeline:
    """The pipeline of this process for a (gazetteer, places) pair, opened the first time."""
    key = (None if gazetteer is None else str(gazetteer), None if places is None else str(places))
    pipeline = _shared.get(key)
    if pipeline is None:
        pipeline = _shared[key] = Pipeline(gazetteer_path=gazetteer, places=places)
    return pipeline
