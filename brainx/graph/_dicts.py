"""Dicts of States or Nodes keyed by path tuples, and their nested form.

Both are pytrees for jax and for brainx's own tree utilities, so state trees
(:func:`brainx.graph.treefy_states`) pass through ``jax.jit``, ``jax.grad`` and
``brainx.compile.for_loop`` as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from brainx import _tree
from brainx._filters import check_order, to_predicate
from brainx._pretty import pretty

__all__ = ["FlattedDict", "NestedDict", "flat_mapping", "nest_mapping"]


def flat_mapping(xs: Mapping, /, *, sep: str | None = None) -> FlattedDict:
    """Flatten nested mappings into one dict keyed by path tuples (or ``sep``-joined strings).

    Empty mappings are dropped.

    Examples
    --------
    >>> flat_mapping({'foo': 1, 'bar': {'a': 2, 'b': {}}})
    {
      ('foo',): 1,
      ('bar', 'a'): 2
    }
    >>> list(flat_mapping({'bar': {'a': 2}}, sep='.'))
    ['bar.a']
    """
    if not isinstance(xs, Mapping):
        raise TypeError(f"flat_mapping needs a mapping, got {type(xs).__name__}")
    out = FlattedDict()

    def go(node: Mapping, prefix: tuple) -> None:
        for key, value in node.items():
            if isinstance(value, Mapping):
                go(value, prefix + (key,))
            else:
                path = prefix + (key,)
                out[sep.join(map(str, path)) if sep is not None else path] = value

    go(xs, ())
    return out


def nest_mapping(xs: Mapping, /, *, sep: str | None = None) -> NestedDict:
    """The inverse of :func:`flat_mapping`: one nested level per path element.

    Examples
    --------
    >>> nest_mapping({('foo',): 1, ('bar', 'a'): 2})
    {
      'foo': 1,
      'bar': {
        'a': 2
      }
    }
    """
    if not isinstance(xs, Mapping):
        raise TypeError(f"nest_mapping needs a mapping, got {type(xs).__name__}")
    nested = NestedDict()
    for path, value in xs.items():
        if sep is not None:
            path = tuple(path.split(sep))
        if not isinstance(path, tuple) or not path:
            raise ValueError(f"paths must be non-empty tuples, got {path!r}")
        node = nested
        for part in path[:-1]:
            child = node.get(part)
            if child is None:
                child = node[part] = NestedDict()
            elif not isinstance(child, dict):
                raise ValueError(f"path {path!r} runs through the leaf at {part!r}")
            node = child
        node[path[-1]] = value
    return nested


def _split(flat: Mapping, filters: tuple, exhaustive: bool, what: str) -> list[dict]:
    check_order(filters)
    predicates = [to_predicate(f) for f in filters]
    groups: list[dict] = [{} for _ in range(len(predicates) + 1)]
    for path, value in flat.items():
        for group, predicate in zip(groups, predicates):  # noqa: B905 - one extra group
            if predicate(path, value):
                group[path] = value
                break
        else:
            groups[-1][path] = value
    if exhaustive and groups[-1]:
        raise ValueError(f"{what}: the filters {filters!r} leave {list(groups[-1])} unmatched; "
                         f"add ... as the last filter to collect the rest")
    return groups[:-1]


class _PathDict(dict):
    """What FlattedDict and NestedDict share: attribute access and a readable repr."""

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no key {key!r}; keys: "
                                 f"{list(self)}") from None

    def to_dict(self) -> dict:
        """A plain dict with the same entries."""
        return dict(self)

    def __repr__(self) -> str:
        return pretty(dict(self))


class FlattedDict(_PathDict):
    """A dict keyed by path tuples such as ``('layers', 0, 'weight')``.

    Examples
    --------
    >>> d = FlattedDict({('a', 'b'): 1, ('a', 'c'): 2, ('d',): 3})
    >>> d.to_nest()
    {
      'a': {
        'b': 1,
        'c': 2
      },
      'd': 3
    }
    """

    def to_nest(self) -> NestedDict:
        """The same entries as nested dicts, one level per path element."""
        for path in self:
            if path == ():
                raise ValueError("the empty path () cannot be nested; filter the root out first")
        return nest_mapping(self)

    @classmethod
    def from_nest(cls, nested: Mapping) -> FlattedDict:
        """The entries of nested mappings, keyed by path."""
        return cls(flat_mapping(nested))

    def to_dict_values(self) -> dict[tuple, Any]:
        """``{path: state.value}`` for dicts of States."""
        return {path: state.value for path, state in self.items()}

    def assign_dict_values(self, values: dict[tuple, Any]) -> None:
        """Assign ``values[path]`` to the State at each path (missing paths are errors)."""
        unknown = [p for p in values if p not in self]
        if unknown:
            raise KeyError(f"no State at path(s) {unknown}; known paths: {list(self)}")
        for path, value in values.items():
            self[path].value = value

    def split(self, first: Any, /, *filters: Any) -> FlattedDict | tuple[FlattedDict, ...]:
        """One dict per filter, each entry in the first whose filter matches; every entry
        must match one (end with ``...`` to collect the rest)."""
        groups = [FlattedDict(g) for g in _split(self, (first, *filters), True, "split")]
        return groups[0] if len(groups) == 1 else tuple(groups)

    def filter(self, first: Any, /, *filters: Any) -> FlattedDict | tuple[FlattedDict, ...]:
        """Like :meth:`split`, unmatched entries dropped."""
        groups = [FlattedDict(g) for g in _split(self, (first, *filters), False, "filter")]
        return groups[0] if len(groups) == 1 else tuple(groups)

    @staticmethod
    def merge(first: Mapping, /, *others: Mapping) -> FlattedDict:
        """The entries of all the dicts (flat or nested), later ones winning."""
        merged = FlattedDict()
        for d in (first, *others):
            merged.update(_as_flat(d, "merge"))
        return merged

    def __or__(self, other: Mapping) -> FlattedDict:
        return FlattedDict.merge(self, other)

    def __sub__(self, other: Mapping) -> FlattedDict:
        other_flat = _as_flat(other, "-")
        return FlattedDict((k, v) for k, v in self.items() if k not in other_flat)


class NestedDict(_PathDict):
    """Nested dicts of States, state values or Nodes (see :meth:`FlattedDict.to_nest`).

    Examples
    --------
    >>> import brainx
    >>> tree = NestedDict({'a': {'w': brainx.ParamState(1.0)}, 'c': brainx.State(0)})
    >>> params, rest = tree.split(brainx.ParamState, ...)
    >>> list(params.to_flat()), list(rest.to_flat())
    ([('a', 'w')], [('c',)])
    >>> tree['a']['w'].value
    1.0
    """

    def to_flat(self) -> FlattedDict:
        """The inverse of :meth:`FlattedDict.to_nest`."""
        return flat_mapping(self)

    @classmethod
    def from_flat(cls, flat: Mapping | Iterable[tuple[tuple, Any]]) -> NestedDict:
        """Nest a dict (or pairs) keyed by path tuples."""
        return nest_mapping(dict(flat))

    def split(self, first: Any, /, *filters: Any) -> NestedDict | tuple[NestedDict, ...]:
        """One tree per filter, each leaf in the first whose filter matches ``(path, leaf)``;
        every leaf must match one (end with ``...`` to collect the rest)."""
        groups = [nest_mapping(g) for g in _split(self.to_flat(), (first, *filters), True,
                                                  "split")]
        return groups[0] if len(groups) == 1 else tuple(groups)

    def filter(self, first: Any, /, *filters: Any) -> NestedDict | tuple[NestedDict, ...]:
        """Like :meth:`split`, unmatched leaves dropped."""
        groups = [nest_mapping(g) for g in _split(self.to_flat(), (first, *filters), False,
                                                  "filter")]
        return groups[0] if len(groups) == 1 else tuple(groups)

    @staticmethod
    def merge(first: Mapping, /, *others: Mapping) -> NestedDict:
        """The inverse of :meth:`split`: the leaves of all the trees, later ones winning."""
        if not others and isinstance(first, NestedDict):
            return first
        return nest_mapping(FlattedDict.merge(first, *others))

    def to_pure_dict(self) -> dict:
        """Plain nested dicts of the values (each TreefyState or State replaced by its value)."""
        def go(node: Mapping) -> dict:
            return {k: go(v) if isinstance(v, Mapping) else getattr(v, "value", v)
                    for k, v in node.items()}

        return go(self)

    def replace_by_pure_dict(self, pure: Mapping, replace_fn: Any = None) -> None:
        """Put the values of the plain nested dict ``pure`` into this tree's leaves."""
        if replace_fn is None:
            def replace_fn(leaf: Any, value: Any) -> Any:
                return leaf.replace(value) if hasattr(leaf, "replace") else value
        flat = self.to_flat()
        for path, value in flat_mapping(pure).items():
            if path not in flat:
                raise KeyError(f"path {path!r} of the given dict is not in this tree; known "
                               f"paths: {list(flat)}")
            flat[path] = replace_fn(flat[path], value)
        self.clear()
        self.update(nest_mapping(flat))

    def __or__(self, other: Mapping) -> NestedDict:
        return NestedDict.merge(self, other)

    def __sub__(self, other: Mapping) -> NestedDict:
        other_flat = _as_flat(other, "-")
        return nest_mapping({k: v for k, v in self.to_flat().items() if k not in other_flat})


def _as_flat(d: Any, what: str) -> Mapping:
    """A FlattedDict, or a plain dict keyed by path tuples, as is; nested dicts flattened."""
    if isinstance(d, FlattedDict):
        return d
    if isinstance(d, Mapping) and not isinstance(d, NestedDict) and d and \
            all(isinstance(k, tuple) for k in d):
        return d
    if isinstance(d, Mapping):
        return flat_mapping(d)
    raise TypeError(f"{what} needs FlattedDicts or NestedDicts, got {type(d).__name__}")


def _flatten(d: dict) -> tuple[tuple, tuple]:
    keys = _tree._dict_keys(d)
    return tuple(d[k] for k in keys), keys


for _cls in (FlattedDict, NestedDict):
    _tree.register_node(_cls, _flatten,
                        lambda keys, values, cls=_cls: cls(zip(keys, values, strict=True)))
del _cls
