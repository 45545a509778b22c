"""Random distributions, written once on top of a backend's Threefry primitive.

Every function takes the backend and an explicit key (``uint32[2]`` array of
that backend) and follows the scheme of :mod:`brainx.random._threefry`, so
the bits are identical on every backend. Uniform floats are made from bits
and the affine maps are rounded the same way everywhere, so ``randint``,
``bernoulli``, ``choice`` and ``permutation`` are bit-identical, and so is
``uniform`` when run eagerly or compiled with ``strict_numerics``
(``Backend.materialize`` keeps XLA from fusing ``u * (high - low) + low`` into
a fused multiply-add in small computations, but not inside every larger
fusion: compiled normally, ``uniform`` may differ by that one rounding).
``normal``, ``exponential`` and ``poisson`` (large ``lam``) use ``log``,
``cos`` and ``sqrt``, which libm and XLA round differently by an ULP or so;
``brainx.testing.fake_random()`` replaces them by exactly computed stand-ins.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import Backend

Shape = tuple[int, ...]
_MAX_DRAW = 2**32


# ---- validation ---------------------------------------------------------

def check_size(size: Any) -> Shape | None:
    if size is None:
        return None
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size),)
    try:
        shape = tuple(int(s) for s in size)
    except (TypeError, ValueError):
        raise TypeError(f"size must be None, an int or a tuple of ints, got {size!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"size must not contain negative dimensions, got {size!r}")
    return shape


def _shape_of(size: Shape | None, *params: Any) -> Shape:
    if size is not None:
        return size
    return tuple(np.broadcast_shapes(*(np.shape(p) for p in params)))


def out_shape(name: str, size: Shape | None, *params: Any) -> Shape:
    """The shape of a draw: ``size``, which the parameters must broadcast to, or else
    the parameters' broadcast shape."""
    shapes = [tuple(np.shape(p)) for p in params]
    try:
        joint = tuple(np.broadcast_shapes(*shapes)) if shapes else ()
        if size is None:
            return joint
        if tuple(np.broadcast_shapes(size, *shapes)) == size:
            return size
    except ValueError:
        pass
    where = "" if size is None else f" to size {size}"
    raise ValueError(f"{name}: the parameters of shapes {shapes} do not broadcast{where}")


def check_param(b: Backend, fn: str, name: str, x: Any, *, above: float | None = None,
                at_least: float | None = None, below: float | None = None,
                at_most: float | None = None, integer: bool = False) -> None:
    """Refuse a concrete parameter outside its domain, naming the function, the
    parameter, the domain and the offending values (traced values are not checked)."""
    value = _concrete(b, x)
    if value is None or value.size == 0:
        return
    v = value.astype(np.float64)
    bad = np.isnan(v)
    terms = []
    for bound, test, text in ((above, np.greater, ">"), (at_least, np.greater_equal, ">="),
                              (below, np.less, "<"), (at_most, np.less_equal, "<=")):
        if bound is not None:
            bad |= ~test(v, bound)
            terms.append(f"{text} {bound}")
    if integer:
        bad |= np.isfinite(v) & (v != np.floor(v))
        terms.append("integer-valued")
    if np.any(bad):
        shown = value if value.ndim == 0 else value[bad][:5]
        raise ValueError(f"{fn}: {name} must be {' and '.join(terms)}, got {shown}")


def _concrete(b: Backend, x: Any) -> np.ndarray | None:
    if b.is_tracer(x):
        return None
    return np.asarray(x)


def _check_range(b: Backend, name: str, x: Any, low: float, high: float | None = None) -> None:
    value = _concrete(b, x)
    if value is None or value.size == 0:
        return
    bad = np.isnan(value) | (value < low) if value.dtype.kind == "f" else value < low
    if high is not None:
        bad = bad | (value > high)
    if np.any(bad):
        span = f"[{low}, {high}]" if high is not None else f">= {low}"
        shown = value if value.ndim == 0 else value[bad][:5]
        raise ValueError(f"{name} must be in {span}, got {shown}")


def half_float(dtype: Any) -> np.dtype | None:
    """The 16-bit float dtype asked for (given, or the default at precision 16), else None:
    such draws are computed in float32 and rounded once at the end, the same on every
    backend."""
    resolved = environ.dftype() if dtype is None else np.dtype(dtype)
    return resolved if resolved.name in ("bfloat16", "float16") else None


def float_dtype(dtype: Any) -> np.dtype:
    dtype = environ.dftype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f" or dtype.itemsize not in (4, 8):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    if dtype.itemsize == 8 and environ.get_precision() != 64:
        raise ValueError("dtype float64 needs 64-bit precision: brainx.environ.set(precision=64)")
    return dtype


