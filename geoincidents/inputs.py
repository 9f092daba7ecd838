"""Reading what the user gives: .txt files, .jsonl files of documents, or stdin.

Each input yields documents to parse or an InputError naming the file and line,
so one bad line or file does not stop a batch.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class InputDoc:
    id: str
    text: str
    lang: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class InputError:
    where: str  # 'file' or 'file:line'
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _decode(data: bytes, where: str) -> str | InputError:
    if b"\x00" in data[:8192]:
        return InputError(where, "looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return InputError(where, f"is not UTF-8 text (byte {e.start}); convert it to UTF-8")


def _date(value, where: str) -> date | None | InputError:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return InputError(where, f"'published' is not a YYYY-MM-DD date: {value!r}")


def _jsonl(text: str, name: str) -> Iterator[InputDoc | InputError]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(where, f"not valid JSON ({e.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputError(where, 'each line must be an object with a "text" string')
            continue
        published = _date(obj.get("published"), where)
        if isinstance(published, InputError):
            yield published
            continue
        lang = obj.get("lang")
        yield InputDoc(
            id=str(obj.get("id", f"{Path(name).stem}-{n}")),
            text=obj["text"],
            lang=lang if isinstance(lang, str) and lang else None,
            published=published,
        )


def _looks_like_jsonl(text: str) -> bool:
    first = text.lstrip()[:1]
    if first != "{":
        return False
    line = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def read_input(source: str) -> Iterator[InputDoc | InputError]:
    """Documents of one input: a path to .txt or .jsonl, or '-' for stdin."""
    if source == "-":
        name = "<stdin>"
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        name = str(path)
        if not path.exists():
            yield InputError(name, "no such file")
            return
        if path.is_dir():
            yield InputError(name, "is a folder; give the files in it")
            return
        try:
            data = path.read_bytes()
        except OSError as e:
            yield InputError(name, f"cannot be read ({e.strerror})")
            return
    text = _decode(data, name)
    if isinstance(text, InputError):
        yield text
        return
    if source != "-" and Path(source).suffix.lower() == ".jsonl" or source == "-" and _looks_like_jsonl(text):
        yield from _jsonl(text, name)
        return
    if not text.strip():
        yield InputError(name, "is empty")
        return
    doc_id = "stdin" if source == "-" else Path(source).name.split(".")[0]
    yield InputDoc(id=doc_id, text=text)
