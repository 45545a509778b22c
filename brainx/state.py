"""States: the only mutable values of a brainx model.

A model changes its state only by assigning ``state.value``. Compiling
transforms (``brainx.compile``) record which States a function reads and
writes and thread them through loops and branches as carries; eager backends
simply run the code, mutating States in place.

Examples
--------
>>> import brainx
>>> import numpy as np
>>> s = brainx.State(np.ones(3, dtype=np.float32))
>>> s
State(
  value=ShapedArray(float32[3])
)
>>> s.value = s.value * 2
>>> s.value
array([2., 2., 2.], dtype=float32)
"""

from __future__ import annotations

import itertools
import numbers
import threading
from typing import Any

import numpy as np

from brainx import _tree
from brainx._errors import StateMismatchError
from brainx._pretty import pretty, pretty_fields
from brainx.environ import thread_precision

__all__ = [
    "State",
    "ParamState",
    "ShortTermState",
    "LongTermState",
    "HiddenState",
    "StateTrace",
    "StateSnapshot",
    "inside_transform",
]

_PYTHON_SCALARS = (bool, int, float, complex)
_SCALAR_KIND = {bool: "b", int: "i", float: "f", complex: "c"}
_counter = itertools.count()
_local = threading.local()


def _trace_stack() -> list[StateTrace]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


class StateTrace:
    """Records the States that a function reads and writes while it runs.

    States created while the trace is active are local to it: they are not
    recorded as read or written, but listed in ``created_states``.
    :meth:`restore` puts back the values the recorded States had when first seen.
    Used as a context manager.

    Examples
    --------
    >>> import brainx
    >>> a, b = brainx.State(1.), brainx.State(2.)
    >>> with brainx.state.StateTrace() as trace:
    ...     b.value = a.value + 1.
    >>> [s is b for s in trace.states], [s is b for s in trace.written_states]
    ([False, True], [True])
    """

    transforms = True  # code inside runs under a transform (its values may be traced)

    def __init__(self) -> None:
        self.states: list[State] = []
        self._position: dict[int, int] = {}
        self._written: set[int] = set()
        self._created: set[int] = set()
        self.created_states: list[State] = []
        self._originals: list[Any] = []

    def __enter__(self) -> StateTrace:
        _trace_stack().append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        popped = _trace_stack().pop()
        assert popped is self, "StateTrace exited out of order"

    def _record(self, state: State, write: bool) -> None:
        key = id(state)
        if key in self._created:
            return
        if key not in self._position:
            self._position[key] = len(self.states)
            self.states.append(state)
            self._originals.append(state._value)
        if write:
            self._written.add(key)

    def _created_here(self, state: State) -> None:
        self._created.add(id(state))
        self.created_states.append(state)

    @property
    def written_states(self) -> list[State]:
        """The recorded States that were assigned, in order of first access."""
        return [s for s in self.states if id(s) in self._written]

    @property
    def read_only_states(self) -> list[State]:
        """The recorded States that were read but never assigned."""
        return [s for s in self.states if id(s) not in self._written]

    def was_written(self, state: State) -> bool:
        """Whether ``state`` was assigned while the trace was active."""
        return id(state) in self._written

    def restore(self) -> None:
        """Give every recorded State back the value it had when first seen."""
        for state, value in zip(self.states, self._originals, strict=True):
            state._value = value


def _copied(value: Any) -> Any:
    leaves, definition = _tree.flatten(value)
    if not any(type(leaf) is np.ndarray for leaf in leaves):
        return value
    return _tree.unflatten(definition, [leaf.copy() if type(leaf) is np.ndarray else leaf
                                        for leaf in leaves])