def int_dtype(dtype: Any) -> np.dtype:
    dtype = environ.ditype() if dtype is None else np.dtype(dtype)
    if dtype.kind not in "iu":
        raise ValueError(f"dtype must be an integer dtype, got {dtype}")
    if dtype.itemsize == 8 and environ.get_precision() != 64:
        raise ValueError(f"dtype {dtype} needs 64-bit precision: brainx.environ.set(precision=64)")
    return dtype


# ---- bits -----------------------------------------------------------------

def _count(shape: Shape) -> int:
    n = math.prod(shape)
    if n >= _MAX_DRAW:
        raise ValueError(f"at most 2**32 - 1 numbers can be drawn at once, asked for {n}")
    return n


def _words(b: Backend, key: Any, shape: Shape, block: int = 0) -> tuple[Any, Any]:
    xp = b.numpy
    n = _count(shape)
    lo = xp.arange(n, dtype=np.uint32)
    hi = xp.full((n,), block, dtype=np.uint32)
    return b.threefry2x32(key[0], key[1], hi, lo)


def split(b: Backend, key: Any, n: int) -> Any:
    """``n`` new keys, ``uint32[n, 2]``."""
    xp = b.numpy
    y0, y1 = b.threefry2x32(key[0], key[1], xp.zeros((n,), dtype=np.uint32),
                            xp.arange(n, dtype=np.uint32))
    return xp.stack([y0, y1], axis=-1)


def bits(b: Backend, key: Any, shape: Shape, width: int = 32, block: int = 0) -> Any:
    """Random ``uint32`` (or ``uint64``) bits."""
    y0, y1 = _words(b, key, shape, block)
    if width == 32:
        return (y0 ^ y1).reshape(shape)
    hi = y0.astype(np.uint64) << np.uint64(32)
    return (hi | y1.astype(np.uint64)).reshape(shape)


def _unit_from_bits(bits_: Any, dtype: np.dtype) -> Any:
    if dtype.itemsize == 4:
        mantissa = (bits_ >> np.uint32(9)) | np.uint32(0x3F800000)
        return mantissa.view(np.float32) - np.float32(1.0)
    mantissa = (bits_ >> np.uint64(12)) | np.uint64(0x3FF0000000000000)
    return mantissa.view(np.float64) - np.float64(1.0)


def unit_uniform(b: Backend, key: Any, shape: Shape, dtype: np.dtype, block: int = 0) -> Any:
    """Floats in ``[0, 1)`` with the full mantissa random."""
    return _unit_from_bits(bits(b, key, shape, 8 * dtype.itemsize, block), dtype)


def open_uniform(b: Backend, key: Any, shape: Shape, dtype: np.dtype, block: int = 0) -> Any:
    """Floats in ``(0, 1)``: the midpoints of :func:`unit_uniform`'s grid, exactly (so
    ``log`` is finite, and ``1 - u`` is exact and in ``(0, 1)`` too)."""
    half = 2.0 ** -(24 if dtype.itemsize == 4 else 53)
    return unit_uniform(b, key, shape, dtype, block) + b.numpy.asarray(half, dtype=dtype)


def fold(b: Backend, key: Any, i: Any) -> Any:
    """The key ``split(key, n)[i]`` for any ``n > i``; ``i`` may be traced (a loop counter)."""
    xp = b.numpy
    index = xp.reshape(xp.asarray(i, dtype=np.uint32), (1,))
    y0, y1 = b.threefry2x32(key[0], key[1], xp.zeros((1,), dtype=np.uint32), index)
    return xp.stack([y0[0], y1[0]])


# ---- distributions --------------------------------------------------------

def uniform(b: Backend, key: Any, low: Any, high: Any, size: Shape | None, dtype: Any) -> Any:
    dtype = float_dtype(dtype)
    if not (b.is_tracer(low) or b.is_tracer(high)) and np.any(np.asarray(high) < np.asarray(low)):
        raise ValueError(f"uniform: high must not be below low (as in NumPy's Generator), got "
                         f"low={low!r}, high={high!r}")
    shape = _shape_of(size, low, high)
    xp = b.numpy
    u = unit_uniform(b, key, shape, dtype)
    low_ = xp.asarray(low, dtype=dtype)
    high_ = xp.asarray(high, dtype=dtype)
    scaled = b.materialize(u * (high_ - low_))
    return xp.maximum(low_, scaled + low_).astype(dtype)


