"""Re-create the vendored map assets in geoincidents/data/assets/.

The files come from three npm packages fetched at pinned versions with ``npm pack``
(tarball integrity checked against the hashes below):

- ``leaflet@1.9.4``: dist/leaflet.js, dist/leaflet.css, dist/images/*.png and LICENSE,
  copied byte for byte;
- ``leaflet.markercluster@1.5.3``: dist/leaflet.markercluster.js, dist/MarkerCluster.css and
  MIT-LICENCE.txt, copied byte for byte (the cluster icons' colours are ours, in map.css);
- ``world-atlas@2.0.2``: countries-50m.json (Natural Earth admin-0 countries as
  TopoJSON), decoded here to GeoJSON: each arc simplified (Douglas-Peucker,
  ``TOLERANCE`` degrees; arcs are shared, so neighbours keep one common border),
  coordinates rounded to ``DECIMALS`` places, then each ring delta-encoded in integers
  (as the page carries it, map.js decodes it; half the size, and no float to parse per run).

Run ``python scripts/vendor_assets.py`` from the repository root (needs ``npm``);
``--check`` rebuilds into a temporary folder and fails if anything differs.
"""
from __future__ import annotations

import argparse
import base64
import filecmp
import hashlib
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "geoincidents" / "data" / "assets"

LEAFLET = ("leaflet", "1.9.4",
           "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==")
MARKERCLUSTER = ("leaflet.markercluster", "1.5.3",
                 "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==")
WORLD_ATLAS = ("world-atlas", "2.0.2",
               "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==")

# package path -> asset path, copied unchanged
LEAFLET_FILES = {
    "package/dist/leaflet.js": "leaflet.js",
    "package/dist/leaflet.css": "leaflet.css",
    "package/LICENSE": "LICENSE.leaflet",
    "package/dist/images/layers.png": "images/layers.png",
    "package/dist/images/layers-2x.png": "images/layers-2x.png",
    "package/dist/images/marker-icon.png": "images/marker-icon.png",
    "package/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
    "package/dist/images/marker-shadow.png": "images/marker-shadow.png",
}
MARKERCLUSTER_FILES = {
    "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
    "package/dist/MarkerCluster.css": "MarkerCluster.css",
    "package/MIT-LICENCE.txt": "LICENSE.markercluster",
}
WORLD_ATLAS_LICENSE = ("package/LICENSE", "LICENSE.world-atlas")
TOPOLOGY = "package/countries-50m.json"
COUNTRIES = "countries.json"
TOLERANCE = 0.03  # degrees (~3 km): keeps the file near 600 KB
DECIMALS = 2  # ~1 km


def npm_pack(name: str, version: str, integrity: str, workdir: Path) -> tarfile.TarFile:
    """Fetch ``name@version`` with ``npm pack`` and check its sha512 integrity."""
    subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--pack-destination", str(workdir),
         "--silent", "--ignore-scripts"],
        check=True, stdout=subprocess.DEVNULL,
    )
    tgz = workdir / f"{name}-{version}.tgz"
    digest = base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != integrity:
        raise SystemExit(f"{tgz.name}: integrity sha512-{digest} != pinned {integrity}")
    return tarfile.open(tgz, "r:gz")


def member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    f = tar.extractfile(name)
    if f is None:
        raise SystemExit(f"{name} missing from the package")
    return f.read()


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute [lon, lat] positions of every arc of a (possibly quantised) topology."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:  # delta-encoded integers
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: drop the points closer than ``tolerance`` to the chord kept around them."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = -1, -1.0
        for i in range(first + 1, last):
            px, py = points[i]
            d = (abs(dy * (px - ax) - dx * (py - ay)) / length if length
                 else math.hypot(px - ax, py - ay))  # a closed arc: distance to its end point
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            spans += [(first, farthest), (farthest, last)]
    return [p for p, k in zip(points, keep) if k]


def ring_positions(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """Stitch a ring's arcs (``~i`` = arc i reversed), unwrap, round, drop repeated positions."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # arcs share their end points
    out: list[list[float]] = []
    shift = 0.0
    for i, (x, y) in enumerate(points):
        # A ring that crosses the antimeridian (Russia, Fiji) jumps between +180 and -180:
        # keep its longitudes continuous (past 180) so that no line is drawn across the world.
        if i and x - points[i - 1][0] < -180:
            shift += 360.0
        elif i and x - points[i - 1][0] > 180:
            shift -= 360.0
        position = [round(x + shift, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != position:
            out.append(position)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def polygon_rings(polygon: list[list[int]], arcs) -> list[list[list[float]]] | None:
    """The rings that survive rounding (a polygon whose outer ring collapsed is dropped)."""
    rings = [ring_positions(r, arcs) for r in polygon]
    if len(rings[0]) < 4:
        return None
    return [rings[0]] + [r for r in rings[1:] if len(r) >= 4]


def topology_to_geojson(topology: dict, object_name: str) -> dict:
    """A GeoJSON FeatureCollection of one GeometryCollection object of the topology."""
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # null geometries carry no shape
            continue
        kept = [p for p in (polygon_rings(p, arcs) for p in polygons) if p]
        if not kept:
            continue
        shape = ({"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1
                 else {"type": "MultiPolygon", "coordinates": kept})
        features.append({
            "type": "Feature",
            "id": geometry.get("id"),
            "properties": {"name": geometry.get("properties", {}).get("name", "")},
            "geometry": shape,
        })
    return {"type": "FeatureCollection", "features": features}


def delta_ring(ring: list[list[float]]) -> list[int]:
    """[[x, y], ...] as [x0, y0, dx1, dy1, ...] in units of 10**-DECIMALS degrees."""
    scale = 10**DECIMALS
    out: list[int] = []
    px = py = 0
    for x, y in ring:
        ix, iy = round(x * scale), round(y * scale)
        out += [ix - px, iy - py]
        px, py = ix, iy
    return out


def delta_encoded(geojson: dict) -> dict:
    """The FeatureCollection with each ring delta-encoded (delta_ring) and ``delta_scale``
    (10**DECIMALS) added, the basemap as map.js reads it."""
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [delta_ring(r) for r in geometry["coordinates"]]
        else:
            geometry["coordinates"] = [[delta_ring(r) for r in polygon] for polygon in geometry["coordinates"]]
    geojson["delta_scale"] = 10**DECIMALS
    return geojson


def build(dest: Path) -> None:
    """Write every vendored asset into ``dest``."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for package, files in ((LEAFLET, LEAFLET_FILES), (MARKERCLUSTER, MARKERCLUSTER_FILES)):
            with npm_pack(*package, work) as tar:
                for src, out in files.items():
                    target = dest / out
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member_bytes(tar, src))
        with npm_pack(*WORLD_ATLAS, work) as tar:
            src, out = WORLD_ATLAS_LICENSE
            (dest / out).write_bytes(member_bytes(tar, src))
            topology = json.loads(member_bytes(tar, TOPOLOGY))
    basemap = delta_encoded(topology_to_geojson(topology, "countries"))
    text = json.dumps(basemap, ensure_ascii=False, separators=(",", ":"))
    (dest / COUNTRIES).write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with the committed files")
    args = parser.parse_args(argv)
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed to fetch the pinned packages")
    if not args.check:
        build(ASSETS)
        print(f"wrote vendored assets to {ASSETS}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        build(fresh)
        names = sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file())
        differ = [n for n in names
                  if not (ASSETS / n).is_file() or not filecmp.cmp(fresh / n, ASSETS / n, shallow=False)]
    for name in differ:
        print(f"differs: {name}", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
