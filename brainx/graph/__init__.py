"""Model graphs: Nodes that own States and other Nodes, and tools to walk, split and merge them.

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
>>> graphdef, tree = brainx.graph.treefy_split(net)
>>> brainx.graph.treefy_merge(graphdef, tree).w.value
1.0
"""

from brainx.graph._dicts import FlattedDict, NestedDict
from brainx.graph._node import Node, iter_leaves
from brainx.graph._operation import (
    GraphDef,
    NodeDef,
    NodeRef,
    clone,
    flatten,
    graphdef,
    iter_leaf,
    iter_node,
    nodes,
    pop_states,
    states,
    treefy_merge,
    treefy_split,
    treefy_states,
    unflatten,
    update_states,
)
from brainx.graph._treefy import TreefyState

__all__ = [
    "Node", "states", "nodes", "iter_leaves", "FlattedDict", "NestedDict", "TreefyState",
    "treefy_split", "treefy_merge", "treefy_states", "update_states", "pop_states", "flatten",
    "unflatten", "graphdef", "clone", "iter_leaf", "iter_node", "GraphDef", "NodeDef", "NodeRef",
]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