def fake_random() -> bool:
    """Whether ``brainx.testing.fake_random()`` replaced the distributions that use
    transcendental functions by exactly computed stand-ins."""
    return bool(environ.get("fake_random", default=False))


def _uniform_sum(b: Backend, key: Any, shape: Shape, dtype: np.dtype, terms: int) -> Any:
    """``u_1 + ... + u_terms`` of independent unit uniforms, added in that order: only
    additions, so every backend gets the same bits."""
    total = unit_uniform(b, key, shape, dtype, block=0)
    for block in range(1, terms):
        total = b.materialize(total + unit_uniform(b, key, shape, dtype, block=block))
    return total


def _fake_standard_normal(b: Backend, key: Any, shape: Shape, dtype: np.dtype) -> Any:
    """Irwin-Hall: the sum of 12 unit uniforms minus 6 has mean 0 and variance 1."""
    return b.materialize(_uniform_sum(b, key, shape, dtype, 12) - 6.0)


def normal(b: Backend, key: Any, loc: Any, scale: Any, size: Shape | None, dtype: Any) -> Any:
    dtype = float_dtype(dtype)
    _check_range(b, "scale", scale, 0.0)
    shape = _shape_of(size, loc, scale)
    xp = b.numpy
    if fake_random():
        z = _fake_standard_normal(b, key, shape, dtype)
        return (xp.asarray(loc, dtype=dtype) + b.materialize(xp.asarray(scale, dtype=dtype) * z)
                ).astype(dtype)
    k1, k2 = split(b, key, 2)
    u1 = 1.0 - unit_uniform(b, k1, shape, dtype)  # in (0, 1]: log is finite
    u2 = unit_uniform(b, k2, shape, dtype)
    radius = xp.sqrt(-2.0 * xp.log(u1))
    z = b.materialize(radius * xp.cos(b.materialize(2.0 * np.pi * u2)))
    if isinstance(loc, numbers.Number) and isinstance(scale, numbers.Number) \
            and loc == 0 and scale == 1:
        return z.astype(dtype)
    return (xp.asarray(loc, dtype=dtype) + b.materialize(xp.asarray(scale, dtype=dtype) * z)
            ).astype(dtype)


def exponential(b: Backend, key: Any, scale: Any, size: Shape | None, dtype: Any) -> Any:
    dtype = float_dtype(dtype)
    _check_range(b, "scale", scale, 0.0)
    shape = _shape_of(size, scale)
    xp = b.numpy
    if fake_random():  # u_1 + u_2 has the mean 1 of the unit exponential
        return (_uniform_sum(b, key, shape, dtype, 2) * xp.asarray(scale, dtype=dtype)
                ).astype(dtype)
    # 1 - u is exact on the grid unit_uniform draws from, and XLA's float64 log1p is up
    # to ~128 ULP away from libm's where log stays within 1 ULP, so use log(1 - u).
    u = unit_uniform(b, key, shape, dtype)
    return (-xp.log(1.0 - u) * xp.asarray(scale, dtype=dtype)).astype(dtype)


def randint(b: Backend, key: Any, low: Any, high: Any, size: Shape | None, dtype: Any) -> Any:
    dtype = int_dtype(dtype)
    if high is None:
        low, high = 0, low
    lo_c, hi_c = _concrete(b, low), _concrete(b, high)
    if lo_c is not None and hi_c is not None and lo_c.size and hi_c.size \
            and np.any(np.asarray(hi_c) <= np.asarray(lo_c)):
        raise ValueError(f"randint needs low < high, got low={low!r}, high={high!r}")
    shape = _shape_of(size, low, high)
    xp = b.numpy
    wide = dtype.itemsize == 8
    unsigned = np.dtype(np.uint64 if wide else np.uint32)
    low_ = xp.asarray(low, dtype=dtype)
    span = (xp.asarray(high, dtype=dtype) - low_).astype(unsigned)
    offset = bits(b, key, shape, 64 if wide else 32) % span
    return (low_ + offset.astype(dtype)).astype(dtype)


def bernoulli(b: Backend, key: Any, p: Any, size: Shape | None) -> Any:
    _check_range(b, "p", p, 0.0, 1.0)
    shape = _shape_of(size, p)
    dtype = environ.dftype()
    return unit_uniform(b, key, shape, dtype) < b.numpy.asarray(p, dtype=dtype)


