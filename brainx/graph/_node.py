"""Graph nodes: objects whose attributes hold States and other Nodes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from brainx._pretty import pretty, pretty_fields
from brainx.graph._dicts import FlattedDict
from brainx.state import State

__all__ = ["Node", "states", "nodes", "iter_leaves"]

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

    def states(self, *filters: Filter) -> FlattedDict | tuple[FlattedDict, ...]:
        """The States reachable from this Node (see :func:`brainx.graph.states`)."""
        return states(self, *filters)

    def nodes(self, *filters: Filter) -> FlattedDict | tuple[FlattedDict, ...]:
        """The Nodes reachable from this Node (see :func:`brainx.graph.nodes`)."""
        return nodes(self, *filters)


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


def _matcher(flt: Filter) -> Callable[[tuple, Any], bool]:
    if flt is Ellipsis:
        return lambda path, obj: True
    if isinstance(flt, type):
        return lambda path, obj: isinstance(obj, flt)
    if callable(flt):
        return flt
    raise TypeError(f"a filter must be a type, a callable (path, obj) -> bool, or ..., "
                    f"got {flt!r}")


def _split(items: list[tuple[tuple, Any]], filters: tuple) -> FlattedDict | tuple:
    if not filters:
        return FlattedDict(items)
    matchers = [_matcher(f) for f in filters]
    groups: list[FlattedDict] = [FlattedDict() for _ in filters]
    for path, obj in items:
        for group, match in zip(groups, matchers, strict=True):
            if match(path, obj):
                group[path] = obj
                break
    return groups[0] if len(groups) == 1 else tuple(groups)


def states(node: Any, *filters: Filter) -> FlattedDict | tuple[FlattedDict, ...]:
    """The States reachable from ``node``, keyed by path tuples.

    Parameters
    ----------
    node : Node or pytree of Nodes
        Where to start.
    *filters : type, callable or ...
        With no filter, one dict of every State. With filters, one dict per
        filter; each State goes to the first filter it matches (a State
        subclass, a predicate ``(path, state) -> bool``, or ``...`` for all).

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(1.0)
    ...         self.v = brainx.ShortTermState(0.0)
    >>> params, others = brainx.graph.states(Net(), brainx.ParamState, ...)
    >>> list(params), list(others)
    ([('w',)], [('v',)])
    """
    found = [(p, o) for p, o in iter_leaves(node) if isinstance(o, State)]
    return _split(found, filters)


def nodes(node: Any, *filters: Filter) -> FlattedDict | tuple[FlattedDict, ...]:
    """The Nodes reachable from ``node`` (the root itself last, at path ``()``).

    Examples
    --------
    >>> import brainx
    >>> class Leaf(brainx.graph.Node):
    ...     pass
    >>> class Tree(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.kids = [Leaf(), Leaf()]
    >>> list(brainx.graph.nodes(Tree()))
    [('kids', 0), ('kids', 1), ()]
    """
    found = [(p, o) for p, o in iter_leaves(node) if isinstance(o, Node)]
    return _split(found, filters)
