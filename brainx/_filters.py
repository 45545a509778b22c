"""Filters behind :mod:`brainx.util.filter` (kept here so brainx.graph can import them)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Hashable
from typing import Any as _AnyType

__all__ = ["to_predicate", "WithTag", "PathContains", "OfType", "Any", "All", "Not",
           "Everything", "Nothing"]

Predicate = Callable[[tuple, _AnyType], bool]


def to_predicate(the_filter: _AnyType) -> Predicate:
    """The predicate ``(path, value) -> bool`` a filter stands for.

    Examples
    --------
    >>> import brainx
    >>> from brainx.util.filter import to_predicate
    >>> to_predicate(brainx.ParamState), to_predicate(...), to_predicate(None)
    (OfType(ParamState), Everything(), Nothing())
    """
    if isinstance(the_filter, str):
        return WithTag(the_filter)
    if isinstance(the_filter, type):
        return OfType(the_filter)
    if isinstance(the_filter, bool):
        return Everything() if the_filter else Nothing()
    if the_filter is Ellipsis:
        return Everything()
    if the_filter is None:
        return Nothing()
    if callable(the_filter):
        return the_filter
    if isinstance(the_filter, (list, tuple)):
        return Any(*the_filter)
    raise TypeError(f"a filter must be a type (e.g. brainx.ParamState), a callable "
                    f"(path, value) -> bool, a tag string, ..., True/False/None or a "
                    f"list of filters, got {the_filter!r}")


class _Filter:
    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), tuple(vars(self).values())))


class WithTag(_Filter):
    """Values whose ``tag`` attribute equals ``tag``."""

    def __init__(self, tag: str):
        self.tag = tag

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return getattr(x, "tag", None) == self.tag

    def __repr__(self) -> str:
        return f"WithTag({self.tag!r})"


class PathContains(_Filter):
    """Values whose path contains ``key``."""

    def __init__(self, key: Hashable):
        self.key = key

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return self.key in path

    def __repr__(self) -> str:
        return f"PathContains({self.key!r})"


class OfType(_Filter):
    """Instances of ``type`` (a State, or a ``TreefyState`` whose ``.type`` is one)."""

    def __init__(self, type: type):  # noqa: A002 - brainstate's argument name
        if not isinstance(type, builtins.type):
            raise TypeError(f"OfType needs a class, got {type!r}")
        self.type = type

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        if isinstance(x, self.type):
            return True
        kind = getattr(x, "type", None)
        return isinstance(kind, builtins.type) and issubclass(kind, self.type)

    def __repr__(self) -> str:
        return f"OfType({self.type.__name__})"


class Any(_Filter):
    """Values matched by any of ``filters``."""

    def __init__(self, *filters: _AnyType):
        self.predicates = tuple(to_predicate(f) for f in filters)

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return builtins.any(p(path, x) for p in self.predicates)

    def __repr__(self) -> str:
        return f"Any({', '.join(map(repr, self.predicates))})"


class All(_Filter):
    """Values matched by all of ``filters``."""

    def __init__(self, *filters: _AnyType):
        self.predicates = tuple(to_predicate(f) for f in filters)

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return builtins.all(p(path, x) for p in self.predicates)

    def __repr__(self) -> str:
        return f"All({', '.join(map(repr, self.predicates))})"


class Not(_Filter):
    """Values not matched by ``filter``."""

    def __init__(self, the_filter: _AnyType, /):
        self.predicate = to_predicate(the_filter)

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return not self.predicate(path, x)

    def __repr__(self) -> str:
        return f"Not({self.predicate!r})"


class Everything(_Filter):
    """Every value."""

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return True

    def __repr__(self) -> str:
        return "Everything()"


class Nothing(_Filter):
    """No value."""

    def __call__(self, path: tuple, x: _AnyType) -> bool:
        return False

    def __repr__(self) -> str:
        return "Nothing()"


def check_order(filters: tuple) -> None:
    """``...`` (or ``True``) may only close a list of filters: what follows it gets nothing."""
    for i, f in enumerate(filters):
        if (f is Ellipsis or f is True) and i != len(filters) - 1:
            rest = filters[i + 1:]
            if not builtins.all(g is Ellipsis or g is True for g in rest):
                raise ValueError(f"`...` or True can only be the last filter; got it at "
                                 f"position {i} of {filters!r}")
