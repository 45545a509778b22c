"""Small helpers of brainstate's ``util``: unique names, dot-access dicts, type predicates."""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from brainx import _tree
from brainx._pretty import pretty, pretty_fields

__all__ = ["get_unique_name", "DictManager", "DotDict", "PrettyObject", "is_instance_eval",
           "not_instance_eval", "split_total"]


class _Names(threading.local):
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}


_NAMES = _Names()


def get_unique_name(type_: str) -> str:
    """``type_`` followed by a counter: ``'LIF0'``, ``'LIF1'``, ... (per thread).

    Examples
    --------
    >>> import brainx
    >>> a, b = brainx.util.get_unique_name('Probe'), brainx.util.get_unique_name('Probe')
    >>> int(b[5:]) == int(a[5:]) + 1
    True
    """
    if not isinstance(type_, str):
        raise TypeError(f"type_ must be a str, got {type_!r}")
    n = _NAMES.counts.get(type_, 0)
    _NAMES.counts[type_] = n + 1
    return f"{type_}{n}"


class DictManager(dict):
    """A dict of objects with set-like helpers (subset by type, unique values, ...).

    Examples
    --------
    >>> import brainx
    >>> d = brainx.util.DictManager(a=1, b=2.0, c=3)
    >>> d.subset(int)
    {'a': 1, 'c': 3}
    >>> ints, rest = d.split(int)
    >>> rest
    {'b': 2.0}
    """

    def subset(self, sep: type | tuple[type, ...] | Callable[[Any], bool]) -> DictManager:
        """The entries whose value is an instance of ``sep`` (or satisfies it, if a function)."""
        if isinstance(sep, (type, tuple)):
            return type(self)((k, v) for k, v in self.items() if isinstance(v, sep))
        return type(self)((k, v) for k, v in self.items() if sep(v))

    def not_subset(self, sep: type | tuple[type, ...]) -> DictManager:
        """The entries whose value is not an instance of ``sep``."""
        return type(self)((k, v) for k, v in self.items() if not isinstance(v, sep))

    def add_unique_elem(self, key: Any, var: Any) -> None:
        """Add ``var`` at ``key``; a different object already there is an error."""
        if key in self and self[key] is not var:
            raise ValueError(f"{key!r} is registered to {self[key]!r} already; cannot register "
                             f"a different object {var!r}")
        self[key] = var

    def unique(self) -> DictManager:
        """The entries with values seen for the first time (by identity)."""
        seen: set[int] = set()
        out = type(self)()
        for k, v in self.items():
            if id(v) not in seen:
                seen.add(id(v))
                out[k] = v
        return out

    def assign(self, *dicts: dict) -> None:
        """Update from each dict in turn."""
        for d in dicts:
            if not isinstance(d, dict):
                raise TypeError(f"assign takes dicts, got {type(d).__name__}")
            self.update(d)

    def split(self, first: type, *others: type) -> tuple[DictManager, ...]:
        """One dict per type (first match wins) and one of the rest."""
        kinds = (first, *others)
        groups = tuple(type(self)() for _ in range(len(kinds) + 1))
        for k, v in self.items():
            for group, kind in zip(groups, kinds):  # noqa: B905 - one extra group
                if isinstance(v, kind):
                    group[k] = v
                    break
            else:
                groups[-1][k] = v
        return groups

    def pop_by_keys(self, keys: Iterable) -> None:
        """Remove the entries at ``keys``."""
        for k in tuple(keys):
            self.pop(k, None)

    def pop_by_values(self, values: Iterable, by: str = "id") -> None:
        """Remove the entries whose value is in ``values`` (by identity, or ``by='value'``)."""
        for k in [k for k, v in self.items() if _contains(values, v, by)]:
            del self[k]

    def difference_by_keys(self, keys: Iterable) -> DictManager:
        keys = set(keys)
        return type(self)((k, v) for k, v in self.items() if k not in keys)

    def difference_by_values(self, values: Iterable, by: str = "id") -> DictManager:
        values = list(values)
        return type(self)((k, v) for k, v in self.items() if not _contains(values, v, by))

    def intersection_by_keys(self, keys: Iterable) -> DictManager:
        keys = set(keys)
        return type(self)((k, v) for k, v in self.items() if k in keys)

    def intersection_by_values(self, values: Iterable, by: str = "id") -> DictManager:
        values = list(values)
        return type(self)((k, v) for k, v in self.items() if _contains(values, v, by))

    def __add__(self, other: dict) -> DictManager:
        merged = type(self)(self)
        merged.update(other)
        return merged

    def to_dict(self) -> dict:
        return dict(self)

    def __copy__(self) -> DictManager:
        return type(self)(self)


