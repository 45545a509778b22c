"""Where initialisers compute: on the host when the key is concrete, else in the trace.

Random initial values must be the same on every backend. Distributions that use
``log``, ``cos`` or ``sqrt`` differ by an ULP or so between XLA and libm, so
whenever the key is a concrete array the values are computed on the host, from
NumPy arrays, and then handed to the active backend; only inside a trace (a key
that is a tracer) are they computed by the active backend itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brainx.backend import Backend, available_backends, get_backend
from brainx.random import _threefry

__all__ = ["SpecBackend", "host_backend", "compute"]


class SpecBackend:
    """The least a distribution needs, on plain NumPy with the normative Threefry.

    Used when no installed backend computes on NumPy arrays.
    """

    name = "spec"
    numpy = np

    def asarray(self, x: Any, dtype: Any = None) -> np.ndarray:
        return np.asarray(x, dtype=dtype)

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def is_tracer(self, x: Any) -> bool:
        return False

    def materialize(self, x: Any) -> Any:
        return x

    def threefry2x32(self, key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
        return _threefry.threefry2x32(key0, key1, x0, x1)

    def while_loop(self, cond: Callable, body: Callable, init: Any) -> Any:
        value = init
        while cond(value):
            value = body(value)
        return value


_SPEC = SpecBackend()


def host_backend() -> Backend | SpecBackend:
    """A backend that computes on NumPy arrays: the active one if it does, else an
    installed one, else :class:`SpecBackend`."""
    probe = np.empty(0)
    active = get_backend()
    if active.is_native(probe):  # checked first: asking another backend may have to load it
        return active
    for name in available_backends():
        try:
            backend = get_backend(name)
        except Exception:  # a broken plugin: the specification still works
            continue
        if backend.is_native(probe):
            return backend
    return _SPEC


def compute(fn: Callable[[Any, Any, np.dtype], Any], key: Any, dtype: np.dtype) -> Any:
    """``fn(backend, key, dtype)`` on the host for a concrete ``key``, as an array of the
    active backend; on the active backend itself when ``key`` is a tracer."""
    active = get_backend()
    if active.is_tracer(key):
        return fn(active, key, dtype)
    host = host_backend()
    key_np = np.asarray(active.to_numpy(key), dtype=np.uint32)
    value = fn(host, host.asarray(key_np), dtype)
    return active.asarray(np.asarray(host.to_numpy(value)), dtype=dtype)
