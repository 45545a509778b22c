"""Event operators on jax, with custom derivatives.

On the CPU, when numba is installed, the products run the numba backend's loop
kernels inside XLA (``cpu_ffi``); elsewhere (GPU, TPU, or without numba) they are
XLA scatter/gather programs (the references). XLA:CPU applies a scatter-add in
update order, so both ways sum in ascending presynaptic order, as the numba
backend does. ``grad_mode='vjp'`` attaches a custom VJP, ``'jvp'`` a custom JVP;
both give derivatives with respect to float events and to the weights.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from brainx.event._ops import dense_reference, is_homogeneous, result_dtype, sparse_reference
from brainx_jax import _sharding
from brainx_jax.kernels import cpu_ffi, sharded


def _on_cpu_via_ffi(xla: Callable, ffi: Callable) -> tuple[Callable, Callable]:
    """(the fastest product for the platform, the XLA product that jax can transpose)."""
    if not cpu_ffi.usable():
        return xla, xla

    def apply(*args: Any) -> Any:
        return jax.lax.platform_dependent(*args, cpu=ffi, default=xla)
    return apply, xla


def _presynaptic(indptr: Any, pre_ids: Any, post_ids: Any) -> Any:
    """Each synapse's presynaptic neuron: ``pre_ids``, or (None: the layer did not make
    them, as the CPU handler walks rows) computed in the program from the row starts."""
    if pre_ids is not None:
        return pre_ids
    counts = jnp.diff(jnp.asarray(indptr))
    return jnp.repeat(jnp.arange(counts.shape[0], dtype=jnp.int32), counts,
                      total_repeat_length=post_ids.shape[0])


def _sparse_product(backend: Any, shape: tuple, transpose: bool) -> Callable:
    n_out = shape[0] if transpose else shape[1]

    def xla(events, weight, indptr, pre_ids, post_ids):
        pre_ids = _presynaptic(indptr, pre_ids, post_ids)
        return sparse_reference(backend, events, indptr, pre_ids, post_ids, weight, shape,
                                transpose)

    def ffi(events, weight, indptr, pre_ids, post_ids):
        return cpu_ffi.sparse(events, indptr, post_ids, weight, n_out, transpose,
                              result_dtype(events, weight))

    return _on_cpu_via_ffi(xla, ffi)


def _sparse_weight_cotangent(events, g, indptr, pre_ids, post_ids, transpose, weight):
    pre_ids = _presynaptic(indptr, pre_ids, post_ids)
    source, target = (post_ids, pre_ids) if transpose else (pre_ids, post_ids)
    per_synapse = events[..., source].astype(g.dtype) * g[..., target]
    if per_synapse.ndim == 2:
        per_synapse = per_synapse.sum(axis=0)
    if is_homogeneous(weight):
        return jnp.sum(per_synapse).astype(weight.dtype)
    return per_synapse.astype(weight.dtype)


def _floating(x: Any) -> bool:
    return jnp.issubdtype(x.dtype, jnp.floating)


def _sparse_rules(backend: Any, shape: tuple, transpose: bool) -> tuple[Callable, ...]:
    """(product, XLA product, reverse rule ``bwd(residuals, g)``) of the sparse product."""
    forward, linear = _sparse_product(backend, shape, transpose)
    backward, _ = _sparse_product(backend, shape, not transpose)

    def bwd(res, g):
        events, weight, indptr, pre_ids, post_ids = res
        d_events = None
        if _floating(events):
            d_events = backward(g, weight, indptr, pre_ids, post_ids).astype(events.dtype)
        d_weight = _sparse_weight_cotangent(events, g, indptr, pre_ids, post_ids, transpose,
                                            weight)
        return d_events, d_weight, None, None, None

    return forward, linear, bwd


def _tangent(linear: Callable, primals: tuple, tangents: tuple, out: Any) -> Any:
    """The product's tangent, through XLA ops, which reverse mode can transpose (an FFI
    call cannot)."""
    events, weight, indptr, pre_ids, post_ids = primals
    tangent = linear(events, tangents[1], indptr, pre_ids, post_ids)
    if _floating(events):
        tangent = tangent + linear(tangents[0], weight, indptr, pre_ids, post_ids)
    return tangent.astype(out.dtype)


@functools.cache
def _sparse_op(backend: Any, shape: tuple, transpose: bool, grad_mode: str) -> Callable:
    """The differentiable product ``op(events, weight, indptr, pre_ids, post_ids)``."""
    forward, linear, bwd = _sparse_rules(backend, shape, transpose)
    if grad_mode == "vjp":
        @jax.custom_vjp
        def op(events, weight, indptr, pre_ids, post_ids):
            return forward(events, weight, indptr, pre_ids, post_ids)

        def fwd(events, weight, indptr, pre_ids, post_ids):
            out = forward(events, weight, indptr, pre_ids, post_ids)
            return out, (events, weight, indptr, pre_ids, post_ids)

        op.defvjp(fwd, bwd)
        return op

    @jax.custom_jvp
    def op(events, weight, indptr, pre_ids, post_ids):
        return forward(events, weight, indptr, pre_ids, post_ids)

    @op.defjvp
    def op_jvp(primals, tangents):
        out = forward(*primals)
        return out, _tangent(linear, primals, tangents, out)

    return op


def _split_op(backend: Any, shape: tuple, grad_mode: str, split: Any, indptr: Any,
              pre_ids: Any, post_ids: Any) -> Callable:
    """``op(events, weight)``: the product on each device of ``split``'s mesh for that
    device's neurons. The layer's own arrays are used only by the derivative rules, so a
    program that is not differentiated does not receive them (they would be copied to
    every device)."""
    key = (backend, shape, grad_mode)
    found = split.ops.get(key)
    if found is not None:
        return found
    _, linear, bwd = _sparse_rules(backend, shape, False)
    arrays = (indptr, pre_ids, post_ids)

    def forward(events, weight):
        return sharded.product(split, events, weight, result_dtype(events, weight),
                               is_homogeneous(weight))

    if grad_mode == "vjp":
        @jax.custom_vjp
        def op(events, weight):
            return forward(events, weight)

        def fwd(events, weight):
            return forward(events, weight), (events, weight)

        def split_bwd(res, g):
            return bwd((*res, *arrays), g)[:2]

        op.defvjp(fwd, split_bwd)
    else:
        @jax.custom_jvp
        def op(events, weight):
            return forward(events, weight)

        @op.defjvp
        def op_jvp(primals, tangents):
            out = forward(*primals)
            return out, _tangent(linear, (*primals, *arrays), tangents, out)
    split.ops[key] = op
    return op


def _walks_rows() -> bool:
    """Whether products on the default device run the row-walking CPU handler, which
    needs no presynaptic indices (XLA's scatter on other devices does)."""
    device = jax.config.jax_default_device or jax.devices()[0]
    return cpu_ffi.usable() and getattr(device, "platform", device) == "cpu"


def sparse_matvec(b: Any, events: Any, indptr: Any, pre_ids: Any, post_ids: Any, weight: Any,
                  shape: tuple[int, int], transpose: bool, grad_mode: str = "vjp") -> Any:
    events = jnp.asarray(events)
    weight = jnp.asarray(weight, dtype=result_dtype(events, weight))
    mesh = _sharding.mesh()
    if mesh is not None and not transpose and sharded.usable(mesh, shape[1]) \
            and not any(isinstance(a, jax.core.Tracer) for a in (indptr, post_ids)):
        split = sharded.local_structure(indptr, post_ids, shape[1], mesh,
                                        is_homogeneous(weight))
        if split is not None:
            op = _split_op(b, tuple(shape), grad_mode, split, indptr, pre_ids, post_ids)
            return op(events, weight)
    op = _sparse_op(b, tuple(shape), bool(transpose), grad_mode)
    return op(events, weight, indptr, pre_ids, post_ids)


def _prepare_sparse(b: Any, operands: Callable, shape: tuple[int, int]) -> None:
    """With devices set, split a new layer among them now (``sparse_matvec`` would do it
    while its first call is traced, and count it in the compile)."""
    try:
        mesh = _sharding.mesh()
    except ValueError:  # devices jax lacks: reported where the layer runs
        return
    if mesh is not None and sharded.usable(mesh, shape[1]):
        indptr, _, post_ids, weight = operands()
        sharded.local_structure(indptr, post_ids, shape[1], mesh, is_homogeneous(weight))


sparse_matvec.prepare = _prepare_sparse


def _dense_product(backend: Any, shape: tuple, transpose: bool) -> Callable:
    n_out = shape[0] if transpose else shape[1]

    def xla(events, weight):
        return dense_reference(backend, events, weight, shape, transpose)

    def ffi(events, weight):
        return cpu_ffi.dense(events, weight, n_out, transpose, result_dtype(events, weight))

    return _on_cpu_via_ffi(xla, ffi)


@functools.cache
def _dense_op(backend: Any, shape: tuple, transpose: bool) -> Callable:
    forward, _ = _dense_product(backend, shape, transpose)
    backward, _ = _dense_product(backend, shape, not transpose)

    @jax.custom_vjp
    def op(events, weight):
        return forward(events, weight)

    def fwd(events, weight):
        return forward(events, weight), (events, weight)

    def bwd(res, g):
        events, weight = res
        d_events = backward(g, weight).astype(events.dtype) if _floating(events) else None
        ev = events.astype(g.dtype).reshape(-1, events.shape[-1])
        gg = g.reshape(-1, g.shape[-1])
        d_weight = gg.T @ ev if transpose else ev.T @ gg
        return d_events, d_weight.astype(weight.dtype)

    op.defvjp(fwd, bwd)
    return op


def dense_matvec(b: Any, events: Any, weight: Any, shape: tuple[int, int], transpose: bool,
                 grad_mode: str = "vjp") -> Any:
    if is_homogeneous(weight):
        return dense_reference(b, events, weight, shape, transpose)
    events = jnp.asarray(events)
    weight = jnp.asarray(weight, dtype=result_dtype(events, weight))
    return _dense_op(b, tuple(shape), bool(transpose))(events, weight)


sparse_matvec.needs_pre_ids = lambda: not _walks_rows()

KERNELS = {"event_sparse_matvec": sparse_matvec, "event_dense_matvec": dense_matvec}
