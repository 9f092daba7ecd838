"""The role model: which toponyms of an event sentence are its places (sentences written for these tests)."""
import datetime
import json
from importlib import resources

import pytest
from conftest import load_script

PUB = datetime.date(2023, 5, 17)


def _roles(pipeline, text, lang="en"):
    report = pipeline.parse(text, lang=lang, published=PUB)
    return {t.mention.text: t.role for t in report.toponyms}, report


def test_model_file_has_weights_and_provenance():
    from geoincidents.incidents import ROLE_MODEL, role_model

    raw = json.loads((resources.files("geoincidents") / "data" / ROLE_MODEL).read_text(encoding="utf-8"))
    prov = raw["provenance"]
    assert prov["licence"] == "MIT" and "train" in prov["split"] and "Halterman" in prov["corpus"]
    assert prov["script"] == "scripts/train_role_model.py" and prov["date"]
    model = role_model()
    assert model.weights and all(isinstance(w, float) for w in model.weights.values())
    # the English lexical layer: fitted on the same split, cross-validated, small
    lex = prov["lexical"]["en"]
    assert lex["cross_validated"]["f1"] >= prov["cross_validated"]["f1"]
    assert 0 < len(raw["lexical"]["en"]["weights"]) == lex["words"] <= 12_000


def test_lexical_layer_serves_its_language_only():
    from geoincidents.incidents import role_model

    model = role_model()
    assert set(model.lexical) == {"en"}
    features = {"gov_locative": 1.0, "cue_same_clause": 1.0}
    words = ("L1:in", "cue:killed", "R1:on")
    assert model.logit(features, words, "id") == model.logit(features)
    assert model.threshold_for("id") == model.threshold
    assert model.logit(features, words, "en") != model.logit(features)
    assert model.threshold_for("en") == model.lexical["en"].threshold


def test_lexical_words():
    from geoincidents.incidents import lexical_words

    class Cue:
        words = ("killed",)

    keys = ["two", "were", "killed", "in", "gao", "on", "monday"]
    got = lexical_words(keys, 4, 4, [(2, Cue())])
    assert {"L1:in", "L2:killed", "L3:were", "R1:on", "R2:monday", "R3:</s>", "L21:killed in",
            "R12:on monday", "Lb:two", "cue:killed", "cue:killed:before", "anycue:killed",
            "L1:in|cue:killed"} == set(got)
    assert len(got) == len(set(got))
    # the sentence's bag, as given
    bagged = lexical_words(keys, 4, 4, [(2, Cue())], ("two", "were", "killed", "in", "on"))
    assert set(bagged) - set(got) == {"S:two", "S:were", "S:killed", "S:in", "S:on"}


