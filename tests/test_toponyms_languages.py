"""Names as the news of each language writes them (sentences written for the tests): streets named after
places, towns named in their own language, case endings, words of scripts without capitals."""
import pytest


def _parse(pipeline, text, lang):
    report = pipeline.parse(text, lang=lang)
    return [(t.mention.text, t.place.name if t.place else None, t.role) for t in report.toponyms]


@pytest.mark.parametrize("text, lang, street, namesake", [
    # the street word before the name, with linking words between ('de', elided "d'")
    ("Des manifestants se sont rassemblés rue de Rivoli à Paris samedi.", "fr", "rue de Rivoli", "Rivoli"),
    ("Un incendie s'est déclaré dans la nuit rue d'Alésia à Paris.", "fr", "rue d'Alésia", None),
    ("Scontri in via Roma a Torino tra polizia e manifestanti.", "it", "via Roma", "Rome"),
    ("La marcha recorrió la calle de Alcalá en Madrid.", "es", "calle de Alcalá", None),
    ("Bentrokan terjadi di Jalan Sudirman, Jakarta, pada Senin.", "id", "Jalan Sudirman", None),
])
def test_a_street_named_after_a_place_is_not_the_place(pipeline, text, lang, street, namesake):
    found = _parse(pipeline, text, lang)
    texts = [t for t, _, _ in found]
    assert street in texts, found
    assert all(t == street or t not in street for t in texts), found  # the namesake not read apart
    street_place = dict((t, p) for t, p, _ in found)[street]
    if namesake:
        assert street_place != namesake, found  # placed where the sentence puts it, not at Rome, Rivoli


def test_a_capitalised_street_word_is_no_town(pipeline):
    # 'Rue' is also a town of the Somme: here it begins the street's name
    found = _parse(pipeline, "Rue de Rivoli, des heurts ont éclaté samedi entre policiers et manifestants.", "fr")
    assert [t for t, _, _ in found] == ["Rue de Rivoli"], found


def test_a_street_after_a_settlement_noun_takes_no_namesake(pipeline):
    # 'улице Ленина' is Lenin Street, not the village Lenina: the explosion is placed in Donetsk
    found = _parse(pipeline, "Взрыв произошёл на улице Ленина в Донецке.", "ru")
    assert not any(p == "Lenina" for _, p, _ in found), found
    assert any(t == "Донецке" and p == "Donetsk" for t, p, _ in found), found


def test_instead_of_is_no_square(pipeline):
    found = _parse(pipeline, "Le match se jouera à Lyon à la place de Marseille.", "fr")
    assert [p for _, p, _ in found] == ["Lyon", "Marseille"], found


@pytest.mark.parametrize("text, lang, places", [
    # frequent words of their language, and only other names (exonyms elsewhere) of large towns
    ("Scontri a Torino tra polizia e manifestanti.", "it", ["Turin"]),
    ("Un corteo ha attraversato Milano e Napoli ieri.", "it", ["Milan", "Naples"]),
    ("Una bomba è esplosa a Venezia ieri sera.", "it", ["Venice"]),  # 'Una' is an article, not Una (India)
    ("Die Polizei in München meldet Proteste.", "de", ["Munich"]),
])
def test_a_town_named_in_its_own_language(pipeline, text, lang, places):
    assert [p for _, p, _ in _parse(pipeline, text, lang)] == places


def test_an_exonym_that_is_a_common_word_elsewhere_stays_a_word(pipeline):
    # 'Media' is another name of Médéa (Algeria) and a common English word; Algeria is no
    # country of English, so the word stays a word
    found = _parse(pipeline, "Media reports said the talks would resume on Monday.", "en")
    assert found == [], found


@pytest.mark.parametrize("town, place", [
    # the locative changes the stem's last consonant (lexicon pl.toml alternations) or ends in -iu
    ("Pradze", "Prague"), ("Kairze", "Cairo"), ("Madrycie", "Madrid"), ("Belgradzie", "Belgrade"),
    ("Rydze", "Riga"), ("Poznaniu", "Poznań"), ("Wrocławiu", "Wrocław"),
])
def test_polish_locatives_with_a_changed_stem(pipeline, town, place):
    found = _parse(pipeline, f"W poniedziałek w {town} doszło do protestów przed ambasadą.", "pl")
    assert [(t, p) for t, p, _ in found] == [(town, place)]


