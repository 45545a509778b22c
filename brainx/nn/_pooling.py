"""Pooling: MaxPool/AvgPool 1d-3d and AdaptiveAvgPool/AdaptiveMaxPool 1d-3d.

As in brainstate 0.1, the pooled axes are the last ``pool_dim`` axes other than
``channel_axis`` (default -1: channels-last), so inputs may carry any number of
leading (batch) axes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import environ
from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.init._host import SpecBackend
from brainx.nn._layer import Layer, int_tuple
from brainx.nn._layer_ops import reduce_window_reference, same_padding, window_output

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d",
           "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"]

_HOST = SpecBackend()


def pool_padding(padding: Any, nd: int) -> str | tuple[tuple[int, int], ...]:
    """``'SAME'``, ``'VALID'`` or ``nd`` ``(low, high)`` pairs, from brainstate's forms: a
    string, an int, ``nd`` ints (symmetric), or a sequence of 1 or ``nd`` pairs."""
    def is_int(v: Any) -> bool:
        return isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0

    if isinstance(padding, str) and padding.upper() in ("SAME", "VALID"):
        return padding.upper()
    if is_int(padding):
        return ((int(padding),) * 2,) * nd
    if isinstance(padding, Sequence) and not isinstance(padding, str) and padding:
        if all(is_int(p) for p in padding) and len(padding) == nd:
            return tuple((int(p), int(p)) for p in padding)
        if all(isinstance(p, Sequence) and len(p) == 2 and all(is_int(v) for v in p)
               for p in padding) and len(padding) in (1, nd):
            pairs = tuple((int(p[0]), int(p[1])) for p in padding)
            return pairs * (nd if len(pairs) == 1 else 1)
    raise ValueError(f"padding must be 'SAME', 'VALID', an int >= 0, {nd} ints, or a sequence "
                     f"of 1 or {nd} (low, high) pairs, got {padding!r}")


def _channel_axis(channel_axis: Any) -> int | None:
    if channel_axis is not None and (isinstance(channel_axis, bool)
                                     or not isinstance(channel_axis, numbers.Integral)):
        raise TypeError(f"channel_axis must be an int or None, got {channel_axis!r}")
    return None if channel_axis is None else int(channel_axis)


def pool_axes(layer: str, ndim: int, pool_dim: int, channel_axis: int | None) -> list[int]:
    """The axes pooled over: the last ``pool_dim`` axes other than the channel axis."""
    needed = pool_dim + (0 if channel_axis is None else 1)
    if ndim < needed:
        raise ValueError(f"{layer} expects inputs of at least {needed} dimensions "
                         f"(channel_axis={channel_axis}), got {ndim}")
    axes = list(range(ndim))
    if channel_axis is not None:
        if not -ndim <= channel_axis < ndim:
            raise ValueError(f"channel_axis {channel_axis} is out of range for a "
                             f"{ndim}-dimensional input")
        axes.remove(channel_axis % ndim)
    return axes[-pool_dim:]


class _Pool(Layer):
    pool_dim: int = 0
    op: str = "max"
    default_stride_is_kernel: bool = True

    _repr_fields = ("in_size", "out_size", "kernel_size", "stride", "padding", "channel_axis")

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = "VALID",
                 channel_axis: int | None = -1, name: str | None = None,
                 in_size: Sequence[int] | None = None):
        super().__init__(name=name)
        nd = self.pool_dim
        self.kernel_size = int_tuple("kernel_size", kernel_size, nd)
        if stride is None:
            stride = self.kernel_size if self.default_stride_is_kernel else 1
        self.stride = int_tuple("stride", stride, nd)
        self.padding = pool_padding(padding, nd)
        self.channel_axis = _channel_axis(channel_axis)
        if in_size is not None:
            self.in_size = tuple(int(s) for s in in_size)
            self.out_size = self._out_shape(self.in_size)

    def _windows(self, shape: tuple[int, ...]) -> tuple[list[int], list[int], list[tuple]]:
        """Window, strides and padding for every axis of an input of ``shape``."""
        axes = pool_axes(type(self).__name__, len(shape), self.pool_dim, self.channel_axis)
        window, strides, pads = [1] * len(shape), [1] * len(shape), [(0, 0)] * len(shape)
        for i, axis in enumerate(axes):
            window[axis], strides[axis] = self.kernel_size[i], self.stride[i]
            if self.padding == "SAME":
                pads[axis] = same_padding(shape[axis], window[axis], strides[axis])
            elif self.padding != "VALID":
                pads[axis] = self.padding[i]
        for n, k, s, p in zip(shape, window, strides, pads, strict=True):
            if window_output(n, k, s, p) == 0:
                raise ValueError(f"the window {self.kernel_size} is larger than the padded "
                                 f"input of shape {shape}")
        return window, strides, pads

    def _out_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        window, strides, pads = self._windows(shape)
        return tuple(window_output(n, k, s, p)
                     for n, k, s, p in zip(shape, window, strides, pads, strict=True))

    def _reduce(self, x: Any, op: str) -> Any:
        window, strides, pads = self._windows(tuple(x.shape))
        b = get_backend()
        return lookup("layer.reduce_window", b)(b, x, op, window, strides, pads)


class _MaxPool(_Pool):
    _doc_words = {"summary": "The maximum over windows of", "stride": "the kernel size",
                  "padding": "with -inf."}

    def update(self, x: Any) -> Any:
        return self._reduce(bm.asarray(x), "max")


class _AvgPool(_Pool):
    default_stride_is_kernel = False
    _doc_words = {"summary": "The average over windows of", "stride": "1",
                  "padding": "with zeros, left out of the average."}

    def update(self, x: Any) -> Any:
        x = bm.asarray(x)
        if x.dtype.kind not in "fc":
            x = x.astype(environ.dftype())
        total = self._reduce(x, "sum")
        if self.padding == "VALID":
            return total / math.prod(self.kernel_size)
        # divide by the number of real (unpadded) elements in each window
        window, strides, pads = self._windows(tuple(x.shape))
        counts = reduce_window_reference(_HOST, np.ones(x.shape, dtype=x.dtype), "sum", window,
                                         strides, pads)
        return total / bm.asarray(counts, dtype=x.dtype)


def _adaptive(x: Any, axis: int, target: int, reduce: Any) -> Any:
    """Split ``axis`` into ``target`` consecutive segments and reduce each; the first
    ``size % target`` segments are one element longer (brainstate's segmentation)."""
    x = bm.moveaxis(x, axis, -1)
    size = x.shape[-1]
    lead = tuple(x.shape[:-1])
    block, longer = divmod(size, target)
    pieces = []
    if longer:
        head = bm.reshape(x[..., :longer * (block + 1)], lead + (longer, block + 1))
        pieces.append(reduce(head, axis=-1))
    tail = bm.reshape(x[..., longer * (block + 1):], lead + (target - longer, block))
    pieces.append(reduce(tail, axis=-1))
    y = pieces[0] if len(pieces) == 1 else bm.concatenate(pieces, axis=-1)
    return bm.moveaxis(y, -1, axis)


class _AdaptivePool(Layer):
    pool_dim: int = 0
    reduction: str = "mean"

    _repr_fields = ("in_size", "out_size", "target_size", "channel_axis")

    def __init__(self, target_size: int | Sequence[int], channel_axis: int | None = -1,
                 name: str | None = None, in_size: Sequence[int] | None = None):
        super().__init__(name=name)
        self.target_size = int_tuple("target_size", target_size, self.pool_dim)
        self.channel_axis = _channel_axis(channel_axis)
        if in_size is not None:
            self.in_size = tuple(int(s) for s in in_size)
            axes = self._axes(self.in_size)
            out = list(self.in_size)
            for axis, t in zip(axes, self.target_size, strict=True):
                out[axis] = t
            self.out_size = tuple(out)

    def _axes(self, shape: tuple[int, ...]) -> list[int]:
        axes = pool_axes(type(self).__name__, len(shape), self.pool_dim, self.channel_axis)
        for axis, t in zip(axes, self.target_size, strict=True):
            if shape[axis] < t:
                raise ValueError(f"{type(self).__name__} cannot pool an axis of {shape[axis]} "
                                 f"elements down to {t} (input shape {shape})")
        return axes

    def update(self, x: Any) -> Any:
        x = bm.asarray(x)
        reduce = bm.mean if self.reduction == "mean" else bm.max
        for axis, t in zip(self._axes(tuple(x.shape)), self.target_size, strict=True):
            x = _adaptive(x, axis, t, reduce)
        return x


class _AdaptiveAvgPool(_AdaptivePool):
    reduction = "mean"
    _doc_words = {"summary": "Averages over"}


class _AdaptiveMaxPool(_AdaptivePool):
    reduction = "max"
    _doc_words = {"summary": "Maxima over"}


_AXES = {1: "one axis", 2: "two axes", 3: "three axes"}

_EXAMPLE = """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.{name}{args}(brainx.math.ones({input})).shape
    {output}
    """

_POOL_DOC = """{summary} {axes}.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The window's shape over the pooled axes.
    stride : int or tuple of int, optional
        The step between windows (default: {stride}).
    padding : str, int, sequence of int or sequence of (int, int)
        ``'VALID'`` (the default: none), ``'SAME'``, or explicit (low, high) padding
        {padding}
    channel_axis : int or None
        The channel axis, never pooled (``None``: there is none).
    in_size : tuple of int, optional
        The input's shape, to compute ``out_size``.
""" + _EXAMPLE

_ADAPTIVE_DOC = """{summary} {axes}, cut into ``target_size`` nearly equal segments.

    An axis of ``n`` elements becomes ``t`` segments, the first ``n % t`` of them one
    element longer than the others (brainstate's segmentation).

    Parameters
    ----------
    target_size : int or tuple of int
        The size of each pooled axis after pooling.
    channel_axis : int or None
        The channel axis, never pooled (``None``: there is none).
    in_size : tuple of int, optional
        The input's shape, to compute ``out_size``.
""" + _EXAMPLE


def _documented(args: str, shape: str, output: str) -> Any:
    """Class decorator: the docstring of a pooling layer, from its base's template and the
    example ``brainx.nn.<name><args>(brainx.math.ones(<shape>)).shape == <output>``."""
    def document(cls: type) -> type:
        template = _ADAPTIVE_DOC if issubclass(cls, _AdaptivePool) else _POOL_DOC
        cls.__doc__ = template.format(name=cls.__name__, axes=_AXES[cls.pool_dim], args=args,
                                      input=shape, output=output, **cls._doc_words)
        return cls
    return document


@_documented("(2)", "(8, 1)", "(4, 1)")
class MaxPool1d(_MaxPool):
    pool_dim = 1


@_documented("(2)", "(2, 4, 4, 1)", "(2, 2, 2, 1)")
class MaxPool2d(_MaxPool):
    pool_dim = 2


@_documented("(2)", "(4, 4, 4, 1)", "(2, 2, 2, 1)")
class MaxPool3d(_MaxPool):
    pool_dim = 3


@_documented("(2)", "(8, 1)", "(7, 1)")
class AvgPool1d(_AvgPool):
    pool_dim = 1


@_documented("(2, stride=2)", "(2, 4, 4, 1)", "(2, 2, 2, 1)")
class AvgPool2d(_AvgPool):
    pool_dim = 2


@_documented("(2, padding='SAME')", "(4, 4, 4, 1)", "(4, 4, 4, 1)")
class AvgPool3d(_AvgPool):
    pool_dim = 3


@_documented("(3)", "(8, 2)", "(3, 2)")
class AdaptiveAvgPool1d(_AdaptiveAvgPool):
    pool_dim = 1


@_documented("((2, 3))", "(5, 7, 2)", "(2, 3, 2)")
class AdaptiveAvgPool2d(_AdaptiveAvgPool):
    pool_dim = 2


@_documented("(2)", "(3, 4, 5, 1)", "(2, 2, 2, 1)")
class AdaptiveAvgPool3d(_AdaptiveAvgPool):
    pool_dim = 3


@_documented("(3)", "(8, 2)", "(3, 2)")
class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    pool_dim = 1


@_documented("((2, 3))", "(5, 7, 2)", "(2, 3, 2)")
class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    pool_dim = 2


@_documented("(2)", "(3, 4, 5, 1)", "(2, 2, 2, 1)")
class AdaptiveMaxPool3d(_AdaptiveMaxPool):
    pool_dim = 3
