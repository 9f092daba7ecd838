"""The whole walk for one text: document -> mentions -> toponyms -> incidents -> Report."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .document import read_document
from .gazetteer import Gazetteer, LayeredGazetteer, open_gazetteer
from .incidents import find_incidents
from .report import Report
from .resolve import resolve
from .toponyms import Recognizer


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
        doc = read_document(text, doc_id=doc_id, lang=lang, published=published, triggers=triggers)
        mentions = self.recognizer.recognize(doc)
        if self.fallback is not None:
            mentions = self.fallback.extend(doc, mentions)
        toponyms = resolve(doc, mentions)
        toponyms, incidents = find_incidents(doc, toponyms)
        return Report(document=doc, toponyms=toponyms, incidents=incidents)


_shared: dict[tuple[str | None, str | None], Pipeline] = {}


def shared_pipeline(gazetteer: Path | str | None = None, places: Path | str | None = None) -> Pipeline:
    """The pipeline of this process for a (gazetteer, places) pair, opened the first time."""
    key = (None if gazetteer is None else str(gazetteer), None if places is None else str(places))
    pipeline = _shared.get(key)
    if pipeline is None:
        pipeline = _shared[key] = Pipeline(gazetteer_path=gazetteer, places=places)
    return pipeline
