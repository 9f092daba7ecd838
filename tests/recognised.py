"""What the recogniser finds, for the tests that list the names of a sentence."""
from __future__ import annotations

from geoincidents.document import read_document


def mentions(pipeline, text: str, lang: str = "en") -> list[str]:
    """The texts of the mentions ``pipeline``'s recogniser finds in ``text``, in order."""
    return [m.text for m in pipeline.recognizer.recognize(read_document(text, doc_id="t", lang=lang))]
