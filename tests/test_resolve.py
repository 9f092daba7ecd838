
import numpy as np
import pytest

from geoincidents.resolve import distances_km


def _by_text(report):
    out = {}
    for t in report.toponyms:
        out.setdefault(t.mention.text, t)
    return out


def test_seed_places_resolve_with_context(seed_report):
    got = _by_text(seed_report)
    assert got["Goris"].place.country_code == "AM"  # not Gori, Georgia
    assert got["Goris"].place.geonameid == 174895
    assert got["Jermuk"].place.geonameid == 174884  # not Çermik, Turkey
    assert got["Sotk"].place.geonameid == 616041
    assert got["Novoivanovka"].place.geonameid == 585348  # the Azerbaijani one, not Ukraine's
    assert got["Husulu"].place.geonameid == 148005  # Lachin district, not Ağcabədi
    assert got["Rusia"].place.feature_code.startswith("PCL") and got["Rusia"].place.country_code == "RU"
    assert got["Armenia"].place.feature_code.startswith("PCL")  # not the Colombian city
    assert got["AS"].place.country_code == "US"
    assert got["Moskow"].place.country_code == "RU"


def test_scores_are_probabilities(seed_report):
    for t in seed_report.toponyms:
        assert 0.0 <= t.score <= 1.0


def test_country_context_flips_an_ambiguous_village(pipeline):
    # Without context the many Ukrainian Novoivanovkas win; Azerbaijan in the text moves it.
    alone = pipeline.parse("Shelling hit Novoivanovka on Monday.", lang="en")
    with_context = pipeline.parse(
        "Azerbaijan said shelling hit Novoivanovka in the Gadabay district on Monday.", lang="en"
    )
    a = _by_text(alone)["Novoivanovka"].place
    b = _by_text(with_context)["Novoivanovka"].place
    assert b.geonameid == 585348
    assert a.country_code != "AZ"


def test_distance():
    from geoincidents.types import Place

    paris = Place(1, 1, "Paris", 48.8566, 2.3522, "FR", "P", "PPLC")
    london = Place(2, 2, "London", 51.5074, -0.1278, "GB", "P", "PPLC")
    d = distances_km(np.array([[paris.lat, paris.lon]]), np.array([[london.lat, london.lon]]))[0, 0]
    assert 330 < d < 360


def test_a_country_name_is_the_country_not_its_namesake_division(pipeline):
    report = pipeline.parse(
        "Floods hit Monterrey and Guadalajara; Mexico sent troops, officials in Puebla said.", lang="en"
    )
    (mexico,) = [t for t in report.toponyms if t.mention.text == "Mexico"]
    assert mexico.place.feature_code.startswith("PCL") and mexico.place.country_code == "MX"


def test_airports_are_places_of_their_own(pipeline):
    report = pipeline.parse(
        "Flights were cancelled at London Heathrow Airport after a drone was seen; "
        "later, drones struck Boryspil International Airport near Kyiv.", lang="en"
    )
    got = _by_text(report)
    heathrow = got["London Heathrow Airport"].place
    assert heathrow.feature_code == "AIRP" and heathrow.country_code == "GB"
    boryspil = got["Boryspil International Airport"].place
    assert boryspil.feature_code == "AIRP" and boryspil.country_code == "UA"


def test_a_bare_airport_name_follows_the_document(pipeline):
    report = pipeline.parse("Heathrow was closed on Sunday; trains to central London were full.", lang="en")
    assert _by_text(report)["Heathrow"].place.country_code == "GB"


def test_candidate_features_gives_each_mention_its_own_rows(pipeline):
    from geoincidents.resolve import FEATURES, candidate_features

    doc = pipeline.parse("Paris, Texas and Paris, France; Paris again.", lang="en").document
    mentions = tuple(m for m in pipeline.recognizer.recognize(doc) if m.candidates)
    rows = candidate_features(doc, mentions)
    assert len(rows) == len(mentions)
    for (places, x), m in zip(rows, mentions):
        assert x.shape == (len(places), len(FEATURES)) and len({p.id for p in places}) == len(places)
    arrays = [x for _, x in rows]
    assert len({id(x) for x in arrays}) == len(arrays)  # no two mentions share rows


