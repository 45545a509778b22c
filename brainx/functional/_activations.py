"""Element-wise activation functions, written against ``brainx.math`` for every backend.

Integer and boolean input becomes the default float dtype; float input keeps its dtype.
Under jax every function is differentiable (the kinks take jax.nn's one-sided choices:
``relu'(0) = 0``, ``relu6'(6) = 0``).
"""

from __future__ import annotations

import math
from typing import Any

import brainx.math as bm
from brainx.functional._special import as_float_array, erfc

__all__ = ["tanh", "relu", "squareplus", "softplus", "soft_sign", "sigmoid", "silu", "swish",
           "log_sigmoid", "elu", "leaky_relu", "hard_tanh", "celu", "selu", "gelu", "relu6",
           "hard_sigmoid", "hard_silu", "hard_swish", "hard_shrink", "rrelu", "mish",
           "soft_shrink", "prelu", "tanh_shrink", "sparse_plus", "sparse_sigmoid"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def tanh(x: Any) -> Any:
    r"""Hyperbolic tangent, :math:`\tanh(x)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.tanh(0.))
    0.0
    """
    return bm.tanh(as_float_array(x))


def relu(x: Any) -> Any:
    r"""Rectified linear unit, :math:`\max(x, 0)` (with derivative 0 at 0).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.relu(brainx.math.asarray([-2., 0., 3.])))
    [0. 0. 3.]
    """
    x = as_float_array(x)
    return bm.where(x > 0, x, 0.0)


def relu6(x: Any) -> Any:
    r"""ReLU capped at 6, :math:`\min(\max(x, 0), 6)` (derivative 0 at 0 and at 6).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.relu6(brainx.math.asarray([-1., 3., 9.])))
    [0. 3. 6.]
    """
    x = as_float_array(x)
    return bm.where(x > 0, bm.where(x < 6, x, 6.0), 0.0)


def sigmoid(x: Any) -> Any:
    r"""Logistic sigmoid, :math:`1 / (1 + e^{-x})`, computed without overflow.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.sigmoid(brainx.math.asarray([-1000., 0., 1000.])))
    [0.  0.5 1. ]
    """
    x = as_float_array(x)
    e = bm.exp(-bm.abs(x))
    return bm.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(x: Any) -> Any:
    r"""Softplus, :math:`\log(1 + e^x)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(round(float(brainx.functional.softplus(0.)), 6))
    0.693147
    """
    return bm.logaddexp(as_float_array(x), 0.0)


def log_sigmoid(x: Any) -> Any:
    r"""Log of the sigmoid, :math:`-\log(1 + e^{-x})`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(float(brainx.functional.log_sigmoid(-100.)))
    -100.0
    """
    return -softplus(-as_float_array(x))


def soft_sign(x: Any) -> Any:
    r"""Soft sign, :math:`x / (|x| + 1)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.soft_sign(brainx.math.asarray([-1., 3.])))
    [-0.5   0.75]
    """
    x = as_float_array(x)
    return x / (bm.abs(x) + 1.0)


def silu(x: Any) -> Any:
    r"""SiLU (swish), :math:`x \sigma(x)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.silu(brainx.math.asarray([0., 100.])))
    [  0. 100.]
    """
    x = as_float_array(x)
    return x * sigmoid(x)


swish = silu


def elu(x: Any, alpha: Any = 1.0) -> Any:
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.elu(brainx.math.asarray([-100., 2.]), alpha=0.5))
    [-0.5  2. ]
    """
    x = as_float_array(x)
    negative = bm.where(x > 0, 0.0, x)
    return bm.where(x > 0, x, alpha * bm.expm1(negative))


def celu(x: Any, alpha: Any = 1.0) -> Any:
    r"""Continuously differentiable ELU: :math:`x` for :math:`x > 0`,
    :math:`\alpha(e^{x/\alpha} - 1)` otherwise.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.celu(brainx.math.asarray([-100., 2.]), alpha=2.))
    [-2.  2.]
    """
    x = as_float_array(x)
    negative = bm.where(x > 0, 0.0, x)
    return bm.where(x > 0, x, alpha * bm.expm1(negative / alpha))


def selu(x: Any) -> Any:
    r"""Scaled ELU, :math:`\lambda\,\mathrm{elu}(x, \alpha)` with :math:`\lambda \approx 1.0507`
    and :math:`\alpha \approx 1.6733` (Klambauer et al. 2017).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(round(float(brainx.functional.selu(1.)), 6))
    1.050701
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def leaky_relu(x: Any, negative_slope: Any = 1e-2) -> Any:
    r"""Leaky ReLU: :math:`x` for :math:`x \ge 0`, ``negative_slope * x`` otherwise.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.leaky_relu(brainx.math.asarray([-2., 2.]), 0.5))
    [-1.  2.]
    """
    x = as_float_array(x)
    return bm.where(x >= 0, x, negative_slope * x)


