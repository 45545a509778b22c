"""The Surrogate base class: an exact Heaviside forward with a chosen gradient."""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

from brainx.backend import get_backend
from brainx.functional._special import as_float_array

__all__ = ["Surrogate", "heaviside", "checked", "cached_instance"]


_SIGNED = {2: np.int16, 4: np.int32, 8: np.int64}


def heaviside(x: Any) -> Any:
    """The spike: 1 where ``x >= 0`` (``-0.0`` included, NaN excluded), else 0, in ``x``'s dtype.

    Decided on the bit pattern, so a subnormal ``x`` gets its sign's answer also where the
    hardware flushes subnormals to zero (XLA on CPU): the same spikes on every backend.
    """
    dtype = np.dtype(x.dtype)
    itype = _SIGNED.get(dtype.itemsize) if dtype.kind == "f" else None
    if itype is None:
        return (x >= 0).astype(x.dtype)
    bits = x.view(itype)
    positive_inf = int(np.array(np.inf, dtype).view(itype))
    negative_zero = int(np.iinfo(itype).min)
    spike = ((bits >= 0) & (bits <= positive_inf)) | (bits == negative_zero)
    return spike.astype(x.dtype)


def checked(owner: str, name: str, value: Any, *, positive: bool = False,
            above: float | None = None, nonnegative: bool = False,
            integer: bool = False) -> Any:
    """``value`` as a float (an int if ``integer``) after checking it, or a clear error."""
    kind = "an integer" if integer else "a real number"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral if integer
                                                 else numbers.Real):
        raise TypeError(f"{owner}: {name} must be {kind}, got {value!r} "
                        f"of type {type(value).__name__}")
    value = int(value) if integer else float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{owner}: {name} must be finite, got {value!r}")
    if positive and not value > 0:
        raise ValueError(f"{owner}: {name} must be positive, got {value!r}")
    if nonnegative and not value >= 0:
        raise ValueError(f"{owner}: {name} must be non-negative, got {value!r}")
    if above is not None and not value > above:
        raise ValueError(f"{owner}: {name} must be greater than {above:g}, got {value!r}")
    return value


class Surrogate:
    r"""Base class of surrogate spike functions.

    Calling an instance on ``x`` returns the Heaviside step ``(x >= 0)`` in ``x``'s float
    dtype (integer input becomes the default float dtype) on every backend. On a
    differentiating backend (jax) the derivative of that output with respect to ``x``
    is :meth:`surrogate_grad` instead of zero; on other backends only the forward step runs.

    A subclass defines :meth:`surrogate_grad` (and, for plotting or analysis,
    :meth:`surrogate_fun`, the smooth function whose derivative it is) and lists its
    parameters in ``params`` for ``repr``, ``==`` and ``hash``.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> class Tanh(brainx.surrogate.Surrogate):
    ...     params = ('alpha',)
    ...     def __init__(self, alpha=1.):
    ...         self.alpha = alpha
    ...     def surrogate_fun(self, x):
    ...         return 0.5 * bm.tanh(self.alpha * x) + 0.5
    ...     def surrogate_grad(self, x):
    ...         return 0.5 * self.alpha * (1 - bm.tanh(self.alpha * x) ** 2)
    >>> with brainx.use_backend('numba'):
    ...     print(Tanh(2.)(bm.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    >>> Tanh(2.)
    Tanh(alpha=2.0)
    """

    #: Names of the constructor parameters, in order (used by repr, == and hash).
    params: tuple[str, ...] = ()

    def __call__(self, x: Any) -> Any:
        return self._spike_function()(as_float_array(x))

    def _spike_function(self) -> Any:
        """The backend's Heaviside-with-surrogate function, built once per backend."""
        backend = get_backend()
        cache = self.__dict__.setdefault("_spike_functions", {})
        fn = cache.get(backend)
        if fn is None:
            fn = cache[backend] = backend.custom_derivative(heaviside, self._derivative)
        return fn

    def _derivative(self, x: Any) -> Any:
        import brainx.math as bm

        grad = bm.asarray(self.surrogate_grad(x), dtype=x.dtype)
        return bm.broadcast_to(grad, bm.shape(x))

    def surrogate_fun(self, x: Any) -> Any:
        """The smooth function whose derivative is :meth:`surrogate_grad`."""
        raise NotImplementedError(f"{type(self).__name__} does not define surrogate_fun()")

    def surrogate_grad(self, x: Any) -> Any:
        """The gradient used in place of the Heaviside step's (zero) derivative."""
        raise NotImplementedError(f"{type(self).__name__} does not define surrogate_grad()")

    def _param_values(self) -> tuple:
        return tuple(getattr(self, p) for p in self.params)

    def __repr__(self) -> str:
        args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self.params)
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._param_values() == other._param_values()

    def __hash__(self) -> int:
        return hash((type(self), self._param_values()))

    def __getstate__(self) -> dict:
        # the per-backend functions are rebuilt on first use after a copy or unpickling
        return {k: v for k, v in self.__dict__.items() if k != "_spike_functions"}


@functools.lru_cache(maxsize=512)
def _cached(cls: type, key: tuple) -> Surrogate:
    return cls(**{name: value for name, _, value in key})


def cached_instance(cls: type, **params: Any) -> Surrogate:
    """``cls(**params)``, shared between calls with the same parameters (so the
    lower-case functions build their differentiable function once, not per call)."""
    key = tuple((name, type(value), value) for name, value in params.items())
    try:
        hash(key)
    except TypeError:
        return cls(**params)  # unhashable parameters: let the constructor say what is wrong
    return _cached(cls, key)