def test_two_names_that_lie_together_choose_each_other(pipeline):
    # Alone, 'Richmond' is the state capital of Virginia; with a county whose namesakes are
    # spread over many states, the Richmond and the county that lie together are chosen.
    alone = _by_text(pipeline.parse("A Richmond man was arrested on Friday after a crash.", lang="en"))
    assert alone["Richmond"].place.admin1 == "Virginia"
    both = _by_text(pipeline.parse(
        "A Richmond man was arrested on Friday after a crash. He was taken to the Madison County jail.", lang="en"))
    assert both["Richmond"].place.admin1 == "Kentucky"
    assert both["Madison County"].place.admin1 == "Kentucky"


def test_datelines_after_a_headline_or_in_parentheses():
    from geoincidents.document import read_document
    from geoincidents.resolve import _dateline
    from geoincidents.types import Mention

    def dateline(text, name):
        doc = read_document(text, doc_id="d", lang="en")
        start = text.index(name)
        return _dateline(doc, Mention(start, start + len(name), name, name.lower(), 0, ()))

    assert dateline("Council meets on budget. SPRINGFIELD \u2014 The council met on Monday.", "SPRINGFIELD")
    assert dateline("Reporter March 30, 2009 NEWARK -- The board voted.", "NEWARK")
    assert dateline("(NEW YORK) \u2014 Police said on Monday.", "NEW YORK")
    assert dateline("By Jane Doe, Associated Press WASHINGTON (AP) \u2014 Lawmakers voted.", "WASHINGTON")
    assert dateline("BEIRUT: The body of a man was found.", "BEIRUT")
    assert dateline("LONDON The Latest on the vote.", "LONDON")
    assert not dateline("CHECK YOUR TICKETS NEW JERSEY!! One ticket won.", "NEW JERSEY")
    assert not dateline("Police in LONDON said on Monday.", "LONDON")


def test_a_division_named_like_its_countrys_capital_is_the_capital(pipeline):
    got = _by_text(pipeline.parse("WASHINGTON (AP) \u2014 Lawmakers voted on Monday.", lang="en"))
    assert got["WASHINGTON"].place.feature_code == "PPLC"
    got = _by_text(pipeline.parse("The outbreak reached the state of Washington.", lang="en"))
    assert got["Washington"].place.feature_code == "ADM1"  # unless a division noun stands beside it


def test_a_list_of_states_is_not_a_town_qualified_by_a_state(pipeline):
    # 'Paris, Texas' qualifies the town; 'Washington, Oregon and California' lists three states.
    got = _by_text(pipeline.parse("Cases were reported in Washington, Oregon and California.", lang="en"))
    assert [got[n].place.feature_code for n in ("Washington", "Oregon", "California")] == ["ADM1"] * 3
    got = _by_text(pipeline.parse("The fair opened in Paris, Texas on Friday.", lang="en"))
    assert got["Paris"].place.admin1 == "Texas"
    # a country after a division's own name still qualifies it: the Australian state, though the
    # document is Canadian (Queensland is also a hamlet of Alberta)
    text = "The Calgary club's new coach grew up in Queensland, Australia, and swam in Edmonton."
    got = _by_text(pipeline.parse(text, lang="en"))
    assert got["Queensland"].place.country_code == "AU" and got["Queensland"].place.feature_code == "ADM1"


def test_the_texts_words_are_asked_as_fold_reads_them():
    # _Text folds an ASCII-worded text bytes at a time, and asks a set of its words first:
    # the answers must be those of f" {fold(name)} " in f" {fold(text)} ".
    from types import SimpleNamespace

    from geoincidents.names import fold
    from geoincidents.resolve import _ascii_words, _Text

    texts = ["Shelling hit Novoivanovka \u2014 \u201cthe village\u201d, officials said.", "\u0130stanbul ve Ankara",
             "G\u0259d\u0259b\u0259y rayonu", "K-9 units, \u00bd of them", "", "  --  ", "S\u00e3o Paulo's mayor",
             "a\u00a0b\tc\nd", "\u24b6bc DEF", "New York-based", "Washington State Patrol"]
    names = ["Ankara", "S\u00e3o Paulo", "Sao Paulo", "village", "the village", "village officials", "k 9", "bc def",
             "Gadabay", "a b c d", "b c", "New York", "York based", "Washington State", "State", "Patrol Washington", ""]
    for text in texts:
        words = _ascii_words(text)
        if words is not None:
            assert " ".join(words) == fold(text)
        asked = _Text(SimpleNamespace(text=text))
        for name in names:
            assert asked.names(fold(name)) == (f" {fold(name)} " in f" {fold(text)} "), (text, name)
    assert _ascii_words("G\u0259d\u0259b\u0259y rayonu") is None  # a letter outside ASCII: fold reads it


