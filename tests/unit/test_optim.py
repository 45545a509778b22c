"""brainx.optim: optimisers against optax applied directly and hand-written NumPy updates,
inside compile.jit, with every registration structure; schedules against hand-derived
values and PyTorch's algorithms; bad arguments; the capability error on numba."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import skip_without

import brainx
import brainx.math as bm
from brainx import optim

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 2)).astype(np.float32)
Y = RNG.normal(size=(4, 3)).astype(np.float32)
A = np.array([1.0, 3.0, 0.5], np.float32)
C = np.array([0.5, -1.0, 2.0], np.float32)
W0 = np.array([1.0, 2.0, -1.0], np.float32)
LAYER0 = {"weight": RNG.normal(size=(2, 3)).astype(np.float32),
          "bias": np.array([0.1, -0.2, 0.3], np.float32)}


@pytest.fixture
def grad_backend(backend):
    skip_without(backend, "grad")
    pytest.importorskip("optax")
    return backend


def _loss(params):
    import jax.numpy as jnp

    w, layer = params["w"], params["layer"]
    fit = X @ layer["weight"] + layer["bias"] - Y
    return jnp.sum(A * (w - C) ** 2) + jnp.sum(fit ** 2)


def _grad(params):
    import jax

    return jax.grad(_loss)(params)


def _fresh():
    return (brainx.ParamState(W0.copy()),
            brainx.ParamState({k: v.copy() for k, v in LAYER0.items()}))


def _run_brainx(opt, steps=4):
    """The parameters after each of ``steps`` updates of ``opt`` on the quadratic."""
    w, layer = _fresh()
    opt.register_trainable_weights({"w": w, "layer": layer})
    history = []
    for _ in range(steps):
        opt.update(_grad({"w": w.value, "layer": layer.value}))
        history.append({"w": np.asarray(w.value),
                        "layer": {k: np.asarray(v) for k, v in layer.value.items()}})
    return history


def _run_optax(tx, steps=4, post=None):
    """The same with ``tx`` applied by hand; ``post(params, new_params)`` may adjust."""
    import jax
    import optax

    params = {"w": W0.copy(), "layer": {k: v.copy() for k, v in LAYER0.items()}}
    state = tx.init(params)
    history = []
    for _ in range(steps):
        updates, state = tx.update(_grad(params), state, params)
        new = optax.apply_updates(params, updates)
        params = post(params, new) if post else new
        history.append(jax.tree_util.tree_map(np.asarray, params))
    return history


def _run_numpy(rule, steps=4):
    """The same with a NumPy update ``rule(step, params, grads, memory) -> params``."""
    import jax

    params = {"w": W0.astype(np.float64), "layer": {k: v.astype(np.float64)
                                                    for k, v in LAYER0.items()}}
    memory: dict = {}
    history = []
    for t in range(1, steps + 1):
        grads = jax.tree_util.tree_map(np.asarray, _grad(jax.tree_util.tree_map(
            lambda v: v.astype(np.float32), params)))
        params = {"w": rule(t, "w", params["w"], grads["w"].astype(np.float64), memory),
                  "layer": {k: rule(t, k, params["layer"][k],
                                    grads["layer"][k].astype(np.float64), memory)
                            for k in params["layer"]}}
        history.append(params)
    return history


def _assert_histories(got, want, rtol=2e-5, atol=1e-6):
    import jax

    assert len(got) == len(want)
    for step, (g, w) in enumerate(zip(got, want, strict=True), start=1):
        for a, b in zip(jax.tree_util.tree_leaves(g), jax.tree_util.tree_leaves(w), strict=True):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"update {step}")


# ---- against optax applied directly ------------------------------------------

def _optax_cases():
    import optax

    def adan_prox(lr, wd):
        tx = optax.chain(optax.scale_by_adan(b1=0.98, b2=0.92, b3=0.99, eps=1e-8, eps_root=0.0),
                         optax.scale(-lr))

        def post(old, new):  # theta <- (theta - lr * u) / (1 + wd * lr)
            import jax

            return jax.tree_util.tree_map(lambda n: n / (1 + wd * lr), new)

        return tx, post

    return {
        "SGD": (lambda: optim.SGD(0.02), optax.sgd(0.02), None),
        "Momentum": (lambda: optim.Momentum(0.02, momentum=0.8), optax.sgd(0.02, momentum=0.8),
                     None),
        "MomentumNesterov": (lambda: optim.MomentumNesterov(0.02, momentum=0.8),
                             optax.sgd(0.02, momentum=0.8, nesterov=True), None),
        "Adagrad": (lambda: optim.Adagrad(0.1, epsilon=1e-6),
                    optax.adagrad(0.1, initial_accumulator_value=0.0, eps=1e-6), None),
        "Adadelta": (lambda: optim.Adadelta(1.0, epsilon=1e-6, rho=0.95),
                     optax.adadelta(1.0, rho=0.95, eps=1e-6), None),
        "RMSProp": (lambda: optim.RMSProp(0.01, epsilon=1e-6, rho=0.9),
                    optax.rmsprop(0.01, decay=0.9, eps=1e-6), None),
        "Adam": (lambda: optim.Adam(0.05, beta1=0.8, beta2=0.99, eps=1e-7),
                 optax.adam(0.05, b1=0.8, b2=0.99, eps=1e-7), None),
        "AdamW": (lambda: optim.AdamW(0.05, weight_decay=0.1),
                  optax.adamw(0.05, weight_decay=0.1), None),
        "AdamW-amsgrad": (lambda: optim.AdamW(0.05, weight_decay=0.1, amsgrad=True),
                          optax.chain(optax.scale_by_amsgrad(), optax.add_decayed_weights(0.1),
                                      optax.scale(-0.05)), None),
        "LARS": (lambda: optim.LARS(0.5, momentum=0.9, weight_decay=1e-3, tc=0.01, eps=1e-5),
                 optax.lars(0.5, weight_decay=1e-3, trust_coefficient=0.01, eps=1e-5,
                            momentum=0.9), None),
        "Adan-no_prox": (lambda: optim.Adan(0.05, weight_decay=0.1, no_prox=True),
                         optax.adan(0.05, eps_root=0.0, weight_decay=0.1), None),
        "Adan": (lambda: optim.Adan(0.05, weight_decay=0.1), *adan_prox(0.05, 0.1)),
        "LBFGS": (lambda: optim.LBFGS(0.01, memory_size=3),
                  optax.lbfgs(0.01, memory_size=3, linesearch=None), None),
        "OptaxOptimizer": (lambda: optim.OptaxOptimizer(optax.adabelief(0.05)),
                           optax.adabelief(0.05), None),
        "OptaxOptimizer-lr": (lambda: optim.OptaxOptimizer(optax.scale_by_lion(), lr=0.01),
                              optax.lion(0.01, weight_decay=0.0), None),
    }


OPTAX_CASES = ["SGD", "Momentum", "MomentumNesterov", "Adagrad", "Adadelta", "RMSProp", "Adam",
               "AdamW", "AdamW-amsgrad", "LARS", "Adan-no_prox", "Adan", "LBFGS",
               "OptaxOptimizer", "OptaxOptimizer-lr"]


@pytest.mark.parametrize("name", OPTAX_CASES)
def test_first_updates_equal_optax_applied_directly(grad_backend, name):
    make, tx, post = _optax_cases()[name]
    _assert_histories(_run_brainx(make()), _run_optax(tx, post=post))


# ---- against hand-written NumPy formulas ----------------------------------------

def test_sgd_equals_the_numpy_formula(grad_backend):
    def rule(t, key, p, g, memory):
        return p - 0.02 * g

    _assert_histories(_run_brainx(optim.SGD(0.02)), _run_numpy(rule))


def test_sgd_weight_decay_is_brainstates_decoupled_shrink(grad_backend):
    def rule(t, key, p, g, memory):  # w <- (1 - wd) w - lr g
        return (1 - 0.1) * p - 0.02 * g

    _assert_histories(_run_brainx(optim.SGD(0.02, weight_decay=0.1)), _run_numpy(rule))


def test_momentum_equals_the_numpy_formula(grad_backend):
    def rule(t, key, p, g, memory):
        v = memory[key] = 0.8 * memory.get(key, 0.0) + g
        return p - 0.02 * v

    _assert_histories(_run_brainx(optim.Momentum(0.02, momentum=0.8)), _run_numpy(rule))


def test_nesterov_equals_the_numpy_formula(grad_backend):
    def rule(t, key, p, g, memory):
        v = memory[key] = 0.8 * memory.get(key, 0.0) + g
        return p - 0.02 * (g + 0.8 * v)

    _assert_histories(_run_brainx(optim.MomentumNesterov(0.02, momentum=0.8)),
                      _run_numpy(rule))


def _adam_rule(lr, b1, b2, eps, decay=0.0):
    def rule(t, key, p, g, memory):
        m = memory[key, "m"] = b1 * memory.get((key, "m"), 0.0) + (1 - b1) * g
        v = memory[key, "v"] = b2 * memory.get((key, "v"), 0.0) + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        return (1 - decay) * p - lr * m_hat / (np.sqrt(v_hat) + eps)

    return rule


def test_adam_equals_the_numpy_formula(grad_backend):
    _assert_histories(_run_brainx(optim.Adam(0.05, beta1=0.8, beta2=0.99, eps=1e-7)),
                      _run_numpy(_adam_rule(0.05, 0.8, 0.99, 1e-7)))


def test_adam_weight_decay_shrinks_before_the_step(grad_backend):
    _assert_histories(_run_brainx(optim.Adam(0.05, weight_decay=0.05)),
                      _run_numpy(_adam_rule(0.05, 0.9, 0.999, 1e-8, decay=0.05)))


def test_adamw_decay_is_scaled_by_the_learning_rate(grad_backend):
    adam = _adam_rule(0.05, 0.9, 0.999, 1e-8)

    def rule(t, key, p, g, memory):  # theta <- theta - lr * (adam direction + wd * theta)
        return adam(t, key, p, g, memory) - 0.05 * 0.1 * p

    _assert_histories(_run_brainx(optim.AdamW(0.05, weight_decay=0.1)), _run_numpy(rule))


def test_a_schedule_sets_the_rate_of_each_update(grad_backend):
    sched = optim.ExponentialDecayLR(0.04, decay_steps=2, decay_rate=0.25)
    opt = optim.SGD(sched)

    def rule(t, key, p, g, memory):  # update t uses call index t - 1
        return p - 0.04 * 0.25 ** ((t - 1) / 2) * g

    _assert_histories(_run_brainx(opt), _run_numpy(rule))
    assert int(sched.last_call.value) == 3 and int(sched.last_epoch.value) == -1
    assert int(opt.step_count.value) == 4


def test_learning_rate_in_a_state_can_be_changed(grad_backend):
    rate = brainx.State(np.float32(0.5))
    w = brainx.ParamState(np.zeros(2, np.float32))
    opt = optim.SGD(rate).register_trainable_weights({"w": w})
    opt.update({"w": np.ones(2, np.float32)})
    rate.value = np.float32(0.25)
    opt.update({"w": np.ones(2, np.float32)})
    np.testing.assert_allclose(np.asarray(w.value), [-0.75, -0.75])


# ---- compile.jit ---------------------------------------------------------------

def _assert_no_tracer(states):
    import jax

    for state in states:
        for leaf in jax.tree_util.tree_leaves(state.value):
            assert not isinstance(leaf, jax.core.Tracer), state


def test_update_inside_jit_advances_moments_and_counters(grad_backend):
    w, layer = _fresh()
    opt = optim.Adam(optim.ExponentialDecayLR(0.05, 1, 0.5))
    opt.register_trainable_weights({"w": w, "layer": layer})

    @brainx.compile.jit
    def train_step():
        grads = _grad({"w": w.value, "layer": layer.value})
        opt.update(grads)
        return _loss({"w": w.value, "layer": layer.value})

    losses = [float(train_step()) for _ in range(3)]
    assert losses[0] > losses[1] > losses[2]
    assert int(opt.step_count.value) == 3
    assert int(opt.lr.last_call.value) == 2
    assert int(opt.opt_state.value[0]) == 3  # optax's own step count
    _assert_no_tracer([w, layer, *opt.states().values()])

    # the same updates run eagerly give the same parameters
    import jax
    import optax

    reference = _run_optax(optax.adam(optax.exponential_decay(0.05, 1, 0.5)), steps=3)
    got = {"w": np.asarray(w.value), "layer": {k: np.asarray(v) for k, v in layer.value.items()}}
    for a, b in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(reference[-1]),
                    strict=True):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


def test_update_inside_a_compiled_loop(grad_backend):
    w = brainx.ParamState(np.array([4.0, -2.0], np.float32))
    opt = optim.Momentum(0.1, momentum=0.5).register_trainable_weights(w)

    def body(i):
        opt.update(2 * w.value)  # the gradient of sum(w ** 2)

    brainx.compile.for_loop(body, bm.arange(5))
    v, expected = np.zeros(2), np.array([4.0, -2.0])
    for _ in range(5):
        v = 0.5 * v + 2 * expected
        expected = expected - 0.1 * v
    np.testing.assert_allclose(np.asarray(w.value), expected, rtol=1e-5)
    assert int(opt.step_count.value) == 5
    _assert_no_tracer([w, *opt.states().values()])


def test_schedule_inside_jit_reads_and_advances_its_counter(backend):
    sched = optim.PolynomialDecayLR(1.0, decay_steps=4, final_lr=0.0, power=1.0)

    @brainx.compile.jit
    def tick():
        rate = sched()
        sched.step_call()
        return rate

    assert [round(float(tick()), 6) for _ in range(6)] == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    assert int(sched.last_call.value) == 5
    jitted = brainx.compile.jit(optim.MultiStepLR(0.1, [10, 20, 30], gamma=0.1))
    for i, want in [(0, 0.1), (9, 0.1), (10, 0.01), (25, 0.001), (39, 0.0001)]:
        assert math.isclose(float(jitted(i)), want, rel_tol=1e-6)


# ---- registration structures ----------------------------------------------------

def _sgd_after(register, grads_of):
    """Parameters after two SGD updates, registering and passing grads in some structure."""
    w, layer = _fresh()
    opt = optim.SGD(0.02).register_trainable_weights(register(w, layer))
    for _ in range(2):
        g = _grad({"w": w.value, "layer": layer.value})
        opt.update(grads_of(g))
    return np.asarray(w.value), {k: np.asarray(v) for k, v in layer.value.items()}, opt


@pytest.mark.parametrize("structure", ["flat", "nested", "list", "tuple", "node", "two calls"])
def test_every_registration_structure_gives_the_same_updates(grad_backend, structure):
    if structure == "node":
        class Net(brainx.graph.Node):
            def __init__(self, w, layer):
                self.w, self.layer = w, layer
                self.v = brainx.ShortTermState(0.0)

        def register(w, layer):
            return Net(w, layer).states(brainx.ParamState)

        def grads_of(g):
            return {("w",): g["w"], ("layer",): g["layer"]}
    elif structure == "nested":
        def register(w, layer):
            return {"model": {"w": w, "layer": layer}}

        def grads_of(g):
            return {"model": g}
    elif structure in ("list", "tuple"):
        kind = list if structure == "list" else tuple

        def register(w, layer):
            return kind([w, layer])

        def grads_of(g):
            return kind([g["w"], g["layer"]])
    else:
        def register(w, layer):
            return {"w": w, "layer": layer}

        def grads_of(g):
            return g

    if structure == "two calls":
        w0, layer0 = _fresh()
        opt = optim.SGD(0.02).register_trainable_weights({"w": w0})
        opt.register_trainable_weights({"layer": layer0, "w": w0})  # w0 again: ignored
        for _ in range(2):
            opt.update(_grad({"w": w0.value, "layer": layer0.value}))
        got_w, got_layer = np.asarray(w0.value), {k: np.asarray(v)
                                                  for k, v in layer0.value.items()}
        assert list(opt.param_states) == [("w",), ("layer",)]
    else:
        got_w, got_layer, opt = _sgd_after(register, grads_of)
    want = _run_numpy(lambda t, key, p, g, memory: p - 0.02 * g, steps=2)[-1]
    np.testing.assert_allclose(got_w, want["w"], rtol=1e-5)
    for k in got_layer:
        np.testing.assert_allclose(got_layer[k], want["layer"][k], rtol=1e-5, atol=1e-7)


def test_single_state_registration(grad_backend):
    w = brainx.ParamState(np.array([1.0, -1.0], np.float32))
    opt = optim.SGD(0.5).register_trainable_weights(w)
    assert list(opt.param_states) == [()]
    opt.update(np.array([1.0, 1.0], np.float32))
    np.testing.assert_allclose(np.asarray(w.value), [0.5, -1.5])


# ---- bad arguments -------------------------------------------------------------

@pytest.mark.parametrize("make, match", [
    (lambda: optim.SGD(-0.1), r"lr must be a non-negative number, got -0\.1"),
    (lambda: optim.Adam("fast"), r"lr must be a number.*got str 'fast'"),
    (lambda: optim.SGD(0.1, weight_decay=1.5), r"weight_decay must be a number in \[0\.0, 1"),
    (lambda: optim.Adam(0.1, beta1=1.0), r"beta1 must be a number in \[0\.0, 1\.0\), got 1"),
    (lambda: optim.Adam(0.1, eps=-1e-8), r"eps must be a number >= 0"),
    (lambda: optim.Momentum(0.1, momentum=-0.5), r"momentum must be"),
    (lambda: optim.Adan(betas=(0.1, 0.2)), r"betas must be a sequence of three"),
    (lambda: optim.Adan(betas=(0.1, 0.2, 1.5)), r"betas\[2\] must be"),
    (lambda: optim.AdamW(0.1, weight_decay=-1.0), r"weight_decay must be a number >= 0"),
    (lambda: optim.LBFGS(0.1, memory_size=0), r"memory_size must be a positive integer"),
    (lambda: optim.OptaxOptimizer(lambda g: g), r"tx must be an optax.GradientTransformation"),
])
def test_bad_optimiser_arguments(grad_backend, make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


def test_gradient_errors_name_the_key(grad_backend):
    w, b = brainx.ParamState(np.ones(3, np.float32)), brainx.ParamState(np.ones(2, np.float32))
    stranger = brainx.ParamState(np.ones(2, np.float32))
    opt = optim.Adam(0.1)
    with pytest.raises(ValueError, match="register_trainable_weights must be called before"):
        opt.update({"w": np.ones(3, np.float32)})
    opt.register_trainable_weights({"w": w, "b": b})
    g = {"w": np.ones(3, np.float32), "b": np.ones(2, np.float32)}
    with pytest.raises(ValueError, match=r"grads has key\(s\) \['bias'\].*registered keys "
                                         r"there are \['w', 'b'\]"):
        opt.update({**g, "bias": np.ones(2, np.float32)})
    # gradients computed for a State that was never registered
    with pytest.raises(ValueError, match=r"key\(s\) \['stranger'\] .* match no registered"):
        opt.update({**g, "stranger": np.ones_like(stranger.value)})
    with pytest.raises(ValueError, match=r"no gradient for the registered State\(s\) \['b'\]"):
        opt.update({"w": g["w"]})
    with pytest.raises(ValueError, match=r"gradient at \['b'\] has shape \(3,\), but the State "
                                         r"holds shape \(2,\)"):
        opt.update({"w": g["w"], "b": np.ones(3, np.float32)})
    with pytest.raises(TypeError, match="must be a dict"):
        opt.update([g["w"], g["b"]])
    with pytest.raises(TypeError, match="holds a State"):
        opt.update({"w": w, "b": g["b"]})
    assert int(opt.step_count.value) == 0  # nothing was applied
    np.testing.assert_array_equal(np.asarray(w.value), np.ones(3))


def test_registration_errors(grad_backend):
    w = brainx.ParamState(np.ones(3, np.float32))
    with pytest.raises(TypeError, match=r"takes a State.*at \['w'\] it got ndarray"):
        optim.SGD(0.1).register_trainable_weights({"w": np.ones(3)})
    with pytest.raises(ValueError, match="the same State is registered at"):
        optim.SGD(0.1).register_trainable_weights({"a": w, "b": w})
    opt = optim.SGD(0.1).register_trainable_weights({"w": w})
    with pytest.raises(ValueError, match=r"another State is already registered at \['w'\]"):
        opt.register_trainable_weights({"w": brainx.ParamState(np.ones(3, np.float32))})
    single = optim.SGD(0.1).register_trainable_weights(w)
    with pytest.raises(ValueError, match="cannot add the States"):
        single.register_trainable_weights({"v": brainx.ParamState(1.0)})


# ---- numba: the capability error ---------------------------------------------------

@pytest.mark.parametrize("name", ["SGD", "Momentum", "MomentumNesterov", "Adagrad", "Adadelta",
                                  "RMSProp", "Adam", "LARS", "Adan", "AdamW", "LBFGS"])
def test_optimisers_need_a_backend_with_gradients(name):
    if "numba" not in brainx.available_backends():
        pytest.skip("numba backend not installed")
    with brainx.use_backend("numba"):
        with pytest.raises(brainx.BackendCapabilityError, match=rf"{name} .*'grad'.*jax"):
            getattr(optim, name)(0.1)


def test_optax_optimizer_and_update_on_numba_raise_the_capability_error():
    if "numba" not in brainx.available_backends() or "jax" not in brainx.available_backends():
        pytest.skip("needs the jax and numba backends")
    pytest.importorskip("optax")
    import optax

    with brainx.use_backend("numba"):
        with pytest.raises(brainx.BackendCapabilityError, match="jax"):
            optim.OptaxOptimizer(optax.sgd(0.1))
    with brainx.use_backend("jax"):
        w = brainx.ParamState(np.ones(2, np.float32))
        opt = optim.Adam(0.1)
    with brainx.use_backend("numba"):
        with pytest.raises(brainx.BackendCapabilityError, match="Adam.*jax"):
            opt.register_trainable_weights({"w": w})
    with brainx.use_backend("jax"):
        opt.register_trainable_weights({"w": w})
    with brainx.use_backend("numba"):
        with pytest.raises(brainx.BackendCapabilityError, match="Adam.*jax"):
            opt.update({"w": np.ones(2, np.float32)})


def test_import_does_not_import_optax():
    import subprocess
    import sys

    code = ("import sys, brainx, brainx.optim; "
            "print([m for m in ('optax', 'jax') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "[]", out.stderr


# ---- schedules --------------------------------------------------------------------

def _rates(sched, steps):
    return [float(sched(i)) for i in steps]


def _close(got, want):
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-7)  # float32 rates


def test_epoch_schedules_against_hand_values(backend):
    _close(_rates(optim.ConstantLR(0.3), [0, 7]), [0.3, 0.3])
    _close(_rates(optim.StepLR(0.5, step_size=3, gamma=0.2), [0, 2, 3, 5, 6, 9]),
           [0.5, 0.5, 0.1, 0.1, 0.02, 0.004])
    _close(_rates(optim.MultiStepLR(1.0, [1, 4], gamma=0.3), [0, 1, 3, 4, 8]),
           [1.0, 0.3, 0.3, 0.09, 0.09])
    _close(_rates(optim.ExponentialLR(2.0, gamma=0.9), [0, 1, 5]), [2.0, 1.8, 2 * 0.9 ** 5])
    # cos(pi/3) = 1/2, cos(pi/2) = 0, cos(pi) = -1
    _close(_rates(optim.CosineAnnealingLR(1.0, T_max=6, eta_min=0.1), [0, 2, 3, 6, 12]),
           [1.0, 0.1 + 0.9 * 0.75, 0.55, 0.1, 1.0])
    _close(_rates(optim.LinearLR(0.9, start_factor=1 / 3, end_factor=1.0, total_iters=3),
                  [0, 1, 2, 3, 10]), [0.3, 0.5, 0.7, 0.9, 0.9])


def test_call_schedules_against_hand_values(backend):
    _close(_rates(optim.ExponentialDecayLR(1.0, decay_steps=4, decay_rate=0.5), [0, 2, 4, 8]),
           [1.0, 0.5 ** 0.5, 0.5, 0.25])
    _close(_rates(optim.InverseTimeDecayLR(1.0, decay_steps=2, decay_rate=0.5), [0, 1, 4]),
           [1.0, 1 / 1.25, 0.5])
    _close(_rates(optim.PolynomialDecayLR(0.5, decay_steps=10, final_lr=0.1, power=0.5),
                  [0, 5, 10, 20]), [0.5, 0.1 + 0.4 * 0.5 ** 0.5, 0.1, 0.1])
    _close(_rates(optim.PiecewiseConstantLR([3, 6], [0.3, 0.2, 0.1]), [0, 3, 4, 6, 7, 100]),
           [0.3, 0.3, 0.2, 0.2, 0.1, 0.1])


def _torch_warm_restarts(lr, T_0, T_mult, eta_min, epochs):  # noqa: N803
    """PyTorch's CosineAnnealingWarmRestarts stepped one epoch at a time."""
    rates, T_cur, T_i = [], 0, T_0  # noqa: N806
    for _ in range(epochs):
        rates.append(eta_min + (lr - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2)
        T_cur += 1  # noqa: N806
        if T_cur >= T_i:
            T_cur, T_i = T_cur - T_i, T_i * T_mult  # noqa: N806
    return rates


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_follow_pytorchs_stepping(backend, T_mult):  # noqa: N803
    sched = optim.CosineAnnealingWarmRestarts(0.5, num_call_per_epoch=2, T_0=2, T_mult=T_mult,
                                              eta_min=0.05)
    want = _torch_warm_restarts(0.5, 2, T_mult, 0.05, 30)
    got = _rates(sched, range(0, 60, 2))
    _close(got, want)
    _close(_rates(sched, range(1, 60, 2)), want)  # calls within an epoch share its rate


def _torch_cyclic(base_lr, max_lr, up, down, mode, gamma, steps):
    total, ratio = up + down, up / (up + down)
    rates = []
    for it in range(steps):
        cycle = math.floor(1 + it / total)
        x = 1.0 + it / total - cycle
        factor = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        scale = {"triangular": 1.0, "triangular2": 1 / 2.0 ** (cycle - 1),
                 "exp_range": gamma ** it}[mode]
        rates.append(base_lr + (max_lr - base_lr) * factor * scale)
    return rates


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_lr_follows_pytorch(backend, mode):
    sched = optim.CyclicLR(0.01, 0.1, step_size_up=3, step_size_down=5, mode=mode, gamma=0.97)
    _close(_rates(sched, range(40)), _torch_cyclic(0.01, 0.1, 3, 5, mode, 0.97, 40))


def test_cyclic_lr_custom_scale_function(backend):
    sched = optim.CyclicLR(0.0, 1.0, step_size_up=2, scale_fn=lambda x: 0.5 ** x,
                           scale_mode="iterations")
    _close(_rates(sched, [0, 1, 2, 3]), [0.0, 0.5 * 0.5, 1.0 * 0.25, 0.5 * 0.125])


def _torch_one_cycle(max_lr, total, pct, strategy, div, final_div, three_phase):
    initial, = [max_lr / div]
    minimum = initial / final_div
    if three_phase:
        phases = [(pct * total - 1, initial, max_lr), (2 * pct * total - 2, max_lr, initial),
                  (total - 1, initial, minimum)]
    else:
        phases = [(pct * total - 1, initial, max_lr), (total - 1, max_lr, minimum)]

    def anneal(start, end, p):
        if strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * p) + 1)
        return (end - start) * p + start

    rates = []
    for step in range(total):
        start_step = 0.0
        for i, (end_step, lo, hi) in enumerate(phases):
            if step <= end_step or i == len(phases) - 1:
                rates.append(anneal(lo, hi, (step - start_step) / (end_step - start_step)))
                break
            start_step = end_step
    return rates


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_lr_follows_pytorch(backend, strategy, three_phase):
    sched = optim.OneCycleLR(0.2, total_steps=23, pct_start=0.3, anneal_strategy=strategy,
                             div_factor=10.0, final_div_factor=100.0, three_phase=three_phase)
    want = _torch_one_cycle(0.2, 23, 0.3, strategy, 10.0, 100.0, three_phase)
    _close(_rates(sched, range(23)), want)
    _close(_rates(sched, [30]), [want[-1]])  # past the cycle the final rate stays


