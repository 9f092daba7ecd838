"""The rendered map in a real browser (Debian chromium, headless, with every network request blocked)."""
from __future__ import annotations

from pathlib import Path

import pytest

from geoincidents.render import build_map, write_html
from geoincidents.types import MapPoint

import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))  # hostile_payloads

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium "
                                "(apt-get install chromium)")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

HOSTILE_SENTENCE = (
    'Husulu was hit <script>alert(1)</script> <img src=x onerror="window.__pwned=1"> '
    "${alert(1)} `tick` back\\slash </script><script>window.__pwned=2</script> <!-- end"
)
HOSTILE_SURFACE = 'Husulu<img src=x onerror="window.__pwned=3">'


def points() -> list[MapPoint]:
    s1 = "Azerbaijani forces shelled Jermuk and Goris overnight, the ministry said."
    return [
        MapPoint(39.8417, 45.67, "Jermuk", "incident", "Jermuk", s1, (27, 33),
                 "Explosions/Remote violence", "Shelling/artillery/missile attack", "2022-09-13", "AM",
                 doc_id="doc-1", source_title="Towns shelled", source_url="https://example.org/news/1"),
        MapPoint(39.5111, 46.3386, "Goris", "incident", "Goris", s1, (38, 43),
                 "Explosions/Remote violence", None, "2022-09-13", "AM", doc_id="doc-1"),
        MapPoint(40.55858, 45.54398, "Novoivanovka", "incident", "Novoivanovka",
                 "Clashes were reported near Novoivanovka.", (27, 39), "Battles", "Armed clash"),
        MapPoint(40.1811, 44.5136, "Yerevan", "mention", "Erevan", "Officials in Erevan spoke.", (13, 19)),
        MapPoint(39.64069, 46.4241, '<img src=x onerror="window.__pwned=4">Husulu', "incident",
                 HOSTILE_SURFACE, HOSTILE_SENTENCE, (0, 6), "Violence against civilians",
                 doc_id="doc</script>", source_title='<img src=x onerror="window.__pwned=5">',
                 source_url="javascript:alert(1)", extra=(("<b>x</b>", "${alert(1)}"),)),
    ]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


def open_offline(browser, path: Path):
    """Open the map at ``path`` offline (see open_offline_host) and wait until Leaflet has drawn it."""
    context, page, requests, dialogs, errors = open_offline_host(browser, path, height=700)
    page.wait_for_function("window.L && document.querySelector('.leaflet-map-pane')")
    page.wait_for_function("window.geoincidents !== undefined")
    return context, page, requests, dialogs, errors


@pytest.fixture
def opened(browser, tmp_path):
    """The sample map, opened offline."""
    path = write_html(build_map(points(), title="Border <b>clashes</b>", subtitle="test"), tmp_path / "map.html")
    context, *rest = open_offline(browser, path)
    yield rest
    context.close()


def test_map_draws_offline_and_popups_show_text(opened):
    page, requests, dialogs, errors = opened
    assert errors == []
    incidents = [p for p in points() if p.layer == "incident"]
    assert page.locator("path.gi-incident").count() == len(incidents)
    assert page.locator("path.gi-mention").count() == 1
    assert page.evaluate("window.geoincidents.points.length") == len(points())
    markers = ".leaflet-gi-incidents-pane path, .leaflet-gi-mentions-pane path"
    assert page.locator(markers).count() == len(points())
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".gi-title h1").inner_text() == "Border <b>clashes</b>"
    legend = page.locator(".gi-legend").inner_text()
    assert "Battles (1)" in legend and "Mentioned place (1)" in legend
    assert "GeoNames (CC BY 4.0)" in page.locator(".leaflet-control-attribution").inner_text()
    # the basemap is drawn, and names its countries on hover
    assert page.locator(".leaflet-gi-basemap-pane path").count() > 100
    assert page.evaluate("""(() => {
        var names = [];
        window.geoincidents.countries.eachLayer(l => names.push(l.feature.properties.name));
        return names.includes('Armenia') && names.includes('Azerbaijan');
    })()""")

    # the hostile point: everything shown as text, nothing run
    page.locator("path.gi-type-violence-against-civilians").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert HOSTILE_SENTENCE in popup.text_content()
    assert popup.locator("mark").text_content() == "Husulu"
    assert HOSTILE_SURFACE in popup.text_content()
    assert '<img src=x onerror="window.__pwned=5">' in popup.text_content()
    assert popup.locator("a").count() == 0  # javascript: URL is no link
    assert popup.locator("img, script").count() == 0
    assert "${alert(1)}" in popup.locator(".gi-facts dd").all_text_contents()

    # a well-formed source becomes a link
    page.locator(".leaflet-popup-close-button").click()
    page.evaluate("() => { window.geoincidents.openPopup(0); }")  # Jermuk
    page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://example.org/news/1"
    assert link.text_content() == "Towns shelled"

    page.wait_for_timeout(100)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert requests == []


