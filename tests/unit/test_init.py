"""brainx.init: values identical on every backend, distributions against scipy.stats,
variance-scaling formulas derived by hand, orthogonality, param(), argument errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends
from scipy import special, stats

import brainx
import brainx.init as init
from brainx.init import _host
from brainx.init._special import ndtri

RANDOM = [
    lambda: init.Normal(0.5, 2.0, seed=7),
    lambda: init.Uniform(-1.0, 3.0, seed=7),
    lambda: init.TruncatedNormal(0.0, 1.0, lower=-1.0, upper=2.5, seed=7),
    lambda: init.TruncatedNormal(0.0, 1.0, lower=1.0, seed=7),  # one-sided, upper tail
    lambda: init.LogNormal(0.0, 0.5, seed=7),
    lambda: init.Orthogonal(2.0, seed=7),
    lambda: init.VarianceScaling(0.5, "fan_out", "normal", seed=7),
    lambda: init.KaimingUniform(seed=7),
    lambda: init.KaimingNormal(seed=7),
    lambda: init.XavierUniform(seed=7),
    lambda: init.XavierNormal(seed=7),
    lambda: init.LecunUniform(seed=7),
    lambda: init.LecunNormal(seed=7),
]
REGULAR = [lambda: init.ZeroInit(), lambda: init.Constant(0.3), lambda: init.Identity(1.5)]
NAMES = ["Normal", "Uniform", "TruncatedNormal", "TruncatedNormal-tail", "LogNormal",
         "Orthogonal", "VarianceScaling", "KaimingUniform", "KaimingNormal", "XavierUniform",
         "XavierNormal", "LecunUniform", "LecunNormal"]


def _bits(x) -> np.ndarray:
    x = np.asarray(x)
    return x.view(np.uint32 if x.dtype.itemsize == 4 else np.uint64)


def _draw(make, backend_name: str, shape=(6, 5), calls: int = 2) -> list[np.ndarray]:
    with brainx.use_backend(backend_name):
        initializer = make()
        return [np.asarray(initializer(shape)) for _ in range(calls)]


@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("make", RANDOM + REGULAR, ids=NAMES + ["ZeroInit", "Constant", "Identity"])
def test_values_are_bit_identical_across_backends(make, precision):
    names = both_backends()
    with brainx.environ.context(precision=precision):
        results = [_draw(make, name) for name in names]
    dtype = np.float32 if precision == 32 else np.float64
    for calls in results:
        assert all(v.dtype == dtype and v.shape == (6, 5) for v in calls)
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(_bits(a), _bits(b))
    # a seeded initialiser moves on: the second call differs from the first
    if make in RANDOM:
        assert not np.array_equal(results[0][0], results[0][1])


@pytest.mark.parametrize("precision", [32, 64])
def test_default_generator_is_used_when_there_is_no_seed(precision):
    names = both_backends()
    results = []
    with brainx.environ.context(precision=precision):
        for name in names:
            brainx.random.seed(11)
            with brainx.use_backend(name):
                value = np.asarray(init.KaimingNormal()((4, 3)))
                key = np.asarray(brainx.random.DEFAULT.value)
            results.append((value, key))
    for value, key in results[1:]:
        np.testing.assert_array_equal(_bits(value), _bits(results[0][0]))
        np.testing.assert_array_equal(key, results[0][1])
    assert results[0][1].tolist() != brainx.random._threefry.seed_key(11).tolist()


def test_same_seed_same_values_and_matches_brainx_random(backend):
    a = np.asarray(init.Normal(1.0, 3.0, seed=5)((50,)))
    b = np.asarray(init.Normal(1.0, 3.0, seed=5)((50,)))
    np.testing.assert_array_equal(a, b)
    # on a backend that computes on NumPy arrays, it is exactly RandomState.normal
    if backend.is_native(np.empty(0)):
        c = np.asarray(brainx.random.RandomState(5).normal(1.0, 3.0, size=50))
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("make", RANDOM, ids=NAMES)
def test_the_specification_fallback_gives_the_same_values(make, precision, monkeypatch):
    """Without any NumPy backend the spec computes the values: the same bits where only
    arithmetic is involved; where log, cos or sqrt enter (normal draws, then a QR for
    Orthogonal), numba's C-library functions and NumPy's SIMD ones may differ by an ULP,
    so within 8 ULP of max(|x|, 1)."""
    with brainx.environ.context(precision=precision), brainx.use_backend("numba"):
        expected = np.asarray(make()((5, 4)))
        monkeypatch.setattr(_host, "host_backend", lambda: _host.SpecBackend())
        got = np.asarray(make()((5, 4)))
    assert got.dtype == expected.dtype
    spacing = np.spacing(np.maximum(np.abs(expected), 1.0).astype(expected.dtype))
    assert np.max(np.abs(got.astype(np.float64) - expected) / spacing) <= 8.0


def test_traced_values_agree_with_host_values(backend):
    if not backend.traces:
        pytest.skip("the traced path exists only on backends that trace")
    with brainx.environ.context(precision=64):
        host = [np.asarray(make()((6, 5))) for make in RANDOM]
        traced = [np.asarray(brainx.compile.jit(lambda m=make: m()((6, 5)))()) for make in RANDOM]
    for name, h, t in zip(NAMES, host, traced, strict=True):
        np.testing.assert_allclose(t, h, rtol=1e-12, atol=1e-12, err_msg=name)


def test_default_key_advances_under_jit(backend):
    brainx.random.seed(3)
    before = np.asarray(brainx.random.DEFAULT.value).copy()
    fn = brainx.compile.jit(lambda: init.Normal()((3,)))
    first, second = np.asarray(fn()), np.asarray(fn())
    assert not np.array_equal(np.asarray(brainx.random.DEFAULT.value), before)
    assert not np.array_equal(first, second)


# ---- distributions against scipy.stats ------------------------------------------

N = 4000


def _sample(initializer, n=N) -> np.ndarray:
    with brainx.environ.context(precision=64), brainx.use_backend("numba"):
        return np.asarray(initializer((n,)), dtype=np.float64)


def test_normal_matches_scipy():
    x = _sample(init.Normal(2.0, 0.5, seed=1))
    assert stats.kstest(x, stats.norm(2.0, 0.5).cdf).pvalue > 1e-3


def test_uniform_matches_scipy():
    x = _sample(init.Uniform(-2.0, 1.0, seed=1))
    assert x.min() >= -2.0 and x.max() < 1.0
    assert stats.kstest(x, stats.uniform(-2.0, 3.0).cdf).pvalue > 1e-3


@pytest.mark.parametrize("loc,scale,lower,upper", [
    (0.0, 1.0, -1.0, 2.0), (1.0, 2.0, None, 0.0), (0.0, 1.0, 2.0, None), (5.0, 0.1, 5.3, 5.5)])
def test_truncated_normal_matches_scipy(loc, scale, lower, upper):
    x = _sample(init.TruncatedNormal(loc, scale, lower=lower, upper=upper, seed=2))
    a = -np.inf if lower is None else (lower - loc) / scale
    b = np.inf if upper is None else (upper - loc) / scale
    assert (lower is None or x.min() >= lower) and (upper is None or x.max() <= upper)
    assert stats.kstest(x, stats.truncnorm(a, b, loc=loc, scale=scale).cdf).pvalue > 1e-3


def test_lognormal_matches_scipy():
    x = _sample(init.LogNormal(0.3, 0.7, seed=1))
    assert stats.kstest(x, stats.lognorm(s=0.7, scale=math.exp(0.3)).cdf).pvalue > 1e-3


def test_ndtri_matches_scipy():
    p = np.concatenate([np.linspace(0, 1, 5001)[1:-1], 10.0 ** -np.arange(1, 300),
                        1 - 10.0 ** -np.arange(1, 16)])
    np.testing.assert_allclose(ndtri(np, p), special.ndtri(p), rtol=1e-14)
    p32 = p.astype(np.float32)
    p32 = p32[(p32 > 0) & (p32 < 1)]
    got = ndtri(np, p32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, special.ndtri(p32.astype(np.float64)), rtol=2e-6, atol=1e-6)


# ---- variance scaling: formulas by hand -----------------------------------------

# a 3x3 convolution kernel, 16 in and 32 out channels: receptive field 9
KERNEL = (3, 3, 16, 32)
FANS = {"fan_in": 9 * 16, "fan_out": 9 * 32, "fan_avg": (9 * 16 + 9 * 32) / 2}


def test_compute_fans_by_hand():
    assert init.compute_fans(KERNEL) == (144, 288)
    assert init.compute_fans((20, 30)) == (20, 30)
    assert init.compute_fans((4, 5, 6), in_axis=0, out_axis=1) == (24, 30)


@pytest.mark.parametrize("mode", list(FANS))
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_variance_scaling_uniform_limit_and_variance(mode, scale):
    with brainx.environ.context(precision=64), brainx.use_backend("numba"):
        w = np.asarray(init.VarianceScaling(scale, mode, "uniform", seed=0)(KERNEL))
    limit = math.sqrt(3.0 * scale / FANS[mode])
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit
    assert stats.kstest(w.ravel(), stats.uniform(-limit, 2 * limit).cdf).pvalue > 1e-3


@pytest.mark.parametrize("mode", list(FANS))
@pytest.mark.parametrize("distribution", ["normal", "truncated_normal"])
def test_variance_scaling_normal_variance(mode, distribution):
    with brainx.environ.context(precision=64), brainx.use_backend("numba"):
        w = np.asarray(init.VarianceScaling(2.0, mode, distribution, seed=0)(KERNEL)).ravel()
    variance = 2.0 / FANS[mode]
    # the sample variance of n draws has relative standard error ~ sqrt(2 / n)
    assert abs(w.var() / variance - 1) < 5 * math.sqrt(2 / w.size)
    if distribution == "truncated_normal":
        std = math.sqrt(variance) / 0.87962566103423978
        assert np.abs(w).max() <= 2 * std
        assert stats.kstest(w, stats.truncnorm(-2, 2, scale=std).cdf).pvalue > 1e-3
    else:
        assert stats.kstest(w, stats.norm(0, math.sqrt(variance)).cdf).pvalue > 1e-3


def test_named_variance_scalings_have_their_defaults():
    expected = {init.KaimingUniform: (2.0, "fan_in", "uniform"),
                init.KaimingNormal: (2.0, "fan_in", "truncated_normal"),
                init.XavierUniform: (1.0, "fan_avg", "uniform"),
                init.XavierNormal: (1.0, "fan_avg", "truncated_normal"),
                init.LecunUniform: (1.0, "fan_in", "uniform"),
                init.LecunNormal: (1.0, "fan_in", "truncated_normal")}
    for cls, (scale, mode, distribution) in expected.items():
        obj = cls()
        assert (obj.scale, obj.mode, obj.distribution) == (scale, mode, distribution)
        assert isinstance(obj, init.VarianceScaling)
    # Kaiming uniform on (in=100, out=50): limit sqrt(6 / 100)
    with brainx.use_backend("numba"):
        w = np.asarray(init.KaimingUniform(seed=1)((100, 50)))
    assert np.abs(w).max() <= math.sqrt(6 / 100) * (1 + 1e-6)


# ---- orthogonal ------------------------------------------------------------------

@pytest.mark.parametrize("shape,axis", [((5, 5), -1), ((8, 3), -1), ((3, 8), -1),
                                        ((2, 3, 4), -1), ((4, 6), 0)])
def test_orthogonal_has_orthonormal_vectors(backend, shape, axis):
    with brainx.environ.context(precision=64):
        w = np.asarray(init.Orthogonal(scale=1.5, axis=axis, seed=3)(shape))
    assert w.shape == shape
    rows = np.moveaxis(w, axis, 0).reshape(shape[axis], -1) / 1.5
    small = rows if rows.shape[0] <= rows.shape[1] else rows.T
    np.testing.assert_allclose(small @ small.T, np.eye(small.shape[0]), atol=1e-12)


# ---- regular initialisers --------------------------------------------------------

def test_regular_values(backend):
    np.testing.assert_array_equal(np.asarray(init.ZeroInit()((2, 3))), np.zeros((2, 3)))
    np.testing.assert_array_equal(np.asarray(init.Constant(0.25)(4)), np.full(4, 0.25))
    np.testing.assert_array_equal(np.asarray(init.Constant([1.0, 2.0])((3, 2))),
                                  [[1.0, 2.0]] * 3)
    np.testing.assert_array_equal(np.asarray(init.Identity(3.0)((2, 3))), 3.0 * np.eye(2, 3))
    assert np.asarray(init.Constant(2, dtype=np.int32)((2,))).dtype == np.int32
    assert np.asarray(init.ZeroInit()((2,), dtype=np.float32)).dtype == np.float32
    with brainx.environ.context(precision=64):
        assert np.asarray(init.ZeroInit()((2,))).dtype == np.float64


def test_reprs():
    assert repr(init.Normal(0.0, 2.0, seed=3)) == "Normal(mean=0.0, scale=2.0, seed=3)"
    assert repr(init.Constant(0.5)) == "Constant(value=0.5, dtype=None)"
    assert repr(init.KaimingNormal()) == ("KaimingNormal(scale=2.0, mode='fan_in', distribution="
                                          "'truncated_normal', in_axis=-2, out_axis=-1, seed=None)")


# ---- param and state -------------------------------------------------------------

def test_param_forms(backend):
    assert init.param(None, (3,)) is None
    assert init.param(0.5, (3,)) == 0.5
    full = init.param(0.5, (2, 3), allow_scalar=False)
    np.testing.assert_array_equal(np.asarray(full), np.full((2, 3), 0.5))
    assert init.param(init.ZeroInit(), (2, 3), batch_size=4).shape == (4, 2, 3)
    assert init.param(brainx.math.ones, 3).shape == (3,)
    assert init.param(lambda shape: 1.0, (2,)).shape == (2,)
    row = init.param(np.arange(3.0), (2, 3))
    assert row.shape == (3,) and backend.is_native(row)
    batched = init.param(np.arange(3.0), 3, batch_size=2)
    np.testing.assert_array_equal(np.asarray(batched), [[0.0, 1.0, 2.0]] * 2)
    keep = init.param(np.ones((2, 3)), 3, batch_size=2)
    assert keep.shape == (2, 3)
    s = init.param(brainx.ParamState(np.ones(3)), 3, batch_size=2)
    assert isinstance(s, brainx.ParamState) and s.value.shape == (2, 3)
    v = init.state(init.Constant(1.0), 3, batch_size=2)
    assert isinstance(v, brainx.State) and v.value.shape == (2, 3)
    assert init.state(np.zeros(3), 3).value.shape == (3,)


def test_param_errors():
    with pytest.raises(ValueError, match="got None"):
        init.param(None, 3, allow_none=False)
    with pytest.raises(ValueError, match=r"does not broadcast to the requested shape \(3,\)"):
        init.param(np.ones(4), 3)
    with pytest.raises(ValueError, match="batch_size 3"):
        init.param(np.ones((2, 3)), 3, batch_size=3)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        init.param(init.ZeroInit(), 3, batch_size=0)
    with pytest.raises(TypeError, match="got str"):
        init.param("weights", 3)
    with pytest.raises(ValueError, match=r"returned shape \(4,\)"):
        init.param(lambda shape: np.ones(4), 3)
    with pytest.raises(TypeError, match="a shape must be an int or a sequence of ints"):
        init.to_size(2.5)
    with pytest.raises(ValueError, match="negative"):
        init.to_size((2, -1))
    with pytest.raises(ValueError, match="sizes must be given"):
        init.state(init.ZeroInit())
    with pytest.raises(ValueError, match="does not match sizes"):
        init.state(np.zeros(2), 3)


def test_initializer_argument_errors():
    with pytest.raises(ValueError, match="mode must be one of"):
        init.VarianceScaling(1.0, "fan_sum", "normal")
    with pytest.raises(ValueError, match="distribution must be one of"):
        init.VarianceScaling(1.0, "fan_in", "cauchy")
    with pytest.raises(ValueError, match="scale must be a positive number"):
        init.KaimingNormal(scale=-1.0)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.KaimingNormal()((5,))
    with pytest.raises(ValueError, match="in_axis 3 is out of range"):
        init.VarianceScaling(1.0, "fan_in", "normal", in_axis=3)((2, 2))
    with pytest.raises(ValueError, match="in_axis and out_axis must differ"):
        init.VarianceScaling(1.0, "fan_in", "normal", in_axis=1)((2, 2))
    with pytest.raises(ValueError, match="min_val < max_val"):
        init.Uniform(1.0, 1.0)
    with pytest.raises(ValueError, match="scale must be >= 0"):
        init.Normal(0.0, -1.0)
    with pytest.raises(ValueError, match="scale must be > 0"):
        init.TruncatedNormal(scale=0.0)
    with pytest.raises(ValueError, match="lower < upper"):
        init.TruncatedNormal(lower=1.0, upper=0.0)
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        init.LogNormal(sigma=-0.1)
    with pytest.raises(ValueError, match="2-D weights"):
        init.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        init.Orthogonal(axis=2)((3, 3))
    with pytest.raises(TypeError, match="axis must be an int"):
        init.Orthogonal(axis=1.0)
    with pytest.raises(ValueError, match=r"mean of shape \(4,\) does not broadcast"):
        init.Normal(np.zeros(4))((3,))
    with pytest.raises(ValueError, match="does not broadcast"):
        init.Constant(np.ones(4))((3,))
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        init.Normal(seed=0)((3,), dtype=np.int32)
    with pytest.raises(ValueError, match="needs 64-bit precision"):
        init.Normal(seed=0)((3,), dtype=np.float64)
    with pytest.raises(TypeError, match="seed must be an int"):
        init.Normal(seed="zero")
