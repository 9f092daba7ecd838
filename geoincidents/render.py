"""The map renderer: MapPoints in, one self-contained HTML page out.

The page works with no network: Leaflet's JS and CSS, the Natural Earth country
outlines (the basemap) and the points are all inlined. Points go into the page
once, as JSON; a small script of ours (``data/assets/map.js``) makes the markers,
popups, legend and title box in the browser, putting article text into the page
as text only. Element ids are numbered by their place in the element tree at render time, so
the same points give byte-identical HTML.

This module knows nothing of NLP: it draws what it is given.
"""
from __future__ import annotations

import base64
import json
import math
import os
import re
import tempfile
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlsplit

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from markupsafe import escape

from .types import MapPoint

__all__ = ["build_map", "write_html", "render_html", "ATTRIBUTION"]

ATTRIBUTION = (
    '<a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) \u00b7 '
    '<a href="https://www.naturalearthdata.com/" title="Country outlines: Natural Earth 1:50m, '
    'showing de-facto boundaries">Natural Earth</a> \u00b7 '
    '<a href="https://leafletjs.com/">Leaflet</a>'
)
MENTION_LABEL = "Mentioned place"
OTHER_INCIDENT_LABEL = "Other incident"
BASEMAP_LABEL = "Country outlines (Natural Earth)"
WORLD_VIEW = {"center": [20.0, 10.0], "zoom": 2}
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


# ---------------------------------------------------------------- assets

def _asset(name: str) -> bytes:
    return resources.files("geoincidents").joinpath("data", "assets", name).read_bytes()


@lru_cache(maxsize=None)
def _style() -> dict[str, Any]:
    style = json.loads(_asset("map_style.json"))
    for colour in [*style["event_colours"].values(), style["unknown_colour"]]:
        if not _HEX_COLOUR.fullmatch(colour):
            raise ValueError(f"map_style.json: {colour!r} is not a #rrggbb colour")
    return style


@lru_cache(maxsize=None)
def _leaflet_js() -> str:
    text = _asset("leaflet.js").decode("utf-8")
    # the source map is not shipped: drop the comment that would make devtools fetch it
    return re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text)


@lru_cache(maxsize=None)
def _leaflet_css() -> str:
    """leaflet.css with its images inlined as data: URIs."""

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode(_asset("images/" + match.group(1))).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    return re.sub(r"url\(images/([\w-]+\.png)\)", inline, _asset("leaflet.css").decode("utf-8"))


@lru_cache(maxsize=None)
def _basemap_json() -> str:
    return _script_json(json.loads(_asset("countries.geojson")))


def _check_inline(name: str, text: str, tag: str) -> str:
    if re.search(rf"</{tag}", text, re.IGNORECASE):
        raise ValueError(f"{name} contains '</{tag}' and cannot be inlined")
    return text


