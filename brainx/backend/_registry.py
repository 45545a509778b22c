"""Discovery and selection of backends.

Backends are found through the ``brainx.backends`` entry-point group. The
active backend is resolved, in order of precedence, from an explicit
``backend=`` argument, :func:`use_backend` (a context variable),
:func:`set_backend`, the ``BRAINX_BACKEND`` environment variable, and the
default (``jax`` when installed, else ``numba``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
import warnings
from collections.abc import Iterator
from contextvars import ContextVar
from importlib.metadata import entry_points

from brainx._errors import BackendNotInstalledError
from brainx.backend._protocol import Backend

__all__ = [
    "available_backends",
    "get_backend",
    "set_backend",
    "use_backend",
    "registered_backends",
    "backends_with_capability",
]

ENTRY_POINT_GROUP = "brainx.backends"
ENV_VAR = "BRAINX_BACKEND"
_DEFAULT_ORDER = ("jax", "numba")

_lock = threading.RLock()
_classes: dict[str, type[Backend]] | None = None
_instances: dict[str, Backend] = {}
_context: ContextVar[Backend | None] = ContextVar("brainx_backend", default=None)
_global: Backend | None = None
_default: Backend | None = None


def _discover() -> dict[str, type[Backend]]:
    global _classes
    if _classes is not None:
        return _classes
    with _lock:
        found: dict[str, type[Backend]] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                cls = ep.load()
            except Exception as err:  # a broken plugin must not break brainx
                warnings.warn(f"brainx backend plugin {ep.name!r} ({ep.value}) failed to load "
                              f"and is ignored: {err!r}", RuntimeWarning, stacklevel=3)
                continue
            if not (isinstance(cls, type) and issubclass(cls, Backend)):
                warnings.warn(f"brainx backend plugin {ep.name!r} ({ep.value}) is not a "
                              f"brainx.backend.Backend subclass and is ignored", RuntimeWarning,
                              stacklevel=3)
                continue
            found[ep.name] = cls
        _classes = found
    return _classes


def registered_backends() -> list[str]:
    """Names of all registered backends, installed or not.

    Examples
    --------
    >>> import brainx
    >>> sorted(brainx.backend.registered_backends())
    ['jax', 'numba']
    """
    return sorted(_discover())


def _is_installed(cls: type[Backend]) -> bool:
    return all(importlib.util.find_spec(mod) is not None for mod in cls.requires)


def available_backends() -> list[str]:
    """Names of the backends whose dependencies are installed.

    Examples
    --------
    >>> import brainx
    >>> 'numba' in brainx.available_backends()
    True
    """
    return sorted(name for name, cls in _discover().items() if _is_installed(cls))


def backends_with_capability(capability: str) -> list[str]:
    """Installed backends that advertise ``capability``."""
    return [n for n in available_backends() if capability in _discover()[n].capabilities]


def _load(name: str) -> Backend:
    backend = _instances.get(name)
    if backend is not None:
        return backend
    if not isinstance(name, str):
        raise TypeError(f"backend must be a backend name (str) or a Backend instance, "
                        f"got {name!r} of type {type(name).__name__}")
    classes = _discover()
    cls = classes.get(name)
    if cls is None:
        raise ValueError(f"unknown backend {name!r}; installed backends: "
                         f"{', '.join(available_backends()) or 'none'} "
                         f"(registered: {', '.join(sorted(classes)) or 'none'})")
    if not _is_installed(cls):
        missing = [m for m in cls.requires if importlib.util.find_spec(m) is None]
        raise BackendNotInstalledError(
            f"backend {name!r} needs {', '.join(missing)}, which is not installed; "
            f"install it with: pip install 'brainx[{cls.extra or name}]'")
    with _lock:
        backend = _instances.get(name)
        if backend is None:
            backend = cls()
            _check_namespace(backend)
            from brainx import environ

            environ._adopt_backend(backend)
            if environ.get_platform() != "cpu":
                backend.set_platform(environ.get_platform())
            _instances[name] = backend
    return backend


def _check_namespace(backend: Backend) -> None:
    from brainx.math._names import ALL_NAMES, LINALG_NAMES

    missing = [n for n in ALL_NAMES if not hasattr(backend.numpy, n)]
    missing += [f"linalg.{n}" for n in LINALG_NAMES if not hasattr(backend.numpy.linalg, n)]
    if missing:
        raise TypeError(f"backend {backend.name!r} does not provide these brainx.math names: "
                        f"{', '.join(missing)}")


def _resolve_default() -> Backend:
    global _default
    if _default is not None:
        return _default
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        try:
            _default = _load(env)
        except (ValueError, ImportError) as err:
            raise type(err)(f"environment variable {ENV_VAR}={env!r}: {err}") from None
        return _default
    available = available_backends()
    for name in _DEFAULT_ORDER:
        if name in available:
            _default = _load(name)
            return _default
    if available:
        _default = _load(available[0])
        return _default
    raise BackendNotInstalledError(
        "no brainx backend is installed; install one with: pip install 'brainx[jax]' "
        "or pip install 'brainx[numba]'")


def get_backend(backend: str | Backend | None = None) -> Backend:
    """Return a backend: the named one, or the active one.

    Parameters
    ----------
    backend : str or Backend, optional
        A backend name (``'jax'``, ``'numba'``) or instance. ``None`` returns
        the active backend.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.get_backend().name
    'numba'
    """
    if backend is None:
        active = _context.get()
        if active is not None:
            return active
        if _global is not None:
            return _global
        return _resolve_default()
    if isinstance(backend, Backend):
        return backend
    return _load(backend)


def set_backend(backend: str | Backend | None) -> Backend:
    """Make ``backend`` the active backend for this process.

    ``None`` goes back to the ``BRAINX_BACKEND`` environment variable or the
    default. Returns the backend now active.

    Examples
    --------
    >>> import brainx
    >>> brainx.set_backend('numba').name
    'numba'
    >>> _ = brainx.set_backend(None)
    """
    global _global, _default
    if backend is None:
        _global, _default = None, None
        return get_backend()
    _global = get_backend(backend)
    return _global


@contextlib.contextmanager
def use_backend(backend: str | Backend) -> Iterator[Backend]:
    """Use ``backend`` inside a ``with`` block (thread- and task-local).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba') as b:
    ...     print(b.name)
    numba
    """
    token = _context.set(get_backend(backend))
    try:
        yield _context.get()
    finally:
        _context.reset(token)


def loaded_backends() -> list[Backend]:
    """Backends instantiated so far in this process."""
    return list(_instances.values())
