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
) -> Report:
    """Parse one text with the bundled gazetteer. ``published`` may be a date or 'YYYY-MM-DD'."""
    from .pipeline import default_pipeline

    if isinstance(published, str):
        published = date.fromisoformat(published)
    return default_pipeline().parse(text, doc_id=doc_id, lang=lang, published=published)
