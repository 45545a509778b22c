"""Global computing environment: time step, precision, platform, mode, threads and devices.

Every setting is declared once and is then available through :func:`set`,
:func:`get`, :func:`context` and, for some, an environment variable
(``BRAINX_PRECISION``, ``BRAINX_DT``, ``BRAINX_PLATFORM``, ``BRAINX_JIT``,
``BRAINX_THREADS``, ``BRAINX_DEVICES``) read at import.
Any other key (for example the shared time ``t`` and step ``i``) can be set
and read too.

Examples
--------
>>> import brainx
>>> brainx.environ.get_dt()
0.1
>>> with brainx.environ.context(dt=0.05, precision=64):
...     brainx.environ.get_dt(), brainx.environ.dftype()
(0.05, dtype('float64'))
>>> brainx.environ.get('precision')
32
"""

from __future__ import annotations

import contextlib
import functools
import numbers
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from brainx._units import to_canonical
from brainx.modes import Mode, NonBatching

__all__ = [
    "set",
    "get",
    "all",
    "context",
    "get_dt",
    "dt_value",
    "get_precision",
    "thread_precision",
    "get_platform",
    "get_mode",
    "get_threads",
    "dftype",
    "ditype",
    "dutype",
    "dctype",
    "tolerance",
    "set_platform",
    "register_default_behavior",
    "unregister_default_behavior",
]

_MISSING = object()


def _check_dt(value: Any) -> Any:
    number = to_canonical(value, "time", "dt")
    if isinstance(number, bool) or not isinstance(number, numbers.Real) or not number > 0 \
            or not np.isfinite(number):
        raise ValueError(f"dt must be a positive finite number (ms) or time Quantity, got "
                         f"{value!r}")
    if number is value:
        return float(value)
    # as brainstate's dt: a Quantity of an array, so that (delay / dt).astype(int) works
    return type(value)(np.asarray(value.mantissa, dtype=np.float64), unit=value.unit)


def _check_precision(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, str) and value.strip().lower() == "bf16":
        value = 16
    if isinstance(value, bool) or value not in (16, 32, 64):
        raise ValueError(f"precision must be 16 (bfloat16 floats), 32 or 64 (bits of the "
                         f"default float and int), got {value!r}")
    if value == 16:
        _bfloat16()  # refuse at once where bfloat16 is unavailable
    return int(value)


def _bfloat16() -> np.dtype:
    try:
        import ml_dtypes
    except ImportError:
        from brainx._errors import BackendCapabilityError

        raise BackendCapabilityError(
            "precision=16 means bfloat16 floats, which NumPy has only through the ml_dtypes "
            "package (installed with jax); pip install ml_dtypes, or use precision=32") from None
    return np.dtype(ml_dtypes.bfloat16)


def _check_platform(value: Any) -> str:
    if value not in ("cpu", "gpu", "tpu"):
        raise ValueError(f"platform must be one of 'cpu', 'gpu', 'tpu', got {value!r}")
    return value


def _check_jit(value: Any) -> bool:
    if isinstance(value, str):  # from BRAINX_JIT
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
    if isinstance(value, bool):
        return value
    raise ValueError(f"jit must be True (compile) or False (run eagerly, for debugging), "
                     f"got {value!r}")


def _check_threads(value: Any) -> int | None:
    if isinstance(value, str):  # from BRAINX_THREADS
        text = value.strip().lower()
        if text in ("", "all"):
            return None
        if text.isdigit():
            value = int(text)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"threads must be a positive int (CPU threads for the numba backend's "
                         f"kernels and compiled loops) or None (all cores), got {value!r}")
    return int(value)


def _check_devices(value: Any) -> Any:
    if isinstance(value, str):  # from BRAINX_DEVICES
        text = value.strip().lower()
        if text in ("", "1", "none"):
            return None
        if text == "all":
            return "all"
        if text.isdigit():
            value = int(text)
    if value is None or value == "all":
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 1:
            raise ValueError(f"devices must be a positive int, got {value!r}")
        return None if value == 1 else int(value)
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (str, bool)):
        return tuple(value)
    raise ValueError(f"devices must be None (one device), a positive int (the first N devices "
                     f"of the platform), 'all', or a non-empty list of jax devices, got "
                     f"{value!r}")


