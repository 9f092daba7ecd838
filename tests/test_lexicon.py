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
