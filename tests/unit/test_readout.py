"""Readouts against their recurrences written out in NumPy, with the layers' own weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import skip_without

import brainx
import brainx.nn as nn


@pytest.mark.parametrize("batch", [None, 2])
def test_leaky_rate_readout_follows_its_recurrence(backend, batch):
    dt, tau, steps = 0.1, 2.0, 30
    xs = np.random.default_rng(0).normal(size=(steps,) + ((batch,) if batch else ()) + (4,))
    with brainx.environ.context(precision=64, dt=dt):
        readout = nn.LeakyRateReadout(4, 3, tau=tau)
        readout.init_state(batch)
        assert isinstance(readout.r, brainx.HiddenState)
        assert isinstance(readout.weight, brainx.ParamState)
        W = np.asarray(readout.weight.value)
        assert W.shape == (4, 3)
        r = np.zeros(((batch,) if batch else ()) + (3,))
        for x in xs:
            out = np.asarray(readout(x))
            r = math.exp(-dt / tau) * r + x @ W
            np.testing.assert_allclose(out, r, rtol=1e-12, atol=1e-13)
        readout.reset_state(batch)
        assert np.all(np.asarray(readout.r.value) == 0)


def _spike_reference(xs, W, steps, dt, tau, V_th, reset):
    """brainstate's readout step in NumPy: reset by the last spike, then exact decay."""
    V = np.zeros(W.shape[1])
    Vs, spikes = [], []
    decay = math.exp(-dt / tau)
    for x in xs[:steps]:
        s = ((V - V_th) / V_th >= 0).astype(float)
        V = V - (V_th if reset == "soft" else V) * s
        current = x @ W
        V = current + (V - current) * decay
        Vs.append(V), spikes.append(((V - V_th) / V_th >= 0).astype(float))
    return np.array(Vs), np.array(spikes)


@pytest.mark.parametrize("reset", ["soft", "hard"])
def test_leaky_spike_readout_follows_its_recurrence(backend, reset):
    dt, tau, V_th, steps = 0.1, 5.0, 1.0, 200
    xs = np.random.default_rng(1).uniform(0, 1, (steps, 3))
    with brainx.environ.context(precision=64, dt=dt):
        readout = nn.LeakySpikeReadout(3, tau=tau, V_th=V_th, spk_reset=reset,
                                       w_init=brainx.init.Uniform(0.5, 2.0))
        W = np.asarray(readout.weight.value)
        assert W.shape == (3, 3)
        Vs, spikes = [], []
        for x in xs:
            spikes.append(np.asarray(readout(x)))
            Vs.append(np.asarray(readout.V.value))
        last_spike = np.asarray(readout.spike)
    ref_V, ref_spikes = _spike_reference(xs, W, steps, dt, tau, V_th, reset)
    np.testing.assert_array_equal(np.array(spikes), ref_spikes)
    np.testing.assert_allclose(np.array(Vs), ref_V, rtol=0, atol=1e-12)
    assert ref_spikes.sum() > 5
    np.testing.assert_array_equal(last_spike, ref_spikes[-1])


def test_leaky_spike_readout_sizes_batching_and_surrogate(backend):
    flat = nn.LeakySpikeReadout((2, 3))
    assert flat.varshape == (6,) and flat.weight.value.shape == (6, 6)
    kept = nn.LeakySpikeReadout((2, 3), keep_size=True)
    assert kept.V.value.shape == (2, 3) and kept.weight.value.shape == (3, 3)
    assert flat.spk_fun == brainx.surrogate.ReluGrad()
    nn.init_all_states(flat, batch_size=4)
    assert flat(brainx.math.ones((4, 6))).shape == (4, 6)


def test_leaky_spike_readout_gradient_is_the_surrogate(backend):
    skip_without(backend, "grad")
    dt, tau, V_th = 0.1, 5.0, 1.0
    with brainx.environ.context(precision=64, dt=dt):
        readout = nn.LeakySpikeReadout(1, tau=tau, V_th=V_th, w_init=brainx.init.Constant(1.5),
                                       V_initializer=0.9,
                                       spk_fun=brainx.surrogate.ReluGrad(alpha=0.3, width=1.0))

        def out():
            readout.reset_state()
            return brainx.math.sum(readout(brainx.math.ones(1)))

        grads = brainx.augment.grad(out, readout.states(brainx.ParamState))()
    g = float(np.asarray(grads[("weight",)])[0, 0])
    f = tau * (1 - math.exp(-dt / tau))
    V = 0.9 + f * (1.5 - 0.9) / tau
    v = (V - V_th) / V_th
    assert g == pytest.approx(max(0.3 * (1 - abs(v)), 0) * f / tau / V_th, rel=1e-10)


def test_readout_errors():
    with pytest.raises(ValueError, match="tau"):
        nn.LeakyRateReadout(3, 2, tau=0.0)
    with pytest.raises(ValueError, match="out_size"):
        nn.LeakyRateReadout(3, 0)
    with pytest.raises(ValueError, match="features"):
        nn.LeakyRateReadout(3, 2)(brainx.math.ones(4))
    with pytest.raises(ValueError, match="V_th"):
        nn.LeakySpikeReadout(3, V_th=-1.0)
    with pytest.raises(ValueError, match="spk_reset"):
        nn.LeakySpikeReadout(3, spk_reset="zero")
    with pytest.raises(TypeError, match="spk_fun"):
        nn.LeakySpikeReadout(3, spk_fun="relu")
