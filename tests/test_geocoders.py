"""geopy both ways: the gazetteer as a geopy geocoder, and the online fallback against a local
server on 127.0.0.1 that answers like Nominatim (never the real service)."""
from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geoincidents.geocoders import GazetteerGeocoder, OnlineFallback, haversine_km
from geoincidents.pipeline import Pipeline

KNOWN = {
    "qwertyabad": {"place_id": 1, "osm_type": "node", "osm_id": 777, "lat": "36.1234", "lon": "44.5678",
                   "class": "place", "type": "village", "addresstype": "village", "name": "Qwertyabad",
                   "display_name": "Qwertyabad, Erbil Governorate, Iraq",
                   "address": {"village": "Qwertyabad", "state": "Erbil Governorate", "country": "Iraq",
                               "country_code": "iq"}},
}


@pytest.fixture()
def nominatim():
    """A local stand-in for Nominatim's /search; records every query it is asked."""
    asked: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            asked.append({"path": url.path, **q, "user_agent": self.headers.get("User-Agent")})
            hits = [KNOWN[q.get("q", "").casefold()]] if q.get("q", "").casefold() in KNOWN else []
            body = json.dumps(hits).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def fallback(nominatim, tmp_path, **kw):
    domain, _ = nominatim
    return OnlineFallback(domain=domain, scheme="http", user_agent="geoincidents-tests/1",
                          cache_path=tmp_path / "cache.sqlite", min_delay_seconds=0.0, **kw)


# ---------------------------------------------------------------- the gazetteer as a geopy geocoder

def test_geocode_is_a_geopy_geocoder():
    g = GazetteerGeocoder()
    assert isinstance(g, Geocoder)
    loc = g.geocode("Goris")
    assert isinstance(loc, Location) and abs(loc.latitude - 39.51) < 0.05 and abs(loc.longitude - 46.34) < 0.05
    assert loc.address == "Goris, Syunik, Armenia"
    assert loc.raw["geonameid"] == 174895 and loc.raw["name_kind"] == "primary"
    others = g.geocode("Goris", exactly_one=False)
    assert len(others) > 1 and all(loc.raw["score"] >= o.raw["score"] for o in others)


def test_geocode_context_after_a_comma_picks_the_country():
    g = GazetteerGeocoder()
    many = g.geocode("Novoivanovka", exactly_one=False)
    assert len({loc.raw["country_code"] for loc in many}) > 1  # Ukraine, Russia, Azerbaijan...
    az = g.geocode("Novoivanovka, Azerbaijan")
    assert az.raw["country_code"] == "AZ" and az.raw["geonameid"] == 585348
    assert g.geocode("Novoivanovka", country_codes=["AZ"]).raw["geonameid"] == 585348
    assert g.geocode("Xqzzqx Nowhere") is None


def test_reverse_gives_the_nearest_populated_place():
    g = GazetteerGeocoder()
    loc = g.reverse((39.512, 46.345))
    assert loc.raw["name"] == "Goris" and loc.raw["distance_km"] < 2
    several = g.reverse((39.512, 46.345), exactly_one=False, limit=5)
    dists = [x.raw["distance_km"] for x in several]
    assert len(several) == 5 and dists == sorted(dists)
    assert all(x.raw["feature_class"] == "P" for x in several)
    assert g.reverse((0.0, -140.0), max_km=50) is None  # the middle of the Pacific


def test_reverse_on_a_built_gazetteer_uses_its_index(tmp_path):
    from test_geonames_dump import write_dump

    from geoincidents.gazetteer import Gazetteer
    from geoincidents.geonames_dump import build

    out = tmp_path / "g.sqlite"
    build(write_dump(tmp_path / "dump"), out, progress=False)
    g = GazetteerGeocoder(Gazetteer.open(out))
    loc = g.reverse((39.61, 46.13))
    assert loc.raw["geonameid"] == 9100001
    assert abs(loc.raw["distance_km"] - haversine_km(39.61, 46.13, 39.62, 46.12)) < 0.01


