"""Random initialisers, drawn from ``brainx.random`` and identical on every backend.

Each call takes a new key from the initialiser's own generator (``seed`` given)
or from ``brainx.random.DEFAULT`` (``seed=None``), so successive calls give new
values and the same seed gives the same sequence of values. With a concrete key
the values are computed on the host and then moved to the active backend, so
they are bit-identical everywhere; inside a trace they are computed by the
active backend (see :mod:`brainx.init._host`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from brainx import random as _random_module
from brainx.init._base import Initializer, check_fits, to_size
from brainx.init._host import compute
from brainx.init._special import ndtr_host, ndtri
from brainx.random import _distributions as dist
from brainx.random._state import RandomState

__all__ = [
    "Normal",
    "Uniform",
    "TruncatedNormal",
    "LogNormal",
    "Orthogonal",
    "VarianceScaling",
    "KaimingUniform",
    "KaimingNormal",
    "XavierUniform",
    "XavierNormal",
    "LecunUniform",
    "LecunNormal",
]

Shape = tuple[int, ...]

#: Standard deviation of the standard normal truncated to [-2, 2].
_TRUNCATED_STD = 0.87962566103423978


def _host_value(name: str, x: Any) -> Any:
    """A parameter as a Python number or a NumPy array (usable by every backend)."""
    if x is None or isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    try:
        value = np.asarray(x, dtype=np.float64)
    except Exception:
        raise TypeError(f"{name} must be a number or an array of numbers, got {x!r}") from None
    return value if value.ndim else float(value)


class _RandomInit(Initializer):
    """Shared machinery: the generator and the host-or-trace dispatch."""

    def __init__(self, seed: int | Any = None, unit: Any = None):
        self.seed = seed
        self.rng = None if seed is None else RandomState(seed)
        self.unit = unit  # a brainunit Unit: the values come back as Quantities of it

    def _generate(self, shape: int | Sequence[int], dtype: Any,
                  fn: Callable[[Any, Any, Shape, np.dtype], Any]) -> Any:
        shape = to_size(shape)
        half = dist.half_float(dtype)  # bfloat16 at precision 16: drawn in float32, rounded
        dtype = dist.float_dtype(np.float32 if half is not None else dtype)
        rng = self.rng if self.rng is not None else _random_module.DEFAULT
        key = rng.split_key()
        values = compute(lambda b, k, d: fn(b, k, shape, d), key, dtype)
        if half is not None:
            values = values.astype(half)
        return values if self.unit is None else values * self.unit


# ---- distributions on a backend, used by several initialisers ---------------

def _truncated_standard(b: Any, key: Any, shape: Shape, dtype: np.dtype, lower: Any,
                        upper: Any) -> Any:
    """Standard normals truncated to ``[lower, upper]`` (host arrays), by inverting the CDF
    of uniforms on ``(Phi(lower), Phi(upper))``."""
    xp = b.numpy
    lower = np.broadcast_to(np.asarray(lower, dtype=np.float64), shape)
    upper = np.broadcast_to(np.asarray(upper, dtype=np.float64), shape)
    # both bounds in the upper tail: sample the mirror image, where the CDF is precise
    flip = lower > 0
    lo = np.where(flip, -upper, lower)
    hi = np.where(flip, -lower, upper)
    cdf_lo = xp.asarray(ndtr_host(lo), dtype=dtype)
    cdf_hi = xp.asarray(ndtr_host(hi), dtype=dtype)
    # midpoints of the uniform grid: in (0, 1), never 0
    half_step = 2.0 ** -(24 if dtype.itemsize == 4 else 53)
    u = dist.unit_uniform(b, key, shape, dtype) + xp.asarray(half_step, dtype=dtype)
    p = cdf_lo + b.materialize((cdf_hi - cdf_lo) * u)
    finfo = np.finfo(dtype)
    p = xp.clip(p, xp.asarray(finfo.tiny, dtype=dtype),
                xp.asarray(np.nextafter(dtype.type(1), dtype.type(0)), dtype=dtype))
    z = ndtri(xp, p)
    z = xp.where(xp.asarray(flip), -z, z)
    return xp.clip(z, xp.asarray(lower, dtype=dtype), xp.asarray(upper, dtype=dtype))


# ---- initialisers -------------------------------------------------------------

class Normal(_RandomInit):
    """Normal values with mean ``mean`` and standard deviation ``scale``.

    With ``unit`` (a brainunit Unit, e.g. ``u.mV``) the values are a Quantity of it, as
    brainstate's ``Normal(-55., 2., unit=u.mV)``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a = brainx.init.Normal(0.0, 2.0, seed=1)((3,))
    >>> with brainx.use_backend('jax'):
    ...     b = brainx.init.Normal(0.0, 2.0, seed=1)((3,))
    >>> a.tolist() == b.tolist()
    True
    """

    _fields = ("mean", "scale", "seed")

    def __init__(self, mean: Any = 0.0, scale: Any = 1.0, seed: int | Any = None,
                 unit: Any = None):
        super().__init__(seed, unit)
        self.mean = _host_value("mean", mean)
        self.scale = _host_value("scale", scale)
        if np.any(np.asarray(self.scale) < 0):
            raise ValueError(f"scale must be >= 0, got {scale!r}")

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        for name in ("mean", "scale"):
            check_fits(name, getattr(self, name), to_size(shape))
        return self._generate(shape, dtype, lambda b, k, s, d: dist.normal(
            b, k, self.mean, self.scale, s, d))


class Uniform(_RandomInit):
    """Values uniform in ``[min_val, max_val)``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     w = brainx.init.Uniform(-1.0, 1.0, seed=0)((1000,))
    >>> bool(w.min() >= -1.0 and w.max() < 1.0)
    True
    """

    _fields = ("min_val", "max_val", "seed")

    def __init__(self, min_val: Any = 0.0, max_val: Any = 1.0, seed: int | Any = None,
                 unit: Any = None):
        super().__init__(seed, unit)
        self.min_val = _host_value("min_val", min_val)
        self.max_val = _host_value("max_val", max_val)
        if not np.all(np.asarray(self.max_val) > np.asarray(self.min_val)):
            raise ValueError(f"Uniform needs min_val < max_val, got min_val={min_val!r}, "
                             f"max_val={max_val!r}")

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        for name in ("min_val", "max_val"):
            check_fits(name, getattr(self, name), to_size(shape))
        return self._generate(shape, dtype, lambda b, k, s, d: dist.uniform(
            b, k, self.min_val, self.max_val, s, d))


class TruncatedNormal(_RandomInit):
    """A normal distribution of mean ``loc`` and standard deviation ``scale``, truncated to
    ``[lower, upper]`` (``None``: unbounded on that side).

    The bounds are values of the variable itself (not in units of ``scale``). Samples
    are drawn by inverting the normal CDF (Wichura's AS 241) on uniform numbers.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     w = brainx.init.TruncatedNormal(0.0, 1.0, lower=-0.5, upper=2.0, seed=0)((500,))
    >>> bool(w.min() >= -0.5 and w.max() <= 2.0)
    True
    """

    _fields = ("loc", "scale", "lower", "upper", "seed")

    def __init__(self, loc: Any = 0.0, scale: Any = 1.0, lower: Any = None, upper: Any = None,
                 seed: int | Any = None, unit: Any = None):
        super().__init__(seed, unit)
        self.loc = _host_value("loc", loc)
        self.scale = _host_value("scale", scale)
        self.lower = _host_value("lower", lower)
        self.upper = _host_value("upper", upper)
        if not np.all(np.asarray(self.scale) > 0):
            raise ValueError(f"scale must be > 0, got {scale!r}")
        lo = -np.inf if self.lower is None else np.asarray(self.lower)
        hi = np.inf if self.upper is None else np.asarray(self.upper)
        if not np.all(hi > lo):
            raise ValueError(f"TruncatedNormal needs lower < upper, got lower={lower!r}, "
                             f"upper={upper!r}")

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        for name in ("loc", "scale", "lower", "upper"):
            if getattr(self, name) is not None:
                check_fits(name, getattr(self, name), to_size(shape))
        loc = np.asarray(self.loc, dtype=np.float64)
        scale = np.asarray(self.scale, dtype=np.float64)
        lower = (-np.inf if self.lower is None else self.lower - loc) / scale
        upper = (np.inf if self.upper is None else self.upper - loc) / scale

        def draw(b: Any, key: Any, shape: Shape, dtype: np.dtype) -> Any:
            xp = b.numpy
            z = _truncated_standard(b, key, shape, dtype, lower, upper)
            x = xp.asarray(loc, dtype=dtype) + b.materialize(xp.asarray(scale, dtype=dtype) * z)
            if self.lower is not None:
                x = xp.maximum(x, xp.asarray(self.lower, dtype=dtype))
            if self.upper is not None:
                x = xp.minimum(x, xp.asarray(self.upper, dtype=dtype))
            return x.astype(dtype)

        return self._generate(shape, dtype, draw)


class LogNormal(_RandomInit):
    """``exp(X)`` with ``X`` normal of mean ``mean`` and standard deviation ``sigma``
    (NumPy's ``lognormal`` parameters).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     w = brainx.init.LogNormal(0.0, 0.5, seed=0)((100,))
    >>> bool((w > 0).all())
    True
    """

    _fields = ("mean", "sigma", "seed")

    def __init__(self, mean: Any = 0.0, sigma: Any = 1.0, seed: int | Any = None,
                 unit: Any = None):
        super().__init__(seed, unit)
        self.mean = _host_value("mean", mean)
        self.sigma = _host_value("sigma", sigma)
        if np.any(np.asarray(self.sigma) < 0):
            raise ValueError(f"sigma must be >= 0, got {sigma!r}")

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        for name in ("mean", "sigma"):
            check_fits(name, getattr(self, name), to_size(shape))
        return self._generate(shape, dtype, lambda b, k, s, d: b.numpy.exp(dist.normal(
            b, k, self.mean, self.sigma, s, d)).astype(d))


class Orthogonal(_RandomInit):
    """A uniformly random orthogonal matrix, times ``scale`` (Saxe et al. 2014).

    The weight is seen as a matrix of ``shape[axis]`` rows by the product of the other
    sizes; whichever side is smaller gets orthonormal vectors. Built from the QR
    decomposition of a normal matrix, with the signs of ``R``'s diagonal moved into ``Q``.

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> with brainx.use_backend('numba'):
    ...     q = brainx.init.Orthogonal(seed=0)((4, 4), dtype='float32')
    >>> bool(np.allclose(q.T @ q, np.eye(4), atol=1e-5))
    True
    """

    _fields = ("scale", "axis", "seed")

    def __init__(self, scale: Any = 1.0, axis: int = -1, seed: int | Any = None):
        super().__init__(seed)
        self.scale = _host_value("scale", scale)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"axis must be an int, got {axis!r}")
        self.axis = int(axis)

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        shape = to_size(shape)
        if not shape or not -len(shape) <= self.axis < len(shape):
            raise ValueError(f"axis {self.axis} is out of range for the shape {shape}")
        if 0 in shape:
            raise ValueError(f"Orthogonal needs positive sizes, got the shape {shape}")
        axis = self.axis % len(shape)
        n_rows = shape[axis]
        n_cols = math.prod(shape) // n_rows
        matrix_shape = (n_rows, n_cols) if n_rows > n_cols else (n_cols, n_rows)
        others = shape[:axis] + shape[axis + 1:]

        def draw(b: Any, key: Any, _: Shape, dtype: np.dtype) -> Any:
            xp = b.numpy
            a = dist.normal(b, key, 0.0, 1.0, matrix_shape, dtype)
            q, r = xp.linalg.qr(a)
            q = q * xp.sign(xp.diagonal(r))
            if n_rows < n_cols:
                q = q.T
            q = xp.moveaxis(xp.reshape(q, (n_rows,) + others), 0, axis)
            return (xp.asarray(self.scale, dtype=dtype) * q).astype(dtype)

        return self._generate(shape, dtype, draw)


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "normal", "uniform")


def compute_fans(shape: Shape, in_axis: int = -2, out_axis: int = -1) -> tuple[float, float]:
    """``(fan_in, fan_out)``: the in/out sizes times the receptive field (the other sizes)."""
    if len(shape) < 2:
        raise ValueError(f"variance scaling needs a weight of at least 2 dimensions to find its "
                         f"fan-in and fan-out, got the shape {shape}")
    for name, ax in (("in_axis", in_axis), ("out_axis", out_axis)):
        if not -len(shape) <= ax < len(shape):
            raise ValueError(f"{name} {ax} is out of range for the shape {shape}")
    if in_axis % len(shape) == out_axis % len(shape):
        raise ValueError(f"in_axis and out_axis must differ, got {in_axis} and {out_axis}")
    receptive = math.prod(shape) / shape[in_axis] / shape[out_axis] if 0 not in shape else 0
    return shape[in_axis] * receptive, shape[out_axis] * receptive


class VarianceScaling(_RandomInit):
    """Values of variance ``scale / n``, ``n`` the fan-in, fan-out or their mean.

    Parameters
    ----------
    scale : float
        The variance's numerator (2 for Kaiming / He, 1 for Xavier / Glorot and LeCun).
    mode : {'fan_in', 'fan_out', 'fan_avg'}
        Which fan is ``n``.
    distribution : {'truncated_normal', 'normal', 'uniform'}
        ``truncated_normal``: a normal truncated to two standard deviations, rescaled
        so the variance is exact; ``uniform``: on ``[-sqrt(3 scale / n), sqrt(3 scale / n))``.
    in_axis, out_axis : int
        The axes of the weight holding the inputs and the outputs; the other axes form
        the receptive field (e.g. a convolution kernel's spatial axes).

    Examples
    --------
    >>> import brainx
    >>> init = brainx.init.VarianceScaling(2.0, 'fan_in', 'normal', seed=0)
    >>> with brainx.use_backend('numba'):
    ...     w = init((400, 300))
    >>> round(float(w.std() ** 2 * 400), 1)
    2.0
    """

    _fields = ("scale", "mode", "distribution", "in_axis", "out_axis", "seed")

    def __init__(self, scale: float, mode: str, distribution: str, in_axis: int = -2,
                 out_axis: int = -1, seed: int | Any = None):
        super().__init__(seed)
        if isinstance(scale, bool) or not isinstance(scale, (int, float, np.number)) \
                or not scale > 0:
            raise ValueError(f"scale must be a positive number, got {scale!r}")
        if mode not in _MODES:
            raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {_DISTRIBUTIONS}, got {distribution!r}")
        self.scale = float(scale)
        self.mode = mode
        self.distribution = distribution
        self.in_axis = in_axis
        self.out_axis = out_axis

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        shape = to_size(shape)
        fan_in, fan_out = compute_fans(shape, self.in_axis, self.out_axis)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        if n == 0:
            raise ValueError(f"the {self.mode} of the shape {shape} is 0")
        variance = self.scale / n
        distribution = self.distribution

        def draw(b: Any, key: Any, shape: Shape, dtype: np.dtype) -> Any:
            xp = b.numpy
            if distribution == "truncated_normal":
                factor = math.sqrt(variance) / _TRUNCATED_STD
                z = _truncated_standard(b, key, shape, dtype, -2.0, 2.0)
            elif distribution == "normal":
                factor = math.sqrt(variance)
                z = dist.normal(b, key, 0.0, 1.0, shape, dtype)
            else:
                factor = math.sqrt(3.0 * variance)
                z = dist.uniform(b, key, -1.0, 1.0, shape, dtype)
            return (z * xp.asarray(factor, dtype=dtype)).astype(dtype)

        return self._generate(shape, dtype, draw)


class KaimingUniform(VarianceScaling):
    """He et al. 2015: uniform on ``[-sqrt(6 / fan_in), sqrt(6 / fan_in))``.

    :class:`VarianceScaling` with ``scale=2.0``, ``mode='fan_in'``,
    ``distribution='uniform'`` by default.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.KaimingUniform(seed=0)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale: float = 2.0, mode: str = "fan_in",
                 distribution: str = "uniform", in_axis: int = -2, out_axis: int = -1,
                 seed: int | Any = None):
        super().__init__(scale, mode, distribution, in_axis, out_axis, seed)


class KaimingNormal(VarianceScaling):
    """He et al. 2015: variance ``2 / fan_in``, truncated at two standard deviations.

    :class:`VarianceScaling` with ``scale=2.0``, ``mode='fan_in'``,
    ``distribution='truncated_normal'`` by default.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.KaimingNormal(seed=0)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale: float = 2.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", in_axis: int = -2, out_axis: int = -1,
                 seed: int | Any = None):
        super().__init__(scale, mode, distribution, in_axis, out_axis, seed)


class XavierUniform(VarianceScaling):
    """Glorot & Bengio 2010: uniform on ``[-sqrt(6 / (fan_in + fan_out)), ...)``.

    :class:`VarianceScaling` with ``scale=1.0``, ``mode='fan_avg'``,
    ``distribution='uniform'`` by default.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.XavierUniform(seed=0)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_avg",
                 distribution: str = "uniform", in_axis: int = -2, out_axis: int = -1,
                 seed: int | Any = None):
        super().__init__(scale, mode, distribution, in_axis, out_axis, seed)


class XavierNormal(VarianceScaling):
    """Glorot & Bengio 2010: variance ``2 / (fan_in + fan_out)``, truncated at 2 std.

    :class:`VarianceScaling` with ``scale=1.0``, ``mode='fan_avg'``,
    ``distribution='truncated_normal'`` by default.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.XavierNormal(seed=0)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_avg",
                 distribution: str = "truncated_normal", in_axis: int = -2, out_axis: int = -1,
                 seed: int | Any = None):
        super().__init__(scale, mode, distribution, in_axis, out_axis, seed)


class LecunUniform(VarianceScaling):
    """LeCun et al. 1998: uniform on ``[-sqrt(3 / fan_in), sqrt(3 / fan_in))``.

    :class:`VarianceScaling` with ``scale=1.0``, ``mode='fan_in'``,
    ``distribution='uniform'`` by default.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.LecunUniform(seed=0)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "uniform", in_axis: int = -2, out_axis: int = -1,
                 seed: int | Any = None):
        super().__init__(scale, mode, distribution, in_axis, out_axis, seed)


class LecunNormal(VarianceScaling):
    """LeCun et al. 1998: variance ``1 / fan_in``, truncated at two standard deviations.

    :class:`VarianceScaling` with ``scale=1.0``, ``mode='fan_in'``,
    ``distribution='truncated_normal'`` by default.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.LecunNormal(seed=0)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", in_axis: int = -2, out_axis: int = -1,
                 seed: int | Any = None):
        super().__init__(scale, mode, distribution, in_axis, out_axis, seed)
