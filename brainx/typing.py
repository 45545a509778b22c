"""Type annotations of brainstate's ``typing``: arrays, shapes, sizes, filters, pytrees.

They are annotations: nothing checks them at run time (``PyTree`` and ``Array``
can be subscripted for documentation, e.g. ``Array["batch, n"]``). No backend
is imported: ``ArrayLike`` is anything NumPy-convertible, which includes jax
arrays.

Examples
--------
>>> import brainx
>>> from brainx.typing import ArrayLike, Size
>>> def zeros(size: Size, like: ArrayLike = 0.0) -> ArrayLike:
...     return brainx.math.zeros(size) + like
>>> brainx.typing.PyTree[float]
PyTree[float]
>>> brainx.typing.Array["batch, n"]
Array['batch, n']
"""

from __future__ import annotations

import builtins
import numbers
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar, Union, runtime_checkable

import numpy as np

__all__ = [
    "PathParts", "Predicate", "Filter", "FilterLiteral", "Key", "Array", "ArrayLike", "Shape",
    "Size", "Axes", "DType", "DTypeLike", "SupportsDType", "PyTree", "SeedOrKey", "Missing",
    "K",
]

K = TypeVar("K", bound=Hashable)


@runtime_checkable
class Key(Hashable, Protocol):
    """A path element: hashable and ordered (a str or an int, most often)."""

    def __lt__(self, value: Any, /) -> bool: ...


#: A path through a model or a pytree, e.g. ``('layers', 0, 'weight')``.
PathParts = tuple[Hashable, ...]

#: ``(path, value) -> bool``: selects parts of a model or a state tree.
Predicate = Callable[[tuple, Any], bool]

#: A State class, a tag string, a predicate, True/False, ``...`` or None.
FilterLiteral = Union[type, str, Predicate, bool, type(Ellipsis), None]  # noqa: UP007

#: A filter or a list/tuple of filters (any of them matches).
Filter = Union[FilterLiteral, tuple, list]  # noqa: UP007


@runtime_checkable
class SupportsDType(Protocol):
    """An object with a ``dtype`` attribute."""

    @property
    def dtype(self) -> np.dtype: ...


#: A NumPy dtype.
DType = np.dtype

#: Anything NumPy accepts as a dtype.
DTypeLike = Union[str, type, np.dtype, SupportsDType, None]  # noqa: UP007

#: An array of any backend, a NumPy scalar or a Python number.
ArrayLike = Union[np.ndarray, np.generic, numbers.Number, Any]  # noqa: UP007

#: A shape: a sequence of ints.
Shape = Sequence[int]

#: A population or array size: an int or a sequence of ints.
Size = Union[int, np.integer, Sequence[int]]  # noqa: UP007

#: An axis or several.
Axes = Union[int, Sequence[int]]  # noqa: UP007

#: A seed (int) or a random key array.
SeedOrKey = Union[int, np.integer, np.ndarray, Any]  # noqa: UP007


class _Subscripted:
    """An annotation made by subscripting ``Array`` or ``PyTree`` (documentation only)."""

    def __init__(self, name: str, args: tuple):
        self.__origin_name__ = name
        self.__args__ = args

    def __repr__(self) -> str:
        inner = ", ".join(a.__name__ if isinstance(a, builtins.type) else repr(a)
                          for a in self.__args__)
        return f"{self.__origin_name__}[{inner}]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Subscripted) and (self.__origin_name__, self.__args__) == \
            (other.__origin_name__, other.__args__)

    def __hash__(self) -> int:
        return hash((self.__origin_name__, self.__args__))


class _AnnotationMeta(type):
    def __getitem__(cls, item: Any) -> _Subscripted:
        args = item if isinstance(item, tuple) else (item,)
        if cls.__name__ == "PyTree" and len(args) == 2 and not isinstance(args[1], str):
            raise TypeError(f"PyTree[leaf, structure]: the structure must be a string such as "
                            f"'T', got {args[1]!r}")
        if cls.__name__ == "PyTree" and len(args) > 2:
            raise TypeError(f"PyTree takes a leaf type and optionally a structure name, got "
                            f"{len(args)} arguments")
        return _Subscripted(cls.__name__, args)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{cls.__name__} is an annotation and cannot be instantiated")


class PyTree(metaclass=_AnnotationMeta):
    """A pytree: ``PyTree``, ``PyTree[LeafType]`` or ``PyTree[LeafType, 'T']``."""


class Array(metaclass=_AnnotationMeta):
    """An array: ``Array`` or ``Array['batch, n']`` (shape written out for readers)."""


class Missing:
    """A sentinel for an argument that was not given (distinct from None)."""

    def __repr__(self) -> str:
        return "Missing"
