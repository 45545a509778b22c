"""Utilities of brainstate's ``util``: path-keyed dicts, filters, names, small helpers.

Examples
--------
>>> import brainx
>>> d = brainx.util.DotDict({'a': 10, 'b': {'c': 20}})
>>> d.a, d.b.c
(10, 20)
>>> brainx.util.flat_mapping({'x': {'y': 1}})
{
  ('x', 'y'): 1
}
"""

from brainx.graph._dicts import FlattedDict, NestedDict, flat_mapping, nest_mapping
from brainx.util import filter
from brainx.util._others import (
    DictManager,
    DotDict,
    PrettyObject,
    get_unique_name,
    is_instance_eval,
    not_instance_eval,
    split_total,
)
from brainx.util.filter import (
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

__all__ = [
    "NestedDict", "FlattedDict", "flat_mapping", "nest_mapping", "filter", "to_predicate",
    "WithTag", "PathContains", "OfType", "Any", "All", "Not", "Everything", "Nothing",
    "DictManager", "DotDict", "PrettyObject", "get_unique_name", "is_instance_eval",
    "not_instance_eval", "split_total",
]

for _name in ("flat_mapping", "nest_mapping", "DictManager", "DotDict", "PrettyObject",
              "get_unique_name", "is_instance_eval", "not_instance_eval", "split_total"):
    globals()[_name].__module__ = __name__
del _name
