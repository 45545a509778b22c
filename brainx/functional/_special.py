"""The error function, written once against ``brainx.math`` for every backend.

NumPy has no ``erf``, so neither does ``brainx.math``. Here, for ``a = |x|``:

- ``a < 5.9375``: Taylor's expansion around the nearest multiple ``c`` of 1/8 (so
  ``|a - c| <= 1/16``), from ``erf(c)``, ``erfc(c)`` and ``exp(-c^2)`` tabulated with
  Python's ``math`` module and the derivatives
  ``d^n/da^n erf(a) = (-1)^(n-1) 2/sqrt(pi) H_(n-1)(a) exp(-a^2)`` (Hermite polynomials);
- beyond: Laplace's continued fraction
  ``erfc(a) = exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...))))``, with
  ``exp(-a^2)`` split as ``exp(-h^2) exp(-(a - h)(a + h))`` (``h`` = ``a`` rounded down to
  1/16, ``exp(-h^2)`` tabulated) so the rounding of ``a^2`` does not spoil the tail.

Both are within a few units in the last place of the C library's ``erf``/``erfc`` in
float32 and float64. On a differentiating backend the derivative is the exact
``2/sqrt(pi) exp(-x^2)``, not the derivative of the expansion.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import environ
from brainx.backend import get_backend

__all__ = ["erf", "erfc", "as_float_array"]

_STEP = 8                      # table spacing 1/8
_LAST = 5.9375                 # the Taylor tables cover [0, _LAST]; the fraction beyond
_TAYLOR_TERMS = 20
_FRACTION_DEPTH = 30
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_ONE_OVER_SQRT_PI = 1.0 / math.sqrt(math.pi)
_CENTRES = [k / _STEP for k in range(6 * _STEP + 1)]    # 0, 1/8, ..., 6
_TABLES = {
    "erf": np.array([math.erf(c) for c in _CENTRES]),
    "erfc": np.array([math.erfc(c) for c in _CENTRES]),
    "slope": np.array([_TWO_OVER_SQRT_PI * math.exp(-c * c) for c in _CENTRES]),
    # exp(-h^2) for h = k/16 up to 40: a table, so no compiler can merge it with the
    # exp(-(a - h)(a + h)) it multiplies (XLA rewrites exp(u) * exp(v) as exp(u + v))
    "head_gauss": np.array([math.exp(-(k / 16) ** 2) for k in range(16 * 40 + 1)]),
}

_FUNCTIONS: dict[tuple[Any, str], Any] = {}


def as_float_array(x: Any) -> Any:
    """``x`` as an array of the active backend; integers and booleans become the
    default float dtype (``brainx.environ.dftype()``), floats keep their dtype."""
    x = bm.asarray(x)
    if not np.issubdtype(np.dtype(x.dtype), np.floating):
        x = x.astype(environ.dftype())
    return x


def _table(name: str, index: Any, dtype: Any) -> Any:
    return bm.take(bm.asarray(_TABLES[name], dtype=dtype), index)


def _taylor(a: Any) -> tuple[Any, Any]:
    """(erf(a), erfc(a)) for 0 <= a <= _LAST."""
    dtype = a.dtype
    index = bm.floor(a * _STEP + 0.5).astype(np.int32)
    c = (index / _STEP).astype(dtype)
    h = a - c
    # D = erf(a) - erf(c) = slope(c) * sum_n (-1)^(n-1) H_(n-1)(c) h^n / n!
    power = bm.ones_like(a)
    h_prev, h_cur = bm.zeros_like(a), bm.ones_like(a)      # H_(n-2)(c), H_(n-1)(c)
    total = bm.zeros_like(a)
    for n in range(1, _TAYLOR_TERMS + 1):
        power = power * (-h) / n
        total = total + h_cur * power
        h_prev, h_cur = h_cur, 2.0 * c * h_cur - 2.0 * (n - 1) * h_prev
    delta = -_table("slope", index, dtype) * total
    return _table("erf", index, dtype) + delta, _table("erfc", index, dtype) - delta


def _fraction(a: Any) -> Any:
    """erfc(a) for a >= _LAST (0 from a = 27 on, where float64 underflows)."""
    a = bm.minimum(a, 40.0)
    f = a
    for k in range(_FRACTION_DEPTH, 0, -1):
        f = a + (0.5 * k) / f
    k = bm.floor(bm.where(bm.isnan(a), _LAST, a) * 16.0)      # NaN stays in `a` below
    head = k / 16.0
    gauss = _table("head_gauss", k.astype(np.int32), a.dtype) * bm.exp(-(a - head) * (a + head))
    return _ONE_OVER_SQRT_PI * gauss / f


def _erfc_of_abs(a: Any) -> tuple[Any, Any]:
    """(erf(a), erfc(a)) for a = |x| (NaN propagates through the second branch)."""
    near = a < _LAST
    erf_near, erfc_near = _taylor(bm.where(near, a, _LAST))
    erfc_far = _fraction(bm.maximum(a, _LAST))
    return bm.where(near, erf_near, 1.0 - erfc_far), bm.where(near, erfc_near, erfc_far)


def _erf_forward(x: Any) -> Any:
    erf_a, _ = _erfc_of_abs(bm.abs(x))
    return bm.where(x < 0, -erf_a, erf_a).astype(x.dtype)


def _erfc_forward(x: Any) -> Any:
    _, erfc_a = _erfc_of_abs(bm.abs(x))
    return bm.where(x < 0, 2.0 - erfc_a, erfc_a).astype(x.dtype)


def _gaussian(x: Any) -> Any:
    return (_TWO_OVER_SQRT_PI * bm.exp(-x * x)).astype(x.dtype)


def _minus_gaussian(x: Any) -> Any:
    return (-_TWO_OVER_SQRT_PI * bm.exp(-x * x)).astype(x.dtype)


def _function(kind: str) -> Any:
    backend = get_backend()
    fn = _FUNCTIONS.get((backend, kind))
    if fn is None:
        if kind == "erf":
            fn = backend.custom_derivative(_erf_forward, _gaussian)
        else:
            fn = backend.custom_derivative(_erfc_forward, _minus_gaussian)
        _FUNCTIONS[(backend, kind)] = fn
    return fn


def erf(x: Any) -> Any:
    r"""The error function :math:`\mathrm{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2}dt`.

    Examples
    --------
    >>> import brainx
    >>> from brainx.functional import erf
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     print(round(float(erf(1.0)), 12))
    0.84270079295
    """
    return _function("erf")(as_float_array(x))


def erfc(x: Any) -> Any:
    r"""The complementary error function :math:`\mathrm{erfc}(x) = 1 - \mathrm{erf}(x)`,
    accurate in relative terms for large ``x``.

    Examples
    --------
    >>> import brainx
    >>> from brainx.functional import erfc
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     print(f"{float(erfc(5.0)):.10e}")
    1.5374597944e-12
    """
    return _function("erfc")(as_float_array(x))
