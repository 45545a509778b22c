"""Control flow on jax: XLA-compiled loops and branches over pure functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
from jax import lax

# XLA:CPU contracts a * b + c into a fused multiply-add at its default optimisation level
# (optimization barriers do not stop it), and its algebraic simplifier turns a division by
# a broadcast scalar into a multiplication by the reciprocal; backend level 0 without that
# pass keeps every operation as written.
_STRICT_OPTIONS = {"xla_backend_optimization_level": 0, "xla_disable_hlo_passes": "algsimp"}


def jit(fn: Callable, static_argnums: Sequence[int] = (),
        static_argnames: Sequence[str] = (), strict_numerics: bool = False) -> Callable:
    return jax.jit(fn, static_argnums=tuple(static_argnums), static_argnames=tuple(static_argnames),
                   compiler_options=_STRICT_OPTIONS if strict_numerics else None)


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
    jax.debug.callback(fn, *args, ordered=True)


def custom_derivative(forward: Callable, derivative: Callable) -> Callable:
    @jax.custom_jvp
    def fn(x: Any) -> Any:
        return forward(x)

    @fn.defjvp
    def fn_jvp(primals: tuple, tangents: tuple) -> tuple[Any, Any]:
        (x,), (dx,) = primals, tangents
        return forward(x), derivative(x) * dx

    return fn
