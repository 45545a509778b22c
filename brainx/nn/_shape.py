"""Reshaping layers: Flatten and Unflatten (brainstate 0.1's arguments)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import brainx.math as bm
from brainx.nn._layer import Layer

__all__ = ["Flatten", "Unflatten"]


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    return int(value)


def _axis(name: str, axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} {axis} is out of range for an input of {ndim} dimensions")
    return axis % ndim


class Flatten(Layer):
    """Merge the axes ``start_axis .. end_axis`` (inclusive) into one.

    With ``in_size`` (the shape of one sample), non-negative axes count from the
    start of the sample, so leading batch axes are kept as they are.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     x = brainx.math.ones((32, 1, 5, 5))
    ...     print(brainx.nn.Flatten()(x).shape, brainx.nn.Flatten(0, 2)(x).shape)
    ...     print(brainx.nn.Flatten(in_size=(1, 5, 5))(x).shape)
    (800,) (160, 5)
    (32, 25)
    """

    _repr_fields = ("start_axis", "end_axis", "in_size", "out_size")

    def __init__(self, start_axis: int = 0, end_axis: int = -1,
                 in_size: Sequence[int] | None = None, name: str | None = None):
        super().__init__(name=name)
        self.start_axis = _int("start_axis", start_axis)
        self.end_axis = _int("end_axis", end_axis)
        self.in_size = None if in_size is None else tuple(int(s) for s in in_size)
        self.out_size = None if in_size is None else self._flat_shape(self.in_size, 0)

    def _flat_shape(self, shape: tuple[int, ...], lead: int) -> tuple[int, ...]:
        ndim = len(shape)
        start = self.start_axis + lead if self.start_axis >= 0 else self.start_axis
        end = self.end_axis + lead if self.end_axis >= 0 else self.end_axis
        start, end = _axis("start_axis", start, ndim), _axis("end_axis", end, ndim)
        if start > end:
            raise ValueError(f"start_axis ({self.start_axis}) comes after end_axis "
                             f"({self.end_axis}) for an input of shape {shape}")
        return shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:]

    def update(self, x: Any) -> Any:
        shape = tuple(x.shape)
        lead = 0
        if self.in_size is not None:
            lead = len(shape) - len(self.in_size)
            if lead < 0 or shape[lead:] != self.in_size:
                raise ValueError(f"Flatten expects inputs ending in the shape {self.in_size}, "
                                 f"got {shape}")
        return bm.reshape(x, self._flat_shape(shape, lead))


class Unflatten(Layer):
    """Split the axis ``axis`` into the shape ``sizes`` (one entry may be -1).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.Unflatten(1, (2, 5))(brainx.math.ones((3, 10))).shape
    (3, 2, 5)
    """

    _repr_fields = ("axis", "sizes", "in_size", "out_size")

    def __init__(self, axis: int, sizes: Sequence[int], name: str | None = None,
                 in_size: Sequence[int] | None = None):
        super().__init__(name=name)
        self.axis = _int("axis", axis)
        if not isinstance(sizes, (tuple, list)) or not sizes:
            raise TypeError(f"sizes must be a non-empty tuple or list of ints, got {sizes!r}")
        for i, s in enumerate(sizes):
            if isinstance(s, bool) or not isinstance(s, numbers.Integral) or (s < 1 and s != -1):
                raise ValueError(f"sizes must hold positive ints (or one -1), got {s!r} at "
                                 f"position {i} of {sizes!r}")
        if list(sizes).count(-1) > 1:
            raise ValueError(f"sizes may hold at most one -1, got {sizes!r}")
        self.sizes = tuple(int(s) for s in sizes)
        self.in_size = None if in_size is None else tuple(int(s) for s in in_size)
        self.out_size = None if in_size is None else self._split_shape(self.in_size, 0)

    def _split_shape(self, shape: tuple[int, ...], lead: int) -> tuple[int, ...]:
        axis = _axis("axis", self.axis + lead if self.axis >= 0 else self.axis, len(shape))
        n = shape[axis]
        known = math.prod(s for s in self.sizes if s != -1)
        sizes = tuple(n // known if s == -1 else s for s in self.sizes)
        if math.prod(sizes) != n:
            raise ValueError(f"cannot split an axis of {n} elements into {self.sizes}")
        return shape[:axis] + sizes + shape[axis + 1:]

    def update(self, x: Any) -> Any:
        shape = tuple(x.shape)
        lead = 0 if self.in_size is None else len(shape) - len(self.in_size)
        if self.in_size is not None and (lead < 0 or shape[lead:] != self.in_size):
            raise ValueError(f"Unflatten expects inputs ending in the shape {self.in_size}, "
                             f"got {shape}")
        return bm.reshape(x, self._split_shape(shape, lead))
