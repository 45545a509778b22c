"""Splitting a model into its structure and its state trees, and merging them back.

``treefy_split(model)`` returns a :class:`NodeDef` (the model without its State
values: classes, attributes, which objects are shared) and a
:class:`~brainx.graph.NestedDict` of :class:`~brainx.graph.TreefyState` keyed
by path: pure data, a pytree for jax and for brainx. ``treefy_merge(graphdef,
tree)`` builds a new model with new States holding the tree's values, so a
stateful model can be used inside pure functions (``jax.jit``, ``jax.grad``,
``compile.for_loop`` over stacked layers) and rebuilt after.

Nodes are :class:`~brainx.graph.Node` instances (rebuilt without running their
``__init__``) and the lists, tuples and dicts that hold States or Nodes (rebuilt
by value). Every other attribute is static: the new model shares it with the
old one (private attributes, ``_name``, containers copied shallowly).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from brainx._filters import check_order, to_predicate
from brainx.graph._dicts import FlattedDict, NestedDict
from brainx.graph._node import Node
from brainx.graph._treefy import TreefyState, to_treefy
from brainx.state import State

__all__ = [
    "NodeDef", "NodeRef", "GraphDef", "flatten", "unflatten", "treefy_split", "treefy_merge",
    "treefy_states", "update_states", "pop_states", "graphdef", "clone", "iter_leaf",
    "iter_node", "states", "nodes", "MAX_INT",
]

MAX_INT = int(np.iinfo(np.int32).max)

_STATIC, _HIDDEN, _STATE, _NODE = "static", "hidden", "state", "node"


@dataclass(frozen=True)
class NodeRef:
    """A reference to a Node or State met earlier in the same graph (shared or cyclic)."""

    type: type
    index: int

    def __repr__(self) -> str:
        return f"NodeRef({self.type.__name__}, index={self.index})"


def _hashable(x: Any) -> Any:
    try:
        hash(x)
    except TypeError:
        return ("id", id(x))
    return x


class GraphDef:
    """Base class of :class:`NodeDef` (brainstate's name for a graph's structure)."""

    type: type
    index: int


class NodeDef(GraphDef):
    """The structure of a Node (or of a list, tuple or dict holding States or Nodes).

    ``entries`` holds one ``(attribute, key, kind, payload)`` per attribute:
    ``kind`` is ``'state'`` (payload a :class:`NodeRef` to the State), ``'node'``
    (payload a NodeDef, or a NodeRef to a Node met before), ``'static'`` or
    ``'hidden'`` (a private attribute; payload the value). ``key`` is the name in
    state paths, ``attribute`` the one set on the rebuilt object.
    """

    __slots__ = ("type", "index", "entries", "_key")

    def __init__(self, type: type, index: int, entries: tuple):  # noqa: A002
        self.type = type
        self.index = index
        self.entries = entries
        self._key = (type, index, tuple(
            (a, k, kind, _hashable(p) if kind in (_STATIC, _HIDDEN) else p)
            for a, k, kind, p in entries))

    @property
    def attributes(self) -> tuple:
        """The keys of the node's entries, in order."""
        return tuple(k for _, k, kind, _ in self.entries if kind != _HIDDEN)

    @property
    def subgraphs(self) -> dict:
        """``{key: NodeDef or NodeRef}`` of the child nodes."""
        return {k: p for _, k, kind, p in self.entries if kind == _NODE}

    @property
    def static_fields(self) -> dict:
        """``{key: value}`` of the static attributes."""
        return {k: p for _, k, kind, p in self.entries if kind == _STATIC}

    @property
    def leaves(self) -> dict:
        """``{key: NodeRef}`` of the States."""
        return {k: p for _, k, kind, p in self.entries if kind == _STATE}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NodeDef) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return (f"NodeDef(type={self.type.__name__}, index={self.index}, "
                f"attributes={self.attributes})")


# ---- what is a node ---------------------------------------------------------

def _is_container(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict)) and not isinstance(x, State)


def _is_node(x: Any) -> bool:
    return isinstance(x, Node) or _is_container(x)


def _holds_graph(x: Any, seen: set[int] | None = None) -> bool:
    """Whether a container holds (at any depth) a State or a Node."""
    if isinstance(x, (State, Node)):
        return True
    if not _is_container(x):
        return False
    seen = set() if seen is None else seen
    if id(x) in seen:
        return False
    seen.add(id(x))
    values = x.values() if isinstance(x, dict) else x
    return any(_holds_graph(v, seen) for v in values)


