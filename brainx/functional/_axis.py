"""Functions along an axis: softmax and friends, logsumexp, standardize, one_hot, glu."""

from __future__ import annotations

import operator
from typing import Any

import brainx.math as bm
from brainx import environ
from brainx.backend import get_backend
from brainx.functional._activations import sigmoid
from brainx.functional._special import as_float_array

__all__ = ["softmax", "log_softmax", "softmin", "logsumexp", "standardize", "one_hot", "glu"]

Axis = int | tuple[int, ...] | None


def _masked(x: Any, where: Any) -> Any:
    return x if where is None else bm.where(bm.asarray(where).astype(bool), x, -bm.inf)


def _shift(x: Any, axis: Axis) -> Any:
    """The max along ``axis`` (kept), as a constant for differentiation; 0 where infinite."""
    m = bm.max(x, axis=axis, keepdims=True)
    m = bm.where(bm.isfinite(m), m, 0.0)
    return get_backend().stop_gradient(m)


def softmax(x: Any, axis: Axis = -1, where: Any = None) -> Any:
    r"""Softmax, :math:`e^{x_i} / \sum_j e^{x_j}` along ``axis`` (``None``: all axes).

    Elements where ``where`` is False are left out of the sum and get 0.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.softmax(brainx.math.asarray([0., 0., 1000.])))
    [0. 0. 1.]
    """
    x = _masked(as_float_array(x), where)
    unnormalised = bm.exp(x - _shift(x, axis))
    return unnormalised / bm.sum(unnormalised, axis=axis, keepdims=True)


def log_softmax(x: Any, axis: Axis = -1, where: Any = None) -> Any:
    r"""Log of the softmax, :math:`x_i - \log\sum_j e^{x_j}`, computed stably.

    Elements where ``where`` is False are left out and get ``-inf``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.log_softmax(brainx.math.asarray([1000., 1000.])))
    [-0.6931472 -0.6931472]
    """
    x = _masked(as_float_array(x), where)
    shifted = x - _shift(x, axis)
    return shifted - bm.log(bm.sum(bm.exp(shifted), axis=axis, keepdims=True))


def softmin(x: Any, axis: Axis = -1) -> Any:
    r"""Softmin, :math:`e^{-x_i} / \sum_j e^{-x_j}` (the softmax of ``-x``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.softmin(brainx.math.asarray([0., 1000.])))
    [1. 0.]
    """
    return softmax(-as_float_array(x), axis=axis)


def logsumexp(a: Any, axis: Axis = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False) -> Any:
    r""":math:`\log \sum_i b_i e^{a_i}` along ``axis``, without overflow (``scipy.special``'s
    signature). With ``return_sign=True`` returns ``(log|sum|, sign(sum))``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(float(brainx.functional.logsumexp(brainx.math.asarray([1000., 1000.]))))
    1000.6931...
    """
    a = as_float_array(a)
    m = _shift(a, axis)
    terms = bm.exp(a - m)
    if b is not None:
        terms = terms * b
    total = bm.sum(terms, axis=axis, keepdims=True)
    sign = bm.sign(total)
    out = bm.log(bm.abs(total) if return_sign else total) + m
    if not keepdims:
        out, sign = bm.squeeze(out, axis=axis), bm.squeeze(sign, axis=axis)
    return (out, sign) if return_sign else out


def standardize(x: Any, axis: Axis = -1, variance: Any = None, epsilon: float = 1e-5,
                where: Any = None) -> Any:
    r"""``(x - mean) / sqrt(variance + epsilon)`` along ``axis``.

    ``variance`` defaults to the (biased) variance of ``x`` along ``axis``; ``where``
    restricts the mean and variance to some elements.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.standardize(brainx.math.asarray([1., 3.]), epsilon=0.))
    [-1.  1.]
    """
    x = as_float_array(x)
    kw = {} if where is None else {"where": bm.asarray(where).astype(bool)}
    mean = bm.mean(x, axis=axis, keepdims=True, **kw)
    if variance is None:
        variance = bm.mean(bm.square(x - mean), axis=axis, keepdims=True, **kw)
    return (x - mean) / bm.sqrt(variance + epsilon)


def one_hot(x: Any, num_classes: int, *, dtype: Any = None, axis: int = -1) -> Any:
    """One-hot encoding of the integer indices ``x``: a new axis of length ``num_classes``
    (at position ``axis`` of the result) with 1 at each index; out-of-range indices
    give all zeros. ``dtype`` defaults to the default float dtype.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.one_hot(brainx.math.asarray([0, 2, 5]), 3))
    [[1. 0. 0.]
     [0. 0. 1.]
     [0. 0. 0.]]
    """
    try:
        num_classes = operator.index(num_classes)
    except TypeError:
        raise TypeError(f"one_hot: num_classes must be an int, got {num_classes!r}") from None
    if num_classes < 1:
        raise ValueError(f"one_hot: num_classes must be positive, got {num_classes}")
    x = bm.asarray(x)
    out = bm.expand_dims(x, -1) == bm.arange(num_classes)
    out = out.astype(environ.dftype() if dtype is None else dtype)
    return out if axis == -1 else bm.moveaxis(out, -1, axis)


def glu(x: Any, axis: int = -1) -> Any:
    r"""Gated linear unit: split ``x`` in two halves ``a, b`` along ``axis``, return
    :math:`a\,\sigma(b)`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.glu(brainx.math.asarray([2., 4., 0., 1000.])))
    [1. 4.]
    """
    x = as_float_array(x)
    size = bm.shape(x)[axis]
    if size % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even, got {size} "
                         f"(shape {tuple(bm.shape(x))})")
    a, b = bm.split(x, 2, axis=axis)
    return a * sigmoid(b)
