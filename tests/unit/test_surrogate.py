"""Surrogate spike functions: exact Heaviside forward everywhere, the named gradient on jax."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest
from conftest import both_backends
from scipy.special import expit
from scipy.stats import norm

import brainx
import brainx.math as bm
import brainx.surrogate as S


def _sig_slope(z):
    return expit(z) * (1.0 - expit(z))


#: (surrogate, its gradient written independently in NumPy float64)
CASES = [
    (S.Sigmoid(), lambda x: 4.0 * _sig_slope(4.0 * x)),
    (S.Sigmoid(alpha=2.5), lambda x: 2.5 * _sig_slope(2.5 * x)),
    (S.PiecewiseQuadratic(), lambda x: np.where(np.abs(x) <= 1.0, 1.0 - np.abs(x), 0.0)),
    (S.PiecewiseQuadratic(alpha=2.0),
     lambda x: np.where(np.abs(x) <= 0.5, 2.0 - 4.0 * np.abs(x), 0.0)),
    (S.PiecewiseExp(alpha=1.5), lambda x: 0.75 * np.exp(-1.5 * np.abs(x))),
    (S.SoftSign(alpha=2.0), lambda x: 2.0 / (2.0 * (1.0 + np.abs(2.0 * x)) ** 2)),
    (S.Arctan(), lambda x: 1.0 / (2.0 * (1.0 + (np.pi / 2 * x) ** 2))),
    (S.Arctan(alpha=3.0), lambda x: 3.0 / (2.0 * (1.0 + (np.pi / 2 * 3.0 * x) ** 2))),
    (S.NonzeroSignLog(alpha=2.0), lambda x: 2.0 / (1.0 + np.abs(2.0 * x))),
    (S.ERF(alpha=1.5), lambda x: 1.5 / np.sqrt(np.pi) * np.exp(-(1.5 * x) ** 2)),
    (S.PiecewiseLeakyRelu(), lambda x: np.where(np.abs(x) <= 1.0, 1.0, 0.01)),
    (S.PiecewiseLeakyRelu(c=0.1, w=0.5), lambda x: np.where(np.abs(x) <= 0.5, 2.0, 0.1)),
    (S.SquarewaveFourierSeries(), lambda x: 4.0 / 8.0 * np.cos(2 * np.pi / 8.0 * x)),
    (S.SquarewaveFourierSeries(n=4, t_period=4.0),
     lambda x: sum(np.cos(k * 2 * np.pi / 4.0 * x) for k in (1, 3, 5))),
    (S.S2NN(), lambda x: np.where(x < 0, 4.0 * _sig_slope(4.0 * x), 1.0 / (x + 1.0))),
    (S.S2NN(alpha=2.0, beta=0.5),
     lambda x: np.where(x < 0, 2.0 * _sig_slope(2.0 * x), 0.5 / (x + 1.0))),
    (S.QPseudoSpike(), lambda x: (1.0 + 2.0 * np.abs(x)) ** -2.0),
    (S.QPseudoSpike(alpha=3.0), lambda x: (1.0 + np.abs(x)) ** -3.0),
    (S.LeakyRelu(), lambda x: np.where(x < 0, 0.1, 1.0)),
    (S.LeakyRelu(alpha=0.3, beta=2.0), lambda x: np.where(x < 0, 0.3, 2.0)),
    (S.LogTailedRelu(), lambda x: np.select([x <= 0, x <= 1], [0.0, 1.0], 1.0 / x)),
    (S.LogTailedRelu(alpha=0.2), lambda x: np.select([x <= 0, x <= 1], [0.2, 1.0], 1.0 / x)),
    (S.ReluGrad(), lambda x: np.maximum(0.3 * (1.0 - np.abs(x)), 0.0)),
    (S.ReluGrad(alpha=1.0, width=2.0), lambda x: np.maximum(2.0 - np.abs(x), 0.0)),
    (S.GaussianGrad(), lambda x: 0.5 * norm.pdf(x, 0.0, 0.5)),
    (S.GaussianGrad(sigma=1.5, alpha=2.0), lambda x: 2.0 * norm.pdf(x, 0.0, 1.5)),
    (S.MultiGaussianGrad(),
     lambda x: 0.5 * (1.15 * norm.pdf(x, 0, 0.5) - 0.15 * norm.pdf(x, 0.5, 3.0)
                      - 0.15 * norm.pdf(x, -0.5, 3.0))),
    (S.InvSquareGrad(), lambda x: 1.0 / (100.0 * np.abs(x) + 1.0) ** 2),
    (S.InvSquareGrad(alpha=2.0), lambda x: 1.0 / (2.0 * np.abs(x) + 1.0) ** 2),
    (S.SlayerGrad(), lambda x: np.exp(-np.abs(x))),
    (S.SlayerGrad(alpha=4.0), lambda x: np.exp(-4.0 * np.abs(x))),
]
IDS = [repr(s) for s, _ in CASES]

#: every lower-case function and the class it calls
FUNCTIONS = {
    "sigmoid": S.Sigmoid, "piecewise_quadratic": S.PiecewiseQuadratic,
    "piecewise_exp": S.PiecewiseExp, "soft_sign": S.SoftSign, "arctan": S.Arctan,
    "nonzero_sign_log": S.NonzeroSignLog, "erf": S.ERF,
    "piecewise_leaky_relu": S.PiecewiseLeakyRelu,
    "squarewave_fourier_series": S.SquarewaveFourierSeries, "s2nn": S.S2NN,
    "q_pseudo_spike": S.QPseudoSpike, "leaky_relu": S.LeakyRelu,
    "log_tailed_relu": S.LogTailedRelu, "relu_grad": S.ReluGrad,
    "gaussian_grad": S.GaussianGrad, "inv_square_grad": S.InvSquareGrad,
    "multi_gaussian_grad": S.MultiGaussianGrad, "slayer_grad": S.SlayerGrad,
}
CLASSES = list(FUNCTIONS.values())

GRID = np.concatenate([np.linspace(-3.0, 3.0, 61), [0.0, -0.0, 1e-30, -1e-30, 0.5, 1.0]])
SPECIAL = np.array([0.0, -0.0, 1e-45, -1e-45, 5e-324, -5e-324, 1e30, -1e30, np.inf, -np.inf])


def _jax():
    return pytest.importorskip("jax")


# ---- forward: the exact Heaviside step -------------------------------------------------

@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_forward_is_numpy_heaviside_with_one_at_zero(backend, cls):
    for precision, dtype in ((32, np.float32), (64, np.float64)):
        if precision == 64 and "float64" not in backend.capabilities:
            continue
        with brainx.environ.context(precision=precision):
            x = np.concatenate([GRID, SPECIAL]).astype(dtype)
            out = np.asarray(cls()(bm.asarray(x)))
        assert out.dtype == dtype
        np.testing.assert_array_equal(out, np.heaviside(x, 1.0).astype(dtype))


def test_forward_is_bit_identical_across_backends():
    names = both_backends()
    x = np.concatenate([GRID, SPECIAL, np.random.default_rng(0).normal(size=200)])
    results = {}
    for name in names:
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            results[name] = [np.asarray(s(bm.asarray(x))) for s, _ in CASES]
            results[name] += [np.asarray(getattr(S, f)(bm.asarray(x))) for f in FUNCTIONS]
    first, *rest = names
    for other in rest:
        for a, b in zip(results[first], results[other], strict=True):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_nan_gives_no_spike(backend):
    out = np.asarray(S.Sigmoid()(bm.asarray([np.nan, 1.0])))
    np.testing.assert_array_equal(out, [0.0, 1.0])


def test_scalars_and_integers_become_the_default_float(backend):
    for precision, dtype in ((32, np.float32), (64, np.float64)):
        if precision == 64 and "float64" not in backend.capabilities:
            continue
        with brainx.environ.context(precision=precision):
            for x, expected in ((0.0, 1.0), (-2, 0.0), (3, 1.0), (True, 1.0)):
                out = np.asarray(S.Arctan()(x))
                assert out.shape == () and out.dtype == dtype and out == expected
            ints = np.asarray(S.relu_grad(bm.asarray([-1, 0, 2])))
            assert ints.dtype == dtype
            np.testing.assert_array_equal(ints, [0.0, 1.0, 1.0])


def test_float32_input_stays_float32_at_precision_64(backend):
    with brainx.environ.context(precision=64):
        x = bm.asarray(np.array([-1.0, 0.5], np.float32))
        assert np.asarray(S.GaussianGrad()(x)).dtype == np.float32


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_function_equals_its_class(backend, name):
    cls = FUNCTIONS[name]
    x = bm.asarray(GRID)
    np.testing.assert_array_equal(np.asarray(getattr(S, name)(x)), np.asarray(cls()(x)))


def test_surrogate_grad_is_not_evaluated_by_the_forward_pass(backend):
    class Loud(S.Surrogate):
        def surrogate_grad(self, x):
            raise RuntimeError("the gradient was evaluated")

    np.testing.assert_array_equal(np.asarray(Loud()(bm.asarray([-1.0, 1.0]))), [0.0, 1.0])


def test_numba_runs_the_forward_only():
    if "numba" not in brainx.available_backends():
        pytest.skip("numba is not installed")
    with brainx.use_backend("numba") as backend:
        assert "grad" not in backend.capabilities
        np.testing.assert_array_equal(S.Arctan()(np.array([-0.1, 0.1])), [0.0, 1.0])


# ---- gradient: the named surrogate ---------------------------------------------------

def _quiet(formula):
    """``formula`` without NumPy's warnings for the branches np.where discards."""
    def quiet(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            return formula(x)
    return quiet


def _vector_grad(jax, fn, x):
    return np.asarray(jax.vmap(jax.grad(fn))(x))


@pytest.mark.parametrize("surrogate,formula", CASES, ids=IDS)
def test_gradient_on_jax_equals_the_formula(surrogate, formula):
    jax = _jax()
    formula = _quiet(formula)
    with brainx.use_backend("jax"):
        with brainx.environ.context(precision=64):
            x = jax.numpy.asarray(GRID)
            grad = np.asarray(jax.jit(jax.vmap(jax.grad(surrogate)))(x))
            assert grad.dtype == np.float64
            np.testing.assert_allclose(grad, formula(GRID), rtol=1e-12, atol=1e-15)
        x32 = GRID.astype(np.float32)
        grad = np.asarray(jax.jit(jax.vmap(jax.grad(surrogate)))(jax.numpy.asarray(x32)))
        assert grad.dtype == np.float32
        np.testing.assert_allclose(grad, formula(x32.astype(np.float64)), rtol=2e-5, atol=1e-6)


#: surrogates whose gradient is the derivative of ``surrogate_fun`` (PiecewiseLeakyRelu's
#: companion curve has half the slope inside [-w, w], as brainstate's does)
SMOOTH = [s for s, _ in CASES if not isinstance(s, S.PiecewiseLeakyRelu)]
POINTS = np.array([-2.3, -0.7, -0.2, 0.15, 0.45, 1.3, 2.6])


@pytest.mark.parametrize("surrogate", SMOOTH, ids=repr)
def test_gradient_is_the_derivative_of_surrogate_fun(surrogate):
    name = "numba" if "numba" in brainx.available_backends() else brainx.available_backends()[0]
    h = 1e-5
    with brainx.use_backend(name), brainx.environ.context(precision=64):
        up = np.asarray(surrogate.surrogate_fun(bm.asarray(POINTS + h)))
        down = np.asarray(surrogate.surrogate_fun(bm.asarray(POINTS - h)))
        grad = np.asarray(surrogate.surrogate_grad(bm.asarray(POINTS)))
    np.testing.assert_allclose((up - down) / (2 * h), grad, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("surrogate", [S.Sigmoid(), S.ERF(), S.GaussianGrad(), S.ReluGrad(),
                                       S.SlayerGrad(alpha=2.)], ids=repr)
def test_surrogate_fun_rises_from_zero(surrogate, backend):
    with brainx.environ.context(precision=64 if "float64" in backend.capabilities else 32):
        ends = np.asarray(surrogate.surrogate_fun(bm.asarray([-50.0, 50.0])))
        total = np.asarray(surrogate.surrogate_grad(bm.asarray(np.linspace(-50, 50, 200001))))
    assert abs(ends[0]) < 1e-12
    np.testing.assert_allclose(ends[1], total.sum() * 100 / 200000, rtol=1e-4)


def test_gradient_composes_with_jit_vmap_and_scan():
    jax = _jax()
    jnp = jax.numpy
    sg, formula = CASES[6]  # Arctan()
    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        x = jnp.asarray(GRID)
        eager = _vector_grad(jax, sg, x)
        jitted = np.asarray(jax.jit(jax.vmap(jax.grad(sg)))(x))
        np.testing.assert_allclose(jitted, eager, rtol=1e-13)
        summed = np.asarray(jax.jit(jax.grad(lambda v: sg(v).sum()))(x))
        np.testing.assert_allclose(summed, formula(GRID), rtol=1e-12)
        np.testing.assert_array_equal(np.asarray(jax.jit(sg)(x)), np.heaviside(GRID, 1.0))
        np.testing.assert_array_equal(np.asarray(jax.vmap(sg)(x)), np.heaviside(GRID, 1.0))

        inputs = np.linspace(-1.0, 2.0, 7)

        def loss(w):
            def body(count, xt):
                return count + S.arctan(w * xt - 1.0), None
            return jax.lax.scan(body, 0.0, jnp.asarray(inputs))[0]

        for w in (0.3, 1.0, 2.5):
            expected = np.sum(inputs * formula(w * inputs - 1.0))
            assert np.isclose(float(jax.grad(loss)(w)), expected, rtol=1e-12)
            assert np.isclose(float(jax.jit(jax.grad(loss))(w)), expected, rtol=1e-12)
            assert float(loss(w)) == np.sum(w * inputs - 1.0 >= 0)


def test_a_user_defined_surrogate_gets_its_gradient():
    jax = _jax()

    class Tanh(S.Surrogate):
        params = ("alpha",)

        def __init__(self, alpha=1.0):
            self.alpha = alpha

        def surrogate_grad(self, x):
            return 0.5 * self.alpha * (1 - bm.tanh(self.alpha * x) ** 2)

    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        grad = _vector_grad(jax, Tanh(2.0), jax.numpy.asarray(GRID))
    np.testing.assert_allclose(grad, 1.0 - np.tanh(2.0 * GRID) ** 2, rtol=1e-12, atol=1e-15)
    assert repr(Tanh(2.0)) == "Tanh(alpha=2.0)"


# ---- the function is built once -------------------------------------------------------

def test_the_differentiable_function_is_built_once_per_instance_and_backend(backend):
    sg = S.Arctan()
    first = sg._spike_function()
    sg(bm.asarray([0.5]))
    assert sg._spike_function() is first and len(sg._spike_functions) == 1
    assert S._base.cached_instance(S.Sigmoid, alpha=2.0) is \
        S._base.cached_instance(S.Sigmoid, alpha=2.0)
    assert S._base.cached_instance(S.Sigmoid, alpha=2.0) is not \
        S._base.cached_instance(S.Sigmoid, alpha=3.0)


def test_jit_traces_a_lower_case_function_once():
    jax = _jax()
    traces = []

    def f(v):
        traces.append(1)
        return S.sigmoid(v, alpha=2.0)

    with brainx.use_backend("jax"):
        jitted = jax.jit(jax.grad(lambda v: f(v).sum()))
        for _ in range(3):
            jitted(jax.numpy.ones(3))
    assert len(traces) == 1


# ---- repr, equality, copies -----------------------------------------------------------

def test_repr_shows_the_parameters():
    assert repr(S.Sigmoid()) == "Sigmoid(alpha=4.0)"
    assert repr(S.PiecewiseLeakyRelu()) == "PiecewiseLeakyRelu(c=0.01, w=1.0)"
    assert repr(S.SquarewaveFourierSeries()) == "SquarewaveFourierSeries(n=2, t_period=8.0)"
    assert repr(S.S2NN()) == "S2NN(alpha=4.0, beta=1.0, epsilon=1e-08)"
    assert repr(S.MultiGaussianGrad(h=0.2)) == \
        "MultiGaussianGrad(h=0.2, s=6.0, sigma=0.5, scale=0.5)"


def test_defaults_are_brainstates():
    defaults = {S.Sigmoid: (4.0,), S.PiecewiseQuadratic: (1.0,), S.PiecewiseExp: (1.0,),
                S.SoftSign: (1.0,), S.Arctan: (1.0,), S.NonzeroSignLog: (1.0,), S.ERF: (1.0,),
                S.PiecewiseLeakyRelu: (0.01, 1.0), S.SquarewaveFourierSeries: (2, 8.0),
                S.S2NN: (4.0, 1.0, 1e-8), S.QPseudoSpike: (2.0,), S.LeakyRelu: (0.1, 1.0),
                S.LogTailedRelu: (0.0,), S.ReluGrad: (0.3, 1.0), S.GaussianGrad: (0.5, 0.5),
                S.InvSquareGrad: (100.0,), S.MultiGaussianGrad: (0.15, 6.0, 0.5, 0.5),
                S.SlayerGrad: (1.0,)}
    assert set(defaults) == set(CLASSES)
    for cls, values in defaults.items():
        assert cls()._param_values() == values, cls


def test_equality_hash_and_copies():
    assert S.Sigmoid(2.0) == S.Sigmoid(alpha=2) and hash(S.Sigmoid(2.0)) == hash(S.Sigmoid(2))
    assert S.Sigmoid(2.0) != S.Sigmoid(3.0) and S.Sigmoid(1.0) != S.Arctan(1.0)
    sg = S.GaussianGrad(sigma=0.7)
    for name in brainx.available_backends():
        with brainx.use_backend(name):
            sg(bm.asarray([0.1]))
    for clone in (copy.deepcopy(sg), pickle.loads(pickle.dumps(sg))):
        assert clone == sg and "_spike_functions" not in clone.__dict__
        np.testing.assert_array_equal(np.asarray(clone(np.array([-1.0, 1.0]))), [0.0, 1.0])


# ---- bad parameters -------------------------------------------------------------------

@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("bad", ["1.0", None, [1.0], True, np.array([1.0, 2.0])],
                         ids=["str", "None", "list", "bool", "array"])
def test_non_numbers_are_refused_naming_the_parameter(cls, bad):
    first = cls.params[0]
    with pytest.raises(TypeError, match=rf"{cls.__name__}: {first} must be .*got"):
        cls(**{first: bad})


@pytest.mark.parametrize("make,message", [
    (lambda: S.Sigmoid(alpha=-1.0), "Sigmoid: alpha must be positive, got -1.0"),
    (lambda: S.Arctan(alpha=0), "Arctan: alpha must be positive, got 0"),
    (lambda: S.PiecewiseQuadratic(alpha=0.0), "alpha must be positive"),
    (lambda: S.SoftSign(alpha=math.nan), "alpha must be finite"),
    (lambda: S.ERF(alpha=math.inf), "alpha must be finite"),
    (lambda: S.PiecewiseLeakyRelu(w=0.0), "w must be positive"),
    (lambda: S.SquarewaveFourierSeries(n=1), "n must be at least 2, got 1"),
    (lambda: S.SquarewaveFourierSeries(t_period=-8.0), "t_period must be positive"),
    (lambda: S.S2NN(epsilon=-1e-3), "epsilon must be non-negative"),
    (lambda: S.QPseudoSpike(alpha=1.0), "alpha must be greater than 1, got 1.0"),
    (lambda: S.ReluGrad(width=0.0), "width must be positive"),
    (lambda: S.GaussianGrad(sigma=-0.5), "sigma must be positive"),
    (lambda: S.MultiGaussianGrad(s=0.0), "s must be positive"),
    (lambda: S.InvSquareGrad(alpha=-100.0), "alpha must be positive"),
    (lambda: S.SlayerGrad(alpha=0.0), "alpha must be positive"),
])
def test_meaningless_values_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_squarewave_n_must_be_an_integer():
    with pytest.raises(TypeError, match="n must be an integer, got 2.5"):
        S.SquarewaveFourierSeries(n=2.5)


def test_lower_case_functions_check_their_parameters(backend):
    with pytest.raises(TypeError, match="Sigmoid: alpha must be a real number, got 'a'"):
        S.sigmoid(bm.asarray([1.0]), alpha="a")
    with pytest.raises(TypeError, match="ReluGrad: width must be a real number"):
        S.relu_grad(bm.asarray([1.0]), width=bm.asarray([1.0, 2.0]))
    with pytest.raises(ValueError, match="QPseudoSpike: alpha must be greater than 1"):
        S.q_pseudo_spike(bm.asarray([1.0]), alpha=0.5)
    with pytest.raises(TypeError, match="Sigmoid: alpha must be a real number, got True"):
        S.sigmoid(bm.asarray([1.0]), alpha=True)


# ---- neurons --------------------------------------------------------------------------

NEURONS = [
    (brainx.nn.LIF, {}, 30.0),
    (brainx.nn.IF, {}, 2.0),
    (brainx.nn.LIFRef, {}, 30.0),
    (brainx.nn.ExpIF, {}, 30.0),
    (brainx.nn.QuaIF, {}, 30.0),
    (brainx.nn.AdExIF, {}, 30.0),
    (brainx.nn.Izhikevich, {}, 10.0),
    (brainx.nn.ALIF, {}, 3.0),     # its default spk_fun is already a surrogate (ReluGrad)
]


def _raster(cls, kwargs, current, spk_fun, steps=300):
    neuron = cls(4, spk_fun=spk_fun, **kwargs)
    drive = bm.asarray(np.linspace(0.6, 1.2, 4) * current)

    def step(i):
        with brainx.environ.context(t=i * brainx.environ.get_dt()):
            neuron.update(drive)
        return neuron.spike.value

    return np.asarray(brainx.compile.for_loop(step, bm.arange(steps)))


@pytest.mark.parametrize("cls,kwargs,current", NEURONS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_spiking_neuron_takes_a_surrogate(cls, kwargs, current):
    names = both_backends()
    rasters = {}
    for name in names:
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            rasters[name] = _raster(cls, kwargs, current, S.Arctan())
            plain = _raster(cls, kwargs, current, None)
        assert rasters[name].dtype == np.float64
        assert plain.dtype == (np.float64 if cls is brainx.nn.ALIF else bool)
        assert set(np.unique(rasters[name])) <= {0.0, 1.0} and rasters[name].sum() > 0
        if cls is not brainx.nn.ALIF:
            np.testing.assert_array_equal(rasters[name], plain.astype(np.float64))
    for other in names[1:]:
        np.testing.assert_array_equal(rasters[names[0]], rasters[other])


def test_gradient_through_a_lif_step_is_the_surrogate_times_the_decay():
    jax = _jax()
    tau, dt, alpha = 10.0, 0.1, 2.0
    x = np.array([0.5, 1.0, 1.5])
    v0 = np.array([0.2, 0.95, 1.2])
    with brainx.use_backend("jax"), brainx.environ.context(precision=64, dt=dt):
        lif = brainx.nn.LIF(3, tau=tau, V_rest=0.0, V_reset=0.0, V_th=1.0,
                            spk_fun=S.Arctan(alpha=alpha))

        def spike_count(v):
            lif.V.value = v
            return lif.update(jax.numpy.asarray(x)).sum()

        grad = np.asarray(jax.grad(spike_count)(jax.numpy.asarray(v0)))
        count = float(spike_count(jax.numpy.asarray(v0)))
        lif.reset_state()
    decay = math.exp(-dt / tau)
    v1 = x + (v0 - x) * decay
    expected = alpha / (2 * (1 + (math.pi / 2 * alpha * (v1 - 1.0)) ** 2)) * decay
    np.testing.assert_allclose(grad, expected, rtol=1e-10)
    assert count == np.sum(v1 >= 1.0)
