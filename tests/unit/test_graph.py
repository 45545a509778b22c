"""brainx.graph: paths, cycles, filters and nested containers of Nodes."""

from __future__ import annotations

import pytest

import brainx
import brainx.math as bm
from brainx.graph import FlattedDict, NestedDict, Node

pytestmark = pytest.mark.usefixtures("backend")  # every test once per installed backend


class Linear(Node):
    def __init__(self, din, dout):
        self.din, self.dout = din, dout
        self.w = brainx.ParamState(bm.ones((din, dout)))
        self.b = brainx.ParamState(bm.zeros(dout))


class MLP(Node):
    def __init__(self):
        self.input = Linear(2, 3)
        self.layers = [Linear(3, 3) for _ in range(2)]
        self.extra = {"gain": brainx.ShortTermState(bm.ones(()))}
        self.output = Linear(3, 1)


def test_states_are_keyed_by_path_tuples():
    states = brainx.graph.states(MLP())
    assert list(states) == [
        ("input", "w"), ("input", "b"), ("layers", 0, "w"), ("layers", 0, "b"),
        ("layers", 1, "w"), ("layers", 1, "b"), ("extra", "gain"), ("output", "w"),
        ("output", "b")]
    assert isinstance(states, FlattedDict)


def test_to_nest_and_back():
    states = brainx.graph.states(MLP())
    nested = states.to_nest()
    assert isinstance(nested, NestedDict)
    assert nested["layers"][1]["w"] is states[("layers", 1, "w")]
    assert nested.to_flat() == states


def test_nodes_include_root_last():
    model = MLP()
    nodes = brainx.graph.nodes(model)
    assert list(nodes)[-1] == () and nodes[()] is model
    assert nodes[("layers", 1)] is model.layers[1]
    assert len(nodes) == 5


def test_cycles_are_handled_and_shown():
    model = Linear(2, 5)
    model.self = model
    assert list(brainx.graph.states(model)) == [("w",), ("b",)]
    text = repr(model)
    assert text.endswith("  self=Linear(...)\n)")
    assert "w=ParamState(\n    value=ShapedArray(float32[2,5])\n  )" in text


def test_shared_state_appears_once_at_its_first_path():
    shared = brainx.State(0.0)
    a, b = Node(), Node()
    a.s, b.s = shared, shared
    root = Node()
    root.items = [a, b]
    assert list(brainx.graph.states(root)) == [("items", 0, "s")]


def test_filters_split_by_first_match():
    params, short = brainx.graph.states(MLP(), brainx.ParamState, brainx.ShortTermState)
    assert len(params) == 8 and list(short) == [("extra", "gain")]
    (only_gain,) = (brainx.graph.states(MLP(), lambda path, s: path[-1] == "gain"),)
    assert list(only_gain) == [("extra", "gain")]
    rest = brainx.graph.states(MLP(), brainx.ShortTermState, ...)[1]
    assert len(rest) == 8
    assert list(MLP().states(brainx.ShortTermState)) == [("extra", "gain")]
    with pytest.raises(TypeError, match="a filter must be"):
        brainx.graph.states(MLP(), 3)


def test_assign_values_by_path():
    model = MLP()
    states = model.states()
    states.assign_dict_values({("output", "b"): bm.full(1, 2.0)})
    assert model.output.b.value[0] == 2.0
    with pytest.raises(KeyError, match="no State at path"):
        states.assign_dict_values({("nowhere",): 1.0})