def hard_tanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> Any:
    r"""Hard tanh: ``x`` clipped to ``[min_val, max_val]``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.hard_tanh(brainx.math.asarray([-3., 0.5, 3.])))
    [-1.   0.5  1. ]
    """
    if _is_number(min_val) and _is_number(max_val) and not min_val < max_val:
        raise ValueError(f"hard_tanh: min_val ({min_val!r}) must be below max_val ({max_val!r})")
    x = as_float_array(x)
    return bm.where(x > max_val, max_val, bm.where(x < min_val, min_val, x)).astype(x.dtype)


def gelu(x: Any, approximate: bool = True) -> Any:
    r"""Gaussian error linear unit, :math:`x\,\Phi(x)` (Hendrycks & Gimpel 2016).

    ``approximate=True`` uses the tanh form
    :math:`\tfrac x2 (1 + \tanh(\sqrt{2/\pi}(x + 0.044715 x^3)))`; ``False`` the exact
    :math:`\tfrac x2 \mathrm{erfc}(-x / \sqrt2)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     print(round(float(brainx.functional.gelu(1., approximate=False)), 8))
    0.84134475
    """
    x = as_float_array(x)
    if approximate:
        # 1 + tanh(z) = 2 sigmoid(2 z), without the cancellation for negative z
        inner = math.sqrt(8.0 / math.pi) * (x + 0.044715 * (x * x * x))
        return x * sigmoid(inner)
    return 0.5 * x * erfc(-x / math.sqrt(2.0))


def hard_sigmoid(x: Any) -> Any:
    r"""Hard sigmoid, :math:`\mathrm{relu6}(x + 3) / 6`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.hard_sigmoid(brainx.math.asarray([-4., 0., 4.])))
    [0.  0.5 1. ]
    """
    return relu6(as_float_array(x) + 3.0) / 6.0


