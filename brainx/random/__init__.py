"""Counter-based random numbers with identical bits on every backend.

The module-level functions draw from :data:`DEFAULT`, a :class:`RandomState`;
models keep their own ``RandomState`` or pass explicit keys (``key=``).
``uniform``/``rand``, ``randint``, ``bernoulli``, ``choice`` and
``permutation`` give bit-identical results on every backend for the same
seed; ``normal``, ``exponential`` and ``poisson`` agree to a few ULP.

Examples
--------
>>> import brainx
>>> brainx.random.seed(0)
>>> with brainx.use_backend('numba'):
...     a = brainx.random.randint(0, 100, size=5)
>>> brainx.random.seed(0)
>>> with brainx.use_backend('jax'):
...     b = brainx.random.randint(0, 100, size=5)
>>> a.tolist() == b.tolist()
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from brainx.random._state import DEFAULT, RandomState

__all__ = [
    "RandomState",
    "DEFAULT",
    "seed",
    "split_key",
    "bits",
    "random",
    "rand",
    "uniform",
    "randn",
    "normal",
    "exponential",
    "randint",
    "bernoulli",
    "poisson",
    "choice",
    "permutation",
]

Size = int | Sequence[int] | None


def seed(seed: int | None = None) -> None:
    """Restart the default generator from ``seed`` (``None``: fresh entropy).

    Examples
    --------
    >>> import brainx
    >>> brainx.random.seed(1)
    >>> brainx.random.DEFAULT.value.tolist()
    [0, 1]
    """
    DEFAULT.seed(seed)


def split_key(n: int | None = None) -> Any:
    """Advance the default generator; return one new key or ``n`` keys.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.split_key(3).shape
    (3, 2)
    """
    return DEFAULT.split_key(n)


def bits(size: Size = None, key: Any = None) -> Any:
    """Random ``uint32`` bits (see :meth:`RandomState.bits`)."""
    return DEFAULT.bits(size, key=key)


def random(size: Size = None, dtype: Any = None, key: Any = None) -> Any:
    """Floats uniform in ``[0, 1)`` (see :meth:`RandomState.random`)."""
    return DEFAULT.random(size, dtype=dtype, key=key)


def rand(*dn: int, key: Any = None) -> Any:
    """Floats uniform in ``[0, 1)`` of shape ``dn``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.rand(2, 3).shape
    (2, 3)
    """
    return DEFAULT.rand(*dn, key=key)


def uniform(low: Any = 0.0, high: Any = 1.0, size: Size = None, dtype: Any = None,
            key: Any = None) -> Any:
    """Floats uniform in ``[low, high)`` (see :meth:`RandomState.uniform`)."""
    return DEFAULT.uniform(low, high, size, dtype=dtype, key=key)


def randn(*dn: int, key: Any = None) -> Any:
    """Standard normal floats of shape ``dn``."""
    return DEFAULT.randn(*dn, key=key)


def normal(loc: Any = 0.0, scale: Any = 1.0, size: Size = None, dtype: Any = None,
           key: Any = None) -> Any:
    """Normal floats (see :meth:`RandomState.normal`)."""
    return DEFAULT.normal(loc, scale, size, dtype=dtype, key=key)


def exponential(scale: Any = 1.0, size: Size = None, dtype: Any = None, key: Any = None) -> Any:
    """Exponential floats with mean ``scale``."""
    return DEFAULT.exponential(scale, size, dtype=dtype, key=key)


def randint(low: Any, high: Any = None, size: Size = None, dtype: Any = None,
            key: Any = None) -> Any:
    """Integers uniform in ``[low, high)`` (see :meth:`RandomState.randint`)."""
    return DEFAULT.randint(low, high, size, dtype=dtype, key=key)


def bernoulli(p: Any = 0.5, size: Size = None, key: Any = None) -> Any:
    """Booleans that are True with probability ``p``."""
    return DEFAULT.bernoulli(p, size, key=key)


def poisson(lam: Any = 1.0, size: Size = None, dtype: Any = None, key: Any = None) -> Any:
    """Poisson counts with mean ``lam``."""
    return DEFAULT.poisson(lam, size, dtype=dtype, key=key)


def choice(a: int | Any, size: Size = None, replace: bool = True, p: Any = None,
           key: Any = None) -> Any:
    """Random samples from ``a`` (see :meth:`RandomState.choice`)."""
    return DEFAULT.choice(a, size, replace=replace, p=p, key=key)


def permutation(x: int | Any, key: Any = None) -> Any:
    """A random permutation (see :meth:`RandomState.permutation`)."""
    return DEFAULT.permutation(x, key=key)


RandomState.__module__ = __name__
