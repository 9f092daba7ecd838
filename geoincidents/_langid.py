"""py3langid's language identifier with its feature counting done by numpy.

py3langid counts a text's byte n-gram features by walking its automaton (an Aho-Corasick
automaton: a state is the longest suffix of the bytes read that begins some feature) one
byte at a time in Python: each step waits for the one before, and in a run that does other
work between texts the automaton's 39 MB table is out of the processor's caches, so each
step waits for memory. In such an automaton the state after a byte depends only on the last
few bytes read (at most as many as the longest feature has), so the state at every position
can be found for all positions at once: walk WINDOW bytes ending at each position, from the
start state, in WINDOW vectorised steps whose look-ups do not wait for each other. The states
found are then checked against the automaton itself (each state must be the move from the
state before it on that byte); only when that check holds, which makes them exactly the
states of the byte-by-byte walk, are they used; otherwise py3langid walks the text itself.
The counts, their order, and so the scores and every answer are py3langid's own.
"""
from __future__ import annotations

import numpy as np
from py3langid.langid import LanguageIdentifier

WINDOW = 6  # bytes walked to find each position's state: py3langid 0.4's longest feature


class WalkIdentifier(LanguageIdentifier):
    __slots__ = ("_moves", "_rows", "_outputs")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._moves = np.asarray(self.tk_nextmove)  # a view of py3langid's table, no copy
        self._rows = np.asarray(self._rowbase, dtype=np.int64)
        self._outputs = np.asarray(self.tk_output, dtype=np.int64)

    def _visits(self, data: bytes) -> dict[int, int] | None:
        """{feature: count} in order of first occurrence, as py3langid counts them; None
        when the text has no feature or the states fail the check (py3langid decides)."""
        text = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
        n = len(text)
        if not n:
            return None
        moves, rows = self._moves, self._rows
        states = np.zeros(n, dtype=np.int64)
        for back in range(min(WINDOW, n) - 1, -1, -1):  # the byte ``back`` places before each position
            states[back:] = moves[rows[states[back:]] + text[: n - back]]
        before = np.concatenate(([0], states[:-1]))
        if not np.array_equal(moves[rows[before] + text], states):
            return None
        features = self._outputs[states]
        features = features[features >= 0]
        if not len(features):
            return None
        found, first, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first)
        return dict(zip(found[order].tolist(), counts[order].tolist()))

    def _raw_score(self, text):
        visits = self._visits(text)
        if visits is None:
            return super()._raw_score(text)
        return self._sparse_score(visits, self.nb_ptc)
