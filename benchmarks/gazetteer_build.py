#!/usr/bin/env python3
"""How long `geoincidents gazetteer build` takes on a generated GeoNames dump, and what the
index costs on disk.

    python benchmarks/gazetteer_build.py                 # 1,000,000 place rows, 2 alternate names each
    python benchmarks/gazetteer_build.py --rows 200000 --alternates 1

The dump is synthetic (random names, points, populations; 70 % class P, 10 % class A, the rest
other classes that the build drops) and written to a temporary folder; it says nothing about
name quality, only time, peak memory and size.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geoincidents.geonames_dump import build  # noqa: E402

SYLLABLES = ["ka", "ra", "van", "gor", "is", "zan", "ga", "tun", "ver", "in", "sot", "jer", "muk", "no", "vo",
             "ivan", "ov", "ka", "hu", "su", "lu", "ba", "ku", "ye", "re", "mi", "ash", "tar", "ab", "ad"]
CODES = ["PPL"] * 60 + ["PPLA2", "PPLA3", "PPLX"] * 3 + ["PPLL"]
LANGS = ["en", "ru", "de", "fr", "ar", "hy", "az", "link", "post", "abbr"]


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def write_dump(folder: Path, rows: int, alternates: int, zipped: bool, seed: int = 1) -> None:
    rng = random.Random(seed)
    places = folder / "allCountries.txt"
    with open(places, "w", encoding="utf-8") as f:
        for gid in range(1, rows + 1):
            r = rng.random()
            fclass, code = ("P", rng.choice(CODES)) if r < 0.7 else ("A", "ADM2") if r < 0.8 else ("T", "MT")
            n = name(rng)
            alts = ",".join(name(rng) for _ in range(rng.randint(0, 3)))
            pop = int(rng.paretovariate(1.2) * 50) if rng.random() < 0.6 else 0
            f.write(f"{gid}\t{n}\t{n}\t{alts}\t{rng.uniform(-60, 70):.5f}\t{rng.uniform(-180, 180):.5f}\t{fclass}\t"
                    f"{code}\t{rng.choice(['AM', 'AZ', 'GE', 'IR', 'TR'])}\t\t{rng.randint(1, 20):02d}\t\t\t\t{pop}"
                    f"\t\t0\tAsia/Yerevan\t2024-01-01\n")
    with open(folder / "alternateNamesV2.txt", "w", encoding="utf-8") as f:
        aid = 0
        for gid in range(1, rows + 1):
            for _ in range(alternates):
                aid += 1
                f.write(f"{aid}\t{gid}\t{rng.choice(LANGS)}\t{name(rng)}\t\t\t\t\t\t\n")
    if zipped:
        for p in (places, folder / "alternateNamesV2.txt"):
            with zipfile.ZipFile(p.with_suffix(".zip"), "w", zipfile.ZIP_DEFLATED) as z:
                z.write(p, p.name)
            p.unlink()


def size_of(con: sqlite3.Connection, name: str) -> int:
    try:
        return con.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", (name,)).fetchone()[0] or 0
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--alternates", type=int, default=2, help="alternate-name rows per place")
    ap.add_argument("--zip", action="store_true", help="zip the dump files, as GeoNames serves them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazetteer-bench-") as tmp:
        folder = Path(tmp) / "dump"
        folder.mkdir()
        t = time.perf_counter()
        write_dump(folder, args.rows, args.alternates, args.zip)
        dump_bytes = sum(p.stat().st_size for p in folder.iterdir())
        print(f"dump: {args.rows:,} place rows, {args.rows * args.alternates:,} alternate-name rows, "
              f"{dump_bytes / 1e6:.0f} MB{' zipped' if args.zip else ''} (written in {time.perf_counter() - t:.0f} s)")
        out = Path(tmp) / "built.sqlite"
        t = time.perf_counter()
        counts = build(folder, out, progress=False)
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        size = out.stat().st_size
        print(f"build: {seconds:.1f} s ({args.rows / seconds:,.0f} place rows/s), peak RSS {peak:.0f} MB")
        print(f"gazetteer: {size / 1e6:.0f} MB, {counts['places']:,} places, {counts['names']:,} names "
              f"({size / max(1, counts['places']):.0f} bytes per place)")
        con = sqlite3.connect(out)
        parts = {n: size_of(con, n) for n in ("places", "names", "places_latlon", "countries", "admin1", "meta")}
        con.close()
        if all(v >= 0 for v in parts.values()):
            print("on disk: " + ", ".join(f"{n} {v / 1e6:.1f} MB" for n, v in parts.items() if v > 1e5))
            print(f"index cost: names (the look-up index, key-ordered) {parts['names'] / size:.0%} of the file; "
                  f"the (lat, lon) index for reverse geocoding {parts['places_latlon'] / size:.0%}")
        os.environ.pop("SOURCE_DATE_EPOCH", None)


if __name__ == "__main__":
    main()
