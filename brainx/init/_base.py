"""The Initializer base class, shape helpers, and ``param`` / ``state``."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from brainx.backend import get_backend
from brainx.state import State

__all__ = ["Initializer", "to_size", "param", "state"]

Shape = tuple[int, ...]


class Initializer:
    """Base class of parameter initialisers: ``init(shape, dtype=None)`` returns an array.

    Subclasses implement ``__call__``; the repr lists the constructor arguments
    named in ``_fields``.

    Examples
    --------
    >>> import brainx
    >>> class Twos(brainx.init.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return brainx.math.full(brainx.init.to_size(shape), 2.0, dtype=dtype)
    >>> with brainx.use_backend('numba'):
    ...     brainx.init.param(Twos(), (2, 2)).tolist()
    [[2.0, 2.0], [2.0, 2.0]]
    """

    _fields: tuple[str, ...] = ()

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._fields)
        return f"{type(self).__name__}({args})"


def to_size(x: int | Sequence[int] | None) -> Shape | None:
    """A shape tuple from an int, a sequence of ints, or ``None``.

    Examples
    --------
    >>> import brainx
    >>> brainx.init.to_size(3), brainx.init.to_size([2, 4]), brainx.init.to_size(None)
    ((3,), (2, 4), None)
    """
    if x is None:
        return None
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        x = (x,)
    if not isinstance(x, (tuple, list)) or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in x):
        raise TypeError(f"a shape must be an int or a sequence of ints, got {x!r}")
    shape = tuple(int(s) for s in x)
    if any(s < 0 for s in shape):
        raise ValueError(f"a shape must not contain negative sizes, got {x!r}")
    return shape


def check_fits(name: str, value: Any, shape: Shape) -> None:
    """Raise unless an argument ``name`` of ``value``'s shape broadcasts to ``shape``."""
    value_shape = tuple(np.shape(value))
    try:
        fits = np.broadcast_shapes(value_shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{name} of shape {value_shape} does not broadcast to the requested "
                         f"shape {shape}")


def _is_scalar(x: Any) -> bool:
    if isinstance(x, (numbers.Number, np.generic)):
        return True
    return getattr(x, "shape", None) == () and not isinstance(x, State)


def _broadcastable(shape: Shape, sizes: Shape) -> bool:
    return all(a == b or 1 in (a, b) for a, b in zip(shape[::-1], sizes[::-1], strict=False))


def _check_batch_size(batch_size: Any) -> None:
    if batch_size is not None and (isinstance(batch_size, bool)
                                   or not isinstance(batch_size, (int, np.integer))
                                   or batch_size < 1):
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")


def param(parameter: Any, sizes: int | Sequence[int], batch_size: int | None = None,
          allow_none: bool = True, allow_scalar: bool = True) -> Any:
    """A parameter's value from an initialiser, a function of the shape, an array or a number.

    Parameters
    ----------
    parameter : Initializer, callable, array, State, number or None
        - ``None``: returned as is (an error unless ``allow_none``);
        - a number (or 0-d array): returned as is when ``allow_scalar``, else
          broadcast to ``sizes``;
        - a callable (an :class:`Initializer` or e.g. ``brainx.math.zeros``):
          called with the shape, ``(batch_size,) + sizes`` when batched;
        - an array (or a State holding one): must broadcast against ``sizes``; with
          ``batch_size`` it gets a leading batch axis (repeated) unless it already
          has one of that length. A State comes back as a new State of its type.
    sizes : int or sequence of int
        The parameter's shape, without the batch axis.
    batch_size : int, optional
        Prepend a batch axis of this length.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.init.param(brainx.init.Constant(0.5), (2, 3), batch_size=4).shape)
    ...     print(brainx.init.param(1.5, (3,)), brainx.init.param(None, (3,)))
    ...     print(brainx.init.param(brainx.math.ones(3), 3, batch_size=2).shape)
    (4, 2, 3)
    1.5 None
    (2, 3)
    """
    if parameter is None:
        if allow_none:
            return None
        raise ValueError("parameter must be an Initializer, a callable, an array or a number, "
                         "got None")
    _check_batch_size(batch_size)
    shape = to_size(sizes)
    if _is_scalar(parameter) and not callable(parameter):
        if allow_scalar:
            return parameter
        full = shape if batch_size is None else (batch_size,) + shape
        b = get_backend()
        return b.numpy.broadcast_to(b.asarray(parameter), full)
    if callable(parameter) and not isinstance(parameter, State):
        full = shape if batch_size is None else (batch_size,) + shape
        value = parameter(full)
        got = tuple(getattr(value, "shape", ()))
        if got == full:
            return value
        if len(got) <= len(full) and _broadcastable(got, full):
            b = get_backend()
            return b.numpy.broadcast_to(b.asarray(value), full)
        raise ValueError(f"the initialiser {parameter!r} returned shape {got} for the "
                         f"requested shape {full}")
    b = get_backend()
    if isinstance(parameter, State):
        value = parameter.value
    elif hasattr(parameter, "shape") or isinstance(parameter, (list, tuple)):
        value = parameter if b.is_native(parameter) else b.asarray(np.asarray(parameter))
    else:
        raise TypeError(f"parameter must be an Initializer, a callable, an array or a number, "
                        f"got {type(parameter).__name__}: {parameter!r}")
    if not _broadcastable(tuple(value.shape), shape):
        raise ValueError(f"the parameter's shape {tuple(value.shape)} does not broadcast to the "
                         f"requested shape {shape}")
    if batch_size is not None:
        if value.ndim <= len(shape):
            xp = b.numpy
            value = xp.reshape(value, (1,) * (len(shape) - value.ndim + 1) + tuple(value.shape))
            value = xp.repeat(value, batch_size, axis=0)
        elif value.shape[0] != batch_size:
            raise ValueError(f"the parameter's leading axis has length {value.shape[0]}, not "
                             f"the batch_size {batch_size}")
    return type(parameter)(value) if isinstance(parameter, State) else value


def state(init: Callable | Any, sizes: int | Sequence[int] | None = None,
          batch_size: int | None = None) -> State:
    """A :class:`brainx.State` holding ``init(sizes)`` (or the array ``init``), optionally batched.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     s = brainx.init.state(brainx.init.ZeroInit(), 3, batch_size=2)
    >>> s.value.shape
    (2, 3)
    """
    _check_batch_size(batch_size)
    shape = to_size(sizes)
    if callable(init):
        if shape is None:
            raise ValueError("sizes must be given when init is a callable")
        full = shape if batch_size is None else (batch_size,) + shape
        return State(init(full))
    b = get_backend()
    value = init if b.is_native(init) else b.asarray(np.asarray(init))
    if shape is not None and tuple(value.shape) != shape:
        raise ValueError(f"the data's shape {tuple(value.shape)} does not match sizes {shape}")
    if batch_size is not None:
        value = b.numpy.repeat(b.numpy.expand_dims(value, 0), batch_size, axis=0)
    return State(value)
