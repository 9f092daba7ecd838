"""Unit tests of geoincidents.render: a self-contained, deterministic, injection-proof page."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import load_script

from geoincidents import render
from geoincidents.render import build_map, render_html, write_html
from geoincidents.types import MapPoint

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = (
    'Shelling hit Husulu <script>alert(1)</script> <img src=x onerror="window.__pwned=1"> '
    "${alert(1)} `tick` back\\slash </script><script>alert(1)</script> <!-- x \u2028 \u2029 & end"
)


def sample_points() -> list[MapPoint]:
    s1 = "Azerbaijani forces shelled Jermuk and Goris overnight, the ministry said."
    s2 = "Clashes were reported near Novoivanovka on Tuesday."
    s3 = "Officials in Erevan condemned the attack."
    return [
        MapPoint(39.8417, 45.67, "Jermuk", "incident", "Jermuk", s1, (27, 33),
                 "Explosions/Remote violence", "Shelling/artillery/missile attack", "2022-09-13",
                 "AM", "PPL", "doc-1", "Armenia says towns were shelled", "https://example.org/news/1",
                 (("Fatalities", "49"),)),
        MapPoint(39.5111, 46.3386, "Goris", "incident", "Goris", s1, (38, 43),
                 "Explosions/Remote violence", None, "2022-09-13", "AM", "PPL", "doc-1"),
        MapPoint(40.55858, 45.54398, "Novoivanovka", "incident", "Novoivanovka", s2, (27, 39),
                 "Battles", "Armed clash", "2022-09-13", "AZ", "PPL", "doc-1"),
        MapPoint(40.1811, 44.5136, "Yerevan", "mention", "Erevan", s3, (13, 19), country_code="AM",
                 feature_code="PPLC", doc_id="doc-1"),
        MapPoint(39.64069, 46.4241, 'Husulu <b>"x"</b>', "incident",
                 "Husulu </script><script>alert(1)</script>", HOSTILE, (13, 19),
                 "Violence against civilians", "Attack <i>", None, "AZ", "PPL", "doc</script>",
                 '<img src=x onerror="window.__pwned=1">', "javascript:alert(1)",
                 (("<b>label</b>", "</script><script>alert(2)</script>"),)),
    ]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.json_blocks: dict[str, str] = {}
        self._json_id: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script" and attributes.get("type") == "application/json":
            self._json_id = attributes.get("id")

    def handle_data(self, data):
        if self._json_id:
            self.json_blocks[self._json_id] = self.json_blocks.get(self._json_id, "") + data

    def handle_endtag(self, tag):
        if tag == "script":
            self._json_id = None


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def json_block(html: str, part: str):
    blocks = parse(html).json_blocks
    (text,) = [v for k, v in blocks.items() if k.endswith("-" + part)]
    return json.loads(text)


def page_points(html: str) -> list[dict]:
    return render.decode_points(json_block(html, "points"))


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(build_map(sample_points(), title="Border <clashes>", subtitle="13 Sept 2022"))


def test_page_is_self_contained(page):
    tags = parse(page).tags
    for tag, attrs in tags:
        if tag in ("script", "link", "img", "iframe"):
            for name in ("src", "href"):
                assert not attrs.get(name), f"<{tag} {name}={attrs.get(name)!r}> loads something"
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)
    # CSS pulls nothing in either: every url(...) is a data: URI or Leaflet's VML behaviour hack
    for url in re.findall(r"url\(([^)]*)\)", page):
        assert url.strip("'\"").startswith(("data:", "#default#VML")), url
    assert "L.tileLayer" not in page
    assert "cdn.jsdelivr" not in page and "jquery" not in page.lower()
    assert "sourceMappingURL" not in page
    assert 'window.L=t' in page  # Leaflet itself is inline


def test_leaflet_version_and_basemap_inline(page):
    assert 't.version="1.9.4"' in page
    assert "L.MarkerClusterGroup=L.FeatureGroup.extend" in page  # Leaflet.markercluster, inline
    basemap = json_block(page, "basemap")
    assert basemap["delta_scale"] == 100
    names = {f["properties"]["name"] for f in basemap["features"]}
    assert {"Armenia", "Azerbaijan", "Singapore"} <= names
    # decoded as map.js does, a country's outline is a closed ring where the country is
    (armenia,) = [f for f in basemap["features"] if f["properties"]["name"] == "Armenia"]
    rings = armenia["geometry"]["coordinates"]
    outer = _undelta(rings[0] if armenia["geometry"]["type"] == "Polygon" else rings[0][0], 100)
    assert outer[0] == outer[-1] and len(outer) > 20
    assert all(43 < lon < 47 and 38.5 < lat < 41.5 for lon, lat in outer)


def test_basemap_is_inlined_as_vendored():
    # read as it is (no decoding), it is what encoding the decoded file gives
    assert render._basemap_json() == render._script_json(json.loads(render._asset("countries.json")))


def test_parts_go_into_the_page_as_rendered():
    # not compiled as templates again on the way (that turned '\r' into '\n', dropped a last newline)
    page = render_html(build_map(sample_points()[:1], title="line\rbreak"))
    assert "<title>line\rbreak</title>" in page
    assert page.count("\r") == 1  # leaflet.css comes with CRLF line ends: not into the page
    assert "</title>\n</head>" in page and "})();\n</script>\n</html>" in page


def _undelta(flat: list[int], scale: int) -> list[tuple[float, float]]:
    """map.js's undelta of one ring."""
    out, x, y = [], 0, 0
    for dx, dy in zip(flat[::2], flat[1::2]):
        x, y = x + dx, y + dy
        out.append((x / scale, y / scale))
    return out


