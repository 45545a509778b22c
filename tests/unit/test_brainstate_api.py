"""brainstate 0.1's graph, compile, environ, mixin, util and typing names on brainx.

Expected values are hand-derived (sums, recurrences, derivatives written out) or come
from NumPy / jax applied directly, never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import skip_without

import brainx
import brainx.math as bm
from brainx import graph
from brainx.compile import ProgressBar


class Count(brainx.State):
    pass


class Linear(brainx.graph.Node):
    def __init__(self, din, dout, scale=1.0):
        self.din = din
        self.w = brainx.ParamState(bm.asarray(np.arange(din * dout, dtype=np.float32)
                                              .reshape(din, dout) * scale))
        self.b = brainx.ParamState(bm.zeros(dout))
        self._private = {"note": "kept"}

    def __call__(self, x):
        return x @ self.w.value + self.b.value


class MLP(brainx.graph.Node):
    def __init__(self):
        self.count = Count(bm.asarray(0, dtype=bm.int32))
        self.layers = [Linear(2, 3), Linear(3, 1, scale=0.5)]

    def __call__(self, x):
        self.count.value = self.count.value + 1
        for layer in self.layers:
            x = layer(x)
        return x


# ---- graph ------------------------------------------------------------------------------

def test_treefy_split_and_merge_build_a_new_model(backend):
    model = MLP()
    graphdef, params, counts = graph.treefy_split(model, brainx.ParamState, Count)
    assert sorted(params.to_flat()) == [("layers", 0, "b"), ("layers", 0, "w"),
                                        ("layers", 1, "b"), ("layers", 1, "w")]
    assert list(counts.to_flat()) == [("count",)]
    ref = params["layers"][1]["w"]
    assert isinstance(ref, graph.TreefyState) and ref.type is brainx.ParamState
    new = graph.treefy_merge(graphdef, params, counts)
    assert type(new) is MLP and new is not model
    assert new.layers[0].w is not model.layers[0].w  # new States
    assert type(new.count) is Count and type(new.layers[1].w) is brainx.ParamState
    assert new.layers[1].din == 3 and new.layers[0]._private == {"note": "kept"}
    x = np.array([[1.0, 2.0]], np.float32)
    w0 = np.arange(6, dtype=np.float32).reshape(2, 3)
    w1 = np.arange(3, dtype=np.float32).reshape(3, 1) * 0.5
    np.testing.assert_allclose(np.asarray(new(x)), x @ w0 @ w1)
    assert int(new.count.value) == 1 and int(model.count.value) == 0


def test_shared_states_and_nodes_stay_shared_and_cycles_survive():
    shared = Linear(2, 2)
    root = brainx.graph.Node()
    root.a, root.b, root.self = shared, shared, root
    root.tied = brainx.State(1.0)
    root.tied_again = root.tied
    graphdef, tree = graph.treefy_split(root)
    assert sorted(tree.to_flat()) == [("a", "b"), ("a", "w"), ("tied",)]
    new = graph.treefy_merge(graphdef, tree)
    assert new.a is new.b and new.self is new and new.tied is new.tied_again
    assert new.a is not shared


def test_filters_exhaustive_split_and_non_exhaustive_states():
    model = MLP()
    with pytest.raises(ValueError, match=r"leave \[\('count',\)\] unmatched"):
        graph.treefy_split(model, brainx.ParamState)
    with pytest.raises(ValueError, match="can only be the last filter"):
        graph.treefy_split(model, ..., brainx.ParamState)

    def head(path, node):  # brainstate's filter form: node.type of a TreefyState
        return path[:2] == ("layers", 1) and issubclass(node.type, brainx.ParamState)

    _, heads, rest = graph.treefy_split(model, head, ...)
    assert sorted(heads.to_flat()) == [("layers", 1, "b"), ("layers", 1, "w")]
    assert len(rest.to_flat()) == 3
    only_counts = graph.treefy_states(model, Count)
    assert list(only_counts.to_flat()) == [("count",)]
    with pytest.raises(TypeError, match="a filter must be"):
        graph.treefy_states(model, 3.5)


def test_state_trees_are_jax_pytrees_through_jit_and_grad(backend):
    skip_without(backend, "grad")
    import jax
    import jax.numpy as jnp

    model = MLP()
    graphdef, params, counts = graph.treefy_split(model, brainx.ParamState, Count)
    x = jnp.array([[1.0, 2.0], [0.5, -1.0]])

    @jax.jit
    def loss_and_counts(params, counts):
        def loss(params):
            m = graph.treefy_merge(graphdef, params, counts)
            return jnp.sum(m(x)), graph.treefy_states(m, Count)
        return jax.grad(loss, has_aux=True)(params)

    grads, new_counts = loss_and_counts(params, counts)
    assert isinstance(grads, graph.NestedDict) and grads["layers"][0]["w"].type is \
        brainx.ParamState
    # d sum(x W0 W1 + b0 W1 + b1) / dW1 = (x W0 + b0)^T 1, / db1 = batch size
    w0 = np.arange(6, dtype=np.float32).reshape(2, 3)
    w1 = np.arange(3, dtype=np.float32).reshape(3, 1) * 0.5
    np.testing.assert_allclose(grads["layers"][1]["w"].value,
                               (np.asarray(x) @ w0).sum(0)[:, None], rtol=1e-6)
    np.testing.assert_allclose(grads["layers"][1]["b"].value, [2.0])
    np.testing.assert_allclose(grads["layers"][0]["w"].value,
                               np.asarray(x).sum(0)[:, None] * w1[:, 0][None, :], rtol=1e-6)
    assert int(new_counts["count"].value) == 1
    shapes = jax.tree.map(jnp.shape, params)
    assert shapes["layers"][0]["w"].value == (2, 3)


def test_for_loop_over_a_stacked_state_tree_and_update_states(backend):
    layers = [Linear(2, 2, scale=float(k + 1)) for k in range(4)]
    graphdef, one = graph.treefy_split(layers[0])
    trees = [graph.treefy_split(layer)[1] for layer in layers]
    stacked = brainx._tree.tree_map(lambda *xs: bm.stack([bm.asarray(x) for x in xs]), *trees)
    assert isinstance(stacked, graph.NestedDict) and stacked["w"].value.shape == (4, 2, 2)
    activation = brainx.ShortTermState(bm.ones(2))

    def loop_fn(tree):
        layer = graph.treefy_merge(graphdef, tree)
        activation.value = layer(activation.value)
        layer.b.value = layer.b.value + 1.0  # a State local to the step
        return graph.treefy_split(layer)[1]

    out = brainx.compile.for_loop(loop_fn, stacked)
    expected = np.ones(2, np.float32)
    for k in range(4):
        expected = expected @ (np.arange(4, dtype=np.float32).reshape(2, 2) * (k + 1))
    np.testing.assert_allclose(np.asarray(activation.value), expected, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(out["b"].value), np.ones((4, 2)))
    holder = brainx.graph.Node()
    holder.layer = Linear(2, 2)
    graph.update_states(holder, {"layer": {"b": out["b"].replace(bm.asarray([3.0, 4.0]))}})
    np.testing.assert_allclose(np.asarray(holder.layer.b.value), [3.0, 4.0])
    with pytest.raises(KeyError, match="no entry 'nope'"):
        graph.update_states(holder, {"nope": {"b": out["b"]}})
    with pytest.raises(TypeError, match="static attribute"):
        graph.update_states(holder, {"layer": {"din": out["b"]}})


def test_merge_inside_jit_leaves_no_tracer(backend):
    graphdef, tree = graph.treefy_split(Linear(2, 2))
    kept = []

    @brainx.compile.jit
    def f(x):
        layer = graph.treefy_merge(graphdef, tree)
        kept.append(layer)
        layer.b.value = layer.b.value + x
        return layer(bm.ones(2))

    out = f(bm.asarray(1.0))
    np.testing.assert_allclose(np.asarray(out), [3.0, 5.0])  # [1,1] @ [[0,1],[2,3]] + 1
    assert not backend.is_tracer(kept[0].b.value)
    np.testing.assert_allclose(np.asarray(kept[0].b.value), [1.0, 1.0])


def test_merge_errors_name_the_problem():
    graphdef, params, counts = graph.treefy_split(MLP(), brainx.ParamState, Count)
    with pytest.raises(ValueError, match=r"no entry for the State at \('count',\)"):
        graph.treefy_merge(graphdef, params)
    bad = graph.NestedDict.merge(params, counts, {"extra": counts["count"]})
    with pytest.raises(ValueError, match=r"key\(s\) \['extra'\]"):
        graph.treefy_merge(graphdef, bad)
    with pytest.raises(TypeError, match="needs a brainx.graph.Node"):
        graph.treefy_split(3.0)
    with pytest.raises(TypeError, match="at least one state tree"):
        graph.treefy_merge(graphdef)


def test_iter_leaf_iter_node_hierarchy_clone_pop_and_graphdef():
    model = MLP()
    leaves = [p for p, _ in graph.iter_leaf(model)]
    assert ("count",) in leaves and ("layers", 0, "din") in leaves
    assert [p for p, _ in graph.iter_leaf(model, allowed_hierarchy=(0, 0))] == [("count",)]
    assert [p for p, _ in graph.iter_node(model)] == [("layers", 0), ("layers", 1), ()]
    assert [p for p, _ in graph.iter_node(model, allowed_hierarchy=(1, 1))] == \
        [("layers", 0), ("layers", 1)]
    with pytest.raises(ValueError, match="allowed_hierarchy"):
        list(graph.iter_leaf(model, allowed_hierarchy=(2, 1)))
    assert list(graph.states(model, allowed_hierarchy=(0, 0))) == [("count",)]
    assert graph.graphdef(model) == graph.graphdef(model)
    assert hash(graph.graphdef(model)) == hash(graph.graphdef(model))
    twin = graph.clone(model)
    twin.layers[0].b.value = bm.ones(3)
    assert float(bm.sum(model.layers[0].b.value)) == 0.0
    popped = graph.pop_states(model, Count)
    assert list(popped.to_flat()) == [("count",)] and not hasattr(model, "count")


def test_treefy_state_and_dicts():
    ref = graph.TreefyState(Count, 2.0, name="c")
    assert ref.name == "c" and ref.replace(3.0).value == 3.0 and ref.replace(3.0).type is Count
    state = ref.to_state()
    assert type(state) is Count and state.name == "c" and state.value == 2.0
    with pytest.raises(TypeError, match="must be a State class"):
        graph.TreefyState(int, 1.0)
    flat = graph.FlattedDict({("a", "b"): 1, ("c",): 2})
    assert flat.to_nest().to_flat() == flat
    assert (flat | {("d",): 3})[("d",)] == 3 and list(flat - {("c",): 0}) == [("a", "b")]
    nested = flat.to_nest()
    assert nested.c == 2 and nested.to_pure_dict() == {"a": {"b": 1}, "c": 2}
    with pytest.raises(AttributeError, match="no key 'zz'"):
        nested.zz  # noqa: B018


# ---- compile.jit: one trace per signature ---------------------------------------------------

def test_jit_traces_once_per_new_signature(backend):
    skip_without(backend, "jit")
    traces = []
    acc = brainx.State(bm.zeros(3))
    made = []

    @brainx.compile.jit(static_argnums=1)
    def step(x, gain):
        traces.append((tuple(x.shape), gain))
        inner = brainx.State(bm.zeros(()))  # created inside: takes the compiled value
        made.append(inner)
        inner.value = bm.sum(x)

        def body(i):  # a State first read inside a loop inside the jitted function
            acc.value = acc.value + x * gain
        brainx.compile.for_loop(body, bm.arange(2))
        return acc.value.sum()

    for _ in range(3):
        step(bm.ones(3), 2.0)
    assert traces == [((3,), 2.0)]
    np.testing.assert_allclose(np.asarray(acc.value), np.full(3, 12.0))
    step(bm.ones(3), 3.0)           # new static value
    acc.value = bm.zeros(3)
    out = step(bm.ones(3) * 2, 3.0)  # cached: the State is an input, not a constant
    assert traces == [((3,), 2.0), ((3,), 3.0)]
    assert float(out) == 36.0
    assert not backend.is_tracer(made[0].value) and float(made[0].value) == 3.0
    acc.assign_unchecked(bm.zeros((2, 3)))  # a State the program reads changed shape:
    step(bm.ones(3) * 2, 3.0)                # same arguments, traced again
    assert len(traces) == 3 and np.asarray(acc.value).shape == (2, 3)


def test_jit_without_stage_falls_back_to_two_traces(backend, monkeypatch):
    skip_without(backend, "jit")
    monkeypatch.setattr(type(backend), "stage", lambda self, fn, args, strict=False: None)
    traces = []
    s = brainx.State(bm.asarray(1.0))

    @brainx.compile.jit
    def f(x):
        traces.append(1)
        s.value = s.value * x
        return s.value

    assert float(f(bm.asarray(3.0))) == 3.0 and float(f(bm.asarray(2.0))) == 6.0
    assert len(traces) == 2 and float(s.value) == 6.0


# ---- compile: ifelse, jit_error_if, make_jaxpr, progress bars, checkpointed loops ----------

def test_ifelse_picks_the_first_true_branch_and_checks(backend):
    s = brainx.State(bm.asarray(0.0))

    def grade(a):
        def write(v):
            def branch():
                s.value = bm.asarray(v)
                return v
            return branch
        return brainx.compile.ifelse([a > 10, (a > 5) & (a <= 10), a <= 5],
                                     [write(1.0), write(2.0), write(3.0)])

    assert [float(grade(bm.asarray(a))) for a in (12, 7, 0)] == [1.0, 2.0, 3.0]
    assert float(s.value) == 3.0
    if "jit" in backend.capabilities:
        assert float(brainx.compile.jit(grade)(bm.asarray(8))) == 2.0
    with pytest.raises(ValueError, match="exactly one condition must hold"):
        brainx.compile.ifelse([True, True], [lambda: 1, lambda: 2])
    with pytest.raises(ValueError, match="one condition per branch"):
        brainx.compile.ifelse([True], [lambda: 1, lambda: 2])
    assert brainx.compile.ifelse([False, False], [lambda: 1, lambda: 2], check_cond=False) == 2


def test_jit_error_if_eager_and_compiled(backend):
    brainx.compile.jit_error_if(bm.asarray([1.0, 2.0]) < 0, "never raised")
    with pytest.raises(ValueError, match="negative: -1.0"):
        brainx.compile.jit_error_if(bm.asarray(-1.0) < 0, "negative: {x}", x=-1.0)
    with pytest.raises(ValueError, match="got 3 bad"):
        brainx.compile.jit_error_if(True, "got %d bad", 3)

    def custom(v):
        raise ArithmeticError(f"custom {float(v)}")

    with pytest.raises(ArithmeticError, match="custom 2.0"):
        brainx.compile.jit_error_if(True, custom, bm.asarray(2.0))
    with pytest.raises(TypeError, match="message string or a function"):
        brainx.compile.jit_error_if(True, 42)
    if "jit" not in backend.capabilities:
        return

    @brainx.compile.jit
    def checked(x):
        brainx.compile.jit_error_if(x < 0, "x must be >= 0, got {x}", x=x)
        return x * 2

    assert float(checked(bm.asarray(1.0))) == 2.0
    with pytest.raises(ValueError, match="x must be >= 0, got -1.0"):  # itself, not jax's
        checked(bm.asarray(-1.0))


def test_make_jaxpr_lists_states_and_needs_jax(backend):
    v = brainx.State(bm.zeros(3))
    w = brainx.State(bm.ones(3))

    def step(x):
        v.value = v.value * 0.5 + x
        w.value = x  # written, never read
        return v.value.sum()

    if "jaxpr" not in backend.capabilities:
        with pytest.raises(brainx.BackendCapabilityError, match="'jaxpr'"):
            brainx.compile.make_jaxpr(step)(bm.ones(3))
        return
    jaxpr, shapes, states = brainx.compile.make_jaxpr(step, return_shape=True)(bm.ones(3))
    assert states[0] is v and states[1] is w
    assert len(jaxpr.jaxpr.invars) == 2 and len(jaxpr.jaxpr.outvars) == 3
    assert shapes.shape == () and "mul" in str(jaxpr)
    assert float(bm.sum(v.value)) == 0.0 and float(bm.sum(w.value)) == 3.0  # nothing ran


class _Recorder(ProgressBar):
    def __init__(self, **kwargs):
        super().__init__(disable=True, **kwargs)
        self.steps = []

    def update(self, step):
        self.steps.append(int(step) + 1)
        super().update(step)


def test_pbar_and_progress_bar_count(backend):
    bar = _Recorder(count=4)
    out = brainx.compile.for_loop(lambda i: i * 2, bm.arange(12), pbar=bar)
    assert np.asarray(out).tolist() == list(range(0, 24, 2))
    assert bar.steps == [3, 6, 9, 12]
    by_freq = _Recorder(freq=5)
    brainx.compile.scan(lambda c, x: (c + x, c), bm.asarray(0), bm.arange(10),
                        progress_bar=by_freq)
    assert by_freq.steps == [5, 10]
    with pytest.raises(ValueError, match="not both"):
        ProgressBar(freq=2, count=3)
    with pytest.raises(ValueError, match="count must be a positive int"):
        ProgressBar(count=0)
    with pytest.raises(TypeError, match="not both"):
        brainx.compile.for_loop(lambda i: i, bm.arange(3), pbar=1, progress_bar=True)
    with pytest.raises(TypeError, match="pbar must be"):
        brainx.compile.for_loop(lambda i: i, bm.arange(3), pbar="fast")
    with pytest.raises(ValueError, match="needs at least 5 steps"):
        brainx.compile.for_loop(lambda i: i, bm.arange(3), pbar=_Recorder(count=5))


def test_checkpointed_scan_equals_scan_values_states_and_gradients(backend):
    w = brainx.ParamState(bm.asarray(0.9))
    v = brainx.State(bm.zeros(3))
    xs = bm.asarray(np.arange(37 * 3, dtype=np.float32).reshape(37, 3) / 50)

    def step(c, x):
        v.value = v.value * w.value + x
        return c * w.value + bm.sum(x), bm.sum(v.value)

    # hand recurrence
    c_ref, v_ref, ys_ref = 0.0, np.zeros(3), []
    for x in np.asarray(xs, np.float64):
        v_ref = v_ref * 0.9 + x
        c_ref = c_ref * 0.9 + x.sum()
        ys_ref.append(v_ref.sum())
    for base in (2, 3, 16, 64):
        v.value = bm.zeros(3)
        c, ys = brainx.compile.checkpointed_scan(step, bm.asarray(0.0), xs, base=base)
        np.testing.assert_allclose(float(c), c_ref, rtol=1e-5)
        np.testing.assert_allclose(np.asarray(ys), ys_ref, rtol=1e-5)
        np.testing.assert_allclose(np.asarray(v.value), v_ref, rtol=1e-5)
    v.value = bm.zeros(3)
    out = brainx.compile.checkpointed_for_loop(lambda x: step(0.0, x)[1], xs, base=4)
    np.testing.assert_allclose(np.asarray(out), ys_ref, rtol=1e-5)
    with pytest.raises(ValueError, match="base .* must be an int >= 2"):
        brainx.compile.checkpointed_scan(step, 0.0, xs, base=1)
    if "grad" not in backend.capabilities:
        return

    def loss(loop, **kw):
        def run():
            v.value = bm.zeros(3)
            c, ys = loop(step, bm.asarray(0.0), xs, **kw)
            return c + bm.sum(ys)
        return run

    g_plain = brainx.augment.grad(loss(brainx.compile.scan), w)()
    g_ckpt = brainx.augment.grad(loss(brainx.compile.checkpointed_scan, base=4), w)()
    np.testing.assert_allclose(float(g_ckpt), float(g_plain), rtol=1e-5)
    jaxpr, _ = brainx.compile.make_jaxpr(
        brainx.augment.grad(loss(brainx.compile.checkpointed_scan, base=4), w))()
    assert "checkpoint" in str(jaxpr) or "remat" in str(jaxpr)


# ---- environ ----------------------------------------------------------------------------

def test_precision_16_is_bfloat16(backend):
    import ml_dtypes

    with brainx.environ.context(precision=16):
        assert brainx.environ.dftype() == np.dtype(ml_dtypes.bfloat16)
        assert brainx.environ.ditype() == np.int16 and brainx.environ.dutype() == np.uint16
        assert brainx.environ.get_precision() == 16
        x = bm.ones(3, dtype=brainx.environ.dftype())
        assert x.dtype == np.dtype(ml_dtypes.bfloat16)
        assert float(brainx.environ.tolerance()) == pytest.approx(1e-2, rel=1e-2)
    assert brainx.environ.dftype() == np.float32
    with brainx.environ.context(precision="bf16"):
        assert brainx.environ.get_precision() == 16
    with brainx.environ.context(precision=64):
        assert float(brainx.environ.tolerance()) == 1e-12
    with pytest.raises(ValueError, match="precision must be 16"):
        brainx.environ.set(precision=8)


def test_register_default_behavior_and_get_desc():
    seen = []
    brainx.environ.register_default_behavior("test_gain_behavior", seen.append)
    try:
        with pytest.raises(ValueError, match="registered for 'test_gain_behavior' already"):
            brainx.environ.register_default_behavior("test_gain_behavior", print)
        brainx.environ.set(test_gain_behavior=1.0)
        with brainx.environ.context(test_gain_behavior=2.0):
            assert brainx.environ.get("test_gain_behavior") == 2.0
        assert seen == [1.0, 2.0, 1.0]
    finally:
        brainx.environ.unregister_default_behavior("test_gain_behavior")
    with pytest.raises(TypeError, match="behavior must be a callable"):
        brainx.environ.register_default_behavior("x", 3)
    with pytest.raises(KeyError, match=r"'missing_key' \(the input gain\) is not set"):
        brainx.environ.get("missing_key", desc="the input gain")


# ---- mixin, util, typing -------------------------------------------------------------------

def test_param_describer_and_mixins():
    class Syn(brainx.mixin.ParamDesc):
        def __init__(self, size, tau=5.0, g=1.0):
            self.size, self.tau, self.g = size, tau, g

    d = Syn.desc(tau=2.0)
    syn = d(10, g=0.5)
    assert (syn.size, syn.tau, syn.g) == (10, 2.0, 0.5)
    assert d.init(3).tau == 2.0
    assert d == Syn.desc(tau=2.0) and hash(d) == hash(Syn.desc(tau=2.0))
    assert d.identifier[0] is Syn
    assert isinstance(d, brainx.mixin.ParamDescriber[Syn])
    assert not isinstance(d, brainx.mixin.ParamDescriber[int])
    with pytest.raises(TypeError, match="bound by desc"):
        d(1, tau=3.0)
    with pytest.raises(TypeError, match="cannot be subclassed"):
        type("Sub", (brainx.mixin.ParamDescriber,), {})
    with pytest.raises(NotImplementedError, match="align_post_input_add"):
        brainx.mixin.AlignPost().align_post_input_add(1)
    both = brainx.mixin.JointTypes[brainx.mixin.ParamDesc, brainx.mixin.AlignPost]
    assert not isinstance(syn, both)
    assert isinstance(type("S2", (Syn, brainx.mixin.AlignPost), {})(1), both)
    assert isinstance(1.0, brainx.mixin.OneOfTypes[int, float])
    mode = brainx.mixin.JointMode(brainx.mixin.Batching(4), brainx.mixin.Training())
    assert mode.has(brainx.mixin.Batching) and mode.batch_size == 4
    assert brainx.mixin.Batching(2).has(brainx.mixin.Mode)
    with pytest.raises(TypeError, match="JointMode takes Mode"):
        brainx.mixin.JointMode(3)


def test_util_helpers():
    u = brainx.util
    d = u.DotDict({"a": {"b": 1}})
    d.c = [{"e": 2}]
    assert d.a.b == 1 and d.c[0].e == 2 and d.to_dict() == {"a": {"b": 1}, "c": [{"e": 2}]}
    with pytest.raises(AttributeError, match="method of DotDict"):
        d.copy = 1
    m = u.DictManager(a=1, b=2.0)
    assert m.subset(float) == {"b": 2.0} and m.unique() == m
    with pytest.raises(ValueError, match="registered to 1 already"):
        m.add_unique_elem("a", 5)
    flat = u.flat_mapping({"x": {"y": 1, "z": {"w": 2}}})
    assert flat == {("x", "y"): 1, ("x", "z", "w"): 2}
    assert u.nest_mapping(flat) == {"x": {"y": 1, "z": {"w": 2}}}
    a, b = u.get_unique_name("Probe_t"), u.get_unique_name("Probe_t")
    assert a != b and b.startswith("Probe_t")
    assert u.split_total(10, 0.5) == 5 and u.split_total(10, 3) == 3
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        u.split_total(10, 1.5)
    pred = u.All(brainx.ParamState, u.Not(u.PathContains("backbone")))
    assert pred(("head", "w"), brainx.ParamState(1.0))
    assert not pred(("backbone", "w"), brainx.ParamState(1.0))
    assert u.to_predicate([Count, brainx.ParamState])(("x",), Count(0))
    assert u.is_instance_eval(int)(3) and u.not_instance_eval(int)(3.0)


def test_typing_names():
    t = brainx.typing
    assert repr(t.PyTree[float]) == "PyTree[float]"
    assert repr(t.PyTree[int, "T"]) == "PyTree[int, 'T']"
    assert repr(t.Array["batch, n"]) == "Array['batch, n']"
    with pytest.raises(TypeError, match="cannot be instantiated"):
        t.PyTree()
    with pytest.raises(TypeError, match="structure must be a string"):
        t.PyTree[int, 3]
    assert isinstance("layer", t.Key) and repr(t.Missing()) == "Missing"
