"""Activation modules: ``brainx.functional``'s functions as Modules (brainstate's list).

Each is called on an array (``module(x)`` or ``module.update(x)``) and prints as
brainstate's do, with its parameters: ``ELU(alpha=1.0)``.
"""

from __future__ import annotations

from typing import Any

import brainx
import brainx.functional as F
import brainx.math as bm
from brainx import environ
from brainx.nn._module import Module

__all__ = ["Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh",
           "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink",
           "LeakyReLU", "LogSigmoid", "Softplus", "Softshrink", "PReLU", "Softsign",
           "Tanhshrink", "Softmin", "Softmax", "Softmax2d", "LogSoftmax", "Identity",
           "SpikeBitwise"]


class ElementWise(Module):
    """Base of the activation modules: ``update(x)`` applies one function; the repr lists
    the attributes named in ``_fields``."""

    _fields: tuple[str, ...] = ()

    def __init__(self, name: str | None = None):
        super().__init__(name=name)

    def __pretty__(self, level: int, seen: frozenset[int]) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._fields)
        return f"{type(self).__name__}({args})"


def _example(cls: str, call: str, output: str) -> str:
    return (f"\n\n    Examples\n    --------\n    >>> import brainx\n"
            f"    >>> with brainx.use_backend('numba'):\n"
            f"    ...     y = brainx.nn.{cls}{call}(brainx.math.asarray([-2., 0., 2.]))\n"
            f"    >>> print(y.round(4))\n"
            f"    {output}\n    ")


class Threshold(ElementWise):
    """``x`` where ``x > threshold``, else ``value``."""

    _fields = ("threshold", "value")

    def __init__(self, threshold: float, value: float):
        super().__init__()
        self.threshold, self.value = threshold, value

    def update(self, x: Any) -> Any:
        x = F._special.as_float_array(x)
        return bm.where(x > self.threshold, x, self.value).astype(x.dtype)


class ReLU(ElementWise):
    """:func:`brainx.functional.relu`, ``max(x, 0)``."""

    def update(self, x: Any) -> Any:
        return F.relu(x)


class RReLU(ElementWise):
    """:func:`brainx.functional.rrelu`: negative slopes drawn from ``U(lower, upper)``."""

    _fields = ("lower", "upper")

    def __init__(self, lower: float = 1. / 8, upper: float = 1. / 3):
        super().__init__()
        if not 0 <= lower <= upper:
            raise ValueError(f"RReLU: need 0 <= lower <= upper, got lower={lower!r}, "
                             f"upper={upper!r}")
        self.lower, self.upper = lower, upper

    def update(self, x: Any) -> Any:
        return F.rrelu(x, self.lower, self.upper)


class Hardtanh(ElementWise):
    """:func:`brainx.functional.hard_tanh`: ``x`` clipped to ``[min_val, max_val]``."""

    _fields = ("min_val", "max_val")

    def __init__(self, min_val: float = -1., max_val: float = 1.):
        super().__init__()
        if not min_val < max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val!r}) must be below max_val "
                             f"({max_val!r})")
        self.min_val, self.max_val = min_val, max_val

    def update(self, x: Any) -> Any:
        return F.hard_tanh(x, self.min_val, self.max_val)


class ReLU6(ElementWise):
    """:func:`brainx.functional.relu6`, ``min(max(x, 0), 6)``."""

    def update(self, x: Any) -> Any:
        return F.relu6(x)


class Sigmoid(ElementWise):
    """:func:`brainx.functional.sigmoid`, ``1 / (1 + exp(-x))``."""

    def update(self, x: Any) -> Any:
        return F.sigmoid(x)


class Hardsigmoid(ElementWise):
    """:func:`brainx.functional.hard_sigmoid`, ``relu6(x + 3) / 6``."""

    def update(self, x: Any) -> Any:
        return F.hard_sigmoid(x)


class Tanh(ElementWise):
    """:func:`brainx.functional.tanh`."""

    def update(self, x: Any) -> Any:
        return F.tanh(x)


class SiLU(ElementWise):
    """:func:`brainx.functional.silu` (swish), ``x sigmoid(x)``."""

    def update(self, x: Any) -> Any:
        return F.silu(x)


class Mish(ElementWise):
    """:func:`brainx.functional.mish`, ``x tanh(softplus(x))``."""

    def update(self, x: Any) -> Any:
        return F.mish(x)


class Hardswish(ElementWise):
    """:func:`brainx.functional.hard_swish`, ``x hard_sigmoid(x)``."""

    def update(self, x: Any) -> Any:
        return F.hard_swish(x)


