import datetime
import pytest

INCIDENT_PLACES = {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu"}


def test_seed_incident_roles(seed_report):
    roles = {}
    for t in seed_report.toponyms:
        roles.setdefault(t.mention.text, set()).add(t.role)
    incident = {name for name, r in roles.items() if "incident" in r}
    assert incident == INCIDENT_PLACES
    # the district that only says where a village lies stays a mention
    assert roles["Gadabay"] == {"mention"} and roles["Lachin"] == {"mention"}


def test_seed_incident_dates_and_types(seed_report):
    by_place = {i.toponym.mention.text: i for i in seed_report.incidents}
    for name in ("Goris", "Sotk", "Jermuk"):
        assert by_place[name].event_date == datetime.date(2022, 9, 13)  # 'Pada Selasa pagi' (Tuesday)
        assert by_place[name].event_type == "Explosions/Remote violence"
    for name in ("Novoivanovka", "Husulu"):
        assert by_place[name].event_date == datetime.date(2022, 9, 12)  # 'Pada hari Senin' (Monday)
        assert by_place[name].event_type == "Battles"
    # one event naming three places shares one event id
    assert len({by_place[n].event_id for n in ("Goris", "Sotk", "Jermuk")}) == 1


def test_incident_sentence_is_the_evidence(seed_report, seed_text):
    for inc in seed_report.incidents:
        s = inc.sentence
        assert seed_text[s.start : s.end] == s.text
        assert s.start <= inc.toponym.mention.start < inc.toponym.mention.end <= s.end


def test_english_incident_and_mention(pipeline):
    text = (
        "Russian forces shelled the town of Kupiansk on Monday, officials in Kyiv said. "
        "The president will travel to Paris next week."
    )
    report = pipeline.parse(text, lang="en", published=datetime.date(2023, 5, 17))
    roles = {t.mention.text: t.role for t in report.toponyms}
    assert roles.get("Kupiansk") == "incident"
    assert roles.get("Paris") == "mention"
    assert roles.get("Kyiv") == "mention"  # where the officials speak, not where shells fell
    (inc,) = [i for i in report.incidents if i.toponym.mention.text == "Kupiansk"]
    assert inc.event_date == datetime.date(2023, 5, 15)
    assert inc.sub_event_type == "Shelling/artillery/missile attack"


# --- the full incident record on the seed ------------------------------------------------


def _by_place(report):
    return {i.toponym.mention.text: i for i in report.incidents}


def test_seed_first_event_record(seed_report):
    by_place = _by_place(seed_report)
    for name in ("Goris", "Sotk", "Jermuk"):
        inc = by_place[name]
        assert inc.time_precision == 1
        # artillery, drones and large-calibre fire: a remote-violence sub-type of those
        assert inc.sub_event_type in {"Air/drone strike", "Shelling/artillery/missile attack"}
        assert inc.claimed_by == "Kementerian Pertahanan Armenia"  # 'menurut Kementerian Pertahanan Armenia'
        # the actor is named in the sentence before ('... mengklaim Angkatan Bersenjata Azerbaijan
        # melakukan serangan artileri. Serangan itu ...')
        assert inc.actor1 == "Angkatan Bersenjata Azerbaijan"
        assert inc.disputed_by is None
        assert inc.geo_precision == 1


def test_seed_second_event_record(seed_report):
    by_place = _by_place(seed_report)
    for name in ("Novoivanovka", "Husulu"):
        inc = by_place[name]
        assert inc.sub_event_type == "Armed clash"  # 'menembakkan senjata ringan'
        assert inc.claimed_by == "Kementerian Pertahanan Azerbaijan"  # '... Azerbaijan menuduh ...'
        assert inc.actor1 == "pasukan Armenia"
        assert inc.disputed_by == "Armenia"  # 'Armenia membantah tuduhan itu.' (the next sentence)
    assert by_place["Novoivanovka"].event_id == by_place["Husulu"].event_id
    assert by_place["Novoivanovka"].event_id != by_place["Goris"].event_id


def test_seed_against_gold(seed_report, seed_gold):
    by_place = _by_place(seed_report)
    gold_places = {p["surface"]: p for p in seed_gold["places"]}
    for event in seed_gold["incidents"]:
        for name in event["places"]:
            inc = by_place[name]
            assert inc.event_date.isoformat() == event["date"]
            assert inc.event_type == event["type"]
            assert inc.toponym.place.geonameid == gold_places[name]["geonameid"]


# --- parts of the record, one at a time --------------------------------------------------

PUB = datetime.date(2023, 5, 17)  # a Wednesday


def _one(pipeline, text, lang, place, published=PUB):
    report = pipeline.parse(text, lang=lang, published=published)
    got = [i for i in report.incidents if i.toponym.mention.text == place]
    assert got, f"no incident at {place}: {[(t.mention.text, t.role) for t in report.toponyms]}"
    return got[0]


def test_fatalities_and_attribution_en(pipeline):
    inc = _one(
        pipeline,
        "Russian forces shelled the town of Kupiansk on Monday, killing at least 12 people, the regional governor said.",
        "en", "Kupiansk",
    )
    assert inc.fatalities == 12
    assert inc.actor1 == "Russian forces"
    assert inc.claimed_by == "the regional governor"


def test_number_words_and_denial_en(pipeline):
    text = (
        "Militants attacked a police post in the village of Bama on Sunday, killing three officers, "
        "according to the state police. The group denied the claim."
    )
    inc = _one(pipeline, text, "en", "Bama")
    assert inc.fatalities == 3
    assert inc.claimed_by == "the state police"
    assert inc.disputed_by == "The group"


def test_no_fatalities_when_none_stated(pipeline):
    inc = _one(pipeline, "Protesters marched through the streets of Valparaiso on Tuesday.", "en", "Valparaiso")
    assert inc.fatalities is None and inc.event_type == "Protests"


def test_near_is_geo_precision_2(pipeline):
    inc = _one(pipeline, "A roadside bomb exploded near Kandahar on Monday, police said.", "en", "Kandahar")
    assert inc.geo_precision == 2
    inc = _one(pipeline, "A roadside bomb exploded in Kandahar on Monday, police said.", "en", "Kandahar")
    assert inc.geo_precision == 1


def test_week_and_month_precision(pipeline):
    inc = _one(pipeline, "Heavy floods hit the town of Faenza last week.", "en", "Faenza")
    assert inc.time_precision == 2 and inc.event_date == datetime.date(2023, 5, 10)
    inc = _one(pipeline, "Earlier this month, protesters rallied in Valparaiso.", "en", "Valparaiso")
    assert inc.time_precision == 3 and inc.event_date.month == 5
    inc = _one(pipeline, "Protesters rallied in Valparaiso.", "en", "Valparaiso")
    assert inc.event_date is None and inc.time_precision is None  # unknown stays unknown


def test_country_only_when_nothing_finer(pipeline):
    inc = _one(pipeline, "Five soldiers were killed in an ambush in Mali on Monday.", "en", "Mali")
    assert inc.geo_precision == 3
    report = pipeline.parse(
        "Five soldiers were killed in an ambush near the town of Menaka in Mali on Monday.",
        lang="en", published=PUB,
    )
    assert {i.toponym.mention.text for i in report.incidents} == {"Menaka"}


def test_container_is_a_mention(pipeline):
    report = pipeline.parse(
        "A car bomb exploded in Baghdad's northern district of Kadhimiya on Monday.", lang="en", published=PUB
    )
    roles = {t.mention.text: t.role for t in report.toponyms}
    assert roles.get("Baghdad") == "mention"


def test_demonym_is_no_incident_place(pipeline):
    report = pipeline.parse("Syrian soldiers shelled the town of Saraqib on Friday.", lang="en", published=PUB)
    assert {i.toponym.mention.text for i in report.incidents} == {"Saraqib"}


def test_related_article_lines_give_no_incident(pipeline):
    text = (
        "Protesters marched through the streets of Valparaiso on Tuesday.\n"
        "Read also: Bomb kills five in the town of Bama\n"
    )
    report = pipeline.parse(text, lang="en", published=PUB)
    assert {i.toponym.mention.text for i in report.incidents} == {"Valparaiso"}


# --- twelve languages: the incident place, its type and its date ------------------------
# Sentences written for these tests; published on Wednesday 17 May 2023.

MULTILINGUAL = [
    ("id", "Pada hari Senin, polisi mengatakan banjir bandang melanda desa Sukamaju di Kabupaten Garut "
           "dan menewaskan tiga orang.", "Sukamaju", "Disasters", "2023-05-15"),
    ("en", "Russian forces shelled the town of Kupiansk on Monday, the regional governor said.",
     "Kupiansk", "Explosions/Remote violence", "2023-05-15"),
    ("ru", "В понедельник российские войска обстреляли город Волчанск, погибли два человека, "
           "сообщили местные власти.", "Волчанск", "Explosions/Remote violence", "2023-05-15"),
    ("uk", "У вівторок російські війська обстріляли місто Вовчанськ, загинули троє людей, "
           "повідомила обласна адміністрація.", "Вовчанськ", "Explosions/Remote violence", "2023-05-16"),
    ("ar", "قالت وزارة الصحة إن غارة جوية استهدفت مدينة خان يونس يوم الاثنين وأسفرت عن مقتل خمسة أشخاص.",
     "خان يونس", "Explosions/Remote violence", "2023-05-15"),
    ("es", "El lunes, un terremoto sacudió la ciudad de Esmeraldas y dejó cuatro muertos, según las autoridades.",
     "Esmeraldas", "Disasters", "2023-05-15"),
    ("fr", "Hier, des milliers de manifestants se sont rassemblés à Nantes contre la réforme des retraites, "
           "selon la préfecture.", "Nantes", "Protests", "2023-05-16"),
    ("de", "Am Montag kam es in der Stadt Cottbus zu einem schweren Unfall auf der Autobahn, "
           "teilte die Polizei mit.", "Cottbus", "Accidents", "2023-05-15"),
    ("pt", "Na segunda-feira, uma enchente atingiu a cidade de Petrópolis e deixou seis mortos, "
           "segundo a Defesa Civil.", "Petrópolis", "Disasters", "2023-05-15"),
    ("it", "Martedì un'alluvione ha colpito la città di Faenza, causando due morti, secondo la Protezione civile.",
     "Faenza", "Disasters", "2023-05-16"),
    ("pl", "W poniedziałek doszło do pożaru w miejscowości Kozienice, zginęły dwie osoby, "
           "poinformowała straż pożarna.", "Kozienice", "Disasters", "2023-05-15"),
    ("tr", "Pazartesi günü Hatay'da meydana gelen depremde iki kişi hayatını kaybetti, AFAD açıkladı.",
     "Hatay", "Disasters", "2023-05-15"),
]


@pytest.mark.parametrize("lang,text,place,event_type,day", MULTILINGUAL, ids=[c[0] for c in MULTILINGUAL])
def test_incident_in_each_language(pipeline, lang, text, place, event_type, day):
    inc = _one(pipeline, text, lang, place)
    assert inc.event_type == event_type
    assert inc.event_date == datetime.date.fromisoformat(day)
    assert inc.time_precision == 1


def test_fatalities_across_languages(pipeline):
    by_lang = {c[0]: c for c in MULTILINGUAL}
    expected = {"id": 3, "ru": 2, "uk": 3, "ar": 5, "es": 4, "pt": 6, "it": 2, "pl": 2, "tr": 2}
    for lang, n in expected.items():
        _, text, place, _, _ = by_lang[lang]
        assert _one(pipeline, text, lang, place).fatalities == n, lang


def test_sources_across_languages(pipeline):
    by_lang = {c[0]: c for c in MULTILINGUAL}
    expected = {"ar": "وزارة الصحة", "es": "las autoridades", "fr": "la préfecture", "de": "die Polizei",
                "pl": "straż pożarna", "tr": "AFAD", "ru": "местные власти"}
    for lang, source in expected.items():
        _, text, place, _, _ = by_lang[lang]
        assert _one(pipeline, text, lang, place).claimed_by == source, lang


def test_arabic_clitic_on_a_cue(pipeline):
    # 'وبقصف' carries the clitics و and ب before 'قصف' (shelling)
    text = "وقتل ثلاثة مدنيين بقصف مدفعي على بلدة سراقب يوم الجمعة."
    inc = _one(pipeline, text, "ar", "سراقب")
    assert inc.sub_event_type == "Shelling/artillery/missile attack"
    assert inc.event_date == datetime.date(2023, 5, 12)


BOILERPLATE = [
    "Read also: Floods hit the town of Bama", "Читайте также: Взрыв в городе Волчанск",
    "Lire aussi : Une explosion à Nantes", "Lesen Sie auch: Unfall in Cottbus",
    "Leia também: Enchente em Petrópolis", "Lee también: Terremoto en Esmeraldas",
    "Ayrıca bakınız: Hatay'da deprem", "İlgili haberler: Hatay'da deprem", "Leggi anche: Alluvione a Faenza",
    "Czytaj też: Pożar w Kozienicach", "Czytaj także: Pożar w Kozienicach", "اقرأ أيضا: غارة على خان يونس",
    "Читайте також: Обстріл міста Вовчанськ", "Baca juga: Banjir di Garut",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_related_article_patterns(line):
    from geoincidents.document import is_boilerplate

    assert is_boilerplate(line)


def test_country_before_an_actor_noun_is_no_incident_place(pipeline):
    report = pipeline.parse("Insurgents attacked U.S. forces near Kandahar on Monday, officials said.", lang="en")
    roles = {t.mention.text: t.role for t in report.toponyms}
    assert roles["U.S."] == "mention"
    assert roles["Kandahar"] == "incident"


def test_the_division_of_an_incident_town_is_no_second_incident_place(pipeline):
    report = pipeline.parse(
        "In the West Bank city of Nablus on Saturday, a man was shot and killed, police said.", lang="en"
    )
    roles = {t.mention.text: t.role for t in report.toponyms}
    assert roles["Nablus"] == "incident"
    assert roles["West Bank"] == "mention"


def test_a_sea_or_a_river_is_a_region_not_a_pin(pipeline):
    inc = _one(pipeline, "A cargo ship was attacked by a drone in the Black Sea on Monday.", "en", "Black Sea")
    assert inc.geo_precision == 3
    inc = _one(pipeline, "Two fishermen drowned when their boat capsized on the Euphrates on Monday.", "en",
               "Euphrates")
    assert inc.geo_precision == 3


def test_assassinations_blasts_and_arson_are_events(pipeline):
    inc = _one(pipeline, "A provincial governor was assassinated in Kandahar on Monday.", "en", "Kandahar")
    assert (inc.event_type, inc.sub_event_type) == ("Violence against civilians", "Attack")
    inc = _one(pipeline, "Militants blew up a bridge near Mosul on Monday.", "en", "Mosul")
    assert inc.sub_event_type == "Remote explosive/landmine/IED"
    inc = _one(pipeline, "Rioters torched cars in Lyon on Monday.", "en", "Lyon")
    assert inc.event_type == "Riots"
