"""Command line: `geoincidents map` and `geoincidents extract`.

Exit codes: 0 all documents processed; 1 some documents failed (the others were
written); 2 usage or input error (nothing written).
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from .inputs import InputDoc, InputError, read_input

DEFAULT_OUTPUT_DIR = Path("output")


class _Run:
    """Parses the documents of the given inputs, counting failures as it goes."""

    def __init__(self, lang: str | None, published: date | None, debug: bool):
        self.lang, self.published, self.debug = lang, published, debug
        self.failures = 0
        self.documents = 0
        self._pipeline = None

    def pipeline(self):
        if self._pipeline is None:
            from .gazetteer import GazetteerError
            from .pipeline import Pipeline

            try:
                self._pipeline = Pipeline()
            except GazetteerError as e:
                _fail(str(e), 2)
        return self._pipeline

    def reports(self, sources: tuple[str, ...]):
        for source in sources:
            for item in read_input(source):
                if isinstance(item, InputError):
                    self.failures += 1
                    click.echo(f"geoincidents: {item}", err=True)
                    continue
                report = self._parse(item)
                if report is not None:
                    self.documents += 1
                    yield report

    def _parse(self, doc: InputDoc):
        try:
            return self.pipeline().parse(
                doc.text,
                doc_id=doc.id,
                lang=self.lang or doc.lang,
                published=self.published or doc.published,
            )
        except Exception as e:  # one bad document must not stop the batch
            if self.debug:
                raise
            self.failures += 1
            click.echo(f"geoincidents: {doc.id}: could not be processed ({type(e).__name__}: {e})", err=True)
            return None

    def exit_code(self) -> int:
        if self.failures and not self.documents:
            return 2
        return 1 if self.failures else 0


def _fail(message: str, code: int = 2):
    click.echo(f"geoincidents: {message}", err=True)
    sys.exit(code)


def _published(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form")


_common = [
    click.option("--lang", metavar="CODE", help="Language of the texts (ISO 639-1, e.g. id, en, ru); detected when omitted."),
    click.option("--published", metavar="YYYY-MM-DD", callback=_published,
                 help="Publication date: 'Tuesday', 'yesterday' are resolved against it."),
    click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors."),
]


def _with_common(f):
    for option in reversed(_common):
        f = option(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geoincidents")
def main():
    """Turn news reports of incidents, in any language, into cited maps.

    \b
    Exit codes: 0 all good; 1 some documents failed (others written);
    2 usage or input error (nothing written).
    """


@main.command("map")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (default: output/<first input's name>.html).")
@click.option("--title", help="Map title (default: the first document's id).")
@click.option("--tiles", metavar="NAME",
              help="Add an online tile layer (e.g. OpenStreetMap); the default map needs no network.")
@_with_common
def map_command(inputs, output, title, tiles, lang, published, debug):
    """Write an HTML map of the incidents in INPUT (.txt, .jsonl, or - for stdin).

    The map is one self-contained file: it opens with no network. Incident places
    are coloured by event type; places only mentioned are in a layer of their own;
    every popup quotes the sentence that put the point there.
    """
    run = _Run(lang, published, debug)
    reports = list(run.reports(inputs))
    if not reports:
        _fail("no document could be read; nothing written", 2)
    from .render import build_map, write_html
    from .report import _subtitle, map_points

    first = reports[0].document
    target = output or DEFAULT_OUTPUT_DIR / f"{first.id}.html"
    if title is None:
        title = (first.title or first.id) if len(reports) == 1 else f"{first.title or first.id} and {len(reports) - 1} more"
    m = build_map(
        map_points(reports),
        title=title,
        subtitle=_subtitle(reports),
        tiles=tiles,
    )
    try:
        write_html(m, target)
    except OSError as e:
        _fail(f"cannot write {target} ({e.strerror})", 2)
    n_inc = sum(len(r.incidents) for r in reports)
    click.echo(f"wrote {target} ({n_inc} incident places, {len(reports)} documents)", err=True)
    sys.exit(run.exit_code())


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per document.")
@_with_common
def extract_command(inputs, fmt, lang, published, debug):
    """Print the toponyms and incidents of each document in INPUT as JSON lines.

    \b
    Each line: {"id", "lang", "published", "toponyms": [{"start", "end", "text",
    "name", "lat", "lon", "geonameid", "country_code", "feature_code", "admin1",
    "role", "score"}], "incidents": [...]}; offsets index the input text.
    """
    from .export import record

    run = _Run(lang, published, debug)
    out = click.get_text_stream("stdout")
    for report in run.reports(inputs):
        out.write(json.dumps(record(report), ensure_ascii=False) + "\n")
        out.flush()
    sys.exit(run.exit_code())


if __name__ == "__main__":
    main()
