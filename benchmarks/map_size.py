"""Size and build time of incident maps with many points.

    python benchmarks/map_size.py [--sizes 1000 10000 50000] [--runs 5]

For each size, makes that many synthetic incident points shaped like the pipeline's
(one sentence of about 150 characters for every 1.3 places, one document for every
5 places with a title and URL, dates over three months, ACLED types and sub-types,
actors on a third of them, the popup's cue and confidence lines), then times
``build_map`` + ``render_html`` over several runs and prints the median build time and
the page's size. The target for 10 000 incidents: at most 3 MB, built in at most 2 s.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geoincidents.render import build_map, render_html  # noqa: E402
from geoincidents.types import MapPoint  # noqa: E402

TYPES = {
    "Battles": ["Armed clash", "Government regains territory"],
    "Explosions/Remote violence": ["Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Looting/property destruction", "Arrests"],
    "Disasters": ["Flood", "Earthquake", "Landslide"],
    "Accidents": ["Road accident", "Fire"],
}
WORDS = ("the of and in to was were said forces officials reported attack village near district "
         "police residents killed injured ministry overnight town region army local sources "
         "according witnesses early morning two three several houses roads bridge market").split()
ACTORS = ["Military Forces of Armenia", "Military Forces of Azerbaijan", "Police Forces", "Rioters",
          "Protesters", "Unidentified Armed Group", "Civilians", "Rebel Forces"]


def _name(rng: random.Random) -> str:
    syllables = rng.randint(2, 4)
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(syllables)).capitalize()


def synthetic_points(n: int, seed: int = 1) -> list[MapPoint]:
    """``n`` incident points, the same for the same ``n`` and ``seed``."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    points: list[MapPoint] = []
    doc = 0
    shared: list[tuple[str, int, str]] = []  # (sentence, offset, name) of the places still to use
    for i in range(n):
        if i % 5 == 0:
            doc += 1
            title = " ".join(rng.choice(WORDS) for _ in range(9)).capitalize()
            url = f"https://news.example.org/{start.year}/{doc:06d}/{'-'.join(rng.choice(WORDS) for _ in range(5))}"
        if not shared:  # a new sentence naming one place, or two (1.3 on average)
            names = [_name(rng) for _ in range(2 if rng.random() < 0.3 else 1)]
            words = [rng.choice(WORDS) for _ in range(22)]
            for name in names:
                words.insert(rng.randint(1, len(words)), name)
            sentence = " ".join(words) + "."
            sentence = sentence[0].upper() + sentence[1:]
            offset = 0
            for word in words:  # the places in the order the sentence names them
                if word in names:
                    shared.append((sentence, offset, word))
                offset += len(word) + 1
        quoted, at, name = shared.pop(0)
        event_type = rng.choice(list(TYPES))
        day = start + timedelta(days=rng.randint(0, 90))
        actors = rng.random() < 1 / 3
        points.append(MapPoint(
            lat=round(rng.uniform(-55, 70), 5), lon=round(rng.uniform(-170, 170), 5),
            name=name, layer="incident", surface=name, sentence=quoted, highlight=(at, at + len(name)),
            event_type=event_type, sub_event_type=rng.choice(TYPES[event_type]), event_date=day.isoformat(),
            country_code=rng.choice(["AM", "AZ", "UA", "SD", "ID", "MX", "NG", "PK"]), feature_code="PPL",
            doc_id=f"doc-{doc:06d}", source_title=title, source_url=url,
            extra=(("cue", rng.choice(WORDS)), ("confidence", f"{rng.uniform(0.5, 1):.2f}")),
            geo_precision=rng.choice([1, 1, 1, 1, 2, 3]), time_precision=rng.choice([1, 1, 2, 3]),
            actor1=rng.choice(ACTORS) if actors else None, actor2=rng.choice(ACTORS) if actors else None,
        ))
    return points


def measure(n: int, runs: int) -> tuple[float, int]:
    points = synthetic_points(n)
    times = []
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        html = render_html(build_map(points, title=f"{n} incidents", subtitle="synthetic"))
        times.append(time.perf_counter() - t0)
        size = len(html.encode("utf-8"))
    return statistics.median(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"{'points':>8} {'median build (s)':>17} {'HTML (MB)':>10} {'bytes/point':>12}")
    base = len(render_html(build_map([])).encode("utf-8"))
    for n in args.sizes:
        seconds, size = measure(n, args.runs)
        print(f"{n:>8} {seconds:>17.3f} {size / 1e6:>10.2f} {(size - base) / n:>12.0f}")
    print(f"(empty map: {base / 1e6:.2f} MB; median of {args.runs} runs; target at 10000: <= 3 MB, <= 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
