"""Stage 1: text -> Document (language, sentences, boilerplate marked).

Lines that are page chrome rather than article ('Baca juga : ...', '0 Response to ...',
'Post a Comment', 'Read also', ...) become boilerplate sentences: later stages skip them,
so they yield neither places nor incidents. Patterns are data (data/lexicon/*.toml).
"""
from __future__ import annotations

import re
from datetime import date

from sentencex import get_sentence_boundaries

from . import lexicon
from .types import Document, Sentence

_LINE = re.compile(r"[^\n]+")
# sentencex (Rust) panics on a letter, a non-ASCII space or line break, then '.' ('A\u00a0.'); it
# is given these as ASCII spaces (one code point each, so its offsets hold for the real text)
_WIDE_SPACE = re.compile(r"[\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _boundaries(lang: str, line: str) -> list[tuple[int, int]]:
    """sentencex's sentence spans of one line; the whole line when it fails."""
    try:
        plain = line if line.isascii() else _WIDE_SPACE.sub(" ", line)  # (all those spaces are beyond ASCII)
        return [(b["start_index"], b["end_index"]) for b in get_sentence_boundaries(lang, plain)]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a panic in the Rust library is a BaseException: one sentence it is
        return [(0, len(line))]
_DETECT_CHARS = 4000
_identifier = None


def _language_identifier():
    """py3langid's identifier, loaded only when a language must be guessed.

    py3langid ships its model LZMA-compressed (~0.5 s to unpack at every start). The first
    run unpacks its arrays once into the cache folder as plain .npy files (atomically, under
    a name holding py3langid's version and the model's size); later runs read them in
    ~0.05 s, the large probability table memory-mapped. The arrays, and so every answer, are
    the same. Where the cache cannot be written, py3langid loads its model itself. The
    identifier made from the cache counts a text's features with numpy (geoincidents._langid),
    to the same counts.
    """
    global _identifier
    if _identifier is None:
        try:
            _identifier = _cached_identifier()
        except (OSError, ValueError, KeyError, ImportError, AttributeError, TypeError):
            # (AttributeError, TypeError: a py3langid whose internals _langid no longer knows)
            import py3langid.langid

            _identifier = py3langid.langid._get_identifier()
    return _identifier


def _cached_identifier():
    import os
    import shutil
    import tempfile
    from pathlib import Path

    import numpy as np
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    from ._langid import WalkIdentifier
    from .gazetteer import cache_dir

    source = MODEL_DIR / MODEL_FILE
    # (v2: the probability table kept as float32, see below)
    folder = cache_dir() / f"py3langid-{_version(py3langid)}-{source.stat().st_size}-v2"
    names = ("ptc", "pc", "classes", "nextmove", "row", "output")
    if not all((folder / f"{n}.npy").is_file() for n in names):
        arrays = list(load_model(source))  # (ptc, pc, classes, nextmove array, row array, output list)
        # py3langid's table is float16, which its scoring (a float32 vector @ the table's rows)
        # widens to float32 for every text; widened once here (exactly), the scores are the
        # same floats and the scoring three times faster
        arrays[0] = np.asarray(arrays[0], dtype=np.float32)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".py3langid-", dir=folder.parent))
        try:
            for n, a in zip(names, arrays):
                np.save(tmp / f"{n}.npy", np.asarray(a), allow_pickle=False)
            try:
                os.replace(tmp, folder)
            except OSError:  # another process made it first
                if not folder.is_dir():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def load(n, **kw):
        return np.load(folder / f"{n}.npy", allow_pickle=False, **kw)

    # the large tables as plain arrays over the mapped file's pages (np.memmap's own indexing
    # costs more per text than the rows it gathers): nothing is copied at start
    return WalkIdentifier(np.asarray(load("ptc", mmap_mode="r")), load("pc"), load("classes").tolist(),
                          np.asarray(load("nextmove", mmap_mode="r")), load("output"), tk_row=load("row"))