def test_counters_follow_step_epoch_and_step_call(backend):
    epochly = optim.StepLR(1.0, step_size=1, gamma=0.5)
    assert float(epochly()) == 1.0
    epochly.step_call()  # epoch-based: a call does not move it
    assert float(epochly()) == 1.0
    epochly.step_epoch()
    epochly.step_epoch()
    assert float(epochly()) == 0.25 and int(epochly.last_epoch.value) == 1
    calls = optim.ExponentialDecayLR(1.0, decay_steps=1, decay_rate=0.5, last_call=1)
    assert float(calls()) == 0.25  # resumes after call 1
    calls.step_epoch()
    assert float(calls()) == 0.25
    calls.step_call()
    assert float(calls()) == 0.125 and int(calls.last_call.value) == 2
    resumed = optim.ExponentialLR(1.0, gamma=0.5, last_epoch=2)
    assert float(resumed()) == 0.125


def test_schedule_learning_rate_from_a_state_and_setter(backend):
    base = brainx.State(np.float32(0.5))
    sched = optim.StepLR(base, step_size=2, gamma=0.5)
    assert float(sched(2)) == 0.25
    base.value = np.float32(1.0)
    assert float(sched(2)) == 0.5
    plain = optim.ExponentialLR(0.4, gamma=0.5)
    plain.lr = 0.8
    assert math.isclose(float(plain(1)), 0.4, rel_tol=1e-6)
    assert "lr=0.8" in repr(plain).replace("\n", "").replace(" ", "")


