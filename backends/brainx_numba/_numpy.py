"""brainx.math on numba: NumPy with brainx's precision policy.

At precision 32 no 64-bit array exists, as on jax with x64 disabled: 64-bit
inputs are narrowed before the call and 64-bit results after it (float64 ->
float32, int64 -> int32, uint64 -> uint32, complex128 -> complex64). A concrete
array of another library (a jax array a user made with ``jnp`` or brainunit's
``u.math``) is read as a NumPy array; one NumPy cannot read (a jax tracer) raises
``MixedBackendError``. The transcendental functions (``exp``, ``log``, ``sin``, ...) run
the Numba kernels of ``brainx_numba._ufuncs``, which compiled code calls too, not NumPy's
SIMD loops.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import array_api_compat
import numpy as np

from brainx._errors import MixedBackendError
from brainx.environ import thread_precision
from brainx.math._names import ALL_NAMES, ARRAY_API, EXTRAS, LINALG_NAMES
from brainx_numba._compiler._trace import Traced, active_tape
from brainx_numba._ufuncs import UFUNCS, dispatcher

_NARROW = {
    np.dtype(np.float64): np.dtype(np.float32),
    np.dtype(np.int64): np.dtype(np.int32),
    np.dtype(np.uint64): np.dtype(np.uint32),
    np.dtype(np.complex128): np.dtype(np.complex64),
}
_PLAIN = (int, float, bool, complex, str, type(None), slice, type(Ellipsis))


class _Policy:
    @property
    def x64(self) -> bool:
        """Whether the calling thread computes at 64 bits (its ``environ`` precision)."""
        return thread_precision() == 64


policy = _Policy()


def _is_foreign(x: Any) -> bool:
    """An array of another array library (jax, torch, cupy, ...)."""
    if type(x) in _PLAIN or isinstance(x, (type, np.ndarray, np.generic, np.dtype)):
        return False
    return array_api_compat.is_array_api_obj(x) and not array_api_compat.is_numpy_array(x)


def _foreign(x: Any) -> MixedBackendError:
    return MixedBackendError(
        f"got an array of another backend ({type(x).__module__}.{type(x).__name__}) that "
        f"NumPy cannot read while the numba backend is active (a jax tracer: a value inside "
        f"jax.jit, jax.grad or jax.vmap); run this code under the backend that made it, or "
        f"outside that transformation")


def from_foreign(x: Any) -> np.ndarray:
    """A concrete array of another library (a jax array made by ``jnp`` or brainunit's
    ``u.math``) as a NumPy array, copied to the host if it lives elsewhere; a value NumPy
    cannot read (a jax tracer) raises ``MixedBackendError``."""
    try:
        return narrow(np.asarray(x))
    except Exception as err:
        raise _foreign(x) from err


def narrow(x: Any) -> Any:
    """Apply the precision policy to one value (arrays, scalars, dtypes, tuples)."""
    if policy.x64:
        return x
    t = type(x)
    if t is np.ndarray or isinstance(x, np.generic) or t is Traced:
        target = _NARROW.get(x.dtype)
        return x.astype(target) if target is not None else x
    if t is tuple or t is list:
        return t(narrow(v) for v in x)
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return t(*(narrow(v) for v in x))
    if isinstance(x, np.dtype):
        return _NARROW.get(x, x)
    return x


def _prepare(x: Any) -> Any:
    t = type(x)
    if t in _PLAIN:
        return x
    if t is np.ndarray or isinstance(x, np.generic) or t is Traced:
        return narrow(x)
    if _is_foreign(x):
        return from_foreign(x)
    if t is list or t is tuple:
        return t(_prepare(v) for v in x)
    return x


def _ready(values: Any) -> bool:
    """True when no value needs narrowing or refusing (the common case, checked cheaply)."""
    for a in values:
        t = type(a)
        if t is np.ndarray or isinstance(a, np.generic):
            if a.dtype in _NARROW:
                return False
        elif t not in _PLAIN and not isinstance(a, (np.dtype, type)):
            return False
    return True


def _wrap(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        if policy.x64:
            for a in args:  # (this module's own `all` and `any` are brainx.math's)
                if type(a) is not np.ndarray and _is_foreign(a):
                    args = tuple(from_foreign(v) if _is_foreign(v) else v for v in args)
                    break
            if kwargs:
                kwargs = {k: from_foreign(v) if _is_foreign(v) else v for k, v in kwargs.items()}
            return fn(*args, **kwargs)
        if not _ready(args):
            args = tuple(_prepare(a) for a in args)
        if kwargs and not _ready(kwargs.values()):
            kwargs = {k: _prepare(v) for k, v in kwargs.items()}
        out = fn(*args, **kwargs)
        if type(out) is np.ndarray:
            target = _NARROW.get(out.dtype)
            return out if target is None else out.astype(target)
        return narrow(out)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = fn.__doc__
    return call


def _stable_argsort(a: Any, axis: int = -1, kind: str | None = None, order: Any = None,
                    *, stable: bool | None = None) -> Any:
    # jax's argsort is stable; NumPy's default quicksort is not: ties would be ordered differently.
    if stable is False and kind is None:
        kind = "quicksort"
    return np.argsort(a, axis=axis, kind=kind or "stable", order=order)


def _as_numpy(x: Any) -> np.ndarray:
    return np.asarray(x)


def _copy(x: Any) -> Any:
    if type(x) is Traced:
        return x.copy()
    tape = active_tape()
    if tape is not None:  # being compiled: the copy is a variable the update can change
        array = np.array(x, copy=True)
        return tape.record(f"{tape.constant(array)}.copy()", array.copy())
    return np.array(x, copy=True)


def _index_update(x: Any, index: Any, values: Any) -> np.ndarray:
    out = _copy(x)
    out[index] = values
    return out


def _index_add(x: Any, index: Any, values: Any) -> np.ndarray:
    out = _copy(x)
    np.add.at(out, index, values)
    return out


def _index_max(x: Any, index: Any, values: Any) -> np.ndarray:
    out = _copy(x)
    np.maximum.at(out, index, values)
    return out


def _index_min(x: Any, index: Any, values: Any) -> np.ndarray:
    out = _copy(x)
    np.minimum.at(out, index, values)
    return out


_SPECIAL = {"argsort": _stable_argsort, "as_numpy": _as_numpy, "index_update": _index_update,
            "index_add": _index_add, "index_max": _index_max, "index_min": _index_min}

def _conversion(wrapped: Callable[..., Any], copies: bool) -> Callable[..., Any]:
    """``asarray``-like functions: a value being compiled stays one (cast if asked)."""
    def convert(x: Any, dtype: Any = None, *args: Any, **kwargs: Any) -> Any:
        if type(x) is Traced:
            out = x if dtype is None or np.dtype(dtype) == x.dtype else x.astype(dtype)
            return narrow(out.copy() if copies and out is x else out)
        out = wrapped(x, dtype, *args, **kwargs)
        tape = active_tape()
        if tape is not None and type(out) is np.ndarray and out.ndim:
            # being compiled: a constant the update may index with computed values
            text = tape.constant(out)
            return tape.record(f"{text}.copy()" if copies else text, out)
        return out

    convert.__name__ = convert.__qualname__ = wrapped.__name__
    convert.__doc__ = wrapped.__doc__
    return convert


def _full_traced(wrapped: Callable[..., Any]) -> Callable[..., Any]:
    """``full(shape, fill_value)`` with a fill value being compiled."""
    def full(shape: Any, fill_value: Any, dtype: Any = None, *args: Any, **kwargs: Any) -> Any:
        if type(fill_value) is Traced and not args and not kwargs:
            tape = fill_value.tape
            dtype = np.dtype(dtype) if dtype is not None else fill_value.dtype
            shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
            value = np.full(shape, fill_value.example, dtype)
            return narrow(tape.record(f"np.full({tape.expr(tuple(int(n) for n in shape))}, "
                                      f"{fill_value.name}, np.{dtype.name})", value))
        return wrapped(shape, fill_value, dtype, *args, **kwargs)

    full.__name__ = full.__qualname__ = "full"
    full.__doc__ = wrapped.__doc__
    return full


def _array_api_function(name: str) -> Callable[..., Any]:
    """array-api-compat's function ``name``, its NumPy namespace imported on the first call.

    Importing that namespace takes about 80 ms (it loads every NumPy submodule), which a
    simulation that never calls ``concat`` or ``acos`` should not pay at start-up.
    """
    def call(*args: Any, **kwargs: Any) -> Any:
        import array_api_compat.numpy

        return getattr(array_api_compat.numpy, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


_CONVERSIONS = {"asarray": False, "asanyarray": False, "ascontiguousarray": False,
                "array": True}

for _name in ALL_NAMES:
    _impl = _SPECIAL.get(_name) or (_array_api_function(_name) if _name in ARRAY_API
                                       else getattr(np, _name))
    if _name in UFUNCS:
        _impl = dispatcher(_name, fallback=_impl)
    if _name == "as_numpy":
        globals()[_name] = _impl
    elif _name in _CONVERSIONS:
        globals()[_name] = _conversion(_wrap(_impl, _name), _CONVERSIONS[_name])
    elif _name == "full":
        globals()[_name] = _full_traced(_wrap(_impl, _name))
    else:
        globals()[_name] = _wrap(_impl, _name)

linalg = types.SimpleNamespace(
    **{_name: _wrap(getattr(np.linalg, _name), _name) for _name in LINALG_NAMES})
del _name, _impl

assert not set(EXTRAS) - set(_SPECIAL)
