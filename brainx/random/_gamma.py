"""The gamma family: gamma, beta, chi-square, Student's t, F and their non-central forms.

Written once against a backend's NumPy namespace, on the Threefry bits of
:mod:`brainx.random._distributions`. ``Gamma(a)`` for ``a >= 1`` is Marsaglia and
Tsang's method ("A simple method for generating gamma variables", ACM TOMS 26(3),
2000), vectorised: every round draws a normal and a uniform for each element still
waiting, until all are accepted. ``a < 1`` is boosted, ``Gamma(a) = Gamma(a + 1)
U^(1/a)``, in log space where the result would underflow. The normals use ``log``
and ``cos`` and the acceptance test ``log``, so these distributions agree across
backends to a few ULP, and an element whose acceptance test lands within an ULP of
the bound may differ.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainx.backend import Backend
from brainx.random import _distributions as dist

Shape = tuple[int, ...]


def as_param(b: Backend, x: Any, dtype: np.dtype, shape: Shape) -> Any:
    """``x`` as a backend array of ``dtype`` broadcast to ``shape``."""
    xp = b.numpy
    return xp.broadcast_to(xp.asarray(x, dtype=dtype), shape)


def standard_normal(b: Backend, key: Any, shape: Shape, dtype: np.dtype) -> Any:
    return dist.normal(b, key, 0.0, 1.0, shape, dtype)


def _marsaglia_tsang(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> Any:
    """Gamma(a) for ``a >= 1`` (an array of ``shape``)."""
    xp = b.numpy
    d = a - xp.asarray(1.0 / 3.0, dtype=dtype)
    c = 1.0 / xp.sqrt(9.0 * d)
    one = xp.asarray(1.0, dtype=dtype)

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_normal, k_uniform = dist.split(b, dist.fold(b, key, i), 2)
        x = standard_normal(b, k_normal, shape, dtype)
        u = dist.open_uniform(b, k_uniform, shape, dtype)
        t = one + b.materialize(c * x)
        v = t * t * t
        x2 = x * x
        squeeze = u < one - b.materialize(0.0331 * (x2 * x2))
        positive = t > 0
        log_v = xp.log(xp.where(positive, v, one))
        bound = b.materialize(0.5 * x2) + b.materialize(d * ((one - v) + log_v))
        accept = active & positive & (squeeze | (xp.log(u) < bound))
        return i + 1, xp.where(accept, d * v, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=dtype),
            xp.ones(shape, dtype=bool))
    return b.while_loop(more, body, init)[1]


def gamma_and_log(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> tuple[Any, Any]:
    """``(G, log G)`` for ``G ~ Gamma(a, 1)``, ``a >= 0`` (``Gamma(0)`` is 0).

    ``log G`` stays finite where ``G`` underflows (``a`` small), which beta and
    Dirichlet draws need.
    """
    xp = b.numpy
    a = as_param(b, a, dtype, shape)
    small = a < 1.0
    k_main, k_boost = dist.split(b, key, 2)
    g = _marsaglia_tsang(b, k_main, xp.where(small, a + 1.0, a), shape, dtype)
    log_u = xp.log(dist.open_uniform(b, k_boost, shape, dtype))
    positive = a > 0
    boost = xp.where(small, log_u / xp.where(positive, a, 1.0), 0.0)
    log_g = xp.where(positive, xp.log(g) + boost, -np.inf).astype(dtype)
    value = xp.where(small, xp.exp(log_g), g).astype(dtype)
    return value, log_g


def standard_gamma(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> Any:
    return gamma_and_log(b, key, a, shape, dtype)[0]


def gamma(b: Backend, key: Any, a: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    g = standard_gamma(b, key, a, shape, dtype)
    if scale is None:
        return g
    return (g * b.numpy.asarray(scale, dtype=dtype)).astype(dtype)


def loggamma(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> Any:
    return gamma_and_log(b, key, a, shape, dtype)[1]


def beta(b: Backend, key: Any, a: Any, bb: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``X / (X + Y)`` of ``X ~ Gamma(a)``, ``Y ~ Gamma(b)``; through logs where either is
    below 1 (the gammas may underflow there)."""
    xp = b.numpy
    k_a, k_b = dist.split(b, key, 2)
    x, log_x = gamma_and_log(b, k_a, a, shape, dtype)
    y, log_y = gamma_and_log(b, k_b, bb, shape, dtype)
    direct = x / (x + y)
    # 1 / (1 + exp(log y - log x)), with the exponent kept <= 0 for accuracy
    diff = log_y - log_x
    e = xp.exp(-xp.abs(diff))
    through_logs = xp.where(diff > 0, e / (1.0 + e), 1.0 / (1.0 + e))
    small = (as_param(b, a, dtype, shape) < 1.0) | (as_param(b, bb, dtype, shape) < 1.0)
    return xp.where(small, through_logs, direct).astype(dtype)


