"""brainx.augment: State-aware transforms against jax on pure functions, finite differences,
a hand-derived BPTT recurrence, the dense layer, separate runs; no tracer left behind."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.math as bm
import brainx.surrogate
from brainx import augment

jax = pytest.importorskip("jax")
jnp = jax.numpy


@pytest.fixture
def jax64():
    with brainx.use_backend("jax"):
        brainx.environ.set(precision=64)
        yield
        brainx.environ.set(precision=32)


def central_difference(f, x, eps=1e-6):
    """d f / d x for a scalar function of a float64 NumPy array, by central differences."""
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        g[idx] = (f(up) - f(down)) / (2 * eps)
    return g


def _concrete(value):
    return not any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree.leaves(value))


# ---- gradients against jax on the equivalent pure function and finite differences -----

def _model():
    w = brainx.ParamState(bm.asarray([[0.3, -0.2], [0.5, 0.1], [-0.4, 0.7]]))
    b = brainx.ParamState(bm.asarray([0.1, -0.3]))
    return w, b


def _pure_loss(w, b, x):
    return jnp.sum(jnp.tanh(x @ w + b) ** 2)


def test_grad_wrt_states_and_args_equals_jax_and_finite_differences(jax64):
    w, b = _model()
    x = bm.asarray([0.2, -1.0, 0.5])

    def loss(x):
        return bm.sum(bm.tanh(x @ w.value + b.value) ** 2)

    (gs, gx), value = augment.grad(loss, {"w": w, "b": b}, argnums=0, return_value=True)(x)
    ref_w, ref_b, ref_x = jax.grad(_pure_loss, argnums=(0, 1, 2))(w.value, b.value, x)
    np.testing.assert_allclose(gs["w"], ref_w, rtol=1e-12)
    np.testing.assert_allclose(gs["b"], ref_b, rtol=1e-12)
    np.testing.assert_allclose(gx, ref_x, rtol=1e-12)
    assert float(value) == pytest.approx(float(_pure_loss(w.value, b.value, x)), rel=1e-14)
    fd = central_difference(lambda wv: float(_pure_loss(wv, b.value, x)), w.value)
    np.testing.assert_allclose(gs["w"], fd, rtol=1e-6, atol=1e-9)


def test_grad_structures_follow_brainstate():
    with brainx.use_backend("jax"):
        w, b = _model()
        x = bm.asarray([0.2, -1.0, 0.5])

        def loss(x):
            return bm.sum(x @ w.value + b.value), "aux"

        only_states = augment.grad(loss, [w, b], has_aux=True)(x)
        assert isinstance(only_states, tuple) and len(only_states) == 2
        (gw, gb), aux = only_states
        assert gw.shape == (3, 2) and gb.shape == (2,) and aux == "aux"
        single = augment.grad(loss, w, has_aux=True, return_value=True)(x)
        grads, value, aux = single
        assert grads.shape == (3, 2) and float(value) == pytest.approx(
            float(bm.sum(x @ w.value + b.value)))
        gx = augment.grad(lambda x: bm.sum(x ** 2))(x)  # argnums=0 by default
        np.testing.assert_allclose(gx, 2 * np.asarray(x), rtol=1e-6)
        g01 = augment.grad(lambda a, c: a * c, argnums=(0, 1))(2.0, 3.0)
        assert [float(v) for v in g01] == [3.0, 2.0]
        states = brainx.graph.states(brainx.nn.Module())
        assert augment.grad(lambda: bm.asarray(1.0), states)() == {}


def test_every_jacobian_transform_equals_jax(jax64):
    w, _ = _model()
    x = bm.asarray([0.2, -1.0, 0.5])

    def f(x):
        return bm.sin(x @ w.value) * bm.sum(x)

    def pure(wv, x):
        return jnp.sin(x @ wv) * jnp.sum(x)

    for transform, reference in [(augment.jacrev, jax.jacrev), (augment.jacfwd, jax.jacfwd),
                                 (augment.jacobian, jax.jacrev)]:
        jw, jx = transform(f, w, argnums=0)(x)
        ref_w, ref_x = reference(pure, argnums=(0, 1))(w.value, x)
        np.testing.assert_allclose(jw, ref_w, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(jx, ref_x, rtol=1e-12, atol=1e-15)
    # and the Jacobian with respect to x by central differences, column by column
    jx = augment.jacrev(f)(x)
    for j in range(3):
        step = np.zeros(3)
        step[j] = 1e-6
        column = (np.asarray(f(x + step)) - np.asarray(f(x - step))) / 2e-6
        np.testing.assert_allclose(np.asarray(jx)[:, j], column, rtol=1e-6, atol=1e-9)
    vg = augment.vector_grad(f, w)(x)
    np.testing.assert_allclose(vg, jax.grad(lambda wv: jnp.sum(pure(wv, x)))(w.value),
                               rtol=1e-12)

    def scalar(x):
        return bm.sum(bm.sin(x @ w.value) ** 2) * bm.sum(x ** 3)

    H = augment.hessian(scalar)(x)
    ref = jax.hessian(lambda x: jnp.sum(jnp.sin(x @ w.value) ** 2) * jnp.sum(x ** 3))(x)
    np.testing.assert_allclose(H, ref, rtol=1e-12, atol=1e-14)
    Hw = augment.hessian(scalar, w)(x)
    ref_w = jax.hessian(lambda wv: jnp.sum(jnp.sin(x @ wv) ** 2) * jnp.sum(x ** 3))(w.value)
    np.testing.assert_allclose(Hw, ref_w, rtol=1e-12, atol=1e-14)
    fd = central_difference(lambda xv: float(jax.grad(
        lambda x: jnp.sum(jnp.sin(x @ w.value) ** 2) * jnp.sum(x ** 3))(xv)[0]), x)
    np.testing.assert_allclose(np.asarray(H)[0], fd, rtol=1e-5, atol=1e-8)


def test_vjp_and_jvp_equal_jax(jax64):
    w, _ = _model()
    x = bm.asarray([0.2, -1.0, 0.5])

    def f(x):
        return bm.tanh(x @ w.value)

    out, pullback = augment.vjp(f, x, grad_states=w)
    ct = bm.asarray([1.0, -2.0])
    gw, gx = pullback(ct)
    ref_out, ref_pullback = jax.vjp(lambda wv, x: jnp.tanh(x @ wv), w.value, x)
    ref_w, ref_x = ref_pullback(ct)
    np.testing.assert_allclose(out, ref_out, rtol=1e-14)
    np.testing.assert_allclose(gw, ref_w, rtol=1e-12)
    np.testing.assert_allclose(gx, ref_x, rtol=1e-12)

    tx = bm.asarray([1.0, 0.0, -1.0])
    tw = bm.ones((3, 2))
    y, dy = augment.jvp(f, (x,), (tx,), grad_states=w, state_tangents=tw)
    ref_y, ref_dy = jax.jvp(lambda wv, x: jnp.tanh(x @ wv), (w.value, x), (tw, tx))
    np.testing.assert_allclose(y, ref_y, rtol=1e-14)
    np.testing.assert_allclose(dy, ref_dy, rtol=1e-12)
    y, dy = augment.jvp(f, (x,), (tx,))
    np.testing.assert_allclose(dy, jax.jvp(lambda x: jnp.tanh(x @ w.value), (x,), (tx,))[1],
                               rtol=1e-12)
    # directional derivative and pullback by central differences
    fd = (np.asarray(f(x + 1e-6 * tx)) - np.asarray(f(x - 1e-6 * tx))) / 2e-6
    np.testing.assert_allclose(dy, fd, rtol=1e-6, atol=1e-9)
    (gx_only,) = augment.vjp(f, x)[1](ct)
    fd_vjp = central_difference(lambda xv: float(np.asarray(f(bm.asarray(xv))) @ np.asarray(ct)),
                                x)
    np.testing.assert_allclose(gx_only, fd_vjp, rtol=1e-6, atol=1e-9)


def test_remat_keeps_values_and_gradients(jax64):
    w, _ = _model()
    x = bm.asarray([0.2, -1.0, 0.5])
    counter = brainx.State(0)

    def layer(x):
        counter.value += 1
        return bm.sin(x @ w.value)

    def loss(x):
        return bm.sum(augment.remat(layer)(x) ** 2)

    g = augment.grad(loss, w)(x)
    ref = jax.grad(lambda wv: jnp.sum(jnp.sin(x @ wv) ** 2))(w.value)
    np.testing.assert_allclose(g, ref, rtol=1e-12)
    assert int(counter.value) == 1 and _concrete(counter.value)


# ---- BPTT through a recurrent LIF network with a surrogate spike function ---------------

def _bptt_by_hand(x, w_in, w_rec, c, k, th, alpha):
    """Forward and backward of V' = V + k (-V + I), s = H(V' - th), V = V' (1 - s) with the
    arctan surrogate; gradients of L = sum_t c_t . s_t, written out step by step."""
    T, n = x.shape[0], w_in.shape[1]
    V, s = np.zeros(n), np.zeros(n)
    Us, Ss, prev = [], [], []
    for t in range(T):
        prev.append(s)
        current = x[t] @ w_in + s @ w_rec
        U = V + k * (-V + current)
        s = (U >= th).astype(float)
        V = np.where(U >= th, 0.0, U)
        Us.append(U)
        Ss.append(s)
    d_surrogate = lambda u: alpha / 2 / (1 + (np.pi / 2 * alpha * u) ** 2)  # noqa: E731
    g_in, g_rec = np.zeros_like(w_in), np.zeros_like(w_rec)
    gV_next, gI_next = np.zeros(n), np.zeros(n)
    for t in reversed(range(T)):
        gs = c[t] + gI_next @ w_rec.T
        gV = gV_next
        fired = Us[t] >= th
        gU = gs * d_surrogate(Us[t] - th) + gV * (~fired)
        gI = gU * k
        g_in += np.outer(x[t], gI)
        g_rec += np.outer(prev[t], gI)
        gV_next, gI_next = gU * (1 - k), gI
    loss = float(sum(c[t] @ Ss[t] for t in range(T)))
    return loss, g_in, g_rec


def test_bptt_through_for_loop_equals_hand_derived_recurrence(jax64):
    rng = np.random.RandomState(0)
    T, n_in, n, tau = 30, 4, 5, 5.0
    x = rng.uniform(0, 1, (T, n_in))
    w_in0, w_rec0 = rng.normal(0, 1.5, (n_in, n)), rng.normal(0, 0.5, (n, n))
    c = rng.normal(0, 1, (T, n))
    alpha = 2.0

    lif = brainx.nn.LIF(n, tau=tau, V_rest=0.0, V_reset=0.0, V_th=1.0,
                        spk_fun=brainx.surrogate.Arctan(alpha=alpha))
    w_in, w_rec = brainx.ParamState(bm.asarray(w_in0)), brainx.ParamState(bm.asarray(w_rec0))

    def step(x_t):
        return lif(x_t @ w_in.value + lif.spike.value @ w_rec.value)

    def loss():
        brainx.nn.init_all_states(lif)
        spikes = brainx.compile.for_loop(step, bm.asarray(x))
        return bm.sum(spikes * bm.asarray(c))

    (g_in, g_rec), value = brainx.compile.jit(
        augment.grad(loss, [w_in, w_rec], return_value=True))()
    k = 1 - np.exp(-brainx.environ.get_dt() / tau)
    ref_loss, ref_in, ref_rec = _bptt_by_hand(x, w_in0, w_rec0, c, k, 1.0, alpha)
    assert float(value) == pytest.approx(ref_loss, abs=1e-9)
    assert np.abs(ref_in).max() > 1e-3  # the surrogate carries gradient through spikes
    np.testing.assert_allclose(g_in, ref_in, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(g_rec, ref_rec, rtol=1e-9, atol=1e-12)
    assert _concrete(lif.V.value) and _concrete(lif.spike.value)


def test_event_layer_weight_gradients_equal_the_dense_layers(jax64):
    n_pre, n_post = 40, 30
    layer = brainx.event.FixedProb(n_pre, n_post, prob=0.2, weight=0.5, seed=1)
    rng = np.random.RandomState(2)
    spikes = bm.asarray(rng.uniform(size=n_pre) < 0.3)
    target = bm.asarray(rng.normal(size=n_post))
    weight_state = [s for s in brainx.graph.states(layer, brainx.ParamState).values()][0]

    def loss():
        return bm.sum((layer(spikes) - target) ** 2)

    g = augment.grad(loss, weight_state)()
    mask = _dense_connectivity(layer, n_pre, n_post)
    w = float(weight_state.value)
    y = (np.asarray(spikes, float) @ (mask * w))
    ref = np.sum(2 * (y - np.asarray(target)) * (np.asarray(spikes, float) @ mask))
    np.testing.assert_allclose(float(g), ref, rtol=1e-12)

    hetero = brainx.event.FixedProb(n_pre, n_post, prob=0.2, weight=bm.asarray(
        rng.normal(size=(n_pre, round(0.2 * n_post)))), seed=1)
    hw = [s for s in brainx.graph.states(hetero, brainx.ParamState).values()][0]
    gh = augment.grad(lambda: bm.sum((hetero(spikes) - target) ** 2), hw)()
    mat = _dense_weights(hetero, n_pre, n_post)
    y = np.asarray(spikes, float) @ mat
    dense_grad = np.outer(np.asarray(spikes, float), 2 * (y - np.asarray(target)))
    indices = np.asarray(hetero.indices)
    ref_h = dense_grad[np.arange(n_pre)[:, None], indices]
    np.testing.assert_allclose(gh, ref_h, rtol=1e-12, atol=1e-14)


def _dense_connectivity(layer, n_pre, n_post):
    mask = np.zeros((n_pre, n_post))
    for i, row in enumerate(np.asarray(layer.indices)):
        for j in row:
            mask[i, j] += 1.0
    return mask


def _dense_weights(layer, n_pre, n_post):
    mat = np.zeros((n_pre, n_post))
    weights = np.asarray([s for s in brainx.graph.states(layer, brainx.ParamState).values()][0]
                         .value)
    for i, row in enumerate(np.asarray(layer.indices)):
        for j, w in zip(row, weights[i], strict=True):
            mat[i, j] += w
    return mat


# ---- no tracer is ever left in a State ------------------------------------------------------

class _Model(brainx.nn.Module):
    """ParamStates, ShortTermStates and a RandomState."""

    def __init__(self):
        super().__init__()
        self.w = brainx.ParamState(bm.asarray([[0.5, -0.2], [0.3, 0.8]]))
        self.v = brainx.ShortTermState(bm.zeros(2))
        self.rng = brainx.random.RandomState(0)

    def __call__(self, x):
        noise = self.rng.normal(0.0, 0.1, (2,))
        self.v.value = 0.9 * self.v.value + bm.tanh(x @ self.w.value) + noise
        return bm.sum(self.v.value ** 2)


def _loop_loss(model, x):
    return bm.sum(brainx.compile.for_loop(lambda i: model(x * i), bm.arange(1.0, 4.0)))


def _while_loss(model, x):
    def body(i):
        model(x)
        return i + 1
    brainx.compile.while_loop(lambda i: i < 3, body, 0)
    return bm.sum(model.v.value)


def _cond_loss(model, x):
    return brainx.compile.cond(bm.sum(x) > 0, lambda: model(x), lambda: model(-x))


TRANSFORMS = {
    "grad": lambda m, f: augment.grad(f, m.states(brainx.ParamState)),
    "grad_args": lambda m, f: augment.grad(f, argnums=0),
    "vector_grad": lambda m, f: augment.vector_grad(f, m.w),
    "jacrev": lambda m, f: augment.jacrev(f, m.w),
    "jacfwd": lambda m, f: augment.jacfwd(f, m.w),
    "hessian": lambda m, f: augment.hessian(f, m.w),
    "vjp": lambda m, f: (lambda x: augment.vjp(f, x, grad_states=m.w)[1](bm.asarray(1.0))),
    "jvp": lambda m, f: (lambda x: augment.jvp(f, (x,), (bm.ones_like(x),))),
    "vmap": lambda m, f: (lambda x: augment.vmap(f)(bm.stack([x, 2 * x]))),
    "remat": lambda m, f: augment.remat(f),
    "eval_shape": lambda m, f: (lambda x: augment.eval_shape(f, x).shape and None),
}
REVERSE_MODE = {"grad", "grad_args", "vector_grad", "jacrev", "hessian", "vjp"}
BODIES = {"plain": lambda m: m, "for_loop": lambda m: (lambda x: _loop_loss(m, x)),
          "while_loop": lambda m: (lambda x: _while_loss(m, x)),
          "cond": lambda m: (lambda x: _cond_loss(m, x))}


# every transform bare, and under compile.jit around each body (plain, for_loop, while_loop,
# cond); a transform traces its loops whether or not jit is around it
# (the default run keeps every transform bare and under jit around a for_loop; jit around
# the plain, while_loop and cond bodies runs with -m slow)
CASES = [pytest.param(name, "plain", False, id=f"{name}-plain-eager") for name in TRANSFORMS] + [
    pytest.param(name, body, True, id=f"{name}-{body}-jit",
                 marks=() if body == "for_loop" else (pytest.mark.slow,))
    for name in TRANSFORMS for body in BODIES]


@pytest.mark.parametrize("name,body,jit", CASES)
def test_no_tracer_is_left_and_the_key_moves(name, body, jit):
    with brainx.use_backend("jax"):
        model = _Model()
        fn = TRANSFORMS[name](model, BODIES[body](model))
        if jit:
            fn = brainx.compile.jit(fn)
        key_before = np.asarray(model.rng.value)
        v_before = np.asarray(model.v.value)
        if body == "while_loop" and name in REVERSE_MODE:
            # jax cannot reverse-differentiate a while loop; the failed call leaves no tracer
            with pytest.raises(ValueError, match="Reverse-mode differentiation does not work"):
                fn(bm.asarray([0.3, -0.1]))
            for state in brainx.graph.states(model).values():
                assert _concrete(state.value)
            if name != "vjp":  # vjp's forward pass ran (and advanced the key) before
                np.testing.assert_array_equal(np.asarray(model.rng.value), key_before)
            return
        for _ in range(2):
            fn(bm.asarray([0.3, -0.1]))
        for path, state in brainx.graph.states(model).items():
            assert _concrete(state.value), (name, body, path)
        if name == "eval_shape":  # computes nothing: the States are as they were
            assert np.array_equal(np.asarray(model.rng.value), key_before)
            assert np.array_equal(np.asarray(model.v.value), v_before)
        else:
            assert not np.array_equal(np.asarray(model.rng.value), key_before), (name, body)
            model(bm.asarray([0.1, 0.2]))  # the model still runs afterwards
            brainx.compile.jit(lambda: model(bm.asarray([0.1, 0.2])))()


def test_grad_inside_jit_advances_the_key_every_call():
    with brainx.use_backend("jax"):
        model = _Model()
        step = brainx.compile.jit(augment.grad(lambda x: model(x), model.w))
        grads = [np.asarray(step(bm.asarray([0.3, -0.1]))) for _ in range(3)]
        assert not np.array_equal(grads[0], grads[1]) and not np.array_equal(grads[1], grads[2])


def test_transforms_compose():
    with brainx.use_backend("jax"):
        brainx.environ.set(precision=64)
        model = _Model()
        x = bm.asarray([0.3, -0.1])
        model.rng.seed(5)
        per_example = augment.vmap(augment.grad(lambda x: model(x), model.w))(bm.stack([x, 2 * x]))
        assert per_example.shape == (2, 2, 2)
        second = augment.grad(lambda x: augment.grad(lambda y: bm.sum(bm.sin(y) * y))(x))(0.7)
        assert float(second) == pytest.approx(2 * np.cos(0.7) - 0.7 * np.sin(0.7), rel=1e-12)
        brainx.environ.set(precision=32)


# ---- vmap --------------------------------------------------------------------------------

class _Poisson(brainx.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.lif = brainx.nn.LIF(n, tau=8.0, V_th=1.0, V_reset=0.0, V_rest=0.0)
        self.rng = brainx.random.RandomState(3)

    def run(self, amplitude):
        brainx.nn.init_all_states(self)
        return brainx.compile.for_loop(
            lambda i: self.lif(self.rng.uniform(0.0, 2.0, self.lif.size) * amplitude),
            bm.arange(300))


@pytest.mark.parametrize("precision", [32, pytest.param(64, marks=pytest.mark.slow)])
def test_vmap_of_a_network_over_8_values_equals_8_separate_runs(backend, precision):
    brainx.environ.set(precision=precision)
    net = _Poisson(6)
    key = np.asarray(net.rng.value)
    amplitudes = np.linspace(0.5, 2.0, 8)
    batched = np.asarray(augment.vmap(net.run)(bm.asarray(amplitudes)))
    assert batched.shape == (8, 300, 6) and 0 < batched.sum()
    assert net.lif.V.value.shape == (8, 6)  # States written inside come out batched
    assert net.rng.value.shape == (2,) and not np.array_equal(np.asarray(net.rng.value), key)
    for i, amp in enumerate(amplitudes):
        net.rng.value = bm.asarray(key)
        np.testing.assert_array_equal(batched[i], np.asarray(net.run(float(amp))))


def test_vmap_is_the_same_on_both_backends():
    results = {}
    for name in brainx.available_backends():
        with brainx.use_backend(name):
            results[name] = np.asarray(augment.vmap(_Poisson(4).run)(bm.linspace(0.5, 2.0, 8)))
    values = list(results.values())
    for other in values[1:]:
        np.testing.assert_array_equal(values[0], other)


def test_vmap_in_states_out_states_and_axes(backend):
    table = brainx.State(bm.asarray([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    acc = brainx.State(bm.zeros(2))
    shared = brainx.State(bm.asarray(10.0))

    def f(x, y):
        acc.value = acc.value + table.value * x + shared.value
        return {"sum": bm.sum(table.value) + y, "x": x}

    out = augment.vmap(f, in_axes=(0, None), in_states=table, out_states={1: acc})(
        bm.asarray([1.0, 2.0, 3.0]), 100.0)
    np.testing.assert_allclose(out["sum"], [103.0, 107.0, 111.0])
    np.testing.assert_allclose(out["x"], [1.0, 2.0, 3.0])
    np.testing.assert_allclose(acc.value, (np.asarray([[1, 2], [6, 8], [15, 18]]) + 10.0).T)
    np.testing.assert_allclose(table.value, [[1, 2], [3, 4], [5, 6]])  # read: unchanged

    created = augment.vmap(lambda k: brainx.ShortTermState(bm.ones(3) * k), axis_size=None)(
        bm.asarray([1.0, 2.0]))
    assert isinstance(created, brainx.State) and created.value.shape == (2, 3)
    np.testing.assert_allclose(created.value[1], [2.0, 2.0, 2.0])


def test_vmap_errors_name_the_problem(backend):
    with pytest.raises(ValueError, match="in_axes has 2 entries"):
        augment.vmap(lambda x: x, in_axes=(0, 0))(bm.ones(3))
    with pytest.raises(TypeError, match="in_states must be a State"):
        augment.vmap(lambda x: x, in_states=[1.0])(bm.ones(3))
    with pytest.raises(ValueError, match="axis_size must be a positive int"):
        augment.vmap(lambda x: x, axis_size=0)
    with pytest.raises(TypeError, match="vmap needs a callable"):
        augment.vmap(3)


# ---- numba and errors ----------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda w: augment.grad(lambda: bm.sum(w.value ** 2), w)(),
    lambda w: augment.vector_grad(lambda: w.value ** 2, w)(),
    lambda w: augment.jacrev(lambda: w.value ** 2, w)(),
    lambda w: augment.jacfwd(lambda: w.value ** 2, w)(),
    lambda w: augment.hessian(lambda: bm.sum(w.value ** 2), w)(),
    lambda w: augment.vjp(lambda x: x * w.value, bm.ones(2)),
    lambda w: augment.jvp(lambda x: x * w.value, (bm.ones(2),), (bm.ones(2),)),
], ids=["grad", "vector_grad", "jacrev", "jacfwd", "hessian", "vjp", "jvp"])
def test_gradients_on_numba_raise_a_capability_error_naming_jax(call):
    with brainx.use_backend("numba"):
        w = brainx.ParamState(bm.ones(2))
        with pytest.raises(brainx.BackendCapabilityError, match="'grad'.*jax"):
            call(w)
        np.testing.assert_array_equal(w.value, [1.0, 1.0])


def test_remat_and_eval_shape_run_on_numba():
    with brainx.use_backend("numba"):
        s = brainx.State(bm.zeros(2))

        def f(x):
            s.value = s.value + x
            return bm.outer(x, x)

        assert augment.remat(f)(bm.ones(2)).shape == (2, 2)
        np.testing.assert_array_equal(s.value, [1.0, 1.0])
        shape = augment.eval_shape(f, bm.ones(2))
        assert shape.shape == (2, 2)
        np.testing.assert_array_equal(s.value, [1.0, 1.0])


def test_argument_errors():
    with brainx.use_backend("jax"):
        with pytest.raises(TypeError, match="grad_states must be a State"):
            augment.grad(lambda: 1.0, grad_states=[1.0])
        with pytest.raises(ValueError, match="argnums=3 is out of range"):
            augment.grad(lambda x: x, argnums=3)(1.0)
        with pytest.raises(TypeError, match="argnums must be an int"):
            augment.grad(lambda x: x, argnums="0")
        with pytest.raises(TypeError, match="has_aux=True.*pair"):
            augment.grad(lambda x: x, has_aux=True)(1.0)
        with pytest.raises(TypeError, match="needs a callable"):
            augment.grad(3)
        with pytest.raises(ValueError, match="one tangent per primal"):
            augment.jvp(lambda x: x, (1.0,), ())
        s = brainx.State(bm.ones(2))
        with pytest.raises(ValueError, match="state_tangents must"):
            augment.jvp(lambda: s.value, (), (), grad_states={"a": s}, state_tangents={"b": 1})


def test_restore_rngs_gives_the_keys_back(backend):
    brainx.random.seed(1)
    key = np.asarray(brainx.random.DEFAULT.value)
    mine = brainx.random.RandomState(2)
    mine_key = np.asarray(mine.value)
    draw = augment.restore_rngs(lambda: (brainx.random.rand(), mine.rand()), rngs=[
        brainx.random.DEFAULT, mine])
    a, b = draw(), draw()
    assert float(a[0]) == float(b[0]) and float(a[1]) == float(b[1])
    np.testing.assert_array_equal(np.asarray(brainx.random.DEFAULT.value), key)
    np.testing.assert_array_equal(np.asarray(mine.value), mine_key)