def test_vendored_basemap_rings_are_delta_encoded_losslessly():
    vendor = load_script("vendor_assets")
    ring = [[44.79, 41.2], [46.62, 39.0], [-179.99, -16.15], [180.01, 0.0], [44.79, 41.2]]
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "1", "properties": {"name": "A"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "id": "2", "properties": {"name": "B"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[ring], [ring[::-1]]]}},
    ]}
    encoded = vendor.delta_encoded(json.loads(json.dumps(collection)))
    assert encoded["delta_scale"] == 100
    assert all(isinstance(v, int) for v in encoded["features"][0]["geometry"]["coordinates"][0])
    assert _undelta(encoded["features"][0]["geometry"]["coordinates"][0], 100) == [tuple(p) for p in ring]
    assert [_undelta(r, 100) for (r,) in encoded["features"][1]["geometry"]["coordinates"]] == [
        [tuple(p) for p in ring], [tuple(p) for p in ring[::-1]]]


def test_points_reach_the_page_once_as_json(page):
    points = page_points(page)
    assert [p["name"] for p in points] == [p.name for p in sample_points()]
    hostile = points[-1]
    assert hostile["sentence"] == HOSTILE
    assert (hostile["hl_start"], hostile["hl_length"]) == (13, 6)
    assert hostile["surface"] == "Husulu </script><script>alert(1)</script>"
    assert "href" not in hostile  # javascript: is no link
    assert hostile["source"] == '<img src=x onerror="window.__pwned=1">'
    assert points[0]["href"] == "https://example.org/news/1"
    assert points[0]["source"] == "Armenia says towns were shelled"
    assert points[0]["extra"] == [["Fatalities", "49"]]
    assert "surface" not in points[0]  # same as the name
    # each string is written once, however many points use it
    assert page.count("the ministry said.") == 1  # two points quote the same sentence
    table = json_block(page, "points")
    assert table["strings"].count("AM") == 1 and table["strings"][0] == ""


def test_table_round_trips_many_points():
    points = sample_points() * 40  # repeats: deltas go back as well as forward
    records = page_points(render_html(build_map(points)))
    assert [r["name"] for r in records] == [p.name for p in points]
    assert [r.get("sentence") for r in records] == [p.sentence for p in points]
    assert [r.get("doc") for r in records] == [p.doc_id or None for p in points]
    assert [r["lat"] for r in records] == [round(p.lat, 5) for p in points]


