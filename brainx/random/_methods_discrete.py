"""RandomState's discrete and multivariate distributions (brainstate 0.1's names and
argument order, NumPy's distributions; see :mod:`brainx.random._methods`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import get_backend
from brainx.random import _discrete as disc
from brainx.random import _distributions as dist
from brainx.random import _multivariate as multi
from brainx.random._compiled import run

Size = int | Sequence[int] | None

_FACTORS = ("cholesky", "svd", "eigh")


def _host_max(b: Any, x: Any) -> int | None:
    value = dist._concrete(b, x)
    return None if value is None or value.size == 0 else int(np.max(value))


class DiscreteDraws:
    """Mixin of :class:`~brainx.random.RandomState`: discrete and multivariate draws."""

    __slots__ = ()

    def _key(self, key: Any) -> tuple[Any, Any]:  # pragma: no cover - RandomState's
        raise NotImplementedError

    def _counts(self, fn: str, size: Size, dtype: Any, *params: Any) -> tuple:
        dtype = dist.int_dtype(dtype)
        shape = dist.out_shape(fn, dist.check_size(size), *params)
        return get_backend(), shape, dtype, environ.dftype()

    def random_integers(self, low: Any, high: Any = None, size: Size = None, key: Any = None,
                        dtype: Any = None) -> Any:
        """Integers uniform in ``[low, high]``, both ends included (``[1, low]`` when
        ``high`` is None).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.random_integers(6, size=1000, key=0)
        >>> sorted(set(x.tolist()))
        [1, 2, 3, 4, 5, 6]
        """
        if high is None:
            low, high = 1, low
        high = np.asarray(high) + 1 if not get_backend().is_tracer(high) else high + 1
        return self.randint(low, high, size, dtype=dtype, key=key)

    def randint_like(self, input: Any, low: Any = 0, high: Any = None, *, dtype: Any = None,
                     key: Any = None) -> Any:
        """Integers uniform in ``[low, high)`` of ``input``'s shape; ``high`` defaults to
        the largest element of ``input`` (as brainstate)."""
        if high is None:
            high = _host_max(get_backend(), input)
            if high is None:
                raise ValueError("randint_like: give high= when input is traced or empty")
        if dtype is None and np.dtype(getattr(input, "dtype", np.float32)).kind in "iu":
            dtype = input.dtype
        return self.randint(low, high, tuple(np.shape(input)), dtype=dtype, key=key)

    def binomial(self, n: Any, p: Any, size: Size = None, key: Any = None, dtype: Any = None,
                 check_valid: bool = True) -> Any:
        """Successes in ``n`` trials of probability ``p`` (inversion for ``n min(p, 1-p) <
        10``, Hörmann's BTRS above).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.binomial(40, 0.25, 20000, key=0)
        >>> round(float(x.mean()))
        10
        """
        b, shape, dtype, fdtype = self._counts("binomial", size, dtype, n, p)
        if check_valid:
            dist.check_param(b, "binomial", "n", n, at_least=0.0, integer=True)
            dist.check_param(b, "binomial", "p", p, at_least=0.0, at_most=1.0)
        _, k = self._key(key)
        need_small, need_big, bits = disc.binomial_plan(b, n, p)
        return run(b, disc.binomial, k, n, p, shape=shape, dtype=dtype, fdtype=fdtype,
                   need_small=need_small, need_big=need_big, bits=bits)

    def geometric(self, p: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Trials up to and including the first success (1, 2, ...), success probability
        ``p`` in ``(0, 1]`` (NumPy's definition).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.geometric(0.25, 20000, key=0)
        >>> int(x.min()), round(float(x.mean()))
        (1, 4)
        """
        b, shape, dtype, fdtype = self._counts("geometric", size, dtype, p)
        dist.check_param(b, "geometric", "p", p, above=0.0, at_most=1.0)
        _, k = self._key(key)
        return run(b, disc.geometric, k, p, shape=shape, dtype=dtype, fdtype=fdtype)

    def negative_binomial(self, n: Any, p: Any, size: Size = None, key: Any = None,
                          dtype: Any = None) -> Any:
        """Failures before the ``n``-th success (``n > 0``, ``p`` in ``(0, 1]``)."""
        b, shape, dtype, fdtype = self._counts("negative_binomial", size, dtype, n, p)
        dist.check_param(b, "negative_binomial", "n", n, above=0.0)
        dist.check_param(b, "negative_binomial", "p", p, above=0.0, at_most=1.0)
        _, k = self._key(key)
        return run(b, disc.negative_binomial, k, n, p, shape=shape, dtype=dtype,
                   fdtype=fdtype)

    def hypergeometric(self, ngood: Any, nbad: Any, nsample: Any, size: Size = None,
                       key: Any = None, dtype: Any = None) -> Any:
        """Good items among ``nsample`` drawn without replacement from ``ngood`` good and
        ``nbad`` bad ones: drawn one by one with integer arithmetic (the same draws on every
        backend) where ``min(nsample, ngood + nbad - nsample) < 100``, else by Stadlober's
        ratio-of-uniforms method (HRUA, as NumPy).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.hypergeometric(30, 70, 10, 20000, key=0)
        >>> round(float(x.mean()))
        3
        """
        b, shape, dtype, fdtype = self._counts("hypergeometric", size, dtype, ngood, nbad,
                                               nsample)
        for name, value in (("ngood", ngood), ("nbad", nbad), ("nsample", nsample)):
            dist.check_param(b, "hypergeometric", name, value, at_least=0.0, integer=True)
        good, bad, drawn = (dist._concrete(b, v) for v in (ngood, nbad, nsample))
        if good is not None and bad is not None and drawn is not None and np.any(
                np.asarray(drawn) > np.asarray(good) + np.asarray(bad)):
            raise ValueError(f"hypergeometric: nsample must be <= ngood + nbad, got "
                             f"ngood={ngood!r}, nbad={nbad!r}, nsample={nsample!r}")
        _, k = self._key(key)
        need_sequential, need_hrua = disc.hypergeometric_plan(b, ngood, nbad, nsample)
        return run(b, disc.hypergeometric, k, ngood, nbad, nsample, shape=shape, dtype=dtype,
                   fdtype=fdtype, need_sequential=need_sequential, need_hrua=need_hrua)

    def multinomial(self, n: Any, pvals: Any, size: Size = None, key: Any = None,
                    dtype: Any = None) -> Any:
        """Counts of ``n`` trials over the categories of ``pvals`` (last axis; the last
        probability is whatever the others leave). The result has shape
        ``size + (k,)``, ``size`` defaulting to the broadcast of ``n`` and ``pvals[..., 0]``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.multinomial(10, [0.2, 0.3, 0.5], size=4, key=0)
        >>> x.shape, x.sum(axis=-1).tolist()
        ((4, 3), [10, 10, 10, 10])
        """
        b = get_backend()
        pv = pvals if hasattr(pvals, "shape") else np.asarray(pvals, dtype=np.float64)
        if len(np.shape(pv)) == 0:
            raise ValueError("multinomial: pvals must have at least one axis (the categories)")
        batch = np.empty(tuple(np.shape(pv))[:-1], dtype=np.int8)
        b, shape, dtype, fdtype = self._counts("multinomial", size, dtype, n, batch)
        dist.check_param(b, "multinomial", "n", n, at_least=0.0, integer=True)
        dist.check_param(b, "multinomial", "pvals", pv, at_least=0.0, at_most=1.0)
        host = dist._concrete(b, pv)
        if host is not None and np.any(np.sum(host[..., :-1], axis=-1) > 1.0 + 1e-6):
            raise ValueError(f"multinomial: sum(pvals[..., :-1]) must be <= 1, got "
                             f"{np.sum(host[..., :-1], axis=-1)}")
        _, k = self._key(key)
        return run(b, disc.multinomial, k, n, pv, shape=shape, dtype=dtype, fdtype=fdtype)

    def zipf(self, a: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Zipf counts 1, 2, ... with ``P(k)`` proportional to ``k^-a``, ``a > 1``."""
        b, shape, dtype, fdtype = self._counts("zipf", size, dtype, a)
        dist.check_param(b, "zipf", "a", a, above=1.0)
        _, k = self._key(key)
        return run(b, disc.zipf, k, a, shape=shape, dtype=dtype, fdtype=fdtype)

    def logseries(self, p: Any, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Logarithmic-series counts 1, 2, ... with parameter ``p`` in ``[0, 1)``."""
        b, shape, dtype, fdtype = self._counts("logseries", size, dtype, p)
        dist.check_param(b, "logseries", "p", p, at_least=0.0, below=1.0)
        _, k = self._key(key)
        return run(b, disc.logseries, k, p, shape=shape, dtype=dtype, fdtype=fdtype)

    def categorical(self, logits: Any, axis: int = -1, size: Size = None,
                    key: Any = None) -> Any:
        """Category indices drawn with probabilities ``softmax(logits)`` along ``axis``;
        ``size`` defaults to ``logits``' shape without ``axis``.

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.categorical(np.log([0.1, 0.9]), size=20000, key=0)
        >>> round(float(x.mean()), 1)
        0.9
        """
        b = get_backend()
        dims = tuple(np.shape(logits))
        if not dims:
            raise ValueError("categorical: logits must have at least one axis")
        if not isinstance(axis, (int, np.integer)) or not -len(dims) <= axis < len(dims):
            raise ValueError(f"categorical: axis must be an int in [{-len(dims)}, {len(dims)}), "
                             f"got {axis!r}")
        batch = np.empty(dims[:axis % len(dims)] + dims[axis % len(dims) + 1:], dtype=np.int8)
        b, shape, dtype, fdtype = self._counts("categorical", size, None, batch)
        _, k = self._key(key)
        return run(b, disc.categorical, k, logits, axis=int(axis), shape=shape, dtype=dtype,
                   fdtype=fdtype)

    def dirichlet(self, alpha: Any, size: Size = None, key: Any = None,
                  dtype: Any = None) -> Any:
        """Points of the simplex with concentrations ``alpha`` (last axis, all > 0); the
        result has shape ``size + (k,)``.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.dirichlet([1.0, 2.0, 3.0], 5, key=0)
        >>> x.shape, bool(abs(x.sum(-1) - 1).max() < 1e-6)
        ((5, 3), True)
        """
        b = get_backend()
        dtype = dist.float_dtype(dtype)
        alpha = alpha if hasattr(alpha, "shape") else np.asarray(alpha, dtype=np.float64)
        if len(np.shape(alpha)) == 0:
            raise ValueError("dirichlet: alpha must have at least one axis (the categories)")
        batch = np.empty(tuple(np.shape(alpha))[:-1], dtype=np.int8)
        shape = dist.out_shape("dirichlet", dist.check_size(size), batch)
        dist.check_param(b, "dirichlet", "alpha", alpha, above=0.0)
        _, k = self._key(key)
        return run(b, multi.dirichlet, k, alpha, shape=shape, dtype=dtype)

    def multivariate_normal(self, mean: Any, cov: Any, size: Size = None,
                            method: str = "cholesky", key: Any = None,
                            dtype: Any = None) -> Any:
        """Normal vectors with mean ``mean`` (last axis) and covariance ``cov`` (last two
        axes), through a ``'cholesky'``, ``'svd'`` or ``'eigh'`` factor of ``cov``; the
        result has shape ``size + (n,)``.

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     x = brainx.random.multivariate_normal([0.0, 0.0], [[1.0, 0.8], [0.8, 1.0]],
        ...                                           20000, key=0)
        >>> round(float(np.corrcoef(x.T)[0, 1]), 1)
        0.8
        """
        if method not in _FACTORS:
            raise ValueError(f"multivariate_normal: method must be one of {_FACTORS}, "
                             f"got {method!r}")
        b = get_backend()
        dtype = dist.float_dtype(dtype)
        mean_shape, cov_shape = tuple(np.shape(mean)), tuple(np.shape(cov))
        if len(mean_shape) < 1 or len(cov_shape) < 2:
            raise ValueError(f"multivariate_normal: mean needs >= 1 axis and cov >= 2, got "
                             f"shapes {mean_shape} and {cov_shape}")
        n = mean_shape[-1]
        if cov_shape[-2:] != (n, n):
            raise ValueError(f"multivariate_normal: cov must have shape (..., {n}, {n}) to "
                             f"match mean of shape {mean_shape}, got {cov_shape}")
        batch = [np.empty(mean_shape[:-1], np.int8), np.empty(cov_shape[:-2], np.int8)]
        shape = dist.out_shape("multivariate_normal", dist.check_size(size), *batch)
        host = dist._concrete(b, cov)
        if host is not None:
            _check_covariance(np.asarray(host, dtype=np.float64), method)
        _, k = self._key(key)
        return run(b, multi.multivariate_normal, k, mean, cov, method=method, shape=shape,
                   dtype=dtype)

    def orthogonal(self, n: int, size: Size = None, key: Any = None, dtype: Any = None) -> Any:
        """Random ``n x n`` orthogonal matrices, uniform (Haar) over the orthogonal group;
        the result has shape ``size + (n, n)``.

        Examples
        --------
        >>> import brainx, numpy as np
        >>> with brainx.use_backend('numba'):
        ...     q = brainx.random.orthogonal(4, key=0)
        >>> bool(np.allclose(q @ q.T, np.eye(4), atol=1e-5))
        True
        """
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
            raise ValueError(f"orthogonal: n must be a positive int, got {n!r}")
        b = get_backend()
        dtype = dist.float_dtype(dtype)
        shape = dist.check_size(size) or ()
        _, k = self._key(key)
        return run(b, multi.orthogonal, k, n=int(n), shape=shape, dtype=dtype)


def _check_covariance(cov: np.ndarray, method: str) -> None:
    scale = max(float(np.max(np.abs(cov))), 1e-300) if cov.size else 1.0
    if not np.allclose(cov, np.swapaxes(cov, -1, -2), rtol=1e-6, atol=1e-8 * scale):
        raise ValueError("multivariate_normal: cov must be symmetric")
    eigenvalues = np.linalg.eigvalsh(cov)
    if np.any(eigenvalues < -1e-6 * scale):
        raise ValueError(f"multivariate_normal: cov must be positive semi-definite, has "
                         f"eigenvalue {float(np.min(eigenvalues)):.3g}")
    if method == "cholesky" and np.any(eigenvalues <= 1e-12 * scale):
        raise ValueError("multivariate_normal: method='cholesky' needs a positive definite "
                         "cov; use method='eigh' or 'svd' for a singular one")
