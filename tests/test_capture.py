"""PNG and PDF maps drawn by headless Chromium (geoincidents.capture, `map --format png|pdf`)."""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoincidents import capture as capture_module
from geoincidents.capture import PAGE_SIZES, CaptureError, capture
from geoincidents.cli import main
from geoincidents.render import _style, build_map, render_html
from geoincidents.types import MapPoint

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "armenia-azerbaijan-2022-09-13.id.txt"


def _playwright_missing() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return True
    return False


browser = pytest.mark.skipif(capture_module.find_chromium() is None or _playwright_missing(),
                             reason="needs the playwright package and Chromium at /usr/bin/chromium")


def points() -> list[MapPoint]:
    s = "Azerbaijani forces shelled Jermuk and Goris overnight; clashes near Novoivanovka."
    return [
        MapPoint(39.8417, 45.67, "Jermuk", "incident", "Jermuk", s, (27, 33), "Explosions/Remote violence"),
        MapPoint(39.5111, 46.3386, "Goris", "incident", "Goris", s, (38, 43), "Explosions/Remote violence"),
        MapPoint(40.55858, 45.54398, "Novoivanovka", "incident", "Novoivanovka", s, (68, 80), "Battles"),
        MapPoint(39.64069, 46.4241, "Husulu", "incident", "Husulu", "Civilians were attacked in Husulu.", (27, 33),
                 "Violence against civilians"),
    ]


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def colour_count(image, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    return sum(n for n, pixel in image.getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], rgb)))


def pdf_page_boxes(data: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


@browser
def test_png_shows_the_markers_on_the_basemap():
    Image = pytest.importorskip("PIL.Image", reason="needs Pillow (pip install Pillow)")
    png = capture(render_html(build_map(points(), title="Border clashes")), "png", width=900, height=600)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (900, 600)
    style = _style()
    land = _hex(style["basemap"]["fillColor"])
    alpha = style["incident_marker"]["fillOpacity"]

    def on_land(colour: str) -> tuple[int, int, int]:  # the marker's fill as drawn over the land
        return tuple(round(alpha * c + (1 - alpha) * g) for c, g in zip(_hex(colour), land))

    colours = style["event_colours"]
    # every event type present is drawn in its palette colour (7 px radius markers: well over 40 px each)
    assert colour_count(image, on_land(colours["Explosions/Remote violence"]), 6) > 2 * 40
    assert colour_count(image, on_land(colours["Battles"]), 6) > 40
    assert colour_count(image, on_land(colours["Violence against civilians"]), 6) > 40
    assert colour_count(image, on_land(colours["Protests"]), 6) == 0  # no such incident, no such colour
    # and the basemap's land fill covers much of the picture: the map was drawn, not a blank page
    assert colour_count(image, land, tolerance=4) > 0.2 * 900 * 600
    assert len(image.getcolors(maxcolors=1 << 24)) > 20


@browser
@pytest.mark.parametrize("page_size, landscape", [("A4", False), ("Letter", True)])
def test_pdf_has_the_page_size_asked_for(page_size, landscape):
    pdf = capture(render_html(build_map(points(), title="Border clashes")), "pdf",
                  page_size=page_size, landscape=landscape)
    assert pdf.startswith(b"%PDF")
    boxes = pdf_page_boxes(pdf)
    assert len(boxes) == 1  # the map fits on one page
    w_mm, h_mm = PAGE_SIZES[page_size]
    expected = (w_mm / 25.4 * 72, h_mm / 25.4 * 72)
    if landscape:
        expected = expected[::-1]
    (got,) = boxes
    assert got == pytest.approx(expected, abs=2.0)  # Chromium rounds the page to whole CSS pixels


@browser
def test_cli_png_and_pdf(tmp_path):
    runner = CliRunner()
    png = tmp_path / "out" / "map.png"
    result = runner.invoke(main, ["map", "--published", "2022-09-13", str(EXAMPLE), "--format", "png", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in png.parent.iterdir()) == ["map.png"]  # no temporary file left
    pdf = tmp_path / "map.pdf"
    result = runner.invoke(main, ["map", str(EXAMPLE), "--format", "pdf", "--page-size", "A3", "--landscape",
                                  "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    (box,) = pdf_page_boxes(pdf.read_bytes())
    assert box == pytest.approx((420 / 25.4 * 72, 297 / 25.4 * 72), abs=2.0)


def test_missing_playwright_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(CaptureError, match=r"pip install 'geoincidents\[capture\]'") as info:
        capture("<html></html>", "png")
    assert "\n" not in str(info.value)


def test_bad_arguments():
    with pytest.raises(ValueError):
        capture("<html></html>", "gif")
    with pytest.raises(ValueError):
        capture("<html></html>", "pdf", page_size="B5")


def test_cli_refuses_bad_combinations(tmp_path):
    runner = CliRunner()
    target = tmp_path / "x.png"
    result = runner.invoke(main, ["map", str(EXAMPLE), "--format", "png", "--embed", "-o", str(target)])
    assert result.exit_code == 2 and "--embed" in result.output
    result = runner.invoke(main, ["map", str(EXAMPLE), "--tiles", "NoSuchTiles", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "unknown tile provider" in result.output
    assert list(tmp_path.iterdir()) == []
    assert "Traceback" not in result.output