def _public_items(node: Any) -> list[tuple[Any, Any]]:
    """``(key, value)`` of a node's graph view (Node fields, list items, dict items)."""
    if isinstance(node, Node):
        return list(node._graph_fields())
    if isinstance(node, dict):
        return list(node.items())
    return list(enumerate(node))


def _node_entries(node: Any) -> list[tuple[Any, Any, Any]]:
    """``(attribute, key, value)``: attributes as set on the object, keys as in paths."""
    if not isinstance(node, Node):
        return [(k, k, v) for k, v in _public_items(node)]
    fields = node._graph_fields()
    names = {k for k, _ in fields}
    exposed = {id(v): k for k, v in fields if isinstance(v, (State, Node)) or _is_container(v)}
    out = []
    attrs = getattr(node, "__dict__", {})
    for attr, value in attrs.items():
        if attr in names:
            out.append((attr, attr, value))
        elif id(value) in exposed and exposed[id(value)] not in attrs:
            out.append((attr, exposed[id(value)], value))  # a field shown under another name
        else:
            out.append((attr, None, value))  # private: kept as it is
    return out


def _rebuild_container(cls: type, keys: list, values: list) -> Any:
    if cls is list:
        return values
    if cls is tuple:
        return tuple(values)
    if issubclass(cls, tuple):
        return cls(*values) if hasattr(cls, "_fields") else cls(values)
    if issubclass(cls, list):
        return cls(values)
    try:
        return cls(zip(keys, values, strict=True))
    except TypeError as err:
        raise TypeError(f"cannot rebuild a {cls.__name__} from its items ({err}); keep "
                        f"States in Nodes, lists, tuples or plain dicts") from None


# ---- flatten / unflatten ----------------------------------------------------

def _flatten(node: Any, path: tuple, refs: dict[int, int], found: dict[tuple, Any],
             treefy: bool) -> NodeDef | NodeRef:
    if id(node) in refs:
        return NodeRef(type(node), refs[id(node)])
    if isinstance(node, Node):
        index = refs[id(node)] = len(refs)
    else:
        index = -1
    entries = []
    for attr, key, value in _node_entries(node):
        if key is None:
            entries.append((attr, attr, _HIDDEN, value))
        elif isinstance(value, State):
            if id(value) in refs:
                entries.append((attr, key, _STATE, NodeRef(type(value), refs[id(value)])))
            else:
                refs[id(value)] = len(refs)
                found[path + (key,)] = to_treefy(value) if treefy else value
                entries.append((attr, key, _STATE, NodeRef(type(value), refs[id(value)])))
        elif isinstance(value, Node) or (_is_container(value) and _holds_graph(value)):
            entries.append((attr, key, _NODE, _flatten(value, path + (key,), refs, found,
                                                       treefy)))
        else:
            entries.append((attr, key, _STATIC, value))
    return NodeDef(type(node), index, tuple(entries))


def flatten(node: Any, /, treefy_state: bool = True) -> tuple[NodeDef, NestedDict]:
    """The structure of ``node`` and its States keyed by path.

    With ``treefy_state`` (the default) the tree holds :class:`TreefyState` data;
    otherwise the State objects themselves.

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(1.0)
    >>> graphdef, tree = brainx.graph.flatten(Net())
    >>> graphdef
    NodeDef(type=Net, index=0, attributes=('w',))
    >>> tree.w.value
    1.0
    """
    if not _is_node(node):
        raise TypeError(f"flatten needs a brainx.graph.Node (or a list, tuple or dict of "
                        f"them), got {type(node).__name__}")
    found: dict[tuple, Any] = {}
    graph_def = _flatten(node, (), {}, found, treefy_state)
    return graph_def, NestedDict.from_flat(found)


def _leaf_state(value: Any, path: tuple) -> State:
    if isinstance(value, TreefyState):
        return value.to_state()
    if isinstance(value, State):
        return value
    raise TypeError(f"the state tree holds {type(value).__name__} at {path}; expected a "
                    f"TreefyState (from treefy_split / treefy_states) or a State")


