"""Numba's on-disk cache when it has somewhere to write, else compiling in memory.

``cache=True`` makes Numba look for a writable folder when a function is decorated
(beside the source, then the user's cache folder, or ``NUMBA_CACHE_DIR``); with
none, as for a non-root user of a read-only system-wide install without a home
folder, the decorator raises ``RuntimeError('cannot cache function ...')``. These
decorators compile such functions in memory instead, with one warning per process.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numba

__all__ = ["NoCacheWarning", "njit", "vectorize", "cfunc"]


class NoCacheWarning(RuntimeWarning):
    """Numba cannot write its cache: compiled functions are kept in memory only."""


NoCacheWarning.__module__ = "brainx_numba"

_warned = False


def _uncached(err: RuntimeError) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"Numba cannot cache brainx's compiled functions ({err}); they are "
                      f"compiled in memory, so every new process compiles them again. Set "
                      f"NUMBA_CACHE_DIR to a writable folder to keep them.", NoCacheWarning,
                      stacklevel=4)


def _decorate(make: Callable[..., Any], fn: Callable[..., Any], *args: Any,
              **options: Any) -> Any:
    try:
        return make(*args, cache=True, **options)(fn)
    except RuntimeError as err:
        if "cannot cache" not in str(err):
            raise
        _uncached(err)
        return make(*args, cache=False, **options)(fn)


def njit(fn: Callable[..., Any] | None = None, **options: Any) -> Any:
    """``numba.njit(cache=True, **options)``, in memory when Numba cannot cache.

    Examples
    --------
    >>> @njit(nogil=True)
    ... def twice(x):
    ...     return 2 * x
    >>> twice(3)
    6
    """
    if fn is None:
        return lambda f: _decorate(numba.njit, f, **options)
    return _decorate(numba.njit, fn, **options)


def vectorize(fn: Callable[..., Any], **options: Any) -> Any:
    """``numba.vectorize(cache=True, **options)(fn)``, in memory when Numba cannot cache."""
    return _decorate(numba.vectorize, fn, **options)


def cfunc(signature: Any, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.cfunc(signature, cache=True, **options)``, in memory when Numba cannot cache."""
    return lambda fn: _decorate(numba.cfunc, fn, signature, **options)
