"""Dense layers: Linear, ScaledWSLinear, SignedWLinear, AllToAll, OneToOne.

Arguments and parameter layouts follow brainstate 0.1: a layer's trainable values
live in one :class:`brainx.ParamState` named ``weight``, holding a dict such as
``{'bias': ..., 'weight': ...}`` (keys sorted, as jax orders them).
"""

from __future__ import annotations

from typing import Any

import brainx.math as bm
from brainx import functional
from brainx.init._base import check_fits, param
from brainx.nn._layer import (
    KAIMING_NORMAL,
    NORMAL,
    ZEROS,
    Layer,
    check_features,
    layer_size,
    weight_param,
)
from brainx.state import ParamState

__all__ = ["Linear", "ScaledWSLinear", "SignedWLinear", "AllToAll", "OneToOne"]


def _sizes(in_size: Any, out_size: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    in_size, out_size = layer_size("in_size", in_size), layer_size("out_size", out_size)
    if in_size[:-1] != out_size[:-1]:
        raise ValueError(f"in_size and out_size must agree on all but their last dimension, "
                         f"got in_size={in_size} and out_size={out_size}")
    return in_size, out_size


def _mask(w_mask: Any, shape: tuple[int, ...], name: str = "w_mask") -> Any:
    """The optional mask, an array of the backend that broadcasts to the weight."""
    if w_mask is None:
        return None
    if hasattr(w_mask, "shape") and not callable(w_mask):
        check_fits(name, w_mask, shape)
    mask = bm.asarray(param(w_mask, shape, allow_none=True, allow_scalar=True))
    check_fits(name, mask, shape)
    return mask


def _params(**values: Any) -> dict[str, Any]:
    return {k: values[k] for k in sorted(values) if values[k] is not None}


def _with_bias(y: Any, params: dict[str, Any]) -> Any:
    return y + params["bias"] if "bias" in params else y


class _Dense(Layer):
    """``y = x @ (w * w_mask) + bias``, ``w`` the weight as :meth:`_weight_used` makes it."""

    def _weight_used(self, params: dict[str, Any]) -> Any:
        return params["weight"]

    def update(self, x: Any) -> Any:
        check_features(type(self).__name__, x, self.in_size[-1])
        params = self.weight.value
        w = self._weight_used(params)
        if self.w_mask is not None:
            w = w * self.w_mask
        return _with_bias(bm.matmul(x, w), params)


class Linear(_Dense):
    """A dense layer: ``y = x @ (weight * w_mask) + bias``.

    Parameters
    ----------
    in_size, out_size : int or tuple of int
        The input and output sizes; they may have leading dimensions, which must agree.
        The weight is ``(in_size[-1], out_size[-1])``, the bias ``(out_size[-1],)``.
    w_init, b_init : Initializer, callable, array or number
        How the weight and the bias start (``b_init=None``: no bias).
    w_mask : array or callable, optional
        A mask multiplied into the weight at every call (it must broadcast to it).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.nn.Linear(2, 3)
    ...     layer(brainx.math.ones((4, 2))).shape
    (4, 3)
    >>> layer
    Linear(
      in_size=(2,),
      out_size=(3,),
      w_mask=None,
      weight=ParamState(
        value={
          'bias': ShapedArray(float32[3]),
          'weight': ShapedArray(float32[2,3])
        }
      )
    )
    >>> list(layer.states())
    [('weight',)]
    """

    _repr_fields = ("in_size", "out_size", "w_mask", "weight")

    def __init__(self, in_size: Any, out_size: Any, w_init: Any = KAIMING_NORMAL,
                 b_init: Any = ZEROS, w_mask: Any = None, name: str | None = None):
        super().__init__(name=name)
        self.in_size, self.out_size = _sizes(in_size, out_size)
        shape = (self.in_size[-1], self.out_size[-1])
        self.w_mask = _mask(w_mask, shape)
        bias = None if b_init is None else weight_param("b_init", b_init, shape[1:])
        self.weight = ParamState(_params(weight=weight_param("w_init", w_init, shape),
                                         bias=bias))


class ScaledWSLinear(_Dense):
    """A dense layer with scaled weight standardisation (Qiao et al. 2019).

    The weight used is ``(w - mean) / sqrt(max(var * in_size[-1], eps)) * gain``, the
    mean and variance taken over the inputs of each output.

    Parameters
    ----------
    in_size, out_size, w_init, b_init, w_mask
        As for :class:`Linear`.
    ws_gain : bool
        Learn a gain per output (``'gain'`` in the ParamState, starting at 1).
    eps : float
        The floor of ``var * fan_in``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.nn.ScaledWSLinear(4, 2)
    ...     layer(brainx.math.ones(4)).shape, sorted(layer.weight.value)
    ((2,), ['bias', 'gain', 'weight'])
    """

    _repr_fields = ("in_size", "out_size", "w_mask", "eps", "weight")

    def __init__(self, in_size: Any, out_size: Any, w_init: Any = KAIMING_NORMAL,
                 b_init: Any = ZEROS, w_mask: Any = None, ws_gain: bool = True,
                 eps: float = 1e-4, name: str | None = None):
        super().__init__(name=name)
        self.in_size, self.out_size = _sizes(in_size, out_size)
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        self.eps = float(eps)
        shape = (self.in_size[-1], self.out_size[-1])
        self.w_mask = _mask(w_mask, shape)
        weight = weight_param("w_init", w_init, shape)
        bias = None if b_init is None else weight_param("b_init", b_init, shape[1:])
        gain = bm.ones((1, shape[1]), dtype=weight.dtype) if ws_gain else None
        self.weight = ParamState(_params(weight=weight, bias=bias, gain=gain))

    def _weight_used(self, params: dict[str, Any]) -> Any:
        return functional.weight_standardization(params["weight"], self.eps,
                                                 params.get("gain"))


class SignedWLinear(Layer):
    """A dense layer of fixed signs: ``y = x @ (|weight| * w_sign)``.

    Parameters
    ----------
    in_size, out_size, w_init
        As for :class:`Linear`; the ParamState holds the weight array itself.
    w_sign : array or number, optional
        The signs (``None``: all positive); it must broadcast to the weight.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.nn.SignedWLinear(2, 2, w_init=np.array([[1.0, -2.0], [3.0, 4.0]]),
    ...                                     w_sign=np.array([1.0, -1.0]))
    ...     layer(np.array([1.0, 1.0])).tolist()
    [4.0, -6.0]
    """

    _repr_fields = ("in_size", "out_size", "w_sign", "weight")

    def __init__(self, in_size: Any, out_size: Any, w_init: Any = KAIMING_NORMAL,
                 w_sign: Any = None, name: str | None = None):
        super().__init__(name=name)
        self.in_size, self.out_size = _sizes(in_size, out_size)
        shape = (self.in_size[-1], self.out_size[-1])
        self.w_sign = None if w_sign is None else _mask(w_sign, shape, "w_sign")
        self.weight = ParamState(weight_param("w_init", w_init, shape))

    def update(self, x: Any) -> Any:
        check_features(type(self).__name__, x, self.in_size[-1])
        w = bm.abs(self.weight.value)
        if self.w_sign is not None:
            w = w * self.w_sign
        return bm.matmul(x, w)


class AllToAll(Layer):
    """All-to-all connections: a dense weight matrix, or one number for every connection.

    Parameters
    ----------
    in_size, out_size, w_init, b_init
        As for :class:`Linear` (no bias by default); ``w_init`` may be a number, a
        homogeneous weight kept as a 0-d array.
    include_self : bool
        ``False`` removes the connections ``i -> i`` (the diagonal).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.nn.AllToAll(3, 3, w_init=0.5, include_self=False)
    ...     layer(np.array([1.0, 2.0, 4.0])).tolist()
    [3.0, 2.5, 1.5]
    """

    _repr_fields = ("in_size", "out_size", "include_self", "weight")

    def __init__(self, in_size: Any, out_size: Any, w_init: Any = KAIMING_NORMAL,
                 b_init: Any = None, include_self: bool = True, name: str | None = None):
        super().__init__(name=name)
        self.in_size, self.out_size = _sizes(in_size, out_size)
        self.include_self = bool(include_self)
        shape = (self.in_size[-1], self.out_size[-1])
        bias = None if b_init is None else weight_param("b_init", b_init, shape[1:])
        weight = weight_param("w_init", w_init, shape, allow_scalar=True)
        self.weight = ParamState(_params(weight=weight, bias=bias))

    def update(self, x: Any) -> Any:
        check_features(type(self).__name__, x, self.in_size[-1])
        params = self.weight.value
        w = params["weight"]
        n_in, n_out = self.in_size[-1], self.out_size[-1]
        if w.ndim == 0:  # the same weight everywhere: w * (sum of the inputs, minus one's own)
            total = bm.sum(x, axis=-1, keepdims=True)
            if total.dtype.kind in "biu":  # counted spikes: in the weights' precision
                total = total.astype(w.dtype)
            y = bm.broadcast_to(total, tuple(x.shape[:-1]) + (n_out,))
            if not self.include_self:
                n = min(n_in, n_out)
                own = x[..., :n]
                if n < n_out:
                    own = bm.concatenate(
                        [own, bm.zeros(tuple(x.shape[:-1]) + (n_out - n,), dtype=x.dtype)],
                        axis=-1)
                y = y - own
            y = w * y
        else:
            if not self.include_self:
                w = w * (1 - bm.eye(n_in, n_out, dtype=w.dtype))
            y = bm.matmul(x, w)
        return _with_bias(y, params)


class OneToOne(Layer):
    """One-to-one connections: ``y = x * weight + bias``, element by element.

    Parameters
    ----------
    in_size : int or tuple of int
        The size of the input and of the output; the weight has this shape.
    w_init, b_init
        How the weight and the (optional) bias start.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.nn.OneToOne(3, w_init=np.array([1.0, 2.0, 3.0]), b_init=0.5)
    ...     layer(np.ones(3)).tolist()
    [1.5, 2.5, 3.5]
    """

    _repr_fields = ("in_size", "out_size", "weight")

    def __init__(self, in_size: Any, w_init: Any = NORMAL, b_init: Any = None,
                 name: str | None = None):
        super().__init__(name=name)
        self.in_size = self.out_size = layer_size("in_size", in_size)
        bias = None if b_init is None else weight_param("b_init", b_init, self.in_size)
        self.weight = ParamState(_params(weight=weight_param("w_init", w_init, self.in_size),
                                         bias=bias))

    def update(self, x: Any) -> Any:
        shape = tuple(getattr(x, "shape", ()))
        if shape[len(shape) - len(self.in_size):] != self.in_size:
            raise ValueError(f"OneToOne expects inputs ending in the shape {self.in_size}, got "
                             f"an input of shape {shape}")
        params = self.weight.value
        return _with_bias(x * params["weight"], params)
