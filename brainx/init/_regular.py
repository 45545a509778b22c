"""Initialisers with fixed values: zeros, a constant, the identity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from brainx import environ
from brainx._units import is_quantity
from brainx.backend import get_backend
from brainx.init._base import Initializer, check_fits, to_size

__all__ = ["ZeroInit", "Constant", "Identity"]


def _dtype(*choices: Any) -> np.dtype:
    for d in choices:
        if d is not None:
            return np.dtype(d)
    return environ.dftype()


class ZeroInit(Initializer):
    """Zeros.

    Parameters
    ----------
    dtype : dtype, optional
        The default is the float dtype of the current precision (looked up at each call).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.ZeroInit()((2,)).tolist()
    [0.0, 0.0]
    """

    _fields = ("dtype",)

    def __init__(self, dtype: Any = None):
        self.dtype = dtype

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        return get_backend().numpy.zeros(to_size(shape), dtype=_dtype(dtype, self.dtype))


class _ValueInit(Initializer):
    """An initialiser of one ``value`` (and an optional ``dtype``)."""

    _fields = ("value", "dtype")

    def __init__(self, value: Any = 1.0, dtype: Any = None):
        self.value = value
        self.dtype = dtype


class Constant(_ValueInit):
    """A constant value (a number, or an array broadcast to the shape).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.Constant(2.5)((3,)).tolist()
    [2.5, 2.5, 2.5]
    """

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        shape = to_size(shape)
        check_fits("value", self.value, shape)
        b = get_backend()
        if is_quantity(self.value):  # a Quantity: its mantissa filled, in its unit
            mantissa = b.asarray(self.value.mantissa)
            return b.numpy.full(shape, mantissa, dtype=_dtype(dtype, self.dtype)) * \
                self.value.unit
        return b.numpy.full(shape, b.asarray(self.value), dtype=_dtype(dtype, self.dtype))


class Identity(_ValueInit):
    """``value`` times the identity matrix (Le, Jaitly & Hinton 2015, for recurrent weights).

    Parameters
    ----------
    value : float
        The diagonal value.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.Identity(2.0)((2, 3)).tolist()
    [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        shape = to_size(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity initialises 2-D weights, got the shape {shape}")
        xp = get_backend().numpy
        dtype = _dtype(dtype, self.dtype)
        return xp.eye(*shape, dtype=dtype) * xp.asarray(self.value, dtype=dtype)
