"""What the feed-forward layers share: a brainstate-style repr and argument checks."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import brainx.math as bm
from brainx import environ, init
from brainx._pretty import pretty_fields
from brainx.init._base import check_fits, param
from brainx.nn._module import Module

__all__ = ["Layer", "KAIMING_NORMAL", "ZEROS", "NORMAL", "XAVIER_NORMAL", "LECUN_UNIFORM",
           "layer_size", "positive_int", "int_tuple", "check_features", "weight_param"]

# brainstate's default initialisers (shared instances: with no seed they draw from
# brainx.random.DEFAULT, so sharing them changes nothing)
KAIMING_NORMAL = init.KaimingNormal()
ZEROS = init.ZeroInit()
NORMAL = init.Normal()
XAVIER_NORMAL = init.XavierNormal()
LECUN_UNIFORM = init.LecunUniform()


class Layer(Module):
    """A Module whose repr shows the fields named in ``_repr_fields`` (as brainstate's do)."""

    _repr_fields: tuple[str, ...] = ()

    def __pretty__(self, level: int, seen: frozenset[int]) -> str:
        name = type(self).__name__
        if id(self) in seen:
            return f"{name}(...)"
        fields = [(k, getattr(self, k)) for k in self._repr_fields if hasattr(self, k)]
        return pretty_fields(name, fields, level, seen | {id(self)})


def positive_int(name: str, value: Any) -> int:
    """``value`` as an int, refusing anything but a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def layer_size(name: str, size: Any) -> tuple[int, ...]:
    """A layer's ``in_size`` / ``out_size`` as a non-empty tuple of positive ints."""
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        size = (size,)
    if not isinstance(size, Sequence) or not size:
        raise ValueError(f"{name} must be a positive int or a non-empty sequence of them, "
                         f"got {size!r}")
    return tuple(positive_int(name, s) for s in size)


def int_tuple(name: str, value: Any, n: int, minimum: int = 1) -> tuple[int, ...]:
    """An int or a sequence of 1 or ``n`` ints as ``n`` ints, each at least ``minimum``."""
    items = (value,) if isinstance(value, numbers.Integral) else value
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence) \
            or len(items) not in (1, n) \
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
                       and v >= minimum for v in items):
        raise ValueError(f"{name} must be an int >= {minimum} or a sequence of 1 or {n} such "
                         f"ints, got {value!r}")
    return tuple(int(v) for v in items) * (n if len(items) == 1 else 1)


def check_features(layer: str, x: Any, size: int) -> None:
    """Raise unless the last axis of ``x`` has ``size`` elements."""
    shape = tuple(getattr(x, "shape", ()))
    if not shape or shape[-1] != size:
        raise ValueError(f"{layer} expects inputs whose last axis has {size} features, got an "
                         f"input of shape {shape}")


def weight_param(name: str, init: Any, shape: tuple[int, ...], allow_scalar: bool = False) -> Any:
    """A weight of exactly ``shape`` (or a 0-d array when ``allow_scalar`` and ``init`` is a
    number) from an initialiser, a function of the shape, an array or a number."""
    if init is None:
        raise ValueError(f"{name} must be an initialiser, a function of the shape, an array or "
                         f"a number, got None")
    if hasattr(init, "shape") and not callable(init):
        check_fits(name, init, shape)
    value = bm.asarray(param(init, shape, allow_none=False, allow_scalar=True))
    if value.dtype.kind not in "fc":
        value = value.astype(environ.dftype())
    if allow_scalar and value.ndim == 0:
        return value
    check_fits(name, value, shape)
    if tuple(value.shape) != shape:
        value = bm.array(bm.broadcast_to(value, shape))
    return value