def test_a_word_of_a_script_without_capitals_stays_a_word(pipeline):
    # 'مدينة' (city) is also another name of Medina, a large town of an Arabic-speaking country
    found = _parse(pipeline, "قصفت الطائرات مدينة حلب يوم الثلاثاء.", "ar")
    assert [(t, p) for t, p, _ in found] == [("حلب", "Aleppo")], found


@pytest.mark.parametrize("text, name", [
    # Turkish case endings after an apostrophe end the name: accusative, ablative, '-deki' (the one in)
    ("Rus füzeleri salı günü Harkov'u vurdu.", "Harkov"),
    ("Yüzlerce aile Şam'dan kaçtı.", "Şam"),
    ("Halep'teki saldırıda beş kişi öldü.", "Halep"),
])
def test_turkish_case_endings_after_an_apostrophe(pipeline, text, name):
    assert name in [t for t, _, _ in _parse(pipeline, text, "tr")]


@pytest.mark.parametrize("text, lang, dead", [
    ("Un ataque con drones alcanzó Járkov el martes y mató a tres personas.", "es", 3),
    ("Russische Raketen trafen am Dienstag Charkiw und töteten drei Menschen.", "de", 3),
])
def test_the_dead_in_more_verb_forms(pipeline, text, lang, dead):
    assert [i.fatalities for i in pipeline.parse(text, lang=lang).incidents] == [dead]


def test_an_arabic_comma_ends_the_source(pipeline):
    report = pipeline.parse("ضربت صواريخ روسية مدينة حلب يوم الثلاثاء ما أسفر عن مقتل ثلاثة أشخاص، بحسب الحاكم، "
                            "فيما طالبت دمشق بالتحقيق.", lang="ar")
    assert [i.claimed_by for i in report.incidents] == ["الحاكم"]


@pytest.mark.parametrize("town, place", [
    # Ukrainian locative and instrumental; 'Харкові' is no 'Харк' + '-ові' (Khārk, Iran)
    ("у Києві", "Kyiv"), ("у Харкові", "Kharkiv"), ("у Львові", "Lviv"), ("під Полтавою", "Poltava"),
])
def test_ukrainian_case_forms(pipeline, town, place):
    found = _parse(pipeline, f"У понеділок {town} відбулися протести.", "uk")
    assert [p for _, p, _ in found] == [place]


def test_a_town_of_the_language_country_after_a_locative_word(pipeline):
    # 'garut' is a frequent word of Indonesian; capitalised after 'di dekat' it is the regency's town
    assert [p for _, p, _ in _parse(pipeline, "Banjir melanda sejumlah desa di dekat Garut kemarin.", "id")] == ["Garut"]
    # German capitalises every noun: 'im Hof' is a yard, not Hof (Bavaria)
    assert _parse(pipeline, "Die Kinder spielten am Nachmittag im Hof.", "de") == []


@pytest.mark.parametrize("text, lang, place", [
    # names added to the gazetteer (gazetteer/extra_names.csv, curated.csv) with their sources
    ("ضربت صواريخ روسية مدينة خاركيف يوم الثلاثاء.", "ar", "Kharkiv"),
    ("Shelling near the Zaporizhia nuclear plant continued overnight.", "en", "Zaporizhzhya"),
    ("Croatian forces regained Eastern Slavonia in 1998.", "en", "Eastern Slavonia"),
])
def test_names_news_uses(pipeline, text, lang, place):
    assert place in [p for _, p, _ in _parse(pipeline, text, lang)]