class StateSnapshot(StateTrace):
    """A :class:`StateTrace` that keeps a copy of each State's value when first seen, so
    :meth:`restore` rewinds the States even after writes into their arrays in place.

    It is not a transform: code inside runs exactly as it does outside (the Runner
    takes one around each chunk of steps, to rewind a chunk that failed).

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> v = brainx.State(np.zeros(2))
    >>> with brainx.state.StateSnapshot() as snapshot:
    ...     v.value[0] = 5.0
    >>> snapshot.restore()
    >>> v.value
    array([0., 0.])
    """

    transforms = False

    def _record(self, state: State, write: bool) -> None:
        fresh = id(state) not in self._position and id(state) not in self._created
        super()._record(state, write)
        if fresh:  # the value just remembered, copied before anything writes into it
            self._originals[-1] = _copied(self._originals[-1])


def inside_transform() -> bool:
    """Whether the caller runs under a transform that records States (jit, a loop, grad).

    Examples
    --------
    >>> import brainx
    >>> brainx.state.inside_transform()
    False
    """
    return any(trace.transforms for trace in _trace_stack())


def _leaf_signature(x: Any) -> tuple[tuple[int, ...], Any, bool] | None:
    if type(x) in _PYTHON_SCALARS:
        return (), _SCALAR_KIND[type(x)], True
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape is None or dtype is None:
        return None
    weak = bool(getattr(getattr(x, "aval", x), "weak_type", False))
    return tuple(shape), np.dtype(dtype), weak


def _describe_leaf(x: Any) -> str:
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape is None or dtype is None:
        return f"a python {type(x).__name__}"
    return f"an array of {np.dtype(dtype).name}{list(shape)}"


def _kind(dtype: Any) -> str:
    kind = dtype if isinstance(dtype, str) else dtype.kind
    return "i" if kind == "u" else kind


def _leaf_mismatch(old: Any, new: Any) -> str | None:
    a, b = _leaf_signature(old), _leaf_signature(new)
    if a is None or (b is None and isinstance(new, numbers.Number)):
        return None
    if b is None:  # neither an array nor a number (numbers include jax's typed literals)
        return (f"the State holds {_describe_leaf(old)}; a value of type {type(new).__name__} "
                f"({new!r:.40}) is not an array or a number")
    if a[0] != b[0]:
        return f"shape changed from {a[0]} to {b[0]}"
    if a[1] == b[1]:
        return None
    if (a[2] or b[2]) and _kind(a[1]) == _kind(b[1]):
        return None  # a Python scalar or weakly typed value adopts the other's precision
    name_a = getattr(a[1], "name", f"python {type(old).__name__}")
    name_b = getattr(b[1], "name", f"python {type(new).__name__}")
    hint = ""
    if (name_a, name_b) == ("float32", "float64"):
        hint = (" (a float64 NumPy scalar such as np.exp(-dt / tau) makes a float32 array "
                "float64 at precision 64, on every backend: write the factor as a Python "
                "float, math.exp(...), or np.float32(...))")
    return f"dtype changed from {name_a} to {name_b}{hint}"


_NARROWED = {"float64": "float32", "int64": "int32", "uint64": "uint32",
             "complex128": "complex64"}


def _narrows_to(old: Any, new: Any) -> bool:
    """Whether precision 32 narrows ``new``, a 64-bit array of ``old``'s shape, to ``old``'s
    dtype: at 32 bits no 64-bit value exists (jax with x64 disabled converts one), so
    every backend writes it narrowed, whatever NumPy's promotion made of it."""
    dtype, old_dtype = getattr(new, "dtype", None), getattr(old, "dtype", None)
    if dtype is None or old_dtype is None or not hasattr(new, "astype"):
        return False
    return (thread_precision() == 32 and _NARROWED.get(np.dtype(dtype).name) ==
            np.dtype(old_dtype).name and tuple(np.shape(new)) == tuple(np.shape(old)))


