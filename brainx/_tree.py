"""Minimal pytree utilities that need neither jax nor numba.

Containers are dicts (keys sorted when sortable), lists, tuples, namedtuples,
``None`` (an empty container) and the classes given to :func:`register_node`
(brainx registers the same classes as jax pytrees); everything else is a leaf.
The flattening order matches ``jax.tree_util`` for these containers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["TreeDef", "flatten", "unflatten", "tree_map", "leaves", "register_node"]

#: Registered container classes: type -> (flatten(x) -> (children, aux), unflatten(aux, children)).
_NODES: dict[type, tuple[Callable[[Any], tuple[Any, Any]], Callable[[Any, list], Any]]] = {}


@dataclass(frozen=True)
class TreeDef:
    """The structure of a pytree, without its leaves."""

    kind: str  # 'leaf', 'none', 'list', 'tuple', 'namedtuple', 'dict', 'node'
    meta: Any = None  # dict keys, namedtuple class, or (registered class, aux data)
    children: tuple[TreeDef, ...] = ()

    @property
    def num_leaves(self) -> int:
        if self.kind == "leaf":
            return 1
        return sum(c.num_leaves for c in self.children)

    def __str__(self) -> str:
        if self.kind == "leaf":
            return "*"
        if self.kind == "none":
            return "None"
        inner = ", ".join(str(c) for c in self.children)
        if self.kind == "list":
            return f"[{inner}]"
        if self.kind == "tuple":
            return f"({inner}{',' if len(self.children) == 1 else ''})"
        if self.kind == "namedtuple":
            return f"{self.meta.__name__}({inner})"
        if self.kind == "node":
            return f"{self.meta[0].__name__}({inner})"
        items = zip(self.meta, self.children, strict=True)
        return "{" + ", ".join(f"{k!r}: {c}" for k, c in items) + "}"


_LEAF = TreeDef("leaf")
_NONE = TreeDef("none")


def register_node(cls: type, flatten_fn: Callable[[Any], tuple[Any, Any]],
                  unflatten_fn: Callable[[Any, list], Any]) -> None:
    """Make instances of ``cls`` containers: ``flatten_fn(x) -> (children, aux)`` and
    ``unflatten_fn(aux, children) -> x``; ``aux`` must be hashable and comparable.

    Examples
    --------
    >>> class Pair:
    ...     def __init__(self, a, b):
    ...         self.a, self.b = a, b
    >>> register_node(Pair, lambda p: ((p.a, p.b), None), lambda aux, c: Pair(*c))
    >>> leaves, treedef = flatten([Pair(1, 2), 3])
    >>> leaves, str(treedef)
    ([1, 2, 3], '[Pair(*, *), *]')
    >>> unflatten(treedef, [4, 5, 6])[0].b
    5
    """
    _NODES[cls] = (flatten_fn, unflatten_fn)


def _dict_keys(d: dict) -> tuple:
    try:
        return tuple(sorted(d))
    except TypeError:
        return tuple(d)


def flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list, TreeDef]:
    """Flatten ``tree`` into a list of leaves and its structure.

    Examples
    --------
    >>> leaves, treedef = flatten({'b': [1, 2], 'a': 3})
    >>> leaves, str(treedef)
    ([3, 1, 2], "{'a': *, 'b': [*, *]}")
    """
    out: list = []

    def go(node: Any) -> TreeDef:
        if is_leaf is not None and is_leaf(node):
            out.append(node)
            return _LEAF
        if node is None:
            return _NONE
        t = type(node)
        custom = _NODES.get(t)
        if custom is not None:
            children, aux = custom[0](node)
            return TreeDef("node", (t, aux), tuple(go(c) for c in children))
        if t is list:
            return TreeDef("list", None, tuple(go(c) for c in node))
        if t is tuple:
            return TreeDef("tuple", None, tuple(go(c) for c in node))
        if isinstance(node, tuple) and hasattr(node, "_fields"):
            return TreeDef("namedtuple", t, tuple(go(c) for c in node))
        if isinstance(node, dict):
            keys = _dict_keys(node)
            return TreeDef("dict", keys, tuple(go(node[k]) for k in keys))
        out.append(node)
        return _LEAF

    treedef = go(tree)
    return out, treedef


def unflatten(treedef: TreeDef, leaves: list | tuple) -> Any:
    """Rebuild a pytree from its structure and leaves (inverse of :func:`flatten`)."""
    it = iter(leaves)

    def go(td: TreeDef) -> Any:
        if td.kind == "leaf":
            return next(it)
        if td.kind == "none":
            return None
        children = [go(c) for c in td.children]
        if td.kind == "list":
            return children
        if td.kind == "tuple":
            return tuple(children)
        if td.kind == "namedtuple":
            return td.meta(*children)
        if td.kind == "node":
            return _NODES[td.meta[0]][1](td.meta[1], children)
        return dict(zip(td.meta, children, strict=True))

    result = go(treedef)
    rest = list(it)
    if rest:
        raise ValueError(f"unflatten got {len(rest)} more leaves than the structure "
                         f"{treedef} holds")
    return result


def leaves(tree: Any) -> list:
    """The leaves of ``tree`` in flattening order."""
    return flatten(tree)[0]


def tree_map(fn: Callable[..., Any], tree: Any, *rest: Any) -> Any:
    """Apply ``fn`` to every leaf of ``tree`` (and the matching leaves of ``rest``)."""
    flat, treedef = flatten(tree)
    others = []
    for other in rest:
        other_flat, other_def = flatten(other)
        if other_def != treedef:
            raise ValueError(f"tree structures differ: {treedef} vs {other_def}")
        others.append(other_flat)
    return unflatten(treedef, [fn(*xs) for xs in zip(flat, *others, strict=True)])