def test_new_fields_reach_the_page():
    base = sample_points()[0]
    point = dataclasses.replace(base, geo_precision=3, feature_code="PCLI", time_precision=2,
                                actor1="Military Forces of Azerbaijan", actor2="Civilians (Armenia)",
                                claimed_by="Ministry of Defence of Armenia", disputed_by="Ministry of Defence of Azerbaijan")
    html = render_html(build_map([point, dataclasses.replace(base, event_date="2022-09-14", time_precision=3)]))
    first, second = page_points(html)
    assert first["geo_precision"] == 3
    assert first["area_km"] == render._style()["area"]["radius_km"]["PCL"]
    assert first["time_precision"] == 2 and first["date"] == "2022-09-13"
    assert (first["actor1"], first["actor2"]) == ("Military Forces of Azerbaijan", "Civilians (Armenia)")
    assert first["claimed_by"] == "Ministry of Defence of Armenia"
    assert first["disputed_by"] == "Ministry of Defence of Azerbaijan"
    assert "area_km" not in second and "geo_precision" not in second  # precision 1: a point
    config = json_block(html, "config")
    assert config["dates"] == ["2022-09-13", "2022-09-14"]
    assert config["time_precision"]["2"] == "within a week"
    # a mention is never drawn as an area, whatever its precision
    mention = dataclasses.replace(sample_points()[3], geo_precision=3, feature_code="PCLI")
    (record,) = page_points(render_html(build_map([mention])))
    assert "area_km" not in record


def test_hostile_strings_are_escaped(page):
    opens = len(re.findall(r"<script\b", page, re.I))
    closes = len(re.findall(r"</script", page, re.I))
    assert opens == closes, "a string closed a <script> early"
    for raw in ("<script>alert", "<img src=x", "</script><script>", "<!--", "<b>", "\u2028", "\u2029"):
        assert raw not in page
    assert "\\u003c/script\\u003e" in page
    assert "<title>Border &lt;clashes&gt; \u2014 13 Sept 2022</title>" in page
    config = json_block(page, "config")
    assert config["title"] == "Border <clashes>"
    # the only HTML handed to Leaflet (layer control labels) is escaped on our side
    labels = [spec["label_html"] for spec in config["layers"]]
    assert all("<script" not in label and "<img" not in label for label in labels)


def test_hostile_event_type_is_escaped_in_layer_control():
    point = dataclasses.replace(sample_points()[0], event_type='<img src=x onerror="alert(1)">')
    config = json_block(render_html(build_map([point])), "config")
    (spec,) = config["layers"]
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in spec["label_html"]
    assert spec["colour"] == render._style()["unknown_colour"]
    assert spec["class_name"] == "gi-incident gi-type-img-src-x-onerror-alert-1"


def test_script_json_escapes():
    text = render._script_json({"s": "</script><!--\u2028\u2029&>"})
    assert text == '{"s":"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026\\u003e"}'
    assert json.loads(text) == {"s": "</script><!--\u2028\u2029&>"}


def test_same_points_same_bytes_in_process(page):
    again = render_html(build_map(sample_points(), title="Border <clashes>", subtitle="13 Sept 2022"))
    assert again == page
    m = build_map(sample_points())
    assert render_html(m) == render_html(m)  # rendering twice changes nothing


_CHILD = """
import dataclasses, hashlib, json, sys
from geoincidents.types import MapPoint
from geoincidents.render import build_map, render_html
points = [MapPoint(**{**d, "highlight": tuple(d["highlight"]), "extra": tuple(map(tuple, d["extra"]))})
          for d in json.load(sys.stdin)]
html = render_html(build_map(points, title="Border <clashes>", subtitle="13 Sept 2022"))
print(hashlib.sha256(html.encode("utf-8")).hexdigest())
"""


def test_same_bytes_across_runs_and_hash_seeds(page):
    payload = json.dumps([dataclasses.asdict(p) for p in sample_points()])
    digests = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", _CHILD], input=payload, capture_output=True,
                             text=True, env=env, cwd=ROOT, check=True)
        digests.add(out.stdout.strip())
    assert digests == {hashlib.sha256(page.encode("utf-8")).hexdigest()}


def test_layers_legend_and_colours(page):
    config = json_block(page, "config")
    style = render._style()
    layers = [(s["key"], s["kind"], s["colour"], s["legend"]) for s in config["layers"]]
    assert layers == [
        ("incident:Battles", "incident", style["event_colours"]["Battles"], "Battles (1)"),
        ("incident:Explosions/Remote violence", "incident", style["event_colours"]["Explosions/Remote violence"],
         "Explosions/Remote violence (2)"),
        ("incident:Violence against civilians", "incident", style["event_colours"]["Violence against civilians"],
         "Violence against civilians (1)"),
        ("mention", "mention", style["mention_marker"]["color"], "Mentioned place (1)"),
    ]
    assert config["attribution"].count("GeoNames") == 1 and "Natural Earth" in config["attribution"]


