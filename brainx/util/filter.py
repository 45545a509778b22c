"""Filters: which States (or nodes) a graph operation selects.

A filter is a State class, a predicate ``(path, value) -> bool``, ``...`` or
``True`` (everything), ``False`` or ``None`` (nothing), a string (a tag), or a
list/tuple of filters (any of them). :func:`to_predicate` turns one into a
predicate; the classes build combinations.

Examples
--------
>>> import brainx
>>> from brainx.util import filter as F
>>> pred = F.All(brainx.ParamState, F.Not(F.PathContains('backbone')))
>>> s = brainx.ParamState(1.0)
>>> pred(('head', 'weight'), s), pred(('backbone', 'weight'), s)
(True, False)
"""

from brainx._filters import (
    All,
    Any,
    Everything,
    Not,
    Nothing,
    OfType,
    PathContains,
    WithTag,
    to_predicate,
)

__all__ = ["to_predicate", "WithTag", "PathContains", "OfType", "Any", "All", "Not",
           "Everything", "Nothing"]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
