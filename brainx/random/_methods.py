"""RandomState's continuous distributions beyond uniform, normal and exponential.

brainstate 0.1's names, argument order and defaults (``params..., size, key,
dtype``); each distribution is NumPy's (where brainstate 0.1's result differs from
its own NumPy-derived documentation, brainx follows the documentation: see the
random page of the docs). Parameters known on the host are checked before the
key advances; ``key=`` takes a key array or an int seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import get_backend
from brainx.random import _continuous as cont
from brainx.random import _distributions as dist
from brainx.random import _gamma
from brainx.random._compiled import run

Size = int | Sequence[int] | None


def _nonneg(backend: Any, fn: str, /, **params: Any) -> None:
    for name, value in params.items():
        if value is not None:
            dist.check_param(backend, fn, name, value, at_least=0.0)


def _positive(backend: Any, fn: str, /, **params: Any) -> None:
    for name, value in params.items():
        if value is not None:
            dist.check_param(backend, fn, name, value, above=0.0)


class ContinuousDraws:
    """Mixin of :class:`~brainx.random.RandomState`: continuous distributions."""

    __slots__ = ()

    def _key(self, key: Any) -> tuple[Any, Any]:  # pragma: no cover - RandomState's
        raise NotImplementedError

    def _setup(self, fn: str, size: Size, dtype: Any, *params: Any) -> tuple:
        dtype = dist.float_dtype(dtype)
        shape = dist.out_shape(fn, dist.check_size(size), *params)
        return get_backend(), shape, dtype

    # ---- aliases and standard forms -------------------------------------
    def random_sample(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Floats uniform in ``[0, 1)`` (NumPy's name; the same as :meth:`random`)."""
        return self.random(size, key=key, dtype=dtype)

    def ranf(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Floats uniform in ``[0, 1)`` (the same as :meth:`random`)."""
        return self.random(size, key=key, dtype=dtype)

    def sample(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Floats uniform in ``[0, 1)`` (the same as :meth:`random`)."""
        return self.random(size, key=key, dtype=dtype)

    def standard_normal(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Standard normal floats.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     brainx.random.standard_normal((2, 2), key=0).shape
        (2, 2)
        """
        return self.normal(0.0, 1.0, size, key=key, dtype=dtype)

    def standard_exponential(self, size: Size = None, key: Any = None,
                             dtype: Any = None) -> Any:
        """Exponential floats with mean 1."""
        return self.exponential(1.0, size, key=key, dtype=dtype)

    def standard_cauchy(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Standard Cauchy floats (``x / y`` of a point uniform in the unit disc: the same
        bits on every backend).

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.standard_cauchy(20000, key=0)
        >>> round(float(np.median(x)), 1) == 0.0
        True
        """
        b, shape, dtype = self._setup("standard_cauchy", size, dtype)
        _, k = self._key(key)
        return run(b, cont.standard_cauchy, k, shape=shape, dtype=dtype)

    # ---- the gamma family ------------------------------------------------
    def standard_gamma(self, shape: Any, size: Size = None, key: Any = None,
                       dtype: Any = None) -> Any:
        """Gamma floats with shape ``shape`` and scale 1 (Marsaglia and Tsang).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.standard_gamma(3.0, 20000, key=0)
        >>> round(float(x.mean()), 1)
        3.0
        """
        b, out, dtype = self._setup("standard_gamma", size, dtype, shape)
        _nonneg(b, "standard_gamma", shape=shape)
        _, k = self._key(key)
        return run(b, _gamma.standard_gamma, k, shape, shape=out, dtype=dtype)

    def gamma(self, shape: Any, scale: Any = None, size: Size = None, key: Any = None,
              dtype: Any = None) -> Any:
        """Gamma floats with shape ``shape`` and scale ``scale`` (mean ``shape * scale``).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.gamma(2.0, 1.5, 20000, key=0)
        >>> round(float(x.mean()), 1)
        3.0
        """
        b, out, dtype = self._setup("gamma", size, dtype, shape,
                                    *(() if scale is None else (scale,)))
        _nonneg(b, "gamma", shape=shape, scale=scale)
        _, k = self._key(key)
        return run(b, _gamma.gamma, k, shape, scale, shape=out, dtype=dtype)

    def loggamma(self, a: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """``log(G)`` of ``G ~ Gamma(a)``, accurate where ``G`` itself would underflow."""
        b, out, dtype = self._setup("loggamma", size, dtype, a)
        _positive(b, "loggamma", a=a)
        _, k = self._key(key)
        return run(b, _gamma.loggamma, k, a, shape=out, dtype=dtype)

    def beta(self, a: Any, b: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Beta floats in ``[0, 1]`` with shapes ``a`` and ``b``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.beta(2.0, 6.0, 20000, key=0)
        >>> round(float(x.mean()), 2)
        0.25
        """
        backend, out, dtype = self._setup("beta", size, dtype, a, b)
        _positive(backend, "beta", a=a, b=b)
        _, k = self._key(key)
        return run(backend, _gamma.beta, k, a, b, shape=out, dtype=dtype)

    def chisquare(self, df: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Chi-square floats with ``df`` (> 0, not necessarily integer) degrees of freedom."""
        b, out, dtype = self._setup("chisquare", size, dtype, df)
        _positive(b, "chisquare", df=df)
        _, k = self._key(key)
        return run(b, _gamma.chisquare, k, df, shape=out, dtype=dtype)

    def noncentral_chisquare(self, df: Any, nonc: Any, size: Size = None, key: Any = None,
                             dtype: Any = None) -> Any:
        """Non-central chi-square floats (``df > 0``, non-centrality ``nonc >= 0``)."""
        b, out, dtype = self._setup("noncentral_chisquare", size, dtype, df, nonc)
        _positive(b, "noncentral_chisquare", df=df)
        _nonneg(b, "noncentral_chisquare", nonc=nonc)
        _, k = self._key(key)
        return run(b, _gamma.noncentral_chisquare, k, df, nonc, shape=out, dtype=dtype)

    def standard_t(self, df: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Student's t floats with ``df`` (> 0) degrees of freedom."""
        b, out, dtype = self._setup("standard_t", size, dtype, df)
        _positive(b, "standard_t", df=df)
        _, k = self._key(key)
        return run(b, _gamma.standard_t, k, df, shape=out, dtype=dtype)

    def t(self, df: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Student's t floats (the same as :meth:`standard_t`).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     brainx.random.t(5.0, (3,), key=0).shape
        (3,)
        """
        return self.standard_t(df, size, key=key, dtype=dtype)

    def f(self, dfnum: Any, dfden: Any, size: Size = None, key: Any = None,
          dtype: Any = None) -> Any:
        """F (Fisher-Snedecor) floats with ``dfnum`` and ``dfden`` (> 0) degrees of freedom."""
        b, out, dtype = self._setup("f", size, dtype, dfnum, dfden)
        _positive(b, "f", dfnum=dfnum, dfden=dfden)
        _, k = self._key(key)
        return run(b, _gamma.f, k, dfnum, dfden, shape=out, dtype=dtype)

    def noncentral_f(self, dfnum: Any, dfden: Any, nonc: Any, size: Size = None,
                     key: Any = None, dtype: Any = None) -> Any:
        """Non-central F floats (``dfnum, dfden > 0``, ``nonc >= 0``)."""
        b, out, dtype = self._setup("noncentral_f", size, dtype, dfnum, dfden, nonc)
        _positive(b, "noncentral_f", dfnum=dfnum, dfden=dfden)
        _nonneg(b, "noncentral_f", nonc=nonc)
        _, k = self._key(key)
        return run(b, _gamma.noncentral_f, k, dfnum, dfden, nonc, shape=out, dtype=dtype)

    # ---- location-scale families ----------------------------------------
    def _location_scale(self, fn: str, draw: Any, loc: Any, scale: Any, size: Size, key: Any,
                        dtype: Any) -> Any:
        params = [p for p in (loc, scale) if p is not None]
        b, out, dtype = self._setup(fn, size, dtype, *params)
        _nonneg(b, fn, scale=scale)
        _, k = self._key(key)
        return draw(b, k, loc, scale, out, dtype)

    def laplace(self, loc: Any = None, scale: Any = None, size: Size = None, key: Any = None,
                dtype: Any = None) -> Any:
        """Laplace (double exponential) floats; ``loc`` 0 and ``scale`` 1 when None.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.laplace(1.0, 2.0, 20000, key=0)
        >>> round(float(abs(x - 1.0).mean()), 1)
        2.0
        """
        return self._location_scale("laplace", cont.laplace, loc, scale, size, key, dtype)

    def logistic(self, loc: Any = None, scale: Any = None, size: Size = None, key: Any = None,
                 dtype: Any = None) -> Any:
        """Logistic floats; ``loc`` 0 and ``scale`` 1 when None."""
        return self._location_scale("logistic", cont.logistic, loc, scale, size, key, dtype)

    def gumbel(self, loc: Any = None, scale: Any = None, size: Size = None, key: Any = None,
               dtype: Any = None) -> Any:
        """Gumbel (extreme value type I) floats; ``loc`` 0 and ``scale`` 1 when None."""
        return self._location_scale("gumbel", cont.gumbel, loc, scale, size, key, dtype)

    def lognormal(self, mean: Any = None, sigma: Any = None, size: Size = None, key: Any = None,
                  dtype: Any = None) -> Any:
        """``exp(N(mean, sigma^2))``; ``mean`` 0 and ``sigma`` 1 when None.

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.lognormal(0.0, 0.5, 20000, key=0)
        >>> round(float(np.median(x)), 1)
        1.0
        """
        params = [p for p in (mean, sigma) if p is not None]
        b, out, dtype = self._setup("lognormal", size, dtype, *params)
        _nonneg(b, "lognormal", sigma=sigma)
        _, k = self._key(key)
        return run(b, cont.lognormal, k, mean, sigma, shape=out, dtype=dtype)

    def rayleigh(self, scale: Any = 1.0, size: Size = None, key: Any = None,
                 dtype: Any = None) -> Any:
        """Rayleigh floats with mode ``scale``."""
        b, out, dtype = self._setup("rayleigh", size, dtype, scale)
        _nonneg(b, "rayleigh", scale=scale)
        _, k = self._key(key)
        return run(b, cont.rayleigh, k, scale, shape=out, dtype=dtype)

    def maxwell(self, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Maxwell-Boltzmann floats: the length of a vector of three standard normals."""
        b, out, dtype = self._setup("maxwell", size, dtype)
        _, k = self._key(key)
        return run(b, cont.maxwell, k, None, shape=out, dtype=dtype)

    # ---- shape families --------------------------------------------------
    def weibull(self, a: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Weibull floats with shape ``a`` and scale 1 (``a == 0`` gives 0, as NumPy)."""
        b, out, dtype = self._setup("weibull", size, dtype, a)
        _nonneg(b, "weibull", a=a)
        _, k = self._key(key)
        return run(b, cont.weibull, k, a, shape=out, dtype=dtype)

    def weibull_min(self, a: Any, scale: Any = None, size: Size = None, key: Any = None,
                    dtype: Any = None) -> Any:
        """Weibull floats with shape ``a`` and scale ``scale`` (scipy's ``weibull_min``)."""
        params = [p for p in (a, scale) if p is not None]
        b, out, dtype = self._setup("weibull_min", size, dtype, *params)
        _positive(b, "weibull_min", a=a, scale=scale)
        _, k = self._key(key)
        x = run(b, cont.weibull, k, a, shape=out, dtype=dtype)
        return x if scale is None else (x * b.numpy.asarray(scale, dtype=dtype)).astype(dtype)

    def pareto(self, a: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """NumPy's Pareto II (Lomax) floats with shape ``a`` > 0: support ``[0, inf)``; add 1
        for the classical Pareto distribution with minimum 1.

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.pareto(3.0, 20000, key=0)
        >>> round(float(np.median(x)), 2)   # 2 ** (1 / 3) - 1
        0.26
        """
        b, out, dtype = self._setup("pareto", size, dtype, a)
        _positive(b, "pareto", a=a)
        _, k = self._key(key)
        return run(b, cont.pareto, k, a, shape=out, dtype=dtype)

    def power(self, a: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Floats in ``[0, 1]`` with density ``a x^(a - 1)``, ``a > 0``."""
        b, out, dtype = self._setup("power", size, dtype, a)
        _positive(b, "power", a=a)
        _, k = self._key(key)
        return run(b, cont.power, k, a, shape=out, dtype=dtype)

    def triangular(self, left: Any, mode: Any, right: Any, size: Size = None, key: Any = None,
                   dtype: Any = None) -> Any:
        """Triangular floats on ``[left, right]`` peaking at ``mode`` (NumPy's; arithmetic
        and ``sqrt`` only, so the same bits on every backend).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.triangular(0.0, 1.0, 4.0, 20000, key=0)
        >>> round(float(x.mean()), 1)   # (0 + 1 + 4) / 3
        1.7
        """
        b, out, dtype = self._setup("triangular", size, dtype, left, mode, right)
        lo, md, hi = (dist._concrete(b, v) for v in (left, mode, right))
        if lo is not None and md is not None and hi is not None and (
                lo.size and md.size and hi.size):
            if np.any(lo > md) or np.any(md > hi) or np.any(lo >= hi):
                raise ValueError(f"triangular: needs left <= mode <= right and left < right, "
                                 f"got left={left!r}, mode={mode!r}, right={right!r}")
        _, k = self._key(key)
        return run(b, cont.triangular, k, left, mode, right, shape=out, dtype=dtype)

    def wald(self, mean: Any, scale: Any, size: Size = None, key: Any = None,
             dtype: Any = None) -> Any:
        """Wald (inverse Gaussian) floats with mean ``mean`` and shape ``scale`` (both > 0)."""
        b, out, dtype = self._setup("wald", size, dtype, mean, scale)
        _positive(b, "wald", mean=mean, scale=scale)
        _, k = self._key(key)
        return run(b, cont.wald, k, mean, scale, shape=out, dtype=dtype)

    def vonmises(self, mu: Any, kappa: Any, size: Size = None, key: Any = None,
                 dtype: Any = None) -> Any:
        """Von Mises angles in ``[-pi, pi)`` with mode ``mu`` and concentration ``kappa >= 0``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.vonmises(1.0, 50.0, 20000, key=0)
        >>> round(float(x.mean()), 1)
        1.0
        """
        b, out, dtype = self._setup("vonmises", size, dtype, mu, kappa)
        _nonneg(b, "vonmises", kappa=kappa)
        _, k = self._key(key)
        return run(b, cont.vonmises, k, mu, kappa, shape=out, dtype=dtype)

    def truncated_normal(self, lower: Any, upper: Any, size: Size = None, loc: Any = 0.0,
                         scale: Any = 1.0, key: Any = None, dtype: Any = None,
                         check_valid: bool = True) -> Any:
        """Normal floats with mean ``loc`` and standard deviation ``scale`` truncated to
        ``[lower, upper]`` (bounds may be infinite; exact far into the tails).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.truncated_normal(-1.0, 2.0, 1000, key=0)
        >>> bool(((x >= -1) & (x <= 2)).all())
        True
        """
        b, out, dtype = self._setup("truncated_normal", size, dtype, lower, upper, loc, scale)
        if check_valid:
            _positive(b, "truncated_normal", scale=scale)
            lo, hi = dist._concrete(b, lower), dist._concrete(b, upper)
            if lo is not None and hi is not None and lo.size and hi.size:
                if np.any(~(np.asarray(lo) < np.asarray(hi))):
                    raise ValueError(f"truncated_normal: needs lower < upper, got "
                                     f"lower={lower!r}, upper={upper!r}")
        _, k = self._key(key)
        return run(b, cont.truncated_normal, k, lower, upper, loc, scale, shape=out,
                   dtype=dtype)

    # ---- like another array (PyTorch's names) -----------------------------
    def rand_like(self, input: Any, *, dtype: Any = None, key: Any = None) -> Any:
        """Uniform floats in ``[0, 1)`` of ``input``'s shape (and float dtype, unless given)."""
        return self.random(_shape(input), key=key, dtype=dtype or _float_of(input))

    def randn_like(self, input: Any, *, dtype: Any = None, key: Any = None) -> Any:
        """Standard normal floats of ``input``'s shape (and float dtype, unless given)."""
        return self.normal(0.0, 1.0, _shape(input), key=key, dtype=dtype or _float_of(input))


def _shape(x: Any) -> tuple[int, ...]:
    return tuple(np.shape(x))


def _float_of(x: Any) -> Any:
    """``x``'s dtype where it is a float dtype draws can have at this precision."""
    dtype = getattr(x, "dtype", None)
    if dtype is None or np.dtype(dtype).kind != "f":
        return None
    dtype = np.dtype(dtype)
    if dtype.itemsize == 4 or (dtype.itemsize == 8 and environ.get_precision() == 64):
        return dtype
    return None
