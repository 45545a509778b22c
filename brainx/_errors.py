"""Exceptions raised by brainx.

Every message says what happened, what was expected and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "BackendCapabilityError",
    "BackendNotInstalledError",
    "MixedBackendError",
    "StateMismatchError",
    "LoopStructureError",
]

from typing import Any


class BackendCapabilityError(RuntimeError):
    """The active backend lacks a capability that the operation needs.

    Examples
    --------
    >>> import brainx
    >>> try:
    ...     brainx.get_backend('numba').require('grad')
    ... except brainx.BackendCapabilityError as err:
    ...     print('jax' in str(err))
    True
    """


class BackendNotInstalledError(ImportError):
    """A known backend was selected but its dependencies are not installed."""


class MixedBackendError(TypeError):
    """Arrays of two different backends were combined in one operation."""


class StateMismatchError(ValueError):
    """A State was assigned a value of another structure, shape or dtype."""


class LoopStructureError(TypeError):
    """A loop or branch body returned values whose structure does not match."""


for _cls in (BackendCapabilityError, BackendNotInstalledError, MixedBackendError,
             StateMismatchError, LoopStructureError):
    _cls.__module__ = "brainx"


def mark_step(err: BaseException, step: Any) -> None:
    """Remember on ``err`` the simulation step during which it was raised, so that a
    Runner can keep the steps before it (an error of a compiled chunk carries no step)."""
    if step is None or hasattr(err, "brainx_step"):
        return
    try:
        err.brainx_step = int(step)
    except (AttributeError, TypeError):  # an exception type with __slots__
        pass


def step_of(err: BaseException) -> int | None:
    """The step :func:`mark_step` remembered on ``err``, else None."""
    step = getattr(err, "brainx_step", None)
    return step if isinstance(step, int) else None
