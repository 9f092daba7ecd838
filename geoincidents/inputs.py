"""Reading what the user gives: files, folders and stdin, in whatever shape they come.

One input is a ``.txt`` file (one document), an ``.html``/``.htm`` page (one
document: the article text is extracted), a ``.jsonl`` file (one
``{"id", "text", "lang"?, "published"?, "triggers"?}`` object per line; ``triggers``,
``[{"start": int, "end": int}, ...]``, are character offsets of event words in ``text``,
e.g. an event coder's trigger verbs), a ``.csv`` file (a
header row; the text column is ``text`` unless told otherwise; ``id``, ``lang``,
``published`` columns optional, and ``triggers`` as the JSONL field in JSON text), any of these gzipped (``.gz``, or gzip bytes
on stdin), a folder (every such file inside, sorted, recursively; hidden files
skipped), or ``-`` for stdin (text, an HTML page or JSON lines, told apart by
content).

Each input yields :class:`InputDoc` to parse, :class:`InputError` naming the
file (and line) of what could not be read (the rest of the batch goes on), and
:class:`InputNote` for what the user should know but is not an error (an
encoding that had to be guessed).

Text is decoded as UTF-8 (a byte-order mark is honoured: UTF-8, UTF-16, UTF-32);
bytes that are not UTF-8 are decoded in the encoding charset-normalizer finds
(an HTML page's ``<meta charset>`` is believed first), and a note says which.
The text is otherwise kept exactly as decoded (control characters, CR LF, any
script), so offsets index it; the one exception is an HTML page, whose offsets
index the extracted article text that ``read_input`` yields.
"""
from __future__ import annotations

import codecs
import csv
import glob
import gzip
import io
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO, Iterator

from .document import check_triggers

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""The most one document may take (a file, a JSONL line, a CSV record), in bytes after unzipping."""

TEXT_SUFFIXES = (".txt", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES + HTML_SUFFIXES
"""What a folder is searched for (each also with ``.gz`` appended)."""

_HEAD = 64 * 1024  # bytes looked at to tell formats and encodings apart


@dataclass(frozen=True)
class InputDoc:
    id: str
    text: str
    lang: str | None = None
    published: date | None = None
    where: str = ""  # 'file' or 'file:line', for messages
    triggers: tuple[tuple[int, int], ...] = ()  # (start, end) of event words given with the text, sorted


@dataclass(frozen=True)
class InputError:
    where: str  # 'file' or 'file:line'
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class InputNote:
    """Not an error: something about how an input was read that the user should know."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


Item = InputDoc | InputError | InputNote


# ---------------------------------------------------------------- public API

def read_input(source: str | os.PathLike, *, text_column: str = "text") -> Iterator[Item]:
    """Documents of one input: a file, a folder, or '-' for stdin (see the module doc)."""
    if str(source) == "-":
        yield from _read_stream(sys.stdin.buffer, "<stdin>", kind=None, doc_id="stdin", text_column=text_column)
        return
    path = Path(source)
    name = str(path)
    if path.is_dir():
        files = list(folder_files(path))
        if not files:
            yield InputError(name, "folder holds no " + "/".join(SUPPORTED_SUFFIXES) + " files (nor .gz of them)")
        for f in files:
            yield from _read_file(f, text_column)
        return
    if not path.exists() and glob.has_magic(name):  # a quoted pattern: 'news/**/*.jsonl.gz'
        matches = sorted(m for m in glob.glob(os.path.expanduser(name), recursive=True)
                         if os.path.isdir(m) or _kind_of(os.path.basename(m)) is not None)
        if not matches:
            yield InputError(name, "no file matches this pattern")
        for match in matches:
            yield from read_input(match, text_column=text_column)
        return
    if not path.exists():
        yield InputError(name, "no such file")
        return
    yield from _read_file(path, text_column)


def folder_files(folder: Path) -> Iterator[Path]:
    """The supported files under ``folder``, recursively, sorted; hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and _kind_of(f) is not None:
                yield Path(root) / f


# ---------------------------------------------------------------- files and streams

def _kind_of(name: str) -> str | None:
    """'text', 'jsonl', 'csv' or 'html' by the file name (``.gz`` looked through), else None."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("csv", CSV_SUFFIXES),
                           ("html", HTML_SUFFIXES)):
        if lower.endswith(suffixes):
            return kind
    return None


