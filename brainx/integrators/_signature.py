"""Reading an equation's signature: variables before ``t``, parameters after."""

from __future__ import annotations

import inspect
from collections.abc import Callable

__all__ = ["split_signature"]


def split_signature(f: Callable, what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(variables, parameters)`` of ``f(x1, ..., t, p1, ...)``, as BrainPy reads them."""
    if not callable(f):
        raise TypeError(f"{what} must be a function f(x, ..., t, ...), got {f!r}")
    params = [p for p in inspect.signature(f).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = [p.name for p in params]
    if "t" not in names:
        raise ValueError(f"{what} {getattr(f, '__name__', f)!r} must take the time as an "
                         f"argument named 't' after its variables, e.g. f(V, t, I); "
                         f"got arguments {names}")
    i = names.index("t")
    if i == 0:
        raise ValueError(f"{what} {getattr(f, '__name__', f)!r} needs at least one variable "
                         f"before 't', got arguments {names}")
    return tuple(names[:i]), tuple(names[i + 1:])
