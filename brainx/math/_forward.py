"""Functions that forward a call to the active backend's namespace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brainx.backend._registry import get_backend


def _summary(reference: Any, name: str) -> str:
    doc = getattr(reference, "__doc__", None) or ""
    for line in doc.strip().splitlines():
        line = line.strip()
        if line and not line.startswith(name + "("):
            return line
    return f"NumPy's ``{name}``."


#: Functions of an array's layout, which NumPy also answers for lists and numbers.
_METADATA = frozenset({"shape", "ndim", "size"})
#: Functions making an array of a given shape (their first argument)
_CREATION = frozenset({"zeros", "ones", "empty", "full"})


def _check_shape(name: str, shape: Any) -> None:
    """The same error on every backend for a shape with a negative or non-integer entry
    (jax would report its internal ``broadcast_in_dim``)."""
    if type(shape) is int and shape >= 0:
        return
    entries = shape if isinstance(shape, (tuple, list)) else (shape,)
    for entry in entries:
        if hasattr(entry, "shape") and not isinstance(entry, np.integer):
            continue  # an array entry (a traced size): the backend decides
        integer = isinstance(entry, (int, np.integer)) and not isinstance(entry, bool)
        if not integer or entry < 0:
            raise (ValueError if integer else TypeError)(
                f"{name}: shape must be a non-negative int or a tuple of them, got {shape!r}")


def make_forwarder(name: str, module: str, linalg: bool = False) -> Callable[..., Any]:
    """Return a function named ``name`` that calls the active backend's ``name``."""
    if linalg:
        def forward(*args: Any, **kwargs: Any) -> Any:
            return getattr(get_backend().numpy.linalg, name)(*args, **kwargs)
        reference = getattr(np.linalg, name, None)
        qualified = f"numpy.linalg.{name}"
    elif name in _METADATA:
        def forward(a: Any, *args: Any, **kwargs: Any) -> Any:
            # of a list or a number as NumPy gives it (jax warns on non-arrays)
            if isinstance(a, (list, tuple, int, float, complex)):
                return getattr(np, name)(a, *args, **kwargs)
            return getattr(get_backend().numpy, name)(a, *args, **kwargs)
        reference = getattr(np, name, None)
        qualified = f"numpy.{name}"
    elif name in _CREATION:
        def forward(shape: Any, *args: Any, **kwargs: Any) -> Any:
            _check_shape(name, shape)
            return getattr(get_backend().numpy, name)(shape, *args, **kwargs)
        reference = getattr(np, name, None)
        qualified = f"numpy.{name}"
    else:
        def forward(*args: Any, **kwargs: Any) -> Any:
            return getattr(get_backend().numpy, name)(*args, **kwargs)
        reference = getattr(np, name, None)
        qualified = f"numpy.{name}"
    forward.__name__ = forward.__qualname__ = name
    forward.__module__ = module
    forward.__doc__ = (
        f"{_summary(reference, name)}\n\n"
        f"Forwarded at call time to the active backend; semantics of ``{qualified}``, "
        f"with the default float and int dtypes set by ``brainx.environ`` precision."
    )
    return forward
