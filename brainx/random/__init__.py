"""Counter-based random numbers with identical bits on every backend.

The module-level functions draw from :data:`DEFAULT`, a :class:`RandomState`;
models keep their own ``RandomState`` or pass explicit keys (``key=``).
``key=`` takes a key or an int seed. ``uniform``/``rand``, ``randint``,
``bernoulli``, ``choice`` and ``permutation`` give bit-identical results on
every backend for the same seed, and so do the distributions computed with
exact operations only (``standard_cauchy``, ``triangular``,
``hypergeometric``, small-mean ``binomial``); ``normal``, ``exponential``,
``poisson``, ``gamma`` and the others agree to a few ULP (docs/random.md lists
them all). The names, argument order and defaults are brainstate 0.1's.

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

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from brainx.random._state import DEFAULT, RandomState

_KEYS = ["seed", "set_key", "get_key", "split_key", "split_keys", "seed_context",
         "restore_key", "default_rng", "clone_rng"]

#: RandomState's draws, also module functions drawing from DEFAULT.
_DRAWS = [
    # uniform, integers, sampling
    "bits", "random", "random_sample", "ranf", "sample", "rand", "uniform", "randint",
    "random_integers", "choice", "permutation", "shuffle",
    # continuous
    "randn", "normal", "standard_normal", "lognormal", "truncated_normal", "exponential",
    "standard_exponential", "gamma", "standard_gamma", "loggamma", "beta", "chisquare",
    "noncentral_chisquare", "standard_t", "t", "f", "noncentral_f", "laplace", "logistic",
    "gumbel", "standard_cauchy", "rayleigh", "maxwell", "weibull", "weibull_min", "pareto",
    "power", "triangular", "wald", "vonmises",
    # discrete
    "bernoulli", "binomial", "poisson", "geometric", "negative_binomial", "hypergeometric",
    "multinomial", "zipf", "logseries", "categorical",
    # multivariate
    "dirichlet", "multivariate_normal", "orthogonal",
    # like another array (PyTorch's names)
    "rand_like", "randn_like", "randint_like",
]

__all__ = ["RandomState", "DEFAULT"] + _KEYS + _DRAWS


def _numpy_seed(seed_or_key: Any) -> None:
    """Seed NumPy's global generator too, as brainstate does (from a concrete seed or key)."""
    try:
        value = np.asarray(seed_or_key)
    except Exception:  # a tracer: nothing to seed NumPy with
        return
    if value.dtype.kind not in "iu":
        return
    np.random.seed(int(value.reshape(-1)[0]) % 2**32)


def seed(seed_or_key: int | Any = None) -> None:
    """Restart the default generator from a seed or key (``None``: fresh entropy); a seed
    or key also seeds NumPy's global generator, as brainstate does.

    Examples
    --------
    >>> import brainx
    >>> brainx.random.seed(1)
    >>> brainx.random.DEFAULT.value.tolist()
    [0, 1]
    """
    DEFAULT.seed(seed_or_key)
    if seed_or_key is not None:
        _numpy_seed(seed_or_key)


def set_key(seed_or_key: int | Any) -> None:
    """Give the default generator the key ``seed_or_key`` (a ``uint32[2]`` key, or an int
    seed). Inside ``augment.vmap`` over keys, each element gets its own generator state.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.set_key(brainx.random.RandomState(5).split_key())
    ...     a = brainx.random.rand(2)
    ...     brainx.random.set_key(5)
    ...     b = brainx.random.rand(2)
    >>> a.shape, b.shape
    ((2,), (2,))
    """
    DEFAULT.set_key(seed_or_key)


def get_key() -> Any:
    """The default generator's current key.

    Examples
    --------
    >>> import brainx
    >>> brainx.random.seed(3)
    >>> brainx.random.get_key().tolist()
    [0, 3]
    """
    return DEFAULT.value


def split_key(n: int | None = None, backup: bool = False) -> Any:
    """Advance the default generator; return one new key or ``n`` keys (``backup=True``
    remembers the advanced key for :func:`restore_key`).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.split_key(3).shape
    (3, 2)
    """
    return DEFAULT.split_key(n, backup=backup)


def split_keys(n: int, backup: bool = False) -> Any:
    """``n`` new keys from the default generator, ``uint32[n, 2]``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.split_keys(2).shape
    (2, 2)
    """
    return DEFAULT.split_key(n, backup=backup)


def restore_key() -> None:
    """Give the default generator back the key saved by ``split_key(backup=True)``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     _ = brainx.random.split_key(backup=True)
    ...     saved = brainx.random.get_key().tolist()
    ...     _ = brainx.random.rand(3)
    ...     brainx.random.restore_key()
    ...     brainx.random.get_key().tolist() == saved
    True
    """
    DEFAULT.restore_key()


@contextlib.contextmanager
def seed_context(seed_or_key: int | Any) -> Iterator[None]:
    """Seed the default generator (and NumPy's global one) for the block, then put back
    the keys and NumPy state they had.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     with brainx.random.seed_context(42):
    ...         a = brainx.random.rand(2)
    ...     with brainx.random.seed_context(42):
    ...         b = brainx.random.rand(2)
    >>> a.tolist() == b.tolist()
    True
    """
    old_key = DEFAULT.value
    old_numpy = np.random.get_state()
    try:
        seed(seed_or_key)
        yield
    finally:
        np.random.set_state(old_numpy)
        DEFAULT.value = old_key


def default_rng(seed_or_key: int | Any = None) -> RandomState:
    """The default generator, or a new one from ``seed_or_key``.

    Examples
    --------
    >>> import brainx
    >>> brainx.random.default_rng() is brainx.random.DEFAULT
    True
    """
    return DEFAULT if seed_or_key is None else RandomState(seed_or_key)


def clone_rng(seed_or_key: int | Any = None, clone: bool = True) -> RandomState:
    """A new generator from ``seed_or_key``; without one, a clone of the default generator
    (seeded by a key split from it), or the default generator itself (``clone=False``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     rng = brainx.random.clone_rng()
    >>> rng is brainx.random.DEFAULT
    False
    """
    if seed_or_key is None:
        return DEFAULT.clone() if clone else DEFAULT
    return RandomState(seed_or_key)


def _module_function(name: str) -> Callable[..., Any]:
    """``name`` drawing from :data:`DEFAULT`, with the method's signature and docs."""
    method = getattr(RandomState, name)

    @functools.wraps(method)
    def draw(*args: Any, **kwargs: Any) -> Any:
        return getattr(DEFAULT, name)(*args, **kwargs)

    del draw.__wrapped__
    signature = inspect.signature(method)
    draw.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])
    draw.__qualname__ = name
    draw.__module__ = __name__
    return draw


for _name in _DRAWS:
    globals()[_name] = _module_function(_name)
del _name

RandomState.__module__ = __name__