def test_families_are_the_keys_that_begin_one_another():
    from geoincidents.resolve import _families, _same_family

    keys = ["dublin", "dublin city", "dublin city council", "city", "new york", "new", "york", "newark", "new york city"]
    family = _families(keys)
    assert all(family[i][j] == _same_family(a, b) for i, a in enumerate(keys) for j, b in enumerate(keys))


def test_scores_are_the_rankers_probabilities_of_the_final_rows(pipeline):
    # resolve() reuses the last round's scores and gives a name with one place 1.0 without
    # rows: the same as scoring candidate_features' rows.
    from geoincidents.resolve import candidate_features, resolve, weights

    doc = pipeline.parse("A Richmond man was arrested on Friday after a crash in Paris, Texas. He was taken to "
                         "the Madison County jail; Washington, Oregon and California sent help.", lang="en").document
    mentions = pipeline.recognizer.recognize(doc)
    known = tuple(m for m in mentions if m.candidates)
    placed = {id(t.mention): t for t in resolve(doc, mentions)}
    w = weights()
    assert len(known) > 5
    for m, (places, x) in zip(known, candidate_features(doc, known)):
        s = x @ w
        best = int(np.argmax(s))
        assert placed[id(m)].place == places[best]
        assert placed[id(m)].score == round(1.0 / float(np.exp(s - s[best]).sum()), 3)


def test_canadian_province_abbreviations_after_a_town(pipeline):
    """Canadian Press abbreviations ('Que.', 'Ont.', 'B.C.') after a town name the province, not a
    town called 'Que', and qualify the town before them."""
    report = pipeline.parse("Police in Kingston, Ont. and in Laval, Que. made arrests, as did officers "
                            "in Nanaimo, B.C. on Sunday.", lang="en")
    got = _by_text(report)
    for abbr, province in (("Ont.", "08"), ("Que.", "10"), ("B.C.", "02")):
        assert got[abbr].place.country_code == "CA" and got[abbr].place.feature_code == "ADM1", abbr
        assert got[abbr].place.admin1_code == province
    assert got["Kingston"].place.country_code == "CA"
    # not after a town: no abbreviation; 'Man' stays a word
    assert not pipeline.parse("In 300 B.C. the city was founded.", lang="en").toponyms
    assert not pipeline.parse("Man charged after crash. The man was held.", lang="en").toponyms
    # 'Man.' after a town is Manitoba, which qualifies the town
    got = _by_text(pipeline.parse("The baby was born in Churchill, Man. last spring, where her father "
                                  "works as a doctor.", lang="en"))
    assert got["Man."].place.admin1_code == "03" and got["Man."].place.country_code == "CA"
    assert got["Churchill"].place.country_code == "CA"


def test_a_name_written_as_an_abbreviation_keeps_only_the_abbreviations_places(pipeline):
    from geoincidents.document import read_document

    mentions = pipeline.recognizer.recognize(read_document("The storm hit Laval, Que. on Monday.", lang="en"))
    que = next(m for m in mentions if m.text == "Que.")
    # the name 'Que' has other places (Quế in Vietnam); written 'Que.' after a town, only Quebec's
    assert any(c.name_kind != "abbrev" for c in pipeline.gazetteer.candidates("que"))
    assert que.candidates and all(c.name_kind == "abbrev" for c in que.candidates)
    # a name not written as an abbreviation keeps all its places
    laval = next(m for m in mentions if m.text == "Laval")
    assert len(laval.candidates) > 1 and all(c.name_kind != "abbrev" for c in laval.candidates)


def test_a_division_is_at_no_distance_from_the_places_in_it(pipeline):
    """'Quebec' beside 'Montreal' and 'Laval': the province holds them (its point lies some 700 km
    away), so its proximity features are those of a place at 0 km; Quebec City's are not."""
    from geoincidents.resolve import FEATURES, candidate_features

    doc = pipeline.parse("Police in Quebec said Montreal and Laval would get new cameras.", lang="en").document
    mentions = tuple(m for m in pipeline.recognizer.recognize(doc) if m.candidates)
    rows = dict(zip([m.text for m in mentions], candidate_features(doc, mentions)))
    places, x = rows["Quebec"]
    near = FEATURES.index("near_local")
    province = next(k for k, p in enumerate(places) if p.feature_code == "ADM1")
    city = next(k for k, p in enumerate(places) if p.feature_code == "PPLA")
    assert x[province, near] == 1.0
    assert x[city, near] < 0.1  # some 230 km from Montreal


