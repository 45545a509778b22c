"""Random bits on numba: a loop kernel for Threefry-2x32 (20 rounds)."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

_MASK = 0xFFFFFFFF


@numba.njit(cache=True, nogil=True)
def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF


@numba.njit(cache=True, nogil=True)
def _threefry_kernel(k0, k1, x0, x1, y0, y1):  # pragma: no cover - compiled
    rotations = (13, 15, 26, 6, 17, 29, 16, 24)
    for i in range(x0.size):
        a0 = np.uint64(k0[i])
        a1 = np.uint64(k1[i])
        ks = (a0, a1, a0 ^ a1 ^ np.uint64(0x1BD11BDA))
        v0 = (np.uint64(x0[i]) + a0) & 0xFFFFFFFF
        v1 = (np.uint64(x1[i]) + a1) & 0xFFFFFFFF
        for group in range(5):
            base = 4 * (group % 2)
            for j in range(4):
                v0 = (v0 + v1) & 0xFFFFFFFF
                v1 = _rotl(v1, rotations[base + j]) ^ v0
            v0 = (v0 + ks[(group + 1) % 3]) & 0xFFFFFFFF
            v1 = (v1 + ks[(group + 2) % 3] + np.uint64(group + 1)) & 0xFFFFFFFF
        y0[i] = np.uint32(v0)
        y1[i] = np.uint32(v1)


def threefry2x32(key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[np.ndarray, np.ndarray]:
    words = [np.asarray(v, dtype=np.uint32) for v in (key0, key1, x0, x1)]
    shape = np.broadcast_shapes(*(w.shape for w in words))
    flat = [w.reshape(-1) if w.shape == shape and w.flags.c_contiguous
            else np.broadcast_to(w, shape).reshape(-1).copy() for w in words]
    y0 = np.empty(flat[0].size, dtype=np.uint32)
    y1 = np.empty(flat[0].size, dtype=np.uint32)
    _threefry_kernel(flat[0], flat[1], flat[2], flat[3], y0, y1)
    return y0.reshape(shape), y1.reshape(shape)