def test_sentence_bag_has_no_names_and_governor_pairs_with_cue(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    text = "Gunmen shot dead a shopkeeper in the Karkh neighbourhood of Baghdad on Monday."
    report = pipeline.parse(text, lang="en", published=PUB)
    doc = read_document(text, lang="en", published=PUB)
    words = {report.toponyms[c.index].mention.text: c.words for _, c in role_features(doc, report.toponyms)}
    bag = {w for w in words["Karkh"] if w.startswith("S:")}
    assert {"S:shopkeeper", "S:neighbourhood", "S:in"} <= bag
    assert not bag & {"S:gunmen", "S:karkh", "S:baghdad", "S:monday"}  # capitalised: names, not kinds of sentence
    assert "gov:locative:in|cue:shot dead" in words["Karkh"]


def test_name_joined_to_the_place_before_it(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    def joined(text):
        report = pipeline.parse(text, lang="en", published=PUB)
        doc = read_document(text, lang="en", published=PUB)
        return {report.toponyms[c.index].mention.text: {f for f in c.features if f.startswith("joined_")}
                for _, c in role_features(doc, report.toponyms)}, report

    got, report = joined("Gunmen shot dead a shopkeeper in the Karkh neighbourhood of the capital city of Baghdad on Monday.")
    assert got == {"Karkh": {"joined_before_place"}, "Baghdad": {"joined_after_place"}}
    assert {t.mention.text: t.role for t in report.toponyms} == {"Karkh": "incident", "Baghdad": "mention"}
    got, report = joined("Militants detonated a bomb at Sopore town in Baramulla district on Saturday, killing a constable.")
    assert got == {"Sopore": {"joined_before_place"}, "Baramulla": {"joined_after_place"}}
    assert {t.mention.text: t.role for t in report.toponyms} == {"Sopore": "incident", "Baramulla": "mention"}
    # a list, a name right after another, or an event word between: not joined
    got, _ = joined("Troops shelled Goris, Sotk and Jermuk on Tuesday.")
    assert got and not any(got.values())
    got, _ = joined("Two people were killed in Atmeh, Syria, on Friday.")
    assert got and not any(got.values())
    got, _ = joined("Fighting in Aleppo killed ten people in Homs.")
    assert got and not any(got.values())


def test_role_model_folds_keep_copies_and_articles_together():
    keys = load_script("train_role_model").fold_keys([
        ("kill_7#1", "Two were killed in Gao."),
        ("kill_7#2", "Two were killed in Gao."),  # the same sentence for another event verb
        ("99", "Two  were killed in Gao. "),  # the same text, another id
        ("APW_ENG_20040928.0001_3_shoot", "A man was shot in Mosul."),
        ("APW_ENG_20040928.0001_24_capture#1", "Troops captured Tal Afar."),  # the same article
        ("APW_ENG_20040929.0002_1_shoot", "A man was shot in Kirkuk."),
        ("12", "Rebels shelled Homs."),
    ])
    assert keys[0] == keys[1] == keys[2]
    assert keys[3] == keys[4]
    assert len({keys[0], keys[3], keys[5], keys[6]}) == 4


def test_every_feature_has_a_weight(pipeline):
    from geoincidents.incidents import VETOES, role_features, role_model

    text = ("Militants attacked a police post in the village of Bama on Sunday, officials in Maiduguri said. "
            "Five soldiers were killed in an ambush near the town of Menaka in Mali. "
            "Syrian troops shelled Saraqib and Binnish, 20 km (12 miles) south of Idlib.")
    report = pipeline.parse(text, lang="en", published=PUB)
    doc_toponyms = tuple(t for t in report.toponyms)
    names = set()
    from geoincidents.document import read_document
    doc = read_document(text, lang="en", published=PUB)
    for _, c in role_features(doc, doc_toponyms):
        names.update(c.features)
    assert names
    assert names - set(VETOES) <= set(role_model().weights)


def test_name_after_by_or_from_is_no_incident_place(pipeline):
    roles, _ = _roles(pipeline, "Five soldiers were killed in an ambush near Menaka by fighters who came from Gao.")
    assert roles["Menaka"] == "incident"
    assert roles["Gao"] == "mention"


def test_walk_over_a_possessive_country(pipeline):
    roles, _ = _roles(pipeline, "A car bomb exploded in Pakistan's southern port city of Karachi on Monday.")
    assert roles["Karachi"] == "incident"
    assert roles["Pakistan"] == "mention"


def test_distance_measured_from_a_place_or_the_event(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    def measured(text):
        report = pipeline.parse(text, lang="en", published=PUB)
        doc = read_document(text, lang="en", published=PUB)
        return {report.toponyms[c.index].mention.text: {f for f in c.features if f.startswith("measured_")}
                for _, c in role_features(doc, report.toponyms)}

    # the distance says where the town named before it is: Baghdad is only the reference point
    got = measured("Gunmen killed two policemen in Baquba, 60 km (40 miles) north of Baghdad, on Sunday.")
    assert got == {"Baquba": set(), "Baghdad": {"measured_from_place"}}
    # no place before the distance: it says where the event was
    got = measured("A roadside bomb exploded 30 kilometres (20 miles) north of Kandahar on Monday.")
    assert got == {"Kandahar": {"measured_from_event"}}


def test_walk_over_a_parenthesis(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    # the walk from the name steps over the distance and its parenthesis to the event word
    text = "A roadside bomb exploded 30 kilometres (20 miles) north of Kandahar on Monday."
    report = pipeline.parse(text, lang="en", published=PUB)
    ((_, c),) = role_features(read_document(text, lang="en", published=PUB), report.toponyms)
    assert {"gov_cue", "approximate"} <= set(c.features)
    # (that sentence alone sits at the role model's threshold: refits flip it either way)
    roles, report = _roles(pipeline, "A roadside bomb exploded 30 kilometres (20 miles) north of Kandahar on Monday, "
                                     "killing two soldiers.")
    assert roles["Kandahar"] == "incident"
    (inc,) = report.incidents
    assert inc.geo_precision == 2


def test_place_without_an_event_stays_a_mention(pipeline):
    roles, report = _roles(pipeline, "The minister flew from Paris to Berlin on Tuesday for talks on the budget.")
    assert set(roles.values()) == {"mention"} and not report.incidents


@pytest.mark.parametrize("lang,text,place", [
    ("id", "Pasukan Armenia menembaki desa Husulu pada hari Senin.", "Husulu"),
    ("ru", "В понедельник войска обстреляли город Волчанск.", "Волчанск"),
    ("fr", "Lundi, une explosion a frappé le centre de Nantes.", "Nantes"),
])
def test_model_keeps_other_languages(pipeline, lang, text, place):
    roles, _ = _roles(pipeline, text, lang)
    assert roles.get(place) == "incident", roles


def test_incident_confidence_is_a_probability(pipeline):
    _, report = _roles(pipeline, "Russian forces shelled the town of Kupiansk on Monday, the governor said.")
    assert report.incidents and all(0.0 < i.confidence <= 1.0 for i in report.incidents)


def test_division_word_before_a_date_names_no_container(pipeline):
    # 'district on Friday': the capitalised word after the division word is a day, no place inside
    roles, _ = _roles(pipeline, "At least twelve civilians were killed in the northern Gulu district on Friday night.")
    assert roles["Gulu"] == "incident"


def test_neighbourhood_of_a_city(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    text = "A car bomb exploded in a market in the Douma suburb of Damascus on Sunday."
    roles, report = _roles(pipeline, text)
    assert roles["Douma"] == "incident"  # the city after 'suburb of' holds Douma: Douma is no container
    doc = read_document(text, lang="en", published=PUB)
    feats = {report.toponyms[c.index].mention.text: c.features for _, c in role_features(doc, report.toponyms)}
    assert "container" not in feats["Douma"] and "holds_previous" in feats["Damascus"]


def test_dateline_is_where_the_report_was_filed(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    text = "KABUL, Afghanistan (AP) -- A roadside bomb killed three soldiers in Kandahar on Monday."
    roles, report = _roles(pipeline, text)
    assert roles["KABUL"] == "mention" and roles["Kandahar"] == "incident"
    doc = read_document(text, lang="en", published=PUB)
    feats = {report.toponyms[c.index].mention.text: c.features for _, c in role_features(doc, report.toponyms)}
    assert "dateline" in feats["KABUL"] and "dateline" not in feats["Kandahar"]


@pytest.mark.parametrize("text, lang, places", [
    # the model alone takes only some items of these lists; the list gives the rest their role
    ("Drones and heavy artillery were fired at Goris, Sotk, Jermuk, Vardenis and Kapan on Tuesday, according "
     "to the Armenian defence ministry.", "en", ["Goris", "Sotk", "Jermuk", "Vardenis", "Kapan"]),
    ("Serangan itu termasuk drone dan senjata api kaliber besar yang ditembakkan ke arah Goris, Sotk, Vardenis, "
     "dan Jermuk, menurut Kementerian Pertahanan.", "id", ["Goris", "Sotk", "Vardenis", "Jermuk"]),
])
def test_every_place_of_a_listed_event_is_an_incident(pipeline, text, lang, places):
    roles, report = _roles(pipeline, text, lang)
    assert [roles.get(p) for p in places] == ["incident"] * len(places)
    # one record per place, all of one event
    assert len({i.event_id for i in report.incidents if i.toponym.mention.text in places}) == 1


def test_a_comma_alone_is_no_list(pipeline):
    # 'Idlib, Syria' says where Idlib is; 'Samarra, north of Baghdad' too: neither is a list
    roles, _ = _roles(pipeline, "A car bomb exploded at a checkpoint in Idlib, Syria, on Monday, killing four soldiers.")
    assert roles["Idlib"] == "incident" and roles["Syria"] == "mention"
    roles, _ = _roles(pipeline, "A roadside bomb killed two policemen in Samarra, north of Baghdad, on Friday.")
    assert roles["Samarra"] == "incident" and roles["Baghdad"] == "mention"


def test_context_stage_weighs_a_candidate_against_its_sentence():
    from geoincidents.incidents import context_features, role_model

    model = role_model()
    assert model.context is not None
    (alone,) = context_features([0.5])
    assert alone == {"z": 0.5, "has_other": 0.0, "gap": 0.0, "others_p": 0.0}
    ahead, behind = context_features([1.0, -1.0])
    assert ahead["gap"] == 2.0 and behind["gap"] == -2.0 and ahead["has_other"] == 1.0
    for stage in (model.context, model.with_triggers.context):
        assert stage.weights["z"] > 0 and stage.weights["gap"] > 0
        # the same first-stage logit counts for less when a likelier place stands beside it
        assert stage.logits([0.0, 3.0])[0] < stage.logits([0.0, -3.0])[0]
    features = {"gov_locative": 1.0, "cue_same_clause": 1.0}
    zs = model.sentence_logits([(features, ())], "id")
    assert zs == model.context.logits([model.logit(features)])


def test_area_of_a_city_is_no_container(pipeline):
    # 'the X area of Y' names X inside Y: 'container' is a weighed feature, no veto
    from geoincidents.incidents import VETOES, role_model

    assert "container" not in VETOES and role_model().weights["container"] < 0
    roles, _ = _roles(pipeline, "Five civilians were killed in the Hodan area of Mogadishu on Sunday.")
    assert roles["Hodan"] == "incident" and roles["Mogadishu"] == "mention"


def test_tree_stage_walks_its_trees():
    from geoincidents.incidents import TreeStage

    # one stump on a role feature, one tree on the context features of the sentence's logits
    stage = TreeStage(("gov_locative", "ctx:z", "ctx:has_other", "ctx:gap", "ctx:others_p"), -1.0, (
        [0, 0.5, -0.5, 1.0],
        [3, 0.0, [1, 2.0, -0.25, 0.25], 0.75],
    ))
    # alone (gap 0): -1 + 1 (governed) - 0.25 (z at most 2)
    assert stage.logits([{"gov_locative": 1.0}], [1.0]) == [-0.25]
    # ahead of the other candidate (gap > 0) or behind it
    ahead, behind = stage.logits([{"gov_locative": 1.0}, {}], [3.0, 1.0])
    assert ahead == -1.0 + 1.0 + 0.75 and behind == -1.0 - 0.5 - 0.25
    # an unknown feature counts as absent
    assert stage.logits([{"unknown": 1.0}], [0.0]) == [-1.0 - 0.5 - 0.25]


def test_tree_stage_takes_a_documents_sentences_at_once_as_one_by_one():
    from geoincidents.incidents import role_model

    stage = role_model().lexical["en"].trees
    sentences = [([{"gov_locative": 1.0, "cue_same_clause": 1.0}, {"gov_blocked": 1.0}], [1.5, -0.5]),
                 ([], []),
                 ([{"gov_locative": 1.0}], [0.2])]
    assert stage.logits_many(sentences) == [stage.logits(f, zs) for f, zs in sentences]
    assert stage.logits_many([([], [])]) == [[]]


def test_english_lexical_layer_decides_with_its_tree_stage():
    from geoincidents.incidents import role_model

    for model in (role_model(), role_model().with_triggers):
        layer = model.lexical["en"]
        assert layer.trees is not None and layer.trees.trees
        candidates = [({"gov_locative": 1.0, "cue_same_clause": 1.0}, ("L1:in", "cue:killed")),
                      ({"gov_blocked": 1.0}, ("L1:from",))]
        zs = [model.logit(f, ws, "en") for f, ws in candidates]
        got = model.sentence_logits(candidates, "en")
        assert got == layer.trees.logits([f for f, _ in candidates], zs)
        assert got[0] > got[1]
        # the other languages keep the logistic context stage
        assert model.sentence_logits(candidates, "id") == model.context.logits([model.logit(f) for f, _ in candidates])


def test_boosted_trees_learn_an_interaction():
    import numpy as np

    pytest.importorskip("lightgbm")

    mod = load_script("train_role_model")

    class Args:
        tree_rounds, tree_depth, tree_rate, tree_l2 = 60, 2, 0.3, 1.0

    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(400, 3)).astype(float)
    y = (X[:, 0] != X[:, 1]).astype(float)  # either alone says nothing; together, everything
    bias, trees = mod.fit_trees(X, y, Args)

    def walk(node, row):  # the exported format, read by hand: [column, threshold, left, right]
        while isinstance(node, list):
            node = node[2] if row[node[0]] <= node[1] else node[3]
        return node

    z = np.array([bias + sum(walk(t, row) for t in trees) for row in X])
    assert ((z > 0) == (y > 0)).mean() > 0.95
    # the runtime stage reads the exported trees alike
    from geoincidents.incidents import TreeStage

    stage = TreeStage(("a", "b", "c", "ctx:z", "ctx:has_other", "ctx:gap", "ctx:others_p"), bias, tuple(trees))
    assert stage.logits([{"a": 1.0}, {"a": 1.0, "b": 1.0}], [0.0, 0.0]) == pytest.approx(
        [bias + sum(walk(t, [1.0, 0, 0]) for t in trees), bias + sum(walk(t, [1.0, 1.0, 0]) for t in trees)])


def test_a_smaller_governed_place_and_a_division_word_before_the_name(pipeline):
    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    def feats(text):
        report = pipeline.parse(text, lang="en", published=PUB)
        doc = read_document(text, lang="en", published=PUB)
        return {report.toponyms[c.index].mention.text: set(c.features) for _, c in role_features(doc, report.toponyms)}

    # the country holds a town the same sentence governs too: the town is the finer place
    got = feats("Government troops launched an offensive in northern Syria on Monday, shelling the town of Manbij.")
    assert "finer_governed_other" in got["Syria"] and "finer_governed_other" not in got["Manbij"]
    # two towns of one kind: neither is finer
    got = feats("Police patrolled the streets of Nairobi and Mombasa on Friday.")
    assert not any("finer_governed_other" in f for f in got.values())
    # 'the Karrada district of Baghdad': a name and a division word stand before Baghdad
    got = feats("Five civilians were killed in the Karrada district of Baghdad on Sunday.")
    assert "named_before_division" in got["Baghdad"] and "named_before_division" not in got["Karrada"]


def test_reported_speech_and_places_between_the_event_word_and_the_name(pipeline):
    from dataclasses import replace

    from geoincidents.document import read_document
    from geoincidents.incidents import role_features

    def feats(text, verb=None):
        report = pipeline.parse(text, lang="en", published=PUB)
        doc = read_document(text, lang="en", published=PUB)
        if verb:
            i = text.index(verb)
            doc = replace(doc, triggers=((i, i + len(verb)),))
        return {report.toponyms[c.index].mention.text: set(c.features) for _, c in role_features(doc, report.toponyms)}

    text = '"Gunmen killed two farmers near Peshawar," a police officer in Islamabad said.'
    for got in (feats(text), feats(text, "killed")):
        assert "quote_between" in got["Islamabad"] and "quote_between" not in got["Peshawar"]
    got = feats(text, "killed")
    # given the event word: the other names between it and this one, the nearest on its side
    assert {"place_between", "governed_between"} <= got["Islamabad"] and "nearest_on_side" not in got["Islamabad"]
    assert "nearest_on_side" in got["Peshawar"] and "place_between" not in got["Peshawar"]
    got = feats("Officials in Islamabad said gunmen killed two farmers near Peshawar on Monday.", "killed")
    assert "said_between" in got["Islamabad"] and "said_between" not in got["Peshawar"]
    got = feats("Gunmen killed two farmers near Peshawar -- the worst attack since police in Islamabad raided a camp.",
                "killed")
    assert "dash_between" in got["Islamabad"] and "dash_between" not in got["Peshawar"]


def test_bagged_trees_are_one_sum_of_trees():
    import numpy as np

    pytest.importorskip("lightgbm")
    mod = load_script("train_role_model")

    class Args:
        tree_rounds, tree_depth, tree_rate, tree_l2, tree_bags, tree_fraction = 40, 2, 0.3, 1.0, 3, 0.8

    rng = np.random.default_rng(1)
    X = rng.integers(0, 2, size=(400, 3)).astype(float)
    y = (X[:, 0] != X[:, 1]).astype(float)
    bias, trees = mod.fit_trees(X, y, Args)
    assert 2 * 40 < len(trees) <= 3 * 40  # each bag's trees, one after another (a bag may stop early)
    from geoincidents.incidents import TreeStage

    z = TreeStage(("a", "b", "c"), bias, tuple(trees)).rows_logits(X)
    assert ((z > 0) == (y > 0)).mean() > 0.95


def test_out_of_fold_errors_file(tmp_path):
    import numpy as np

    mod = load_script("train_role_model")
    text = "Gunmen killed two farmers near Peshawar, officials in Islamabad said."
    sentences = [("s1", text, ((text.index("killed"), text.index("killed") + 6),))]
    pesh, isl = (text.index("Peshawar"), text.index("Peshawar") + 8), (text.index("Islamabad"), text.index("Islamabad") + 9)
    data = ([{"gov_locative": 1.0}, {"gov_speaker": 1.0}], [(), ()], np.array([1.0, 0.0]), np.array([0, 0]),
            [pesh, isl], [[pesh]], ["s1"])
    path = tmp_path / "errors.jsonl"
    # Peshawar under the threshold (missed), Islamabad over it (spurious)
    counts = mod.write_errors(path, data, np.array([-1.0, 1.0]), 0.0, sentences)
    assert counts == {"missed": 1, "spurious": 1}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["name"]) for r in rows] == [("missed", "Peshawar"), ("spurious", "Islamabad")]
    assert "[[killed]]" in rows[0]["marked"] and "{{Peshawar}}" in rows[0]["marked"]
    assert "<<Peshawar>>" in rows[1]["marked"] and "{{Islamabad}}" in rows[1]["marked"]