def _unflatten(graph_def: NodeDef | NodeRef, mapping: Mapping, path: tuple,
               made: dict[int, Any]) -> Any:
    if isinstance(graph_def, NodeRef):
        return made[graph_def.index]
    keys = {k for _, k, kind, _ in graph_def.entries if kind != _HIDDEN}
    unknown = [k for k in mapping if k not in keys]
    if unknown:
        raise ValueError(f"the state tree has key(s) {unknown} at {path or 'the root'}, which "
                         f"{graph_def.type.__name__} does not have (its keys: "
                         f"{sorted(keys, key=str)})")
    if issubclass(graph_def.type, Node):
        node = object.__new__(graph_def.type)
        made[graph_def.index] = node
    values: list[tuple[Any, Any, Any]] = []
    for attr, key, kind, payload in graph_def.entries:
        if kind == _HIDDEN:
            value = copy.copy(payload) if _is_container(payload) else payload
        elif kind == _STATIC:
            if key in mapping:
                raise ValueError(f"the state tree has a value at {path + (key,)}, a static "
                                 f"attribute of {graph_def.type.__name__}")
            value = payload
        elif kind == _STATE:
            if key in mapping:
                value = _leaf_state(mapping[key], path + (key,))
                made.setdefault(payload.index, value)
            elif payload.index in made:
                value = made[payload.index]
            else:
                raise ValueError(f"the state trees have no entry for the State at "
                                 f"{path + (key,)} ({payload.type.__name__}); pass every tree "
                                 f"treefy_split returned")
        else:
            sub = mapping.get(key, {})
            if not isinstance(sub, Mapping) or isinstance(sub, TreefyState):
                raise ValueError(f"expected a subtree at {path + (key,)}, got {sub!r}")
            value = _unflatten(payload, sub, path + (key,), made)
        values.append((attr, key, value))
    if issubclass(graph_def.type, Node):
        target = getattr(node, "__dict__", None)
        for attr, _, value in values:
            if target is not None:
                target[attr] = value
            else:
                object.__setattr__(node, attr, value)
        return node
    return _rebuild_container(graph_def.type, [k for _, k, _ in values], [v for _, _, v in values])


def unflatten(graph_def: NodeDef, state_mapping: Mapping, /) -> Any:
    """Build a new node from its structure and a state tree (see :func:`flatten`)."""
    if not isinstance(graph_def, NodeDef):
        raise TypeError(f"graph_def must be a NodeDef (from treefy_split or graphdef), got "
                        f"{type(graph_def).__name__}")
    if not isinstance(state_mapping, Mapping):
        raise TypeError(f"state_mapping must be a NestedDict (or FlattedDict), got "
                        f"{type(state_mapping).__name__}")
    if isinstance(state_mapping, FlattedDict):
        state_mapping = state_mapping.to_nest()
    return _unflatten(graph_def, state_mapping, (), {})


def treefy_split(node: Any, *filters: Any) -> tuple:
    """``(graphdef, state_tree)``, or ``(graphdef, tree_1, ..., tree_n)`` with filters.

    Each State goes to the tree of the first filter matching ``(path, TreefyState)``
    (a State class, a predicate, ``...``); every State must match one.

    Examples
    --------
    >>> import brainx
    >>> class Count(brainx.State):
    ...     pass
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(2.0)
    ...         self.count = Count(0)
    >>> graphdef, params, counts = brainx.graph.treefy_split(Net(), brainx.ParamState, Count)
    >>> params
    {
      'w': TreefyState(
        type=ParamState,
        value=2.0
      )
    }
    >>> net = brainx.graph.treefy_merge(graphdef, params, counts)
    >>> net.w.value, type(net.count).__name__
    (2.0, 'Count')
    """
    graph_def, tree = flatten(node)
    if not filters:
        return graph_def, tree
    trees = tree.split(*filters)
    return (graph_def, trees) if len(filters) == 1 else (graph_def, *trees)


def treefy_merge(graph_def: NodeDef, *state_trees: Mapping) -> Any:
    """A new node built from ``graphdef`` and the state trees (the inverse of treefy_split)."""
    if not state_trees:
        raise TypeError("treefy_merge needs the graphdef and at least one state tree")
    return unflatten(graph_def, NestedDict.merge(*state_trees))


def treefy_states(node: Any, *filters: Any) -> NestedDict | tuple[NestedDict, ...]:
    """The state tree of ``node`` (:class:`TreefyState` by path), one per filter if given.

    Unlike :func:`treefy_split`, filters need not cover every State.

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(np.ones((2, 3), np.float32))
    ...         self.v = brainx.ShortTermState(np.zeros(3, np.float32))
    >>> brainx.graph.treefy_states(Net(), brainx.ShortTermState)
    {
      'v': TreefyState(
        type=ShortTermState,
        value=ShapedArray(float32[3])
      )
    }
    """
    _, tree = flatten(node)
    return tree.filter(*filters) if filters else tree


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, Node):
        for k, v in node._graph_fields():
            if k == key:
                return v
        raise KeyError(key)
    return node[key]