def _rows(pipeline, text):
    """Each recognised name's (places, feature rows), by the name as written."""
    from geoincidents.document import read_document
    from geoincidents.resolve import candidate_features

    doc = read_document(text, lang="en")
    mentions = tuple(m for m in pipeline.recognizer.recognize(doc) if m.candidates)
    return dict(zip([m.text for m in mentions], candidate_features(doc, mentions)))


def test_words_beside_a_name_say_whether_it_is_a_town_or_a_state(pipeline):
    """'the Athens City Council', 'a Columbia woman', 'the city of Athens' mark the towns among a
    name's candidates ('town_cue'); 'New York Gov.' and 'upstate New York' its divisions
    ('division_cue'). A word of the next sentence does not count."""
    from geoincidents.resolve import FEATURES

    town, division = FEATURES.index("town_cue"), FEATURES.index("division_cue")
    for text, name in (("The Athens City Council met on Monday.", "Athens"),
                       ("A Columbia woman was charged on Friday.", "Columbia"),
                       ("Officials in the city of Athens agreed.", "Athens")):
        places, x = _rows(pipeline, text)[name]
        assert x[:, town].any(), text
        assert all(x[k, town] == float(p.feature_class == "P") for k, p in enumerate(places)), text
        assert not x[:, division].any(), text
    for text in ("New York Gov. Kathy Hochul signed the bill.", "Floods hit upstate New York on Monday."):
        places, x = _rows(pipeline, text)["New York"]
        state = next(k for k, p in enumerate(places) if p.feature_code == "ADM1")
        assert x[state, division] == 1.0 and not x[:, town].any(), text
        assert all(x[k, division] == 0.0 for k, p in enumerate(places) if p.feature_class == "P"), text
    places, x = _rows(pipeline, "The parade went through Athens. Police closed the roads.")["Athens"]
    assert not x[:, town].any()


def test_telephone_numbers_say_which_country_the_document_is_from(pipeline):
    """A number written as the North American plan writes it marks the candidates in its
    countries: Canada's by a Canadian area code, the United States' by another; a toll-free
    number is neither's."""
    from geoincidents.resolve import FEATURES, _telephone_countries

    phone = FEATURES.index("telephone_country")
    assert _telephone_countries("Call London police at 519-661-5670.") == {"CA"}
    assert "US" in _telephone_countries("Call (952) 873-6325 for tickets.") - {"CA"}
    assert not _telephone_countries("Call 1-800-222-8477 or 888-555-0100, ISBN 978-3-16-148410-0, in 2003-2004.")
    for text, country in (("The London event drew hundreds. Call 519-661-5670 for details.", "CA"),
                          ("The London event drew hundreds. Call 606-661-5670 for details.", "US")):
        places, x = _rows(pipeline, text)["London"]
        assert {p.country_code for k, p in enumerate(places) if x[k, phone]} == {country}, text
    places, x = _rows(pipeline, "The London event drew hundreds on Sunday.")["London"]
    assert not x[:, phone].any()


def test_names_that_lie_together_choose_each_other_as_a_set(pipeline):
    # Each of the three names has namesakes in Iowa and in Texas, and the nearest other name
    # lies close in both; only in Iowa do all three lie together ('pair_share').
    from geoincidents import resolve

    text = "Crews from Mount Pleasant helped. Storms knocked out power in Winfield and in New London."
    doc = pipeline.parse(text, lang="en").document
    mentions = pipeline.recognizer.recognize(doc)
    w = resolve.weights()
    assert {t.place.admin1 for t in resolve.resolve(doc, mentions, w)} == {"Iowa"}
    alone = w.copy()
    alone[resolve.FEATURES.index("pair_share")] = 0.0  # the nearest other name only
    assert {t.place.admin1 for t in resolve.resolve(doc, mentions, alone)} != {"Iowa"}