class ELU(ElementWise):
    """:func:`brainx.functional.elu` with ``alpha``."""

    _fields = ("alpha",)

    def __init__(self, alpha: float = 1.):
        super().__init__()
        self.alpha = alpha

    def update(self, x: Any) -> Any:
        return F.elu(x, self.alpha)


class CELU(ElementWise):
    """:func:`brainx.functional.celu` with ``alpha``."""

    _fields = ("alpha",)

    def __init__(self, alpha: float = 1.):
        super().__init__()
        if alpha == 0:
            raise ValueError("CELU: alpha must be non-zero, got 0")
        self.alpha = alpha

    def update(self, x: Any) -> Any:
        return F.celu(x, self.alpha)


class SELU(ElementWise):
    """:func:`brainx.functional.selu`."""

    def update(self, x: Any) -> Any:
        return F.selu(x)


class GLU(ElementWise):
    """:func:`brainx.functional.glu` along axis ``dim``: first half times the sigmoid of the
    second half (the input, ``[-2, 0, 2, 4]`` here, halves in length)."""

    _fields = ("dim",)

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def update(self, x: Any) -> Any:
        return F.glu(x, self.dim)


class GELU(ElementWise):
    """:func:`brainx.functional.gelu`; exact unless ``approximate`` (the tanh form)."""

    _fields = ("approximate",)

    def __init__(self, approximate: bool = False):
        super().__init__()
        self.approximate = bool(approximate)

    def update(self, x: Any) -> Any:
        return F.gelu(x, approximate=self.approximate)


class Hardshrink(ElementWise):
    """:func:`brainx.functional.hard_shrink`: 0 where ``|x| <= lambd``."""

    _fields = ("lambd",)

    def __init__(self, lambd: float = 0.5):
        super().__init__()
        F._activations._check_nonnegative("Hardshrink", "lambd", lambd)
        self.lambd = lambd

    def update(self, x: Any) -> Any:
        return F.hard_shrink(x, self.lambd)


class LeakyReLU(ElementWise):
    """:func:`brainx.functional.leaky_relu` with ``negative_slope``."""

    _fields = ("negative_slope",)

    def __init__(self, negative_slope: float = 1e-2):
        super().__init__()
        self.negative_slope = negative_slope

    def update(self, x: Any) -> Any:
        return F.leaky_relu(x, self.negative_slope)


class LogSigmoid(ElementWise):
    """:func:`brainx.functional.log_sigmoid`."""

    def update(self, x: Any) -> Any:
        return F.log_sigmoid(x)


class Softplus(ElementWise):
    """:func:`brainx.functional.softplus`, ``log(1 + exp(x))``."""

    def update(self, x: Any) -> Any:
        return F.softplus(x)


class Softshrink(ElementWise):
    """:func:`brainx.functional.soft_shrink`: ``x`` moved ``lambd`` towards 0, 0 inside."""

    _fields = ("lambd",)

    def __init__(self, lambd: float = 0.5):
        super().__init__()
        F._activations._check_nonnegative("Softshrink", "lambd", lambd)
        self.lambd = lambd

    def update(self, x: Any) -> Any:
        return F.soft_shrink(x, self.lambd)


class PReLU(ElementWise):
    """Parametric ReLU with a trainable slope: ``weight`` (a ParamState of
    ``num_parameters`` slopes starting at ``init``, broadcast against the last axis)."""

    _fields = ("num_parameters",)

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: Any = None):
        super().__init__()
        from brainx.nn._layer import positive_int

        self.num_parameters = positive_int("num_parameters", num_parameters)
        dtype = environ.dftype() if dtype is None else dtype
        self.weight = brainx.ParamState(bm.ones(self.num_parameters, dtype=dtype) * init)

    def update(self, x: Any) -> Any:
        return F.prelu(x, self.weight.value)


class Softsign(ElementWise):
    """:func:`brainx.functional.soft_sign`, ``x / (1 + |x|)``."""

    def update(self, x: Any) -> Any:
        return F.soft_sign(x)


class Tanhshrink(ElementWise):
    """:func:`brainx.functional.tanh_shrink`, ``x - tanh(x)``."""

    def update(self, x: Any) -> Any:
        return F.tanh_shrink(x)


class Softmin(ElementWise):
    """:func:`brainx.functional.softmin` along ``dim`` (``None``: all axes)."""

    _fields = ("dim",)

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def update(self, x: Any) -> Any:
        return F.softmin(x, self.dim)


class Softmax(ElementWise):
    """:func:`brainx.functional.softmax` along ``dim`` (``None``: all axes)."""

    _fields = ("dim",)

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def update(self, x: Any) -> Any:
        return F.softmax(x, self.dim)