def _check_mode(value: Any) -> Mode:
    if isinstance(value, type) and issubclass(value, Mode):
        value = value()
    if not isinstance(value, Mode):
        raise TypeError(f"mode must be a brainx.modes.Mode (e.g. brainx.modes.Batching()), "
                        f"got {value!r}")
    return value


def _apply_precision(bits: int) -> None:
    from brainx.backend import loaded_backends

    for backend in loaded_backends():
        backend.set_precision(bits)


def _apply_platform(platform: str) -> None:
    from brainx.backend import get_backend

    get_backend().set_platform(platform)


@dataclass(frozen=True)
class _Option:
    name: str
    default: Any
    check: Callable[[Any], Any]
    env_var: str | None = None
    on_change: Callable[[Any], None] | None = None

    def initial(self) -> Any:
        raw = os.environ.get(self.env_var, "") if self.env_var else ""
        if not raw:
            return self.default
        try:
            return self.check(float(raw) if self.name == "dt" else raw)
        except (TypeError, ValueError) as err:
            raise ValueError(f"environment variable {self.env_var}={raw!r}: {err}") from None


_OPTIONS = {
    opt.name: opt
    for opt in (
        _Option("dt", 0.1, _check_dt, "BRAINX_DT"),
        _Option("precision", 32, _check_precision, "BRAINX_PRECISION", _apply_precision),
        _Option("platform", "cpu", _check_platform, "BRAINX_PLATFORM", _apply_platform),
        _Option("mode", NonBatching(), _check_mode),
        _Option("jit", True, _check_jit, "BRAINX_JIT"),
        _Option("threads", None, _check_threads, "BRAINX_THREADS"),
        _Option("devices", None, _check_devices, "BRAINX_DEVICES"),
    )
}

_WITH_SIDE_EFFECTS = frozenset(name for name, opt in _OPTIONS.items() if opt.on_change)
_lock = threading.RLock()
_globals: dict[str, Any] = {name: opt.initial() for name, opt in _OPTIONS.items()}
_local = threading.local()


def _stack() -> list[dict[str, Any]]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def _validated(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: (_OPTIONS[k].check(v) if k in _OPTIONS else v) for k, v in kwargs.items()}


def _notify(before: dict[str, Any]) -> None:
    for name, opt in _OPTIONS.items():
        if opt.on_change is not None:
            now = get(name)
            if before[name] != now:
                opt.on_change(now)


def _snapshot() -> dict[str, Any]:
    return {name: get(name) for name in _OPTIONS if _OPTIONS[name].on_change is not None}


def set(**kwargs: Any) -> None:  # noqa: A001 - mirrors brainstate.environ.set
    """Set environment values globally.

    Parameters
    ----------
    **kwargs
        ``dt`` (ms, > 0), ``precision`` (32 or 64), ``platform`` ('cpu',
        'gpu', 'tpu'), ``mode`` (a :class:`brainx.modes.Mode`), ``jit`` (True:
        the numba backend compiles ``compile.jit`` functions, loops and the Runner;
        False: it runs them eagerly, for debugging; also ``BRAINX_JIT=0``), ``threads``
        (CPU threads of the numba backend, None: all cores; also ``BRAINX_THREADS``),
        ``devices`` (devices a jax network is sharded over: None for one, an int N
        for the first N, ``'all'``, or a list of jax devices; also ``BRAINX_DEVICES``),
        or any other key.

    Examples
    --------
    >>> import brainx
    >>> brainx.environ.set(dt=0.05)
    >>> brainx.environ.get_dt()
    0.05
    >>> brainx.environ.set(dt=0.1)
    """
    values = _validated(kwargs)
    with _lock:
        before = _snapshot()
        _globals.update(values)
        _notify(before)
    _run_behaviors(values)


def get(key: str, default: Any = _MISSING, desc: str | None = None) -> Any:
    """Return the value of ``key``, innermost :func:`context` first.

    ``desc`` describes the value in the error raised when it is not set.

    Examples
    --------
    >>> import brainx
    >>> brainx.environ.get('precision')
    32
    >>> brainx.environ.get('t', default=0.)
    0.0
    """
    for frame in reversed(_stack()):
        if key in frame:
            return frame[key]
    if key in _globals:
        return _globals[key]
    if default is not _MISSING:
        return default
    what = f" ({desc})" if desc else ""
    raise KeyError(f"environment value {key!r}{what} is not set; set it with "
                   f"brainx.environ.set({key}=...) or environ.context({key}=...), or pass a "
                   f"default. Known: {', '.join(sorted(all()))}")


