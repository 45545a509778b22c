"""Dicts of States or Nodes keyed by path tuples, and their nested form."""

from __future__ import annotations

from typing import Any

from brainx._pretty import pretty

__all__ = ["FlattedDict", "NestedDict"]


class FlattedDict(dict):
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
        nested = NestedDict()
        for path, value in self.items():
            if not path:
                raise ValueError("the empty path () cannot be nested; filter the root out first")
            node = nested
            for part in path[:-1]:
                node = node.setdefault(part, NestedDict())
            node[path[-1]] = value
        return nested

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

    def __repr__(self) -> str:
        return pretty(dict(self))


class NestedDict(dict):
    """Nested dicts of States or Nodes (see :meth:`FlattedDict.to_nest`)."""

    def to_flat(self) -> FlattedDict:
        """The inverse of :meth:`FlattedDict.to_nest`."""
        flat = FlattedDict()

        def go(prefix: tuple, node: dict) -> None:
            for key, value in node.items():
                if isinstance(value, NestedDict):
                    go(prefix + (key,), value)
                else:
                    flat[prefix + (key,)] = value

        go((), self)
        return flat

    def __repr__(self) -> str:
        return pretty(dict(self))
