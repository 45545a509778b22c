"""brainx.functional and the activation modules against NumPy/scipy formulas and jax.nn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends
from scipy import special

import brainx
import brainx.functional as F
import brainx.math as bm

X = np.concatenate([np.linspace(-8.0, 8.0, 161), [0.0, -0.0, 1e-3, -1e-3, 30.0, -30.0]])
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _np_elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


#: name -> (brainx call, NumPy/scipy reference)
ELEMENTWISE = {
    "tanh": (F.tanh, np.tanh),
    "relu": (F.relu, lambda x: np.maximum(x, 0)),
    "relu6": (F.relu6, lambda x: np.clip(x, 0, 6)),
    "sigmoid": (F.sigmoid, special.expit),
    "softplus": (F.softplus, lambda x: np.logaddexp(x, 0)),
    "log_sigmoid": (F.log_sigmoid, special.log_expit),
    "soft_sign": (F.soft_sign, lambda x: x / (1 + np.abs(x))),
    "silu": (F.silu, lambda x: x * special.expit(x)),
    "swish": (F.swish, lambda x: x * special.expit(x)),
    "gelu_tanh": (F.gelu, lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi)
                                                          * (x + 0.044715 * x ** 3)))),
    "gelu_exact": (lambda x: F.gelu(x, approximate=False),
                   lambda x: 0.5 * x * (1 + special.erf(x / np.sqrt(2)))),
    "elu": (F.elu, _np_elu),
    "elu_alpha": (lambda x: F.elu(x, 0.3), lambda x: _np_elu(x, 0.3)),
    "selu": (F.selu, lambda x: SELU_SCALE * _np_elu(x, SELU_ALPHA)),
    "celu": (lambda x: F.celu(x, 2.0), lambda x: np.maximum(x, 0) + np.minimum(
        0, 2.0 * (np.exp(x / 2.0) - 1))),
    "leaky_relu": (F.leaky_relu, lambda x: np.where(x >= 0, x, 0.01 * x)),
    "leaky_relu_slope": (lambda x: F.leaky_relu(x, 0.2), lambda x: np.where(x >= 0, x, 0.2 * x)),
    "hard_tanh": (F.hard_tanh, lambda x: np.clip(x, -1, 1)),
    "hard_tanh_range": (lambda x: F.hard_tanh(x, -2.0, 0.5), lambda x: np.clip(x, -2, 0.5)),
    "hard_sigmoid": (F.hard_sigmoid, lambda x: np.clip(x + 3, 0, 6) / 6),
    "hard_silu": (F.hard_silu, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "hard_swish": (F.hard_swish, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "squareplus": (F.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "squareplus_b": (lambda x: F.squareplus(x, 1.0), lambda x: (x + np.sqrt(x * x + 1)) / 2),
    "sparse_plus": (F.sparse_plus, lambda x: np.select([x <= -1, x >= 1], [0 * x, x],
                                                       (x + 1) ** 2 / 4)),
    "sparse_sigmoid": (F.sparse_sigmoid, lambda x: np.clip((x + 1) / 2, 0, 1)),
    "mish": (F.mish, lambda x: x * np.tanh(np.log1p(np.exp(np.minimum(x, 50))) +
                                           np.maximum(x - 50, 0))),
    "tanh_shrink": (F.tanh_shrink, lambda x: x - np.tanh(x)),
    "prelu": (F.prelu, lambda x: np.where(x >= 0, x, 0.25 * x)),
    "soft_shrink": (F.soft_shrink, lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0)),
    "hard_shrink": (lambda x: F.hard_shrink(x, 1.0), lambda x: np.where(np.abs(x) > 1, x, 0)),
    "erf": (F.erf, special.erf),
    "erfc": (F.erfc, special.erfc),
}


def _precisions(backend):
    out = [(32, np.float32)]
    if "float64" in backend.capabilities:
        out.append((64, np.float64))
    return out


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_function_matches_its_formula(backend, name):
    fn, reference = ELEMENTWISE[name]
    for precision, dtype in _precisions(backend):
        with brainx.environ.context(precision=precision):
            x = X.astype(dtype)
            out = np.asarray(backend.jit(fn)(bm.asarray(x)))
        assert out.dtype == dtype, (name, out.dtype)
        expected = reference(x.astype(np.float64))
        if dtype == np.float64:
            np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-15)
        else:
            np.testing.assert_allclose(out, expected, rtol=2e-6, atol=2e-7)


def test_erf_is_within_a_few_ulp_of_the_c_library(backend):
    grid = np.linspace(-27.0, 27.0, 20001)
    for precision, dtype in _precisions(backend):
        with brainx.environ.context(precision=precision):
            x = grid.astype(dtype)
            e = np.asarray(backend.jit(F.erf)(bm.asarray(x)))
            ec = np.asarray(backend.jit(F.erfc)(bm.asarray(x)))
        xs = x.astype(float)
        ref = np.array([math.erf(v) for v in xs]).astype(dtype)
        refc = np.array([math.erfc(v) for v in xs])
        ok = refc > np.finfo(dtype).tiny * 1e6
        assert np.max(np.abs(e - ref) / np.spacing(np.abs(ref).astype(dtype))) <= 4
        assert np.max(np.abs(ec - refc)[ok] / np.spacing(refc[ok].astype(dtype))) <= 8
    special_values = np.asarray(F.erf(bm.asarray([np.inf, -np.inf, np.nan, 0.0])))
    np.testing.assert_array_equal(special_values, [1.0, -1.0, np.nan, 0.0])
    np.testing.assert_array_equal(np.asarray(F.erfc(bm.asarray([np.inf, -np.inf]))), [0, 2])


def test_integers_become_the_default_float(backend):
    out = np.asarray(F.relu(bm.asarray([-2, 0, 3])))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [0.0, 0.0, 3.0])
    assert np.asarray(F.sigmoid(0)).dtype == np.float32


def test_elementwise_functions_agree_across_backends():
    names = both_backends()
    results = {}
    for name in names:
        with brainx.use_backend(name) as backend, brainx.environ.context(precision=64):
            results[name] = {k: np.asarray(backend.jit(fn)(bm.asarray(X))) for k, (fn, _) in
                             ELEMENTWISE.items()}
    for other in names[1:]:
        for key, value in results[names[0]].items():
            np.testing.assert_allclose(results[other][key], value, rtol=1e-14, atol=1e-15,
                                       err_msg=key)


# ---- along an axis ------------------------------------------------------------------------

M = np.random.default_rng(1).normal(size=(3, 4, 5)) * 4
M[0, 0, 0] = 800.0  # overflow without the shift


@pytest.mark.parametrize("axis", [-1, 0, (1, 2), None])
def test_softmax_family_matches_scipy(backend, axis):
    x = bm.asarray(M)
    with brainx.environ.context(precision=64 if "float64" in backend.capabilities else 32):
        x = bm.asarray(M)
        rtol = 1e-12 if x.dtype == np.float64 else 2e-5
        np.testing.assert_allclose(np.asarray(F.softmax(x, axis=axis)),
                                   special.softmax(M, axis=axis), rtol=rtol, atol=1e-30)
        np.testing.assert_allclose(np.asarray(F.log_softmax(x, axis=axis)),
                                   special.log_softmax(M, axis=axis), rtol=rtol, atol=1e-5)
        np.testing.assert_allclose(np.asarray(F.softmin(x, axis=axis)),
                                   special.softmax(-M, axis=axis), rtol=rtol, atol=1e-30)
        np.testing.assert_allclose(np.asarray(F.logsumexp(x, axis=axis)),
                                   special.logsumexp(M, axis=axis), rtol=rtol)
        np.testing.assert_allclose(np.asarray(F.logsumexp(x, axis=axis, keepdims=True)),
                                   special.logsumexp(M, axis=axis, keepdims=True), rtol=rtol)


def test_logsumexp_with_weights_and_sign(backend):
    a = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0]])
    b = np.array([[1.0, -3.0, 0.5], [2.0, 1.0, 1.0]])
    out, sign = F.logsumexp(bm.asarray(a), axis=1, b=bm.asarray(b), return_sign=True)
    ref, ref_sign = special.logsumexp(a, axis=1, b=b, return_sign=True)
    np.testing.assert_allclose(np.asarray(out), ref, rtol=2e-6)
    np.testing.assert_array_equal(np.asarray(sign), ref_sign)


def test_masked_softmax_leaves_elements_out(backend):
    x = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, -1.0, 5.0, 2.0]])
    mask = np.array([[True, False, True, True], [False, True, True, False]])
    out = np.asarray(F.softmax(bm.asarray(x), where=bm.asarray(mask)))
    log_out = np.asarray(F.log_softmax(bm.asarray(x), where=bm.asarray(mask)))
    for row in range(2):
        kept = x[row][mask[row]]
        np.testing.assert_allclose(out[row][mask[row]], special.softmax(kept), rtol=2e-6)
        np.testing.assert_array_equal(out[row][~mask[row]], 0.0)
        np.testing.assert_allclose(log_out[row][mask[row]], special.log_softmax(kept),
                                   rtol=2e-6, atol=1e-6)
        assert np.all(log_out[row][~mask[row]] == -np.inf)


def test_standardize(backend):
    x = bm.asarray(M)
    for axis in (-1, 0, (0, 2)):
        mean = M.mean(axis=axis, keepdims=True)
        var = M.var(axis=axis, keepdims=True)
        np.testing.assert_allclose(np.asarray(F.standardize(x, axis=axis)),
                                   (M - mean) / np.sqrt(var + 1e-5), rtol=2e-5, atol=2e-5)
    given = np.asarray(F.standardize(x, axis=-1, variance=4.0, epsilon=0.0))
    np.testing.assert_allclose(given, (M - M.mean(-1, keepdims=True)) / 2.0, rtol=2e-5,
                               atol=1e-5)
    mask = M > -2
    out = np.asarray(F.standardize(x, axis=-1, where=bm.asarray(mask)))
    for i, j in [(0, 0), (1, 2), (2, 3)]:
        row, keep = M[i, j], mask[i, j]
        expected = (row - row[keep].mean()) / np.sqrt(row[keep].var() + 1e-5)
        np.testing.assert_allclose(out[i, j], expected, rtol=2e-5, atol=2e-5)


def test_one_hot(backend):
    idx = np.array([[0, 3], [2, -1]])
    out = np.asarray(F.one_hot(bm.asarray(idx), 3))
    expected = np.zeros((2, 2, 3))
    for i, j in np.ndindex(idx.shape):
        if 0 <= idx[i, j] < 3:
            expected[i, j, idx[i, j]] = 1
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(F.one_hot(bm.asarray(idx), 3, axis=0)),
                                  np.moveaxis(expected, -1, 0))
    assert np.asarray(F.one_hot(bm.asarray([1]), 2, dtype=np.int32)).dtype == np.int32


def test_glu_and_weight_standardization(backend):
    x = M[..., :4]
    a, b = x[..., :2], x[..., 2:]
    np.testing.assert_allclose(np.asarray(F.glu(bm.asarray(x))), a * special.expit(b),
                               rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(F.glu(bm.asarray(M[:2]), axis=0)),
                               M[:1] * special.expit(M[1:2]), rtol=2e-6, atol=1e-6)
    w = M
    axes = (0, 1)
    mean, var = w.mean(axis=axes, keepdims=True), w.var(axis=axes, keepdims=True)
    expected = (w - mean) / np.sqrt(np.maximum(var * 12, 1e-4))
    np.testing.assert_allclose(np.asarray(F.weight_standardization(bm.asarray(w))), expected,
                               rtol=2e-5, atol=1e-6)
    gain = np.arange(1.0, 6.0)
    np.testing.assert_allclose(
        np.asarray(F.weight_standardization(bm.asarray(w), gain=bm.asarray(gain))),
        expected * gain, rtol=2e-5, atol=1e-6)
    w0 = np.asarray(F.weight_standardization(bm.asarray(w), out_axis=0))
    m0, v0 = w.mean(axis=(1, 2), keepdims=True), w.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(w0, (w - m0) / np.sqrt(np.maximum(v0 * 20, 1e-4)), rtol=2e-5,
                               atol=1e-6)


def test_clip_grad_norm(backend):
    grads = {"w": bm.asarray([[3.0, 0.0], [0.0, 0.0]]), "b": [bm.asarray([4.0])]}
    clipped = F.clip_grad_norm(grads, 1.0)
    scale = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(np.asarray(clipped["w"]), [[3 * scale, 0], [0, 0]], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(clipped["b"][0]), [4 * scale], rtol=1e-6)
    kept = F.clip_grad_norm(grads, 10.0)
    np.testing.assert_array_equal(np.asarray(kept["w"]), np.asarray(grads["w"]))
    inf_norm = F.clip_grad_norm(grads, 2.0, "inf")
    np.testing.assert_allclose(np.asarray(inf_norm["b"][0]), [4 * 2 / (4 + 1e-6)], rtol=1e-6)
    one_norm = F.clip_grad_norm(grads, 3.5, 1)
    np.testing.assert_allclose(np.asarray(one_norm["w"])[0, 0], 3 * 3.5 / (7 + 1e-6), rtol=1e-6)


def test_spike_operations_truth_tables(backend):
    x = bm.asarray([0.0, 0.0, 1.0, 1.0])
    y = bm.asarray([0.0, 1.0, 0.0, 1.0])
    bx, by = np.array([0, 0, 1, 1], bool), np.array([0, 1, 0, 1], bool)
    tables = {"or": bx | by, "and": bx & by, "iand": ~bx & by, "xor": bx ^ by,
              "ixor": bx ^ by, "add": bx.astype(int) + by}
    for op, expected in tables.items():
        np.testing.assert_array_equal(np.asarray(F.spike_bitwise(x, y, op)), expected)
        if op != "add":
            fn = getattr(F, f"spike_bitwise_{op}")
            np.testing.assert_array_equal(np.asarray(fn(x, y)), expected)
    np.testing.assert_array_equal(np.asarray(F.spike_bitwise_not(x)), ~bx)


def test_rrelu_slopes_are_in_range_and_identical_across_backends():
    x = np.linspace(-3, 3, 50)
    outs = []
    for name in both_backends():
        with brainx.use_backend(name):
            brainx.random.seed(5)
            outs.append(np.asarray(F.rrelu(bm.asarray(x), 0.1, 0.3)))
    slopes = outs[0][x < 0] / x[x < 0]
    assert np.all((slopes >= 0.1 - 1e-7) & (slopes <= 0.3 + 1e-7)) and len(set(slopes)) > 10
    np.testing.assert_array_equal(outs[0][x >= 0], x[x >= 0].astype(np.float32))
    for other in outs[1:]:
        np.testing.assert_array_equal(other, outs[0])


# ---- errors ---------------------------------------------------------------------------------

def test_bad_arguments_are_refused(backend):
    with pytest.raises(ValueError, match="glu: the size of axis -1 must be even, got 3"):
        F.glu(bm.ones((2, 3)))
    with pytest.raises(TypeError, match="one_hot: num_classes must be an int, got 2.5"):
        F.one_hot(bm.asarray([0]), 2.5)
    with pytest.raises(ValueError, match="one_hot: num_classes must be positive, got 0"):
        F.one_hot(bm.asarray([0]), 0)
    with pytest.raises(ValueError, match=r"hard_tanh: min_val \(1.0\) must be below max_val"):
        F.hard_tanh(bm.ones(2), 1.0, -1.0)
    with pytest.raises(ValueError, match="soft_shrink: lambd must be non-negative, got -1"):
        F.soft_shrink(bm.ones(2), -1)
    with pytest.raises(ValueError, match="rrelu: need 0 <= lower <= upper"):
        F.rrelu(bm.ones(2), 0.5, 0.1)
    with pytest.raises(ValueError, match="clip_grad_norm: norm_type must be a positive number"):
        F.clip_grad_norm({"w": bm.ones(2)}, 1.0, "fro")
    with pytest.raises(ValueError, match="spike_bitwise: op must be one of .*got 'nand'"):
        F.spike_bitwise(bm.ones(2), bm.ones(2), "nand")
    with pytest.raises(ValueError, match="out_axis 3 is out of range for a weight of shape"):
        F.weight_standardization(bm.ones((2, 3)), out_axis=3)


# ---- gradients on jax ------------------------------------------------------------------

@pytest.mark.slow  # 17 s: every function's gradient against jax.nn's (pytest -m slow)
def test_gradients_match_jax_nn():
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    x = np.concatenate([np.linspace(-6, 6, 49), [0.0, 6.0, -3.0, 3.0, 1.0, -1.0]])
    pairs = {
        "relu": (F.relu, jax.nn.relu), "relu6": (F.relu6, jax.nn.relu6),
        "sigmoid": (F.sigmoid, jax.nn.sigmoid), "softplus": (F.softplus, jax.nn.softplus),
        "log_sigmoid": (F.log_sigmoid, jax.nn.log_sigmoid), "silu": (F.silu, jax.nn.silu),
        "gelu": (F.gelu, lambda v: jax.nn.gelu(v, approximate=True)),
        "gelu_exact": (lambda v: F.gelu(v, approximate=False),
                       lambda v: jax.nn.gelu(v, approximate=False)),
        "elu": (lambda v: F.elu(v, 0.7), lambda v: jax.nn.elu(v, 0.7)),
        "celu": (lambda v: F.celu(v, 1.5), lambda v: jax.nn.celu(v, 1.5)),
        "selu": (F.selu, jax.nn.selu), "leaky_relu": (F.leaky_relu, jax.nn.leaky_relu),
        "hard_tanh": (F.hard_tanh, jax.nn.hard_tanh), "soft_sign": (F.soft_sign,
                                                                   jax.nn.soft_sign),
        "hard_sigmoid": (F.hard_sigmoid, jax.nn.hard_sigmoid),
        "hard_silu": (F.hard_silu, jax.nn.hard_silu), "mish": (F.mish, jax.nn.mish),
        "squareplus": (F.squareplus, jax.nn.squareplus),
        "sparse_plus": (F.sparse_plus, jax.nn.sparse_plus),
        "erf": (F.erf, jax.scipy.special.erf), "erfc": (F.erfc, jax.scipy.special.erfc),
    }
    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        xs = jnp.asarray(x)
        for name, (ours, theirs) in pairs.items():
            mine = np.asarray(jax.jit(jax.vmap(jax.grad(ours)))(xs))
            ref = np.asarray(jax.jit(jax.vmap(jax.grad(theirs)))(xs))
            np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14, err_msg=name)
        m = jnp.asarray(M[..., :4])
        weights = jnp.asarray(np.random.default_rng(2).normal(size=(3, 4, 4)))
        for ours, theirs in ((F.softmax, jax.nn.softmax), (F.log_softmax, jax.nn.log_softmax),
                             (F.glu, jax.nn.glu),
                             (F.logsumexp, jax.scipy.special.logsumexp)):
            mine = jax.jit(jax.grad(lambda v, f=ours: jnp.sum(f(v) * weights[..., :1])))(m)
            ref = jax.jit(jax.grad(lambda v, f=theirs: jnp.sum(f(v) * weights[..., :1])))(m)
            np.testing.assert_allclose(np.asarray(mine), np.asarray(ref), rtol=1e-10, atol=1e-13)
        grad = jax.jit(jax.grad(lambda v: F.standardize(v).sum() + (F.standardize(v) ** 3).sum()))
        ref = jax.grad(lambda v: jax.nn.standardize(v).sum() + (jax.nn.standardize(v) ** 3).sum())
        np.testing.assert_allclose(np.asarray(grad(m)), np.asarray(ref(m)), rtol=1e-8,
                                   atol=1e-10)


# ---- activation modules -------------------------------------------------------------------

MODULES = [
    (brainx.nn.Threshold(0.5, -1.0), lambda x: np.where(x > 0.5, x, -1.0), "Threshold("
     "threshold=0.5, value=-1.0)"),
    (brainx.nn.ReLU(), F.relu, "ReLU()"), (brainx.nn.ReLU6(), F.relu6, "ReLU6()"),
    (brainx.nn.Hardtanh(-2.0, 2.0), lambda x: F.hard_tanh(x, -2.0, 2.0),
     "Hardtanh(min_val=-2.0, max_val=2.0)"),
    (brainx.nn.Sigmoid(), F.sigmoid, "Sigmoid()"),
    (brainx.nn.Hardsigmoid(), F.hard_sigmoid, "Hardsigmoid()"),
    (brainx.nn.Tanh(), F.tanh, "Tanh()"), (brainx.nn.SiLU(), F.silu, "SiLU()"),
    (brainx.nn.Mish(), F.mish, "Mish()"), (brainx.nn.Hardswish(), F.hard_swish, "Hardswish()"),
    (brainx.nn.ELU(0.5), lambda x: F.elu(x, 0.5), "ELU(alpha=0.5)"),
    (brainx.nn.CELU(2.0), lambda x: F.celu(x, 2.0), "CELU(alpha=2.0)"),
    (brainx.nn.SELU(), F.selu, "SELU()"), (brainx.nn.GLU(), F.glu, "GLU(dim=-1)"),
    (brainx.nn.GELU(), lambda x: F.gelu(x, approximate=False), "GELU(approximate=False)"),
    (brainx.nn.GELU(approximate=True), F.gelu, "GELU(approximate=True)"),
    (brainx.nn.Hardshrink(), F.hard_shrink, "Hardshrink(lambd=0.5)"),
    (brainx.nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2), "LeakyReLU(negative_slope=0.2)"),
    (brainx.nn.LogSigmoid(), F.log_sigmoid, "LogSigmoid()"),
    (brainx.nn.Softplus(), F.softplus, "Softplus()"),
    (brainx.nn.Softshrink(1.0), lambda x: F.soft_shrink(x, 1.0), "Softshrink(lambd=1.0)"),
    (brainx.nn.Softsign(), F.soft_sign, "Softsign()"),
    (brainx.nn.Tanhshrink(), F.tanh_shrink, "Tanhshrink()"),
    (brainx.nn.Softmin(dim=1), lambda x: F.softmin(x, 1), "Softmin(dim=1)"),
    (brainx.nn.Softmax(), lambda x: F.softmax(x, None), "Softmax(dim=None)"),
    (brainx.nn.Softmax2d(), lambda x: F.softmax(x, -3), "Softmax2d()"),
    (brainx.nn.LogSoftmax(dim=-1), F.log_softmax, "LogSoftmax(dim=-1)"),
    (brainx.nn.Identity(), lambda x: x, "Identity()"),
]


@pytest.mark.parametrize("module,fn,text", MODULES, ids=[t for _, _, t in MODULES])
def test_activation_module_applies_its_function(backend, module, fn, text):
    x = bm.asarray(M[:, :2, :4])
    np.testing.assert_array_equal(np.asarray(module(x)), np.asarray(fn(x)))
    np.testing.assert_array_equal(np.asarray(module.update(x)), np.asarray(fn(x)))
    assert repr(module) == text


def test_prelu_rrelu_and_spike_bitwise_modules(backend):
    prelu = brainx.nn.PReLU(num_parameters=5, init=0.1)
    assert repr(prelu) == "PReLU(num_parameters=5)"
    assert isinstance(prelu.weight, brainx.ParamState)
    np.testing.assert_array_equal(np.asarray(prelu.weight.value), np.full(5, 0.1, np.float32))
    x = bm.asarray(M)
    np.testing.assert_array_equal(np.asarray(prelu(x)), np.asarray(F.prelu(x, prelu.weight.value)))
    assert list(prelu.states()) == [("weight",)]
    brainx.random.seed(3)
    a = np.asarray(brainx.nn.RReLU(0.1, 0.2)(x))
    brainx.random.seed(3)
    np.testing.assert_array_equal(a, np.asarray(F.rrelu(x, 0.1, 0.2)))
    op = brainx.nn.SpikeBitwise("xor")
    s, t = bm.asarray([0.0, 1.0, 1.0]), bm.asarray([1.0, 1.0, 0.0])
    np.testing.assert_array_equal(np.asarray(op(s, t)), [1.0, 0.0, 1.0])
    assert repr(brainx.nn.SpikeBitwise()) == "SpikeBitwise(op='add')"


def test_activation_modules_check_their_arguments(backend):
    with pytest.raises(ValueError, match=r"Hardtanh: min_val \(1.0\) must be below max_val"):
        brainx.nn.Hardtanh(1.0, 0.0)
    with pytest.raises(ValueError, match="RReLU: need 0 <= lower <= upper"):
        brainx.nn.RReLU(0.5, 0.1)
    with pytest.raises(ValueError, match="num_parameters must be a positive int, got 0"):
        brainx.nn.PReLU(0)
    with pytest.raises(ValueError, match="SpikeBitwise: op must be one of"):
        brainx.nn.SpikeBitwise("nor")
    with pytest.raises(ValueError, match="Softshrink: lambd must be non-negative"):
        brainx.nn.Softshrink(-0.5)
    with pytest.raises(ValueError, match="CELU: alpha must be non-zero"):
        brainx.nn.CELU(0.0)
    with pytest.raises(ValueError, match=r"Softmax2d expects a 3-d .* got shape \(2, 3\)"):
        brainx.nn.Softmax2d()(bm.ones((2, 3)))


def test_activation_modules_compose_in_a_sequential(backend):
    chain = brainx.nn.Sequential(brainx.nn.ReLU(), brainx.nn.Softmax(dim=-1))
    x = bm.asarray(M)
    np.testing.assert_allclose(np.asarray(chain(x)), special.softmax(np.maximum(M, 0), axis=-1),
                               rtol=2e-6, atol=1e-30)
