"""Whole-step kernels of the built-in models (see ``brainx.nn._fused``).

Each loop computes the reference's expressions, element by element and in the
same order, so float64 results equal the reference's.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba import types
from numba.extending import overload


def _at(x, k):  # pragma: no cover - replaced inside kernels by the overload below
    """Element ``k`` of an array, or the scalar itself (inputs may be either)."""
    return x if np.ndim(x) == 0 else x.reshape(-1)[k]


@overload(_at, inline="always")
def _at_overload(x, k):  # pragma: no cover
    if isinstance(x, types.Array):
        return lambda x, k: x[k]
    return lambda x, k: x


@numba.njit(cache=True, nogil=True)
def _input_current(V, x, gs, Es, n_g):  # noqa: N803  # pragma: no cover
    """x + g_1 (E_1 - V) + ...; one pass per conductance keeps the loops vectorisable."""
    current = np.empty_like(V)
    for k in range(V.size):
        current[k] = _at(x, k)
    for j in range(n_g):
        g, E = gs[j], Es[j]  # noqa: N806
        for k in range(V.size):
            current[k] = current[k] + g[k] * (E - V[k])
    return current


@numba.njit(cache=True, nogil=True)
def _lif(V, x, gs, Es, n_g, delta, V_rest, R, tau, factor, V_th, V_reset,  # noqa: N803
         V_out, spike):  # pragma: no cover
    current = _input_current(V, x, gs, Es, n_g)
    for k in range(V.size):
        v = V[k]
        dV = (-(v - V_rest) + R * current[k]) / tau
        v_new = v + factor * dV + _at(delta, k)
        fired = v_new >= V_th
        spike[k] = fired
        V_out[k] = V_reset if fired else v_new


@numba.njit(cache=True, nogil=True)
def _lif_ref(V, t_last, x, gs, Es, n_g, delta, t, V_rest, R, tau, factor, V_th,  # noqa: N803
             V_reset, window, V_out, spike, t_out):  # pragma: no cover
    current = _input_current(V, x, gs, Es, n_g)
    for k in range(V.size):
        v = V[k]
        refractory = (t - t_last[k]) <= window
        dV = (-(v - V_rest) + R * current[k]) / tau
        v_step = v + factor * dV + _at(delta, k)
        v_new = v if refractory else v_step
        fired = (v_new >= V_th) & (not refractory)
        spike[k] = fired
        V_out[k] = V_reset if fired else v_new
        t_out[k] = t if fired else t_last[k]


@numba.njit(cache=True, nogil=True)
def _decay_add(g, decay, x, out):  # pragma: no cover
    for k in range(g.size):
        out[k] = g[k] * decay + _at(x, k)


@numba.njit(cache=True, nogil=True)
def _expon_sparse(g, decay, events, indptr, post_ids, weights, homogeneous, w,
                  out):  # pragma: no cover
    received = np.zeros(g.size, g.dtype)
    for i in range(events.size):
        e = events[i]
        if e != 0:
            if homogeneous:
                for k in range(indptr[i], indptr[i + 1]):
                    received[post_ids[k]] += e
            else:
                for k in range(indptr[i], indptr[i + 1]):
                    received[post_ids[k]] += e * weights[k]
    for k in range(g.size):
        out[k] = g[k] * decay + (received[k] * w if homogeneous else received[k])


def _flat(x: Any, shape: tuple[int, ...], dtype: np.dtype) -> Any:
    """``x`` as a scalar of ``dtype``, or a flat array of ``shape`` (a view when it can be)."""
    if type(x) is not np.ndarray:
        x = np.asarray(x)
    if x.ndim == 0:
        return dtype.type(x)
    if x.dtype != dtype:
        x = x.astype(dtype)
    if x.shape != shape:
        x = np.broadcast_to(x, shape)
    return _as_flat(x)


def _conductances(V: np.ndarray, gs: tuple, Es: tuple) -> tuple[tuple, np.ndarray, int]:  # noqa: N803
    """Numba cannot index an empty tuple: pass one unused array and a count of 0."""
    if not gs:
        return (_as_flat(V),), (V.dtype.type(0),), 0
    shape, dtype = V.shape, V.dtype
    for g in gs:
        if type(g) is not np.ndarray or g.shape != shape or g.dtype != dtype:
            gs = tuple(np.broadcast_to(np.asarray(g, dtype), shape) for g in gs)
            break
    if len(shape) != 1:
        gs = tuple(g.reshape(-1) for g in gs)
    return gs, tuple(dtype.type(E) for E in Es) if type(Es[0]) is not dtype.type else Es, len(gs)


def _as_flat(x: np.ndarray) -> np.ndarray:
    return x if x.ndim == 1 else x.reshape(-1)


def lif_step(b: Any, V: Any, x: Any, gs: tuple, Es: tuple, delta: Any, V_rest: Any, R: Any,  # noqa: N803
             tau: Any, factor: Any, V_th: Any, V_reset: Any) -> tuple[np.ndarray, np.ndarray]:
    shape, dtype = V.shape, V.dtype
    V_out = np.empty(shape, dtype)
    spike = np.empty(shape, np.bool_)
    _lif(_as_flat(V), _flat(x, shape, dtype), *_conductances(V, gs, Es),
         _flat(delta, shape, dtype), V_rest, R, tau, factor, V_th, V_reset,
         _as_flat(V_out), _as_flat(spike))
    return V_out, spike


def lif_ref_step(b: Any, V: Any, t_last: Any, x: Any, gs: tuple, Es: tuple, delta: Any,  # noqa: N803
                 t: Any, V_rest: Any, R: Any, tau: Any, factor: Any, V_th: Any, V_reset: Any,  # noqa: N803
                 window: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shape, dtype = V.shape, V.dtype
    V_out = np.empty(shape, dtype)
    spike = np.empty(shape, np.bool_)
    t_out = np.empty(shape, t_last.dtype)
    _lif_ref(_as_flat(V), _as_flat(t_last), _flat(x, shape, dtype), *_conductances(V, gs, Es),
             _flat(delta, shape, dtype), t_last.dtype.type(t), V_rest, R, tau, factor, V_th,
             V_reset, window, _as_flat(V_out), _as_flat(spike), _as_flat(t_out))
    return V_out, spike, t_out


def decay_add(b: Any, g: Any, decay: Any, x: Any) -> np.ndarray:
    shape, dtype = g.shape, g.dtype
    out = np.empty(shape, dtype)
    _decay_add(g.reshape(-1), decay, _flat(x, shape, dtype), out.reshape(-1))
    return out


def expon_sparse_step(b: Any, g: Any, decay: Any, events: Any, indptr: Any, pre_ids: Any,
                      post_ids: Any, weight: Any, shape: tuple[int, int]) -> np.ndarray:
    homogeneous = np.ndim(weight) == 0
    dtype = g.dtype
    weights = np.zeros(1, dtype) if homogeneous else np.asarray(weight, dtype=dtype)
    w = dtype.type(weight) if homogeneous else dtype.type(0)
    events = np.asarray(events)
    if events.dtype != np.bool_ and events.dtype != dtype:
        events = events.astype(dtype)
    out = np.empty(g.shape, dtype)
    _expon_sparse(g.reshape(-1), decay, events.reshape(-1), indptr, post_ids,
                  weights, homogeneous, w, out.reshape(-1))
    return out


KERNELS = {"nn.lif_step": lif_step, "nn.lif_ref_step": lif_ref_step, "nn.decay_add": decay_add,
           "nn.expon_sparse_step": expon_sparse_step}
