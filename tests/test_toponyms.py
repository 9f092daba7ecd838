import pytest

from geoincidents.document import read_document
from geoincidents.toponyms import Recognizer
from recognised import mentions as _mentions  # tests/recognised.py


def _found(pipeline, text, lang):
    doc = read_document(text, lang=lang)
    return [(m.text, m.start, m.end) for m in Recognizer(pipeline.gazetteer).recognize(doc)]


def test_offsets_and_multiword(pipeline, seed_text):
    doc = read_document(seed_text, lang="id")
    mentions = Recognizer(pipeline.gazetteer).recognize(doc)
    assert mentions
    for m in mentions:
        assert seed_text[m.start : m.end] == m.text
    texts = {m.text for m in mentions}
    assert {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu", "Gadabay", "Lachin"} <= texts
    assert {"Amerika Serikat", "Nagorno-Karabakh", "Eropa Timur", "Asia Barat", "Uni Soviet"} <= texts


def test_people_and_common_words_are_not_places(pipeline, seed_text):
    doc = read_document(seed_text, lang="id")
    texts = {m.text for m in Recognizer(pipeline.gazetteer).recognize(doc)}
    for not_place in ("Putin", "Vladimir", "Antony", "Blinken", "Nikol", "Pashinyan", "Media", "Post", "Reuters", "Selasa", "Senin"):
        assert not_place not in texts


def test_boilerplate_gives_no_places(pipeline):
    text = "Banjir melanda Jakarta pada hari Senin.\nBaca juga : Gempa di Surabaya\n"
    found = _found(pipeline, text, "id")
    assert ("Jakarta", 15, 22) in found
    assert not any(t == "Surabaya" for t, _, _ in found)


def test_abbreviation_only_in_capitals_and_its_language(pipeline):
    found_id = [t for t, _, _ in _found(pipeline, "Menteri Luar Negeri AS tiba di Jakarta.", "id")]
    assert "AS" in found_id
    found_en = [t for t, _, _ in _found(pipeline, "As the AS team played in Paris, fans cheered.", "en")]
    assert "AS" not in found_en and "As" not in found_en
    assert "Paris" in found_en


def test_case_and_diacritic_folding(pipeline):
    found = [t for t, _, _ in _found(pipeline, "Clashes were reported near GƏDƏBƏY and in Gədəbəy.", "en")]
    assert found.count("GƏDƏBƏY") == 1 and found.count("Gədəbəy") == 1


def test_other_scripts(pipeline):
    assert "Москва" in [t for t, _, _ in _found(pipeline, "Вчера Москва объявила о перемирии.", "ru")]
    assert "بيروت" in [t for t, _, _ in _found(pipeline, "وقع انفجار في بيروت يوم الاثنين", "ar")]


def test_demonyms_are_their_country(pipeline):
    report = pipeline.parse("Russian troops and American diplomats met Palestinians in Cairo.", lang="en")
    got = {t.mention.text: t.place for t in report.toponyms}
    assert got["Russian"].country_code == "RU" and got["Russian"].feature_code.startswith("PCL")
    assert got["American"].country_code == "US"
    assert got["Palestinians"].country_code == "PS"


def test_state_abbreviations_only_after_a_city(pipeline):
    found = _found(pipeline, "The fire in Gainesville, Ga. spread. Ga is not a word here, nor IN.", "en")
    texts = [t for t, _, _ in found]
    assert "Ga." in texts  # the abbreviation's own full stop is part of the name
    assert "Ga" not in texts and "IN" not in texts
    report = pipeline.parse("A tornado hit Gainesville, Ga., on Monday.", lang="en")
    (gainesville,) = [t for t in report.toponyms if t.mention.text == "Gainesville"]
    assert gainesville.place.admin1_code == "GA"  # the state decides between Florida's and Georgia's


def test_people_named_like_towns(pipeline):
    text = (
        "Sheriff Bob Welch said deputies arrived at 9 p.m. David Taylor, 34, was arrested. "
        "Welch said Taylor had been drinking in Fargo."
    )
    texts = [t for t, _, _ in _found(pipeline, text, "en")]
    assert "Fargo" in texts
    for person in ("Welch", "Taylor", "David", "Bob"):
        assert person not in texts


def test_organisations_keep_their_place(pipeline):
    texts = [t for t, _, _ in _found(pipeline, "The Ohio Senate voted on Monday, and Fargo Mayor Dennis Walaker met officials in Madison County.", "en")]
    assert "Ohio" in texts and "Fargo" in texts and "Madison County" in texts


def test_compass_words_alone_are_not_places(pipeline):
    texts = [t for t, _, _ in _found(pipeline, "Officials said the West and Central offices in Boston stay open.", "en")]
    assert "West" not in texts and "Central" not in texts and "Boston" in texts


def _places(pipeline, text, lang):
    return [(t.mention.text, t.place.name) for t in pipeline.parse(text, lang=lang).toponyms]


def test_inflected_names_slavic(pipeline):
    ru = _places(pipeline, "Взрывы прогремели в Харькове и Москве, сообщили в Киеве.", "ru")
    assert ("Харькове", "Kharkiv") in ru and ("Москве", "Moscow") in ru and ("Киеве", "Kyiv") in ru
    uk = _places(pipeline, "Росіяни обстріляли Херсон і Нікополь, бої під Бахмутом, вибухи біля Харкова.", "uk")
    assert {("Херсон", "Kherson"), ("Нікополь", "Nikopol"), ("Бахмутом", "Bakhmut"), ("Харкова", "Kharkiv")} <= set(uk)
    pl = _places(pipeline, "Eksplozje w Charkowie i w Warszawie w nocy.", "pl")
    assert ("Charkowie", "Kharkiv") in pl and ("Warszawie", "Warsaw") in pl


def test_arabic_clitics_and_article(pipeline):
    ar = _places(pipeline, "وقع انفجار في بيروت وبيروت وبالخرطوم يوم الاثنين", "ar")
    assert ("وبيروت", "Beirut") in ar and ("وبالخرطوم", "Khartoum") in ar
    en = [t for t, _ in _places(pipeline, "Shelling hit Al-Qamishli and al-Raqqa on Monday.", "en")]
    assert "Al-Qamishli" in en


def test_hyphenated_prefixes_and_suffixes(pipeline):
    assert ("Rusia", "Russia") in _places(pipeline, "Kelompok pro-Rusia menyerang pos di Donetsk.", "id")
    tr = _places(pipeline, "Hatay'da ve İstanbul'da deprem oldu.", "tr")
    assert ("Hatay", "Hatay") in tr and ("İstanbul", "Istanbul") in tr


def test_a_settlement_the_gazetteer_lacks_is_placed_where_its_sentence_puts_it(pipeline):
    report = pipeline.parse(
        "Rebels stormed the village of Abu Al-Shamat in Aleppo province on Monday, killing five.", lang="en"
    )
    (village,) = [t for t in report.toponyms if t.mention.text == "Abu Al-Shamat"]
    assert village.approximate and village.place.country_code == "SY" and village.score <= 0.5
    (inc,) = [i for i in report.incidents if i.toponym.mention.text == "Abu Al-Shamat"]
    assert inc.geo_precision >= 2


@pytest.mark.parametrize("text, lang, name, cc", [
    ("Banjir merendam desa Sukamakmur di Kabupaten Bogor, Jawa Barat, pada Selasa.", "id", "Sukamakmur", "ID"),
    ("В результате обстрела села Зарічне в Херсонской области погибли двое.", "ru", "Зарічне", "UA"),
    ("Sel felaketi Kozluca köyünde, Rize ilinde iki evi yıktı.", "tr", "Kozluca", "TR"),
    ("Hombres armados atacaron la aldea de Xochiltepequito, en Chiapas, México.", "es", "Xochiltepequito", "MX"),
])
def test_settlement_nouns_in_other_languages(pipeline, text, lang, name, cc):
    found = {t.mention.text: t for t in pipeline.parse(text, lang=lang).toponyms}
    assert name in found and found[name].place.country_code == cc


def test_an_unknown_name_without_a_place_beside_it_is_kept_unplaced(pipeline):
    report = pipeline.parse("Gunmen attacked the village of Xqzmoor overnight.", lang="en")
    (t,) = [t for t in report.toponyms if t.mention.text == "Xqzmoor"]
    assert t.place is None and t.score == 0.0 and not t.approximate
    # a known place anywhere in the text gives it a place again
    placed = pipeline.parse("Gunmen attacked the village of Xqzmoor overnight. Police in Kirkuk said two died.",
                            lang="en")
    (t,) = [t for t in placed.toponyms if t.mention.text == "Xqzmoor"]
    assert t.approximate and t.place.name == "Kirkuk"


def test_a_long_name_is_not_judged_by_the_frequency_of_the_phrase(pipeline):
    # wordfreq rates the phrase 'State of Ohio' like a common word; only single words are
    found = {t.mention.text: t for t in pipeline.parse("It registered with the State of Ohio as a charity.", lang="en").toponyms}
    assert found["State of Ohio"].place.feature_code == "ADM1" and found["State of Ohio"].place.admin1 == "Ohio"




@pytest.mark.parametrize("text, names", [
    # a settlement noun after the name, and the names listed with it
    ("Gunmen raided Qarzabad and Tilwendi villages near Mosul on Sunday.", {"Qarzabad", "Tilwendi"}),
    ("A car bomb went off in the Zorbayat district of Baghdad.", {"Zorbayat"}),
    # after a plural noun of: the whole list up to the connector
    ("Shelling hit the towns of Kafr Zimbar, Dweilat and Umm Harrouf near Aleppo.", {"Kafr Zimbar", "Dweilat", "Umm Harrouf"}),
    # a name head, and a capitalised word that ends a name
    ("Government troops took control of Jabal Qurnaita and of the old Wadi Zerqa Dam east of the city of Homs on Sunday.",
     {"Jabal Qurnaita", "Wadi Zerqa Dam"}),
    # an apostrophe inside a word, an Arabic article after a locative word
    ("Clashes broke out in the village of Ma’arzaf and at al-Qubeibat near Hama.", {"Ma’arzaf", "al-Qubeibat"}),
    # what follows a comma: a distance, a settlement noun, a division the gazetteer knows
    ("He was shot in Drumvaddy, 12 miles west of Belfast.", {"Drumvaddy"}),
    ("Rebels stormed Kalumbwe, a village near Goma.", {"Kalumbwe"}),
    ("The fugitive was caught in Zelphaven, North Carolina, on Monday.", {"Zelphaven"}),
])
def test_names_the_gazetteer_lacks_that_their_words_show_to_be_places(pipeline, text, names):
    assert names <= set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, not_places", [
    ("Mr Hartwell, a village elder, said nothing.", {"Hartwell"}),
    ("Senator Jim Pellworth spoke on Monday. The Pellworth camp said the race was close.", {"Pellworth"}),
    ("She teaches at the North Summit School District office.", {"North Summit School District", "Summit School District"}),
    ("Lifting the siege of two Shiite villages was discussed.", {"Shiite"}),
    ("The attack was claimed in Al-Qaeda statements.", {"Al-Qaeda"}),
])
def test_words_around_settlement_nouns_that_name_no_place(pipeline, text, not_places):
    assert not not_places & set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, names", [
    ("Two soldiers were killed near Qorvatah in Iraq on Sunday.", {"Qorvatah"}),
    ("Protesters gathered at Velmandraw before marching to the capital Nairobi.", {"Velmandraw"}),
    ("Shells fell in Zubrahin and Kaftorra, north of Homs.", {"Zubrahin", "Kaftorra"}),
    # after a verb whose object is a place, after an approximate cue ending in 'of'
    ("Government troops stormed Qorvatah and Zelmira near Aleppo.", {"Qorvatah", "Zelmira"}),
    ("Fighters shelled a checkpoint north of Drabishan in Syria.", {"Drabishan"}),
    # a place noun between ('in eastern X')
    ("Fighting broke out in eastern Kaftorra near Aleppo.", {"Kaftorra"}),
])
def test_a_name_no_word_of_the_language_after_a_locative_word(pipeline, text, names):
    assert names <= set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, not_places", [
    ("He spoke at Kowalczyk's farewell in Warsaw.", {"Kowalczyk"}),  # a possessive
    ("Officials met at Pfizer on Monday, said a spokesman in Dublin.", {"Pfizer"}),  # a word of the language
    ("The report was published in NATO journals in Brussels.", {"NATO"}),  # an acronym
    ("Thong-in Srivattana was shot dead in Bangkok.", {"Srivattana"}),  # 'in' inside a hyphenated name
    ("Police closed the road at Heart Hospital in Austin.", {"Heart Hospital"}),  # common words
    ("Rebels stormed Reuters offices in Nairobi.", {"Reuters"}),  # a word of the language after a place verb
    ("Police captured Pfizer-Smith in Ohio.", {"Pfizer-Smith"}),  # a common word in the name
    ("Investigators focused on the Drabinskis after the attack in Leeds.", {"Drabinskis"}),  # only an article between
])
def test_no_unknown_name_after_a_locative_word_when_its_words_say_otherwise(pipeline, text, not_places):
    assert not not_places & set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, names", [
    ("The bombardment hit Zubrahin, Kaftorra and Aleppo overnight.", {"Zubrahin", "Kaftorra"}),
    ("Aleppo, Zubrahin and Kaftorra were shelled again.", {"Zubrahin", "Kaftorra"}),
])
def test_names_listed_with_a_place_when_no_name_of_the_list_is_a_word(pipeline, text, names):
    assert names <= set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, not_places", [
    ("Paris, Kowalczyk and Smith signed the deal.", {"Kowalczyk"}),  # 'Smith' is a word: no list of places
    ("Syrian, Kurdish and Qorvani fighters met.", {"Qorvani"}),  # listed with a demonym only
])
def test_no_unknown_name_listed_with_a_place_when_the_list_says_otherwise(pipeline, text, not_places):
    assert not not_places & set(_mentions(pipeline, text))


