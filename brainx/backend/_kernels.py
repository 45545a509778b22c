"""The kernel registry: operators declared once, with backend-specific kernels.

Each operator has a reference implementation written against the backend's
NumPy-like namespace (``backend.numpy``), so it runs everywhere. A backend may
provide a faster kernel for an operator through ``Backend.kernels()``; lookup
falls back to the reference. Kernels and references take the same arguments,
and the tests compare every registered kernel with its reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brainx.backend._protocol import Backend

__all__ = ["declare", "lookup", "references"]

_REFERENCES: dict[str, Callable[..., Any]] = {}


def declare(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(backend, *args)`` as the reference implementation of ``name``."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in _REFERENCES:
            raise ValueError(f"operator {name!r} is declared twice")
        _REFERENCES[name] = fn
        return fn
    return register


def lookup(name: str, backend: Backend) -> Callable[..., Any]:
    """The backend's kernel for ``name`` if it has one, else the reference."""
    kernel = backend.kernels().get(name)
    if kernel is not None:
        return kernel
    try:
        return _REFERENCES[name]
    except KeyError:
        raise KeyError(f"no operator {name!r}; declared: {', '.join(sorted(_REFERENCES))}") \
            from None


def references() -> dict[str, Callable[..., Any]]:
    """Every declared operator and its reference implementation."""
    return dict(_REFERENCES)
