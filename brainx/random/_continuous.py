"""Continuous distributions by inversion, transformation and vectorised rejection.

Every function takes the backend, a key, its parameters, the output shape and a
float dtype, and is written against the backend's NumPy namespace. Uniforms come
from :func:`brainx.random._distributions.open_uniform` (open interval, exact), so
``1 - u`` and ``2 u`` are exact. Distributions computed with ``+ - * /``,
comparisons and ``sqrt`` alone (``standard_cauchy``, ``triangular``) are
bit-identical across backends; the rest use ``log``, ``exp``, ``cos``, ``acos`` or
``pow``, which libm and XLA round differently by an ULP or so.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from brainx.backend import Backend
from brainx.random import _distributions as dist
from brainx.random._gamma import as_param, standard_normal

Shape = tuple[int, ...]


def _loc_scale(b: Backend, x: Any, loc: Any, scale: Any, dtype: np.dtype) -> Any:
    xp = b.numpy
    if scale is not None:
        x = b.materialize(x * xp.asarray(scale, dtype=dtype))
    if loc is not None:
        x = x + xp.asarray(loc, dtype=dtype)
    return xp.asarray(x, dtype=dtype)


def _exponential(b: Backend, key: Any, shape: Shape, dtype: np.dtype) -> Any:
    """Unit exponentials ``-log(u)``, ``u`` in (0, 1): positive and finite."""
    return -b.numpy.log(dist.open_uniform(b, key, shape, dtype))


def laplace(b: Backend, key: Any, loc: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    xp = b.numpy
    u = dist.open_uniform(b, key, shape, dtype)
    twice = u + u
    x = xp.where(u >= 0.5, -xp.log(2.0 - twice), xp.log(twice))
    return _loc_scale(b, x, loc, scale, dtype)


def logistic(b: Backend, key: Any, loc: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    xp = b.numpy
    u = dist.open_uniform(b, key, shape, dtype)
    return _loc_scale(b, xp.log(u / (1.0 - u)), loc, scale, dtype)


def gumbel(b: Backend, key: Any, loc: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    xp = b.numpy
    u = dist.open_uniform(b, key, shape, dtype)
    return _loc_scale(b, -xp.log(-xp.log(u)), loc, scale, dtype)


def lognormal(b: Backend, key: Any, mean: Any, sigma: Any, shape: Shape, dtype: np.dtype) -> Any:
    z = _loc_scale(b, standard_normal(b, key, shape, dtype), mean, sigma, dtype)
    return b.numpy.exp(z).astype(dtype)


def standard_cauchy(b: Backend, key: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``x / y`` of a point uniform in the unit disc (its angle is uniform): only
    arithmetic, so the same bits on every backend."""
    xp = b.numpy

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_x, k_y = dist.split(b, dist.fold(b, key, i), 2)
        x = 2.0 * dist.open_uniform(b, k_x, shape, dtype) - 1.0
        y = 2.0 * dist.open_uniform(b, k_y, shape, dtype) - 1.0
        inside = b.materialize(x * x) + b.materialize(y * y) <= 1.0
        accept = active & inside
        return i + 1, xp.where(accept, x / y, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=dtype),
            xp.ones(shape, dtype=bool))
    return b.while_loop(more, body, init)[1].astype(dtype)