def test_schedule_output_dtype_follows_precision(backend):
    assert np.dtype(optim.StepLR(0.1, 2)(3).dtype) == np.float32
    brainx.environ.set(precision=64)
    sched = optim.CosineAnnealingLR(0.1, T_max=3)
    assert np.dtype(sched(1).dtype) == np.float64
    assert float(sched(1)) == 0.1 * (1 + math.cos(math.pi / 3)) / 2


@pytest.mark.parametrize("make, match", [
    (lambda: optim.StepLR(-1.0, 2), r"lr must be a non-negative number, got -1\.0"),
    (lambda: optim.StepLR(0.1, 0), r"step_size must be a positive integer, got 0"),
    (lambda: optim.StepLR(0.1, 2, gamma=1.5), r"gamma must be a number in \[0, 1\], got 1\.5"),
    (lambda: optim.StepLR(0.1, 2, last_epoch=-2), r"last_epoch must be an integer >= -1"),
    (lambda: optim.MultiStepLR(0.1, [5, 3]), r"milestones must be a non-empty, strictly"),
    (lambda: optim.MultiStepLR(0.1, []), r"milestones must be a non-empty"),
    (lambda: optim.CosineAnnealingLR(0.1, T_max=0), r"T_max must be a positive integer"),
    (lambda: optim.CosineAnnealingWarmRestarts(0.1, 10, T_0=2, T_mult=0),
     r"T_mult must be a positive integer"),
    (lambda: optim.ExponentialDecayLR(0.1, decay_steps=0, decay_rate=0.5),
     r"decay_steps must be a positive number"),
    (lambda: optim.PolynomialDecayLR(0.1, 10, final_lr=-0.1), r"final_lr must be"),
    (lambda: optim.PiecewiseConstantLR([1, 2], [0.1, 0.2]),
     r"values must have one more entry than boundaries, got 2 boundaries and 2 values"),
    (lambda: optim.PiecewiseConstantLR([3, 1], [0.1, 0.2, 0.3]), r"boundaries must be incr"),
    (lambda: optim.LinearLR(0.1, start_factor=0.0), r"start_factor must be a number in \(0, 1\]"),
    (lambda: optim.CyclicLR(0.1, 1.0, mode="sawtooth"), r"mode must be 'triangular'"),
    (lambda: optim.CyclicLR(0.1, 1.0, scale_fn=lambda x: 1.0, scale_mode="epoch"),
     r"scale_mode must be"),
    (lambda: optim.OneCycleLR(0.1, 10, pct_start=1.2), r"pct_start must be a number in \(0, 1\)"),
    (lambda: optim.OneCycleLR(0.1, 3, pct_start=0.3), r"leaves a phase without steps"),
    (lambda: optim.OneCycleLR(0.1, 10, anneal_strategy="exp"), r"anneal_strategy must be"),
    (lambda: optim.make_schedule("fast"), r"lr must be a number, a State .* got str"),
    (lambda: optim.ConstantLR(brainx.State(np.ones(2))), r"lr must be a scalar"),
])
def test_bad_schedule_arguments(make, match):
    with brainx.use_backend("numba" if "numba" in brainx.available_backends() else "jax"):
        with pytest.raises((ValueError, TypeError), match=match):
            make()
