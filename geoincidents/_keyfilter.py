"""Which keys a gazetteer does not know, told without asking it.

The recogniser asks the gazetteer about every name the capitalised words of a text may begin
(LGL: some 31,000 keys, one in ten a name); asking SQLite costs about 8 microseconds a key, most
of a run's first look-ups. A gazetteer's keys (a million in the bundled one) are kept here as a
table of 2**25 bits (4 MB), the bit of each key's hash (the first 25 bits of the CRC-32 of its
UTF-8 bytes) set: a key whose bit is not set is surely not in the gazetteer, and is not asked.
(A key whose bit is set is asked as before: the answer is the gazetteer's; some 3 in 100 keys
the bundled gazetteer lacks share a bit with one of its keys.) One bit per key, not a sorted
list of checksums: a look-up reads one place of the table, where a binary search would wait
for memory some twenty times. The table of a gazetteer file is written to the cache folder the
first time it is read (about 1.5 s for the bundled one), under a name holding the file's path,
size and modification time; later runs read it in a few milliseconds. Where it cannot be kept,
it is not made (every run would pay for it), and every key is asked. A small gazetteer file
(custom places) is read at every start instead.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
import zlib
from pathlib import Path

from ._files import replacing

_FORMAT = 2  # of the cached files; a new one makes new files
BITS = 25  # the table has 2**BITS bits
KEEP_FROM = 1_000_000  # bytes: a smaller gazetteer file (custom places) is read at each start, not kept
_filters: dict[str, "KeyFilter | None"] = {}
_lock = threading.Lock()


class KeyFilter:
    """The hash bits of every key of one or more gazetteers."""

    def __init__(self, table):
        self.table = table.tobytes()  # 2**BITS / 8 bytes: bit h % 8 of byte h // 8 is set for hash h

    def known(self, keys: list[str]) -> list[int]:
        """For each key: may the gazetteers know it (1), or surely not (0)? (A text asks about
        some fifty keys at a time: read one by one, not with numpy, whose every step costs more
        than such a list.)"""
        table, crc32, shift = self.table, zlib.crc32, 32 - BITS
        try:
            return [table[(h := crc32(raw) >> shift) >> 3] >> (h & 7) & 1 for raw in map(str.encode, keys)]
        except UnicodeError:  # (a lone surrogate: every key is asked, as before)
            return [1] * len(keys)


def for_gazetteer(gazetteer, make: bool = True) -> KeyFilter | None:
    """The filter of a Gazetteer or LayeredGazetteer (all its layers' keys); None when one of its
    layers is no SQLite gazetteer file or cannot be read (then every key is asked), or, without
    ``make``, when a large layer's table is not in the cache yet (asked again later)."""
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
                try:
                    found = _load(paths, make)
                except _NotMade:
                    return None
                _filters[name] = found
    return found


class _NotMade(Exception):
    """A large gazetteer's table is not in the cache, and was not to be made."""


def _load(paths: list[tuple[Path, str]], make: bool) -> KeyFilter | None:
    try:
        import numpy as np

        parts = [_table(path, ident, make) for path, ident in paths]
        return KeyFilter(parts[0] if len(parts) == 1 else np.bitwise_or.reduce(parts))
    except (OSError, sqlite3.Error, ValueError, ImportError):
        return None


def _table(path: Path, ident: str, make: bool = True):
    """The table of the keys of one gazetteer file (``ident``: its path, size and modification
    time): a small one's made now; a large one's from the cache, made and kept there the first
    time it is to be ``make``-d (_NotMade before). Where it cannot be kept, OSError (it is not
    made at every run)."""
    import numpy as np

    from .gazetteer import cache_dir

    if path.stat().st_size < KEEP_FROM:
        return _made(path)
    target = cache_dir() / f"keybits-v{_FORMAT}" / f"{hashlib.sha256(ident.encode()).hexdigest()[:16]}.npy"
    if target.is_file():
        try:
            table = np.load(target, allow_pickle=False)
            if table.dtype == np.uint8 and table.shape == (2**BITS // 8,):
                return table
        except (OSError, ValueError):
            pass
    if not make:
        raise _NotMade(path)
    with replacing(target) as tmp:
        mtime = path.stat().st_mtime_ns
        table = _made(path)
        with tmp.path.open("wb") as f:
            np.save(f, table, allow_pickle=False)
        tmp.keep = path.stat().st_mtime_ns == mtime  # (not changed while read)
    return table


def _made(path: Path):
    import numpy as np

    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        keys = [k for (k,) in con.execute("SELECT DISTINCT key FROM names")]
    finally:
        con.close()
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, keys)), dtype=np.uint32, count=len(keys)) >> (32 - BITS)
    bits = np.zeros(2**BITS, dtype=bool)
    bits[hashes] = True
    return np.packbits(bits, bitorder="little")
