"""Cue sets of the language lexicons."""


def test_the_word_past_a_connector():
    from geoincidents import lexicon

    connectors = lexicon.get("en").connectors
    keys = "shelled goris sotk as well as jermuk and".split()
    assert connectors.past(keys, 3, 1) == 6  # 'as well as' begins at word 3: 'jermuk' is past it
    assert connectors.past(keys, 5, -1) == 2  # ... and ends at word 5: 'sotk' before it
    assert connectors.past(keys, 1, 1) is None  # no connector at 'goris'
    # nothing outside the sentence: not the last word's 'and' for word -1
    assert connectors.past(keys, -1, -1) is None and connectors.past(keys, len(keys), 1) is None


def test_name_lists_are_stored_folded():
    # read as they are, not folded at every start: a name written otherwise would never match
    from importlib import resources

    from geoincidents import lexicon
    from geoincidents.names import fold

    for name, names in (("given_names", lexicon.given_names()), ("surnames", lexicon.surnames())):
        text = (resources.files("geoincidents") / "data" / "names" / f"{name}.txt").read_text(encoding="utf-8")
        listed = [n for n in text.splitlines() if n and not n.startswith("#")]
        assert len(names) > 1000 and names == frozenset(listed)
        assert [n for n in listed if fold(n) != n] == []
    assert {"david", "mary"} <= lexicon.given_names() and "taylor" in lexicon.surnames()
