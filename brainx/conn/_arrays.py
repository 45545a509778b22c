"""Host arrays for connectivity: aligned so that a CPU device can use them in place."""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable

import numpy as np

#: XLA's CPU client adopts a host buffer without copying when it starts on this boundary.
ALIGNMENT = 64


def aligned_empty(shape: int | tuple[int, ...], dtype: np.dtype | type) -> np.ndarray:
    """An uninitialised array whose data starts on an ``ALIGNMENT``-byte boundary."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64))
    raw = np.empty(size * dtype.itemsize + ALIGNMENT, dtype=np.uint8)
    start = (-raw.ctypes.data) % ALIGNMENT
    return raw[start:start + size * dtype.itemsize].view(dtype).reshape(shape)


def is_aligned(array: np.ndarray) -> bool:
    """Whether ``array``'s data starts on an ``ALIGNMENT``-byte boundary."""
    return array.ctypes.data % ALIGNMENT == 0


def frozen(array: np.ndarray, dtype: np.dtype | type, owned: bool) -> np.ndarray:
    """``array`` as a read-only, aligned array of ``dtype``: the same memory when it
    already is one and ``owned`` (nobody else holds it), else a copy."""
    array = np.asarray(array)
    if not (owned and array.dtype == dtype and array.flags.c_contiguous
            and is_aligned(array)):
        copy = aligned_empty(array.shape, dtype)
        copy[...] = array
        array = copy
    array.flags.writeable = False
    return array


#: Synapses from which a build hands its freed temporaries back to the system.
LARGE_BUILD = 1 << 22


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc
    except (OSError, AttributeError):
        return None


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; a no-op
    elsewhere). After a large build, the freed temporaries would otherwise stay in the
    process: glibc raises its threshold for returning memory as large arrays are freed."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
