"""States: values, reprs, checks on assignment, and the trace of reads and writes."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.math as bm
from brainx.state import StateTrace


def test_repr_matches_brainstate(backend):
    s = brainx.State(bm.ones(3))
    assert repr(s) == "State(\n  value=ShapedArray(float32[3])\n)"
    s.value = brainx.random.random(3)
    assert repr(s) == "State(\n  value=ShapedArray(float32[3])\n)"
    tree = brainx.State({"a": bm.ones(3), "b": bm.zeros(4)})
    assert repr(tree) == ("State(\n  value={\n    'a': ShapedArray(float32[3]),\n"
                          "    'b': ShapedArray(float32[4])\n  }\n)")


def test_subclasses_and_user_subclasses():
    class Counter(brainx.State):
        pass

    c = Counter(0)
    c.value += 1
    assert c.value == 1 and isinstance(c, brainx.State)
    assert repr(c).startswith("Counter(")
    for cls in (brainx.ParamState, brainx.ShortTermState, brainx.LongTermState,
                brainx.HiddenState):
        assert issubclass(cls, brainx.State)


def test_any_pytree_value(backend):
    s = brainx.State({"w": bm.zeros((2, 2)), "b": [bm.zeros(2), (1.0, None)]})
    s.value = {"w": bm.ones((2, 2)), "b": [bm.ones(2), (2.0, None)]}
    assert float(s.value["w"].sum()) == 4.0 and s.value["b"][1][0] == 2.0


@pytest.mark.parametrize("new,message", [
    (np.zeros(4, np.float32), r"shape changed from \(3,\) to \(4,\)"),
    (np.zeros(3, np.int32), "dtype changed from float32 to int32"),
    ({"a": np.zeros(3, np.float32)}, "structure"),
])
def test_assignment_of_another_shape_or_dtype_is_an_error(new, message):
    s = brainx.ShortTermState(np.zeros(3, np.float32), name="V")
    with pytest.raises(brainx.StateMismatchError, match=f"ShortTermState 'V': .*{message}"):
        s.value = new
    assert s.value.shape == (3,)


def test_error_names_the_leaf_of_a_tree():
    s = brainx.State({"a": np.zeros(2, np.float32), "b": np.zeros(2, np.float32)})
    with pytest.raises(brainx.StateMismatchError, match="leaf 1"):
        s.value = {"a": np.zeros(2, np.float32), "b": np.zeros(3, np.float32)}


def test_python_scalars_adopt_array_precision():
    for value in (np.float32(2.0), np.float64(3.0)):
        s = brainx.State(1.0)  # a Python float is weakly typed
        s.value = value
        assert s.value.dtype == value.dtype
    with brainx.environ.context(precision=64), \
            pytest.raises(brainx.StateMismatchError, match="dtype changed from float32 to float64"):
        s = brainx.State(1.0)
        s.value = np.float32(2.0)
        s.value = np.float64(3.0)  # now it holds a float32
    with brainx.environ.context(precision=32):  # no 64-bit value exists: narrowed, as on jax
        s.value = np.float64(3.0)
        assert s.value.dtype == np.float32 and s.value == 3.0
    with pytest.raises(brainx.StateMismatchError, match="dtype changed"):
        brainx.State(1.0).value = np.int32(1)


def test_state_cannot_hold_a_state():
    inner = brainx.State(1.0)
    assert brainx.State(inner).value == 1.0
    with pytest.raises(TypeError, match="cannot assign a State"):
        brainx.State(0.0).value = inner


def test_trace_records_reads_writes_and_local_states():
    a, b = brainx.State(1.0), brainx.State(2.0)
    with StateTrace() as trace:
        local = brainx.State(0.0)
        local.value = a.value + 1.0
        b.value = local.value
    assert trace.states == [a, b]
    assert trace.written_states == [b] and trace.read_only_states == [a]
    trace.restore()
    assert b.value == 2.0


def test_nested_traces_both_record():
    a = brainx.State(1.0)
    with StateTrace() as outer:
        with StateTrace() as inner:
            a.value = 5.0
    assert outer.written_states == [a] and inner.written_states == [a]
