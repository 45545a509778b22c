"""Counter-based random sampling on the host for building connectivity.

The bits follow brainx's Threefry specification (``brainx.random._threefry``);
the work is done by an installed backend that computes on NumPy arrays when
there is one (it is tested bit-identical with the specification), else by the
specification itself. Either way the synapses depend only on the seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from brainx.backend import available_backends, get_backend
from brainx.conn._arrays import aligned_empty
from brainx.random import _threefry

_CHUNK = 1 << 24  # numbers drawn per counter block
_PIECE = 1 << 16  # counters hashed at once: bounds the temporaries, does not change the bits


def _host_threefry() -> Callable:
    probe = np.empty(0)
    active = get_backend()
    if active.is_native(probe):  # checked first: asking another backend may have to load it
        return active.threefry2x32
    for name in available_backends():
        try:
            backend = get_backend(name)
        except Exception:  # a backend that cannot load: the specification computes the same
            continue
        if backend.is_native(probe):
            return backend.threefry2x32
    return _threefry.threefry2x32


def resolve_seed(seed: int | None) -> int:
    """The seed a connector uses: the one given, or fresh entropy."""
    if seed is None:
        return int(np.random.SeedSequence().entropy) % 2**64
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    return _threefry.check_seed(seed)


class HostStream:
    """A stream of uint32 words: each draw uses the next counter block of one key."""

    def __init__(self, seed: int):
        self.key = _threefry.seed_key(seed)
        self.block = 0
        self._threefry = _host_threefry()

    def _words(self, first: int, out: np.ndarray) -> None:
        """Fill ``out`` with the words of counters ``first, first + 1, ...`` of the
        current block, a piece at a time (to bound the temporaries)."""
        for start in range(0, len(out), _PIECE):
            stop = min(len(out), start + _PIECE)
            lo = np.arange(first + start, first + stop, dtype=np.uint32)
            hi = np.full(stop - start, self.block, dtype=np.uint32)
            y0, y1 = self._threefry(self.key[0], self.key[1], hi, lo)
            np.bitwise_xor(y0, y1, out=out[start:stop])

    def bits(self, n: int) -> np.ndarray:
        out = np.empty(n, dtype=np.uint32)
        for start in range(0, n, _CHUNK):
            self._words(0, out[start:start + _CHUNK])
            self.block += 1
        return out

    def below(self, n: int, bound: int | np.ndarray, out: np.ndarray | None = None
              ) -> np.ndarray:
        """``n`` integers uniform in ``[0, bound)`` (multiply-shift of 32 random bits),
        written into ``out`` when given (an integer array of ``n`` elements that holds
        ``bound - 1``)."""
        bound = np.asarray(bound, dtype=np.uint64)
        out = np.empty(n, dtype=np.int64) if out is None else out
        words = np.empty(min(n, _PIECE), dtype=np.uint32)
        for chunk in range(0, n, _CHUNK):
            for start in range(chunk, min(n, chunk + _CHUNK), _PIECE):
                stop = min(n, chunk + _CHUNK, start + _PIECE)
                piece = words[:stop - start]
                self._words(start - chunk, piece)
                scaled = piece.astype(np.uint64)
                scaled *= bound if bound.ndim == 0 else bound[start:stop]
                scaled >>= np.uint64(32)
                out[start:stop] = scaled
            self.block += 1
        return out


def sample_rows(stream: HostStream, n_rows: int, k: int, n: int, distinct: bool,
                exclude_diagonal: bool = False) -> np.ndarray:
    """``k`` column indices in ``[0, n)`` for each of ``n_rows`` rows, sorted within rows.

    With ``distinct`` the columns of a row differ (a uniformly random k-subset);
    with ``exclude_diagonal`` row ``i`` never gets column ``i``.
    """
    candidates = n - 1 if exclude_diagonal else n
    out = aligned_empty((n_rows, k), np.int32 if n < 2**31 else np.int64)
    if k == 0 or n_rows == 0:
        return out
    rows_per_chunk = max(1, _CHUNK // k)
    for first in range(0, n_rows, rows_per_chunk):
        rows = min(rows_per_chunk, n_rows - first)
        values = out[first:first + rows]  # drawn, sorted and corrected in place
        if distinct and 2 * k > candidates:
            # dense: a random permutation of every row, cut to k
            keys = stream.bits(rows * candidates).reshape(rows, candidates)
            values[...] = np.sort(np.argsort(keys, axis=1, kind="stable")[:, :k], axis=1)
        else:
            stream.below(rows * k, candidates, out=values.reshape(-1))
            values.sort(axis=1)
            while distinct:
                repeated = np.zeros(values.shape, dtype=bool)
                repeated[:, 1:] = values[:, 1:] == values[:, :-1]
                count = int(repeated.sum())
                if count == 0:
                    break
                values[repeated] = stream.below(count, candidates)
                values.sort(axis=1)
        if exclude_diagonal:  # draws from n - 1 candidates: skip each row's own index
            values += values >= np.arange(first, first + rows)[:, None]
    return out
