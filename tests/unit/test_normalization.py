"""Normalisation layers against NumPy formulas; batch-norm running statistics against the
hand-written recurrence, in training and in evaluation, on every backend."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.nn as nn


def _np_norm(x, axes, eps, scale=1.0, bias=0.0):
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * scale + bias


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(2.0, 3.0, shape)


@pytest.fixture
def f64():
    with brainx.environ.context(precision=64):
        yield


@pytest.mark.parametrize("cls,in_size", [(nn.BatchNorm0d, (3,)), (nn.BatchNorm1d, (5, 3)),
                                         (nn.BatchNorm2d, (4, 3, 2)),
                                         (nn.BatchNorm3d, (2, 3, 2, 3))])
def test_batchnorm_fit_matches_numpy_and_updates_running_stats(backend, f64, cls, in_size):
    momentum, eps = 0.9, 1e-5
    layer = cls(in_size, momentum=momentum, epsilon=eps)
    assert isinstance(layer.running_mean, brainx.LongTermState)
    assert set(layer.weight.value) == {"bias", "scale"}
    axes = tuple(range(len(in_size)))                  # batch and spatial axes
    mean, var = np.zeros(in_size[-1]), np.ones(in_size[-1])
    for k in range(3):
        x = _data((6,) + in_size, seed=k)
        with brainx.environ.context(fit=True):
            y = np.asarray(layer(x))
        np.testing.assert_allclose(y, _np_norm(x, axes, eps), rtol=1e-10, atol=1e-10)
        mean = momentum * mean + (1 - momentum) * x.mean(axis=axes)
        var = momentum * var + (1 - momentum) * x.var(axis=axes)
        np.testing.assert_allclose(np.asarray(layer.running_mean.value).ravel(), mean,
                                   rtol=1e-12)
        np.testing.assert_allclose(np.asarray(layer.running_var.value).ravel(), var,
                                   rtol=1e-12)
    # evaluation: the running statistics normalise, and they stay as they are
    x = _data((2,) + in_size, seed=9)
    with brainx.environ.context(fit=False):
        y = np.asarray(layer(x))
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + eps), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.asarray(layer.running_mean.value).ravel(), mean, rtol=1e-12)


def test_batchnorm_affine_unbatched_and_other_feature_axes(backend, f64):
    layer = nn.BatchNorm1d((5, 3))
    scale, bias = np.array([[0.5, 2.0, -1.0]]), np.array([[1.0, 0.0, 3.0]])
    layer.weight.value = {"bias": brainx.math.asarray(bias), "scale": brainx.math.asarray(scale)}
    x = _data((4, 5, 3))
    with brainx.environ.context(fit=True):
        np.testing.assert_allclose(np.asarray(layer(x)), _np_norm(x, (0, 1), 1e-5, scale, bias),
                                   rtol=1e-10, atol=1e-10)
        # an unbatched input (length, channels) is normalised over its length
        np.testing.assert_allclose(np.asarray(layer(x[0])), _np_norm(x[0], (0,), 1e-5, scale,
                                                                     bias), rtol=1e-10)
        # features along the length axis instead: statistics over batch and channels
        per_position = nn.BatchNorm1d((5, 3), feature_axis=0)
        assert per_position.running_mean.value.shape == (5, 1)
        np.testing.assert_allclose(np.asarray(per_position(x)), _np_norm(x, (0, 2), 1e-5),
                                   rtol=1e-10, atol=1e-10)


def test_batchnorm_without_running_stats_always_uses_the_batch(backend, f64):
    layer = nn.BatchNorm0d(4, track_running_stats=False, affine=False)
    assert layer.running_mean is None and layer.weight is None
    x = _data((8, 4))
    for fit in (True, False):
        with brainx.environ.context(fit=fit):
            np.testing.assert_allclose(np.asarray(layer(x)), _np_norm(x, (0,), 1e-5),
                                       rtol=1e-10, atol=1e-10)


def test_batchnorm_mask_and_two_pass_variance(backend, f64):
    x = _data((10, 3))
    mask = np.random.default_rng(1).uniform(size=(10, 3)) < 0.6
    with brainx.environ.context(fit=True):
        layer = nn.BatchNorm0d(3, momentum=0.0, use_fast_variance=False)
        layer(x, mask=mask)
    expected = [x[mask[:, c], c] for c in range(3)]
    np.testing.assert_allclose(np.asarray(layer.running_mean.value),
                               [e.mean() for e in expected], rtol=1e-12)
    np.testing.assert_allclose(np.asarray(layer.running_var.value),
                               [e.var() for e in expected], rtol=1e-12)


def test_batchnorm_under_jit_updates_its_running_stats():
    with brainx.use_backend("jax"), brainx.environ.context(fit=True):
        layer = nn.BatchNorm0d(2, momentum=0.5)
        step = brainx.compile.jit(lambda v: layer(v))
        x = np.array([[1.0, 2.0], [3.0, 6.0]], dtype=np.float32)
        step(x)
        step(x)
        mean = np.asarray(layer.running_mean.value)
    np.testing.assert_allclose(mean, [1.5, 3.0], rtol=1e-6)    # (1 - 0.5^2) x batch mean
    assert not brainx.get_backend("jax").is_tracer(layer.running_mean.value)


def test_batchnorm_errors(backend):
    layer = nn.BatchNorm1d((5, 3))
    with pytest.raises(KeyError, match="fit"):
        layer(np.ones((2, 5, 3)))
    with brainx.environ.context(fit=True):
        with pytest.raises(ValueError, match=r"\(5, 3\)"):
            layer(np.ones((2, 4, 3)))
        with pytest.raises(ValueError, match="3-D"):
            layer(np.ones(3))
    with pytest.raises(ValueError, match="in_size"):
        nn.BatchNorm2d((4, 3))
    with pytest.raises(ValueError, match="momentum"):
        nn.BatchNorm0d(3, momentum=1.5)
    with pytest.raises(ValueError, match="epsilon"):
        nn.BatchNorm0d(3, epsilon=-1.0)
    with pytest.raises(ValueError, match="feature_axis"):
        nn.BatchNorm0d(3, feature_axis=1)
    with pytest.raises(NotImplementedError, match="axis_name"):
        nn.BatchNorm0d(3, axis_name="batch")


def test_layernorm_matches_numpy(backend, f64):
    x = _data((4, 3, 5))
    layer = nn.LayerNorm((3, 5), reduction_axes=(-2, -1), feature_axes=-1, epsilon=1e-6)
    assert set(layer.weight.value) == {"scale", "bias"}
    scale = np.linspace(0.5, 1.5, 5)
    layer.weight.value = {"scale": brainx.math.asarray(scale.reshape(1, 5)),
                          "bias": brainx.math.full((1, 5), 0.25)}
    expected = _np_norm(x, (1, 2), 1e-6, scale, 0.25)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(np.asarray(layer(x[0])), expected[0], rtol=1e-10, atol=1e-10)
    # non-negative axes are axes of in_size, with or without a batch axis
    first = nn.LayerNorm((3, 5), reduction_axes=0, use_bias=False, use_scale=False)
    assert first.weight is None
    np.testing.assert_allclose(np.asarray(first(x)), _np_norm(x, (1,), 1e-6), rtol=1e-10,
                               atol=1e-10)
    np.testing.assert_allclose(np.asarray(first(x[0])), _np_norm(x[0], (0,), 1e-6), rtol=1e-10,
                               atol=1e-10)
    with pytest.raises(ValueError, match=r"\(3, 5\)"):
        layer(np.ones((4, 5)))
    with pytest.raises(ValueError, match="reduction_axes"):
        nn.LayerNorm(3, reduction_axes=2)


def test_rmsnorm_matches_numpy(backend, f64):
    x = _data((4, 6))
    layer = nn.RMSNorm(6, epsilon=1e-6)
    assert set(layer.scale.value) == {"scale"}
    scale = np.arange(1.0, 7.0)
    layer.scale.value = {"scale": brainx.math.asarray(scale)}
    expected = x / np.sqrt((x ** 2).mean(axis=-1, keepdims=True) + 1e-6) * scale
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-10)
    assert nn.RMSNorm(6, use_scale=False).scale is None


def test_groupnorm_matches_numpy(backend, f64):
    x = _data((3, 4, 2, 6))
    layer = nn.GroupNorm((4, 2, 6), num_groups=3, epsilon=1e-6)
    grouped = x.reshape(3, 4, 2, 3, 2)
    expected = _np_norm(grouped, (1, 2, 4), 1e-6).reshape(x.shape)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(np.asarray(layer(x[1])), expected[1], rtol=1e-10, atol=1e-10)
    same = nn.GroupNorm((4, 2, 6), num_groups=None, group_size=2, epsilon=1e-6)
    assert same.num_groups == 3
    np.testing.assert_allclose(np.asarray(same(x)), expected, rtol=1e-12)
    # one group is a LayerNorm over every non-batch axis
    one = nn.GroupNorm((4, 2, 6), num_groups=1, epsilon=1e-6)
    ln = nn.LayerNorm((4, 2, 6), reduction_axes=(-3, -2, -1), feature_axes=-1, epsilon=1e-6)
    np.testing.assert_allclose(np.asarray(one(x)), np.asarray(ln(x)), rtol=1e-10, atol=1e-10)
    # statistics over the channels of a group only
    channels_only = nn.GroupNorm((4, 2, 6), num_groups=3, reduction_axes=(), epsilon=1e-6)
    np.testing.assert_allclose(np.asarray(channels_only(x)),
                               _np_norm(grouped, (4,), 1e-6).reshape(x.shape), rtol=1e-10,
                               atol=1e-10)


def test_groupnorm_errors():
    with pytest.raises(ValueError, match="num_groups"):
        nn.GroupNorm(6, num_groups=4)
    with pytest.raises(ValueError, match="exactly one"):
        nn.GroupNorm(6, num_groups=2, group_size=3)
    with pytest.raises(ValueError, match="group_size"):
        nn.GroupNorm(6, num_groups=None, group_size=4)
    with pytest.raises(ValueError, match="last"):
        nn.GroupNorm((6, 4), feature_axis=0, num_groups=2)


def test_output_dtype_follows_precision(backend):
    x = np.ones((2, 3))
    with brainx.environ.context(fit=True):
        assert nn.BatchNorm0d(3)(x).dtype == np.float32
        with brainx.environ.context(precision=64):
            assert nn.LayerNorm(3)(x).dtype == np.float64
    with pytest.raises(TypeError, match="floating"):
        nn.LayerNorm(3, dtype=np.int32)