def _poisson_inversion(b: Backend, key: Any, lam: Any, first_pmf: Any, shape: Shape,
                       dtype: np.dtype, fdtype: np.dtype) -> Any:
    """Smallest k with CDF(k) > u, the pmf built up as p(k) = p(k-1) * lam / k."""
    xp = b.numpy
    u = unit_uniform(b, key, shape, fdtype)

    def more(loop: tuple) -> Any:
        return xp.any(loop[3])

    def body(loop: tuple) -> tuple:
        k, pmf, cdf, active = loop
        k = xp.where(active, k + 1, k)
        pmf = xp.where(active, b.materialize(pmf * lam / xp.maximum(k, 1).astype(fdtype)), pmf)
        grown = b.materialize(cdf + pmf)
        # stop where the cdf no longer grows in this precision: the tail beyond is
        # below rounding, and going on would only count up to where pmf underflows
        still = active & (grown > cdf) & (u >= grown)
        return k, pmf, xp.where(active, grown, cdf), still

    init = (xp.zeros(shape, dtype=dtype), first_pmf, first_pmf, u >= first_pmf)
    return b.while_loop(more, body, init)[0]


# log(k!) minus Stirling's (k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2, for k < 10
_STIRLING_TAIL_SMALL = np.array([
    math.lgamma(k + 1) - ((k + 0.5) * math.log(k + 1) - (k + 1) + 0.5 * math.log(2 * math.pi))
    for k in range(10)])


def stirling_tail(xp: Any, k: Any) -> Any:
    """``log(k!)`` minus its Stirling approximation (floats ``k >= 0``): tabulated below
    10, the series ``1/12n - 1/360n^3 + 1/1260n^5`` (``n = k + 1``, error below 1e-10)
    above. Log-densities written with it keep their large terms from cancelling."""
    n = k + 1.0
    n2 = n * n
    series = (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * n2)) / n2) / n
    table = xp.asarray(_STIRLING_TAIL_SMALL, dtype=k.dtype)[xp.clip(k, 0, 9).astype(np.int32)]
    return xp.where(k < 10, table, series)


_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _poisson_ptrs(b: Backend, key: Any, lam: Any, shape: Shape, dtype: np.dtype,
                  fdtype: np.dtype) -> Any:
    """Hörmann's transformed rejection with squeeze (PTRS), for lam >= 10."""
    xp = b.numpy
    lam = xp.maximum(lam, 10.0)
    slam = xp.sqrt(lam)
    bb = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * bb
    log_inv_alpha = xp.log(1.1239 + 1.1328 / (bb - 3.4))
    vr = 0.9277 - 3.6224 / (bb - 2.0)
    far_out = lam + 40.0 * slam + 100.0

    def more(loop: tuple) -> Any:
        return xp.any(loop[2])

    def body(loop: tuple) -> tuple:
        i, k, active = loop
        u = unit_uniform(b, key, shape, fdtype, block=2 * i + 1) - 0.5
        v = unit_uniform(b, key, shape, fdtype, block=2 * i + 2)
        us = 0.5 - xp.abs(u)
        degenerate = us <= 0.0  # u == 0 exactly: reject, and keep the arithmetic finite
        us = xp.where(degenerate, 0.25, us)
        proposal = xp.floor((2.0 * a / us + bb) * u + lam + 0.43)
        quick = (us >= 0.07) & (v <= vr)
        lhs = xp.log(xp.where(v > 0, v, 1.0)) + log_inv_alpha - xp.log(a / (us * us) + bb)
        # log(lam^k e^-lam / k!) through Stirling: no large terms cancel in float32;
        # proposals beyond `far` have a log-density below -800: rejected outright
        far = proposal > far_out
        k_ = xp.where(far, lam, xp.maximum(proposal, 0.0))
        rhs = ((k_ + 1.0 - lam) + k_ * xp.log1p((lam - k_ - 1.0) / (k_ + 1.0))
               - 0.5 * xp.log1p(k_) - _HALF_LOG_2PI - stirling_tail(xp, k_))
        rejected = degenerate | far | (proposal < 0) | ((us < 0.013) & (v > us))
        accept = active & (quick | (~rejected & (lhs <= rhs)))
        return i + 1, xp.where(accept, proposal.astype(dtype), k), active & ~accept

    init = (xp.asarray(0, dtype=np.uint32), xp.zeros(shape, dtype=dtype),
            xp.ones(shape, dtype=bool))
    return b.while_loop(more, body, init)[1]


def poisson_plan(b: Backend, lam: Any, shape: Shape, fdtype: np.dtype) -> tuple:
    """What :func:`poisson_core` needs from the host: ``exp(-lam)`` for the inversion
    (``None`` when ``lam`` is traced) and which of the two methods some element needs."""
    lam_host = _concrete(b, lam)
    if lam_host is None:
        return None, True, True
    need_small, need_big = bool(np.any(lam_host < 10)), bool(np.any(lam_host >= 10))
    first_pmf = None
    if need_small:
        host_lam = np.where(lam_host < 10, lam_host, 0).astype(fdtype)
        first_pmf = np.broadcast_to(np.exp(-host_lam), shape)
    return first_pmf, need_small, need_big


