"""The jaxpr of a stateful function: its States as extra inputs and outputs (jax only)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from brainx._errors import BackendCapabilityError
from brainx.backend import get_backend
from brainx.compile._staging import stage_stateful

__all__ = ["make_jaxpr"]


def make_jaxpr(fn: Callable[..., Any], static_argnums: int | Sequence[int] = (),
               return_shape: bool = False) -> Callable[..., tuple]:
    """A function returning the jaxpr of ``fn`` for given arguments, and the States it uses.

    ``make_jaxpr(fn)(*args)`` returns ``(jaxpr, states)`` (``(jaxpr, out_shapes,
    states)`` with ``return_shape``): a ``jax.extend.core.ClosedJaxpr`` whose inputs
    are the leaves of the non-static arguments followed by the leaves of the States
    ``fn`` reads (``states`` lists them first, in that order, then the States only
    written), and whose outputs are the leaves of ``fn``'s result followed by the new
    values of the States it writes. The function is traced once and nothing is run:
    States keep their values. Needs a backend with the ``jaxpr`` capability (jax).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     v = brainx.State(brainx.math.zeros(3))
    ...     def step(x):
    ...         v.value = v.value * 0.5 + x
    ...         return v.value.sum()
    ...     jaxpr, states = brainx.compile.make_jaxpr(step)(brainx.math.ones(3))
    >>> [s is v for s in states], len(jaxpr.jaxpr.invars), len(jaxpr.jaxpr.outvars)
    ([True], 2, 2)
    """
    if not callable(fn):
        raise TypeError(f"make_jaxpr needs a callable, got {fn!r}")
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fn)
    def make(*args: Any, **kwargs: Any) -> tuple:
        backend = get_backend()
        backend.require("jaxpr")
        static = {i: args[i] for i in nums if i < len(args)}
        dyn_args = tuple(a for i, a in enumerate(args) if i not in static)

        def call(d_args: tuple, d_kwargs: dict) -> Any:
            full = list(d_args)
            for i in sorted(static):
                full.insert(i, static[i])
            return fn(*full, **d_kwargs)

        staged = stage_stateful(backend, call, (dyn_args, kwargs), with_created=False)
        if staged is None:
            raise BackendCapabilityError(f"backend {backend.name!r} cannot trace a function "
                                         f"once to a program (its stage() is unavailable)")
        for state in staged.created:  # nothing ran: States made inside keep no tracer
            state.restore_value(_abstract(state._value))
        read = {id(s) for s in staged.inputs}
        states = tuple(staged.inputs) + tuple(s for s in staged.written if id(s) not in read)
        if return_shape:
            return staged.program, staged.out_shapes, states
        return staged.program, states

    return make


def _abstract(value: Any) -> Any:
    from brainx import _tree
    from brainx.compile._staging import _struct

    return _tree.tree_map(_struct, value)
