"""`geoincidents gazetteer build | add | lookup | info`: gazetteers users can grow and inspect."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _fail(message: str, code: int = 2):
    click.echo(f"geoincidents: {message}", err=True)
    sys.exit(code)


def _open(gazetteer_path, places=None):
    from .custom_places import PlacesError
    from .gazetteer import open_gazetteer

    try:
        return open_gazetteer(gazetteer_path, places=places)
    except PlacesError as e:
        for line in e.lines:
            click.echo(f"geoincidents: {line}", err=True)
        sys.exit(2)


@click.group("gazetteer")
def gazetteer_group():
    """Build, grow and inspect gazetteers (GeoNames dumps, your own places)."""


@gazetteer_group.command("build")
@click.option("--from", "src", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of GeoNames dump files (allCountries or XX.txt/.zip, alternateNamesV2, "
                   "admin1CodesASCII, admin2Codes, countryInfo).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The gazetteer file to write (SQLite).")
@click.option("--countries", metavar="CC,CC", help="Only these countries (ISO alpha-2, e.g. AM,AZ).")
@click.option("--languages", metavar="xx,yy", help="Only alternate names in these languages (plus names with "
              "no language and abbreviations); needs alternateNamesV2.")
@click.option("--min-population", type=click.IntRange(min=0), default=0, show_default=True,
              help="Leave out populated places smaller than this (divisions are always kept).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build_command(src, out, countries, languages, min_population, quiet):
    """Build a gazetteer from GeoNames dump files you downloaded.

    Keeps populated places (class P) and administrative units (class A, historical ones
    included), writes the bundled gazetteer's indexed SQLite schema. Use it with
    --gazetteer PATH (or GEOINCIDENTS_GAZETTEER=PATH): it is merged with the bundled data,
    its entries winning.
    """
    from .geonames_dump import DumpError, build

    split = lambda v: [x.strip() for x in v.split(",") if x.strip()] if v else None  # noqa: E731
    try:
        c = build(src, out, countries=split(countries), languages=split(languages), min_population=min_population,
                  progress=not quiet)
    except DumpError as e:
        _fail(str(e), 2)
    except OSError as e:
        _fail(f"cannot build {out} ({e.strerror or e})", 2)
    click.echo(f"wrote {out} ({c['places']} places, {c['names']} names from {c['rows_read']} rows, "
               f"{c['seconds']} s)", err=True)


@gazetteer_group.command("add")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The gazetteer file to add to (made when missing).")
@click.option("--gazetteer", "gazetteer_path", type=click.Path(path_type=Path),
              help="Gazetteer to check country and admin1 against (default: --out if it exists, with the "
                   "bundled one).")
def add_command(csv_file, out, gazetteer_path):
    """Add your own places (villages, checkpoints, camps) from a CSV file.

    \b
    Columns: name, aliases (|-separated), lat, lon, country, admin1, feature_code, source
    (optional: population, geonameid, to replace a GeoNames entry). Every bad row is one
    line on stderr with its line number; then nothing is written (exit 2).
    """
    from .custom_places import PlacesError, read_places, write_places

    check = _open(gazetteer_path or (out if out.exists() else None))
    try:
        places = read_places(csv_file, check)
        n = write_places(places, out, source_file=csv_file)
    except PlacesError as e:
        for line in e.lines:
            click.echo(f"geoincidents: {line}", err=True)
        sys.exit(2)
    click.echo(f"wrote {out} ({n} places added from {csv_file})", err=True)


def _explain(c) -> dict:
    from .resolve import static_parts

    parts = static_parts(c)
    return {"score": round(sum(parts.values()), 3), **{k: round(v, 3) for k, v in parts.items()}}


@gazetteer_group.command("lookup")
@click.argument("name")
@click.option("--country", metavar="CC", help="Only candidates in this country (ISO alpha-2).")
@click.option("--lang", metavar="CODE", help="The text's language (country names in other languages count "
              "as alternate names).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--gazetteer", "gazetteer_path", type=click.Path(path_type=Path),
              help="A gazetteer of your own, merged with the bundled one.")
@click.option("--places", type=click.Path(dir_okay=False, path_type=Path), help="A CSV file of your own places.")
def lookup_command(name, country, lang, fmt, gazetteer_path, places):
    """The gazetteer's candidates for NAME and why they rank as they do.

    The score is the resolver's before context, in three parts weighed by its learned
    ranker (data/ranker.json): the feature type (country, region, first-level division,
    capital, town...), the name kind (an entry's own name beats an alternate one) and
    the population. In a text, the countries, divisions and nearby places it names add to it.
    """
    from .names import fold

    gaz = _open(gazetteer_path, places)
    rows = []
    for c in gaz.candidates(fold(name), lang):
        p = c.place
        if country and p.country_code != country.upper():
            continue
        rows.append({"id": p.id, "geonameid": p.geonameid, "name": p.name, "country_code": p.country_code,
                     "admin1": p.admin1, "feature_code": p.feature_code, "population": p.population,
                     "lat": p.lat, "lon": p.lon, "name_kind": c.name_kind, "lang": c.lang, "source": p.source,
                     **_explain(c)})
    rows.sort(key=lambda r: (-r["score"], r["id"]))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif not rows:
        click.echo(f"no gazetteer entry is named {name!r}" + (f" in {country.upper()}" if country else ""))
    else:
        head = ["score", "= feat", "+ name", "+ pop", "geonameid", "name", "cc", "admin1", "code", "population",
                "kind", "lang"]
        table = [[f"{r['score']:.2f}", f"{r['feature_weight']:.2f}", f"{r['name_weight']:.2f}",
                  f"{r['population_weight']:.2f}", "" if r["geonameid"] is None else str(r["geonameid"]), r["name"],
                  r["country_code"], r["admin1"], r["feature_code"], str(r["population"]), r["name_kind"], r["lang"]]
                 for r in rows]
        widths = [max(len(x) for x in col) for col in zip(head, *table)]
        for line in [head, *table]:
            click.echo("  ".join(x.ljust(w) for x, w in zip(line, widths)).rstrip())
    if not rows:
        sys.exit(1)


@gazetteer_group.command("info")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--gazetteer", "gazetteer_path", type=click.Path(path_type=Path),
              help="A gazetteer of your own, shown above the bundled one.")
@click.option("--places", type=click.Path(dir_okay=False, path_type=Path), help="A CSV file of your own places.")
def info_command(fmt, gazetteer_path, places):
    """Sources, counts, build date and licence of the gazetteers in use (first wins)."""
    gaz = _open(gazetteer_path, places)
    infos = [layer.info() for layer in gaz.layers]
    if fmt == "json":
        click.echo(json.dumps(infos, ensure_ascii=False, indent=1, sort_keys=True))
        return
    for n, info in enumerate(infos):
        if n:
            click.echo("")
        counts = info.get("counts", {})
        click.echo(f"gazetteer {n + 1} of {len(infos)}: {info['path']}")
        click.echo(f"  built {info.get('build_date', '?')} by {info.get('builder', 'gazetteer/build.py')}, "
                   f"schema {info.get('schema_version', '?')}")
        click.echo(f"  {counts.get('places', '?')} places, {counts.get('names', '?')} names")
        if info.get("licence"):
            click.echo(f"  licence: {info['licence']}")
        for s in info.get("sources", []):
            what = ", ".join(f"{k} {s[k]}" for k in ("version", "bytes", "modified") if s.get(k) is not None)
            click.echo(f"  source: {s.get('name')}" + (f" ({what})" if what else "")
                       + (f" sha256 {s['sha256'][:16]}…" if s.get("sha256") else "")
                       + (f"; {s['licence']}" if s.get("licence") else ""))