def _read_file(path: Path, text_column: str) -> Iterator[Item]:
    name = str(path)
    try:
        f = open(path, "rb")
    except OSError as e:
        yield InputError(name, f"cannot be read ({e.strerror or e})")
        return
    with f:
        doc_id = path.name.split(".")[0] or path.name
        yield from _read_stream(f, name, kind=_kind_of(path.name), doc_id=doc_id, text_column=text_column)


class _Prefixed(io.RawIOBase):
    """A byte stream that gives ``head`` again before the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = getattr(self._rest, "read1", self._rest.read)(len(buf))  # what has come, on a live stream
        buf[: len(data)] = data
        return len(data)


def _read_head(stream: BinaryIO) -> bytes:
    """The first _HEAD bytes, or fewer at the end; on a live stream of JSON lines (stdin fed
    line by line), as soon as the first line is whole, so that its document need not wait."""
    read = getattr(stream, "read1", stream.read)
    head = b""
    while len(head) < _HEAD:
        chunk = read(_HEAD - len(head))
        if not chunk:
            break
        head += chunk
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if first[:1] == b"{" and b"\n" in first:
            break
    return head


def _read_stream(raw: BinaryIO, name: str, *, kind: str | None, doc_id: str, text_column: str) -> Iterator[Item]:
    try:
        head = _read_head(raw)
        stream: BinaryIO = io.BufferedReader(_Prefixed(head, raw))
        if head[:2] == b"\x1f\x8b":  # gzip, whatever the name says
            stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
            head = _read_head(stream)
            stream = io.BufferedReader(_Prefixed(head, stream))
        if kind is None:
            kind = _sniff_kind(head)
        if kind == "jsonl":
            yield from _jsonl(stream, head, name, doc_id)
        elif kind == "csv":
            yield from _csv(stream, head, name, doc_id, text_column)
        else:
            yield from _single(stream, name, doc_id, html=kind == "html")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield InputError(name, f"cannot be read ({_reason(e)}); is it a damaged .gz file?")


def _reason(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def _sniff_kind(head: bytes) -> str:
    """For stdin or a file of unknown type: JSON lines, an HTML page, or text."""
    enc = _bom(head)
    sample = head.decode(enc[0] if enc else "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if _looks_like_html(sample):
        return "html"
    if sample[:1] == "{":
        try:
            if isinstance(json.loads(sample.split("\n", 1)[0]), dict):
                return "jsonl"
        except json.JSONDecodeError:
            pass
    return "text"


def _looks_like_html(sample: str) -> bool:
    return bool(re.match(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", sample[:4096],
                         re.IGNORECASE | re.DOTALL))


# ---------------------------------------------------------------- bytes -> text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC = (
    (b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.odt)"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program"), (b"MZ", "a Windows program"), (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xfd7zXZ\x00", "an xz archive"), (b"BZh", "a bzip2 archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel file"), (b"Rar!", "a RAR archive"),
)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v" or c == "\x7f")
    return bad / len(sample)


def _binary(head: bytes) -> str | None:
    """What binary thing ``head`` starts like, or None when it may be text."""
    for magic, what in _MAGIC:
        if head.startswith(magic) and (what != "a Windows program" or b"\x00" in head[:64]):
            return what
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _html_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head[:8192])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def _guess_encoding(data: bytes, *, html: bool) -> tuple[str, str] | None:
    """(encoding, how it was found) of bytes that are not UTF-8: an HTML page's own <meta charset>, else charset-normalizer's guess."""
    if html:
        declared = _html_charset(data)
        if declared and declared not in ("utf-8", "utf-16", "utf-32"):
            try:
                data.decode(declared)
                return declared, "as the page's <meta charset> says"
            except UnicodeDecodeError:
                pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return codecs.lookup(best.encoding).name, "a guess by charset-normalizer; convert it to UTF-8 if the places found look garbled"


def _utf16_32(data: bytes) -> bool:
    """Whether bytes that start with a UTF-16/32 byte-order mark read as such (FF FE also starts other data)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_HEAD]).best()
    return best is not None and best.encoding.startswith(("utf_16", "utf_32"))


