"""The recogniser's shortcuts give what the plain tests they stand for give."""
from geoincidents import lexicon
from geoincidents.document import read_document
from geoincidents.toponyms import (
    _TRAITS,
    Recognizer,
    _any_area,
    _capitalised,
    _is_major,
    _upper,
)


def test_candidate_traits_are_those_of_the_candidates(pipeline):
    recognizer = Recognizer(pipeline.gazetteer)
    doc = read_document("Storms hit Georgia and Paris on Monday.", lang="en")
    for key in ("georgia", "paris", "media", "springfield", "qxzqv"):
        candidates = recognizer._candidates(doc, key)
        expected = (_any_area(candidates), any(map(_is_major, candidates)),
                    all(c.name_kind == "alternate" for c in candidates))
        assert _TRAITS.of(candidates) == expected
        assert _TRAITS.of(tuple(candidates[:1])) == (  # another tuple: its own entry
            _any_area(candidates[:1]), any(map(_is_major, candidates[:1])),
            all(c.name_kind == "alternate" for c in candidates[:1]))
    assert _TRAITS.of(recognizer._candidates(doc, "georgia"))[0]  # the country is an area


def test_capitalised_words_of_ascii_and_other_sentences():
    lex = lexicon.get("en")
    for text in ("Police in Springfield said 3 men, aged 20, fled toward iPhone Street.",
                 "Élodie Dupont left Évry for Zürich; ÉTAT d'urgence, ßtraße and Çanakkale.",
                 "Мэр Харькова сказал, что Kharkiv sirens sounded."):
        doc = read_document(text, lang="en")
        for index, sentence in enumerate(doc.sentences):
            s = Recognizer._words(lex, index, sentence)
            assert s.capital == [_capitalised(w) for w in s.surfaces]
            assert s.upper == [_upper(w) for w in s.surfaces]


def test_prefetched_answers_are_those_of_candidates(pipeline):
    """_prefetch remembers that the keys the gazetteer lacks, with no other way of being written,
    name nothing: every answer it left is what _candidates finds for the key afresh, and keys
    with another way of being written ('Mt. Pleasant', 'Dublin City') are left to _candidates."""
    text = ("Flooding closed roads from Mt. Pleasant to Dublin City Council offices, Qxzqv Brook "
            "Officials said. Mayor Bob Welch toured Springfield and Zorblax Heights with Gov. Ann Lee.")
    doc = read_document(text, lang="en")
    recognizer = Recognizer(pipeline.gazetteer)
    lex = lexicon.get("en")
    sentences = [Recognizer._words(lex, i, s) for i, s in enumerate(doc.sentences)]
    recognizer._prefetch(doc, sentences)
    remembered = dict(recognizer._merged)
    assert ("zorblax heights", "en") in remembered  # a key it lacks, asked by no one yet
    assert ("mt pleasant", "en") not in remembered and ("dublin city", "en") not in remembered
    fresh = Recognizer(pipeline.gazetteer)
    for (key, lang), found in remembered.items():
        assert found == fresh._candidates(doc, key) == (), key
    assert recognizer.recognize(doc) == fresh.recognize(doc)