def test_mentions_layer_toggles_off(opened):
    page, requests, dialogs, errors = opened
    assert page.locator("path.gi-mention").count() == 1
    page.locator(".leaflet-control-layers").hover()
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Mentioned place")
    label.locator("input").click()
    assert page.locator("path.gi-mention").count() == 0
    assert page.locator("path.gi-incident").count() == 4  # incident layers stay on
    label.locator("input").click()
    assert page.locator("path.gi-mention").count() == 1
    assert requests == [] and dialogs == [] and errors == []


def test_empty_map_shows_the_world(browser, tmp_path):
    path = write_html(build_map([]), tmp_path / "empty.html")
    context, page, requests, dialogs, errors = open_offline(browser, path)
    try:
        assert page.evaluate("window.geoincidents.map.getZoom()") == 2
        assert page.locator(".gi-legend").count() == 0
        assert page.locator(".leaflet-gi-basemap-pane path").count() > 100
        assert requests == [] and dialogs == [] and errors == []
    finally:
        context.close()


def test_seed_map_offline(browser, tmp_path, seed_report):
    """The README's map of the bundled example: five incident markers whose popups quote their sentences."""
    path = write_html(seed_report.to_map(), tmp_path / "seed.html")
    context, page, requests, dialogs, errors = open_offline(browser, path)
    try:
        assert errors == [] and requests == [] and dialogs == []
        assert page.evaluate("window.geoincidents.shown()") == len(seed_report.map_points())
        seen = set()
        for i, inc in enumerate(seed_report.incidents):  # map_points puts the incidents first, in order
            page.evaluate("i => { window.geoincidents.map.closePopup(); window.geoincidents.openPopup(i); }", i)
            page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
            popup = page.locator(".leaflet-popup-content")
            assert inc.sentence.text in popup.text_content()
            assert inc.toponym.mention.text in popup.locator("mark").all_text_contents()
            if inc.event_date:
                assert inc.event_date.isoformat() in popup.locator(".gi-facts").text_content()
            seen.add(inc.toponym.mention.text)
        assert {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu"} <= seen
        assert requests == []
    finally:
        context.close()


# ---------------------------------------------------------------- clusters, areas, time slider

def crowd() -> list[MapPoint]:
    """Three incidents at one place, one near it, one far, one known only to its country, one undated."""
    def point(lat, lon, name, date, **kw):
        return MapPoint(lat, lon, name, "incident", name, f"Shelling hit {name} today.", (13, 13 + len(name)),
                        "Explosions/Remote violence", "Shelling/artillery/missile attack", date, "AM", **kw)
    return [
        point(39.5111, 46.3386, "Goris A", "2022-09-12"),
        point(39.5111, 46.3386, "Goris B", "2022-09-13", time_precision=2),
        point(39.5111, 46.3386, "Goris C", "2022-09-14"),
        point(39.8417, 45.67, "Jermuk", "2022-09-13", actor1="Military Forces of Azerbaijan",
              actor2="Civilians (Armenia)", claimed_by="Ministry of Defence of Armenia",
              disputed_by="Ministry of Defence of Azerbaijan", time_precision=1),
        point(40.18, 44.51, "Yerevan", None),
        point(40.3, 45.0, "Armenia", "2022-09-14", geo_precision=3, feature_code="PCLI", time_precision=3),
    ]


@pytest.fixture
def crowded(browser, tmp_path):
    path = write_html(build_map(crowd(), title="Crowd"), tmp_path / "crowd.html")
    context, page, requests, dialogs, errors = open_offline(browser, path)
    page.evaluate("() => { window.geoincidents.map.setView([39.6, 46.0], 8, {animate: false}); }")
    yield page
    assert requests == [] and dialogs == [] and errors == []
    context.close()


def visible_incidents(page) -> int:
    """Incident markers drawn, the ones inside clusters counted by the clusters' numbers."""
    return page.evaluate("""(() => {
        let n = document.querySelectorAll('.leaflet-gi-incidents-pane path.gi-incident').length;
        document.querySelectorAll('.gi-cluster-incident').forEach(c => { n += Number(c.textContent); });
        return n + document.querySelectorAll('path.gi-area').length;
    })()""")


def test_same_place_clusters_then_spreads_apart(crowded):
    page = crowded
    cluster = page.locator(".gi-cluster-incident")
    assert cluster.count() == 1 and cluster.inner_text() == "3"
    assert visible_incidents(page) == 6
    cluster.click()
    # identical coordinates: the cluster spreads its markers around it instead of zooming
    page.wait_for_function("document.querySelectorAll('.leaflet-gi-incidents-pane path.gi-incident').length === 5")
    boxes = [page.locator(".leaflet-gi-incidents-pane path.gi-incident").nth(i).bounding_box() for i in range(5)]
    centres = {(round(b["x"] + b["width"] / 2), round(b["y"] + b["height"] / 2)) for b in boxes}
    assert len(centres) == 5  # none hidden under another
    assert page.locator(".leaflet-cluster-spider-leg, .leaflet-overlay-pane path").count() >= 3


def test_country_only_incident_is_an_area(crowded):
    page = crowded
    area = page.locator(".leaflet-gi-areas-pane path.gi-area")
    assert area.count() == 1
    box = area.bounding_box()
    assert box["width"] > 100  # a 250 km circle at zoom 8, not a 14 px pin
    i = [p.name for p in crowd()].index("Armenia")
    page.evaluate("i => window.geoincidents.openPopup(i)", i)
    facts = page.locator(".leaflet-popup-content .gi-facts").text_content()
    assert "only the region or country is known" in facts
    assert "2022-09 (within the month)" in facts


def test_popup_shows_actors_claims_and_date_precision(crowded):
    page = crowded
    i = [p.name for p in crowd()].index("Jermuk")
    page.evaluate("i => window.geoincidents.openPopup(i)", i)
    page.locator(".leaflet-popup-content").wait_for()
    facts = dict(zip(page.locator(".gi-facts dt").all_text_contents(), page.locator(".gi-facts dd").all_text_contents()))
    assert facts == {"Date": "2022-09-13 (day)", "Actor 1": "Military Forces of Azerbaijan",
                     "Actor 2": "Civilians (Armenia)", "Claimed by": "Ministry of Defence of Armenia",
                     "Disputed by": "Ministry of Defence of Azerbaijan"}
    assert page.locator(".gi-popup .gi-type").text_content() == \
        "Explosions/Remote violence \u2014 Shelling/artillery/missile attack"
    assert page.locator(".gi-popup mark").text_content() == "Jermuk"


def test_time_slider_filters_markers(crowded):
    page = crowded
    assert page.locator(".gi-time").count() == 1
    assert page.evaluate("window.geoincidents.dates") == ["2022-09-12", "2022-09-13", "2022-09-14"]
    assert visible_incidents(page) == 6
    page.locator("input.gi-time-to").fill("0")  # up to the first day: Goris A, and the undated Yerevan
    assert page.locator(".gi-time-range").text_content() == "2022-09-12"
    assert visible_incidents(page) == 2
    assert "1 of 5 dated incidents" in page.locator(".gi-time-count").text_content()
    page.locator("input.gi-time-from").fill("2")  # the from thumb pushes the to thumb along
    assert page.locator("input.gi-time-to").input_value() == "2"
    assert visible_incidents(page) == 3  # Goris C, the Armenia area, Yerevan
    assert page.locator("path.gi-area").count() == 1
    page.locator("input.gi-time-from").fill("0")
    page.locator("input.gi-time-to").fill("2")
    assert visible_incidents(page) == 6


def test_layer_toggle_and_time_slider_agree(crowded):
    page = crowded
    page.locator(".leaflet-control-layers").hover()
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Explosions/Remote violence")
    label.locator("input").click()
    assert visible_incidents(page) == 0
    page.locator("input.gi-time-to").fill("1")  # moving the slider does not bring a hidden layer back
    assert visible_incidents(page) == 0
    label.locator("input").click()
    assert visible_incidents(page) == 4  # the 12th and 13th, and the undated one


# ---------------------------------------------------------------- hostile text everywhere

def hostile_map():
    from hostile_payloads import PAYLOADS

    n = len(PAYLOADS)
    points = []
    for i, payload in enumerate(PAYLOADS):
        sentence = f"Before {payload} after."
        url = payload if ":" in payload or payload.startswith("//") else f"https://example.org/{i}"
        points.append(MapPoint(
            lat=-60 + 20 * (i // 9), lon=-160 + 40 * (i % 9), name=payload, layer="incident",
            surface=payload + " (as written)", sentence=sentence, highlight=(7, 7 + len(payload)),
            event_type=PAYLOADS[i % 3], sub_event_type=PAYLOADS[(i + 4) % n], event_date=None,
            country_code="AM", doc_id=PAYLOADS[(i + 2) % n],
            source_title=None if url == payload else PAYLOADS[(i + 1) % n], source_url=url,
            extra=((PAYLOADS[(i + 5) % n], PAYLOADS[(i + 6) % n]),),
            actor1=PAYLOADS[(i + 7) % n], actor2=PAYLOADS[(i + 8) % n],
            claimed_by=PAYLOADS[(i + 9) % n], disputed_by=PAYLOADS[(i + 10) % n],
        ))
    expected = []
    for p in points:
        texts = [p.name, p.surface, p.sentence, p.sub_event_type, p.doc_id, p.extra[0][0], p.extra[0][1],
                 p.actor1, p.actor2, p.claimed_by, p.disputed_by, p.event_type, p.source_title or p.source_url]
        expected.append(texts)
    title = " \u00a6 ".join(PAYLOADS)
    return points, expected, title


def test_hostile_payloads_stay_text(browser, tmp_path):
    points, expected, title = hostile_map()
    path = write_html(build_map(points, title=title, subtitle=title[::-1]), tmp_path / "hostile.html")
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    requests, dialogs, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")) and r.request.url.split("?")[0] == path.as_uri():
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.geoincidents && window.geoincidents.ready")
        assert errors == []
        assert page.locator(".gi-title h1").text_content() == title
        assert page.locator(".gi-title p").text_content() == title[::-1]
        legend = page.locator(".gi-legend").text_content()
        for payload in {p.event_type for p in points}:
            assert payload in legend
        contents = page.evaluate("""async (n) => {
            const out = [];
            for (let i = 0; i < n; i++) {
                window.geoincidents.map.closePopup();
                const opened = await new Promise(done => {  // a popup near the edge pans the map
                    if (!window.geoincidents.openPopup(i, () => done(true))) done(false);
                    setTimeout(() => done(false), 5000);
                });
                if (!opened) { out.push(null); continue; }
                const popup = window.geoincidents.markers[i].getPopup();  // (the one before may be fading out)
                const box = popup.isOpen() ? popup.getElement().querySelector('.leaflet-popup-content') : null;
                out.push(box && {text: box.textContent, mark: box.querySelector('mark').textContent,
                                 links: Array.from(box.querySelectorAll('a')).map(a => a.href),
                                 elements: box.querySelectorAll('img, script, iframe, svg, style, object, embed, form, input, template, noscript, math, video, marquee').length});
            }
            return out;
        }""", len(points))
        for point, texts, got in zip(points, expected, contents):
            assert got is not None, point.name
            for text in texts:
                assert text in got["text"], (point.name, text)
            assert got["mark"] == point.name
            assert got["elements"] == 0
            assert all(link.startswith(("http://", "https://")) for link in got["links"])
        # nothing in the whole page was made from the payloads
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, base, meta[http-equiv=refresh i], "
                             "script[src], link[href], svg script, noscript, template').length") == 0
        page.wait_for_timeout(200)  # give any stray handler a chance to run
        assert page.evaluate("window.__pwned") is None
        assert dialogs == [] and requests == [] and errors == []
    finally:
        context.close()


# ---------------------------------------------------------------- the embed fragment

def test_embed_fragment_draws_inside_a_host_page(browser, tmp_path):
    from geoincidents.render import embed_html

    fragment = embed_html(build_map(points(), title="Embedded"), title="Embedded")
    host = tmp_path / "host.html"
    host.write_text(f"<!doctype html><html><body><h1>Report</h1>{fragment}<p>after</p></body></html>",
                    encoding="utf-8")
    context, page, requests, dialogs, errors = open_offline_host(browser, host)
    try:
        frame = page.frame_locator("iframe.geoincidents-map")
        frame.locator("body[data-gi-ready='1']").wait_for()
        (child,) = [f for f in page.frames if f != page.main_frame]
        assert child.evaluate("window.geoincidents.shown()") == len(points())
        assert frame.locator("path.gi-incident, .gi-cluster-incident").count() >= 1
        assert page.locator("iframe.geoincidents-map").bounding_box()["height"] == 520
        assert frame.locator(".gi-title h1").text_content() == "Embedded"
        assert page.evaluate("window.geoincidents") is None  # the map lives in the frame only
        assert page.locator("p").text_content() == "after"
        assert page.evaluate("window.__pwned") is None
        assert requests == [] and dialogs == [] and errors == []
    finally:
        context.close()


def open_offline_host(browser, path: Path, height: int = 800):
    """Open ``path`` from file:// in a new context that aborts (and records) every non-local request."""
    context = browser.new_context(viewport={"width": 1000, "height": height})
    requests, dialogs, errors = [], [], []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            requests.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return context, page, requests, dialogs, errors
