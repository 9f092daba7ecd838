"""Command line: `geoincidents map` and `geoincidents extract`.

Exit codes: 0 all documents processed; 1 some documents failed (the others were
written); 2 usage or input error (nothing written); 130 interrupted (Ctrl-C).
Every error is one line on stderr; ``--debug`` shows tracebacks instead.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

import click

from .inputs import InputError, InputNote, read_input

DEFAULT_OUTPUT_DIR = Path("output")
logging.getLogger("wordfreq").setLevel(logging.ERROR)  # its 'using the nearest match' notes are not for users
_DEBUG_KEY = "geoincidents.debug"
_TEXT_COLUMN_KEY = "geoincidents.text_column"
_GAZETTEER_KEY = "geoincidents.gazetteer"
_PLACES_KEY = "geoincidents.places"
_ONLINE_KEY = "geoincidents.online_fallback"


class _Run:
    """Parses the documents of the given inputs, counting failures as it goes.

    ``workers`` > 1 parses in that many processes (geoincidents.batch), output in input order;
    a progress bar goes to stderr when it is a terminal (not with ``quiet``).
    """

    def __init__(self, lang: str | None, published: date | None, debug: bool, *, workers: int = 1,
                 quiet: bool = False):
        self.lang, self.published, self.debug = lang, published, debug
        self.workers, self.quiet = workers, quiet
        self.failures = 0
        self.documents = 0
        self.incidents = 0
        self._pipeline = None
        self._bar = None
        self._started = time.perf_counter()

    def pipeline(self):
        if self._pipeline is None:
            from .gazetteer import GazetteerError
            from .pipeline import Pipeline

            ctx = click.get_current_context(silent=True)
            meta = ctx.meta if ctx else {}
            fallback = None
            if meta.get(_ONLINE_KEY):
                from .geocoders import OnlineFallback

                fallback = OnlineFallback()
            try:
                self._pipeline = Pipeline(gazetteer_path=meta.get(_GAZETTEER_KEY), places=meta.get(_PLACES_KEY),
                                          fallback=fallback)
            except GazetteerError as e:
                _fail(str(e), 2)
            except Exception as e:
                if meta.get(_PLACES_KEY) is None:  # (custom_places, imported only for a places file)
                    raise
                from .custom_places import PlacesError

                if not isinstance(e, PlacesError):
                    raise
                for line in e.lines[:-1]:
                    click.echo(f"geoincidents: {line}", err=True)
                _fail(e.lines[-1], 2)
        return self._pipeline

    def _say(self, line: str):
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def _items(self, sources: tuple[str, ...]):
        ctx = click.get_current_context(silent=True)
        text_column = (ctx.meta.get(_TEXT_COLUMN_KEY) if ctx else None) or "text"
        for source in sources:
            for item in read_input(source, text_column=text_column):
                if isinstance(item, InputNote):
                    self._say(f"geoincidents: note: {item}")
                    continue
                yield item

    def results(self, sources: tuple[str, ...], output: str):
        """(document, payload) of each document processed, in input order; see batch.Settings.output."""
        from . import batch

        ctx = click.get_current_context(silent=True)
        meta = ctx.meta if ctx else {}
        settings = batch.Settings(
            gazetteer=meta.get(_GAZETTEER_KEY), places=meta.get(_PLACES_KEY),
            online_fallback=bool(meta.get(_ONLINE_KEY)), lang=self.lang, published=self.published,
            output=output, debug=self.debug,
        )
        if not self.quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(unit=" docs", file=sys.stderr, dynamic_ncols=True, leave=False)
        try:
            pipeline = self.pipeline()  # made here: its errors are reported before any work
            batch.collect_less()  # this process does nothing else
            live = "-" in sources  # stdin may be a live feed: each document out as soon as it is in
            for r in batch.run(self._items(sources), settings, self.workers, pipeline=pipeline,
                               batch=1 if live else batch.BATCH):
                if isinstance(r, InputError):
                    self.failures += 1
                    self._say(f"geoincidents: {r}")
                elif isinstance(r, batch.Failed):
                    self.failures += 1
                    doc = r.doc
                    where = f"{doc.where} ({doc.id})" if doc.where and doc.where != doc.id else doc.id
                    self._say(f"geoincidents: {where}: could not be processed ({r.error}); skipped")
                else:
                    self.documents += 1
                    self.incidents += r.incidents
                    if self._bar is not None:
                        self._bar.update()
                    yield r.doc, r.payload
        except batch.Fatal as e:
            _fail(str(e), 2)
        finally:
            if self._bar is not None:
                self._bar.close()
                self._bar = None

    def reports(self, sources: tuple[str, ...]):
        for _, report in self.results(sources, "report"):
            yield report

    def summary(self):
        """One closing line on stderr for a batch of more than one document (not with ``quiet``)."""
        if self.quiet or self.documents + self.failures < 2:
            return
        seconds = time.perf_counter() - self._started
        click.echo(f"geoincidents: {self.documents} documents, {self.incidents} incidents, "
                   f"{self.failures} failures, {seconds:.1f} s", err=True)

    def exit_code(self) -> int:
        if self.failures and not self.documents:
            return 2
        return 1 if self.failures else 0


def _workers(n: int) -> int:
    ctx = click.get_current_context(silent=True)
    if n != 1 and ctx is not None and ctx.meta.get(_ONLINE_KEY):
        raise click.UsageError("--online-fallback asks one name a second: use it with --workers 1")
    if n == 0:
        from .batch import default_workers

        return default_workers()
    return n


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


def _remember(key):
    def callback(ctx, param, value):
        ctx.meta[key] = value  # ctx.meta is shared with the group, which reports errors
        return value

    return callback


_common = [
    click.option("--lang", metavar="CODE", help="Language of the texts (ISO 639-1, e.g. id, en, ru); detected when omitted."),
    click.option("--published", metavar="YYYY-MM-DD", callback=_published,
                 help="Publication date: 'Tuesday', 'yesterday' are resolved against it."),
    click.option("--text-column", metavar="NAME", default="text", show_default=True, expose_value=False,
                 callback=_remember(_TEXT_COLUMN_KEY), help="CSV inputs: the column that holds the text."),
    click.option("--debug", is_flag=True, callback=_remember(_DEBUG_KEY),
                 help="Show tracebacks instead of one-line errors."),
    click.option("--gazetteer", metavar="PATH", expose_value=False, callback=_remember(_GAZETTEER_KEY),
                 help="A gazetteer of your own (geoincidents gazetteer build/add; default $GEOINCIDENTS_GAZETTEER), "
                      "merged with the bundled one, its entries winning."),
    click.option("--places", metavar="FILE.csv", expose_value=False, callback=_remember(_PLACES_KEY),
                 help="Custom places (name, aliases, lat, lon, country, admin1, feature_code, source) above the "
                      "gazetteers."),
    click.option("--online-fallback", is_flag=True, expose_value=False, callback=_remember(_ONLINE_KEY),
                 help="Ask Nominatim (each name once, cached; $GEOINCIDENTS_USER_AGENT, $GEOINCIDENTS_NOMINATIM_URL) "
                      "for names after 'in', 'village of'... that no gazetteer knows. Uses the network."),
    click.option("--workers", "-j", metavar="N", type=click.IntRange(0), default=1, show_default=True,
                 help="Parse in N processes (0: one per core); output keeps the input order."),
    click.option("--quiet", "-q", is_flag=True,
                 help="No progress bar (shown only when stderr is a terminal) and no closing summary line."),
]


def _with_common(f):
    for option in reversed(_common):
        f = option(f)
    return f


class _Group(click.Group):
    """Turns what escapes a command into one line on stderr and an exit code (a traceback with --debug).
    The `gazetteer` commands are imported only when asked for (or listed): `extract` and `map` do
    not need them."""

    def get_command(self, ctx, cmd_name):
        if cmd_name == "gazetteer" and cmd_name not in self.commands:
            _add_gazetteer_group()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        if "gazetteer" not in self.commands:
            _add_gazetteer_group()
        return super().list_commands(ctx)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("geoincidents: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `geoincidents extract ... | head`: the reader went away
            try:
                sys.stdout = open(os.devnull, "w")  # nothing more to flush at exit
            except OSError:
                pass
            sys.exit(141)
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as e:  # an Exception, or a Rust library's panic
            from .gazetteer import GazetteerError

            if isinstance(e, GazetteerError):
                _fail(str(e), 2)
            if ctx.meta.get(_DEBUG_KEY):
                raise
            _fail(f"failed ({type(e).__name__}: {e}); run again with --debug for the traceback", 2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geoincidents")
def main():
    """Turn news reports of incidents, in any language, into cited maps.

    INPUT is a .txt, .html, .jsonl or .csv file (or any of them .gz), a folder
    of such files, or - for stdin.

    \b
    Exit codes: 0 all good; 1 some documents failed (others written);
    2 usage or input error (nothing written); 130 interrupted.
    """


@main.command("map")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: output/<first input's name>.<format>).")
@click.option("--title", help="Map title (default: the first document's headline, else its id).")
@click.option("--tiles", metavar="NAME",
              help="Add an online tile layer (an xyzservices name: OpenStreetMap, OpenTopoMap...); "
                   "the default map needs no network.")
@click.option("--format", "fmt", type=click.Choice(["html", "png", "pdf"]), default="html", show_default=True,
              help="html: the interactive page; png/pdf: a picture of it drawn by headless Chromium "
                   "(needs pip install 'geoincidents[capture]').")
@click.option("--embed", is_flag=True,
              help="HTML only: write a fragment (a sandboxed <iframe srcdoc>) to paste into another page.")
@click.option("--page-size", type=click.Choice(["A4", "Letter", "A3"]), default="A4", show_default=True,
              help="PDF paper size.")
@click.option("--landscape", is_flag=True, help="PDF in landscape orientation.")
@_with_common
def map_command(inputs, output, title, tiles, fmt, embed, page_size, landscape, lang, published, debug, workers,
                quiet):
    """Write a map of the incidents in INPUT (files, folders, .jsonl/.csv, or - for stdin).

    The map is one self-contained file: it opens with no network. Incident places
    are coloured by event type; places only mentioned are in a layer of their own;
    every popup quotes the sentence that put the point there.
    """
    if embed and fmt != "html":
        raise click.UsageError("--embed makes an HTML fragment: use it with --format html")
    if tiles:
        from .render import tile_provider

        try:
            tile_provider(tiles)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="'--tiles'")
    run = _Run(lang, published, debug, workers=_workers(workers), quiet=quiet)
    reports = list(run.reports(inputs))
    if not reports:
        _fail("no document could be read; nothing written", 2)
    from .render import embed_html, render_html, write_bytes
    from .report import default_title, reports_map, unplaced_note

    target = output or DEFAULT_OUTPUT_DIR / f"{reports[0].document.id}.{fmt}"
    title = title if title is not None else default_title(reports)
    m = reports_map(reports, title=title, tiles=tiles)
    if fmt == "html":
        data = (embed_html(m, title=title) if embed else render_html(m)).encode("utf-8")
    else:
        from .capture import CaptureError, capture

        try:
            data = capture(render_html(m), fmt, page_size=page_size, landscape=landscape, online=bool(tiles))
        except CaptureError as e:
            _fail(f"{e}; nothing written", 2)
    try:
        write_bytes(data, target)
    except OSError as e:
        _fail(f"cannot write {target} ({e.strerror})", 2)
    n_inc = sum(len(r.incidents) for r in reports)
    n_docs = len(reports)
    note = unplaced_note(reports)
    click.echo(f"wrote {target} ({n_inc} incident place{'' if n_inc == 1 else 's'}, "
               f"{n_docs} document{'' if n_docs == 1 else 's'}{'; ' + note if note else ''})", err=True)
    sys.exit(run.exit_code())


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl", show_default=True,
              help="jsonl: one JSON object per document; csv: one row per incident (ACLED column "
                   "names); geojson: one FeatureCollection of the incidents.")
@_with_common
def extract_command(inputs, fmt, lang, published, debug, workers, quiet):
    """Print the toponyms and incidents of each document in INPUT.

    \b
    jsonl, one line per document: {"id", "lang", "published", "toponyms": [{"start",
    "end", "text", "name", "lat", "lon", "geonameid", "country_code", "feature_code",
    "admin1", "role", "score"}], "incidents": [...]}; offsets index the input text.
    csv: one row per incident; geojson: a FeatureCollection of incident points.
    """
    from . import export

    run = _Run(lang, published, debug, workers=_workers(workers), quiet=quiet)
    out = sys.stdout
    if fmt == "geojson":
        features = [f for _, fs in run.results(inputs, "geojson") for f in fs]
        collection = {"type": "FeatureCollection", "features": features}  # as export.feature_collection
        out.write(json.dumps(collection, ensure_ascii=False, allow_nan=False) + "\n")
        run.summary()
        sys.exit(run.exit_code())
    if fmt == "csv":
        out.write(export.csv_header())
    for _, text in run.results(inputs, fmt):  # written as it comes: memory stays flat
        out.write(text)
        out.flush()
    run.summary()
    sys.exit(run.exit_code())


@main.command("evaluate")
@click.argument("gold", metavar="GOLD.jsonl")
@click.option("--split", type=click.Choice(["test", "train"]),
              help="Score only this split: test = the ids the splits file lists for GOLD, train = the others.")
@click.option("--splits", "splits_file", metavar="FILE",
              help="JSON object: gold file name -> list of TEST ids (default: splits.json beside GOLD or in "
                   "its parent folder).")
@click.option("--km", type=click.FloatRange(min=0, min_open=True), default=161.0, show_default=True,
              help="Distance within which a toponym counts as well placed (acc@km).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: a readable block; json: one object with the same figures.")
@click.option("--predictions", metavar="FILE", type=click.Path(dir_okay=False),
              help="Also write the predictions there: the records `extract --format jsonl` prints.")
@click.option("--skip-bad-spans", is_flag=True,
              help="Leave out gold spans whose offsets do not give their name (else an error).")
@click.option("--lang", metavar="CODE", help="Language of all texts (default: each document's 'lang', else detected).")
@click.option("--triggers", "triggers_field", metavar="FIELD",
              help="Give the pipeline each gold record's FIELD, a list of {start, end} spans, as its event words "
                   "(the `triggers` input field), e.g. --triggers event_verbs for Halterman's sentences.")
@click.option("--gazetteer", metavar="PATH", expose_value=False, callback=_remember(_GAZETTEER_KEY),
              help="A gazetteer of your own, merged with the bundled one (as for extract).")
@click.option("--places", metavar="FILE.csv", expose_value=False, callback=_remember(_PLACES_KEY),
              help="Custom places above the gazetteers (as for extract).")
@click.option("--workers", "-j", metavar="N", type=click.IntRange(0), default=1, show_default=True,
              help="Parse in N processes (0: one per core).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--debug", is_flag=True, callback=_remember(_DEBUG_KEY), help="Show tracebacks instead of one-line errors.")
def evaluate_command(gold, split, splits_file, km, fmt, predictions, skip_bad_spans, lang, triggers_field, workers,
                     quiet, debug):
    """Run the pipeline on the texts of GOLD.jsonl and score it against the gold spans.

    \b
    GOLD.jsonl: one {"id", "text", "lang"?, "published"?, "spans": [{"start", "end",
    "name", "lat"?, "lon"?, "role"?}]} a line (Python string offsets; roles
    event_location / Place-Arg are incident locations). Prints recognition P/R/F1
    (overlapping and exact spans), resolution of the matched toponyms (acc@km, mean
    and median km, AUC), end-to-end acc@km, calibration of scores >= 0.8, incident
    locations P/R/F1 when the gold has roles, and speed. Use --gazetteer / --places
    to score your own gazetteer.
    """
    from . import evaluate as ev
    from .inputs import InputDoc

    try:
        gold_data = ev.read_gold(gold, skip_bad_spans=skip_bad_spans, triggers_field=triggers_field)
        docs = gold_data.docs
        if split:
            path = Path(splits_file) if splits_file else ev.find_splits_file(gold)
            if path is None:
                raise ev.GoldError(f"--split {split}: no {ev.SPLITS_FILE} beside {gold} or in its parent folder; "
                                   "name one with --splits FILE")
            docs = ev.select_split(docs, split, ev.test_ids(path, gold))
        elif splits_file:
            raise click.UsageError("--splits is for use with --split test|train")
    except ev.GoldError as e:
        _fail(str(e), 2)
    if not docs:
        _fail(f"{gold}: no document in the {split} split", 2)
    class GoldRun(_Run):  # the gold's documents, not files, go through the batch machinery
        def _items(self, sources):
            for d in docs:
                if d.text.strip():  # an empty text has nothing to find
                    yield InputDoc(id=d.id, text=d.text, lang=d.lang, published=d.published,
                                   where=f"{gold}:{d.line}", triggers=d.triggers)

    run = GoldRun(lang, None, debug, workers=_workers(workers), quiet=quiet)
    run.pipeline()  # its errors (a bad --gazetteer or --places) come before anything is written
    out = None
    if predictions:
        try:
            out = open(predictions, "w", encoding="utf-8")
        except OSError as e:
            _fail(f"cannot write {predictions} ({e.strerror})", 2)
    found: dict[str, list] = {}
    started = time.perf_counter()
    try:
        for doc, line in run.results((), "jsonl"):
            if out is not None:
                out.write(line)
            found[doc.where] = ev.predicted_from_record(json.loads(line))
    finally:
        if out is not None:
            out.close()
    seconds = time.perf_counter() - started
    pairs = ((d, found.get(f"{gold}:{d.line}", [])) for d in docs)
    roles = any(d.has_roles for d in gold_data.docs)  # the whole file: a split may hold no role by chance
    result = ev.evaluate(pairs, km=km, roles=roles, seconds=seconds, failed_documents=run.failures,
                         skipped_spans=gold_data.skipped_spans, gold_file=Path(gold).name, split=split)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        click.echo(result.table(), nl=False)
    sys.exit(1 if run.failures else 0)


def _add_gazetteer_group() -> None:
    from .gazetteer_cli import gazetteer_group  # (geoincidents gazetteer build|add|lookup|info)

    main.add_command(gazetteer_group)

if __name__ == "__main__":
    main()
