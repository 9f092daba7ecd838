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
    """py3langid's identifier over numpy arrays: ``tk_nextmove``, ``tk_output`` and ``tk_row``
    as numpy arrays (the large ones memory-mapped, nothing copied at start). py3langid's own
    walk (the fallback of ``_raw_score``) indexes them as it indexes its lists, to the same
    counts, only slower."""

    __slots__ = ("_moves", "_rows", "_outputs")

    def __init__(self, nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output, *args, tk_row, **kwargs):
        super().__init__(nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output, *args, tk_row=(), **kwargs)
        self.tk_row = tk_row
        self._rowbase = np.asarray(tk_row, dtype=np.int64) << 8  # py3langid's pre-shifted row offsets
        self._moves = np.asarray(tk_nextmove)
        self._rows = self._rowbase
        self._outputs = np.asarray(tk_output, dtype=np.int64)

    def _visits(self, data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(features, their counts) in order of first occurrence, as py3langid counts them (a
        dict of them); None when the text has no feature or the states fail the check
        (py3langid decides)."""
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
        # np.unique(features, return_index=True, return_counts=True), from one plain sort: each
        # feature with its position below it in one number, sorted, puts a feature's occurrences
        # together, its first one first (a stable sort of the features alone costs more)
        shift = len(features).bit_length()
        keys = (features << shift) | np.arange(len(features))
        keys.sort()
        sorted_features = keys >> shift
        starts = np.flatnonzero(np.concatenate(([True], sorted_features[1:] != sorted_features[:-1])))
        found = sorted_features[starts]
        first = keys[starts] & ((1 << shift) - 1)
        counts = np.diff(np.append(starts, len(keys)))
        order = np.argsort(first)  # (each feature where it first occurs: py3langid's dict order)
        return found[order], counts[order]

    def _raw_score(self, text):
        visits = self._visits(text)
        if visits is None:
            return super()._raw_score(text)
        # py3langid's _sparse_score, from the arrays rather than a dict (the same arrays: intp
        # features, float32 counts, in the same order; so the same floats)
        features, counts = visits
        return np.log1p(counts.astype(np.float32)) @ self.nb_ptc[features.astype(np.intp, copy=False)] + self.nb_pc
