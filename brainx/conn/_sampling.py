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
from brainx.random import _threefry

_CHUNK = 1 << 24  # numbers drawn per block, to bound memory


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

    def bits(self, n: int) -> np.ndarray:
        out = np.empty(n, dtype=np.uint32)
        for start in range(0, n, _CHUNK):
            stop = min(n, start + _CHUNK)
            lo = np.arange(stop - start, dtype=np.uint32)
            hi = np.full(stop - start, self.block, dtype=np.uint32)
            y0, y1 = self._threefry(self.key[0], self.key[1], hi, lo)
            out[start:stop] = y0 ^ y1
            self.block += 1
        return out

    def below(self, n: int, bound: int | np.ndarray) -> np.ndarray:
        """``n`` integers uniform in ``[0, bound)`` (multiply-shift of 32 random bits)."""
        scaled = self.bits(n).astype(np.uint64) * np.asarray(bound, dtype=np.uint64)
        return (scaled >> np.uint64(32)).astype(np.int64)


def _skip_excluded(values: np.ndarray, excluded: np.ndarray | None) -> np.ndarray:
    """Map draws from ``n - 1`` candidates onto ``0..n-1`` minus each row's excluded index."""
    if excluded is None:
        return values
    return values + (values >= excluded[:, None])


def sample_rows(stream: HostStream, n_rows: int, k: int, n: int, distinct: bool,
                exclude_diagonal: bool = False) -> np.ndarray:
    """``k`` column indices in ``[0, n)`` for each of ``n_rows`` rows, sorted within rows.

    With ``distinct`` the columns of a row differ (a uniformly random k-subset);
    with ``exclude_diagonal`` row ``i`` never gets column ``i``.
    """
    candidates = n - 1 if exclude_diagonal else n
    if k == 0 or n_rows == 0:
        return np.zeros((n_rows, 0), dtype=np.int64)
    rows_per_chunk = max(1, _CHUNK // k)
    chunks = []
    for first in range(0, n_rows, rows_per_chunk):
        rows = min(rows_per_chunk, n_rows - first)
        excluded = np.arange(first, first + rows) if exclude_diagonal else None
        if distinct and 2 * k > candidates:
            # dense: a random permutation of every row, cut to k
            keys = stream.bits(rows * candidates).reshape(rows, candidates)
            values = np.sort(np.argsort(keys, axis=1, kind="stable")[:, :k], axis=1)
        else:
            values = np.sort(stream.below(rows * k, candidates).reshape(rows, k), axis=1)
            while distinct:
                repeated = np.zeros(values.shape, dtype=bool)
                repeated[:, 1:] = values[:, 1:] == values[:, :-1]
                count = int(repeated.sum())
                if count == 0:
                    break
                values[repeated] = stream.below(count, candidates)
                values.sort(axis=1)
        chunks.append(_skip_excluded(values, excluded))
    return np.concatenate(chunks, axis=0)
