"""geoincidents._dates gives dateparser's own day, month and relative-day names, from a cache."""
from __future__ import annotations

import subprocess
import sys

import pytest
from dateparser.languages.loader import default_loader

from geoincidents import _dates, lexicon


def _dateparser(code: str) -> dict:
    info = default_loader.get_locale(code).info
    rel = info.get("relative-type", {})
    out = {"relative-type": {k: list(rel[k]) for k in _dates.RELATIVE if k in rel}}
    out.update({k: list(info[k]) for k in _dates.DAYS + _dates.MONTHS if k in info})
    return out


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("code", lexicon.available())
def test_the_names_are_dateparsers_made_and_read_again(fresh_cache, code):
    made = _dates.locale_info(code)
    assert list(fresh_cache.glob(f"dateparser-*/{code}.json"))
    again = _dates.locale_info(code)  # from the file
    assert made == again == _dateparser(code)
    assert len(made["monday"]) >= 1 and len(made["december"]) >= 1


def test_an_unknown_locale_has_no_names(fresh_cache):
    assert _dates.locale_info("qq") == {}


def test_a_damaged_file_is_made_again(fresh_cache):
    _dates.locale_info("en")
    (path,) = fresh_cache.glob("dateparser-*/en.json")
    path.write_text('{"monday": [', encoding="utf-8")
    assert _dates.locale_info("en") == _dateparser("en")
    assert _dates.locale_info("en") == _dateparser("en")


def test_reading_day_names_does_not_import_dateparser(tmp_path):
    """Once cached, a run without publication dates never imports dateparser."""
    code = ("import os, sys; os.environ['GEOINCIDENTS_CACHE'] = sys.argv[1]\n"
            "from geoincidents import incidents\n"
            "names = incidents._date_names('en')\n"
            "print('dateparser' in sys.modules, 'monday' in names, 'september' in names)")
    first = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True", "True", "True"]
    assert again.stdout.split() == ["False", "True", "True"]