def chisquare(b: Backend, key: Any, df: Any, shape: Shape, dtype: np.dtype) -> Any:
    half = as_param(b, df, dtype, shape) * 0.5
    return (2.0 * standard_gamma(b, key, half, shape, dtype)).astype(dtype)


def noncentral_chisquare(b: Backend, key: Any, df: Any, nonc: Any, shape: Shape,
                         dtype: np.dtype) -> Any:
    """As NumPy: ``chi2(df - 1) + (Z + sqrt(nonc))^2`` for ``df > 1``, else
    ``chi2(df + 2 N)`` with ``N ~ Poisson(nonc / 2)``."""
    xp = b.numpy
    df = as_param(b, df, dtype, shape)
    nonc = as_param(b, nonc, dtype, shape)
    k_chi, k_normal, k_poisson, k_mixed = dist.split(b, key, 4)
    big = df > 1.0
    chi = chisquare(b, k_chi, xp.where(big, df - 1.0, 1.0), shape, dtype)
    z = standard_normal(b, k_normal, shape, dtype) + xp.sqrt(nonc)
    shifted = chi + b.materialize(z * z)
    counts = dist.poisson(b, k_poisson, xp.where(big, 0.0, nonc * 0.5), None, None)
    mixed = chisquare(b, k_mixed, xp.where(big, 1.0, df + 2.0 * counts.astype(dtype)), shape,
                      dtype)
    return xp.where(big, shifted, mixed).astype(dtype)


def standard_t(b: Backend, key: Any, df: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``Z sqrt(df / chi2(df))``."""
    xp = b.numpy
    df = as_param(b, df, dtype, shape)
    k_normal, k_chi = dist.split(b, key, 2)
    z = standard_normal(b, k_normal, shape, dtype)
    return (z * xp.sqrt(df / chisquare(b, k_chi, df, shape, dtype))).astype(dtype)


def f(b: Backend, key: Any, dfnum: Any, dfden: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``(chi2(dfnum) / dfnum) / (chi2(dfden) / dfden)``."""
    xp = b.numpy
    dfnum = as_param(b, dfnum, dtype, shape)
    dfden = as_param(b, dfden, dtype, shape)
    k_num, k_den = dist.split(b, key, 2)
    num = chisquare(b, k_num, dfnum, shape, dtype) * dfden
    den = chisquare(b, k_den, dfden, shape, dtype) * dfnum
    return xp.asarray(num / den, dtype=dtype)


def noncentral_f(b: Backend, key: Any, dfnum: Any, dfden: Any, nonc: Any, shape: Shape,
                 dtype: np.dtype) -> Any:
    xp = b.numpy
    dfnum = as_param(b, dfnum, dtype, shape)
    dfden = as_param(b, dfden, dtype, shape)
    k_num, k_den = dist.split(b, key, 2)
    num = noncentral_chisquare(b, k_num, dfnum, nonc, shape, dtype) * dfden
    den = chisquare(b, k_den, dfden, shape, dtype) * dfnum
    return xp.asarray(num / den, dtype=dtype)
