
import numpy as np

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