def test_a_division_named_by_an_alternate_name_only_is_marked(pipeline):
    # 'Oxford' is an alternate name of Oxford County (Maine), the own name of towns.
    from geoincidents.names import fold
    from geoincidents.resolve import FEATURES, static_features

    at = FEATURES.index("alternate_division")
    marked = {(c.place.feature_code, c.name_kind, c.place.name): static_features(c)[at]
              for c in pipeline.gazetteer.candidates(fold("Oxford"))}
    assert any(v == 1.0 and code == "ADM2" for (code, kind, _), v in marked.items())
    assert all(v == 0.0 for (code, kind, _), v in marked.items() if kind != "alternate" or code.startswith("PPL"))
    # 'Columbia' alone is the towns' name, not the District of Columbia's (gazetteer/extra_names.csv)
    assert all(c.place.feature_code != "ADM1" for c in pipeline.gazetteer.candidates(fold("Columbia")))


def test_the_white_house_is_the_presidents_house(pipeline):
    # a landmark of gazetteer/curated.csv, not the towns of Tennessee or Maryland named White House
    got = _by_text(pipeline.parse("Reporters waited outside the White House for the president's answer.", lang="en"))
    place = got["White House"].place
    assert place.admin1_code == "DC" and distances_km(np.array([[place.lat, place.lon]]),
                                                      np.array([[38.8977, -77.0365]]))[0, 0] < 1


def test_seas_rivers_straits_and_lakes_are_places_of_their_own(pipeline):
    # Without them the words inside the names went to unrelated towns: 'Bay' in Somalia,
    # 'Victoria' in Hong Kong, 'Hormuz' in Iran, the Canadian village of Ganges.
    report = pipeline.parse(
        "Tankers were attacked in the Strait of Hormuz and the Gulf of Aden, cyclones crossed the "
        "Bay of Bengal, fishermen drowned on Lake Victoria and floods rose along the Ganges.",
        lang="en",
    )
    got = _by_text(report)
    assert got["Strait of Hormuz"].place.feature_code == "STRT"
    assert got["Gulf of Aden"].place.feature_code == "GULF"
    assert got["Bay of Bengal"].place.feature_code == "BAY"
    assert got["Lake Victoria"].place.feature_code == "LK"
    assert got["Ganges"].place.feature_code == "STM"
    assert not {"Bay", "Victoria", "Hormuz", "Aden"} & set(got)


def test_a_river_in_another_language_is_the_river(pipeline):
    report = pipeline.parse("Бои шли на берегу Евфрата, к востоку от Дейр-эз-Зора.", lang="ru")
    river = _by_text(report)["Евфрата"].place
    assert river.name == "Euphrates" and river.feature_code == "STM"


def test_european_and_kurdish_are_europe_and_kurdistan_not_inside_union_names(pipeline):
    report = pipeline.parse(
        "Kurdish fighters said European governments and the European Union had ignored them.", lang="en"
    )
    got = {t.mention.text: t.place for t in report.toponyms}
    assert got["Kurdish"].name == "Kurdistan"
    assert got["European"].feature_code == "CONT" and got["European"].name == "Europe"
    assert got["European Union"].name == "European Union"  # the longer name is read whole


def test_regions_by_their_short_names_and_adjectives(pipeline):
    report = pipeline.parse(
        "Central American migrants, South East Asian traders and envoys from North Africa and "
        "Central Africa met in the capital.", lang="en"
    )
    got = {t.mention.text: t.place for t in report.toponyms}
    assert got["Central American"].name == "Central America"  # not 'American', the United States
    assert got["South East Asian"].name == "Southeast Asia"  # not South-East District, Botswana
    assert got["North Africa"].name == "Northern Africa"  # not the whole continent
    assert got["Central Africa"].name == "Middle Africa"  # not the Central African Republic
    assert all(p.feature_code == "RGN" for p in got.values())


def test_the_gulf_is_the_persian_gulf_and_the_gulf_coast_is_american(pipeline):
    gulf = _by_text(pipeline.parse("Tensions rose in the Gulf after a tanker was seized.", lang="en"))["Gulf"]
    assert gulf.place.name == "Persian Gulf"  # not Gulf Province, Papua New Guinea
    coast = _by_text(pipeline.parse("The hurricane hit the Gulf Coast on Monday.", lang="en"))["Gulf Coast"]
    assert coast.place.country_code == "US" and coast.place.feature_code == "RGN"


