"""Event-driven operators: declared once, with references that run on every backend.

Conventions, shared by references and kernels:

- a connectivity matrix has shape ``(n_pre, n_post)``; its synapses are listed by
  presynaptic neuron (CSR), ``pre_ids[k]`` and ``indices[k]`` being the two ends of
  synapse ``k``;
- ``events`` are booleans (a spike counts as 1) or floats (an event of size ``e``
  contributes ``e * w``), shaped ``(n,)`` or ``(batch, n)``;
- ``transpose=False`` maps presynaptic events to postsynaptic sums
  (``events @ M``), ``transpose=True`` maps postsynaptic values to presynaptic sums
  (``M @ events``);
- a homogeneous (scalar) weight multiplies the summed events once, so with boolean
  events the result is ``w * count``, exact in any summation order;
- sums run in ascending synapse order (ascending presynaptic neuron), which is what
  makes float64 results identical across backends.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import Backend
from brainx.backend._kernels import declare

__all__ = ["sparse_reference", "dense_reference"]


def result_dtype(events: Any, weight: Any) -> np.dtype:
    """Float weights keep their dtype; Python numbers follow the precision."""
    w_dtype = getattr(weight, "dtype", None)
    if w_dtype is not None and np.dtype(w_dtype).kind == "f":
        return np.dtype(w_dtype)
    e_dtype = np.dtype(events.dtype)
    return e_dtype if e_dtype.kind == "f" else environ.dftype()


def is_homogeneous(weight: Any) -> bool:
    return getattr(weight, "ndim", 0) == 0


def _scatter_add(xp: Any, out: Any, index: Any, values: Any, batched: bool) -> Any:
    return xp.index_add(out, (slice(None), index) if batched else index, values)


@declare("event_sparse_matvec")
def sparse_reference(b: Backend, events: Any, indptr: Any, pre_ids: Any, post_ids: Any,
                     weight: Any, shape: tuple[int, int], transpose: bool,
                     grad_mode: str = "vjp") -> Any:
    """Event product with a matrix given as synapse lists in CSR order.

    ``indptr`` (row starts, for kernels that walk rows) and ``grad_mode`` (for
    kernels with custom derivatives) are not needed by this reference.
    """
    xp = b.numpy
    dtype = result_dtype(events, weight)
    batched = events.ndim == 2
    source, target = (post_ids, pre_ids) if transpose else (pre_ids, post_ids)
    n_out = shape[0] if transpose else shape[1]
    values = events[..., source].astype(dtype)
    homogeneous = is_homogeneous(weight)
    if not homogeneous:
        values = values * weight
    out = xp.zeros(events.shape[:-1] + (n_out,), dtype=dtype)
    out = _scatter_add(xp, out, target, values, batched)
    return (out * xp.asarray(weight, dtype=dtype)).astype(dtype) if homogeneous else out


@declare("event_dense_matvec")
def dense_reference(b: Backend, events: Any, weight: Any, shape: tuple[int, int],
                    transpose: bool, grad_mode: str = "vjp") -> Any:
    """Event product with a dense ``(n_pre, n_post)`` matrix (or a scalar: all-to-all)."""
    xp = b.numpy
    dtype = result_dtype(events, weight)
    values = events.astype(dtype)
    n_out = shape[0] if transpose else shape[1]
    if is_homogeneous(weight):
        total = xp.sum(values, axis=-1, keepdims=True)
        out = xp.broadcast_to(total, events.shape[:-1] + (n_out,))
        return (out * xp.asarray(weight, dtype=dtype)).astype(dtype)
    matrix = weight.T if transpose else weight
    return xp.matmul(values, matrix).astype(dtype)
