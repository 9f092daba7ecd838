"""Which keys a gazetteer does not know, told without asking it.

The recogniser asks the gazetteer about every name the capitalised words of a text may begin
(LGL: some 31,000 keys, one in ten a name); asking SQLite costs about 8 microseconds a key, most
of a run's first look-ups. A gazetteer's keys (a million in the bundled one) are kept here as
the sorted CRC-32 checksums of their UTF-8 bytes (4 MB); a key whose checksum is not among them
is surely not in the gazetteer, and is not asked. (A key whose checksum is there is asked as
before: the answer is the gazetteer's.) The checksums of a gazetteer file are written to the
cache folder the first time it is read (about 1.5 s for the bundled one), under a name holding
the file's path, size and modification time; later runs read them in a few milliseconds. Where
they cannot be kept, they are not made (every run would pay for them), and every key is asked.
A small gazetteer file (custom places) is read at every start instead.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
import zlib
from pathlib import Path

_FORMAT = 1  # of the cached files; a new one makes new files
KEEP_FROM = 1_000_000  # bytes: a smaller gazetteer file (custom places) is read at each start, not kept
_filters: dict[str, "KeyFilter | None"] = {}
_lock = threading.Lock()


class KeyFilter:
    """The checksums of every key of one or more gazetteers."""

    def __init__(self, sums):
        self.sums = sums  # sorted, unique uint32

    def known(self, keys: list[str]) -> list[bool]:
        """For each key: may the gazetteers know it? False only for a key none of them has."""
        import numpy as np

        try:
            raw = list(map(str.encode, keys))
        except UnicodeError:  # (a lone surrogate: such a key is asked, as before)
            return [True] * len(keys)
        sums = np.fromiter(map(zlib.crc32, raw), dtype=np.uint32, count=len(raw))
        if not len(self.sums):
            return [False] * len(keys)
        at = np.minimum(np.searchsorted(self.sums, sums), len(self.sums) - 1)
        return (self.sums[at] == sums).tolist()


def for_gazetteer(gazetteer) -> KeyFilter | None:
    """The filter of a Gazetteer or LayeredGazetteer (all its layers' keys); None when one of its
    layers is no SQLite gazetteer file or cannot be read (then every key is asked)."""
    layers = getattr(gazetteer, "layers", None)
    if not layers:
        return None
    paths = []
    try:
        for layer in layers:
            path = getattr(layer, "path", None)
            if not isinstance(path, Path):
                return None
            st = path.stat()
            paths.append((path, f"{path.resolve()}\n{st.st_size}\n{st.st_mtime_ns}"))
    except OSError:
        return None
    name = "\n".join(ident for _, ident in paths)
    found = _filters.get(name, False)
    if found is False:
        with _lock:
            found = _filters.get(name, False)
            if found is False:
                found = _filters[name] = _load(paths)
    return found


def _load(paths: list[tuple[Path, str]]) -> KeyFilter | None:
    try:
        import numpy as np

        parts = [_sums(path, ident) for path, ident in paths]
        return KeyFilter(parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts)))
    except (OSError, sqlite3.Error, ValueError, ImportError):
        return None


def _sums(path: Path, ident: str):
    """The sorted checksums of the keys of one gazetteer file (``ident``: its path, size and
    modification time): a small one's made now; a large one's from the cache, made and kept
    there the first time. Where they cannot be kept, OSError (they are not made at every run)."""
    import numpy as np

    from .gazetteer import cache_dir

    if path.stat().st_size < KEEP_FROM:
        return _made(path)
    target = cache_dir() / f"keysums-v{_FORMAT}" / f"{hashlib.sha256(ident.encode()).hexdigest()[:16]}.npy"
    if target.is_file():
        try:
            sums = np.load(target, allow_pickle=False)
            if sums.dtype == np.uint32 and sums.ndim == 1:
                return sums
        except (OSError, ValueError):
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".keysums-", suffix=".npy", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            mtime = path.stat().st_mtime_ns
            sums = _made(path)
            np.save(f, sums, allow_pickle=False)
        if path.stat().st_mtime_ns == mtime:  # (not changed while read)
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return sums


def _made(path: Path):
    import numpy as np

    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        keys = [k for (k,) in con.execute("SELECT DISTINCT key FROM names")]
    finally:
        con.close()
    return np.unique(np.fromiter(map(zlib.crc32, map(str.encode, keys)), dtype=np.uint32, count=len(keys)))