def test_a_comma_ends_a_person_s_name_unless_another_person_follows(pipeline):
    # 'Dujail Qorvek' reads as a given name and a surname; the names after the comma are places
    assert {"Kanaan", "Khalis"} <= set(_mentions(pipeline, "Mortars hit Dujail Qorvek, Kanaan and Khalis on Monday."))
    # ... but a given name and a surname after the comma are another person's
    assert "Caroline" not in _mentions(pipeline, "The awards went to Mayor Dale Brixley, Caroline Pulliam and the band.")


def test_a_rare_capitalised_noun_is_no_name_in_a_language_that_capitalises_nouns(pipeline):
    found = _mentions(pipeline, "Die Verhandlung im Landesverfassungsgerichtshof in Karlsruhe dauerte an.", lang="de")
    assert "Karlsruhe" in found and "Landesverfassungsgerichtshof" not in found


def test_an_apostrophe_inside_a_word_is_no_end_of_a_name(pipeline):
    # 'Ma' would be a place of its own; 'Ma’an' is the town
    found = _mentions(pipeline, "Heavy shelling hit the centre of Ma’an and Ma’arzaf on Monday.")
    assert "Ma’an" in found and "Ma" not in found


def test_in_is_no_given_name_before_a_town(pipeline):
    assert "Paris" in _mentions(pipeline, "In Paris, thousands of demonstrators marched on Saturday.")


