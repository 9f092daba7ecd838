"""PNG and PDF of a map page, drawn by headless Chromium (through playwright).

Imported only when a PNG or PDF is asked for: playwright is the optional extra
``capture`` (``pip install 'geoincidents[capture]'``) and the browser is the system's
Chromium (Debian: ``apt-get install chromium``), never one that playwright downloads.

The page is opened from a temporary file with every request that would leave the
machine refused (unless the map has online tiles, which were asked for), the viewport
set to the picture's or the paper's size before it loads, and the capture taken once
map.js says everything is drawn (``window.geoincidents.ready``). Print styles apply to
both formats: no zoom buttons, layer switcher, slider handles or popups on paper.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["CaptureError", "PAGE_SIZES", "capture", "find_chromium"]

# paper sizes in millimetres (portrait)
PAGE_SIZES = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "Letter": (215.9, 279.4)}
CSS_PX_PER_MM = 96 / 25.4
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
READY_TIMEOUT_MS = 60_000


class CaptureError(Exception):
    """The picture could not be made (no playwright, no browser, the page did not draw)."""


def find_chromium() -> str | None:
    """The system Chromium: $GEOINCIDENTS_CHROMIUM, /usr/bin/chromium, or chromium on PATH."""
    for candidate in (os.environ.get("GEOINCIDENTS_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _viewport(fmt: str, width: int, height: int, page_size: str, landscape: bool) -> dict[str, int]:
    if fmt == "png":
        return {"width": width, "height": height}
    w_mm, h_mm = PAGE_SIZES[page_size]
    if landscape:
        w_mm, h_mm = h_mm, w_mm
    # the page box in CSS pixels, rounded down so that the map never spills onto a second page
    return {"width": int(w_mm * CSS_PX_PER_MM), "height": int(h_mm * CSS_PX_PER_MM)}


def capture(html: str, fmt: str, *, width: int = 1600, height: int = 1000, scale: float = 1.0,
            page_size: str = "A4", landscape: bool = False, online: bool = False) -> bytes:
    """The PNG or PDF (``fmt``) of the map page ``html``, as bytes.

    PNG: ``width`` x ``height`` CSS pixels at ``scale`` device pixels each. PDF: one page of
    ``page_size`` (A4, A3, Letter), portrait unless ``landscape``, the map filling it.
    ``online``: let the page fetch tiles (only when the map was built with online tiles).
    """
    if fmt not in ("png", "pdf"):
        raise ValueError(f"cannot capture {fmt!r}: png or pdf")
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r} (one of {', '.join(PAGE_SIZES)})")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise CaptureError("PNG and PDF output need playwright: pip install 'geoincidents[capture]' "
                           "(and Chromium: apt-get install chromium)") from None
    executable = find_chromium()
    viewport = _viewport(fmt, width, height, page_size, landscape)
    with tempfile.TemporaryDirectory(prefix="geoincidents-") as tmp:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                try:
                    browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
                except PlaywrightError as e:
                    raise CaptureError("cannot start Chromium for PNG/PDF output (install it: apt-get install "
                                       f"chromium, or set GEOINCIDENTS_CHROMIUM): {str(e).splitlines()[0]}") from None
                try:
                    context = browser.new_context(viewport=viewport, device_scale_factor=scale if fmt == "png" else 1)
                    local = ("file:", "data:", "about:", "blob:")
                    context.route("**/*", lambda r: r.continue_() if online or r.request.url.startswith(local)
                                  else r.abort())
                    page = context.new_page()
                    page.emulate_media(media="print")
                    page.goto(page_file.as_uri())
                    try:
                        page.wait_for_function("window.geoincidents && window.geoincidents.ready === true",
                                               timeout=READY_TIMEOUT_MS)
                    except PlaywrightError:
                        raise CaptureError(f"the map did not finish drawing within {READY_TIMEOUT_MS // 1000} s") from None
                    # two frames, so that what was drawn last is painted
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    if fmt == "png":
                        return page.screenshot(type="png", full_page=False)
                    w_mm, h_mm = PAGE_SIZES[page_size]
                    return page.pdf(width=f"{w_mm}mm", height=f"{h_mm}mm", landscape=landscape,
                                    print_background=True, margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
                finally:
                    browser.close()
        except PlaywrightError as e:
            raise CaptureError(f"Chromium failed: {str(e).splitlines()[0]}") from None