def all() -> dict[str, Any]:  # noqa: A001 - mirrors brainstate.environ.all
    """All current environment values as a dict."""
    merged = dict(_globals)
    for frame in _stack():
        merged.update(frame)
    return merged


@contextlib.contextmanager
def context(**kwargs: Any) -> Iterator[dict[str, Any]]:
    """Override environment values inside a ``with`` block (thread-local).

    Examples
    --------
    >>> import brainx
    >>> with brainx.environ.context(dt=0.01):
    ...     brainx.environ.get_dt()
    0.01

    The platform is chosen once for the program and cannot change inside a context:

    >>> with brainx.environ.context(platform='gpu'):
    ...     pass
    Traceback (most recent call last):
    ...
    ValueError: cannot set platform in environ.context(): ...
    """
    for key in ("platform", "host_device_count"):
        if key in kwargs:
            raise ValueError(f"cannot set {key} in environ.context(): it is chosen once for the "
                             f"whole program; set it globally with brainx.environ.set({key}=...) "
                             f"(or the BRAINX_PLATFORM environment variable) before building "
                             f"models")
    values = _validated(kwargs)
    stack = _stack()
    if not any(k in _WITH_SIDE_EFFECTS or k in _BEHAVIORS for k in values):
        # the per-step fast path (e.g. t and i): nothing to re-apply on entry or exit
        stack.append(values)
        try:
            yield all()
        finally:
            stack.pop()
        return
    scoped = "precision" in values
    if scoped:
        _enter_precision(values["precision"])
    stack.append(values)
    try:
        _run_behaviors(values)
        yield all()
    finally:
        stack.pop()
        if scoped:
            _leave_precision()
        _run_behaviors({k: get(k) for k in values if k in _BEHAVIORS and k in all()})


def _precision_scopes() -> list[tuple[int, list]]:
    scopes = getattr(_local, "precision", None)
    if scopes is None:
        scopes = _local.precision = []
    return scopes


def _enter_precision(bits: int) -> None:
    """This thread computes at ``bits`` until :func:`_leave_precision`: each loaded backend
    enters its thread-local scope (other threads keep their own precision)."""
    from brainx.backend import loaded_backends

    entered = []
    try:
        for backend in loaded_backends():
            scope = backend.precision_scope(bits)
            scope.__enter__()
            entered.append(scope)
    except BaseException:
        for scope in reversed(entered):
            scope.__exit__(None, None, None)
        raise
    _precision_scopes().append((bits, entered))


def _leave_precision() -> None:
    _, entered = _precision_scopes().pop()
    for scope in reversed(entered):
        scope.__exit__(None, None, None)


def _adopt_backend(backend: Any) -> None:
    """Give a backend that has just loaded the global precision, and the calling thread's
    own precision while it is inside ``context(precision=...)``."""
    backend.set_precision(_globals["precision"])
    scopes = _precision_scopes()
    if scopes:
        scope = backend.precision_scope(scopes[-1][0])
        scope.__enter__()
        scopes[-1][1].append(scope)  # left with the innermost precision context


def thread_precision() -> int:
    """The calling thread's precision: its innermost ``context(precision=...)``, else the
    global one (what :func:`get_precision` returns, without searching the frames).

    Examples
    --------
    >>> import brainx
    >>> with brainx.environ.context(precision=64):
    ...     brainx.environ.thread_precision()
    64
    """
    scopes = getattr(_local, "precision", None)
    return scopes[-1][0] if scopes else _globals["precision"]


def push_frame(values: dict[str, Any]) -> None:
    """Enter a frame of per-step values (not options: no checks, nothing re-applied).

    For loops that set ``t`` and ``i`` every step; pair each call with
    :func:`pop_frame`. Users write ``with context(t=..., i=...)`` instead.
    """
    _stack().append(values)


def pop_frame() -> None:
    """Leave the frame entered by the last :func:`push_frame`."""
    _stack().pop()


def get_dt() -> Any:
    """The numerical integration step: a number in ms, or the time Quantity it was set to."""
    return get("dt")


_dt_seen: list[Any] = [None, 0.0]


def dt_value() -> float:
    """The numerical integration step as a number of ms (what models compute with).

    Examples
    --------
    >>> import brainx
    >>> import brainunit as u
    >>> with brainx.environ.context(dt=50.0 * u.us):
    ...     brainx.environ.get_dt(), brainx.environ.dt_value()
    (Quantity(50., "us"), 0.05)
    """
    dt = get("dt")
    if type(dt) is float:
        return dt
    if dt is not _dt_seen[0]:
        _dt_seen[:] = [dt, float(to_canonical(dt, "time", "dt"))]
    return _dt_seen[1]


