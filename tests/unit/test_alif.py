"""The ALIF neuron against a hand-written recurrence and closed-form spike times."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends, skip_without

import brainx
import brainx.nn as nn
from brainx.testing import assert_backends_agree

PARAMS = dict(tau=5.0, tau_a=100.0, V_th=1.0, V_reset=0.0, V_rest=0.0, R=1.0, beta=0.5)


def _reference(current, steps, dt, tau, tau_a, V_th, V_reset, V_rest, R, beta, reset="soft",
               spike_fn=None, V0=0.0, a0=0.0):
    """brainstate's ALIF step written out in Python floats: reset and adaptation jump from
    the previous step's spike, then exact exponential decay of V and a."""
    def spike_of(V, a):
        v = (V - V_th - beta * a) / (V_th - V_reset)
        return spike_fn(v) if spike_fn else float(v >= 0)

    decay_V, decay_a = math.exp(-dt / tau), math.exp(-dt / tau_a)
    V, a = V0, a0
    Vs, As, spikes = [], [], []
    for _ in range(steps):
        s = spike_of(V, a)
        V = V - ((V_th if reset == "soft" else V) - V_reset) * s
        a = a + s
        V = V_rest + R * current + (V - V_rest - R * current) * decay_V
        a = a * decay_a
        Vs.append(V), As.append(a), spikes.append(spike_of(V, a))
    return np.array(Vs), np.array(As), np.array(spikes)


def _simulate(neuron, current, steps):
    Vs, As, spikes = [], [], []
    for _ in range(steps):
        spikes.append(np.asarray(neuron(current)).copy())
        Vs.append(np.asarray(neuron.V.value).copy()), As.append(np.asarray(neuron.a.value).copy())
    return np.array(Vs)[:, 0], np.array(As)[:, 0], np.array(spikes)[:, 0]


@pytest.mark.parametrize("reset", ["soft", "hard"])
def test_alif_follows_the_hand_recurrence(backend, reset):
    dt, current, steps = 0.1, 2.0, 1200
    with brainx.environ.context(precision=64, dt=dt):
        V, a, spikes = _simulate(nn.ALIF(1, spk_reset=reset, **PARAMS), current, steps)
    ref_V, ref_a, ref_spikes = _reference(current, steps, dt, reset=reset, **PARAMS)
    np.testing.assert_array_equal(spikes, ref_spikes)
    np.testing.assert_allclose(V, ref_V, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a, ref_a, rtol=0, atol=1e-12)
    assert spikes.sum() >= 4


def test_alif_first_spike_time_and_adaptation_jump(backend):
    dt, current, tau, tau_a = 0.1, 2.0, 5.0, 100.0
    with brainx.environ.context(precision=64, dt=dt):
        neuron = nn.ALIF(1, **PARAMS)
        V, a, spikes = _simulate(neuron, current, 120)
    # V = I (1 - exp(-t / tau)) reaches V_th = 1 first at t = tau ln 2 (step index n - 1)
    first = int(np.argmax(spikes))
    assert first + 1 == math.ceil(tau * math.log(current / (current - 1.0)) / dt - 1e-9)
    assert a[first] == 0.0
    # the next step: a jumps by the spike (1) and decays for one step; V is soft-reset
    assert a[first + 1] == pytest.approx(math.exp(-dt / tau_a), abs=1e-15)
    expected_V = current + (V[first] - 1.0 - current) * math.exp(-dt / tau)
    assert V[first + 1] == pytest.approx(expected_V, abs=1e-12)
    # the raised threshold V_th + beta a delays the second spike beyond the first interval
    second = first + 1 + int(np.argmax(spikes[first + 1:]))
    assert spikes[second] == 1.0 and second - first > first + 1


def test_alif_spk_fun_gets_the_scaled_distance_to_threshold(backend):
    def smooth(v):
        return 1.0 / (1.0 + np.exp(-8.0 * np.asarray(v)))

    def smooth_bm(v):
        return 1.0 / (1.0 + brainx.math.exp(-8.0 * v))

    params = dict(PARAMS, V_reset=-0.5)
    with brainx.environ.context(precision=64):
        V, a, spikes = _simulate(nn.ALIF(1, spk_fun=smooth_bm, **params), 1.5, 200)
    ref_V, ref_a, ref_s = _reference(1.5, 200, 0.1, spike_fn=lambda v: float(smooth(v)),
                                     **params)
    np.testing.assert_allclose(V, ref_V, atol=1e-10)
    np.testing.assert_allclose(a, ref_a, atol=1e-10)
    np.testing.assert_allclose(spikes, ref_s, atol=1e-10)


