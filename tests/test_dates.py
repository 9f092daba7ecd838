"""geoincidents._dates gives dateparser's own day, month and relative-day names, from a cache."""
from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, timedelta

import pytest
from dateparser.languages.loader import default_loader

from geoincidents import _dates, lexicon


def _dateparser(code: str) -> dict:
    info = default_loader.get_locale(code).info
    rel = info.get("relative-type", {})
    out = {"relative-type": {k: list(rel[k]) for k in _dates.RELATIVE if k in rel}}
    out.update({k: list(info[k]) for k in _dates.DAYS + _dates.MONTHS if k in info})
    return out


def _names(info: dict) -> dict:
    return {k: v for k, v in info.items() if k != "checked"}


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("code", lexicon.available())
def test_the_names_are_dateparsers_made_and_read_again(fresh_cache, code):
    made = _dates.locale_info(code)
    assert list(fresh_cache.glob(f"dateparser-*/{code}.json"))
    again = _dates.locale_info(code)  # from the file
    assert made == again
    assert _names(made) == _dateparser(code)
    assert len(made["monday"]) >= 1 and len(made["december"]) >= 1


@pytest.mark.parametrize("code", lexicon.available())
def test_checked_phrases_give_dateparsers_day_on_any_base(fresh_cache, code):
    checked = _dates.locale_info(code)["checked"]
    assert len(checked) >= 7  # (at least the weekday names)
    rng = random.Random(code)
    bases = [date(1990, 1, 1) + timedelta(days=rng.randrange(20_000)) for _ in range(6)]
    for phrase in checked:
        for base in bases:
            assert _dates.parse_day(phrase, code, base, checked) == _dates.parse_day(phrase, code, base), (phrase, base)


def test_rules():
    tuesday = date(2022, 9, 13)
    assert [_dates.by_rule(["weekday", k], tuesday) for k in range(7)] == [
        date(2022, 9, 12), date(2022, 9, 6), date(2022, 9, 7), date(2022, 9, 8), date(2022, 9, 9),
        date(2022, 9, 10), date(2022, 9, 11)]  # the last such day before the base day
    assert _dates.by_rule(["days", 1], date(2024, 3, 1)) == date(2024, 2, 29)


def test_an_unknown_locale_has_no_names(fresh_cache):
    assert _dates.locale_info("qq") == {}


def test_a_damaged_file_is_made_again(fresh_cache):
    _dates.locale_info("en")
    (path,) = fresh_cache.glob("dateparser-*/en.json")
    path.write_text('{"monday": [', encoding="utf-8")
    assert _names(_dates.locale_info("en")) == _dateparser("en")
    remade = _dates.locale_info("en")
    assert _names(remade) == _dateparser("en") and remade["checked"]


def _run_twice(code: str, cache) -> tuple[list[str], list[str]]:
    """What ``code`` prints (split into words) in a new process with the cache folder ``cache``,
    the first time (which fills the cache) and again."""
    def run():
        return subprocess.run([sys.executable, "-c", code, str(cache)], capture_output=True, text=True,
                              check=True).stdout.split()
    return run(), run()


def test_reading_day_names_does_not_import_dateparser(tmp_path):
    """Once cached, a run without publication dates never imports dateparser."""
    code = ("import os, sys; os.environ['GEOINCIDENTS_CACHE'] = sys.argv[1]\n"
            "from geoincidents import incidents\n"
            "names = incidents._date_names('en')\n"
            "print('dateparser' in sys.modules, 'monday' in names, 'september' in names)")
    first, again = _run_twice(code, tmp_path)
    assert first == ["True", "True", "True"]
    assert again == ["False", "True", "True"]


def test_reading_a_weekday_does_not_import_dateparser(tmp_path):
    """Once cached, 'Selasa' (Tuesday) in an article of Wednesday 14 September 2022 is read as
    dateparser reads it, without it."""
    code = ("import os, sys, datetime; os.environ['GEOINCIDENTS_CACHE'] = sys.argv[1]\n"
            "from geoincidents import incidents, lexicon\n"
            "from geoincidents.document import read_document\n"
            "doc = read_document('Pada hari Selasa, sebuah desa diserang.', lang='id',"
            " published=datetime.date(2022, 9, 14))\n"
            "got = incidents.sentence_date(doc, lexicon.get('id'), doc.sentences[0])\n"
            "print('dateparser' in sys.modules, got[0], got[1])")
    first, again = _run_twice(code, tmp_path)
    assert first == ["True", "2022-09-13", "1"]
    assert again == ["False", "2022-09-13", "1"]