@pytest.mark.parametrize("text, lang, place", [
    # a street word before a country's name is another word: France's place, not a square
    ("Le sommet a débattu de la place de la France en Afrique.", "fr", "France"),
    ("Il vertice ha discusso del ruolo dell'Italia e della piazza di Francia.", "it", "France"),
])
def test_a_country_after_a_street_word_stays_the_country(pipeline, text, lang, place):
    assert place in [p for _, p, _ in _parse(pipeline, text, lang)]


@pytest.mark.parametrize("text, lang, places", [
    # countries' and regions' names that run on by words in lower case ([words] lowercase_name_words)
    ("Des frappes ont visé l'Arabie saoudite et les Émirats arabes unis.", "fr", ["Saudi Arabia", "United Arab Emirates"]),
    ("La Guinée équatoriale a protesté contre l'arrestation.", "fr", ["Equatorial Guinea"]),  # not Guinea
    ("L'Union européenne a condamné l'attaque.", "fr", ["European Union"]),  # not L'Union, a French town
    ("Европейский союз осудил нападение.", "ru", ["European Union"]),
    ("L'Unione europea ha condannato l'attacco.", "it", ["European Union"]),
])
def test_names_that_run_on_in_lower_case(pipeline, text, lang, places):
    assert [p for _, p, _ in _parse(pipeline, text, lang)] == places


@pytest.mark.parametrize("text, place", [
    # in a script without capitals the most reported places are among the language's most frequent
    # words: they are the places all the same ('غزة' Gaza, 'نيويورك' New York)
    ("قصفت الطائرات الإسرائيلية غزة يوم الاثنين.", "Gaza"),
    ("وقع انفجار في نيويورك يوم الاثنين.", "New York City"),
    ("قتل 12 شخصا على الأقل في غارة جوية على سوق في الخرطوم يوم السبت.", "Khartoum"),
])
def test_a_frequent_arabic_name_of_a_large_place(pipeline, text, place):
    assert [p for _, p, _ in _parse(pipeline, text, "ar")] == [place]


def test_arabic_frequent_words_that_name_large_places_are_listed():
    # lexicon [words] common_words_listed: every word of wordfreq's most frequent Arabic words that
    # _judge's frequency rules (toponyms.frequent_word_first) would have kept a word is either in
    # never_places or a place's name the tests know (a gazetteer rebuild that adds such a
    # collision fails here, to be judged)
    from wordfreq import top_n_list

    from geoincidents import lexicon, names
    from geoincidents.gazetteer import open_gazetteer
    from geoincidents.toponyms import _TRAITS, COMMON_WORD_ZIPF, _is_major, frequent_word_first, zipf_frequency

    lex = lexicon.get("ar")
    assert lex.common_words_listed
    gazetteer = open_gazetteer()
    names_of_places = {"غزة", "نيويورك", "درعا", "الخرطوم"}
    unlisted = []
    for word in top_n_list("ar", 5000):
        zipf = zipf_frequency(word, "ar")
        if zipf < COMMON_WORD_ZIPF:
            continue
        key = names.fold(word)
        candidates = gazetteer.candidates(key, "ar")
        if not any(map(_is_major, candidates)) or key in lex.never_places or word in names_of_places:
            continue
        area, _, only_alternate = _TRAITS.of(candidates)
        if frequent_word_first(candidates, zipf, area, only_alternate):
            unlisted.append(word)
    assert unlisted == []


@pytest.mark.parametrize("text, lang", [
    ("Hamas fired rockets towards Sderot on Monday.", "en"),
    ("Le Hamas a revendiqué l'attaque lundi.", "fr"),
    ("Die Hamas feuerte am Montag Raketen ab.", "de"),
])
def test_an_organisation_is_not_the_town_a_registry_names_after_it(pipeline, text, lang):
    # 'Hamas' is Hamm's name in Lithuanian
    assert "Hamm" not in [p for _, p, _ in _parse(pipeline, text, lang)]


def test_a_day_before_gunu_is_no_place(pipeline):
    # Turkish 'Salı günü' (on Tuesday): not Shali, Chechnya
    assert [p for _, p, _ in _parse(pipeline, "Salı günü Kiev'de bir patlama meydana geldi.", "tr")] == ["Kiev"]