def test_palette_is_distinct():
    colours = list(render._style()["event_colours"].values()) + [render._style()["unknown_colour"]]
    assert len({c.lower() for c in colours}) == len(colours)


def test_bounds_follow_incidents_then_all_points_then_world():
    points = sample_points()
    incidents = [p for p in points if p.layer == "incident"]
    assert render._bounds(points) == [[min(p.lat for p in incidents), min(p.lon for p in incidents)],
                                      [max(p.lat for p in incidents), max(p.lon for p in incidents)]]
    mention = points[3]
    assert render._bounds([mention]) == [[mention.lat, mention.lon], [mention.lat, mention.lon]]
    assert render._bounds([]) is None
    config = json_block(render_html(build_map([])), "config")
    assert config["bounds"] is None and config["layers"] == []


def test_highlight_out_of_range_marks_nothing():
    point = dataclasses.replace(sample_points()[0], highlight=(5, 999))
    (record,) = page_points(render_html(build_map([point])))
    assert "hl_start" not in record and "hl_length" not in record
    assert record["sentence"] == point.sentence


def test_http_url_only():
    assert render._http_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert render._http_url(" http://example.org ") == "http://example.org"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<b>", "//example.org", "http:/x", "", None, "https://exa mple.org"):
        assert render._http_url(bad) is None, bad


def test_bad_points_are_refused():
    good = sample_points()[0]
    with pytest.raises(ValueError):
        build_map([dataclasses.replace(good, lat=float("nan"))])
    with pytest.raises(ValueError):
        build_map([dataclasses.replace(good, lon=200.0)])
    with pytest.raises(ValueError):
        build_map([dataclasses.replace(good, layer="other")])


def test_online_tiles_only_when_asked():
    page = render_html(build_map(sample_points()[:1], tiles="OpenStreetMap"))
    assert "L.tileLayer" in page and "tile.openstreetmap.org" in page
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)=", page, re.I)
    assert "Online tiles (OpenStreetMap.Mapnik)" in json_block(page, "config")["tiles_label"]
    page = render_html(build_map(sample_points()[:1], tiles="OpenTopoMap"))
    assert "tile.opentopomap.org" in page


def test_tile_names_go_through_xyzservices():
    assert render.tile_provider("opentopomap").name == "OpenTopoMap"
    assert render.tile_provider("Esri WorldImagery").name == "Esri.WorldImagery"
    for bad in ("NoSuchTiles", "https://tiles.example.org/{z}/{x}/{y}.png", ""):
        with pytest.raises(ValueError, match="unknown tile provider"):
            render.tile_provider(bad)
    with pytest.raises(ValueError, match="API key"):
        render.tile_provider("Thunderforest.OpenCycleMap")
    with pytest.raises(ValueError):
        build_map(sample_points(), tiles="NoSuchTiles")


def test_embed_fragment_is_one_sandboxed_iframe(page):
    m = build_map(sample_points(), title="Border <clashes>", subtitle="13 Sept 2022")
    fragment = render.embed_html(m, title='A "map" <b>')
    tags = parse(fragment).tags
    assert [t for t, _ in tags] == ["iframe"]
    attrs = tags[0][1]
    assert attrs["sandbox"] == "allow-scripts"  # no allow-same-origin, no popups
    assert attrs["title"] == 'A "map" <b>'
    assert attrs["srcdoc"] == page  # the whole page, unescaped by the HTML parser back to itself
    assert "<script" not in fragment.split("srcdoc=", 1)[1]  # nothing runs in the host page
    assert fragment == render.embed_html(m, title='A "map" <b>')  # deterministic
    with pytest.raises(ValueError):
        render.embed_html(m, height="1px;background:url(x)")


def test_write_html_embed(tmp_path):
    m = build_map(sample_points())
    target = write_html(m, tmp_path / "fragment.html", embed=True)
    assert target.read_text(encoding="utf-8") == render.embed_html(m)


def test_write_html_is_atomic_and_creates_folders(tmp_path):
    m = build_map(sample_points())
    target = tmp_path / "a" / "b" / "map.html"
    assert write_html(m, target) == target
    assert target.read_text(encoding="utf-8") == render_html(m)
    assert sorted(p.name for p in target.parent.iterdir()) == ["map.html"]  # no temp file left
    target.chmod(0o640)
    write_html(m, target)  # overwriting keeps the file's mode
    assert target.stat().st_mode & 0o777 == 0o640


