"""geoincidents: news reports of incidents, in any language, to cited maps.

    >>> import geoincidents
    >>> report = geoincidents.parse(text, lang="id", published="2022-09-13")
    >>> report.to_map().save("map.html"); report.to_dataframe()
"""
from __future__ import annotations

from datetime import date

from .report import Report
from .types import Document, Incident, MapPoint, Mention, Place, Sentence, Toponym

__all__ = ["parse", "Report", "Document", "Incident", "MapPoint", "Mention", "Place", "Sentence", "Toponym"]
__version__ = "0.1.0"


def parse(
    text: str,
    lang: str | None = None,
    published: date | str | None = None,
    *,
    doc_id: str = "document",
    gazetteer=None,
    places=None,
    triggers=(),
) -> Report:
    """Parse one text. ``published`` may be a date or 'YYYY-MM-DD'; ``triggers``, event words
    given with the text ((start, end) pairs or {"start", "end"} dicts): each is an event, and
    only they are (ValueError names a bad one).

    ``gazetteer``: a gazetteer file of your own (``geoincidents gazetteer build``), merged with
    the bundled one, yours winning; ``places``: a CSV file of custom places. Pipelines are kept
    per (gazetteer, places), so repeated calls open them once.
    """
    from .pipeline import shared_pipeline

    if isinstance(published, str):
        published = date.fromisoformat(published)
    return shared_pipeline(gazetteer, places).parse(text, doc_id=doc_id, lang=lang, published=published,
                                                   triggers=triggers)
