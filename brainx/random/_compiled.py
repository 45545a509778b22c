"""Distributions compiled once per backend, function and static arguments.

On a backend that traces and compiles (jax), a distribution with a rejection loop
called eagerly would be traced and compiled again at every call (a second or so);
:func:`run` compiles it once per signature (shape, dtype, parameter shapes) and
reuses it. It compiles with ``strict_numerics`` (no fused multiply-add, no
``x / c -> x * (1 / c)`` rewrite), so the arithmetic is NumPy's and only the
transcendental functions round differently. On an eager backend ``Backend.jit``
returns the function itself, so it runs as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import Backend
from brainx.random import _distributions as dist

__all__ = ["run"]

_CACHE: dict[tuple[int, Callable[..., Any]], Callable[..., Any]] = {}


def _plain(x: Any) -> Any:
    return np.asarray(x) if isinstance(x, (list, tuple)) else x


def _tracing(b: Backend, key: Any, params: tuple) -> bool:
    """Whether this call is being traced: a traced argument, or (inside a trace that only
    closes over concrete values) a fresh array that comes out traced."""
    if b.is_tracer(key) or any(b.is_tracer(p) for p in params):
        return True
    return bool(b.traces) and b.is_tracer(b.numpy.zeros(()))


def run(b: Backend, fn: Callable[..., Any], key: Any, *params: Any, **static: Any) -> Any:
    """``fn(b, key, *params, **static)``, compiled once per backend, ``fn`` and ``static``
    (hashable: shapes, dtypes, flags) where the backend compiles."""
    params = tuple(_plain(p) for p in params)
    if _tracing(b, key, params):
        return fn(b, key, *params, **static)  # inside a trace: becomes part of it
    compiled = _CACHE.get((id(b), fn))
    if compiled is None:
        def call(key_: Any, params_: tuple, static_: tuple) -> Any:
            return fn(b, key_, *params_, **dict(static_[2:]))

        compiled = b.jit(call, static_argnums=(2,), strict_numerics=True)
        _CACHE[(id(b), fn)] = compiled
    # settings read while tracing belong to the signature too
    signature = (environ.get_precision(), dist.fake_random()) + tuple(sorted(static.items()))
    return compiled(key, params, signature)
