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
    basemap = json_block(page, "basemap")
    names = {f["properties"]["name"] for f in basemap["features"]}
    assert {"Armenia", "Azerbaijan", "Singapore"} <= names


def test_points_reach_the_page_once_as_json(page):
    points = json_block(page, "points")
    assert [p["name"] for p in points] == [p.name for p in sample_points()]
    hostile = points[-1]
    assert "".join(hostile["quote"]) == HOSTILE
    assert hostile["quote"][1] == HOSTILE[13:19]
    assert hostile["surface"] == "Husulu </script><script>alert(1)</script>"
    assert "href" not in hostile  # javascript: is no link
    assert hostile["source"] == '<img src=x onerror="window.__pwned=1">'
    assert points[0]["href"] == "https://example.org/news/1"
    assert "surface" not in points[0]  # same as the name
    # each point's sentence is written once, not once per element
    assert page.count("the ministry said.") == 2  # two points quote the same sentence


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
    (record,) = json_block(render_html(build_map([point])), "points")
    assert record["quote"] == ["", "", point.sentence]


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
    # Leaflet (~150 KB) + basemap (~620 KB) + five points
    assert 700_000 < len(page.encode("utf-8")) < 900_000
