"""Event-driven loop kernels: work grows with active events times fan-out.

Every sum runs in ascending synapse order (ascending presynaptic neuron), as the
references in ``brainx.event._ops`` do, so float64 results match them exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainx.event._ops import dense_reference, is_homogeneous, result_dtype
from brainx_numba._caching import njit


@njit(nogil=True)
def _scatter_rows(events, indptr, indices, weights, homogeneous, out):  # pragma: no cover
    """out[b, indices[k]] += events[b, i] * w[k] for active i (rows of the CSR matrix)."""
    for b in range(events.shape[0]):
        for i in range(events.shape[1]):
            e = events[b, i]
            if e != 0:
                if homogeneous:
                    for k in range(indptr[i], indptr[i + 1]):
                        out[b, indices[k]] += e
                else:
                    for k in range(indptr[i], indptr[i + 1]):
                        out[b, indices[k]] += e * weights[k]


@njit(nogil=True)
def _gather_rows(events, indptr, indices, weights, homogeneous, out):  # pragma: no cover
    """out[b, i] = sum over row i of w[k] * events[b, indices[k]] (the transpose)."""
    for b in range(events.shape[0]):
        for i in range(out.shape[1]):
            acc = out[b, i]
            for k in range(indptr[i], indptr[i + 1]):
                e = events[b, indices[k]]
                if e != 0:
                    acc += e if homogeneous else e * weights[k]
            out[b, i] = acc


@njit(nogil=True)
def _dense_rows(events, weights, out):  # pragma: no cover
    """out[b] += events[b, i] * W[i] for active i, in ascending i."""
    for b in range(events.shape[0]):
        for i in range(events.shape[1]):
            e = events[b, i]
            if e != 0:
                for j in range(weights.shape[1]):
                    out[b, j] += e * weights[i, j]


@njit(nogil=True)
def _dense_gather(events, weights, out):  # pragma: no cover
    """out[b, i] = sum over active j (ascending) of events[b, j] * W[i, j] (``W @ events``)."""
    for b in range(events.shape[0]):
        for i in range(weights.shape[0]):
            acc = out[b, i]
            for j in range(events.shape[1]):
                e = events[b, j]
                if e != 0:
                    acc += e * weights[i, j]
            out[b, i] = acc


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
    out = np.zeros((ev.shape[0], n_out), dtype=dtype)
    kernel = _gather_rows if transpose else _scatter_rows
    kernel(ev, np.asarray(indptr), np.asarray(post_ids), weights, homogeneous, out)
    if homogeneous:
        out *= dtype.type(weight)
    return out if np.ndim(events) == 2 else out[0]


def dense_matvec(b: Any, events: Any, weight: Any, shape: tuple[int, int], transpose: bool,
                 grad_mode: str = "vjp") -> np.ndarray:
    if is_homogeneous(weight):
        return dense_reference(b, events, weight, shape, transpose)
    dtype = result_dtype(events, weight)
    ev = _as_2d(np.asarray(events), dtype)
    w = np.ascontiguousarray(np.asarray(weight, dtype=dtype))
    out = np.zeros((ev.shape[0], shape[0] if transpose else shape[1]), dtype=dtype)
    (_dense_gather if transpose else _dense_rows)(ev, w, out)
    return out if np.ndim(events) == 2 else out[0]


KERNELS = {"event_sparse_matvec": sparse_matvec, "event_dense_matvec": dense_matvec}