def test_a_division_named_like_a_city_of_a_million_is_the_city_unless_beside_a_division_word(pipeline):
    """'New York' alone is the city (a division named like a city of a million in it weighs as
    one named like its seat: 'seat_division'); 'New York state', 'New York Gov.' are the state."""
    from geoincidents.resolve import FEATURES

    seat = FEATURES.index("seat_division")
    places, x = _rows(pipeline, "The mayor of New York said the subway would reopen.")["New York"]
    marked = {p.feature_code for k, p in enumerate(places) if x[k, seat]}
    assert marked == {"ADM1"} and any(p.feature_code == "ADM1" and p.admin1 == "New York" for p in places)
    for text in ("Floods hit New York state on Monday.", "New York Gov. Kathy Hochul signed the bill."):
        places, x = _rows(pipeline, text)["New York"]
        assert not x[:, seat].any(), text
    got = _by_text(pipeline.parse("The mayor of New York said the subway would reopen on Monday.", lang="en"))
    assert got["New York"].place.feature_class == "P"


def test_a_division_after_a_town_and_a_comma_qualifies_it(pipeline):
    """'Buffalo, New York': the name after the comma is the division the town lies in ('qualifies')."""
    from geoincidents.resolve import FEATURES

    col = FEATURES.index("qualifies")
    places, x = _rows(pipeline, "Talks were held in Buffalo, New York on Monday.")["New York"]
    assert {p.feature_code for k, p in enumerate(places) if x[k, col]} == {"ADM1"}
    got = _by_text(pipeline.parse("Talks were held in Buffalo, New York on Monday.", lang="en"))
    assert got["New York"].place.feature_code == "ADM1"
    places, x = _rows(pipeline, "The mayor of New York said the subway would reopen.")["New York"]
    assert not x[:, col].any()


def test_a_name_of_another_language_weighs_as_foreign(pipeline):
    """'Granada' is Grenada's name in Spanish and Portuguese, not in English: in English text that
    candidate is 'foreign'; the towns named so in English (Granada, Spain, and its namesakes) are not."""
    from geoincidents.names import fold
    from geoincidents.resolve import FEATURES

    found = pipeline.gazetteer.candidates(fold("Granada"), "en")
    assert [c.place.country_code for c in found if c.foreign] == ["GD"]
    assert not any(c.foreign for c in pipeline.gazetteer.candidates(fold("Granada")))  # no language given
    assert not any(c.foreign for c in pipeline.gazetteer.candidates(fold("Granada"), "es"))
    col = FEATURES.index("foreign_name")
    places, x = _rows(pipeline, "Granada will have to pay the firm for the hotel, a judge ruled.")["Granada"]
    assert {p.country_code for k, p in enumerate(places) if x[k, col]} == {"GD"}


def test_a_name_beside_a_country_weighs_the_countries_it_borders(pipeline):
    # 'neighbour_named': the candidates in a country that borders a country the text names
    from geoincidents.resolve import FEATURES, candidate_features

    assert {"IL", "EG", "JO"} <= pipeline.gazetteer.neighbours()["PS"]
    doc = pipeline.parse("Israel bombed Gaza on Monday.", lang="en").document
    mentions = tuple(m for m in pipeline.recognizer.recognize(doc) if m.candidates)
    column = FEATURES.index("neighbour_named")

    def by_country(neighbours):
        (places, x), = [r for m, r in zip(mentions, candidate_features(doc, mentions, neighbours=neighbours))
                        if m.text == "Gaza"]
        return {(p.country_code, p.feature_code): x[k, column] for k, p in enumerate(places)}

    with_them = by_country(pipeline.gazetteer.neighbours())
    assert with_them[("PS", "PPLA")] == 1.0 and with_them[("MZ", "ADM1")] == 0.0
    assert set(by_country(None).values()) == {0.0}  # no neighbours given: no such evidence


@pytest.mark.parametrize("text, country", [
    # a country's name in a language the tool reads none of is no name of it here when a town
    # bears it (gazetteer/build.py drop_town_names_of_countries): 'Poole' is Poland in Swiss
    # German, 'Palu' Palau in Songhay, 'Marawi' Malawi in Maori
    ("A fire broke out in Poole on Friday.", "GB"),
    ("A tsunami struck Palu on Friday.", "ID"),
    ("Troops retook Marawi on Friday.", "PH"),  # 'Marawi' Malawi in Maori, Nheengatu...
])
def test_a_town_is_not_a_country_named_like_it_in_another_language(pipeline, text, country):
    assert [t.place.country_code for t in pipeline.parse(text, lang="en").toponyms] == [country]
