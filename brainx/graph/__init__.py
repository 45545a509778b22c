"""Model graphs: Nodes that own States and other Nodes, and tools to walk them.

Examples
--------
>>> import brainx
>>> class Net(brainx.graph.Node):
...     def __init__(self):
...         self.layers = [brainx.graph.Node(), brainx.graph.Node()]
...         self.w = brainx.ParamState(1.0)
>>> net = Net()
>>> list(brainx.graph.states(net))
[('w',)]
"""

from brainx.graph._dicts import FlattedDict, NestedDict
from brainx.graph._node import Node, iter_leaves, nodes, states

__all__ = ["Node", "states", "nodes", "iter_leaves", "FlattedDict", "NestedDict"]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