def test_abbreviated_words_of_names_are_looked_up_spelled_out(pipeline):
    """'Mt.' / 'Ft.' / 'Pt.' (lexicon [lookup] abbreviations) are also looked up as 'Mount' /
    'Fort' / 'Point', and 'Mount X' as 'Mt X' too: the candidates of both spellings."""
    text = "The storm knocked out power in Mt. Pleasant and closed schools in Mount Pleasant."
    doc = read_document(text, lang="en")
    found = Recognizer(pipeline.gazetteer).recognize(doc)
    assert [m.text for m in found] == ["Mt. Pleasant", "Mount Pleasant"]
    short, full = ({c.place.id for c in m.candidates} for m in found)
    assert short == full
    assert len(full) > len(pipeline.gazetteer.candidates("mount pleasant", "en"))  # with 'Mt Pleasant' entries
    assert len(short) > len(pipeline.gazetteer.candidates("mt pleasant", "en"))
    assert not pipeline.gazetteer.candidates("ft wayne", "en")  # only 'Fort Wayne' is there
    assert ("Ft. Wayne", 10, 19) in _found(pipeline, "Police in Ft. Wayne said.", "en")


def test_abbreviations_spell_out_no_last_word_nor_saints():
    from geoincidents import lexicon

    en = lexicon.get("en")
    assert en.name_variants("mt pleasant") == ("mount pleasant",)
    assert en.name_variants("point pleasant") == ("pt pleasant",)
    assert en.name_variants("sault ste marie") == ("sault sainte marie",)
    assert en.name_variants("pleasant mt") == ()  # the last word: 'Main St', not a name's head
    assert en.name_variants("st patrick") == ()  # 'St.' stays as written (see en.toml)
    assert en.name_variants("pleasant") == ()


