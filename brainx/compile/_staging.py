"""One trace of a stateful function: its States become inputs of the program as they are read.

:func:`stage_stateful` runs the function once under the backend's tracer
(:meth:`~brainx.backend.Backend.stage`). The first time the function reads a
State, the State's value is replaced by a new input of the program being traced
(a "lifted" input); at the end the program returns, beside the function's
output, the values of the States it wrote and of those it created. So a single
trace both discovers the States and builds the program that ``compile.jit``
compiles and ``compile.make_jaxpr`` shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brainx import _tree
from brainx.backend import Backend
from brainx.state import State, StateTrace


class _LiftingTrace(StateTrace):
    """A StateTrace that turns each State's value into a program input on its first read."""

    def __init__(self) -> None:
        super().__init__()
        self.lift: Callable[[Any], Any] | None = None
        self.lifted: list[State] = []

    def _record(self, state: State, write: bool) -> None:
        key = id(state)
        fresh = key not in self._position and key not in self._created
        super()._record(state, write)
        if fresh and not write and self.lift is not None:
            try:
                state._value = self.lift(state._value)
            except TypeError as err:
                raise TypeError(f"{state._describe()}: {err}") from None
            self.lifted.append(state)


@dataclass
class Staged:
    """A traced and compiled stateful function (see :func:`stage_stateful`)."""

    run: Callable[[Any, list], Any]
    inputs: list[State]  # read by the function: their values are passed at each call
    written: list[State]  # their new values are outputs
    created: list[State]  # created inside: their final values are outputs (when kept)
    program: Any
    reusable: bool
    out_shapes: Any = None


def _struct(x: Any) -> Any:
    from brainx.augment._misc import ShapeDtypeStruct

    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    return x if shape is None or dtype is None else ShapeDtypeStruct(tuple(shape), dtype)


def stage_stateful(backend: Backend, call: Callable[..., Any], dyn: tuple,
                   strict_numerics: bool = False, with_created: bool = True) -> Staged | None:
    """Trace ``call(*dyn)`` once and compile it; ``None`` if the backend cannot stage.

    The compiled ``run(dyn, [s.value for s in inputs])`` returns ``(out, written
    values, created values)`` (without the created values unless ``with_created``).
    """
    trace = _LiftingTrace()
    shapes: list[Any] = []

    def fn(lift: Callable[[Any], Any], dyn_: tuple) -> tuple:
        trace.lift = lift
        with trace:
            out = call(*dyn_)
        trace.lift = None
        shapes.append(_tree.tree_map(_struct, out))
        written = [s._value for s in trace.written_states]
        if not with_created:
            return out, written
        return out, written, [s._value for s in trace.created_states]

    try:
        staged = backend.stage(fn, dyn, strict_numerics)
    finally:
        trace.lift = None
        trace.restore()
    if staged is None:
        return None
    run, program, reusable = staged
    return Staged(run, list(trace.lifted), trace.written_states, list(trace.created_states),
                  program, reusable, shapes[0] if shapes else None)