class Softmax2d(ElementWise):
    """Softmax over the channel axis (``-3``) of ``(C, H, W)`` or ``(N, C, H, W)`` input.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     y = brainx.nn.Softmax2d()(brainx.math.zeros((2, 3, 4, 5)))
    >>> y.shape, float(y[0, :, 1, 2].sum())
    ((2, 3, 4, 5), 1.0)
    """

    def update(self, x: Any) -> Any:
        ndim = bm.ndim(x)
        if ndim not in (3, 4):
            raise ValueError(f"Softmax2d expects a 3-d (C, H, W) or 4-d (N, C, H, W) input, "
                             f"got shape {tuple(bm.shape(x))}")
        return F.softmax(x, -3)


class LogSoftmax(ElementWise):
    """:func:`brainx.functional.log_softmax` along ``dim`` (``None``: all axes)."""

    _fields = ("dim",)

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def update(self, x: Any) -> Any:
        return F.log_softmax(x, self.dim)


class Identity(ElementWise):
    """Returns its input unchanged."""

    def update(self, x: Any) -> Any:
        return x


class SpikeBitwise(ElementWise):
    """:func:`brainx.functional.spike_bitwise` of two spike arrays with ``op`` ('add',
    'or', 'and', 'iand', 'xor', 'ixor').

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     x, y = brainx.math.asarray([0., 1., 1.]), brainx.math.asarray([1., 0., 1.])
    ...     print(brainx.nn.SpikeBitwise('or')(x, y))
    [1. 1. 1.]
    """

    _fields = ("op",)

    def __init__(self, op: str = "add", name: str | None = None):
        super().__init__(name=name)
        if op not in F._spikes._OPS:
            raise ValueError(f"SpikeBitwise: op must be one of "
                             f"{', '.join(map(repr, F._spikes._OPS))}, got {op!r}")
        self.op = op

    def update(self, x: Any, y: Any) -> Any:
        return F.spike_bitwise(x, y, self.op)


_EXAMPLES = {
    "Threshold": ("(0.5, -1.)", "[-1. -1.  2.]"),
    "ReLU": ("()", "[0. 0. 2.]"),
    "Hardtanh": ("(-1., 1.)", "[-1.  0.  1.]"),
    "ReLU6": ("()", "[0. 0. 2.]"),
    "Sigmoid": ("()", "[0.1192 0.5    0.8808]"),
    "Hardsigmoid": ("()", "[0.1667 0.5    0.8333]"),
    "Tanh": ("()", "[-0.964  0.     0.964]"),
    "SiLU": ("()", "[-0.2384  0.      1.7616]"),
    "Mish": ("()", "[-0.2525  0.      1.944 ]"),
    "Hardswish": ("()", "[-0.3333  0.      1.6667]"),
    "ELU": ("(alpha=1.)", "[-0.8647  0.      2.    ]"),
    "CELU": ("(alpha=2.)", "[-1.2642  0.      2.    ]"),
    "SELU": ("()", "[-1.5202  0.      2.1014]"),
    "GELU": ("(approximate=False)", "[-0.0455  0.      1.9545]"),
    "Hardshrink": ("(1.)", "[-2.  0.  2.]"),
    "LeakyReLU": ("(0.1)", "[-0.2  0.   2. ]"),
    "LogSigmoid": ("()", "[-2.1269 -0.6931 -0.1269]"),
    "Softplus": ("()", "[0.1269 0.6931 2.1269]"),
    "Softshrink": ("(1.)", "[-1.  0.  1.]"),
    "PReLU": ("()", "[-0.5  0.   2. ]"),
    "Softsign": ("()", "[-0.6667  0.      0.6667]"),
    "Tanhshrink": ("()", "[-1.036  0.     1.036]"),
    "Softmin": ("()", "[0.8668 0.1173 0.0159]"),
    "Softmax": ("()", "[0.0159 0.1173 0.8668]"),
    "LogSoftmax": ("()", "[-4.1429 -2.1429 -0.1429]"),
    "Identity": ("()", "[-2.  0.  2.]"),
}

for _cls, (_call, _output) in _EXAMPLES.items():
    globals()[_cls].__doc__ += _example(_cls, _call, _output)
GLU.__doc__ += _example("GLU", "()", "[-1.7616  0.    ]").replace(
    "[-2., 0., 2.]", "[-2., 0., 2., 4.]")
RReLU.__doc__ += (
    "\n\n    Examples\n    --------\n    >>> import brainx\n"
    "    >>> with brainx.use_backend('numba'):\n"
    "    ...     y = brainx.nn.RReLU()(brainx.math.asarray([-3., 2.]))\n"
    "    >>> bool(-1.0 <= float(y[0]) <= -0.375), float(y[1])\n    (True, 2.0)\n    ")
del _cls, _call, _output
