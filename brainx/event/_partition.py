"""Splitting a synapse list by postsynaptic ranges, so that parts can be summed in parallel.

A part owns a contiguous range of postsynaptic neurons, ``edges[t] <= j < edges[t + 1]``,
chosen so that the parts receive about the same number of synapses. Whoever sums part
``t`` adds every input of its neurons, in ascending presynaptic order as the serial
kernels do, so each output is the same float sum whatever the number of parts: the
numba backend gives each part a thread, the jax backend a device.

When every row of the CSR structure is sorted by postsynaptic neuron (as connectors build
them), the synapses of row ``i`` that fall in part ``t`` are the contiguous slice
``bounds[i, t]:bounds[i, t + 1]``, where ``bounds[i, 0] = indptr[i]``, ``bounds[i, parts] =
indptr[i + 1]`` and the inner columns are kept as ``splits[t - 1]`` (in the row pointers'
dtype: one number per row and inner boundary); a thread then reads only its own synapses.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Partition", "partition"]

_CHUNK = 1 << 20  # synapses examined at a time, to bound the temporary arrays


@dataclass(frozen=True)
class Partition:
    """Postsynaptic ranges ``edges`` (``parts + 1`` ascending ints from 0 to ``n_post``) and,
    when rows are sorted, where each row crosses the inner edges, ``splits`` (``(parts - 1,
    n_pre)``; None for unsorted rows)."""

    edges: np.ndarray
    splits: np.ndarray | None

    @property
    def parts(self) -> int:
        return len(self.edges) - 1

    def bounds(self, indptr: np.ndarray) -> np.ndarray:
        """``(n_pre, parts + 1)``: row ``i``'s synapses onto part ``t`` are
        ``bounds[i, t]:bounds[i, t + 1]``."""
        return np.column_stack([indptr[:-1], *self.splits, indptr[1:]])

    @property
    def nbytes(self) -> int:
        return int(self.edges.nbytes + (0 if self.splits is None else self.splits.nbytes))


def balanced_edges(indices: np.ndarray, n_post: int, parts: int) -> np.ndarray:
    """``parts`` contiguous postsynaptic ranges receiving about equal numbers of synapses.

    Examples
    --------
    >>> balanced_edges(np.array([0, 0, 0, 1, 2, 3]), 4, 2).tolist()
    [0, 1, 4]
    """
    received = np.cumsum(np.bincount(indices, minlength=n_post))
    targets = np.arange(1, parts) * (len(indices) / parts)
    inner = np.searchsorted(received, targets, side="left") + 1
    edges = np.concatenate([[0], np.minimum(inner, n_post), [n_post]]).astype(np.int64)
    return np.maximum.accumulate(edges)


def even_edges(n: int, parts: int) -> np.ndarray:
    """``parts`` contiguous ranges of ``range(n)`` of (nearly) equal length.

    Examples
    --------
    >>> even_edges(10, 3).tolist()
    [0, 3, 6, 10]
    """
    return (np.arange(parts + 1, dtype=np.int64) * n) // parts


def rows_sorted(indptr: np.ndarray, indices: np.ndarray) -> bool:
    """Whether each row's postsynaptic indices are non-decreasing."""
    n_pre = len(indptr) - 1
    for start in range(0, len(indices), _CHUNK):
        stop = min(start + _CHUNK + 1, len(indices))
        falls = np.flatnonzero(np.diff(indices[start:stop].astype(np.int64)) < 0) + start + 1
        # a fall at k is allowed where a row starts at k
        row_of = np.searchsorted(indptr, falls, side="right") - 1
        if np.any(indptr[np.clip(row_of, 0, n_pre)] != falls):
            return False
    return True


def row_bounds(indptr: np.ndarray, indices: np.ndarray, n_post: int,
               edges: np.ndarray) -> np.ndarray:
    """``bounds[i, t]``: the first synapse of (sorted) row ``i`` onto a neuron ``>= edges[t]``."""
    n_pre = len(indptr) - 1
    bounds = np.empty((n_pre, len(edges)), dtype=np.int64)
    bounds[:, 0], bounds[:, -1] = indptr[:-1], indptr[1:]
    row = 0
    while row < n_pre:
        last = int(np.searchsorted(indptr, indptr[row] + _CHUNK, side="right")) - 1
        last = min(max(last, row + 1), n_pre)
        lo, hi = int(indptr[row]), int(indptr[last])
        # one ascending key per synapse: its row, then its postsynaptic neuron
        rows = np.repeat(np.arange(last - row, dtype=np.int64), np.diff(indptr[row:last + 1]))
        keys = rows * (n_post + 1) + indices[lo:hi]
        starts = np.arange(last - row, dtype=np.int64)[:, None] * (n_post + 1)
        bounds[row:last, 1:-1] = lo + np.searchsorted(keys, starts + edges[None, 1:-1])
        row = last
    return bounds


_CACHE: dict[tuple, tuple] = {}


def partition(indptr: np.ndarray, indices: np.ndarray, n_post: int, parts: int) -> Partition:
    """The partition of a CSR structure into ``parts`` postsynaptic ranges (cached while both
    arrays live).

    Examples
    --------
    >>> indptr = np.array([0, 2, 3])
    >>> p = partition(indptr, np.array([0, 2, 1]), 3, 2)
    >>> p.edges.tolist(), p.splits.tolist(), p.bounds(indptr).tolist()
    ([0, 2, 3], [[1, 3]], [[0, 1, 2], [2, 3, 3]])
    """
    key = (id(indptr), id(indices), n_post, parts)
    held = _CACHE.get(key)
    if held is not None and held[0]() is indptr and held[1]() is indices:
        return held[2]
    starts, targets = np.asarray(indptr, dtype=np.int64), np.asarray(indices)
    edges = balanced_edges(targets, n_post, parts)
    splits = None
    if rows_sorted(starts, targets):
        inner = row_bounds(starts, targets, n_post, edges)[:, 1:-1]
        splits = np.ascontiguousarray(inner.T, dtype=np.asarray(indptr).dtype)
    found = Partition(edges, splits)
    try:
        refs = (weakref.ref(indptr), weakref.ref(indices))
    except TypeError:  # not weakly referable: computed at every call
        return found
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (*refs, found)
    return found


_HELD: dict[tuple, tuple] = {}


def note_held(indptr: Any, indices: Any, what: Hashable, nbytes: int) -> None:
    """Record that a backend keeps ``nbytes`` derived from this structure (``what`` names
    the derived arrays, once each), for ``held_bytes``."""
    try:
        refs = (weakref.ref(indptr), weakref.ref(indices))
    except TypeError:
        return
    if len(_HELD) > 256:
        _HELD.clear()
    _HELD[(id(indptr), id(indices), what)] = (*refs, int(nbytes))


def held_bytes(indptr: Any, indices: Any) -> int:
    """Bytes derived from this structure and kept: its thread partitions (one per thread
    count used) and what backends noted (``note_held``: a split among devices)."""
    total = sum(held[2].nbytes for held in _CACHE.values()
                if held[0]() is indptr and held[1]() is indices)
    return total + sum(held[2] for held in _HELD.values()
                       if held[0]() is indptr and held[1]() is indices)