def test_alif_is_bit_identical_across_backends_in_float64():
    backends = both_backends()
    assert_backends_agree(lambda: nn.ALIF(5, **PARAMS), steps=600, inputs=(2.0,),
                          precision=64, mode="free", ulps=0, backends=backends[:2],
                          strict_numerics=True)


def test_alif_states_batching_and_inputs(backend):
    neuron = nn.ALIF((2, 3), V_initializer=0.5, a_initializer=lambda shape: np.ones(shape))
    assert isinstance(neuron.V, brainx.HiddenState) and isinstance(neuron.a, brainx.HiddenState)
    assert neuron.V.value.shape == (2, 3) and float(neuron.a.value[0, 0]) == 1.0
    nn.init_all_states(neuron, batch_size=4)
    assert neuron.V.value.shape == (4, 2, 3) and neuron.spike.value.shape == (4, 2, 3)
    # registered current and delta inputs add to the external input
    with brainx.environ.context(precision=64):
        a, b = nn.ALIF(1, **PARAMS), nn.ALIF(1, **PARAMS)
        b.add_current_input("extra", lambda V: 0.5)
        b.add_delta_input("jump", lambda: 0.25)
        a(1.5)
        b(1.0)
        factor = 1 - math.exp(-0.1 / 5.0)
        assert float(b.V.value[0]) == pytest.approx(float(a.V.value[0]) + 0.25, abs=1e-12)
        assert float(a.V.value[0]) == pytest.approx(1.5 * factor, abs=1e-12)


def test_alif_argument_errors():
    with pytest.raises(ValueError, match="tau_a"):
        nn.ALIF(1, tau_a=0.0)
    with pytest.raises(ValueError, match="V_th"):
        nn.ALIF(1, V_th=0.0, V_reset=0.0)
    with pytest.raises(ValueError, match="spk_reset"):
        nn.ALIF(1, spk_reset="subtract")
    with pytest.raises(TypeError, match="spk_fun"):
        nn.ALIF(1, spk_fun=3)
    with pytest.raises(TypeError, match="beta"):
        nn.ALIF(1, beta="0.1")


def test_alif_default_spk_fun_is_relu_grad_and_its_gradient_is_the_surrogate(backend):
    neuron = nn.ALIF(1)
    assert neuron.spk_fun == brainx.surrogate.ReluGrad()
    skip_without(backend, "grad")
    dt, tau, R, V_th, V_reset, beta = 0.1, 5.0, 2.0, 1.0, -0.5, 0.3
    with brainx.environ.context(precision=64, dt=dt):
        neuron = nn.ALIF(1, R=R, tau=tau, V_th=V_th, V_reset=V_reset, beta=beta,
                         V_initializer=0.8, a_initializer=0.5,
                         spk_fun=brainx.surrogate.ReluGrad(alpha=0.3, width=1.0))

        def spike(x):
            neuron.reset_state()
            return brainx.math.sum(neuron(x))

        g = float(brainx.augment.grad(spike, argnums=0)(brainx.math.asarray(0.4)))
    # one step from V = 0.8, a = 0.5 (no spike before): V' = 0.8 + f (-0.8 + R x) / tau,
    # s = H(v), v = (V' - V_th - beta a') / (V_th - V_reset), a' = 0.5 exp(-dt / tau_a)
    f = tau * (1 - math.exp(-dt / tau))
    V = 0.8 + f * (-0.8 + R * 0.4) / tau
    a = 0.5 * math.exp(-dt / 100.0)
    v = (V - V_th - beta * a) / (V_th - V_reset)
    surrogate = max(0.3 * (1.0 - abs(v)), 0.0)
    assert g == pytest.approx(surrogate * f * R / tau / (V_th - V_reset), rel=1e-10)
