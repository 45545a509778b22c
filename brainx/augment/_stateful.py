"""Running a stateful function as a pure one inside a transform, and back.

A transform (``jax.grad``, ``jax.vmap``, ...) calls a pure function once with
abstract values. :class:`StatefulCall` is that pure function for a user's
stateful ``fn``: it loads the values being transformed into their States,
calls ``fn`` under a :class:`~brainx.state.StateTrace`, and returns, beside
``fn``'s output, the final values of every State ``fn`` wrote or created. Once
the transform returns, :meth:`StatefulCall.finish` gives every State back a
value of the caller's level (concrete arrays, or the tracers of an enclosing
``compile.jit``), never a value of the transform's own trace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from brainx import _tree
from brainx.state import State, StateTrace

__all__ = ["StatefulCall", "flatten_states", "rebuild", "is_state"]


def is_state(x: Any) -> bool:
    return isinstance(x, State)


def flatten_states(states: Any, what: str = "grad_states") -> tuple[list[State], Any]:
    """The States of a State, a sequence or a (nested) dict of States, and its structure."""
    leaves, treedef = _tree.flatten(states, is_leaf=is_state)
    bad = [x for x in leaves if not isinstance(x, State)]
    if bad:
        raise TypeError(f"{what} must be a State, or a list, tuple or dict of States "
                        f"(e.g. model.states(brainx.ParamState)); it holds {bad[0]!r}")
    return leaves, (type(states), treedef, states)


def rebuild(structure: Any, values: Sequence[Any]) -> Any:
    """``values`` in the structure :func:`flatten_states` returned (dict subclasses kept)."""
    _, treedef, original = structure
    tree = _tree.unflatten(treedef, list(values))
    return _retype(original, tree)


def _retype(original: Any, tree: Any) -> Any:
    if isinstance(original, dict) and type(original) is not dict:
        return type(original)({k: _retype(original[k], tree[k]) for k in tree})
    if isinstance(original, dict):
        return {k: _retype(original[k], tree[k]) for k in tree}
    if type(original) in (list, tuple) and original is not tree:
        return type(original)(_retype(o, t) for o, t in zip(original, tree, strict=True))
    return tree


class StatefulCall:
    """``fn`` with some States' values supplied as arguments, and its side effects returned.

    Parameters
    ----------
    fn : callable
        The user's stateful function.
    states : sequence of State
        States whose values :meth:`__call__` receives explicitly (differentiated or
        mapped); every other State ``fn`` uses is read from the enclosing scope.
    """

    def __init__(self, fn: Callable[..., Any], states: Sequence[State] = ()):
        self.fn = fn
        self.states = list(states)
        self.originals = [s.value for s in self.states]  # read: enclosing traces record it
        self.written: list[State] = []
        self.created: list[State] = []
        self._trace: StateTrace | None = None

    def __call__(self, state_values: Sequence[Any], args: tuple, kwargs: dict
                 ) -> tuple[Any, list[Any], list[Any]]:
        """``(out, written values, created values)`` of ``fn(*args, **kwargs)``."""
        for state, value in zip(self.states, state_values, strict=True):
            state.restore_value(value)
        trace = StateTrace()
        try:
            with trace:
                out = self.fn(*args, **kwargs)
            explicit = {id(s) for s in self.states}
            self.written = [s for s in trace.written_states if id(s) not in explicit]
            self.written += [s for s in self.states if trace.was_written(s)]
            self.created = list(trace.created_states)
            written_values = [s._value for s in self.written]
            created_values = [s._value for s in self.created]
        finally:
            self._trace = trace
            self.reset()
        return out, written_values, created_values

    def reset(self) -> None:
        """Give every State ``fn`` touched its value from before the call."""
        if self._trace is not None:
            self._trace.restore()
        for state, value in zip(self.states, self.originals, strict=True):
            state.restore_value(value)

    def finish(self, written_values: Sequence[Any], created_values: Sequence[Any],
               checked: bool = True) -> None:
        """Assign the values the transform returned: written States get a recorded write
        (so an enclosing transform carries it), created States take theirs directly.

        ``checked=False`` lets a written State change shape (``vmap`` adds a batch axis).
        """
        for state, value in zip(self.written, written_values, strict=True):
            if checked:
                state.value = value
            else:
                state.assign_unchecked(value)
        for state, value in zip(self.created, created_values, strict=True):
            state.restore_value(value)


def is_array(x: Any) -> bool:
    """Whether ``x`` can pass through a transform (an array, tracer or Python number)."""
    if isinstance(x, (bool, int, float, complex)):
        return True
    return hasattr(x, "shape") and hasattr(x, "dtype") and not isinstance(x, State)


def split_static(tree: Any) -> tuple[Any, tuple[Any, list[Any]]]:
    """``tree`` with its non-array leaves (Nodes, States, functions) replaced by ``None``,
    and what :func:`join_static` needs to put them back, so the arrays can cross a
    transform."""
    leaves, treedef = _tree.flatten(tree)
    statics = [None if is_array(x) else x for x in leaves]
    arrays = [x if is_array(x) else None for x in leaves]
    return _tree.unflatten(treedef, arrays), (treedef, statics)


def join_static(tree: Any, split: tuple[Any, list[Any]]) -> Any:
    """The inverse of :func:`split_static`, applied to the transformed array part."""
    treedef, statics = split
    if all(x is None for x in statics):
        return tree
    leaves, _ = _tree.flatten(tree, is_leaf=lambda x: x is None)
    merged = [x if static is None else static for x, static in zip(leaves, statics, strict=True)]
    return _tree.unflatten(treedef, merged)