def get_precision() -> int:
    """Bits of the default float and integer types (16, 32 or 64; 16 means bfloat16)."""
    return get("precision")


def get_platform() -> str:
    """The device platform ('cpu', 'gpu' or 'tpu')."""
    return get("platform")


def get_threads() -> int:
    """The CPU threads the numba backend uses: ``threads`` if set, else every core this
    process may run on.

    Examples
    --------
    >>> import brainx
    >>> with brainx.environ.context(threads=2):
    ...     brainx.environ.get_threads()
    2
    """
    chosen = get("threads")
    return chosen if chosen is not None else _cores()


@functools.cache
def _cores() -> int:
    """The cores this process may run on (read once: every event product asks)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def get_mode() -> Mode:
    """The computing mode (see :mod:`brainx.modes`)."""
    return get("mode")


def dftype() -> np.dtype:
    """The default float dtype: float64, float32, or bfloat16 at precision 16.

    Examples
    --------
    >>> import brainx
    >>> with brainx.environ.context(precision=16):
    ...     brainx.environ.dftype(), brainx.environ.ditype()
    (dtype(bfloat16), dtype('int16'))
    """
    bits = get_precision()
    if bits == 16:
        return _bfloat16()
    return np.dtype(np.float64 if bits == 64 else np.float32)


def ditype() -> np.dtype:
    """The default signed integer dtype for the current precision."""
    return np.dtype({64: np.int64, 16: np.int16}.get(get_precision(), np.int32))


def dutype() -> np.dtype:
    """The default unsigned integer dtype for the current precision."""
    return np.dtype({64: np.uint64, 16: np.uint16}.get(get_precision(), np.uint32))


def dctype() -> np.dtype:
    """The default complex dtype for the current precision (complex64 below 64)."""
    return np.dtype(np.complex128 if get_precision() == 64 else np.complex64)


def tolerance() -> np.ndarray:
    """A comparison tolerance for the default float: 1e-12, 1e-5, or 1e-2 at precision 16.

    Examples
    --------
    >>> import brainx
    >>> brainx.environ.tolerance()
    array(1.e-05, dtype=float32)
    """
    bits = get_precision()
    return np.asarray({64: 1e-12, 32: 1e-5}.get(bits, 1e-2), dtype=dftype())


def set_platform(platform: str) -> None:
    """Select the device platform ('cpu', 'gpu', 'tpu') for the whole program."""
    set(platform=platform)


_BEHAVIORS: dict[str, Callable[[Any], Any]] = {}


def register_default_behavior(key: str, behavior: Callable[[Any], Any],
                              replace_if_exist: bool = False) -> None:
    """Call ``behavior(value)`` whenever ``key`` is set, entered or restored by a context.

    Examples
    --------
    >>> import brainx
    >>> seen = []
    >>> brainx.environ.register_default_behavior('gain', seen.append, replace_if_exist=True)
    >>> with brainx.environ.context(gain=2.0):
    ...     pass
    >>> seen
    [2.0]
    >>> brainx.environ.unregister_default_behavior('gain')
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a str, got {key!r}")
    if not callable(behavior):
        raise TypeError(f"behavior must be a callable taking the new value, got {behavior!r}")
    if key in _BEHAVIORS and not replace_if_exist:
        raise ValueError(f"a default behavior is registered for {key!r} already; pass "
                         f"replace_if_exist=True to replace it")
    _BEHAVIORS[key] = behavior


def unregister_default_behavior(key: str) -> None:
    """Remove the behavior registered for ``key`` (missing keys are an error)."""
    if key not in _BEHAVIORS:
        raise KeyError(f"no default behavior is registered for {key!r}")
    del _BEHAVIORS[key]


def _run_behaviors(values: dict[str, Any]) -> None:
    for key, value in values.items():
        behavior = _BEHAVIORS.get(key)
        if behavior is not None:
            behavior(value)


# brainstate's names of the shared per-step values
I = "i"  # noqa: E741 - brainstate's name: the index of the current step
T = "t"  #: the current time
JIT_ERROR_CHECK = "jit_error_check"
FIT = "fit"  #: whether the model is being fitted (training)
