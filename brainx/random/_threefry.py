"""The normative NumPy specification of brainx's random bits.

Every backend must reproduce these functions bit for bit.

Scheme (the same as jax's "partitionable" threefry, so ``jax.random`` is an
independent check):

- a *key* is a ``uint32[2]`` array;
- ``seed_key(s)`` is ``[s >> 32, s & 0xFFFFFFFF]`` for ``0 <= s < 2**64``
  (other integers are taken modulo ``2**64``);
- ``split(key, n)[i]`` is ``threefry2x32(key, (0, i))``;
- ``bits32(key, shape)`` at flat index ``j`` is ``y0 ^ y1`` of
  ``threefry2x32(key, (j >> 32, j & 0xFFFFFFFF))``; ``bits64`` is
  ``(y0 << 32) | y1``.

``threefry2x32`` is Threefry-2x32 with 20 rounds from Random123 (Salmon et
al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011); the tests
check it against Random123's published known-answer vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["threefry2x32", "check_seed", "seed_key", "split", "fold_in", "counters", "bits32",
           "bits64"]

ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
KEY_PARITY = 0x1BD11BDA


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def threefry2x32(key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[np.ndarray, np.ndarray]:
    """Threefry-2x32-20 of counters ``(x0, x1)`` under key ``(key0, key1)`` (broadcast).

    Examples
    --------
    >>> y = threefry2x32(0, 0, 0, 0)
    >>> [hex(int(v)) for v in y]
    ['0x6b200159', '0x99ba4efe']
    """
    k0, k1, v0, v1 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=np.uint32))
                                           for v in (key0, key1, x0, x1)))
    shape = np.broadcast_shapes(*(np.shape(v) for v in (key0, key1, x0, x1)))
    ks = (k0, k1, k0 ^ k1 ^ np.uint32(KEY_PARITY))
    v0 = v0 + ks[0]
    v1 = v1 + ks[1]
    for group in range(5):
        for r in ROTATIONS[group % 2]:
            v0 = v0 + v1
            v1 = _rotl(v1, r) ^ v0
        v0 = v0 + ks[(group + 1) % 3]
        v1 = v1 + ks[(group + 2) % 3] + np.uint32(group + 1)
    return v0.reshape(shape), v1.reshape(shape)


def check_seed(seed: Any) -> int:
    """``seed`` as an int in [0, 2**64), refused unless it is an integer that fits 64 bits.

    Seeds in [0, 2**64) are the 64 bits of the key; a negative seed down to -2**63 stands
    for its 64-bit two's complement (``-1`` is ``2**64 - 1``), as in
    ``jax.random.PRNGKey(-1)`` with x64 enabled and for a traced seed. Anything larger
    would have to be cut to 64 bits, so it is refused rather than reduced.

    Examples
    --------
    >>> check_seed(-1) == 2**64 - 1
    True
    >>> check_seed(2**64)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an int in [-2**63, 2**64) (64 bits), got 18446744073709551616
    """
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {seed!r} of type {type(seed).__name__}")
    if not -2**63 <= int(seed) < 2**64:
        raise ValueError(f"seed must be an int in [-2**63, 2**64) (64 bits), got {int(seed)}")
    return int(seed) % 2**64


def seed_key(seed: int) -> np.ndarray:
    """The key of an integer seed.

    Examples
    --------
    >>> seed_key(42).tolist()
    [0, 42]
    """
    s = check_seed(seed)
    return np.array([s >> 32, s & 0xFFFFFFFF], dtype=np.uint32)


def counters(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The (high, low) counter words of flat indices ``0 .. n-1``."""
    j = np.arange(n, dtype=np.uint64)
    return (j >> np.uint64(32)).astype(np.uint32), (j & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def split(key: Any, n: int = 2) -> np.ndarray:
    """``n`` new keys from ``key``, as a ``uint32[n, 2]`` array."""
    key = np.asarray(key, dtype=np.uint32)
    y0, y1 = threefry2x32(key[0], key[1], np.zeros(n, np.uint32), np.arange(n, dtype=np.uint32))
    return np.stack([y0, y1], axis=-1)


def fold_in(key: Any, data: int) -> np.ndarray:
    """A new key that depends on ``key`` and the integer ``data``."""
    key = np.asarray(key, dtype=np.uint32)
    y0, y1 = threefry2x32(key[0], key[1], 0, np.uint32(int(data) % 2**32))
    return np.array([y0, y1], dtype=np.uint32).reshape(2)


def bits32(key: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Uniformly random ``uint32`` bits of ``shape``."""
    key = np.asarray(key, dtype=np.uint32)
    hi, lo = counters(int(np.prod(shape, dtype=np.int64)))
    y0, y1 = threefry2x32(key[0], key[1], hi, lo)
    return (y0 ^ y1).reshape(shape)


def bits64(key: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Uniformly random ``uint64`` bits of ``shape``."""
    key = np.asarray(key, dtype=np.uint32)
    hi, lo = counters(int(np.prod(shape, dtype=np.int64)))
    y0, y1 = threefry2x32(key[0], key[1], hi, lo)
    return ((y0.astype(np.uint64) << np.uint64(32)) | y1.astype(np.uint64)).reshape(shape)
