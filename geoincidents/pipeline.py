"""The whole walk for one text: document -> mentions -> toponyms -> incidents -> Report."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .document import read_document
from .gazetteer import Gazetteer
from .incidents import find_incidents
from .report import Report
from .resolve import resolve
from .toponyms import Recognizer


class Pipeline:
    """Holds what is costly to open (the gazetteer) and parses texts with it."""

    def __init__(self, gazetteer: Gazetteer | None = None, gazetteer_path: Path | str | None = None):
        self.gazetteer = gazetteer or Gazetteer.open(gazetteer_path)
        self.recognizer = Recognizer(self.gazetteer)

    def parse(
        self,
        text: str,
        *,
        doc_id: str = "document",
        lang: str | None = None,
        published: date | None = None,
    ) -> Report:
        doc = read_document(text, doc_id=doc_id, lang=lang, published=published)
        mentions = self.recognizer.recognize(doc)
        toponyms = resolve(doc, mentions)
        toponyms, incidents = find_incidents(doc, toponyms)
        return Report(document=doc, toponyms=toponyms, incidents=incidents)


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default
