"""Event-driven loop kernels: work grows with active events times fan-out.

Every sum runs in ascending synapse order (ascending presynaptic neuron), as the
references in ``brainx.event._ops`` do, so float64 results match them exactly.

With ``environ.set(threads=N)``, N > 1, and at least ``_threads.MIN_PARALLEL`` outputs,
the ``_parts`` kernels split the outputs into N ranges (``brainx.event._partition``), one
per thread: each output is still summed by one thread in the same order, so the results
are those of one thread, bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import prange

from brainx import environ
from brainx.event._ops import dense_reference, is_homogeneous, result_dtype
from brainx.event._partition import even_edges, partition
from brainx_numba._caching import njit
from brainx_numba._prefetch import prefetch
from brainx_numba._threads import PARALLEL, use_threads, worth_threads


@njit(inline="always")
def _add_row(e, lo, hi, indices, weights, homogeneous, out_row):  # pragma: no cover
    if homogeneous:
        for k in range(lo, hi):
            out_row[indices[k]] += e
    else:
        for k in range(lo, hi):
            out_row[indices[k]] += e * weights[k]


@njit(inline="always")
def _prefetch_row(lo, hi, indices):  # pragma: no cover
    for k in range(lo, hi, 16):  # 16 int32 indices: one 64-byte cache line
        prefetch(indices, k)


@njit(inline="always")
def _scatter_active(row, lo, hi, indices, weights, homogeneous, out_row):  # pragma: no cover
    """out_row[indices[k]] += row[i] * w[k], k in lo[i]:hi[i], for the active i in ascending
    order. A spike array is read eight neurons at a time, as most of them are silent, and
    each active row's indices are fetched from memory while the previous row is added (a
    row is a few cache lines at a random place: waiting for each in turn cost most of the
    time)."""
    n = row.shape[0]
    start = 0
    previous = -1
    if row.itemsize == 1:
        start = n - n % 8
        packed = row[:start].view(np.uint64)
        for q in range(packed.shape[0]):
            if packed[q] != 0:
                for i in range(8 * q, 8 * q + 8):
                    if row[i] != 0:
                        _prefetch_row(lo[i], hi[i], indices)
                        if previous >= 0:
                            _add_row(row[previous], lo[previous], hi[previous], indices,
                                     weights, homogeneous, out_row)
                        previous = i
    for i in range(start, n):
        if row[i] != 0:
            _prefetch_row(lo[i], hi[i], indices)
            if previous >= 0:
                _add_row(row[previous], lo[previous], hi[previous], indices, weights,
                         homogeneous, out_row)
            previous = i
    if previous >= 0:
        _add_row(row[previous], lo[previous], hi[previous], indices, weights, homogeneous,
                 out_row)


@njit(nogil=True)
def _scatter_rows(events, indptr, indices, weights, homogeneous, out):  # pragma: no cover
    """out[b, indices[k]] += events[b, i] * w[k] for active i (rows of the CSR matrix)."""
    for b in range(events.shape[0]):
        _scatter_active(events[b], indptr[:-1], indptr[1:], indices, weights, homogeneous,
                        out[b])


@njit(inline="always")
def _gather_row(row, lo, hi, indices, weights, homogeneous, acc):  # pragma: no cover
    """acc plus the sum over k in lo:hi of w[k] * row[indices[k]], in ascending k."""
    for k in range(lo, hi):
        e = row[indices[k]]
        if e != 0:
            acc += e if homogeneous else e * weights[k]
    return acc


@njit(nogil=True)
def _gather_rows(events, indptr, indices, weights, homogeneous, out):  # pragma: no cover
    """out[b, i] = sum over row i of w[k] * events[b, indices[k]] (the transpose)."""
    for b in range(events.shape[0]):
        for i in range(out.shape[1]):
            out[b, i] = _gather_row(events[b], indptr[i], indptr[i + 1], indices, weights,
                                    homogeneous, out[b, i])


@njit(nogil=True)
def _dense_rows(events, weights, out):  # pragma: no cover
    """out[b] += events[b, i] * W[i] for active i, in ascending i."""
    for b in range(events.shape[0]):
        for i in range(events.shape[1]):
            e = events[b, i]
            if e != 0:
                for j in range(weights.shape[1]):
                    out[b, j] += e * weights[i, j]


@njit(inline="always")
def _dense_dot(row, weights_row, acc):  # pragma: no cover
    """acc plus the sum over active j (ascending) of row[j] * weights_row[j]."""
    for j in range(row.shape[0]):
        e = row[j]
        if e != 0:
            acc += e * weights_row[j]
    return acc


@njit(nogil=True)
def _dense_gather(events, weights, out):  # pragma: no cover
    """out[b, i] = sum over active j (ascending) of events[b, j] * W[i, j] (``W @ events``)."""
    for b in range(events.shape[0]):
        for i in range(weights.shape[0]):
            out[b, i] = _dense_dot(events[b], weights[i], out[b, i])


@njit(nogil=True, parallel=PARALLEL)
def _scatter_parts(events, indptr, indices, weights, homogeneous, splits, edges,
                   out):  # pragma: no cover
    """``_scatter_rows`` into an uninitialised ``out`` with part t (a thread) zeroing and
    summing the outputs ``edges[t]:edges[t + 1]``: row i's synapses from ``splits[t - 1, i]``
    (``indptr[i]`` for the first part) to ``splits[t, i]`` (``indptr[i + 1]`` for the last)."""
    parts = edges.shape[0] - 1
    for t in prange(parts):
        lo = indptr[:-1] if t == 0 else splits[t - 1]
        hi = indptr[1:] if t == parts - 1 else splits[t]
        for b in range(events.shape[0]):
            out[b, edges[t]:edges[t + 1]] = 0
            _scatter_active(events[b], lo, hi, indices, weights, homogeneous, out[b])


@njit(nogil=True, parallel=PARALLEL)
def _scatter_filtered(events, indptr, indices, weights, homogeneous, edges,
                      out):  # pragma: no cover
    """``_scatter_parts`` for unsorted rows: part t reads every active row and adds the
    synapses onto ``edges[t] <= j < edges[t + 1]``."""
    for t in prange(edges.shape[0] - 1):
        lo, hi = edges[t], edges[t + 1]
        for b in range(events.shape[0]):
            out[b, lo:hi] = 0
            for i in range(events.shape[1]):
                e = events[b, i]
                if e != 0:
                    for k in range(indptr[i], indptr[i + 1]):
                        j = indices[k]
                        if lo <= j < hi:
                            out[b, j] += e if homogeneous else e * weights[k]


@njit(nogil=True, parallel=PARALLEL)
def _gather_parts(events, indptr, indices, weights, homogeneous, out):  # pragma: no cover
    """``_gather_rows`` with the rows (the outputs) shared among the threads."""
    for b in range(events.shape[0]):
        for i in prange(out.shape[1]):
            out[b, i] = _gather_row(events[b], indptr[i], indptr[i + 1], indices, weights,
                                    homogeneous, out[b, i])


@njit(nogil=True, parallel=PARALLEL)
def _dense_rows_parts(events, weights, edges, out):  # pragma: no cover
    """``_dense_rows`` with part t adding the columns ``edges[t]:edges[t + 1]``."""
    for t in prange(edges.shape[0] - 1):
        for b in range(events.shape[0]):
            for i in range(events.shape[1]):
                e = events[b, i]
                if e != 0:
                    for j in range(edges[t], edges[t + 1]):
                        out[b, j] += e * weights[i, j]


@njit(nogil=True, parallel=PARALLEL)
def _dense_gather_parts(events, weights, out):  # pragma: no cover
    """``_dense_gather`` with the outputs shared among the threads."""
    for b in range(events.shape[0]):
        for i in prange(weights.shape[0]):
            out[b, i] = _dense_dot(events[b], weights[i], out[b, i])


def _as_2d(events: np.ndarray, dtype: np.dtype) -> np.ndarray:
    ev = events if events.dtype == np.bool_ else events.astype(dtype, copy=False)
    return np.ascontiguousarray(ev.reshape(1, -1) if ev.ndim == 1 else ev)


def sparse_matvec(b: Any, events: Any, indptr: Any, pre_ids: Any, post_ids: Any, weight: Any,
                  shape: tuple[int, int], transpose: bool, grad_mode: str = "vjp") -> np.ndarray:
    dtype = result_dtype(events, weight)
    homogeneous = is_homogeneous(weight)
    ev = _as_2d(np.asarray(events), dtype)
    weights = (np.zeros(1, dtype) if homogeneous
               else np.ascontiguousarray(np.asarray(weight, dtype=dtype)))
    n_out = shape[0] if transpose else shape[1]
    indptr, post_ids = np.asarray(indptr), np.asarray(post_ids)
    threads = environ.get_threads()
    parallel = worth_threads(threads, n_out)
    # a thread zeroes its own part of ``out``
    out = (np.empty if parallel and not transpose else np.zeros)((ev.shape[0], n_out), dtype)
    if not parallel:
        kernel = _gather_rows if transpose else _scatter_rows
        kernel(ev, indptr, post_ids, weights, homogeneous, out)
    else:
        use_threads(threads)
        if transpose:
            _gather_parts(ev, indptr, post_ids, weights, homogeneous, out)
        else:
            parts = partition(indptr, post_ids, shape[1], threads)
            if parts.splits is not None:
                _scatter_parts(ev, indptr, post_ids, weights, homogeneous, parts.splits,
                               parts.edges, out)
            else:
                _scatter_filtered(ev, indptr, post_ids, weights, homogeneous, parts.edges, out)
    if homogeneous:
        out *= dtype.type(weight)
    return out if np.ndim(events) == 2 else out[0]


sparse_matvec.needs_pre_ids = False  # it walks the rows: each synapse's row is implicit


def _prepare_sparse(b: Any, operands: Any, shape: tuple[int, int]) -> None:
    """On several threads, split a new layer's synapses among them now (``sparse_matvec``
    would do it at its first call)."""
    threads = environ.get_threads()
    if worth_threads(threads, shape[1]):
        indptr, _, post_ids, _ = operands()
        partition(np.asarray(indptr), np.asarray(post_ids), shape[1], threads)


sparse_matvec.prepare = _prepare_sparse


def dense_matvec(b: Any, events: Any, weight: Any, shape: tuple[int, int], transpose: bool,
                 grad_mode: str = "vjp") -> np.ndarray:
    if is_homogeneous(weight):
        return dense_reference(b, events, weight, shape, transpose)
    dtype = result_dtype(events, weight)
    ev = _as_2d(np.asarray(events), dtype)
    w = np.ascontiguousarray(np.asarray(weight, dtype=dtype))
    out = np.zeros((ev.shape[0], shape[0] if transpose else shape[1]), dtype=dtype)
    threads = environ.get_threads()
    if not worth_threads(threads, out.shape[1]):
        (_dense_gather if transpose else _dense_rows)(ev, w, out)
    else:
        use_threads(threads)
        if transpose:
            _dense_gather_parts(ev, w, out)
        else:
            _dense_rows_parts(ev, w, even_edges(shape[1], threads), out)
    return out if np.ndim(events) == 2 else out[0]


KERNELS = {"event_sparse_matvec": sparse_matvec, "event_dense_matvec": dense_matvec}