def test_a_generic_tail_the_gazetteer_lacks_is_looked_up_without_it(pipeline):
    """'X Township' (lexicon [lookup] generic_tails) names X when no entry bears the whole name;
    one that does ('Clinton Township') keeps its own entry, not the 38 Clintons."""
    gaz = pipeline.gazetteer
    assert not gaz.candidates("oakport township", "en") and gaz.candidates("oakport", "en")
    doc = read_document("Deputies were called to Oakport Township and Clinton Township on Friday.", lang="en")
    found = {m.text: m.candidates for m in Recognizer(gaz).recognize(doc)}
    assert [c.place.name for c in found["Oakport Township"]] == ["Oakport"]
    assert [c.place.name for c in found["Clinton Township"]] == ["Clinton Township"]


def test_bare_name_only_for_a_generic_tail():
    from geoincidents import lexicon

    en = lexicon.get("en")
    assert en.bare_name("jerome township") == "jerome"
    assert en.bare_name("township") == ""
    assert en.bare_name("mexico city") == ""  # 'city' is no generic tail (see en.toml)


def test_title_case_headline_has_six_long_words_three_in_four_upper_case():
    """A title-case headline (capitals say nothing there): at least six words longer than three
    letters, at least three in four of them beginning in upper case."""
    from geoincidents.toponyms import _UPPER, _title_case

    def headline(text):
        words = text.split()
        return _title_case(words, [_UPPER[w] for w in words])

    assert headline("Heavy Floods Close Roads Across Northern Districts")
    assert headline("Heavy Floods Close Roads Across northern")  # five of six
    assert not headline("Heavy Floods Close Roads across northern districts")  # four of seven
    assert not headline("Heavy Floods Close Roads In Town")  # four long words only


