import datetime

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
