"""RandomState: a counter-based generator kept in a State, and the default one."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import Backend, get_backend
from brainx.random import _distributions as dist
from brainx.random import _threefry
from brainx.random._compiled import run
from brainx.random._methods import ContinuousDraws
from brainx.random._methods_discrete import DiscreteDraws
from brainx.state import State

__all__ = ["RandomState", "DEFAULT", "as_key"]

Size = int | Sequence[int] | None


def _entropy_seed() -> int:
    return int(np.random.SeedSequence().entropy) % 2**64


def _native(b: Backend, key: Any) -> Any:
    if b.is_native(key):
        return key
    return b.asarray(np.asarray(key, dtype=np.uint32))


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _numpy_dtype(dtype: Any) -> np.dtype | None:
    try:
        return None if dtype is None else np.dtype(dtype)
    except TypeError:  # not a NumPy dtype (a typed jax key, say)
        return None


def _is_seed_array(x: Any) -> bool:
    """A 0-d integer array (concrete or traced): a seed, as ``jax.random.PRNGKey`` takes."""
    dtype = _numpy_dtype(getattr(x, "dtype", None))
    return getattr(x, "shape", None) == () and dtype is not None and dtype.kind in "iu"


def _check_key(key: Any) -> None:
    shape, dtype = getattr(key, "shape", None), getattr(key, "dtype", None)
    if shape != (2,) or _numpy_dtype(dtype) != np.uint32:
        raise ValueError(f"a key must be an int seed or a uint32 array of shape (2,) (from "
                         f"brainx.random.split_key or RandomState.split_key; for a typed jax "
                         f"key, its jax.random.key_data), got shape {shape} dtype {dtype}")


def _traced_seed_key(b: Backend, seed: Any) -> Any:
    """``seed_key`` of a traced integer scalar, as the spec: ``[s >> 32, s & 0xFFFFFFFF]``
    of ``s mod 2**64``."""
    xp = b.numpy
    dtype = np.dtype(seed.dtype)
    low = seed.astype(np.uint32)
    if dtype.itemsize == 8:
        high = (seed >> 32).astype(np.uint32)
    elif dtype.kind == "i":
        high = xp.where(seed < 0, xp.asarray(0xFFFFFFFF, dtype=np.uint32),
                        xp.asarray(0, dtype=np.uint32))
    else:
        high = xp.zeros((), dtype=np.uint32)
    return xp.stack([high, low])


def as_key(b: Backend, key: Any) -> Any:
    """A backend key from a key array, an int seed or a 0-d integer array (a seed)."""
    if _is_int(key):
        return _native(b, _threefry.seed_key(int(key)))
    if _is_seed_array(key):
        if b.is_tracer(key):
            return _traced_seed_key(b, key)
        return _native(b, _threefry.seed_key(int(np.asarray(b.to_numpy(key)
                                                            if b.is_native(key) else key))))
    if not hasattr(key, "shape"):
        raise TypeError(f"a key must be an int seed or a uint32 array of shape (2,), "
                        f"got {key!r}")
    _check_key(key)
    return _native(b, key)


class RandomState(ContinuousDraws, DiscreteDraws, State):
    """A random generator whose key lives in a State.

    Each draw splits the key: the State keeps one half, the draw uses the
    other. Under compiled loops the key is carried like any other State, so a
    model's random numbers are identical on every backend. Every draw also takes
    an explicit ``key=``: a key array, or an int seed (``key=3`` means the key of
    seed 3), and then leaves the generator's own key alone.

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

    __slots__ = ("_backup",)

    def __init__(self, seed_or_key: int | Any = None, name: str | None = None):
        super().__init__(self._make_key(seed_or_key), name=name)
        self._backup = None

    @staticmethod
    def _make_key(seed_or_key: int | Any) -> Any:
        if seed_or_key is None:
            return _threefry.seed_key(_entropy_seed())
        if _is_int(seed_or_key):
            return _threefry.seed_key(seed_or_key)
        if _is_seed_array(seed_or_key):
            return as_key(get_backend(), seed_or_key)
        if not hasattr(seed_or_key, "shape"):
            raise TypeError(f"seed must be an int or a uint32[2] key array, got {seed_or_key!r}")
        _check_key(seed_or_key)
        return seed_or_key

    # ---- keys -----------------------------------------------------------
    def seed(self, seed_or_key: int | Any = None) -> None:
        """Restart from a seed (``None``: fresh entropy) or a key."""
        self.value = self._make_key(seed_or_key)

    def set_key(self, key: int | Any) -> None:
        """Replace the key by ``key`` (a key array, or an int seed)."""
        self.value = self._make_key(key)

    def backup_key(self) -> None:
        """Remember the current key, for :meth:`restore_key`."""
        if self._backup is not None:
            raise ValueError("the random key is already backed up and was not restored yet "
                             "(call restore_key() first)")
        self._backup = self.value

    def restore_key(self) -> None:
        """Go back to the key saved by :meth:`backup_key` (or ``split_key(backup=True)``)."""
        if self._backup is None:
            raise ValueError("the random key was not backed up (call backup_key() or "
                             "split_key(backup=True) first)")
        self.value, self._backup = self._backup, None

    def clone(self) -> RandomState:
        """A new generator, seeded with a key split from this one."""
        return type(self)(self.split_key())

    def split_key(self, n: int | None = None, backup: bool = False) -> Any:
        """Advance the generator and return one new key (or ``n`` keys, ``uint32[n, 2]``);
        ``backup=True`` remembers the advanced key for :meth:`restore_key`."""
        if n is not None and (not _is_int(n) or n < 1):
            raise ValueError(f"n must be a positive int or None, got {n!r}")
        _check_key(self.value)
        b = get_backend()
        keys = dist.split(b, _native(b, self.value), 1 + (n or 1))
        self.value = keys[0]
        if backup:
            self.backup_key()
        return keys[1] if n is None else keys[1:]

    def _key(self, key: Any) -> tuple[Backend, Any]:
        b = get_backend()
        if key is None:
            return b, self.split_key()
        return b, as_key(b, key)

    # ---- draws ----------------------------------------------------------
    def bits(self, size: Size = None, key: Any = None) -> Any:
        """Random ``uint32`` bits.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     brainx.random.bits(3, key=0).dtype
        dtype('uint32')
        """
        b, k = self._key(key)
        return dist.bits(b, k, dist.check_size(size) or ())

    def random(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Floats uniform in ``[0, 1)``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.random((2, 3), key=1)
        >>> x.shape, bool(((x >= 0) & (x < 1)).all())
        ((2, 3), True)
        """
        dtype = dist.float_dtype(dtype)
        size = dist.check_size(size) or ()
        b, k = self._key(key)
        return dist.unit_uniform(b, k, size, dtype)

    def rand(self, *dn: int, key: Any = None, dtype: Any = None) -> Any:
        """Floats uniform in ``[0, 1)`` of shape ``dn``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     brainx.random.rand(2, 3).shape
        (2, 3)
        """
        return self.random(tuple(dn), key=key, dtype=dtype)

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Size = None, key: Any = None,
                dtype: Any = None) -> Any:
        """Floats uniform in ``[low, high)``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.uniform(-1.0, 1.0, 1000, key=2)
        >>> bool(((x >= -1) & (x < 1)).all())
        True
        """
        size = dist.check_size(size)
        dist.out_shape("uniform", size, low, high)
        b, k = self._key(key)
        return dist.uniform(b, k, low, high, size, dtype)

    def randn(self, *dn: int, key: Any = None, dtype: Any = None) -> Any:
        """Standard normal floats of shape ``dn``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     brainx.random.randn(4, 2).shape
        (4, 2)
        """
        return self.normal(0.0, 1.0, tuple(dn), key=key, dtype=dtype)

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Size = None, key: Any = None,
               dtype: Any = None) -> Any:
        """Normal floats with mean ``loc`` and standard deviation ``scale``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.normal(5.0, 0.1, 10000, key=3)
        >>> round(float(x.mean()), 1)
        5.0
        """
        loc = 0.0 if loc is None else loc
        scale = 1.0 if scale is None else scale
        size = dist.check_size(size)
        dist.out_shape("normal", size, loc, scale)
        b = get_backend()
        dist._check_range(b, "scale", scale, 0.0)
        b, k = self._key(key)
        return dist.normal(b, k, loc, scale, size, dtype)

    def exponential(self, scale: Any = 1.0, size: Size = None, key: Any = None,
                    dtype: Any = None) -> Any:
        """Exponential floats with mean ``scale`` (as NumPy).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.exponential(2.0, 20000, key=4)
        >>> round(float(x.mean()), 1)
        2.0
        """
        scale = 1.0 if scale is None else scale
        size = dist.check_size(size)
        dist.out_shape("exponential", size, scale)
        dist._check_range(get_backend(), "scale", scale, 0.0)
        b, k = self._key(key)
        return dist.exponential(b, k, scale, size, dtype)

    def randint(self, low: Any, high: Any = None, size: Size = None, dtype: Any = None,
                key: Any = None) -> Any:
        """Integers uniform in ``[low, high)`` (``[0, low)`` when ``high`` is None).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.randint(3, 7, 1000, key=5)
        >>> sorted(set(x.tolist()))
        [3, 4, 5, 6]
        """
        size = dist.check_size(size)
        dist.out_shape("randint", size, low, 0 if high is None else high)
        dist.int_dtype(dtype)
        b, k = self._key(key)
        return dist.randint(b, k, low, high, size, dtype)

    def bernoulli(self, p: Any = 0.5, size: Size = None, key: Any = None) -> Any:
        """Booleans that are True with probability ``p``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.bernoulli(0.25, 20000, key=6)
        >>> round(float(x.mean()), 2)
        0.25
        """
        size = dist.check_size(size)
        dist.out_shape("bernoulli", size, p)
        dist._check_range(get_backend(), "p", p, 0.0, 1.0)
        b, k = self._key(key)
        return dist.bernoulli(b, k, p, size)

    def poisson(self, lam: Any = 1.0, size: Size = None, key: Any = None,
                dtype: Any = None) -> Any:
        """Poisson counts with mean ``lam``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.poisson(3.0, 20000, key=7)
        >>> round(float(x.mean()), 1)
        3.0
        """
        size = dist.check_size(size)
        dist.out_shape("poisson", size, lam)
        b = get_backend()
        dist._check_range(b, "lam", lam, 0.0)
        dtype = dist.int_dtype(dtype)
        fdtype = environ.dftype()
        shape = dist._shape_of(size, lam)
        first_pmf, need_small, need_big = dist.poisson_plan(b, lam, shape, fdtype)
        _, k = self._key(key)
        return run(b, dist.poisson_core, k, lam, first_pmf, shape=shape, dtype=dtype,
                   fdtype=fdtype, need_small=need_small, need_big=need_big)

    def choice(self, a: int | Any, size: Size = None, replace: bool = True, p: Any = None,
               key: Any = None) -> Any:
        """Samples from ``range(a)`` or the items of ``a``, optionally weighted by ``p``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     brainx.random.choice(10, 3, replace=False, key=8).shape
        (3,)
        """
        b, k = self._key(key)
        return dist.choice(b, k, a, dist.check_size(size), replace, p)

    def permutation(self, x: int | Any, axis: int = 0, independent: bool = False,
                    key: Any = None) -> Any:
        """A permuted ``range(x)``, or a copy of ``x`` permuted along ``axis``
        (``independent=True``: every slice along ``axis`` permuted on its own).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     sorted(brainx.random.permutation(5, key=9).tolist())
        [0, 1, 2, 3, 4]
        """
        b = get_backend()
        xp = b.numpy
        if _is_int(x):
            if x < 0:
                raise ValueError(f"x must be a non-negative int or an array, got {x}")
            _, k = self._key(key)
            return xp.arange(int(x))[dist.permutation_order(b, k, int(x))]
        arr = xp.asarray(x)
        if arr.ndim == 0:
            raise ValueError("x must be an int or an array with at least one axis")
        if not _is_int(axis) or not -arr.ndim <= axis < arr.ndim:
            raise ValueError(f"axis must be an int in [{-arr.ndim}, {arr.ndim}), got {axis!r}")
        _, k = self._key(key)
        if not independent:
            return xp.take(arr, dist.permutation_order(b, k, int(arr.shape[axis])), axis=axis)
        order = xp.argsort(dist.bits(b, k, tuple(arr.shape)), axis=axis, stable=True)
        return xp.take_along_axis(arr, order, axis=axis)

    def shuffle(self, x: Any, axis: int = 0, key: Any = None) -> Any:
        """``x`` permuted along ``axis``, returned (as brainstate; arrays are not changed in
        place, so the result is identical on every backend).

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     y = brainx.random.shuffle(np.arange(6).reshape(3, 2), key=0)
        >>> sorted(y[:, 0].tolist())
        [0, 2, 4]
        """
        return self.permutation(x, axis=axis, key=key)


# the draws that return floats: at a 16-bit float dtype (bfloat16 at precision 16) they
# draw in float32 and round the result
_FLOAT_DRAWS = (
    "beta", "chisquare", "dirichlet", "exponential", "f", "gamma", "gumbel", "laplace",
    "loggamma", "logistic", "lognormal", "maxwell", "multivariate_normal",
    "noncentral_chisquare", "noncentral_f", "normal", "orthogonal", "pareto", "power", "rand",
    "rand_like", "randn", "randn_like", "random", "random_sample", "ranf", "rayleigh",
    "sample", "standard_cauchy", "standard_exponential", "standard_gamma", "standard_normal",
    "standard_t", "t", "triangular", "truncated_normal", "uniform", "vonmises", "wald",
    "weibull", "weibull_min")


def _rounded_from_float32(method: Callable) -> Callable:
    signature = inspect.signature(method)

    @functools.wraps(method)
    def draw(self: RandomState, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        half = dist.half_float(bound.arguments.get("dtype"))
        if half is None:
            return method(self, *args, **kwargs)
        bound.arguments["dtype"] = np.float32
        return method(*bound.args, **bound.kwargs).astype(half)

    return draw


for _name in _FLOAT_DRAWS:
    setattr(RandomState, _name, _rounded_from_float32(getattr(RandomState, _name)))
del _name


DEFAULT = RandomState(name="brainx.random.DEFAULT")
