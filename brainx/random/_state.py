"""RandomState: a counter-based generator kept in a State, and the default one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from brainx.backend import Backend, get_backend
from brainx.random import _distributions as dist
from brainx.random import _threefry
from brainx.state import State

__all__ = ["RandomState", "DEFAULT"]


def _entropy_seed() -> int:
    return int(np.random.SeedSequence().entropy) % 2**64


def _native(b: Backend, key: Any) -> Any:
    if b.is_native(key):
        return key
    return b.asarray(np.asarray(key, dtype=np.uint32))


def _check_key(key: Any) -> None:
    shape, dtype = getattr(key, "shape", None), getattr(key, "dtype", None)
    if shape != (2,) or np.dtype(dtype) != np.uint32:
        raise ValueError(f"a key must be a uint32 array of shape (2,) (from brainx.random."
                         f"split_key or RandomState.split_key), got shape {shape} dtype {dtype}")


class RandomState(State):
    """A random generator whose key lives in a State.

    Each draw splits the key: the State keeps one half, the draw uses the
    other. Under compiled loops the key is carried like any other State, so a
    model's random numbers are identical on every backend.

    Parameters
    ----------
    seed_or_key : int or uint32[2] array, optional
        A seed, or a key. ``None`` seeds from the operating system's entropy.

    Examples
    --------
    >>> import brainx
    >>> rng = brainx.random.RandomState(42)
    >>> with brainx.use_backend('numba'):
    ...     x = rng.rand(3)
    >>> with brainx.use_backend('jax'):
    ...     rng.seed(42)
    ...     y = rng.rand(3)
    >>> bool((x == y).all())
    True
    """

    __slots__ = ()

    def __init__(self, seed_or_key: int | Any = None, name: str | None = None):
        super().__init__(self._make_key(seed_or_key), name=name)

    @staticmethod
    def _make_key(seed_or_key: int | Any) -> Any:
        if seed_or_key is None:
            return _threefry.seed_key(_entropy_seed())
        if isinstance(seed_or_key, (int, np.integer)) and not isinstance(seed_or_key, bool):
            return _threefry.seed_key(seed_or_key)
        if not hasattr(seed_or_key, "shape"):
            raise TypeError(f"seed must be an int or a uint32[2] key array, got {seed_or_key!r}")
        _check_key(seed_or_key)
        return seed_or_key

    def seed(self, seed_or_key: int | Any = None) -> None:
        """Restart from a seed (``None``: fresh entropy) or a key."""
        self.value = self._make_key(seed_or_key)

    def split_key(self, n: int | None = None) -> Any:
        """Advance the generator and return one new key (or ``n`` keys, ``uint32[n, 2]``)."""
        if n is not None and (not isinstance(n, int) or n < 1):
            raise ValueError(f"n must be a positive int or None, got {n!r}")
        b = get_backend()
        keys = dist.split(b, _native(b, self.value), 1 + (n or 1))
        self.value = keys[0]
        return keys[1] if n is None else keys[1:]

    def _key(self, key: Any) -> tuple[Backend, Any]:
        b = get_backend()
        if key is None:
            return b, self.split_key()
        _check_key(key)
        return b, _native(b, key)

    # ---- draws ----------------------------------------------------------
    def bits(self, size: int | Sequence[int] | None = None, key: Any = None) -> Any:
        """Random ``uint32`` bits."""
        b, k = self._key(key)
        return dist.bits(b, k, dist.check_size(size) or ())

    def random(self, size: int | Sequence[int] | None = None, dtype: Any = None,
               key: Any = None) -> Any:
        """Floats uniform in ``[0, 1)``."""
        b, k = self._key(key)
        return dist.unit_uniform(b, k, dist.check_size(size) or (), dist.float_dtype(dtype))

    def rand(self, *dn: int, key: Any = None) -> Any:
        """Floats uniform in ``[0, 1)`` of shape ``dn``."""
        return self.random(tuple(dn), key=key)

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: int | Sequence[int] | None = None,
                dtype: Any = None, key: Any = None) -> Any:
        """Floats uniform in ``[low, high)``."""
        b, k = self._key(key)
        return dist.uniform(b, k, low, high, dist.check_size(size), dtype)

    def randn(self, *dn: int, key: Any = None) -> Any:
        """Standard normal floats of shape ``dn``."""
        return self.normal(0.0, 1.0, tuple(dn), key=key)

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: int | Sequence[int] | None = None,
               dtype: Any = None, key: Any = None) -> Any:
        """Normal floats with mean ``loc`` and standard deviation ``scale``."""
        b, k = self._key(key)
        return dist.normal(b, k, loc, scale, dist.check_size(size), dtype)

    def exponential(self, scale: Any = 1.0, size: int | Sequence[int] | None = None,
                    dtype: Any = None, key: Any = None) -> Any:
        """Exponential floats with mean ``scale``."""
        b, k = self._key(key)
        return dist.exponential(b, k, scale, dist.check_size(size), dtype)

    def randint(self, low: Any, high: Any = None, size: int | Sequence[int] | None = None,
                dtype: Any = None, key: Any = None) -> Any:
        """Integers uniform in ``[low, high)`` (``[0, low)`` when ``high`` is None)."""
        b, k = self._key(key)
        return dist.randint(b, k, low, high, dist.check_size(size), dtype)

    def bernoulli(self, p: Any = 0.5, size: int | Sequence[int] | None = None,
                  key: Any = None) -> Any:
        """Booleans that are True with probability ``p``."""
        b, k = self._key(key)
        return dist.bernoulli(b, k, p, dist.check_size(size))

    def poisson(self, lam: Any = 1.0, size: int | Sequence[int] | None = None,
                dtype: Any = None, key: Any = None) -> Any:
        """Poisson counts with mean ``lam``."""
        b, k = self._key(key)
        return dist.poisson(b, k, lam, dist.check_size(size), dtype)

    def choice(self, a: int | Any, size: int | Sequence[int] | None = None,
               replace: bool = True, p: Any = None, key: Any = None) -> Any:
        """Samples from ``range(a)`` or the items of ``a``, optionally weighted by ``p``."""
        b, k = self._key(key)
        return dist.choice(b, k, a, dist.check_size(size), replace, p)

    def permutation(self, x: int | Any, key: Any = None) -> Any:
        """A permuted ``range(x)``, or a copy of ``x`` permuted along its first axis."""
        b, k = self._key(key)
        if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
            if x < 0:
                raise ValueError(f"x must be a non-negative int or an array, got {x}")
            return b.numpy.arange(int(x))[dist.permutation_order(b, k, int(x))]
        arr = b.numpy.asarray(x)
        if arr.ndim == 0:
            raise ValueError("x must be an int or an array with at least one axis")
        return arr[dist.permutation_order(b, k, int(arr.shape[0]))]


DEFAULT = RandomState(name="brainx.random.DEFAULT")
