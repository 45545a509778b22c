"""Convolution and window reduction, declared for backend kernels.

The references are written against a backend's NumPy-like namespace (strided
slices, ``einsum``), so they run everywhere; a backend may register a faster
kernel for ``layer.conv`` and ``layer.reduce_window`` (jax: ``lax.conv_general_dilated``
and ``lax.reduce_window``). Arrays are channels-last, padding is explicit.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from brainx.backend._kernels import declare

__all__ = ["conv_reference", "reduce_window_reference", "same_padding", "window_output",
           "window_init"]

Pairs = Sequence[tuple[int, int]]


def same_padding(size: int, window: int, stride: int) -> tuple[int, int]:
    """jax's ``'SAME'`` padding of one axis: ``ceil(size / stride)`` outputs, the extra
    element (if the total is odd) after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def window_output(size: int, window: int, stride: int, pads: tuple[int, int]) -> int:
    """How many windows fit along an axis (0 when the window is larger than the padded axis)."""
    padded = size + pads[0] + pads[1]
    return 0 if padded < window else (padded - window) // stride + 1


def window_init(op: str, dtype: Any) -> Any:
    """The identity of the reduction ``op`` ('max' or 'sum') in ``dtype``."""
    dtype = np.dtype(dtype)
    if op == "sum":
        return dtype.type(0)
    if dtype.kind == "f":
        return dtype.type(-np.inf)
    return np.iinfo(dtype).min if dtype.kind in "iu" else dtype.type(False)


def _pad(xp: Any, x: Any, padding: Pairs, value: Any) -> Any:
    """``x`` with ``padding[i] = (low, high)`` elements of ``value`` added around axis ``i``."""
    for axis, (low, high) in enumerate(padding):
        if low or high:
            shape = list(x.shape)
            parts = []
            for n in (low, high):
                shape[axis] = n
                parts.append(xp.full(tuple(shape), value, dtype=x.dtype))
            x = xp.concatenate([parts[0], x, parts[1]], axis=axis)
    return x


def _dilate(xp: Any, x: Any, axis: int, factor: int) -> Any:
    """Insert ``factor - 1`` zeros between neighbours along ``axis``."""
    x = xp.moveaxis(x, axis, -1)
    n = x.shape[-1]
    zeros = xp.zeros(tuple(x.shape) + (factor - 1,), dtype=x.dtype)
    spread = xp.concatenate([x[..., None], zeros], axis=-1)
    spread = xp.reshape(spread, tuple(x.shape[:-1]) + (n * factor,))[..., :(n - 1) * factor + 1]
    return xp.moveaxis(spread, -1, axis)


@declare("layer.conv")
def conv_reference(b: Any, x: Any, w: Any, strides: Sequence[int], padding: Pairs,
                   lhs_dilation: Sequence[int], rhs_dilation: Sequence[int], groups: int) -> Any:
    """Grouped, dilated convolution (cross-correlation, as in deep learning).

    ``x``: ``(N, *spatial, C_in)``; ``w``: ``(*kernel, C_in // groups, C_out)``; output
    ``(N, *out, C_out)``. Group ``g`` maps input channels ``g * C_in / groups ...`` to
    output channels ``g * C_out / groups ...``.
    """
    xp = b.numpy
    nd = len(strides)
    for axis, factor in enumerate(lhs_dilation):
        if factor > 1:
            x = _dilate(xp, x, axis + 1, factor)
    x = _pad(xp, x, ((0, 0),) + tuple(tuple(p) for p in padding) + ((0, 0),), 0)
    kernel = tuple(w.shape[:nd])
    cin_group, cout = w.shape[nd], w.shape[nd + 1]
    out = [window_output(x.shape[1 + i], (kernel[i] - 1) * rhs_dilation[i] + 1, strides[i],
                         (0, 0)) for i in range(nd)]
    patches = []
    for offsets in itertools.product(*(range(k) for k in kernel)):
        index = tuple(slice(o * r, o * r + (n - 1) * s + 1, s)
                      for o, r, n, s in zip(offsets, rhs_dilation, out, strides, strict=True))
        patches.append(x[(slice(None),) + index + (slice(None),)])
    taps = math.prod(kernel)
    lead = (x.shape[0],) + tuple(out)
    p = xp.reshape(xp.stack(patches, axis=-2), lead + (taps, groups, cin_group))
    wk = xp.reshape(w, (taps, cin_group, groups, cout // groups))
    y = xp.einsum("...kgc,kcgo->...go", p, wk)
    return xp.reshape(y, lead + (cout,))


@declare("layer.reduce_window")
def reduce_window_reference(b: Any, x: Any, op: str, window: Sequence[int],
                            strides: Sequence[int], padding: Pairs) -> Any:
    """The maximum (``op='max'``) or sum (``'sum'``) of every window of ``x``.

    ``window``, ``strides`` and ``padding`` give one entry per axis of ``x``; padded
    elements hold the reduction's identity (``-inf`` for the maximum, 0 for the sum).
    """
    xp = b.numpy
    x = _pad(xp, x, padding, window_init(op, x.dtype))
    out = [window_output(n, k, s, (0, 0)) for n, k, s in zip(x.shape, window, strides,
                                                            strict=True)]
    result = None
    for offsets in itertools.product(*(range(k) for k in window)):
        part = x[tuple(slice(o, o + (n - 1) * s + 1, s)
                       for o, n, s in zip(offsets, out, strides, strict=True))]
        if result is None:
            result = part
        else:
            result = xp.maximum(result, part) if op == "max" else result + part
    return result