def test_reverse_across_the_antimeridian():
    g = GazetteerGeocoder()
    loc = g.reverse((-16.5, 179.99), max_km=300)  # Fiji, east of the line; towns west of it count too
    assert loc is not None and loc.raw["country_code"] == "FJ"


# ---------------------------------------------------------------- the online fallback

def test_fallback_asks_each_name_once(nominatim, tmp_path):
    _, asked = nominatim
    fb = fallback(nominatim, tmp_path)
    p = fb.lookup("Qwertyabad")
    assert p is not None and (p.lat, p.lon, p.country_code, p.feature_code) == (36.1234, 44.5678, "IQ", "PPL")
    assert p.admin1 == "Erbil Governorate" and p.geonameid is None and p.source == "nominatim"
    assert fb.lookup("Qwertyabad") == p and fb.lookup("Nothing Here") is None and fb.lookup("Nothing Here") is None
    assert [a["q"] for a in asked] == ["Qwertyabad", "Nothing Here"]  # a miss is remembered too
    assert asked[0]["path"] == "/search" and asked[0]["format"] == "json"
    assert asked[0]["user_agent"] == "geoincidents-tests/1"
    again = fallback(nominatim, tmp_path)  # a new process: the cache is on disk
    assert again.lookup("Qwertyabad") == p and len(asked) == 2 and again.asked == 0


def test_geocoder_uses_the_fallback_only_for_unknown_names(nominatim, tmp_path):
    _, asked = nominatim
    g = GazetteerGeocoder(fallback=fallback(nominatim, tmp_path))
    assert g.geocode("Goris").raw["geonameid"] == 174895 and not asked
    assert g.geocode("Qwertyabad").raw["source"] == "nominatim" and len(asked) == 1


def test_pipeline_with_fallback_places_an_unknown_village(nominatim, tmp_path):
    _, asked = nominatim
    text = "Gunmen attacked the village of Qwertyabad in Iraq on Monday, police said."
    offline = Pipeline().parse(text, lang="en", published=date(2022, 9, 13))
    (guess,) = [t for t in offline.toponyms if t.mention.text == "Qwertyabad"]
    assert guess.approximate and guess.place.country_code == "IQ"  # offline: only where the text puts it
    report = Pipeline(fallback=fallback(nominatim, tmp_path)).parse(text, lang="en", published=date(2022, 9, 13))
    found = {t.mention.text: t for t in report.toponyms}
    assert found["Qwertyabad"].place.lat == 36.1234 and found["Qwertyabad"].role == "incident"
    assert not found["Qwertyabad"].approximate and len(report.toponyms) == len(offline.toponyms)
    assert "Iraq" in found and [a["q"] for a in asked] == ["Qwertyabad"]  # only names the gazetteer lacks
    assert asked[0].get("countrycodes") == "iq"  # biased to the countries the text names


def test_cli_online_fallback_is_off_unless_asked(nominatim, tmp_path, monkeypatch):
    from geoincidents.cli import main

    domain, asked = nominatim
    monkeypatch.setenv("GEOINCIDENTS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GEOINCIDENTS_NOMINATIM_URL", f"http://{domain}")
    monkeypatch.setenv("GEOINCIDENTS_USER_AGENT", "geoincidents-cli-test")
    doc = tmp_path / "a.txt"
    doc.write_text("Gunmen attacked the village of Qwertyabad on Monday.", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", "--lang", "en", str(doc)])
    assert r.exit_code == 0 and not asked
    r = CliRunner().invoke(main, ["extract", "--lang", "en", "--online-fallback", str(doc)])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout.splitlines()[0])
    assert [t["name"] for t in rec["toponyms"]] == ["Qwertyabad"]
    assert len(asked) == 1 and asked[0]["user_agent"] == "geoincidents-cli-test"
