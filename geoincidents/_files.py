"""Files written whole or not at all: caches, gazetteers, maps."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Replacing:
    """A temporary file beside ``target`` (``path``); set ``keep`` to False to leave the target alone."""

    def __init__(self, path: Path):
        self.path = path
        self.keep = True


@contextmanager
def replacing(target: Path) -> Iterator[Replacing]:
    """Write to ``.path`` of what this yields (an empty file beside ``target``, in its folder,
    which is made); when the block ends without an error (and ``keep`` is still true) the file
    takes the target's place in one rename, so no reader ever sees half a file; otherwise it is
    removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    out = Replacing(Path(tmp))
    try:
        yield out
        if out.keep:
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