# ---------------------------------------------------------------- JSON into <script>

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _script_json(value: Any) -> str:
    """Compact JSON that is safe inside a <script> element (no '</script>', no '<!--')."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group()], text)


# ---------------------------------------------------------------- points -> page data

def _http_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not re.search(r"[\x00-\x20\x7f]", url):
        return url
    return None


def _quote(point: MapPoint) -> list[str] | None:
    """The sentence split around the highlighted surface: [before, marked, after]."""
    sentence = point.sentence or ""
    if not sentence:
        return None
    start, end = point.highlight if point.highlight else (0, 0)
    if not (0 <= start <= end <= len(sentence)):
        start = end = 0
    return [sentence[:start], sentence[start:end], sentence[end:]]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def _layer_key(point: MapPoint) -> str:
    if point.layer == "mention":
        return "mention"
    return "incident:" + (point.event_type or "")


def _layer_specs(points: Sequence[MapPoint]) -> list[dict[str, Any]]:
    """One overlay per event type present (palette order, then by name), then mentions."""
    style = _style()
    known = {name.casefold(): (i, colour) for i, (name, colour) in enumerate(style["event_colours"].items())}
    counts = Counter(_layer_key(p) for p in points)
    incident_types = {p.event_type or "" for p in points if p.layer != "mention"}

    def order(event_type: str) -> tuple[int, int, str]:
        if event_type.casefold() in known:
            return (0, known[event_type.casefold()][0], "")
        return (1 if event_type else 2, 0, event_type)

    specs = []
    for event_type in sorted(incident_types, key=order):
        key = "incident:" + event_type
        colour = known.get(event_type.casefold(), (0, style["unknown_colour"]))[1]
        name = event_type or OTHER_INCIDENT_LABEL
        specs.append({
            "key": key,
            "kind": "incident",
            "colour": colour,
            "class_name": f"gi-incident gi-type-{_slug(event_type or 'other')}",
            "legend": f"{name} ({counts[key]})",
            "label_html": (f'<span class="gi-swatch gi-swatch-incident" style="background:{colour}"></span> '
                           + str(escape(f"{name} ({counts[key]})"))),
        })
    if counts["mention"]:
        label = f"{MENTION_LABEL} ({counts['mention']})"
        specs.append({
            "key": "mention",
            "kind": "mention",
            "colour": style["mention_marker"]["color"],
            "class_name": "gi-mention",
            "legend": label,
            "label_html": '<span class="gi-swatch gi-swatch-mention"></span> ' + str(escape(label)),
        })
    return specs


def _bounds(points: Sequence[MapPoint]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the incidents, else of every point, else None."""
    chosen = [p for p in points if p.layer != "mention"] or list(points)
    if not chosen:
        return None
    lats = [p.lat for p in chosen]
    lons = [p.lon for p in chosen]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _check_point(point: MapPoint) -> None:
    if point.layer not in ("incident", "mention"):
        raise ValueError(f"MapPoint {point.name!r}: layer must be 'incident' or 'mention', not {point.layer!r}")
    if not (math.isfinite(point.lat) and math.isfinite(point.lon)
            and -90 <= point.lat <= 90 and -180 <= point.lon <= 180):
        raise ValueError(f"MapPoint {point.name!r}: no valid coordinates ({point.lat}, {point.lon})")


def _point_record(point: MapPoint) -> dict[str, Any]:
    """What the page needs of one point, empty fields left out."""
    record: dict[str, Any] = {
        "lat": round(float(point.lat), 6),
        "lon": round(float(point.lon), 6),
        "key": _layer_key(point),
        "name": point.name,
        "surface": point.surface if point.surface and point.surface != point.name else None,
        "quote": _quote(point),
        "type": point.event_type if point.layer != "mention" else None,
        "subtype": point.sub_event_type if point.layer != "mention" else None,
        "date": point.event_date,
        "cc": point.country_code,
        "doc": point.doc_id,
        "source": point.source_title or point.source_url,
        "href": _http_url(point.source_url),
        "extra": [[str(label), str(value)] for label, value in point.extra],
    }
    return {k: v for k, v in record.items() if v not in (None, "", [])}


# ---------------------------------------------------------------- folium elements

