"""Logical operations on spike trains written as arithmetic (so they stay differentiable)."""

from __future__ import annotations

from typing import Any

__all__ = ["spike_bitwise_or", "spike_bitwise_and", "spike_bitwise_iand", "spike_bitwise_not",
           "spike_bitwise_xor", "spike_bitwise_ixor", "spike_bitwise"]


def spike_bitwise_or(x: Any, y: Any) -> Any:
    """``x OR y`` for 0/1 spikes: ``x + y - x * y``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a, b = brainx.math.asarray([0., 0., 1., 1.]), brainx.math.asarray([0., 1., 0., 1.])
    ...     print(brainx.functional.spike_bitwise_or(a, b))
    [0. 1. 1. 1.]
    """
    return x + y - x * y


def spike_bitwise_and(x: Any, y: Any) -> Any:
    """``x AND y`` for 0/1 spikes: ``x * y``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a, b = brainx.math.asarray([0., 0., 1., 1.]), brainx.math.asarray([0., 1., 0., 1.])
    ...     print(brainx.functional.spike_bitwise_and(a, b))
    [0. 0. 0. 1.]
    """
    return x * y


def spike_bitwise_iand(x: Any, y: Any) -> Any:
    """``(NOT x) AND y`` for 0/1 spikes: ``(1 - x) * y``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a, b = brainx.math.asarray([0., 0., 1., 1.]), brainx.math.asarray([0., 1., 0., 1.])
    ...     print(brainx.functional.spike_bitwise_iand(a, b))
    [0. 1. 0. 0.]
    """
    return (1 - x) * y


def spike_bitwise_not(x: Any) -> Any:
    """``NOT x`` for 0/1 spikes: ``1 - x``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.functional.spike_bitwise_not(brainx.math.asarray([0., 1.])))
    [1. 0.]
    """
    return 1 - x


def spike_bitwise_xor(x: Any, y: Any) -> Any:
    """``x XOR y`` for 0/1 spikes: ``x + y - 2 x y``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a, b = brainx.math.asarray([0., 0., 1., 1.]), brainx.math.asarray([0., 1., 0., 1.])
    ...     print(brainx.functional.spike_bitwise_xor(a, b))
    [0. 1. 1. 0.]
    """
    return x + y - 2 * x * y


def spike_bitwise_ixor(x: Any, y: Any) -> Any:
    """``(x AND NOT y) OR (NOT x AND y)`` for 0/1 spikes: ``x (1 - y) + (1 - x) y``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a, b = brainx.math.asarray([0., 0., 1., 1.]), brainx.math.asarray([0., 1., 0., 1.])
    ...     print(brainx.functional.spike_bitwise_ixor(a, b))
    [0. 1. 1. 0.]
    """
    return x * (1 - y) + (1 - x) * y


_OPS = {"add": lambda x, y: x + y, "or": spike_bitwise_or, "and": spike_bitwise_and,
        "iand": spike_bitwise_iand, "xor": spike_bitwise_xor, "ixor": spike_bitwise_ixor}


def spike_bitwise(x: Any, y: Any, op: str) -> Any:
    """The spike operation ``op`` ('add', 'or', 'and', 'iand', 'xor' or 'ixor') of ``x, y``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a, b = brainx.math.asarray([0., 1.]), brainx.math.asarray([1., 1.])
    ...     print(brainx.functional.spike_bitwise(a, b, 'iand'))
    [1. 0.]
    """
    try:
        fn = _OPS[op]
    except (KeyError, TypeError):
        raise ValueError(f"spike_bitwise: op must be one of {', '.join(map(repr, _OPS))}, "
                         f"got {op!r}") from None
    return fn(x, y)