def _contains(values: Iterable, v: Any, by: str) -> bool:
    if by == "id":
        return any(v is x for x in values)
    if by == "value":
        return any(v == x for x in values)
    raise ValueError(f"by must be 'id' or 'value', got {by!r}")


class DotDict(dict):
    """A dict whose keys are also attributes; nested dicts become DotDicts.

    Examples
    --------
    >>> import brainx
    >>> d = brainx.util.DotDict({'a': 10})
    >>> d.b = {'c': 1}
    >>> d.b.c, d.to_dict()
    (1, {'a': 10, 'b': {'c': 1}})
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()
        self.update(*args, **kwargs)

    @classmethod
    def _hook(cls, item: Any) -> Any:
        if isinstance(item, dict) and not isinstance(item, DotDict):
            return cls(item)
        if type(item) in (list, tuple):
            return type(item)(cls._hook(x) for x in item)
        return item

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, self._hook(value))

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"DotDict has no key {key!r}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        if hasattr(type(self), key):
            raise AttributeError(f"{key!r} is a method of DotDict and cannot be assigned")
        self[key] = value

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def copy(self) -> DotDict:
        return copy.copy(self)

    def deepcopy(self) -> DotDict:
        return copy.deepcopy(self)

    def to_dict(self) -> dict:
        """Plain dicts all the way down."""
        def plain(x: Any) -> Any:
            if isinstance(x, DotDict):
                return {k: plain(v) for k, v in x.items()}
            if type(x) in (list, tuple):
                return type(x)(plain(v) for v in x)
            return x

        return plain(self)

    def __getstate__(self) -> dict:
        return dict(self)

    def __setstate__(self, state: dict) -> None:
        self.update(state)

    def __reduce__(self) -> tuple:
        return (type(self), (dict(self),))


class PrettyObject:
    """A base class whose repr lists the public attributes, one per line.

    Examples
    --------
    >>> import brainx
    >>> class Config(brainx.util.PrettyObject):
    ...     def __init__(self):
    ...         self.n, self.tau = 3, 5.0
    >>> Config()
    Config(
      n=3,
      tau=5.0
    )
    """

    def __pretty__(self, level: int, seen: frozenset[int]) -> str:
        name = type(self).__name__
        if id(self) in seen:
            return f"{name}(...)"
        fields = [(k, v) for k, v in vars(self).items() if not k.startswith("_")]
        return pretty_fields(name, fields, level, seen | {id(self)})

    def __repr__(self) -> str:
        return pretty(self)


def _is_instance(x: Any, cls: tuple) -> bool:
    return isinstance(x, cls)


def _is_not_instance(x: Any, cls: tuple) -> bool:
    return not isinstance(x, cls)


def is_instance_eval(*cls: type) -> Callable[[Any], bool]:
    """A predicate ``x -> isinstance(x, cls)``.

    Examples
    --------
    >>> import brainx
    >>> brainx.util.is_instance_eval(int, float)(2.0)
    True
    """
    return functools.partial(_is_instance, cls=cls)


def not_instance_eval(*cls: type) -> Callable[[Any], bool]:
    """A predicate ``x -> not isinstance(x, cls)``."""
    return functools.partial(_is_not_instance, cls=cls)


def split_total(total: int, fraction: int | float) -> int:
    """How many of ``total`` a ``fraction`` (a float in [0, 1], or an int count) selects.

    Examples
    --------
    >>> import brainx
    >>> brainx.util.split_total(100, 0.25), brainx.util.split_total(100, 7)
    (25, 7)
    """
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError(f"total must be a non-negative int, got {total!r}")
    if isinstance(fraction, bool):
        raise TypeError(f"fraction must be a float in [0, 1] or an int, got {fraction!r}")
    if isinstance(fraction, float):
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"a float fraction must be in [0, 1], got {fraction!r}")
        return int(total * fraction)
    if isinstance(fraction, int):
        if not 0 <= fraction <= total:
            raise ValueError(f"an int fraction must be in [0, total={total}], got {fraction!r}")
        return fraction
    raise TypeError(f"fraction must be a float in [0, 1] or an int, got {fraction!r}")


def _dict_flatten(d: dict) -> tuple[tuple, tuple]:
    keys = _tree._dict_keys(d)
    return tuple(d[k] for k in keys), keys


for _cls in (DictManager, DotDict):
    _tree.register_node(_cls, _dict_flatten,
                        lambda keys, values, cls=_cls: cls(zip(keys, values, strict=True)))
del _cls