class State:
    """A mutable value of a model: an array, a number or any pytree of them.

    Parameters
    ----------
    value : Any
        The initial value. Later assignments must keep its structure, shapes
        and dtypes.
    name : str, optional
        A name used in error messages and reports.

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> class Counter(brainx.State):
    ...     pass
    >>> c = Counter(0)
    >>> c.value += 1
    >>> c.value
    1
    >>> brainx.State({'a': np.ones(3, np.float32), 'b': np.zeros(4, np.float32)})
    State(
      value={
        'a': ShapedArray(float32[3]),
        'b': ShapedArray(float32[4])
      }
    )
    """

    __slots__ = ("_value", "_name", "_order", "__weakref__")

    def __init__(self, value: Any, name: str | None = None):
        if isinstance(value, State):
            value = value.value
        self._value = value
        self._name = name
        self._order = next(_counter)
        for trace in _trace_stack():
            trace._created_here(self)

    @property
    def name(self) -> str | None:
        """The State's name, if it was given one."""
        return self._name

    @name.setter
    def name(self, name: str | None) -> None:
        self._name = name

    @property
    def value(self) -> Any:
        """The current value; assigning it checks structure, shape and dtype."""
        stack = _trace_stack()
        if stack:
            for trace in stack:
                trace._record(self, False)
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        if isinstance(new, State):
            raise TypeError(f"{self._describe()}: cannot assign a State to a State's value; "
                            f"assign its .value instead")
        new = self._check(new)
        stack = _trace_stack()
        if stack:
            for trace in stack:
                trace._record(self, True)
        self._value = new

    def _describe(self) -> str:
        named = f" {self._name!r}" if self._name else ""
        return f"{type(self).__name__}{named}"

    def _check(self, new: Any) -> Any:
        """``new`` if it fits the State, narrowed to its dtype where precision 32 narrows
        it (as jax does); else raise ``StateMismatchError``."""
        old = self._value
        if type(new) is np.ndarray and type(old) is np.ndarray:  # the eager per-step case
            if new.shape == old.shape and new.dtype == old.dtype:
                return new
        if type(old) is type(new) and type(old) not in (dict, list, tuple):
            problem = _leaf_mismatch(old, new)
            if problem and _narrows_to(old, new):
                return new.astype(old.dtype)
        else:
            old_leaves, old_def = _tree.flatten(old)
            new_leaves, new_def = _tree.flatten(new)
            if old_def != new_def:
                raise StateMismatchError(
                    f"{self._describe()}: the new value has structure {new_def}, but the State "
                    f"holds {old_def}; a State keeps the structure it was created with")
            problem = None
            for i, (a, b) in enumerate(zip(old_leaves, new_leaves, strict=True)):
                problem = _leaf_mismatch(a, b)
                if problem and _narrows_to(a, b):
                    new_leaves[i], problem = b.astype(a.dtype), None
                    new = _tree.unflatten(new_def, new_leaves)
                if problem:
                    problem += f" (leaf {i} of {old_def})" if old_def.num_leaves > 1 else ""
                    break
        if problem:
            raise StateMismatchError(
                f"{self._describe()}: {problem}; a State keeps the shape and dtype it was "
                f"created with (convert with .astype(...) or reshape, or create a new State)")
        return new

    def assign_unchecked(self, value: Any) -> None:
        """Assign a value of another shape (a transform adding a batch axis), recording the
        write for enclosing transforms."""
        for trace in _trace_stack():
            trace._record(self, True)
        self._value = value

    def restore_value(self, value: Any) -> None:
        """Set the value without recording the write or checking it (for transforms)."""
        self._value = value

    def __pretty__(self, level: int, seen: frozenset[int]) -> str:
        return pretty_fields(type(self).__name__, [("value", self._value)], level, seen)

    def __repr__(self) -> str:
        return pretty(self)


class ParamState(State):
    """A trainable parameter (weights, biases)."""

    __slots__ = ()


class ShortTermState(State):
    """State that is reset between trials (membrane potentials, synaptic currents)."""

    __slots__ = ()


class LongTermState(State):
    """State that persists across trials (running averages, counters)."""

    __slots__ = ()


class HiddenState(ShortTermState):
    """The hidden variables of a dynamical system (an alias kept for brainstate users)."""

    __slots__ = ()