def test_a_sentence_dense_with_names_is_no_headline():
    """With the language, the share of capitals is read among its words after the first: names
    are capitalised in any sentence."""
    from geoincidents.toponyms import _UPPER, _title_case

    def headline(text):
        words = text.replace(",", "").split()
        return _title_case(words, [_UPPER[w] for w in words], "en")

    assert headline("Heavy Floods Close Roads Across Northern Districts")
    assert headline("Bodies Found Near Zubrahin After Kaftorra Blast")
    assert not headline("Shells fell on Aleppo, Zubrahin and Kaftorra on Monday")
    assert not headline("Shelling hit Qorvatah, Zubrahin, Kaftorra, Drabishan and Velmandraw")


def _by_text(pipeline, text):
    doc = read_document(text, lang="en")
    return {m.text: m for m in Recognizer(pipeline.gazetteer).recognize(doc)}


def test_a_street_or_natural_feature_named_after_a_place_is_not_the_place(pipeline):
    """'Hampton Avenue', 'Plum Island': the name with its last word is one name; the gazetteer
    does not know it, so it is unknown (the resolver places it at its sentence's place), not its
    namesake town. A feature named after a division or city lies by it ('Delaware Bay', 'Manila
    Bay'), a road by its
    namesake town ('Morecambe Road'): their namesakes' places stay."""
    found = _by_text(pipeline, "Thieves struck a shop on Hampton Avenue in St. Louis on Monday.")
    assert found["Hampton Avenue"].candidates == () and "Hampton" not in found
    assert found["St. Louis"].candidates
    found = _by_text(pipeline, "The ferry to Plum Island left from Orient Point in New York.")
    assert found["Plum Island"].candidates == ()
    found = _by_text(pipeline, "Oil reached Delaware Bay on Friday.")
    assert any(c.place.feature_code == "ADM1" for c in found["Delaware Bay"].candidates)
    found = _by_text(pipeline, "A ferry burned on Manila Bay.")
    assert any(c.place.feature_code == "PPLC" for c in found["Manila Bay"].candidates)
    found = _by_text(pipeline, "A crash closed Morecambe Road near Lancaster.")
    assert any(c.place.name == "Morecambe" for c in found["Morecambe Road"].candidates)
    # buildings likewise: the prison is no French village, the university lies in Kabul
    found = _by_text(pipeline, "A fire broke out at Evin Prison in Tehran on Saturday.")
    assert found["Evin Prison"].candidates == () and "Evin" not in found
    found = _by_text(pipeline, "Gunmen attacked Kabul University on Monday.")
    assert any(c.place.feature_code == "PPLC" for c in found["Kabul University"].candidates)


