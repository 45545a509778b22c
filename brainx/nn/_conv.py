"""Convolutions: Conv1d, Conv2d, Conv3d (channels-last, brainstate 0.1's arguments)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import brainx.math as bm
from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.nn._layer import XAVIER_NORMAL, Layer, int_tuple, layer_size, positive_int, weight_param
from brainx.nn._layer_ops import same_padding, window_output
from brainx.nn._linear import _mask, _params
from brainx.state import ParamState

__all__ = ["Conv1d", "Conv2d", "Conv3d"]


def conv_padding(padding: Any, nd: int) -> str | tuple[tuple[int, int], ...]:
    """``'SAME'``, ``'VALID'``, or ``nd`` ``(low, high)`` pairs, from brainstate's forms: a
    string, an int, one ``(low, high)`` pair for every axis, or a sequence of 1 or ``nd`` pairs."""
    def pair(p: Any) -> tuple[int, int] | None:
        if isinstance(p, Sequence) and len(p) == 2 and all(
                isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0
                for v in p):
            return int(p[0]), int(p[1])
        return None

    if isinstance(padding, str) and padding.upper() in ("SAME", "VALID"):
        return padding.upper()
    if isinstance(padding, numbers.Integral) and not isinstance(padding, bool) and padding >= 0:
        return ((int(padding),) * 2,) * nd
    if isinstance(padding, Sequence) and not isinstance(padding, str) and padding:
        single = pair(padding)
        if single is not None and isinstance(padding[0], numbers.Integral):
            return (single,) * nd
        pairs = [pair(p) for p in padding]
        if None not in pairs and len(pairs) in (1, nd):
            return tuple(pairs) * (nd if len(pairs) == 1 else 1)
    raise ValueError(f"padding must be 'SAME', 'VALID', an int >= 0, a (low, high) pair, or a "
                     f"sequence of 1 or {nd} such pairs, got {padding!r}")


class _Conv(Layer):
    num_spatial_dims: int = 0

    _repr_fields = ("in_size", "out_size", "kernel_size", "stride", "padding", "lhs_dilation",
                    "rhs_dilation", "groups", "w_mask", "weight")

    def __init__(self, in_size: Sequence[int], out_channels: int, kernel_size: Any,
                 stride: Any = 1, padding: Any = "SAME", lhs_dilation: Any = 1,
                 rhs_dilation: Any = 1, groups: int = 1, w_init: Any = XAVIER_NORMAL,
                 b_init: Any = None, w_mask: Any = None, name: str | None = None):
        super().__init__(name=name)
        nd = self.num_spatial_dims
        kind = type(self).__name__
        self.in_size = layer_size("in_size", in_size)
        if len(self.in_size) != nd + 1:
            raise ValueError(f"{kind} needs in_size of {nd + 1} ints ({nd} spatial sizes, then "
                             f"the channels; no batch axis), got {in_size!r}")
        self.in_channels = self.in_size[-1]
        self.out_channels = positive_int("out_channels", out_channels)
        self.kernel_size = int_tuple("kernel_size", kernel_size, nd)
        self.stride = int_tuple("stride", stride, nd)
        self.lhs_dilation = int_tuple("lhs_dilation", lhs_dilation, nd)
        self.rhs_dilation = int_tuple("rhs_dilation", rhs_dilation, nd)
        self.groups = positive_int("groups", groups)
        for what, n in (("in_channels", self.in_channels), ("out_channels", self.out_channels)):
            if n % self.groups:
                raise ValueError(f"{what} ({n}) must be divisible by groups ({self.groups})")
        self.padding = conv_padding(padding, nd)
        if self.padding == "SAME" and any(d > 1 for d in self.lhs_dilation):
            raise ValueError("padding='SAME' is not defined with lhs_dilation > 1 (a transposed "
                             "convolution): give the padding as (low, high) pairs")

        spatial = self.in_size[:-1]
        kernels = [(k - 1) * r + 1 for k, r in zip(self.kernel_size, self.rhs_dilation,
                                                     strict=True)]
        dilated = [(n - 1) * d + 1 for n, d in zip(spatial, self.lhs_dilation, strict=True)]
        if self.padding == "SAME":
            pads = tuple(same_padding(n, k, s) for n, k, s in zip(dilated, kernels, self.stride,
                                                                   strict=True))
        elif self.padding == "VALID":
            pads = ((0, 0),) * nd
        else:
            pads = self.padding
        self._pads = pads
        out = tuple(window_output(n, k, s, p)
                    for n, k, s, p in zip(dilated, kernels, self.stride, pads, strict=True))
        if 0 in out:
            padded = tuple(n + p[0] + p[1] for n, p in zip(dilated, pads, strict=True))
            raise ValueError(f"the kernel {self.kernel_size} (dilated: {tuple(kernels)}) is "
                             f"larger than the padded input {padded}")
        self.out_size = out + (self.out_channels,)

        self.kernel_shape = self.kernel_size + (self.in_channels // self.groups,
                                                self.out_channels)
        self.w_mask = _mask(w_mask, self.kernel_shape)
        weight = weight_param("w_init", w_init, self.kernel_shape)
        bias = None if b_init is None else weight_param(
            "b_init", b_init, (1,) * nd + (self.out_channels,))
        self.weight = ParamState(_params(weight=weight, bias=bias))

    def update(self, x: Any) -> Any:
        nd = self.num_spatial_dims
        shape = tuple(getattr(x, "shape", ()))
        if len(shape) not in (nd + 1, nd + 2) or shape[-(nd + 1):] != self.in_size:
            raise ValueError(f"{type(self).__name__} expects inputs of shape {self.in_size} or "
                             f"(batch, *{self.in_size}), got {shape}")
        params = self.weight.value
        w = params["weight"]
        if self.w_mask is not None:
            w = w * self.w_mask
        x = bm.asarray(x)
        if x.dtype.kind not in "fc":
            x = x.astype(w.dtype)
        unbatched = x.ndim == nd + 1
        if unbatched:
            x = x[None]
        b = get_backend()
        y = lookup("layer.conv", b)(b, x, w, self.stride, self._pads, self.lhs_dilation,
                                    self.rhs_dilation, self.groups)
        if "bias" in params:
            y = y + params["bias"]
        return y[0] if unbatched else y


_PARAMETERS = """
    Parameters
    ----------
    in_size : tuple of int
        The input's shape without the batch axis: the spatial sizes, then the channels.
    out_channels : int
        The number of output channels.
    kernel_size : int or tuple of int
        The kernel's spatial shape.
    stride : int or tuple of int
        The step between windows.
    padding : str, int, (int, int) or sequence of (int, int)
        ``'SAME'`` (as many outputs as ``ceil(size / stride)``), ``'VALID'`` (none), or
        explicit ``(low, high)`` zero padding (one pair for every axis, or one per axis).
    lhs_dilation : int or tuple of int
        Spaces inserted between input elements (a transposed convolution).
    rhs_dilation : int or tuple of int
        Spaces between kernel elements (an atrous convolution).
    groups : int
        Split the channels into this many independent groups.
    w_init, b_init : Initializer, callable, array or number
        The kernel ``(*kernel_size, in_channels // groups, out_channels)`` and the bias
        (``None``, the default: no bias).
    w_mask : array or callable, optional
        A mask multiplied into the kernel at every call.
"""


class Conv1d(_Conv):
    """One-dimensional convolution of inputs ``(length, channels)`` or ``(batch, length,
    channels)``.
    """ + _PARAMETERS + """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     conv = brainx.nn.Conv1d((10, 3), out_channels=4, kernel_size=3, padding='VALID')
    ...     conv(brainx.math.ones((2, 10, 3))).shape
    (2, 8, 4)
    """

    num_spatial_dims = 1


class Conv2d(_Conv):
    """Two-dimensional convolution of inputs ``(height, width, channels)``, optionally with a
    leading batch axis.
    """ + _PARAMETERS + """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     conv = brainx.nn.Conv2d((8, 8, 3), out_channels=6, kernel_size=3, stride=2)
    ...     conv.out_size, conv(brainx.math.ones((8, 8, 3))).shape
    ((4, 4, 6), (4, 4, 6))
    """

    num_spatial_dims = 2


class Conv3d(_Conv):
    """Three-dimensional convolution of inputs ``(depth, height, width, channels)``,
    optionally with a leading batch axis.
    """ + _PARAMETERS + """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     conv = brainx.nn.Conv3d((4, 4, 4, 2), out_channels=2, kernel_size=(2, 2, 2),
    ...                             padding='VALID', b_init=brainx.init.ZeroInit())
    ...     conv(brainx.math.ones((4, 4, 4, 2))).shape
    (3, 3, 3, 2)
    """

    num_spatial_dims = 3
