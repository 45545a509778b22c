"""Dropout layers: mask statistics, 1/prob scaling, identity in evaluation, the same masks
on every backend for the same seed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends

import brainx
import brainx.nn as nn

SELU_SATURATION = -1.0507009873554805 * 1.6732632423543772


def _fit(flag=True):
    return brainx.environ.context(fit=flag)


def test_dropout_keeps_a_fraction_prob_scaled_by_one_over_prob(backend):
    prob, n = 0.7, 20000
    x = np.random.default_rng(0).uniform(0.5, 1.5, n).astype(np.float32)
    brainx.random.seed(3)
    with _fit():
        y = np.asarray(nn.Dropout(prob)(x))
    kept = y != 0
    # binomial: the kept fraction is within 5 standard deviations of prob
    assert abs(kept.mean() - prob) < 5 * math.sqrt(prob * (1 - prob) / n)
    np.testing.assert_allclose(y[kept], x[kept] / prob, rtol=1e-6)
    assert y.dtype == np.float32


def test_dropout_mask_is_a_bernoulli_draw_of_the_default_generator(backend):
    x = np.ones((4, 50), dtype=np.float32)
    brainx.random.seed(11)
    expected = np.asarray(brainx.random.bernoulli(0.4, (4, 50)))
    brainx.random.seed(11)
    with _fit():
        y = np.asarray(nn.Dropout(0.4)(x))
    np.testing.assert_array_equal(y != 0, expected)


def test_dropout_with_its_own_generator_leaves_the_default_alone(backend):
    rng = brainx.random.RandomState(5)
    before = np.asarray(brainx.random.DEFAULT.value).copy()
    with _fit():
        a = np.asarray(nn.Dropout(0.5, rng=rng)(np.ones(100)))
    np.testing.assert_array_equal(np.asarray(brainx.random.DEFAULT.value), before)
    expected = np.asarray(brainx.random.RandomState(5).bernoulli(0.5, 100))
    np.testing.assert_array_equal(a != 0, expected)


def test_dropout_is_the_identity_when_not_fitting(backend):
    x = np.arange(6.0, dtype=np.float32)
    for layer in (nn.Dropout(0.3), nn.Dropout1d(0.3), nn.AlphaDropout(0.3),
                  nn.DropoutFixed((2, 3), 0.3)):
        with _fit(False):
            np.testing.assert_array_equal(np.asarray(layer(x.reshape(2, 3))), x.reshape(2, 3))


def test_dropout_needs_the_fit_flag(backend):
    with pytest.raises(KeyError, match="fit"):
        nn.Dropout(0.5)(np.ones(3))
    with brainx.environ.context(fit="yes"), pytest.raises(TypeError, match="bool"):
        nn.Dropout(0.5)(np.ones(3))


def test_keep_everything_and_keep_nothing(backend):
    x = np.arange(1.0, 5.0)
    with _fit():
        np.testing.assert_array_equal(np.asarray(nn.Dropout(1.0)(x)), x)
        np.testing.assert_array_equal(np.asarray(nn.Dropout(0.0)(x)), np.zeros(4))


def test_dropout_masks_are_bit_identical_across_backends():
    names = both_backends()
    x = np.random.default_rng(1).normal(size=(8, 16)).astype(np.float32)
    outputs = []
    for name in names:
        brainx.random.seed(42)
        with brainx.use_backend(name), _fit():
            layers = [nn.Dropout(0.6), nn.Dropout1d(0.6), nn.AlphaDropout(0.6),
                      nn.DropoutFixed((8, 16), 0.6)]
            outputs.append([np.asarray(layer(x)) for layer in layers])
    for a, b in zip(*outputs, strict=True):
        assert a.tobytes() == b.tobytes()


def test_dropout_under_jit_draws_fresh_masks_and_matches_eager_numba():
    names = both_backends()
    x = np.ones(64, dtype=np.float32)
    runs = {}
    for name in names:
        brainx.random.seed(7)
        with brainx.use_backend(name), _fit():
            layer = nn.Dropout(0.5)
            step = brainx.compile.jit(lambda v, layer=layer: layer(v))
            runs[name] = [np.asarray(step(x)) for _ in range(3)]
    first = runs[names[0]]
    assert not np.array_equal(first[0], first[1])       # the key advanced between calls
    for a, b in zip(first, runs[names[1]], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls,spatial", [(nn.Dropout1d, (6,)), (nn.Dropout2d, (3, 4)),
                                         (nn.Dropout3d, (2, 3, 2))])
def test_channel_dropout_zeroes_whole_channels(backend, cls, spatial):
    batch, channels, prob = 40, 8, 0.5
    x = np.random.default_rng(2).uniform(1, 2, (batch,) + spatial + (channels,))
    with _fit():
        y = np.asarray(cls(prob)(x))
    kept = y != 0
    spatial_axes = tuple(range(1, 1 + len(spatial)))
    # one decision per (example, channel), shared along every spatial axis
    assert (kept.all(axis=spatial_axes) == kept.any(axis=spatial_axes)).all()
    per_channel = kept.all(axis=spatial_axes)
    assert 0.3 < per_channel.mean() < 0.7
    assert not (per_channel == per_channel[:1]).all()   # examples get their own masks
    np.testing.assert_allclose(y[kept], x[kept] / prob, rtol=1e-6)
    # unbatched input: one mask over the channels
    with _fit():
        single = np.asarray(cls(prob)(x[0])) != 0
    axes = tuple(range(len(spatial)))
    assert (single.all(axis=axes) == single.any(axis=axes)).all()


def test_channel_dropout_channel_axis_and_shape_errors(backend):
    x = np.ones((5, 3))
    with _fit():
        y = np.asarray(nn.Dropout1d(0.5, channel_axis=0)(x)) != 0   # channels first
    assert (y.all(axis=1) == y.any(axis=1)).all()
    with _fit(), pytest.raises(ValueError, match="2-D .* or 3-D"):
        nn.Dropout1d(0.5)(np.ones(3))
    with pytest.raises(ValueError, match="channel_axis"):
        nn.Dropout2d(0.5, channel_axis=3)


def test_alpha_dropout_formula_and_moments(backend):
    prob, n = 0.8, 50000
    brainx.random.seed(0)
    x = np.asarray(brainx.random.randn(n), dtype=np.float32)
    brainx.random.seed(9)
    keep = np.asarray(brainx.random.bernoulli(prob, n))
    brainx.random.seed(9)
    with _fit():
        y = np.asarray(nn.AlphaDropout(prob)(x))
    q, s = prob, SELU_SATURATION
    a = (q + s * s * q * (1 - q)) ** -0.5
    b = -a * (1 - q) * s
    np.testing.assert_allclose(y, np.where(keep, a * x + b, a * s + b), rtol=1e-5, atol=1e-6)
    assert abs(y.mean()) < 0.03 and abs(y.std() - 1) < 0.03


def test_feature_alpha_dropout_shares_the_mask_along_spatial_axes(backend):
    x = np.random.default_rng(3).normal(size=(6, 10, 4)).astype(np.float32)
    with _fit():
        y = np.asarray(nn.FeatureAlphaDropout(0.5)(x))
    a = (0.5 + SELU_SATURATION ** 2 * 0.25) ** -0.5
    dropped = np.isclose(y, a * SELU_SATURATION - a * 0.5 * SELU_SATURATION, atol=1e-6)
    assert (dropped.all(axis=1) == dropped.any(axis=1)).all()
    with _fit(), pytest.raises(ValueError, match="channel axis"):
        nn.FeatureAlphaDropout(0.5)(np.ones(4))


def test_dropout_fixed_keeps_its_mask_until_init_state(backend):
    layer = nn.DropoutFixed(50, prob=0.5)
    x = np.ones(50, dtype=np.float32)
    with _fit():
        first, second = np.asarray(layer(x)), np.asarray(layer(x))
        np.testing.assert_array_equal(first, second)
        np.testing.assert_array_equal(first != 0, np.asarray(layer.mask.value))
        layer.init_state(batch_size=3)
        batched = np.asarray(layer(np.ones((3, 50))))
        assert batched.shape == (3, 50)
        assert not (batched == batched[:1]).all()
        with pytest.raises(ValueError, match="init_state"):
            layer(x)
    nn.init_all_states(layer)                     # brainx.nn.init_all_states visits it
    assert layer.mask.value.shape == (50,)


def test_argument_errors():
    for bad in (-0.1, 1.5, True, "0.5"):
        with pytest.raises(ValueError, match="prob"):
            nn.Dropout(bad)
    with pytest.raises(ValueError, match="prob > 0"):
        nn.AlphaDropout(0.0)
    with pytest.raises(TypeError, match="RandomState"):
        nn.Dropout(0.5, rng=3)
    with pytest.raises(ValueError, match="size"):
        nn.DropoutFixed(0, 0.5)
