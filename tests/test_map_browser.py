"""The rendered map in a real browser (Debian chromium, headless, with every network request blocked)."""
from __future__ import annotations

from pathlib import Path

import pytest

from geoincidents.render import build_map, write_html
from geoincidents.types import MapPoint

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
    """Open ``path`` from file:// in a new context that aborts (and records) every non-local request."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

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
    assert "${alert(1)}" in popup.locator("dd").text_content()

    # a well-formed source becomes a link
    page.locator(".leaflet-popup-close-button").click()
    page.locator("path.gi-type-explosions-remote-violence").first.click(force=True)
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
        markers = page.locator("path.gi-incident")
        assert markers.count() == 5
        seen = set()
        for inc in seed_report.incidents:
            page.evaluate(
                """([lat, lon]) => { const map = window.geoincidents.map;
                   map.eachLayer(l => { if (l instanceof L.Popup) map.removeLayer(l); });
                   for (const layer of Object.values(window.geoincidents.layers)) {
                       layer.eachLayer(m => { const p = m.getLatLng && m.getLatLng();
                           if (p && Math.abs(p.lat - lat) < 1e-6 && Math.abs(p.lng - lon) < 1e-6 && m.openPopup) m.openPopup(); }); } }""",
                [inc.toponym.place.lat, inc.toponym.place.lon],
            )
            page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
            popup = page.locator(".leaflet-popup-content")
            assert inc.sentence.text in popup.text_content()
            assert inc.toponym.mention.text in popup.locator("mark").all_text_contents()
            seen.add(inc.toponym.mention.text)
        assert seen == {"Goris", "Sotk", "Jermuk", "Novoivanovka", "Husulu"}
        assert requests == []
    finally:
        context.close()