def poisson_core(b: Backend, key: Any, lam: Any, first_pmf: Any, shape: Shape, dtype: np.dtype,
                 fdtype: np.dtype, need_small: bool, need_big: bool) -> Any:
    """Inversion below ``lam = 10``, Hörmann's PTRS from 10 up; ``first_pmf`` is
    ``exp(-lam)`` computed on the host, or None to compute it here."""
    xp = b.numpy
    if fake_random():  # the normal approximation, rounded; sqrt is correctly rounded
        lam_ = xp.asarray(lam, dtype=fdtype)
        z = _fake_standard_normal(b, key, shape, fdtype)
        value = b.materialize(lam_ + b.materialize(xp.sqrt(lam_) * z))
        return xp.maximum(xp.floor(value + 0.5), 0.0).astype(dtype)
    lam_ = xp.asarray(lam, dtype=fdtype)
    if need_small:
        # lanes with lam >= 10 get lam 0 here (pmf(0) = 1: no iterations); PTRS does them
        small_lam = lam_ if not need_big else xp.where(lam_ < 10.0, lam_, 0.0)
        if first_pmf is not None:
            first_pmf = xp.asarray(first_pmf, dtype=fdtype)
        else:
            first_pmf = xp.broadcast_to(xp.exp(-small_lam), shape)
        small = _poisson_inversion(b, key, small_lam, first_pmf, shape, dtype, fdtype)
        if not need_big:
            return small
    big = _poisson_ptrs(b, key, xp.broadcast_to(lam_, shape), shape, dtype, fdtype)
    if not need_small:
        return big
    return xp.where(lam_ >= 10.0, big, small)


def poisson(b: Backend, key: Any, lam: Any, size: Shape | None, dtype: Any) -> Any:
    """Inversion below ``lam = 10``, Hörmann's PTRS from 10 up.

    Where ``lam`` is known on the host, ``exp(-lam)`` is computed there, and only
    the method(s) needed are run.
    """
    _check_range(b, "lam", lam, 0.0)
    dtype = int_dtype(dtype)
    fdtype = environ.dftype()
    shape = _shape_of(size, lam)
    first_pmf, need_small, need_big = poisson_plan(b, lam, shape, fdtype)
    return poisson_core(b, key, lam, first_pmf, shape, dtype, fdtype, need_small, need_big)


def permutation_order(b: Backend, key: Any, n: int) -> Any:
    """A random ordering of ``0 .. n-1``: a stable argsort of random bits."""
    return b.numpy.argsort(bits(b, key, (n,)), stable=True)


def choice(b: Backend, key: Any, a: Any, size: Shape | None, replace: bool, p: Any) -> Any:
    xp = b.numpy
    if isinstance(a, (int, np.integer)) and not isinstance(a, bool):
        if a <= 0:
            raise ValueError(f"a must be a positive int or a non-empty array, got {a!r}")
        n, population = int(a), None
    else:
        population = xp.asarray(a)
        if population.ndim == 0 or population.shape[0] == 0:
            raise ValueError(f"a must be a positive int or a non-empty array, got shape "
                             f"{population.shape}")
        n = int(population.shape[0])
    shape = size if size is not None else ()
    count = math.prod(shape)
    if p is not None:
        p_ = xp.asarray(p, dtype=environ.dftype())
        if p_.shape != (n,):
            raise ValueError(f"p must have shape ({n},) to match a, got {p_.shape}")
        _check_range(b, "p", p_, 0.0, 1.0)
    if not replace and count > n:
        raise ValueError(f"cannot take {count} samples without replacement from {n} items")
    if p is None and replace:
        index = randint(b, key, 0, n, shape, None)
    elif p is None:
        index = permutation_order(b, key, n)[:count].reshape(shape)
    elif replace:
        cdf = xp.cumsum(p_)
        u = unit_uniform(b, key, shape, environ.dftype()) * cdf[-1]
        index = xp.minimum(xp.searchsorted(cdf, u, side="right"), n - 1)
    else:  # Gumbel top-k: the largest log(p) + Gumbel noise
        u = 1.0 - unit_uniform(b, key, (n,), environ.dftype())
        noisy = xp.log(p_) - xp.log(-xp.log(u))
        index = xp.argsort(-noisy, stable=True)[:count].reshape(shape)
    return index if population is None else population[index]