def _encoding(data: bytes, where: str, *, html: bool = False, complete: bool = True) -> tuple[str, InputNote | None] | InputError:
    """The encoding to read ``data`` (all of a document, or the head of a batch when not ``complete``) in.

    A byte-order mark decides; else UTF-8 when the bytes are UTF-8; else the page's
    <meta charset> or the guess of charset-normalizer, with a note saying so.
    Binary data is refused.
    """
    bom = _bom(data)
    if bom and (bom[0] == "utf-8-sig" or _utf16_32(data)):
        return bom[0], None
    what = _binary(data)
    if what:
        return InputError(where, f"is {what}, not text; extract its text first")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        if b"\x00" not in data[:8192]:
            return "utf-8", None
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:  # UTF-16/32 text has a byte-order mark (see above); without one, NUL is binary
        return InputError(where, "looks like a binary file, not text (it holds NUL bytes); convert it to UTF-8 text")
    guess = _guess_encoding(data, html=html)
    if guess is None:
        return InputError(where, "looks like a binary file, not text (no text encoding fits); "
                                 "convert it to UTF-8 text")
    enc, how = guess
    return enc, InputNote(where, f"is not UTF-8; read as {enc} ({how})")


def _decode(data: bytes, where: str, *, html: bool = False) -> tuple[str, InputNote | None] | InputError:
    """Text of one document's bytes, with a note when the encoding had to be guessed."""
    found = _encoding(data, where, html=html)
    if isinstance(found, InputError):
        return found
    enc, note = found
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as e:
        return InputError(where, f"is not {_enc_name(enc)} text ({getattr(e, 'reason', e)}); convert it to UTF-8")
    if _control_share(text) > 0.05:
        return InputError(where, "looks like a binary file, not text (many control characters); "
                                 "convert it to UTF-8 text")
    return text, note


def _enc_name(enc: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "utf-8": "UTF-8"}.get(enc, enc)


def _too_big(where: str) -> InputError:
    limit = MAX_DOCUMENT_BYTES
    shown = f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit} bytes"
    return InputError(where, f"is larger than {shown}, the limit for one document; split it into smaller documents")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_field(value: str) -> tuple[str, bool]:
    """``value`` with lone surrogates (possible from JSON escapes) replaced by U+FFFD, one for one."""
    if value.isascii() or not _SURROGATE.search(value):
        return value, False
    return _SURROGATE.sub("\ufffd", value), True


# ---------------------------------------------------------------- one document: text or HTML

