"""The map renderer: MapPoints in, one self-contained HTML page out.

The page works with no network: Leaflet and Leaflet.markercluster (JS and CSS), the
Natural Earth country outlines (the basemap) and the points are all inlined. Points go
into the page once, as a compact JSON table whose strings (sentences, names, types...)
are each written once; a small script of ours (``data/assets/map.js``) makes the
markers, clusters, areas, popups, legend, time slider and title box in the browser,
putting article text into the page as text only. Element ids are numbered by their
place in the element tree at render time, so the same points give byte-identical HTML.

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
import xyzservices

from .types import MapPoint

__all__ = ["build_map", "write_html", "render_html", "embed_html", "write_bytes", "tile_provider",
           "ATTRIBUTION"]

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
def _cluster_js() -> str:
    text = _asset("leaflet.markercluster.js").decode("utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text)


@lru_cache(maxsize=None)
def _leaflet_css() -> str:
    """leaflet.css with its images inlined as data: URIs and Unix line ends (it comes with CRLF)."""

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode(_asset("images/" + match.group(1))).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    text = re.sub(r"\r\n?", "\n", _asset("leaflet.css").decode("utf-8"))
    return re.sub(r"url\(images/([\w-]+\.png)\)", inline, text)


@lru_cache(maxsize=None)
def _basemap_json() -> str:
    """The country outlines, each ring delta-encoded in integers (scripts/vendor_assets.py).

    The file is compact JSON as json.dumps writes it, so it is made safe for a <script> as it
    is: what _script_json(json.loads(...)) gives, without decoding and encoding 290 kB again.
    """
    return _script_safe(_asset("countries.json").decode("utf-8").rstrip("\n"))


def _check_inline(name: str, text: str, tag: str) -> str:
    if re.search(rf"</{tag}", text, re.IGNORECASE):
        raise ValueError(f"{name} contains '</{tag}' and cannot be inlined")
    return text


# ---------------------------------------------------------------- JSON into <script>

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
                   "{": "\\u007b"}
# a '{' opening '{{', '{%' or '{#' (only ever inside a JSON string) is escaped too, so that data
# is never run as a template even if it went through a branca Element (which compiles its text)
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]|\\{(?=[{%#])")


def _script_json(value: Any) -> str:
    """Compact JSON that is safe inside a <script> element (no '</script>', no '<!--', no Jinja tags)."""
    return _script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def _script_safe(text: str) -> str:
    """JSON text with what may not stand in a <script> escaped (it only ever stands inside strings)."""
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


def _utf16(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _highlight(point: MapPoint) -> tuple[int, int]:
    """The span of the surface within the sentence, in the UTF-16 units JavaScript counts
    (an emoji or a rare CJK character is one Python character but two units), or (0, 0)
    when it does not fit."""
    start, end = point.highlight if point.highlight else (0, 0)
    sentence = point.sentence or ""
    if not (0 <= start <= end <= len(sentence)):
        return (0, 0)
    if sentence.isascii():
        return (int(start), int(end))
    return (_utf16(sentence[:start]), _utf16(sentence[:end]))


_TIME_PRECISION = {1: "day", 2: "within a week", 3: "within the month"}  # ACLED's time_precision


_GEO_PRECISION = {
    2: "somewhere in this district (approximate)",
    3: "only the region or country is known (circle: approximate area)",
}


def _area_km(point: MapPoint) -> float:
    """Radius of the circle drawn for a geo_precision 3 incident (0: drawn as a point)."""
    if point.layer == "mention" or point.geo_precision != 3:
        return 0
    radii = _style()["area"]["radius_km"]
    for prefix, km in radii.items():
        if prefix != "default" and point.feature_code.startswith(prefix):
            return km
    return radii["default"]


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
            "event_type": event_type,
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


def _dates(points: Sequence[MapPoint]) -> list[str]:
    """The distinct dates of the incidents, in order: the steps of the time slider."""
    return sorted({p.event_date for p in points if p.layer != "mention" and p.event_date})


def _check_point(point: MapPoint) -> None:
    if point.layer not in ("incident", "mention"):
        raise ValueError(f"MapPoint {point.name!r}: layer must be 'incident' or 'mention', not {point.layer!r}")
    if not (math.isfinite(point.lat) and math.isfinite(point.lon)
            and -90 <= point.lat <= 90 and -180 <= point.lon <= 180):
        raise ValueError(f"MapPoint {point.name!r}: no valid coordinates ({point.lat}, {point.lon})")


# The columns of the points table, in order. Text columns hold an index into the
# table's string list (0 is the empty string, i.e. no value); "doc" indexes the table's
# list of sources ([doc id, title, http(s) URL] as string indices, 0 for none); the other
# columns hold numbers, 0 for none; "extra" holds [label, value, label, value, ...]
# string indices. The DELTA_COLUMNS hold the change from the row before (names, sentences
# and sources mostly come new in order, so the change is small). Rows drop their trailing
# zeros. map.js turns each row back into an object.
POINT_COLUMNS = (
    "lat", "lon", "layer", "name", "sentence", "hl_start", "hl_length", "date", "time_precision", "doc",
    "surface", "subtype", "cc", "geo_precision", "area_km",
    "actor1", "actor2", "claimed_by", "disputed_by", "extra",
)
TEXT_COLUMNS = frozenset({
    "name", "sentence", "date", "surface", "subtype", "cc", "actor1", "actor2", "claimed_by", "disputed_by",
})
DELTA_COLUMNS = ("name", "sentence", "doc")
_TEXT_IN_ORDER = tuple(c for c in POINT_COLUMNS if c in TEXT_COLUMNS)


def _points_table(points: Sequence[MapPoint], layer_index: dict[str, int]) -> dict[str, Any]:
    """The points as a table: one row of numbers per point, and the strings they index.

    The strings are numbered by how many rows use them (most used first, then in order
    of first use), so that the indices written most often are the shortest.
    """
    raw_rows = []
    uses: Counter[str] = Counter()
    for point in points:
        mention = point.layer == "mention"
        hl_start, hl_end = _highlight(point)
        values: dict[str, Any] = {
            "lat": round(float(point.lat), 5),
            "lon": round(float(point.lon), 5),
            "layer": layer_index[_layer_key(point)],
            "name": point.name,
            "sentence": point.sentence,
            "hl_start": hl_start,
            "hl_length": hl_end - hl_start,
            "date": point.event_date,
            "time_precision": (point.time_precision if point.event_date and point.time_precision in _TIME_PRECISION
                               else 0),
            "doc": (point.doc_id or "", point.source_title or point.source_url or "", _http_url(point.source_url) or ""),
            "surface": point.surface if point.surface != point.name else None,
            "subtype": None if mention else point.sub_event_type,
            "cc": point.country_code,
            "geo_precision": 0 if mention or point.geo_precision not in _GEO_PRECISION else point.geo_precision,
            "area_km": _area_km(point),
            "actor1": point.actor1,
            "actor2": point.actor2,
            "claimed_by": point.claimed_by,
            "disputed_by": point.disputed_by,
            "extra": [str(text) for pair in point.extra for text in pair],
        }
        for column in _TEXT_IN_ORDER:  # (a set's order would change with PYTHONHASHSEED)
            if values[column]:
                values[column] = str(values[column])
                uses[values[column]] += 1
        uses.update(values["extra"])
        raw_rows.append(values)
    docs = list(dict.fromkeys(v["doc"] for v in raw_rows if any(v["doc"])))
    for doc in docs:
        uses.update(doc)
    uses.pop("", None)
    first_use = {text: i for i, text in enumerate(uses)}  # Counter keeps insertion order
    # strings used more than once first (most used first), then the others in order of use
    strings = [""] + sorted(uses, key=lambda text: (-uses[text], first_use[text]) if uses[text] > 1 else (0, first_use[text]))
    index = {text: i for i, text in enumerate(strings)}
    doc_index = {doc: i for i, doc in enumerate(docs, start=1)}
    rows = []
    previous = dict.fromkeys(DELTA_COLUMNS, 0)
    for values in raw_rows:
        row = []
        for column in POINT_COLUMNS:
            value = values[column]
            if column == "extra":
                value = [index[text] for text in value] or 0
            elif column == "doc":
                value = doc_index.get(value, 0)
            elif column in TEXT_COLUMNS:
                value = index[value] if value else 0
            else:
                value = value or 0
            if column in previous:
                value, previous[column] = value - previous[column], value
            row.append(value)
        while row and row[-1] == 0:
            row.pop()
        rows.append(row)
    return {"columns": list(POINT_COLUMNS), "text_columns": sorted(TEXT_COLUMNS),
            "delta_columns": list(DELTA_COLUMNS), "strings": strings, "docs": [[index[text] for text in doc] for doc in docs], "rows": rows}


def decode_points(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The points of a page's table as map.js reads them (for tests and tools), empty fields left out."""
    strings, text = table["strings"], set(table["text_columns"])
    previous = dict.fromkeys(table["delta_columns"], 0)
    out = []
    for row in table["rows"]:
        record: dict[str, Any] = {}
        row = row + [0] * (len(table["columns"]) - len(row))
        for column, value in zip(table["columns"], row):
            if column in previous:
                value = previous[column] = previous[column] + value
            if column == "extra":
                value = [[strings[a], strings[b]] for a, b in zip(value[::2], value[1::2])] if value else 0
            elif column == "doc":
                if value:
                    for key, i in zip(("doc", "source", "href"), table["docs"][value - 1]):
                        if i:
                            record[key] = strings[i]
                continue
            elif column in text:
                value = strings[value]
            if value not in (0, ""):
                record[column] = value
        out.append(record)
    return out