def _update(node: Any, mapping: Mapping, path: tuple) -> None:
    for key, value in mapping.items():
        try:
            current = _child(node, key)
        except (KeyError, IndexError, TypeError):
            if isinstance(node, Node) and isinstance(value, (TreefyState, State)):
                setattr(node, key, _leaf_state(value, path + (key,)))
                continue
            raise KeyError(f"{type(node).__name__} at {path or 'the root'} has no entry "
                           f"{key!r}") from None
        if isinstance(current, State):
            if not isinstance(value, (TreefyState, State)):
                raise TypeError(f"update_states: expected a TreefyState or State at "
                                f"{path + (key,)}, got {type(value).__name__}")
            current.value = value.value
        elif _is_node(current):
            if not isinstance(value, Mapping):
                raise TypeError(f"update_states: expected a subtree at {path + (key,)}, got "
                                f"{type(value).__name__}")
            _update(current, value, path + (key,))
        else:
            raise TypeError(f"update_states: {path + (key,)} is a static attribute of "
                            f"{type(node).__name__}, not a State")


def update_states(node: Any, state_tree: Mapping, /, *state_trees: Mapping) -> None:
    """Assign the values of the state trees to the States of ``node``, in place.

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(1.0)
    >>> net = Net()
    >>> tree = brainx.graph.treefy_states(net)
    >>> brainx.graph.update_states(net, {'w': tree['w'].replace(5.0)})
    >>> net.w.value
    5.0
    """
    tree = NestedDict.merge(state_tree, *state_trees)
    _update(node, tree, ())


def pop_states(node: Any, *filters: Any) -> NestedDict | tuple[NestedDict, ...]:
    """Remove the States matching the filters from ``node``'s Nodes; return them by path.

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(1.0)
    ...         self.v = brainx.ShortTermState(0.0)
    >>> net = Net()
    >>> popped = brainx.graph.pop_states(net, brainx.ShortTermState)
    >>> list(popped), hasattr(net, 'v')
    (['v'], False)
    """
    if not filters:
        raise ValueError("pop_states needs at least one filter (e.g. brainx.ShortTermState)")
    check_order(filters)
    predicates = [to_predicate(f) for f in filters]
    groups: list[dict] = [{} for _ in predicates]
    seen: set[int] = set()

    def walk(obj: Any, path: tuple) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for key, value in _public_items(obj):
            if isinstance(value, State):
                if id(value) in seen:
                    continue
                for group, predicate in zip(groups, predicates, strict=True):
                    if predicate(path + (key,), value):
                        if not isinstance(obj, Node):
                            raise ValueError(f"cannot pop the State at {path + (key,)} from a "
                                             f"{type(obj).__name__}; only Node attributes")
                        seen.add(id(value))
                        delattr(obj, key)
                        group[path + (key,)] = value
                        break
            elif _is_node(value):
                walk(value, path + (key,))

    walk(node, ())
    trees = [NestedDict.from_flat(g) for g in groups]
    return trees[0] if len(trees) == 1 else tuple(trees)


def graphdef(node: Any) -> NodeDef:
    """The structure of ``node`` (the first result of :func:`treefy_split`)."""
    return flatten(node)[0]


def clone(node: Any) -> Any:
    """A copy of ``node`` with new States (NumPy values copied; jax arrays are immutable).

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(1.0)
    >>> a = Net()
    >>> b = brainx.graph.clone(a)
    >>> b.w.value = 3.0
    >>> a.w.value, b.w.value
    (1.0, 3.0)
    """
    from brainx import _tree

    graph_def, tree = flatten(node)

    def fresh(x: Any) -> Any:
        return x.copy() if isinstance(x, np.ndarray) else x

    return unflatten(graph_def, _tree.tree_map(fresh, tree))


def _walk(node: Any, lo: int, hi: int, want_nodes: bool) -> Iterator[tuple[tuple, Any]]:
    seen: set[int] = set()

    def go(obj: Any, path: tuple, level: int) -> Iterator[tuple[tuple, Any]]:
        if level > hi:
            return
        if _is_node(obj):
            if id(obj) in seen:
                return
            seen.add(id(obj))
            for key, value in _public_items(obj):
                yield from go(value, path + (key,),
                              level + 1 if isinstance(value, Node) else level)
            if want_nodes and isinstance(obj, Node) and level >= lo:
                yield path, obj
        elif not want_nodes and level >= lo:
            if isinstance(obj, State):  # a shared State is reported once, at its first path
                if id(obj) in seen:
                    return
                seen.add(id(obj))
            yield path, obj

    yield from go(node, (), 0)


