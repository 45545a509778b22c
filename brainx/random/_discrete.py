"""Discrete distributions: binomial, geometric, hypergeometric, negative binomial,
multinomial, zipf, logarithmic series and categorical.

Each function takes the backend, a key, its parameters, the output shape and the
dtypes, and is written against the backend's NumPy namespace. Binomial draws with
``n min(p, 1-p) < 10`` (inversion with exponentiation by squaring) and
hypergeometric draws (integer arithmetic) are bit-identical across backends; the
others go through ``log``, ``exp`` or ``pow``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainx.backend import Backend
from brainx.random import _distributions as dist
from brainx.random._gamma import as_param, standard_gamma

Shape = tuple[int, ...]

def _power_int(b: Backend, base: Any, exponent: Any, bits: int) -> Any:
    """``base ** exponent`` for non-negative integer exponents, by squaring: products only,
    so the same bits on every backend."""
    xp = b.numpy
    result = xp.ones_like(base)
    e = exponent
    for _ in range(bits):
        result = xp.where((e % 2) == 1, result * base, result)
        base = base * base
        e = e // 2
    return result


def _binomial_inversion(b: Backend, key: Any, n: Any, p: Any, shape: Shape,
                        fdtype: np.dtype, bits: int) -> Any:
    """Smallest k with CDF(k) > u; pmf(k + 1) = pmf(k) (n - k) / (k + 1) p / q. ``p <= 1/2``."""
    xp = b.numpy
    q = 1.0 - p
    odds = p / q
    first = _power_int(b, q, n.astype(np.int64 if fdtype.itemsize == 8 else np.int32), bits)
    u = dist.unit_uniform(b, key, shape, fdtype)

    def more(loop: tuple) -> Any:
        return xp.any(loop[3])

    def body(loop: tuple) -> tuple:
        k, pmf, cdf, active = loop
        step = b.materialize((n - k) / (k + 1.0)) * odds
        pmf = xp.where(active, b.materialize(pmf * step), pmf)
        k = xp.where(active, k + 1.0, k)
        grown = b.materialize(cdf + pmf)
        still = active & (grown > cdf) & (u >= grown) & (k < n)
        return k, pmf, xp.where(active, grown, cdf), still

    init = (xp.zeros(shape, dtype=fdtype), first, first, (u >= first) & (n > 0))
    return b.while_loop(more, body, init)[0]


def _binomial_btrs(b: Backend, key: Any, n: Any, p: Any, shape: Shape, fdtype: np.dtype) -> Any:
    """Hörmann's transformed rejection with squeeze (BTRS, 1993) for ``n p >= 10``,
    ``p <= 1/2``, with the log-density ratio to the mode written through Stirling tails
    (no cancellation of large log-factorials)."""
    xp = b.numpy
    used = n * p >= 10.0  # other lanes get harmless stand-in parameters
    n = xp.where(used, n, 100.0)
    p = xp.where(used, p, 0.5)
    q = 1.0 - p
    spq = xp.sqrt(n * p * q)
    bb = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * bb + 0.01 * p
    c = n * p + 0.5
    vr = 0.92 - 4.2 / bb
    alpha = (2.83 + 5.1 / bb) * spq
    odds = p / q
    m = xp.floor((n + 1.0) * p)
    tails_m = dist.stirling_tail(xp, m) + dist.stirling_tail(xp, n - m)
    log_ratio_m = xp.log(odds * (n - m + 1.0) / (m + 1.0))

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_u, k_v = dist.split(b, dist.fold(b, key, i), 2)
        u = dist.open_uniform(b, k_u, shape, fdtype) - 0.5
        v = dist.open_uniform(b, k_v, shape, fdtype)
        us = 0.5 - xp.abs(u)
        k = xp.floor(b.materialize((2.0 * a / us + bb) * u) + c)
        quick = (us >= 0.07) & (v <= vr)
        inside = (k >= 0) & (k <= n)
        ks = xp.clip(k, 0.0, n)
        log_v = xp.log(v * alpha / (a / (us * us) + bb))
        # log f(k) / f(m) through Stirling, relative to the mode: no large terms cancel
        d = ks - m
        bound = (d * log_ratio_m - (ks + 0.5) * xp.log1p(d / (m + 1.0))
                 - (n - ks + 0.5) * xp.log1p(-d / (n - m + 1.0))
                 + tails_m - dist.stirling_tail(xp, ks) - dist.stirling_tail(xp, n - ks))
        accept = active & (quick | (inside & (log_v <= bound)))
        return i + 1, xp.where(accept, k, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=fdtype),
            xp.ones(shape, dtype=bool))
    return b.while_loop(more, body, init)[1]


def binomial_plan(b: Backend, n: Any, p: Any) -> tuple[bool, bool, int | None]:
    """From host parameters: whether some element needs inversion, whether some needs
    BTRS, and the bits of the largest ``n`` (``(True, True, None)`` when traced)."""
    n_host, p_host = dist._concrete(b, n), dist._concrete(b, p)
    if n_host is None or p_host is None:
        return True, True, None
    n_host = np.asarray(n_host, dtype=np.float64)
    p_host = np.asarray(p_host, dtype=np.float64)
    big = n_host * np.minimum(p_host, 1.0 - p_host) >= 10.0
    top = int(np.max(n_host)) if n_host.size else 0
    return bool(np.any(~big)), bool(np.any(big)), max(top.bit_length(), 1)


def binomial(b: Backend, key: Any, n: Any, p: Any, shape: Shape, dtype: np.dtype,
             fdtype: np.dtype, need_small: bool = True, need_big: bool = True,
             bits: int | None = None) -> Any:
    """Inversion where ``n min(p, 1-p) < 10``, BTRS elsewhere (only the methods the
    plan of :func:`binomial_plan` says some element needs)."""
    xp = b.numpy
    n = as_param(b, n, fdtype, shape)
    p = as_param(b, p, fdtype, shape)
    flip = p > 0.5
    p_low = xp.where(flip, 1.0 - p, p)
    big = n * p_low >= 10.0
    bits = bits or (63 if fdtype.itemsize == 8 else 31)
    k_small, k_big = dist.split(b, key, 2)
    k = xp.zeros(shape, dtype=fdtype)
    if need_small:
        k = _binomial_inversion(b, k_small, xp.where(big, 0.0, n), p_low, shape, fdtype, bits)
    if need_big:
        k = xp.where(big, _binomial_btrs(b, k_big, n, p_low, shape, fdtype), k)
    return xp.where(flip, n - k, k).astype(dtype)


def _clip_count(xp: Any, x: Any, dtype: np.dtype) -> Any:
    top = float(np.iinfo(dtype).max)
    return xp.where(x < top, x, top).astype(dtype)


def geometric(b: Backend, key: Any, p: Any, shape: Shape, dtype: np.dtype,
              fdtype: np.dtype) -> Any:
    """Trials up to the first success: ``ceil(log(u) / log(1 - p))``, support 1, 2, ..."""
    xp = b.numpy
    p = as_param(b, p, fdtype, shape)
    u = dist.open_uniform(b, key, shape, fdtype)
    denominator = xp.log1p(-xp.where(p < 1.0, p, 0.5))
    x = xp.maximum(xp.ceil(xp.log(u) / denominator), 1.0)
    return _clip_count(xp, xp.where(p < 1.0, x, 1.0), dtype)


def negative_binomial(b: Backend, key: Any, n: Any, p: Any, shape: Shape, dtype: np.dtype,
                      fdtype: np.dtype) -> Any:
    """Failures before the ``n``-th success: ``Poisson(Gamma(n, (1 - p) / p))``, as NumPy."""
    n = as_param(b, n, fdtype, shape)
    p = as_param(b, p, fdtype, shape)
    k_gamma, k_poisson = dist.split(b, key, 2)
    rate = standard_gamma(b, k_gamma, n, shape, fdtype) * ((1.0 - p) / p)
    return dist.poisson(b, k_poisson, rate, None, dtype)


#: below this many draws (of nsample or its complement) hypergeometric draws one by one
HYPERGEOMETRIC_SEQUENTIAL = 100


def hypergeometric_plan(b: Backend, ngood: Any, nbad: Any, nsample: Any) -> tuple[bool, bool]:
    """From host parameters: whether some element is drawn one by one, whether some by
    HRUA (``(True, True)`` when traced)."""
    hosts = [dist._concrete(b, v) for v in (ngood, nbad, nsample)]
    if any(h is None for h in hosts):
        return True, True
    good, bad, sample = (np.asarray(h, dtype=np.float64) for h in hosts)
    drawn = np.minimum(sample, good + bad - sample)
    few = drawn < HYPERGEOMETRIC_SEQUENTIAL
    return bool(np.any(few)), bool(np.any(~few))


def _hypergeometric_sequential(b: Backend, key: Any, good: Any, total: Any, draws: Any,
                               shape: Shape, wide: np.dtype) -> Any:
    """Good items among ``draws`` taken one by one: integer arithmetic only."""
    xp = b.numpy

    def more(loop: tuple) -> Any:
        return xp.any(loop[0] < draws)

    def body(loop: tuple) -> tuple:
        i, good_left, total_left, taken = loop
        active = i < draws
        r = dist.bits(b, dist.fold(b, key, i), shape, 8 * wide.itemsize) % xp.maximum(
            total_left, 1)
        hit = active & (r < good_left)
        one = xp.asarray(1, dtype=wide)
        good_left = xp.where(hit, good_left - one, good_left)
        total_left = xp.where(active, total_left - one, total_left)
        return i + one, good_left, total_left, xp.where(hit, taken + one, taken)

    init = (xp.asarray(0, dtype=wide), good, total, xp.zeros(shape, dtype=wide))
    return b.while_loop(more, body, init)[3]


def _hypergeometric_hrua(b: Backend, key: Any, good: Any, bad: Any, drawn: Any, shape: Shape,
                         fdtype: np.dtype) -> Any:
    """Stadlober's ratio-of-uniforms method (HRUA, as NumPy) for the good items among
    ``drawn`` (at most half the population), with the log-factorial differences written
    as sums of small terms, so float32 keeps them accurate."""
    xp = b.numpy
    good, bad, drawn = (xp.asarray(v, dtype=fdtype) for v in (good, bad, drawn))
    total = good + bad
    low, high = xp.minimum(good, bad), xp.maximum(good, bad)
    p, q = low / total, high / total
    a = drawn * p + 0.5
    var = (total - drawn) * drawn * p * q / xp.maximum(total - 1.0, 1.0)
    c = xp.sqrt(var + 0.5)
    h = 1.7155277699214135 * c + 0.8989161620588988
    m = xp.floor((drawn + 1.0) * (low + 1.0) / (total + 2.0))
    bound = xp.minimum(xp.minimum(drawn, low) + 1.0, xp.floor(a + 16.0 * c))
    modes = (m, low - m, drawn - m, high - drawn + m)
    slope = (xp.log1p(m) + xp.log1p(high - drawn + m)) - (xp.log1p(low - m) + xp.log1p(drawn - m))
    tails = sum(dist.stirling_tail(xp, x) for x in modes)

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_u, k_v = dist.split(b, dist.fold(b, key, i), 2)
        u = dist.open_uniform(b, k_u, shape, fdtype)
        v = dist.open_uniform(b, k_v, shape, fdtype)
        x = a + h * (v - 0.5) / u
        inside = (x >= 0.0) & (x < bound)
        k = xp.floor(xp.where(inside, x, m))
        d = k - m
        ys = (k, low - k, drawn - k, high - drawn + k)
        # log(y!) - log(x!) = (y + 1/2) log1p((y - x) / (x + 1)) + (y - x) log(x + 1)
        #                     - (y - x) + tail(y) - tail(x); the last two sum to 0 here
        steps = sum((y + 0.5) * xp.log1p((y - x0) / (x0 + 1.0)) for y, x0 in zip(
            ys, modes, strict=True))
        t = -(steps + d * slope + sum(dist.stirling_tail(xp, y) for y in ys) - tails)
        quick = u * (4.0 - u) - 3.0 <= t
        hopeless = u * (u - t) >= 1.0
        accept = active & inside & (quick | (~hopeless & (2.0 * xp.log(u) <= t)))
        return i + 1, xp.where(accept, k, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=fdtype),
            xp.ones(shape, dtype=bool))
    k = b.while_loop(more, body, init)[1]
    return xp.where(good > bad, drawn - k, k)


def hypergeometric(b: Backend, key: Any, ngood: Any, nbad: Any, nsample: Any, shape: Shape,
                   dtype: np.dtype, fdtype: np.dtype, need_sequential: bool = True,
                   need_hrua: bool = True) -> Any:
    """Good items among ``nsample`` drawn without replacement. Below
    ``HYPERGEOMETRIC_SEQUENTIAL`` draws (of ``nsample`` or of its complement, whichever
    is smaller) the items are drawn one by one with integer arithmetic only, so the same
    draws on every backend; above, Stadlober's HRUA."""
    xp = b.numpy
    wide = np.dtype(np.uint64 if dtype.itemsize == 8 else np.uint32)
    good = as_param(b, ngood, dtype, shape).astype(wide)
    bad = as_param(b, nbad, dtype, shape).astype(wide)
    total = good + bad
    sample = as_param(b, nsample, dtype, shape).astype(wide)
    complement = sample + sample > total
    drawn = xp.where(complement, total - sample, sample)
    few = drawn < HYPERGEOMETRIC_SEQUENTIAL
    k_seq, k_hrua = dist.split(b, key, 2)
    taken = xp.zeros(shape, dtype=wide)
    if need_sequential:
        taken = _hypergeometric_sequential(b, k_seq, good, total, xp.where(few, drawn, 0),
                                           shape, wide)
    if need_hrua:
        # the lanes drawn one by one get stand-in parameters here
        many = _hypergeometric_hrua(b, k_hrua, xp.where(few, 300, good), xp.where(few, 300, bad),
                                    xp.where(few, 200, drawn), shape, fdtype)
        taken = xp.where(few, taken, many.astype(wide))
    return xp.where(complement, good - taken, taken).astype(dtype)