# ---------------------------------------------------------------- folium elements

class _Verbatim(Element):
    """Text that goes into the page as it is."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _Part(MacroElement):
    """A MacroElement whose header, html and script go into the page as they are rendered.

    branca's MacroElement wraps each in an Element, which compiles its text as a Jinja template
    again before writing it out: for the inlined Leaflet and basemap (half a megabyte), longer
    than the rest of the page. The macros end without a newline, as that compilation left them.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in macros:
                getattr(figure, part).add_child(_Verbatim(macros[part](self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _InlineLeaflet(_Part):
    """Leaflet's and Leaflet.markercluster's JS and CSS and our map CSS, written into the page head."""

    _template = Template(
        "{% macro header(this, kwargs) %}"
        "<style>{{ this.leaflet_css }}</style>\n"
        "<style>{{ this.cluster_css }}</style>\n"
        "<style>{{ this.map_css }}</style>\n"
        "<script>{{ this.leaflet_js }}</script>\n"
        "<script>{{ this.cluster_js }}</script>"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "InlineLeaflet"
        self.leaflet_css = _check_inline("leaflet.css", _leaflet_css(), "style")
        self.cluster_css = _check_inline("MarkerCluster.css", _asset("MarkerCluster.css").decode("utf-8"), "style")
        self.map_css = _check_inline("map.css", _asset("map.css").decode("utf-8"), "style")
        self.leaflet_js = _check_inline("leaflet.js", _leaflet_js(), "script")
        self.cluster_js = _check_inline("leaflet.markercluster.js", _cluster_js(), "script")


class _IncidentOverlay(_Part):
    """The points, the basemap and the script that draws them, for one map."""

    _template = Template(
        "{% macro header(this, kwargs) %}"
        "{% if this.title %}<title>{{ this.title|e|replace('{', '&#123;') }}</title>{% endif %}"
        "{% endmacro %}"
        "{% macro html(this, kwargs) %}"
        '<script type="application/json" id="{{ this.get_name() }}-config">{{ this.config_json }}</script>\n'
        '<script type="application/json" id="{{ this.get_name() }}-points">{{ this.points_json }}</script>\n'
        '<script type="application/json" id="{{ this.get_name() }}-basemap">{{ this.basemap_json }}</script>'
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{{ this.map_js }}\n"
        "(function () {\n"
        "  function data(part) {\n"
        "    return JSON.parse(document.getElementById({{ this.get_name()|tojson }} + '-' + part).textContent);\n"
        "  }\n"
        "  geoincidentsMap({{ this._parent.get_name() }}, data('config'), data('points'), data('basemap'));\n"
        "})();"
        "{% endmacro %}"
    )

    def __init__(self, points: Sequence[MapPoint], *, title: str, subtitle: str, tiles_label: str | None):
        super().__init__()
        self._name = "GeoincidentsOverlay"
        style = _style()
        self.title = " \u2014 ".join(t for t in (title, subtitle) if t)
        layers = _layer_specs(points)
        config = {
            "title": title,
            "subtitle": subtitle,
            "attribution": ATTRIBUTION,
            "basemap_label": BASEMAP_LABEL,
            "tiles_label": str(escape(tiles_label or "")),
            "layers": layers,
            "bounds": _bounds(points),
            "dates": _dates(points),
            "geo_precision": {str(k): v for k, v in _GEO_PRECISION.items()},
            "time_precision": {str(k): v for k, v in _TIME_PRECISION.items()},
            "world_view": WORLD_VIEW,
            "style": {k: style[k] for k in ("incident_marker", "mention_marker", "area", "cluster", "basemap",
                                            "single_point_zoom", "max_fit_zoom")},
        }
        self.config_json = _script_json(config)
        layer_index = {spec["key"]: i for i, spec in enumerate(layers)}
        self.points_json = _script_json(_points_table(points, layer_index))
        self.basemap_json = _basemap_json()
        self.map_js = _check_inline("map.js", _asset("map.js").decode("utf-8"), "script")


# ---------------------------------------------------------------- API

def tile_provider(name: str) -> xyzservices.TileProvider:
    """The xyzservices tile provider called ``name`` ('OpenStreetMap', 'OpenTopoMap', ...).

    Raises ValueError (one line) for an unknown name or a provider that needs an API key.
    """
    query = (name or "").strip()
    if query.casefold() == "openstreetmap":  # the bunch's usual member, as folium does
        query = "OpenStreetMap.Mapnik"
    try:
        provider = xyzservices.providers.query_name(query)
    except ValueError:
        raise ValueError(f"unknown tile provider {name!r} (use an xyzservices name such as "
                         "OpenStreetMap, OpenTopoMap or Esri.WorldImagery)") from None
    if provider.requires_token():
        raise ValueError(f"tile provider {provider.name} needs an API key; choose one that does not "
                         "(e.g. OpenStreetMap, OpenTopoMap)")
    return provider


def build_map(
    points: Sequence[MapPoint],
    *,
    title: str = "",
    subtitle: str = "",
    tiles: str | None = None,
) -> folium.Map:
    """A folium Map of ``points`` that renders to a self-contained, offline page.

    ``tiles`` (an xyzservices name such as 'OpenStreetMap' or 'OpenTopoMap') adds an
    online tile layer under the points; by default there is none and the basemap is the
    inlined Natural Earth country outlines. Raises ValueError for a bad point or tile name.
    """
    points = list(points)
    for point in points:
        _check_point(point)
    provider = tile_provider(tiles) if tiles else None
    m = folium.Map(location=None, tiles=None, control_scale=True, zoom_control=False)
    # no CDN links: Leaflet and the cluster plugin are inlined by _InlineLeaflet, nothing else is needed
    m.default_js = []
    m.default_css = []
    tiles_label = None
    if provider is not None:
        folium.TileLayer(provider, name="tiles", control=False).add_to(m)
        tiles_label = f"Online tiles ({provider.name})"
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


def embed_html(m: folium.Map, *, height: str = "520px", title: str = "Incident map") -> str:
    """An HTML fragment that shows map ``m`` inside another page (or a Jupyter notebook).

    The whole page goes, escaped, into the ``srcdoc`` of a sandboxed iframe: its scripts run
    with an opaque origin (they cannot reach the host page), and its styles stay inside.
    The sandbox allows scripts and nothing else: no new windows, no navigation of the host,
    so a source link in a popup shows its address but does not open from inside the frame.
    """
    if not re.fullmatch(r"\d+(\.\d+)?(px|em|rem|vh|%)", height):
        raise ValueError(f"height {height!r} is not a CSS length such as 520px")
    return (
        f'<iframe class="geoincidents-map" title="{escape(title)}" '
        f'sandbox="allow-scripts" '
        f'style="width:100%;height:{height};border:0" srcdoc="{escape(render_html(m))}"></iframe>\n'
    )


def write_bytes(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` atomically (creating parent folders; keeping an existing file's mode)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
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


def write_html(m: folium.Map, path: Path, *, embed: bool = False) -> Path:
    """Write the page of ``m`` (or, with ``embed``, its iframe fragment) to ``path`` atomically."""
    text = embed_html(m) if embed else render_html(m)
    return write_bytes(text.encode("utf-8"), path)


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