def test_a_name_tail_found_alone_ends_a_longer_name(pipeline):
    """'Island' is not Iceland after a capitalised word: the longer name is the one the gazetteer
    knows ('Prince Edward Island'), else an unknown name; after a place found, a facility's last
    word ('the Manila Cathedral') is part of that place's name, which lies in that place."""
    found = _by_text(pipeline, "Bird flu was found on a farm in Prince Edward Island.")
    assert [c.place.feature_code for c in found["Prince Edward Island"].candidates][:1] == ["ADM1"]
    assert "Island" not in found
    found = _by_text(pipeline, "Hundreds gathered at the Manila Cathedral on Sunday.")
    assert "Cathedral" not in found
    assert any(c.place.feature_code == "PPLC" for c in found["Manila Cathedral"].candidates)


def test_a_town_tail_also_means_the_towns_of_the_bare_name(pipeline):
    """'Dublin City Council': no town is named 'Dublin City' (Dublin's county and Ireland's
    capital are, by some names), so Dublin, Ohio is a candidate too; 'Kansas City' is a town's
    own name and keeps its entries."""
    found = _by_text(pipeline, "The Dublin City Council met on Monday.")
    assert {c.place.country_code for c in found["Dublin City"].candidates} >= {"IE", "US"}
    found = _by_text(pipeline, "Storms hit Kansas City on Monday.")
    assert all(c.place.feature_code != "ADM1" for c in found["Kansas City"].candidates)