def test_page_size_is_bounded(page):
    # Leaflet (~150 KB) + markercluster (~35 KB) + delta-encoded basemap (~290 KB) + five points
    assert 450_000 < len(page.encode("utf-8")) < 650_000


def _synthetic_points(n: int) -> list[MapPoint]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("map_size", ROOT / "benchmarks" / "map_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_points(n)


def test_ten_thousand_incidents_fit_in_three_megabytes():
    points = _synthetic_points(10_000)
    html = render_html(build_map(points, title="10k"))
    assert len(html.encode("utf-8")) <= 3_000_000
    table = json_block(html, "points")
    assert len(table["rows"]) == 10_000
    assert len(set(json.dumps(table["strings"]))) > 0
    assert sum(1 for text in table["strings"] if text == points[0].sentence) == 1


# ---------------------------------------------------------------- property: any string round-trips, inert

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ANY = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # any Unicode but lone surrogates
_MARKUP = st.sampled_from(["</script>", "<script>", "</SCRIPT ", "<!--", "-->", "{{ 7*7 }}", "{% raw %}", "{#",
                           "]]>", "\u2028", "\u2029", "\x00", "&lt;", "\"'`", "\\", "\u202e", "e\u0301", "\U0001f525"])
_STRING = st.lists(st.one_of(_ANY, _MARKUP), max_size=6).map("".join)


@st.composite
def _points(draw):
    out = []
    for _ in range(draw(st.integers(0, 4))):
        sentence = draw(_STRING)
        a = draw(st.integers(0, len(sentence)))
        b = draw(st.integers(a, len(sentence)))
        out.append(MapPoint(
            lat=draw(st.floats(-90, 90)), lon=draw(st.floats(-180, 180)), name=draw(_STRING),
            layer=draw(st.sampled_from(["incident", "mention"])), surface=sentence[a:b], sentence=sentence,
            highlight=(a, b), event_type=draw(st.one_of(st.none(), _STRING)), doc_id=draw(_STRING),
            source_title=draw(st.one_of(st.none(), _STRING)),
            extra=tuple((draw(_STRING), draw(_STRING)) for _ in range(draw(st.integers(0, 2)))),
        ))
    return out


def _script_tags(html: str) -> tuple[int, int]:
    return len(re.findall(r"<script", html, re.I)), len(re.findall(r"</script", html, re.I))


_PLAIN_TAGS: list[tuple[int, int]] = []


def _plain_script_tags() -> tuple[int, int]:
    """The script tags of a page of plain points (the same for any number of points)."""
    if not _PLAIN_TAGS:
        counts = {_script_tags(render_html(build_map(sample_points()[:n], title="t"))) for n in (0, 1, 3)}
        assert len(counts) == 1
        _PLAIN_TAGS.append(counts.pop())
    return _PLAIN_TAGS[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=_points(), title=_STRING)
def test_any_string_round_trips_verbatim_and_inert(points, title):
    html = render_html(build_map(points, title=title))
    decoded = page_points(html)
    assert [d.get("name", "") for d in decoded] == [p.name for p in points]  # empty strings are left out
    for d, p in zip(decoded, points):
        assert d.get("sentence", "") == p.sentence
        assert d.get("doc") == (p.doc_id or None)
        if p.surface != p.name:
            assert d.get("surface", "") == p.surface
        assert d.get("extra", []) == [list(pair) for pair in p.extra]
    assert json_block(html, "config").get("title", "") == title
    assert _script_tags(html) == _plain_script_tags()  # the data adds no markup


def test_report_map_points_and_jupyter_view(seed_report):
    points = seed_report.map_points()
    incidents = [p for p in points if p.layer == "incident"]
    assert len(incidents) == len(seed_report.incidents)
    for point, inc in zip(incidents, seed_report.incidents):
        assert point.geo_precision in (1, 2, 3)
        assert (point.actor1, point.actor2, point.claimed_by, point.disputed_by) == \
            (inc.actor1, inc.actor2, inc.claimed_by, inc.disputed_by)
        assert point.time_precision == (inc.time_precision if inc.event_date else None)
        assert not any(label in ("actor 1", "claimed by") for label, _ in point.extra)  # fields, not extra lines
    fragment = seed_report._repr_html_()
    assert fragment.startswith('<iframe class="geoincidents-map"') and 'sandbox="allow-scripts' in fragment
    assert fragment == seed_report._repr_html_()
