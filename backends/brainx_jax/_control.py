"""Control flow on jax: XLA-compiled loops and branches over pure functions."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import jax
from jax import lax

# XLA:CPU contracts a * b + c into a fused multiply-add at its default optimisation level
# (optimization barriers do not stop it), and its algebraic simplifier turns a division by
# a broadcast scalar into a multiplication by the reciprocal; backend level 0 without that
# pass keeps every operation as written.
_STRICT_OPTIONS = {"xla_backend_optimization_level": 0, "xla_disable_hlo_passes": "algsimp"}


# The exception a host callback raised on this thread, re-raised as itself when jax reports
# it as a JaxRuntimeError('INTERNAL: CpuCallback error ...') at the compiled call.
_callback_errors = threading.local()


def _not_reraised(record: logging.LogRecord) -> bool:
    """Drop jax's log of a callback's exception that the compiled call re-raises itself."""
    raised = record.exc_info[1] if record.exc_info else None
    return raised is None or raised is not getattr(_callback_errors, "raised", None)


logging.getLogger("jax._src.debugging").addFilter(_not_reraised)


def _raising_own_errors(compiled: Callable) -> Callable:
    @functools.wraps(compiled)
    def call(*args: Any, **kwargs: Any) -> Any:
        _callback_errors.raised = None
        try:
            return compiled(*args, **kwargs)
        except jax.errors.JaxRuntimeError:
            raised, _callback_errors.raised = _callback_errors.raised, None
            if raised is None:
                raise
        raise raised

    return call


def jit(fn: Callable, static_argnums: Sequence[int] = (),
        static_argnames: Sequence[str] = (), strict_numerics: bool = False) -> Callable:
    return _raising_own_errors(jax.jit(
        fn, static_argnums=tuple(static_argnums), static_argnames=tuple(static_argnames),
        compiler_options=_STRICT_OPTIONS if strict_numerics else None))


def scan(body: Callable, carry: Any, xs: Sequence[Any], length: int, reverse: bool = False,
         unroll: int = 1) -> tuple[Any, Any]:
    if not xs:
        return lax.scan(lambda c, _: body(c, []), carry, None, length=length, reverse=reverse,
                        unroll=unroll)
    return lax.scan(body, carry, list(xs), length=length, reverse=reverse, unroll=unroll)


def while_loop(cond: Callable, body: Callable, init: Any) -> Any:
    return lax.while_loop(cond, body, init)


def cond(pred: Any, true_fn: Callable, false_fn: Callable, operands: tuple) -> Any:
    return lax.cond(pred, true_fn, false_fn, *operands)


def switch(index: Any, branches: Sequence[Callable], operands: tuple) -> Any:
    return lax.switch(index, list(branches), *operands)


def eval_shape(fn: Callable, *args: Any) -> Any:
    return jax.eval_shape(fn, *args)


def host_callback(fn: Callable, *args: Any) -> None:
    def remembering_errors(*values: Any) -> None:
        try:
            fn(*values)
        except BaseException as err:
            _callback_errors.raised = err
            raise

    jax.debug.callback(remembering_errors, *args, ordered=True)


def custom_derivative(forward: Callable, derivative: Callable) -> Callable:
    @jax.custom_jvp
    def fn(x: Any) -> Any:
        return forward(x)

    @fn.defjvp
    def fn_jvp(primals: tuple, tangents: tuple) -> tuple[Any, Any]:
        (x,), (dx,) = primals, tangents
        return forward(x), derivative(x) * dx

    return fn


def _abstract(x: Any) -> Any:
    try:
        return jax.typeof(x)
    except TypeError:
        raise TypeError(f"a value of type {type(x).__name__} ({x!r:.80}) cannot enter a "
                        f"compiled function; States and arguments must hold arrays or "
                        f"numbers") from None


def _same_types(avals: list, leaves: list) -> bool:
    if len(avals) != len(leaves):
        return False
    for aval, leaf in zip(avals, leaves, strict=True):
        got = jax.typeof(leaf)
        if got.shape != aval.shape or got.dtype != aval.dtype:
            return False
    return True


def stage(fn: Callable, args: Any, strict_numerics: bool = False
          ) -> tuple[Callable, Any, bool] | None:
    """Trace ``fn(lift, args)`` once to a jaxpr, inputs lifted as they are met; compile it.

    A lifted value becomes a new input variable of the jaxpr being built (the tracing
    frame's ``new_arg``), whatever transform (scan, grad, vmap) is tracing when it is
    met: inner traces see it as a closed-over value of the outer one.
    """
    try:  # jax internals (0.4.36 - 0.10): without them brainx falls back to two traces
        from jax._src import core as jcore
        from jax._src import source_info_util
        from jax._src.interpreters.partial_eval import DynamicJaxprTrace

        jcore.trace_ctx  # noqa: B018
        DynamicJaxprTrace.new_arg  # noqa: B018
    except (ImportError, AttributeError):
        return None

    from brainx.backend._protocol import StagedInputsChanged

    arg_leaves, arg_tree = jax.tree.flatten(args)
    lifted_avals: list = []
    out_tree: list = []

    def traced(*leaves: Any) -> list:
        frame = jcore.trace_ctx.trace
        if not isinstance(frame, DynamicJaxprTrace):
            raise RuntimeError(f"brainx: jax's make_jaxpr traced with {type(frame).__name__}, "
                               f"not DynamicJaxprTrace; this jax version is not supported")

        def lift(value: Any) -> Any:
            vleaves, vtree = jax.tree.flatten(value)
            avals = [_abstract(v) for v in vleaves]
            src = source_info_util.current()
            lifted_avals.extend(avals)
            return jax.tree.unflatten(vtree, [frame.new_arg(a, src) for a in avals])

        out = fn(lift, jax.tree.unflatten(arg_tree, leaves))
        out_leaves, tree = jax.tree.flatten(out)
        out_tree.append(tree)
        return out_leaves

    closed = jax.make_jaxpr(traced)(*arg_leaves)
    arg_avals = [_abstract(x) for x in arg_leaves]
    jaxpr, consts = closed.jaxpr, closed.consts

    def run_flat(args_: Any, lifted: Any) -> Any:
        a_leaves, l_leaves = jax.tree.leaves(args_), jax.tree.leaves(lifted)
        if not (_same_types(arg_avals, a_leaves) and _same_types(lifted_avals, l_leaves)):
            raise StagedInputsChanged()
        out = jax.core.eval_jaxpr(jaxpr, consts, *a_leaves, *l_leaves)
        return jax.tree.unflatten(out_tree[0], out)

    compiled = _raising_own_errors(
        jax.jit(run_flat, compiler_options=_STRICT_OPTIONS if strict_numerics else None))
    # a trace made inside another transform may close over that transform's tracers: such a
    # program belongs to that one trace and must not be kept
    reusable = not any(isinstance(c, jax.core.Tracer) for c in consts)
    return _sharded(compiled, reusable), closed, reusable


def _sharded(compiled: Callable, concrete: bool) -> Callable:
    """``compiled`` with the States it reads laid out over ``environ``'s devices (a program
    traced inside another transform receives tracers, which stay as they are)."""
    from brainx_jax import _sharding

    def run(args_: Any, lifted: Any) -> Any:
        mesh = _sharding.mesh() if concrete else None
        if mesh is not None:
            lifted = _sharding.place(lifted, mesh)
        return compiled(args_, lifted)
    return run