def _single(stream: BinaryIO, name: str, doc_id: str, *, html: bool) -> Iterator[Item]:
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield _too_big(name)
        return
    html = html or _looks_like_html(data[:4096].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n"))
    decoded = _decode(data, name, html=html)
    if isinstance(decoded, InputError):
        yield decoded
        return
    text, note = decoded
    if note:
        yield note
    published = None
    if html:
        text, published = html_text(text)
        if not text.strip():
            yield InputError(name, "is an HTML page with no article text")
            return
    if not text.strip():
        yield InputError(name, "is empty" if not text else "holds only white space")
        return
    yield InputDoc(id=doc_id, text=text, published=published, where=name)


# ---------------------------------------------------------------- batches: lines of a stream

def _lines(stream: BinaryIO, head: bytes, name: str) -> Iterator[tuple[int, str | InputError]]:
    """(line number, line text or error) of a batch file, each line at most MAX_DOCUMENT_BYTES.

    The encoding is found once from the first bytes; a line that does not decode,
    or is too long, is an error of its own and the lines after it are still read.
    """
    found = _encoding(head, name, complete=False)
    if isinstance(found, InputError):
        yield 0, found
        return
    enc, note = found
    if note:
        yield 0, note  # type: ignore[misc]
    if "\n".encode(enc.replace("-sig", "")) != b"\n":  # UTF-16/32: decode as a stream, lines end at \n only
        reader = io.TextIOWrapper(stream, encoding=enc, errors="strict", newline="\n")  # type: ignore[arg-type]
        n = 0
        try:
            for n, line in enumerate(iter(lambda: reader.readline(MAX_DOCUMENT_BYTES), ""), start=1):
                yield n, line
        except UnicodeDecodeError:
            yield n + 1, InputError(f"{name}:{n + 1}", f"is not {_enc_name(enc)} text; the rest of the file is skipped")
        return
    n = 0
    while True:
        raw = stream.readline(MAX_DOCUMENT_BYTES + 1)
        if not raw:
            return
        n += 1
        if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                raw = stream.readline(1 << 20)
            yield n, _too_big(f"{name}:{n}")
            continue
        if n == 1 and enc == "utf-8-sig":
            raw = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
        try:
            yield n, raw.decode("utf-8" if enc == "utf-8-sig" else enc)
        except UnicodeDecodeError as e:
            yield n, InputError(f"{name}:{n}", f"is not {_enc_name(enc)} text (byte {e.start} of the line); skipped")


def _date(value, where: str) -> date | None | InputError:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return InputError(where, f"'published' is not a YYYY-MM-DD date: {str(value)[:40]!r}; skipped")


_LANG_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def read_triggers(value, text: str, where: str, field: str = "triggers") -> tuple[tuple[int, int], ...] | InputError:
    """A document's 'triggers' field (``field``): a list of {"start": int, "end": int} objects,
    character offsets of event words in ``text`` (document.check_triggers); () when absent."""
    if value is None:
        return ()
    if not isinstance(value, list):
        return InputError(where, f'{field!r} must be a list of {{"start": int, "end": int}} objects; skipped')
    try:
        return check_triggers(value, text)
    except ValueError as e:
        return InputError(where, f"{field!r} {e}; skipped")


def _lang(value, where: str) -> str | None | InputNote:
    """A document's 'lang' field: a language code, None when absent, a note when it is not a code."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str) and _LANG_CODE.fullmatch(value.strip()):
        return value.strip()
    shown = _clean_field(str(value))[0][:40]
    return InputNote(where, f"'lang' {shown!r} is not a language code (such as en, id, ru); the language is detected")


def _jsonl(stream: BinaryIO, head: bytes, name: str, stem: str) -> Iterator[Item]:
    lines = 0
    for n, line in _lines(stream, head, name):
        if isinstance(line, (InputError, InputNote)):
            yield line
            continue
        lines += 1
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as e:
            msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
            yield InputError(where, f"not valid JSON ({msg}); skipped")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputError(where, 'each line must be an object with a "text" string; skipped')
            continue
        published = _date(obj.get("published"), where)
        if isinstance(published, InputError):
            yield published
            continue
        text, fixed = _clean_field(obj["text"])
        if fixed:
            yield InputNote(where, "text has lone surrogate escapes (\\udXXX); each was read as U+FFFD")
        if not text.strip():
            yield InputError(where, "text is empty; skipped")
            continue
        triggers = read_triggers(obj.get("triggers"), text, where)
        if isinstance(triggers, InputError):
            yield triggers
            continue
        lang = _lang(obj.get("lang"), where)
        if isinstance(lang, InputNote):
            yield lang
            lang = None
        doc_id = obj.get("id")
        doc_id = _clean_field(str(doc_id))[0] if doc_id not in (None, "") else f"{stem}-{n}"
        yield InputDoc(id=doc_id, text=text, lang=lang, published=published, where=where, triggers=triggers)
    if lines == 0:
        yield InputError(name, "is empty")


# ---------------------------------------------------------------- CSV

_DELIMITERS = (",", ";", "\t", "|")


def _csv(stream: BinaryIO, head: bytes, name: str, stem: str, text_column: str) -> Iterator[Item]:
    lines = _lines(stream, head, name)
    bad_lines: dict[int, InputError] = {}
    numbers: list[int] = [0]

    def feed() -> Iterator[str]:
        for n, line in lines:
            if isinstance(line, InputNote):
                notes.append(line)
                continue
            numbers[0] = n
            if isinstance(line, InputError):
                if n == 0:
                    fatal.append(line)
                    return
                bad_lines[n] = line
                yield "\n"  # keeps csv's line count; the record it falls in is reported
                continue
            yield line

    notes: list[InputNote] = []
    fatal: list[InputError] = []
    source = feed()
    header_line = next(source, None)
    yield from notes
    notes.clear()
    if fatal:
        yield fatal[0]
        return
    if header_line is None or not header_line.strip():
        yield InputError(name, "is empty" if header_line is None else "starts with an empty line, not a header row")
        return
    delimiter = next((d for d in _DELIMITERS if text_column in _row(header_line, d)), None)
    if delimiter is None:
        columns = ", ".join(repr(c) for c in _row(header_line, ","))[:200]
        yield InputError(name, f"has no {text_column!r} column in its header row (columns: {columns}); "
                               "name the text column with --text-column")
        return
    header = [c.strip() for c in _row(header_line, delimiter)]
    header[0] = header[0].lstrip("\ufeff")
    col = {c: i for i, c in reversed(list(enumerate(header)))}
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_DOCUMENT_BYTES))
    start = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield InputError(f"{name}:{start}", f"not a valid CSV record ({e}); skipped")
            if numbers[0] + 1 == start:  # nothing read: do not loop
                break
            start = numbers[0] + 1
            continue
        yield from notes
        notes.clear()
        where = f"{name}:{start}"
        rec_lines = range(start, numbers[0] + 1)
        start = numbers[0] + 1
        bad = next((bad_lines.pop(i) for i in rec_lines if i in bad_lines), None)
        if bad is not None:
            yield bad
            continue
        if not row or row == [""]:
            continue
        if len(row) != len(header):
            yield InputError(where, f"has {len(row)} fields, the header row has {len(header)}; skipped")
            continue
        text = row[col[text_column]]
        if not text.strip():
            yield InputError(where, f"{text_column!r} is empty; skipped")
            continue
        if len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
            yield _too_big(where)
            continue
        published = _date(row[col["published"]], where) if "published" in col else None
        if isinstance(published, InputError):
            yield published
            continue
        triggers = _csv_triggers(row[col["triggers"]], text, where) if "triggers" in col else ()
        if isinstance(triggers, InputError):
            yield triggers
            continue
        doc_id = row[col["id"]].strip() if "id" in col else ""
        lang = _lang(row[col["lang"]], where) if "lang" in col else None
        if isinstance(lang, InputNote):
            yield lang
            lang = None
        yield InputDoc(id=doc_id or f"{stem}-{where.rsplit(':', 1)[1]}", text=text, lang=lang,
                       published=published, where=where, triggers=triggers)
    yield from notes
    yield from bad_lines.values()  # bad lines after the last record


def _csv_triggers(cell: str, text: str, where: str) -> tuple[tuple[int, int], ...] | InputError:
    """A CSV 'triggers' cell: the JSONL field as JSON text ('[{"start": 7, "end": 14}]'); empty is none."""
    if not cell.strip():
        return ()
    try:
        value = json.loads(cell)
    except ValueError:
        return InputError(where, "'triggers' is not JSON (a list of {\"start\": int, \"end\": int} objects); skipped")
    return read_triggers(value, text, where)


def _row(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


# ---------------------------------------------------------------- HTML -> article text

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "head", "nav", "aside", "footer",
                   "form", "button", "select", "textarea", "iframe", "object", "canvas", "dialog"})
_BLOCK = frozenset({"address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
                    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre",
                    "section", "table", "td", "th", "tr", "ul", "caption", "summary", "details"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_DATE_META = ("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
              "pubdate", "publishdate", "og:published_time", "sailthru.date", "parsely-pub-date")


class _ArticleText(HTMLParser):
    """Collects the visible text of a page, by region: all of the body, <main>, <article>."""

    def __init__(self, skip: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.skip_tags = skip
        self.skipping: list[str] = []
        self.regions: dict[str, list[str]] = {"body": [], "main": [], "article": []}
        self.depth = {"main": 0, "article": 0}
        self.pre = 0
        self.title: list[str] = []
        self.in_title = False
        self.published: str | None = None

    def _out(self, piece: str) -> None:
        self.regions["body"].append(piece)
        for region in ("main", "article"):
            if self.depth[region]:
                self.regions[region].append(piece)

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and self.published is None and a.get("content"):
                self.published = a["content"]
            return
        if tag == "time" and self.published is None and self.depth["article"]:
            dt = dict(attrs).get("datetime")
            if dt:
                self.published = dt
        if tag == "title":
            self.in_title = True
        if self.skipping:
            if tag in self.skip_tags and tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in self.skip_tags and tag not in _VOID:
            self.skipping.append(tag)
            return
        if tag in self.depth:
            self.depth[tag] += 1
        if tag == "pre":
            self.pre += 1
        if tag in _BLOCK:
            self._out("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self._out("\n")
        if tag in self.depth and self.depth[tag]:
            if tag == "article":
                self._out("\n")
            self.depth[tag] -= 1
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.skipping:
            return
        self._out(data if self.pre else re.sub(r"\s+", " ", data))


def _tidy(pieces: list[str]) -> str:
    lines = (line.strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def html_text(page: str) -> tuple[str, date | None]:
    """The article text of an HTML page, one block per line, and its publication date when the page says.

    The text of <article> elements when there are some, else of <main>, else of the
    body; scripts, styles, navigation, asides, footers and forms are left out.
    """
    for skip in (_SKIP, frozenset({"script", "style", "noscript", "template", "head"})):
        parser = _ArticleText(skip)
        try:
            parser.feed(page)
            parser.close()
        except (AssertionError, ValueError):  # html.parser gives up on some broken markup
            pass
        for region in ("article", "main", "body"):
            text = _tidy(parser.regions[region])
            if text:
                break
        if text:
            published = None
            if parser.published:
                try:
                    published = date.fromisoformat(parser.published.strip()[:10])
                except ValueError:
                    published = None
            return text, published
    return "", None
