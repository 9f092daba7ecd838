"""A small profile of benchmarks/fuzz.py (the full run is 100,000 cases; here a few hundred)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

FUZZ = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz.py"


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("geoincidents_fuzz", FUZZ)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fuzz_profile_finds_nothing():
    fuzz = _fuzz_module().Fuzz(seed=20240601, render_share=0.02)
    fuzz.run(300)
    assert not fuzz.failures, fuzz.summary()
    assert fuzz.counts["file"] > 100 and fuzz.counts["text"] > 30 and fuzz.counts["pipeline runs"] > 50
    assert sum(fuzz.refusals.values()) > 10  # broken inputs were made, and refused cleanly


def test_fuzz_checks_can_fail():
    from geoincidents.types import MapPoint

    fuzz = _fuzz_module()

    point = MapPoint(lat=1, lon=2, name="<b>", layer="incident", surface="", sentence="", highlight=(0, 0))
    html = '<script type="application/json" id="x-points">{"strings": ["other"]}</script>' \
           '<script type="application/json" id="x-config">{}</script>'
    try:
        fuzz.check_page([point], "", html, (2, 2))
    except fuzz.Failure as e:
        assert "not verbatim" in str(e)
    else:
        raise AssertionError("check_page passed a page without the point's name")
