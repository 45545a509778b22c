"""TreefyState: a State's class, value and metadata as an immutable pytree leaf holder."""

from __future__ import annotations

import builtins
from typing import Any

from brainx import _tree
from brainx._pretty import pretty, pretty_fields
from brainx.state import State, _counter, _trace_stack

__all__ = ["TreefyState", "to_treefy", "state_metadata"]

_STATE_SLOTS = frozenset({"_value", "_name", "_order", "__weakref__", "__dict__"})


def state_metadata(state: State) -> dict[str, Any]:
    """What describes ``state`` besides its value: its name and its subclass's attributes."""
    meta: dict[str, Any] = {"name": state._name}
    for cls in type(state).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot not in _STATE_SLOTS and hasattr(state, slot):
                meta[slot] = getattr(state, slot)
    meta.update(getattr(state, "__dict__", {}))
    return meta


class TreefyState:
    """A State as data: its class (``.type``), its ``.value`` and its metadata.

    The value is the only pytree child (for jax and for brainx's tree utilities),
    so ``jax.tree.map(f, tree)`` maps ``f`` over the arrays of a state tree and
    keeps each leaf's State class. :meth:`to_state` makes a new State from it.

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> ref = brainx.graph.TreefyState(brainx.ParamState, np.zeros(3, np.float32))
    >>> ref
    TreefyState(
      type=ParamState,
      value=ShapedArray(float32[3])
    )
    >>> s = ref.to_state()
    >>> type(s).__name__, s.value.shape
    ('ParamState', (3,))
    """

    __slots__ = ("type", "value", "_metadata")

    def __init__(self, type: type[State], value: Any, **metadata: Any):  # noqa: A002
        if not (isinstance(type, builtins.type) and issubclass(type, State)):
            raise TypeError(f"TreefyState's type must be a State class, got {type!r}")
        self.type = type
        self.value = value
        self._metadata = metadata

    @property
    def name(self) -> str | None:
        """The name of the State it describes."""
        return self._metadata.get("name")

    def get_metadata(self) -> dict[str, Any]:
        """The metadata (name and subclass attributes) as a new dict."""
        return dict(self._metadata)

    def replace(self, value: Any) -> TreefyState:
        """The same State description with another value."""
        return TreefyState(self.type, value, **self._metadata)

    def copy(self) -> TreefyState:
        """A shallow copy."""
        return self.replace(self.value)

    def to_state(self) -> State:
        """A new State of class ``type`` holding ``value``.

        The class's ``__init__`` is not run (the State exists already, in data form);
        compiling transforms see the new State as created inside them.
        """
        state = object.__new__(self.type)
        meta = dict(self._metadata)
        state._value = self.value
        state._name = meta.pop("name", None)
        state._order = next(_counter)
        for key, value in meta.items():
            object.__setattr__(state, key, value)
        for trace in _trace_stack():
            trace._created_here(state)
        return state

    def __getattr__(self, key: str) -> Any:
        try:
            return object.__getattribute__(self, "_metadata")[key]
        except (KeyError, AttributeError):
            raise AttributeError(f"TreefyState has no attribute {key!r}") from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TreefyState):
            return NotImplemented
        return self.type is other.type and self._metadata == other._metadata and \
            self.value is other.value

    __hash__ = None  # type: ignore[assignment]

    def _aux(self) -> tuple:
        return self.type, tuple(self._metadata.items())

    def __pretty__(self, level: int, seen: frozenset[int]) -> str:
        fields: list[tuple[str, Any]] = [("type", _Name(self.type.__name__))]
        if self.name is not None:
            fields.append(("name", self.name))
        fields += [(k, v) for k, v in self._metadata.items()
                   if k != "name" and not k.startswith("_")]
        fields.append(("value", self.value))
        return pretty_fields(type(self).__name__, fields, level, seen)

    def __repr__(self) -> str:
        return pretty(self)



class _Name:
    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def to_treefy(state: State) -> TreefyState:
    """The data form of ``state`` (its class, current value and metadata).

    The value is read as ``state.value``, so transforms that trace the caller see the read.
    """
    return TreefyState(type(state), state.value, **state_metadata(state))


def _unflatten(aux: tuple, children: Any) -> TreefyState:
    ref = object.__new__(TreefyState)
    ref.type = aux[0]
    ref.value = children[0]
    ref._metadata = dict(aux[1])
    return ref


_tree.register_node(TreefyState, lambda r: ((r.value,), r._aux()), _unflatten)