def _version(module) -> str:
    """A package's version: its own ``__version__``, else its metadata (importing
    importlib.metadata costs more than reading the model)."""
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    from importlib.metadata import version

    return version(module.__name__)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, offline model)."""
    sample = text[:_DETECT_CHARS]
    if not sample.strip():
        return "en"
    lang, _ = _language_identifier().classify(sample)
    return lang


def is_boilerplate(line: str) -> bool:
    """Does one of the boilerplate patterns (lexicon.boilerplate_patterns) match ``line``?"""
    one = lexicon.boilerplate_line()
    if one is None:
        return any(p.search(line) for p in lexicon.boilerplate_patterns())
    return one.search(line) is not None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _opens_block(line: str) -> bool:
    """A related-articles header on a line of its own ('Read also:', 'Baca juga'), whose
    following lines are other stories' headlines."""
    return line.rstrip().endswith(":") or len(line.split()) <= 2


def _looks_like_headline(line: str) -> bool:
    return len(line) <= HEADLINE_MAX and line[-1] not in ".!?\"”»'"


HEADLINE_MAX = 160


def split_sentences(text: str, lang: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` with offsets; boilerplate lines marked, one sentence each.

    A related-articles header standing alone ('Read also:') makes the headline-like
    lines right after it boilerplate too, up to the first line that reads as prose.
    """
    out: list[Sentence] = []
    in_block = False
    for line in _LINE.finditer(text):
        lo, hi = _trimmed(text, line.start(), line.end())
        if lo == hi:
            continue
        if is_boilerplate(text[lo:hi]):
            out.append(Sentence(lo, hi, text[lo:hi], boilerplate=True))
            in_block = _opens_block(text[lo:hi])
            continue
        if in_block and _looks_like_headline(text[lo:hi]):
            out.append(Sentence(lo, hi, text[lo:hi], boilerplate=True))
            continue
        in_block = False
        for b_start, b_end in _boundaries(lang, text[lo:hi]):
            s, e = _trimmed(text, lo + b_start, lo + b_end)
            if s < e:
                out.append(Sentence(s, e, text[s:e]))
    return tuple(out)


def headline(text: str) -> str | None:
    """The first line when it reads as a headline: short, and not ended like a sentence."""
    for line in _LINE.finditer(text):
        first = line.group().strip()
        if not first:
            continue
        if len(first) <= 200 and first[-1] not in ".!?:;\"”»" and not is_boilerplate(first):
            return first
        return None
    return None


MAX_TRIGGERS = 10_000


def check_triggers(triggers, text: str) -> tuple[tuple[int, int], ...]:
    """Event words given with ``text``, sorted and without repeats: each a {"start": int,
    "end": int} mapping (JSON input) or a (start, end) pair, a span of ``text`` holding a word.
    ValueError saying which item is wrong and why."""
    if len(triggers) > MAX_TRIGGERS:
        raise ValueError(f"has more than {MAX_TRIGGERS} items")
    out = set()
    for k, t in enumerate(triggers):
        if isinstance(t, dict):
            pair = t.get("start"), t.get("end")
        elif isinstance(t, (tuple, list)) and len(t) == 2:
            pair = tuple(t)
        else:
            pair = None
        if pair is None or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair):
            raise ValueError(f'item {k} is not a {{"start": int, "end": int}} object')
        start, end = pair
        if not 0 <= start < end <= len(text):
            raise ValueError(f"item {k} ({start}, {end}) is not a span of the text (0 <= start < end <= {len(text)})")
        if not any(c.isalnum() for c in text[start:end]):
            raise ValueError(f"item {k} ({start}, {end}) holds no word: {text[start:end][:20]!r}")
        out.add((start, end))
    return tuple(sorted(out))


def read_document(
    text: str,
    *,
    doc_id: str = "document",
    lang: str | None = None,
    published: date | None = None,
    triggers: tuple[tuple[int, int], ...] = (),
) -> Document:
    """Build the Document for ``text``; ``lang`` is detected when not given; ``triggers`` are
    the event words given with it (Document.triggers; see check_triggers, whose ValueError
    names a bad one)."""
    try:
        triggers = check_triggers(triggers, text) if triggers else ()
    except ValueError as e:
        raise ValueError(f"triggers: {e}") from None
    if lang is None:
        article = "\n".join(
            line.group() for line in _LINE.finditer(text) if not is_boilerplate(line.group())
        )
        lang = detect_language(article)
    return Document(
        id=doc_id,
        text=text,
        lang=lang,
        published=published,
        sentences=split_sentences(text, lang),
        title=headline(text),
        triggers=triggers,
    )