def hard_silu(x: Any) -> Any:
    r"""Hard SiLU (hard swish), :math:`x\,\mathrm{hard\_sigmoid}(x)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.hard_silu(brainx.math.asarray([-4., 4.])))
    [-0.  4.]
    """
    x = as_float_array(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def squareplus(x: Any, b: Any = 4) -> Any:
    r"""Squareplus, :math:`(x + \sqrt{x^2 + b}) / 2` (Barron 2021).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(float(brainx.functional.squareplus(0.)))
    1.0
    """
    x = as_float_array(x)
    root = bm.sqrt(x * x + b)
    # for x < 0, x + root = b / (root - x), without the cancellation
    return bm.where(x >= 0, 0.5 * (x + root), 0.5 * b / (root - x))


def sparse_plus(x: Any) -> Any:
    r"""Sparse plus: 0 for :math:`x \le -1`, :math:`(x + 1)^2 / 4` inside, :math:`x` for
    :math:`x \ge 1`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.sparse_plus(brainx.math.asarray([-2., 0., 2.])))
    [0.   0.25 2.  ]
    """
    x = as_float_array(x)
    return bm.where(x <= -1.0, 0.0, bm.where(x >= 1.0, x, 0.25 * (x + 1.0) ** 2))


def sparse_sigmoid(x: Any) -> Any:
    r"""Sparse sigmoid, the derivative of :func:`sparse_plus`: 0, :math:`(x + 1) / 2`, 1.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.sparse_sigmoid(brainx.math.asarray([-2., 0., 2.])))
    [0.  0.5 1. ]
    """
    x = as_float_array(x)
    return bm.where(x <= -1.0, 0.0, bm.where(x >= 1.0, 1.0, 0.5 * (x + 1.0))).astype(x.dtype)


def mish(x: Any) -> Any:
    r"""Mish, :math:`x \tanh(\mathrm{softplus}(x))` (Misra 2019).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(float(brainx.functional.mish(0.)))
    0.0
    """
    x = as_float_array(x)
    return x * bm.tanh(softplus(x))


def tanh_shrink(x: Any) -> Any:
    r"""Tanh shrink, :math:`x - \tanh(x)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(float(brainx.functional.tanh_shrink(0.)))
    0.0
    """
    x = as_float_array(x)
    return x - bm.tanh(x)


def prelu(x: Any, a: Any = 0.25) -> Any:
    r"""Parametric ReLU: :math:`x` for :math:`x \ge 0`, :math:`a x` otherwise (``a`` broadcasts).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.prelu(brainx.math.asarray([-4., 4.])))
    [-1.  4.]
    """
    x = as_float_array(x)
    return bm.where(x >= 0, x, a * x)


def soft_shrink(x: Any, lambd: float = 0.5) -> Any:
    r"""Soft shrinkage: :math:`x - \lambda` above :math:`\lambda`, :math:`x + \lambda` below
    :math:`-\lambda`, 0 between.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.soft_shrink(brainx.math.asarray([-2., 0.2, 2.])))
    [-1.5  0.   1.5]
    """
    _check_nonnegative("soft_shrink", "lambd", lambd)
    x = as_float_array(x)
    return bm.where(x > lambd, x - lambd, bm.where(x < -lambd, x + lambd, 0.0))


def hard_shrink(x: Any, lambd: float = 0.5) -> Any:
    r"""Hard shrinkage: ``x`` where :math:`|x| > \lambda`, 0 elsewhere.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.hard_shrink(brainx.math.asarray([-2., 0.2, 2.])))
    [-2.  0.  2.]
    """
    _check_nonnegative("hard_shrink", "lambd", lambd)
    x = as_float_array(x)
    return bm.where(bm.abs(x) > lambd, x, 0.0)


def rrelu(x: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, key: Any = None) -> Any:
    r"""Randomised leaky ReLU: :math:`x` for :math:`x \ge 0`, :math:`a x` otherwise, with
    :math:`a \sim U(\mathrm{lower}, \mathrm{upper})` drawn per element from
    ``brainx.random`` (the same slopes on every backend for the same seed or ``key``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     y = brainx.functional.rrelu(brainx.math.asarray([-1., -1., 2.]))
    >>> bool(all(-1/3 <= v <= -1/8 for v in y[:2])), float(y[2])
    (True, 2.0)
    """
    import brainx.random as br

    if _is_number(lower) and _is_number(upper) and not 0 <= lower <= upper:
        raise ValueError(f"rrelu: need 0 <= lower <= upper, got lower={lower!r}, "
                         f"upper={upper!r}")
    x = as_float_array(x)
    a = br.uniform(lower, upper, size=bm.shape(x), dtype=x.dtype, key=key)
    return bm.where(x >= 0, x, a * x)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_nonnegative(fn: str, name: str, value: Any) -> None:
    if _is_number(value) and value < 0:
        raise ValueError(f"{fn}: {name} must be non-negative, got {value!r}")