def multinomial(b: Backend, key: Any, n: Any, pvals: Any, shape: Shape, dtype: np.dtype,
                fdtype: np.dtype) -> Any:
    """Counts of ``n`` trials over the categories of ``pvals`` (last axis), by conditional
    binomials as NumPy: ``x_j ~ Binomial(n - x_0 - ... - x_{j-1}, p_j / (p_j + ... ))``;
    the last category takes the remaining trials. A loop over the categories."""
    xp = b.numpy
    pvals = xp.asarray(pvals, dtype=fdtype)
    k = int(pvals.shape[-1])
    left = as_param(b, n, fdtype, shape)
    if k == 1:
        return left[..., None].astype(dtype)
    columns = xp.moveaxis(xp.broadcast_to(pvals, tuple(shape) + (k,)), -1, 0)[: k - 1]

    def body(carry: tuple, xs: list) -> tuple:
        left_, mass = carry
        pj, kj = xs
        ratio = xp.where(mass > 0, xp.clip(pj / xp.where(mass > 0, mass, 1.0), 0.0, 1.0), 0.0)
        x = binomial(b, kj, left_, ratio, shape, fdtype, fdtype)
        return (left_ - x, mass - pj), [x]

    (left, _), (counts,) = b.scan(body, (left, xp.ones(shape, dtype=fdtype)),
                                  [columns, dist.split(b, key, k - 1)], k - 1)
    return xp.concatenate([xp.moveaxis(counts, 0, -1), left[..., None]], axis=-1).astype(dtype)


