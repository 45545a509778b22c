"""Graph nodes: objects whose attributes hold States and other Nodes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from brainx._pretty import pretty, pretty_fields
from brainx.graph._dicts import FlattedDict
from brainx.state import State

__all__ = ["Node", "iter_leaves"]

Filter = type | Callable[[tuple, Any], bool] | type(Ellipsis)


class Node:
    """Base class of objects that own States and other Nodes.

    Nodes may nest in any way (attributes, lists, tuples, dicts) and may refer
    to each other in cycles (``model.self = model``).

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> class Linear(brainx.graph.Node):
    ...     def __init__(self, din, dout):
    ...         self.din, self.dout = din, dout
    ...         self.w = brainx.ParamState(np.ones((din, dout), np.float32))
    ...         self.b = brainx.ParamState(np.zeros(dout, np.float32))
    >>> model = Linear(2, 5)
    >>> model.self = model
    >>> model
    Linear(
      din=2,
      dout=5,
      w=ParamState(
        value=ShapedArray(float32[2,5])
      ),
      b=ParamState(
        value=ShapedArray(float32[5])
      ),
      self=Linear(...)
    )
    >>> list(model.states())
    [('w',), ('b',)]
    """

    def _graph_fields(self) -> list[tuple[str, Any]]:
        return [(k, v) for k, v in vars(self).items() if not k.startswith("_")]

    def __pretty__(self, level: int, seen: frozenset[int]) -> str:
        name = type(self).__name__
        if id(self) in seen:
            return f"{name}(...)"
        return pretty_fields(name, self._graph_fields(), level, seen | {id(self)})

    def __repr__(self) -> str:
        return pretty(self)

    def states(self, *filters: Filter, **kwargs: Any) -> FlattedDict | tuple[FlattedDict, ...]:
        """The States reachable from this Node (see :func:`brainx.graph.states`)."""
        from brainx.graph._operation import states

        return states(self, *filters, **kwargs)

    def nodes(self, *filters: Filter, **kwargs: Any) -> FlattedDict | tuple[FlattedDict, ...]:
        """The Nodes reachable from this Node (see :func:`brainx.graph.nodes`)."""
        from brainx.graph._operation import nodes

        return nodes(self, *filters, **kwargs)


def _children(obj: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(obj, Node):
        yield from obj._graph_fields()
    elif isinstance(obj, dict):
        yield from obj.items()
    elif isinstance(obj, (list, tuple)):
        yield from enumerate(obj)


def iter_leaves(root: Any) -> Iterator[tuple[tuple, Any]]:
    """Yield ``(path, obj)`` for every State and Node reachable from ``root``.

    Each object is yielded once, at the first path that reaches it (depth
    first, attributes in definition order); the root Node comes last, at
    path ``()``.
    """
    seen: set[int] = set()

    def walk(obj: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
        if isinstance(obj, State):
            if id(obj) not in seen:
                seen.add(id(obj))
                yield path, obj
            return
        if isinstance(obj, (Node, list, tuple, dict)):
            if id(obj) in seen:
                return
            seen.add(id(obj))
            for key, child in _children(obj):
                yield from walk(child, path + (key,))
            if isinstance(obj, Node):
                yield path, obj

    yield from walk(root, ())
