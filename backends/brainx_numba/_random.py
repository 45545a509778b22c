"""Random bits on numba: a loop kernel for Threefry-2x32 (20 rounds)."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from brainx_numba._caching import njit

_M = 0xFFFFFFFF


@numba.njit(inline="always")
def _mix(v0, v1, r):  # pragma: no cover - compiled
    v0 = (v0 + v1) & _M
    v1 = (((v1 << r) | (v1 >> (32 - r))) & _M) ^ v0
    return v0, v1


@numba.njit(inline="always")
def _four(v0, v1, r0, r1, r2, r3):  # pragma: no cover - compiled
    v0, v1 = _mix(v0, v1, r0)
    v0, v1 = _mix(v0, v1, r1)
    v0, v1 = _mix(v0, v1, r2)
    v0, v1 = _mix(v0, v1, r3)
    return v0, v1


@numba.njit(inline="always")
def _threefry(k0, k1, x0, x1):  # pragma: no cover - compiled
    k2 = k0 ^ k1 ^ 0x1BD11BDA
    v0 = (x0 + k0) & _M
    v1 = (x1 + k1) & _M
    v0, v1 = _four(v0, v1, 13, 15, 26, 6)
    v0, v1 = (v0 + k1) & _M, (v1 + k2 + 1) & _M
    v0, v1 = _four(v0, v1, 17, 29, 16, 24)
    v0, v1 = (v0 + k2) & _M, (v1 + k0 + 2) & _M
    v0, v1 = _four(v0, v1, 13, 15, 26, 6)
    v0, v1 = (v0 + k0) & _M, (v1 + k1 + 3) & _M
    v0, v1 = _four(v0, v1, 17, 29, 16, 24)
    v0, v1 = (v0 + k1) & _M, (v1 + k2 + 4) & _M
    v0, v1 = _four(v0, v1, 13, 15, 26, 6)
    v0, v1 = (v0 + k2) & _M, (v1 + k0 + 5) & _M
    return v0, v1


@njit(nogil=True)
def _kernel_scalar_key(k0, k1, x0, x1, y0, y1):  # pragma: no cover - compiled
    a0, a1 = np.uint64(k0), np.uint64(k1)
    for i in range(x0.size):
        v0, v1 = _threefry(a0, a1, np.uint64(x0[i]), np.uint64(x1[i]))
        y0[i] = np.uint32(v0)
        y1[i] = np.uint32(v1)


@njit(nogil=True)
def _kernel(k0, k1, x0, x1, y0, y1):  # pragma: no cover - compiled
    for i in range(x0.size):
        v0, v1 = _threefry(np.uint64(k0[i]), np.uint64(k1[i]), np.uint64(x0[i]),
                           np.uint64(x1[i]))
        y0[i] = np.uint32(v0)
        y1[i] = np.uint32(v1)


def _flat(word: np.ndarray, shape: tuple) -> np.ndarray:
    if word.shape == shape and word.flags.c_contiguous:
        return word.reshape(-1)
    return np.broadcast_to(word, shape).reshape(-1).copy()


def _is_plain_counter(x: Any) -> bool:
    return type(x) is np.ndarray and x.dtype == np.uint32 and x.flags.c_contiguous


def threefry2x32(key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[np.ndarray, np.ndarray]:
    if (_is_plain_counter(x0) and _is_plain_counter(x1) and x0.shape == x1.shape
            and np.ndim(key0) == 0 and np.ndim(key1) == 0):
        y0, y1 = np.empty_like(x0), np.empty_like(x1)
        _kernel_scalar_key(np.uint32(key0), np.uint32(key1), x0.reshape(-1), x1.reshape(-1),
                           y0.reshape(-1), y1.reshape(-1))
        return y0, y1
    c0 = np.asarray(x0, dtype=np.uint32)
    c1 = np.asarray(x1, dtype=np.uint32)
    k0 = np.asarray(key0, dtype=np.uint32)
    k1 = np.asarray(key1, dtype=np.uint32)
    shape = np.broadcast_shapes(k0.shape, k1.shape, c0.shape, c1.shape)
    size = int(np.prod(shape))
    y0 = np.empty(size, dtype=np.uint32)
    y1 = np.empty(size, dtype=np.uint32)
    if k0.ndim == 0 and k1.ndim == 0:
        _kernel_scalar_key(np.uint32(k0), np.uint32(k1), _flat(c0, shape), _flat(c1, shape), y0, y1)
    else:
        _kernel(_flat(k0, shape), _flat(k1, shape), _flat(c0, shape), _flat(c1, shape), y0, y1)
    return y0.reshape(shape), y1.reshape(shape)