def _check_hierarchy(allowed_hierarchy: Any) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in allowed_hierarchy)
    except (TypeError, ValueError):
        raise TypeError(f"allowed_hierarchy must be a pair of ints (min_level, max_level), got "
                        f"{allowed_hierarchy!r}") from None
    if lo < 0 or hi < lo:
        raise ValueError(f"allowed_hierarchy must satisfy 0 <= min_level <= max_level, got "
                         f"{allowed_hierarchy!r}")
    return lo, hi


def iter_leaf(node: Any, allowed_hierarchy: tuple[int, int] = (0, MAX_INT)
              ) -> Iterator[tuple[tuple, Any]]:
    """Yield ``(path, value)`` for every attribute value that is not a node (States included).

    Nodes and States met twice are visited once. The root's own attributes are at level 0,
    those of its child Nodes at level 1, and so on; ``allowed_hierarchy=(lo, hi)``
    keeps levels ``lo`` to ``hi``.

    Examples
    --------
    >>> import brainx
    >>> class Leaf(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.w = brainx.ParamState(1.0)
    >>> class Root(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.n = 3
    ...         self.kids = [Leaf(), Leaf()]
    >>> [path for path, _ in brainx.graph.iter_leaf(Root())]
    [('n',), ('kids', 0, 'w'), ('kids', 1, 'w')]
    >>> [path for path, _ in brainx.graph.iter_leaf(Root(), allowed_hierarchy=(0, 0))]
    [('n',)]
    """
    lo, hi = _check_hierarchy(allowed_hierarchy)
    yield from _walk(node, lo, hi, want_nodes=False)


def iter_node(node: Any, allowed_hierarchy: tuple[int, int] = (0, MAX_INT)
              ) -> Iterator[tuple[tuple, Any]]:
    """Yield ``(path, node)`` for every Node, children before parents, the root last.

    Examples
    --------
    >>> import brainx
    >>> class Leaf(brainx.graph.Node):
    ...     pass
    >>> class Root(brainx.graph.Node):
    ...     def __init__(self):
    ...         self.kids = [Leaf(), Leaf()]
    >>> [path for path, _ in brainx.graph.iter_node(Root())]
    [('kids', 0), ('kids', 1), ()]
    >>> [path for path, _ in brainx.graph.iter_node(Root(), allowed_hierarchy=(1, 1))]
    [('kids', 0), ('kids', 1)]
    """
    lo, hi = _check_hierarchy(allowed_hierarchy)
    yield from _walk(node, lo, hi, want_nodes=True)


def _groups(items: Iterator[tuple[tuple, Any]], filters: tuple
            ) -> FlattedDict | tuple[FlattedDict, ...]:
    items = list(items)
    if not filters:
        return FlattedDict(items)
    check_order(filters)
    predicates = [to_predicate(f) for f in filters]
    groups = [FlattedDict() for _ in filters]
    for path, obj in items:
        for group, predicate in zip(groups, predicates, strict=True):
            if predicate(path, obj):
                group[path] = obj
                break
    return groups[0] if len(groups) == 1 else tuple(groups)


def states(node: Any, *filters: Any, allowed_hierarchy: tuple[int, int] = (0, MAX_INT)
           ) -> FlattedDict | tuple[FlattedDict, ...]:
    """The States reachable from ``node``, keyed by path tuples.

    Parameters
    ----------
    node : Node or pytree of Nodes
        Where to start.
    *filters : type, callable or ...
        With no filter, one dict of every State. With filters, one dict per
        filter; each State goes to the first filter it matches (a State
        subclass, a predicate ``(path, state) -> bool``, or ``...`` for all).
    allowed_hierarchy : (int, int)
        Levels of nesting to include (see :func:`iter_leaf`).

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
    lo, hi = _check_hierarchy(allowed_hierarchy)
    found = ((p, o) for p, o in _walk(node, lo, hi, want_nodes=False) if isinstance(o, State))
    return _groups(found, filters)


def nodes(node: Any, *filters: Any, allowed_hierarchy: tuple[int, int] = (0, MAX_INT)
          ) -> FlattedDict | tuple[FlattedDict, ...]:
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
    lo, hi = _check_hierarchy(allowed_hierarchy)
    return _groups(_walk(node, lo, hi, want_nodes=True), filters)