def rayleigh(b: Backend, key: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    x = b.numpy.sqrt(2.0 * _exponential(b, key, shape, dtype))
    return _loc_scale(b, x, None, scale, dtype)


def weibull(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``E^(1/a)`` of a unit exponential ``E``; 0 where ``a == 0`` (as NumPy)."""
    xp = b.numpy
    a = as_param(b, a, dtype, shape)
    e = _exponential(b, key, shape, dtype)
    x = xp.power(e, 1.0 / xp.where(a > 0, a, 1.0))
    return xp.where(a > 0, x, 0.0).astype(dtype)


def pareto(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> Any:
    """NumPy's Pareto II (Lomax): ``exp(E / a) - 1``, support ``[0, inf)``."""
    xp = b.numpy
    a = as_param(b, a, dtype, shape)
    return xp.expm1(_exponential(b, key, shape, dtype) / a).astype(dtype)


def power(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``U^(1/a)``: density ``a x^(a-1)`` on ``[0, 1]``."""
    xp = b.numpy
    a = as_param(b, a, dtype, shape)
    return xp.power(dist.open_uniform(b, key, shape, dtype), 1.0 / a).astype(dtype)


def triangular(b: Backend, key: Any, left: Any, mode: Any, right: Any, shape: Shape,
               dtype: np.dtype) -> Any:
    """Inversion of the triangular CDF: arithmetic and ``sqrt`` only (correctly rounded
    everywhere), so the same bits on every backend."""
    xp = b.numpy
    left, mode, right = (as_param(b, v, dtype, shape) for v in (left, mode, right))
    base = right - left
    left_base = mode - left
    ratio = left_base / base
    u = dist.unit_uniform(b, key, shape, dtype)
    rising = left + xp.sqrt(b.materialize(u * b.materialize(left_base * base)))
    falling = right - xp.sqrt(b.materialize((1.0 - u) * b.materialize((right - mode) * base)))
    return xp.where(u <= ratio, rising, falling).astype(dtype)


def maxwell(b: Backend, key: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    """The length of a vector of three standard normals."""
    xp = b.numpy
    squares = [b.materialize(z * z) for z in
               (standard_normal(b, k, shape, dtype) for k in dist.split(b, key, 3))]
    x = xp.sqrt(b.materialize(squares[0] + squares[1]) + squares[2])
    return _loc_scale(b, x, None, scale, dtype)


def wald(b: Backend, key: Any, mean: Any, scale: Any, shape: Shape, dtype: np.dtype) -> Any:
    """Michael, Schucany and Haas (1976), with the root of the quadratic written without
    cancellation: ``x = mean 4 scale y / (y + sqrt(y^2 + 4 scale y))^2``, ``y = mean z^2``."""
    xp = b.numpy
    mean = as_param(b, mean, dtype, shape)
    scale = as_param(b, scale, dtype, shape)
    k_normal, k_uniform = dist.split(b, key, 2)
    z = standard_normal(b, k_normal, shape, dtype)
    y = b.materialize(mean * b.materialize(z * z))
    four_sy = b.materialize(4.0 * scale * y)
    root = y + xp.sqrt(b.materialize(y * y) + four_sy)
    x = xp.where(y > 0, mean * four_sy / xp.where(y > 0, root * root, 1.0), mean)
    u = dist.unit_uniform(b, k_uniform, shape, dtype)
    return xp.where(b.materialize(u * (mean + x)) <= mean, x, mean * mean / x).astype(dtype)


# below this concentration Best and Fisher's s is 1/kappa + kappa to rounding (as jax)
_VONMISES_SMALL = {4: 2e-2, 8: 1.2e-4}


def vonmises(b: Backend, key: Any, mu: Any, kappa: Any, shape: Shape, dtype: np.dtype) -> Any:
    """Best and Fisher (1979), as NumPy, written in ``e = s - 1`` and ``1 - w`` (``w`` the
    cosine of the angle) so that float32 stays accurate at large ``kappa``, where both are
    tiny; results wrapped to ``[-pi, pi)``."""
    xp = b.numpy
    mu = as_param(b, mu, dtype, shape)
    kappa = as_param(b, kappa, dtype, shape)
    flat = kappa < 1e-8  # uniform on the circle
    k = xp.where(flat, 1.0, kappa)
    root = xp.sqrt(1.0 + 4.0 * k * k)
    # 1 - rho, rho = (tau - sqrt(2 tau)) / (2 kappa), tau = 1 + root, without cancellation
    one_minus_rho = (xp.sqrt(2.0 + 2.0 * root) - 1.0 - 1.0 / (root + 2.0 * k)) / (2.0 * k)
    e = xp.where(k > _VONMISES_SMALL[dtype.itemsize],
                 one_minus_rho * one_minus_rho / (2.0 * (1.0 - one_minus_rho)),
                 (1.0 / k + k) - 1.0)
    k_loop, k_sign = dist.split(b, key, 2)

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_z, k_v = dist.split(b, dist.fold(b, k_loop, i), 2)
        half = (0.5 * math.pi) * dist.open_uniform(b, k_z, shape, dtype)
        sin_half, cos_half = xp.sin(half), xp.cos(half)
        # z = cos(2 half): 1 - w = e (1 - z) / (1 + z + e), 1 - z = 2 sin^2, 1 + z = 2 cos^2
        one_minus_w = (2.0 * e * (sin_half * sin_half)
                       / (2.0 * b.materialize(cos_half * cos_half) + e))
        y = k * (e + one_minus_w)
        v = dist.open_uniform(b, k_v, shape, dtype)
        ratio = xp.where(y > 0, y / v, 1.0)  # y > 0 mathematically; rounding may give 0
        accept = active & ((b.materialize(y * (2.0 - y)) - v >= 0)
                           | ((y > 0) & (xp.log(ratio) + 1.0 - y >= 0)))
        return i + 1, xp.where(accept, one_minus_w, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=dtype), ~flat)
    one_minus_w = b.while_loop(more, body, init)[1]
    u = dist.unit_uniform(b, k_sign, shape, dtype)
    centred = 2.0 * xp.arcsin(xp.sqrt(xp.clip(0.5 * one_minus_w, 0.0, 1.0)))
    centred = xp.where(u < 0.5, -centred, centred)
    centred = xp.where(flat, math.pi * (2.0 * u - 1.0), centred)
    x = centred + mu
    turns = xp.floor(b.materialize((x + math.pi) * (0.5 / math.pi)))
    return (x - b.materialize(turns * (2.0 * math.pi))).astype(dtype)


def truncated_normal(b: Backend, key: Any, lower: Any, upper: Any, loc: Any, scale: Any,
                     shape: Shape, dtype: np.dtype) -> Any:
    """Normal on ``[lower, upper]`` by Robert's (1995) rejection samplers, chosen per
    element: the plain normal for wide intervals around the mean, a uniform proposal for
    narrow ones, an exponential proposal for tails. Works for infinite bounds and far
    into the tails (where inverting the CDF loses all precision)."""
    xp = b.numpy
    lower, upper, loc, scale = (as_param(b, v, dtype, shape) for v in (lower, upper, loc, scale))
    lo = (lower - loc) / scale
    hi = (upper - loc) / scale
    mirror = hi <= 0  # sample the mirror image, so that the interval reaches above 0
    lo, hi = xp.where(mirror, -hi, lo), xp.where(mirror, -lo, hi)
    width = hi - lo
    tail = lo >= 0
    lo_tail = xp.where(tail, lo, 0.0)
    root = xp.sqrt(lo_tail * lo_tail + 4.0)
    rate = 0.5 * (lo_tail + root)
    # Robert's rule: a uniform proposal beats the exponential one on narrow tail intervals
    uniform_better = width < (2.0 * math.sqrt(math.e) / (lo_tail + root)) * xp.exp(
        0.25 * (lo_tail * lo_tail - lo_tail * root))
    use_normal = ~tail & (width >= 2.5)
    use_exponential = tail & ~uniform_better
    anchor = xp.where(tail, lo_tail, 0.0)  # the point of the interval nearest the mean
    finite_width = xp.where(xp.isfinite(width), width, 1.0)

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_u, k_v, k_z = dist.split(b, dist.fold(b, key, i), 3)
        u = dist.open_uniform(b, k_u, shape, dtype)
        log_v = xp.log(dist.open_uniform(b, k_v, shape, dtype))
        z = standard_normal(b, k_z, shape, dtype)
        from_uniform = lo + b.materialize(finite_width * u)
        from_exponential = lo + (-xp.log(u)) / rate
        x = xp.where(use_normal, z, xp.where(use_exponential, from_exponential, from_uniform))
        shift = x - rate
        log_accept = xp.where(
            use_normal, 0.0,
            xp.where(use_exponential, -0.5 * b.materialize(shift * shift),
                     0.5 * (b.materialize(anchor * anchor) - b.materialize(x * x))))
        accept = active & (x >= lo) & (x <= hi) & (log_v <= log_accept)
        return i + 1, xp.where(accept, x, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=dtype),
            xp.ones(shape, dtype=bool))
    x = b.while_loop(more, body, init)[1]
    x = xp.where(mirror, -x, x)
    return xp.clip(loc + b.materialize(scale * x), lower, upper).astype(dtype)