class _InlineLeaflet(MacroElement):
    """Leaflet's JS and CSS and our map CSS, written into the page head."""

    _template = Template(
        "{% macro header(this, kwargs) %}"
        "<style>{{ this.leaflet_css }}</style>\n"
        "<style>{{ this.map_css }}</style>\n"
        "<script>{{ this.leaflet_js }}</script>\n"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "InlineLeaflet"
        self.leaflet_css = _check_inline("leaflet.css", _leaflet_css(), "style")
        self.map_css = _check_inline("map.css", _asset("map.css").decode("utf-8"), "style")
        self.leaflet_js = _check_inline("leaflet.js", _leaflet_js(), "script")


class _IncidentOverlay(MacroElement):
    """The points, the basemap and the script that draws them, for one map."""

    _template = Template(
        "{% macro header(this, kwargs) %}"
        "{% if this.title %}<title>{{ this.title|e }}</title>{% endif %}\n"
        "{% endmacro %}"
        "{% macro html(this, kwargs) %}"
        '<script type="application/json" id="{{ this.get_name() }}-config">{{ this.config_json }}</script>\n'
        '<script type="application/json" id="{{ this.get_name() }}-points">{{ this.points_json }}</script>\n'
        '<script type="application/json" id="{{ this.get_name() }}-basemap">{{ this.basemap_json }}</script>\n'
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{{ this.map_js }}\n"
        "(function () {\n"
        "  function data(part) {\n"
        "    return JSON.parse(document.getElementById({{ this.get_name()|tojson }} + '-' + part).textContent);\n"
        "  }\n"
        "  geoincidentsMap({{ this._parent.get_name() }}, data('config'), data('points'), data('basemap'));\n"
        "})();\n"
        "{% endmacro %}"
    )

    def __init__(self, points: Sequence[MapPoint], *, title: str, subtitle: str, tiles_label: str | None):
        super().__init__()
        self._name = "GeoincidentsOverlay"
        style = _style()
        self.title = " \u2014 ".join(t for t in (title, subtitle) if t)
        config = {
            "title": title,
            "subtitle": subtitle,
            "attribution": ATTRIBUTION,
            "basemap_label": BASEMAP_LABEL,
            "tiles_label": str(escape(tiles_label or "")),
            "layers": _layer_specs(points),
            "bounds": _bounds(points),
            "world_view": WORLD_VIEW,
            "style": {k: style[k] for k in ("incident_marker", "mention_marker", "basemap",
                                            "single_point_zoom", "max_fit_zoom")},
        }
        self.config_json = _script_json(config)
        self.points_json = _script_json([_point_record(p) for p in points])
        self.basemap_json = _basemap_json()
        self.map_js = _check_inline("map.js", _asset("map.js").decode("utf-8"), "script")


# ---------------------------------------------------------------- API

def build_map(
    points: Sequence[MapPoint],
    *,
    title: str = "",
    subtitle: str = "",
    tiles: str | None = None,
) -> folium.Map:
    """A folium Map of ``points`` that renders to a self-contained, offline page.

    ``tiles`` (an xyzservices / folium tile name such as 'OpenStreetMap', or a URL
    template) adds an online tile layer under the points; by default there is none
    and the basemap is the inlined Natural Earth country outlines.
    """
    points = list(points)
    for point in points:
        _check_point(point)
    m = folium.Map(location=None, tiles=None, control_scale=True, zoom_control=False)
    # no CDN links: Leaflet is inlined by _InlineLeaflet, nothing else is needed
    m.default_js = []
    m.default_css = []
    tiles_label = None
    if tiles:
        tile_layer = folium.TileLayer(tiles, name="tiles", control=False)
        tile_layer.add_to(m)
        tiles_label = f"Online tiles ({tiles})"
    _InlineLeaflet().add_to(m)
    _IncidentOverlay(points, title=title, subtitle=subtitle, tiles_label=tiles_label).add_to(m)
    return m


def render_html(m: folium.Map) -> str:
    """The page of map ``m``: the same map gives the same bytes on every call and run."""
    figure = m.get_root()
    if not isinstance(figure, Figure):
        figure = Figure()
        figure.add_child(m)
    _number_elements(figure)
    parts = (figure.header, figure.html, figure.script)
    for part in parts:  # forget what an earlier render wrote into the page skeleton
        for name in [n for n, child in part._children.items() if getattr(child, "_gi_rendered", False)]:
            del part._children[name]
    before = {id(child) for part in parts for child in part._children.values()}
    html = figure.render()
    for part in parts:
        for child in part._children.values():
            if id(child) not in before:
                child._gi_rendered = True
    return html


def write_html(m: folium.Map, path: Path) -> Path:
    """Write the page of ``m`` to ``path`` atomically (creating parent folders); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = render_html(m).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _number_elements(root: Element) -> None:
    """Give every element an id from its place in the tree (folium draws them at random).

    The id is the path of child indices from the root ('e0_2_1'), so a child that an
    element adds to itself while rendering (folium's layers do) comes last among its
    siblings and changes no other element's id: rendering twice gives the same page.
    """
    stack = [(root, "")]
    while stack:
        element, path = stack.pop()
        element._id = "e" + path if path else "e"
        for index, child in enumerate(element._children.values()):
            stack.append((child, f"{path}_{index}" if path else str(index)))
