import pytest

from geoincidents.document import detect_language, read_document, split_sentences


def test_offsets_slice_the_text(seed_text):
    doc = read_document(seed_text, lang="id")
    assert doc.sentences
    for s in doc.sentences:
        assert seed_text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_seed_boilerplate_lines_are_marked(seed_text):
    doc = read_document(seed_text, lang="id")
    boiler = [s.text for s in doc.sentences if s.boilerplate]
    assert any(b.startswith("Baca juga : 12.000 tentara") for b in boiler)
    assert any(b.startswith("Baca juga : reaksi") for b in boiler)
    assert any(b.startswith("0 Response to") for b in boiler)
    assert "Post a Comment" in boiler
    assert len(boiler) == 4
    # the article's own sentences are not boilerplate
    assert not any("Goris" in b for b in boiler)


def test_boilerplate_in_other_languages():
    text = "Shelling hit the town on Monday.\nRead also: Floods in Kharkiv\nLeave a comment\n"
    doc = read_document(text, lang="en")
    flags = {s.text: s.boilerplate for s in doc.sentences}
    assert flags["Shelling hit the town on Monday."] is False
    assert flags["Read also: Floods in Kharkiv"] is True
    assert flags["Leave a comment"] is True


def test_language_detection():
    assert detect_language(open(__file__.replace("test_document.py", "../examples/armenia-azerbaijan-2022-09-13.id.txt")).read()) in ("id", "ms")
    assert detect_language("Artillery shelled the town of Kupiansk on Monday, officials said.") == "en"
    assert detect_language("В понедельник обстрелу подвергся Харьков, сообщили власти.") == "ru"


def test_language_features_counted_at_once_as_py3langid_counts_them(seed_text):
    """The numpy walk of the language model gives py3langid's own scores, and is the one used."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    from geoincidents._langid import WalkIdentifier
    from geoincidents.document import _language_identifier

    identifier = _language_identifier()
    if not isinstance(identifier, WalkIdentifier):
        pytest.skip("the model cache could not be written: py3langid walks its model itself")
    texts = [seed_text, "Artillery shelled the town of Kupiansk on Monday, officials said.",
             "В понедельник обстрелу подвергся Харьков.", "東京で地震があった。", "x" * 5000]
    for text in texts:
        data = identifier._encode(text)
        assert identifier._visits(data) is not None  # not py3langid's own walk
        assert np.array_equal(identifier._raw_score(data), LanguageIdentifier._raw_score(identifier, data))


def test_cached_model_scores_as_py3langid_own_model(seed_text):
    """The cached tables (the probability table widened to float32 once, the others mapped as
    numpy arrays) score texts to the very floats py3langid's own model gives."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier, _load_identifier

    from geoincidents._langid import WalkIdentifier
    from geoincidents.document import _language_identifier

    identifier = _language_identifier()
    if not isinstance(identifier, WalkIdentifier):
        pytest.skip("the model cache could not be written: py3langid walks its model itself")
    own = _load_identifier()  # py3langid's model, unpacked from its own file
    assert not isinstance(own, WalkIdentifier)
    for text in [seed_text, "Artillery shelled the town of Kupiansk on Monday, officials said.",
                 "В понедельник обстрелу подвергся Харьков.", "東京で地震があった。", "x" * 5000]:
        data = identifier._encode(text)
        assert np.array_equal(identifier._raw_score(data), LanguageIdentifier._raw_score(own, data))
        assert identifier.classify(text) == own.classify(text)


def test_sentence_split_english():
    text = "Mr. Smith went to Washington. He arrived on Monday!\nSecond paragraph here."
    sents = split_sentences(text, "en")
    assert [s.text for s in sents] == ["Mr. Smith went to Washington.", "He arrived on Monday!", "Second paragraph here."]


def test_headline(seed_text):
    doc = read_document(seed_text, lang="id")
    assert doc.title.startswith("Rusia mengklaim gencatan senjata dicapai")
    assert read_document("Shelling hit the town. More text.", lang="en").title is None


def test_related_articles_block_is_boilerplate():
    text = (
        "Shelling hit the town of Kupiansk on Monday, officials said.\n"
        "Read also:\n"
        "Floods kill 12 in Kharkiv region\n"
        "Explosion at a depot near Odesa\n"
        "The governor said repairs would begin on Tuesday.\n"
    )
    doc = read_document(text, lang="en")
    flags = {s.text: s.boilerplate for s in doc.sentences}
    assert flags["Read also:"] and flags["Floods kill 12 in Kharkiv region"]
    assert flags["Explosion at a depot near Odesa"]
    assert not flags["The governor said repairs would begin on Tuesday."]
    assert not flags["Shelling hit the town of Kupiansk on Monday, officials said."]


def test_one_boilerplate_pattern_matches_where_one_of_the_patterns_does():
    from geoincidents import lexicon

    lines = ["Read also: Floods in Kharkiv", "  READ MORE", "Baca juga : 12.000 tentara", "0 Response to x",
             "Post a Comment", "Post a comment below, please", "Читайте также: обстрел", "Related news:",
             "Also on the web: ", "More on this story", "Shelling hit the town on Monday.", "",
             "   ", "Share", "Share this", "© 2022 Kompas", "Copyrighted photo", "Lire aussi", "lire",
             "Editor: Budi", "editorial", "اقرأ أيضا", "Advertisement", "Advertisement of the year"]
    one = lexicon.boilerplate_line()
    for line in lines:
        assert (one.search(line) is not None) == any(p.search(line) for p in lexicon.boilerplate_patterns()), line


def test_patterns_that_cannot_share_the_anchor_stay_whole(monkeypatch):
    import re

    from geoincidents import lexicon

    pats = (re.compile(r"^\s*read also\b", re.I), re.compile(r"^\s*foo|bar$", re.I), re.compile(r"^\s*[|]x", re.I))
    monkeypatch.setattr(lexicon, "boilerplate_patterns", lambda: pats)
    one = lexicon.boilerplate_line.__wrapped__()
    for line in ["Read also: x", "  foo", "the bar", "bar x", "|x", "x|x", "foo|bar"]:
        assert (one.search(line) is not None) == any(p.search(line) for p in pats), line
    # a back-reference would point at another group in one pattern: the patterns are asked one by one
    monkeypatch.setattr(lexicon, "boilerplate_patterns", lambda: pats + (re.compile(r"^\s*(a)\1", re.I),))
    assert lexicon.boilerplate_line.__wrapped__() is None
