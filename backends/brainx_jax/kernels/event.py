"""Event operators on jax: XLA scatter/gather with custom derivatives.

The forward pass is the reference (an XLA scatter-add, which XLA:CPU applies in
update order, so float64 sums match the numba kernels). ``grad_mode='vjp'``
attaches a custom VJP, ``'jvp'`` a custom JVP; both give derivatives with
respect to float events and to the weights.
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp

from brainx.event._ops import is_homogeneous, sparse_reference


def _product(backend: Any, shape: tuple, transpose: bool) -> Any:
    def apply(events: Any, weight: Any, pre_ids: Any, post_ids: Any) -> Any:
        return sparse_reference(backend, events, None, pre_ids, post_ids, weight, shape,
                                transpose)
    return apply


def _weight_cotangent(events: Any, g: Any, pre_ids: Any, post_ids: Any, transpose: bool,
                      homogeneous: bool, weight: Any) -> Any:
    source, target = (post_ids, pre_ids) if transpose else (pre_ids, post_ids)
    per_synapse = events[..., source].astype(g.dtype) * g[..., target]
    if per_synapse.ndim == 2:
        per_synapse = per_synapse.sum(axis=0)
    if homogeneous:
        return jnp.sum(per_synapse).astype(jnp.result_type(weight))
    return per_synapse.astype(weight.dtype)


@functools.cache
def _with_vjp(backend: Any, shape: tuple, transpose: bool, homogeneous: bool) -> Any:
    forward = _product(backend, shape, transpose)
    backward_product = _product(backend, shape, not transpose)

    @jax.custom_vjp
    def op(events, weight, pre_ids, post_ids):
        return forward(events, weight, pre_ids, post_ids)

    def fwd(events, weight, pre_ids, post_ids):
        return forward(events, weight, pre_ids, post_ids), (events, weight, pre_ids, post_ids)

    def bwd(residuals, g):
        events, weight, pre_ids, post_ids = residuals
        d_events = None
        if jnp.issubdtype(events.dtype, jnp.floating):
            d_events = backward_product(g, weight, pre_ids, post_ids).astype(events.dtype)
        d_weight = _weight_cotangent(events, g, pre_ids, post_ids, transpose, homogeneous, weight)
        return d_events, d_weight, None, None

    op.defvjp(fwd, bwd)
    return op


@functools.cache
def _with_jvp(backend: Any, shape: tuple, transpose: bool, homogeneous: bool) -> Any:
    forward = _product(backend, shape, transpose)

    @jax.custom_jvp
    def op(events, weight, pre_ids, post_ids):
        return forward(events, weight, pre_ids, post_ids)

    @op.defjvp
    def op_jvp(primals, tangents):
        events, weight, pre_ids, post_ids = primals
        d_events, d_weight = tangents[0], tangents[1]
        out = forward(events, weight, pre_ids, post_ids)
        tangent = forward(events, d_weight, pre_ids, post_ids)
        if jnp.issubdtype(events.dtype, jnp.floating):
            tangent = tangent + forward(d_events, weight, pre_ids, post_ids)
        return out, tangent.astype(out.dtype)

    return op


def sparse_matvec(b: Any, events: Any, indptr: Any, pre_ids: Any, post_ids: Any, weight: Any,
                  shape: tuple[int, int], transpose: bool, grad_mode: str = "vjp") -> Any:
    homogeneous = is_homogeneous(weight)
    factory = _with_vjp if grad_mode == "vjp" else _with_jvp
    op = factory(b, tuple(shape), bool(transpose), homogeneous)
    weight = jnp.asarray(weight, dtype=None if not homogeneous or hasattr(weight, "dtype")
                         else jax.dtypes.canonicalize_dtype(jnp.float64))
    return op(jnp.asarray(events), weight, pre_ids, post_ids)


KERNELS = {"event_sparse_matvec": sparse_matvec}
