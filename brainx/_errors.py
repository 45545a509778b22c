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