def zipf(b: Backend, key: Any, a: Any, shape: Shape, dtype: np.dtype, fdtype: np.dtype) -> Any:
    """Devroye's rejection method (as NumPy), for ``a > 1``."""
    xp = b.numpy
    a = as_param(b, a, fdtype, shape)
    am1 = a - 1.0
    bb = xp.power(2.0, am1)
    top = float(np.iinfo(dtype).max)

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_u, k_v = dist.split(b, dist.fold(b, key, i), 2)
        u = dist.open_uniform(b, k_u, shape, fdtype)
        v = dist.open_uniform(b, k_v, shape, fdtype)
        x = xp.floor(xp.power(u, -1.0 / am1))
        fits = (x >= 1.0) & (x <= top)
        xs = xp.where(fits, x, 1.0)
        t = xp.power(1.0 + 1.0 / xs, am1)
        accept = active & fits & (v * xs * (t - 1.0) / (bb - 1.0) <= t / bb)
        return i + 1, xp.where(accept, xs, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.ones(shape, dtype=fdtype),
            xp.ones(shape, dtype=bool))
    return _clip_count(xp, b.while_loop(more, body, init)[1], dtype)


def logseries(b: Backend, key: Any, p: Any, shape: Shape, dtype: np.dtype,
              fdtype: np.dtype) -> Any:
    """Kemp's second accelerated generator (LK, 1981), as NumPy."""
    xp = b.numpy
    p = as_param(b, p, fdtype, shape)
    r = xp.log1p(-p)

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, value, active = loop
        k_v, k_u = dist.split(b, dist.fold(b, key, i), 2)
        v = dist.open_uniform(b, k_v, shape, fdtype)
        u = dist.open_uniform(b, k_u, shape, fdtype)
        q = -xp.expm1(r * u)
        q_ok = q > 0
        deep = xp.floor(1.0 + xp.log(v) / xp.log(xp.where(q_ok, q, 0.5)))
        x = xp.where(v >= p, 1.0,
                     xp.where(v <= q * q, deep, xp.where(v >= q, 1.0, 2.0)))
        ok = (v >= p) | ~(v <= q * q) | (q_ok & (deep >= 1.0))
        accept = active & ok
        return i + 1, xp.where(accept, x, value), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.ones(shape, dtype=fdtype),
            xp.ones(shape, dtype=bool))
    return _clip_count(xp, b.while_loop(more, body, init)[1], dtype)


def categorical(b: Backend, key: Any, logits: Any, axis: int, shape: Shape, dtype: np.dtype,
                fdtype: np.dtype) -> Any:
    """The Gumbel-max trick: ``argmax(logits + G)`` along ``axis``, ``G`` standard Gumbel."""
    xp = b.numpy
    logits = xp.asarray(logits, dtype=fdtype)
    axis = axis % logits.ndim
    moved = xp.moveaxis(logits, axis, -1)
    full = tuple(shape) + (int(moved.shape[-1]),)
    u = dist.open_uniform(b, key, full, fdtype)
    noisy = xp.broadcast_to(moved, full) - xp.log(-xp.log(u))
    return xp.argmax(noisy, axis=-1).astype(dtype)
