"""Numba loop kernels inside XLA:CPU, through jax's typed FFI.

XLA's own scatter, gather and ``nonzero`` cost hundreds of microseconds on the
CPU for the event sizes of a spiking network, whatever the number of spikes. When
numba is installed, the jax backend instead runs the numba backend's event
kernels (``brainx_numba.kernels.event``) as XLA custom calls on the CPU, so both
backends execute the same loops and give the same numbers. Each handler is a
numba ``cfunc`` that reads XLA's call frame (layout from ``xla/ffi/api/c_api.h``,
shipped with jaxlib): it answers the metadata handshake, does its work only at
the execute stage, and returns no error.
"""

from __future__ import annotations

import ctypes
import importlib.util
import re
import warnings
from functools import cache
from pathlib import Path
from typing import Any

AVAILABLE = importlib.util.find_spec("numba") is not None

# XLA_FFI_DataType codes used here
_PRED, _S32, _S64, _F32, _F64 = 1, 4, 5, 11, 12


def api_version() -> tuple[int, int]:
    import jax

    header = Path(jax.ffi.include_dir()) / "xla" / "ffi" / "api" / "c_api.h"
    text = header.read_text()
    major = re.search(r"#define XLA_FFI_API_MAJOR (\d+)", text)
    minor = re.search(r"#define XLA_FFI_API_MINOR (\d+)", text)
    if major is None or minor is None:
        raise RuntimeError(f"cannot read the XLA FFI API version from {header}")
    return int(major.group(1)), int(minor.group(1))


@cache
def _registered() -> frozenset[str]:
    import jax

    new_capsule = ctypes.pythonapi.PyCapsule_New
    new_capsule.restype = ctypes.py_object
    new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    names = []
    from brainx_jax.kernels._ffi_handlers import HANDLERS

    for name, handler in HANDLERS.items():
        jax.ffi.register_ffi_target(name, new_capsule(handler.address, None, None),
                                    platform="cpu")
        names.append(name)
    return frozenset(names)


@cache
def usable() -> bool:
    """Whether the handlers run here: numba is installed and XLA accepted them.

    When registration fails (for example a jaxlib whose FFI no longer matches), the jax
    backend falls back to XLA's scatter/gather on the CPU, slower but correct.
    """
    if not AVAILABLE:
        return False
    try:
        _registered()
    except Exception as err:  # pragma: no cover - depends on the installed jaxlib
        warnings.warn(f"brainx: the numba event kernels could not be registered with XLA "
                      f"({err!r}); the jax backend uses XLA's scatter/gather on the CPU "
                      f"instead, which is slower", RuntimeWarning, stacklevel=2)
        return False
    return True


def sparse(events: Any, indptr: Any, post_ids: Any, weight: Any, n_out: int,
           transpose: bool, dtype: Any) -> Any:
    """The sparse event product through the CPU handler (indices as int32)."""
    import jax
    import jax.numpy as jnp

    name = "brainx_event_sparse_t" if transpose else "brainx_event_sparse"
    assert name in _registered()
    events = events if events.dtype == jnp.bool_ else events.astype(dtype)
    out_type = jax.ShapeDtypeStruct(events.shape[:-1] + (n_out,), dtype)
    call = jax.ffi.ffi_call(name, out_type, vmap_method="sequential")
    return call(events, indptr.astype(jnp.int32), post_ids.astype(jnp.int32),
                jnp.asarray(weight, dtype).reshape(-1))


def dense(events: Any, weight: Any, n_out: int, transpose: bool, dtype: Any) -> Any:
    """The dense event product through the CPU handler."""
    import jax
    import jax.numpy as jnp

    name = "brainx_event_dense_t" if transpose else "brainx_event_dense"
    assert name in _registered()
    events = events if events.dtype == jnp.bool_ else events.astype(dtype)
    out_type = jax.ShapeDtypeStruct(events.shape[:-1] + (n_out,), dtype)
    call = jax.ffi.ffi_call(name, out_type, vmap_method="sequential")
    return call(events, jnp.asarray(weight, dtype))
