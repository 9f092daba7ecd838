"""Names the gazetteer lacks that the words around them show to be places (issue 4): Arabic-article
names, facilities and landmarks, lists. Sentences written for the tests."""
import pytest


def _mentions(pipeline, text, lang="en"):
    from geoincidents.document import read_document

    return [m.text for m in pipeline.recognizer.recognize(read_document(text, doc_id="t", lang=lang))]


@pytest.mark.parametrize("text, names", [
    # an Arabic article joined to a rare name is no common word of English ('Al' as in Al Gore)
    ("Government troops stormed Al-Qorvatiyah on Monday.", {"Al-Qorvatiyah"}),
])
def test_unknown_places_recognised(pipeline, text, names):
    assert names <= set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, not_places", [
    # the names of armed groups begin with their own words
    ("Troops stormed the positions of Jaysh Al-Qorvatiyah near Aleppo.", {"Jaysh Al-Qorvatiyah", "Al-Qorvatiyah"}),
    ("Fighters from Aleppo and Harakat Nouriddeen Al-Zelmiri advanced.", {"Harakat Nouriddeen Al-Zelmiri"}),
])
def test_no_unknown_place(pipeline, text, not_places):
    assert not not_places & set(_mentions(pipeline, text))
