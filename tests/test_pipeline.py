"""Properties of the whole extractor: any Unicode text in, offsets that slice it, no exception."""
from __future__ import annotations

import json

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoincidents.export import record

PLACES = ["Kharkiv", "Kyiv", "Goris", "Baku", "Lyon", "Paris", "New York", "São Paulo", "Nagorno-Karabakh",
          "Москва", "Київ", "القاهرة", "北京", "U.S.", "UK"]
WORDS = ["shelling", "hit", "in", "the village of", "di", "desa", "menyerang", "on Monday", "protest", "killed",
         ".", ",", " ", "\n", "\r\n", "Mr.", "A."]
ODD = ["\u0301", "\u0308\u0323", "\u200f", "\u202e", "\u2066", "\u061c", "\U0001f525",
       "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",
       "\x0b", "\x0c", "\u00a0", "\u3000", "\u200b", "\ufeff", "\ufffd", "\U0010ffff", "ـ", "\u0e31"]
ANY = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # any code point but lone surrogates
TEXTS = st.lists(st.one_of(ANY, st.sampled_from(PLACES), st.sampled_from(WORDS), st.sampled_from(ODD)),
                 max_size=30).map(" ".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, lang=st.sampled_from([None, "en", "id", "ru", "ar", "zh", "xx", "pt-BR"]))
def test_offsets_slice_the_text_for_any_input(pipeline, text, lang):
    report = pipeline.parse(text, lang=lang)
    assert report.document.text == text
    for s in report.document.sentences:
        assert text[s.start:s.end] == s.text
    for t in report.toponyms:
        assert text[t.mention.start:t.mention.end] == t.mention.text
    for inc in report.incidents:
        assert text[inc.sentence.start:inc.sentence.end] == inc.sentence.text
        assert text[inc.toponym.mention.start:inc.toponym.mention.end] == inc.toponym.mention.text
    json.dumps(record(report), ensure_ascii=False).encode("utf-8")  # the extract line can be written


def test_known_crashers_of_libraries(pipeline):
    # each of these once raised from a library (a Rust panic in sentencex, a wordfreq list missing)
    for text, lang in [("A\u2029. Shelling hit Kharkiv.", "en"), ("M.\u00a0Macron est à Paris.", "fr"),
                       ("A\x85.", None), ("周一，河南省郑州市发生洪水。", "zh"), ("Shelling hit Kharkiv.", "zz")]:
        report = pipeline.parse(text, lang=lang)
        assert all(text[t.mention.start:t.mention.end] == t.mention.text for t in report.toponyms)


def test_parse_many_gives_parse_reports_in_order_and_keeps_failures_in_place(pipeline):
    from geoincidents.pipeline import Text

    texts = [
        Text("Shelling hit Kharkiv on Monday. Two people were killed in the village of Goris.", "a", "en"),
        Text("Serangan di Baku kemarin.", "b", "id"),
        Text("A fire broke out.", "c", "en", triggers=((0, 500),)),  # not a span of the text: this one fails
        Text("Protesters gathered in Lyon, police said.", "d", None, triggers=((0, 10),)),
    ]
    found = pipeline.parse_many(texts)
    assert len(found) == 4
    assert isinstance(found[2], ValueError) and "triggers" in str(found[2])
    for t, got in zip(texts, found):
        if t.doc_id == "c":
            continue
        one = pipeline.parse(t.text, doc_id=t.doc_id, lang=t.lang, published=t.published, triggers=t.triggers)
        assert json.dumps(record(got)) == json.dumps(record(one))
    assert [p.document.id for k, p in enumerate(found) if k != 2] == ["a", "b", "d"]
    assert found[0].toponyms and found[1].document.lang == "id"
    with pytest.raises(ValueError, match="triggers"):  # (parse raises what parse_many keeps in place)
        pipeline.parse(texts[2].text, triggers=texts[2].triggers)
