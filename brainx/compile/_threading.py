"""Threading States through the control-flow primitives of a tracing backend.

A tracing backend (jax) compiles a function once from abstract values, so a
State mutated inside must become an explicit input and output of the
compiled function. :func:`discover` runs the function abstractly under a
:class:`~brainx.state.StateTrace` to learn which States it touches;
:class:`StateCarry` moves their values in and out of the pure function.
Eager backends need none of this: States are mutated in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from brainx import _tree
from brainx._errors import LoopStructureError
from brainx.backend import Backend
from brainx.state import State, StateTrace, _leaf_mismatch


def discover(backend: Backend, fn: Callable[..., Any], *args: Any,
             keep_output: bool = False) -> tuple[StateTrace, Any]:
    """The States ``fn(*args)`` reads and writes, found by running it abstractly.

    Returns the trace and, with ``keep_output``, the abstract output of ``fn``.
    """
    trace = StateTrace()

    def probe(*probe_args: Any) -> Any:
        with trace:
            out = fn(*probe_args)
        return out if keep_output else None

    try:
        out = backend.eval_shape(probe, *args)
    finally:
        trace.restore()
    return trace, out


def merge(*traces: StateTrace) -> tuple[list[State], list[State]]:
    """All States of several traces, and those written by any, in first-seen order."""
    states: dict[int, State] = {}
    written: dict[int, State] = {}
    for trace in traces:
        for state in trace.states:
            states.setdefault(id(state), state)
            if trace.was_written(state):
                written.setdefault(id(state), state)
    return list(states.values()), list(written.values())


class StateCarry:
    """Moves the values of ``states`` in and out of a pure function."""

    def __init__(self, states: Sequence[State]):
        self.states = list(states)
        self.initial = [s.value for s in self.states]

    def load(self, values: Sequence[Any]) -> None:
        for state, value in zip(self.states, values, strict=True):
            state.restore_value(value)

    def current(self) -> list[Any]:
        return [state._value for state in self.states]

    def reset(self) -> None:
        """Undo :meth:`load`: give every State back its value from before the trace."""
        self.load(self.initial)

    def commit(self, values: Sequence[Any]) -> None:
        """Assign the final values as ordinary (checked, recorded) State writes."""
        self.reset()
        for state, value in zip(self.states, values, strict=True):
            state.value = value


def check_same_structure(what: str, expected: Any, got: Any) -> None:
    """Raise :class:`LoopStructureError` unless ``got`` matches ``expected`` leaf by leaf."""
    exp_leaves, exp_def = _tree.flatten(expected)
    got_leaves, got_def = _tree.flatten(got)
    if exp_def != got_def:
        raise LoopStructureError(f"{what} returned a value of structure {got_def}, "
                                 f"but {exp_def} was expected")
    for i, (a, b) in enumerate(zip(exp_leaves, got_leaves, strict=True)):
        problem = _leaf_mismatch(a, b)
        if problem:
            raise LoopStructureError(f"{what}: leaf {i} of {exp_def}: {problem}")
