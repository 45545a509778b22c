"""Neuron models against closed forms and scipy's solve_ivp, on every backend."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends
from scipy.integrate import solve_ivp

import brainx
import brainx.math as bm


def _run(neuron, current, steps, dt):
    """Simulate with a constant current; return (V trace, spike trace) as NumPy arrays."""
    def step(i):
        with brainx.environ.context(t=i * dt, dt=dt):
            neuron.update(current)
        return neuron.V.value, neuron.spike.value

    with brainx.environ.context(dt=dt):
        V, spikes = brainx.compile.for_loop(step, bm.arange(steps))
    return np.asarray(V), np.asarray(spikes)


def _first_spike_time(rhs, y0, threshold, t_max=200.0):
    """When V (component 0) first reaches ``threshold``, by solve_ivp event location."""
    def crossing(t, y):
        return y[0] - threshold
    crossing.terminal, crossing.direction = True, 1
    sol = solve_ivp(rhs, (0.0, t_max), y0, events=crossing, rtol=1e-10, atol=1e-10)
    return float(sol.t_events[0][0])


def test_lif_interspike_interval_matches_the_closed_form(backend):
    tau, v_rest, v_reset, v_th, current, dt = 10.0, -65.0, -70.0, -50.0, 20.0, 0.01
    with brainx.environ.context(precision=64, dt=dt):
        neuron = brainx.nn.LIF(1, tau=tau, V_rest=v_rest, V_reset=v_reset, V_th=v_th,
                               V_initializer=v_reset)
        _, spikes = _run(neuron, current, 20000, dt)
    times = np.nonzero(spikes[:, 0])[0] * dt
    exact = tau * math.log((current + v_rest - v_reset) / (current + v_rest - v_th))
    assert len(times) > 5
    np.testing.assert_allclose(np.diff(times), exact, atol=dt + 1e-9)


def test_lif_refractory_period_adds_to_the_interval(backend):
    tau, current, dt, tau_ref = 20.0, 25.0, 0.01, 5.0
    with brainx.environ.context(precision=64, dt=dt):
        neuron = brainx.nn.LIFRef(1, tau=tau, V_rest=-60.0, V_reset=-60.0, V_th=-50.0,
                                  tau_ref=tau_ref, V_initializer=-60.0)
        _, spikes = _run(neuron, current, 20000, dt)
    times = np.nonzero(spikes[:, 0])[0] * dt
    exact = tau_ref + tau * math.log(current / (current - 10.0))
    np.testing.assert_allclose(np.diff(times), exact, atol=2 * dt + 1e-9)


def _hh_rhs(current):
    """The Hodgkin-Huxley equations written out independently, in plain Python floats."""
    def rhs(t, y):
        V, m, h, n = y
        am = 0.1 * (V + 40.0) / (1.0 - math.exp(-(V + 40.0) / 10.0))
        bm_ = 4.0 * math.exp(-(V + 65.0) / 18.0)
        ah = 0.07 * math.exp(-(V + 65.0) / 20.0)
        bh = 1.0 / (1.0 + math.exp(-(V + 35.0) / 10.0))
        an = 0.01 * (V + 55.0) / (1.0 - math.exp(-(V + 55.0) / 10.0))
        bn = 0.125 * math.exp(-(V + 65.0) / 80.0)
        i_ion = 120.0 * m ** 3 * h * (V - 50.0) + 36.0 * n ** 4 * (V + 77.0) + 0.03 * (V + 54.387)
        return [current - i_ion, am * (1 - m) - bm_ * m, ah * (1 - h) - bh * h,
                an * (1 - n) - bn * n]
    return rhs


@pytest.mark.parametrize("method,atol,rtol", [("rk4", 0.02, 0.0), ("exp_auto", 0.05, 0.01)])
def test_hh_matches_solve_ivp(backend, method, atol, rtol):
    """RK4 keeps spike times within 0.02 ms; first-order exponential Euler drifts by
    well under 1% of the elapsed time at dt = 0.01 ms."""
    dt, steps, current = 0.01, 5000, 10.0
    with brainx.environ.context(precision=64, dt=dt):
        neuron = brainx.nn.HH(1, method=method)
        y0 = [float(neuron.V.value[0]), float(neuron.m.value[0]), float(neuron.h.value[0]),
              float(neuron.n.value[0])]
        V, spikes = _run(neuron, current, steps, dt)
    times = np.arange(1, steps + 1) * dt
    reference = solve_ivp(_hh_rhs(current), (0.0, times[-1]), y0, t_eval=times, rtol=1e-10,
                          atol=1e-10)
    ref_spikes = times[1:][(reference.y[0][:-1] < 20.0) & (reference.y[0][1:] >= 20.0)]
    our_spikes = times[spikes[:, 0]]
    assert len(ref_spikes) >= 3 and len(our_spikes) == len(ref_spikes)
    np.testing.assert_allclose(our_spikes, ref_spikes, atol=atol, rtol=rtol)


@pytest.mark.parametrize("model", ["ExpIF", "QuaIF", "AdExIF", "Izhikevich"])
def test_first_spike_times_match_solve_ivp(backend, model):
    dt = 0.005
    with brainx.environ.context(precision=64, dt=dt):
        if model == "ExpIF":
            neuron, current = brainx.nn.ExpIF(1), 10.0

            def rhs(t, y):
                return [(-(y[0] + 65.0) + 3.48 * math.exp((y[0] + 59.9) / 3.48) + current) / 10.0]
            y0 = [-65.0]
        elif model == "QuaIF":
            neuron, current = brainx.nn.QuaIF(1), 10.0

            def rhs(t, y):
                return [(0.07 * (y[0] + 65.0) * (y[0] + 50.0) + current) / 10.0]
            y0 = [-65.0]
        elif model == "AdExIF":
            neuron, current = brainx.nn.AdExIF(1), 20.0

            def rhs(t, y):
                V, w = y
                dV = (-(V + 65.0) + 3.48 * math.exp((V + 59.9) / 3.48) - w + current) / 10.0
                return [dV, (1.0 * (V + 65.0) - w) / 30.0]
            y0 = [-65.0, 0.0]
        else:
            neuron, current = brainx.nn.Izhikevich(1), 10.0

            def rhs(t, y):
                V, u = y
                return [0.04 * V * V + 5 * V + 140 - u + current, 0.02 * (0.2 * V - u)]
            y0 = [-65.0, -13.0]
        expected = _first_spike_time(rhs, y0, neuron.V_th)
        _, spikes = _run(neuron, current, int((expected + 1.0) / dt), dt)
    first = np.nonzero(spikes[:, 0])[0][0] * dt + dt
    assert abs(first - expected) < 0.1


@pytest.mark.parametrize("model", ["IF", "LIF", "LIFRef", "ExpIF", "AdExIF", "QuaIF",
                                   "Izhikevich", "HH"])
def test_neurons_agree_across_backends(model):
    results = {}
    currents = np.linspace(0.0, 30.0, 6)
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            neuron = getattr(brainx.nn, model)(6)
            V, spikes = _run(neuron, bm.asarray(currents), 3000, 0.1 if model != "HH" else 0.01)
            results[name] = (V, spikes)
    (v1, s1), (v2, s2) = results.values()
    np.testing.assert_array_equal(s1, s2)
    np.testing.assert_allclose(v1, v2, rtol=1e-9, atol=1e-9)  # ULP lane: exp, FMA
    assert s1.any()


def test_batching_and_reset(backend):
    neuron = brainx.nn.AdExIF(4)
    brainx.nn.init_all_states(neuron, batch_size=3)
    assert neuron.V.value.shape == (3, 4) and neuron.w.value.shape == (3, 4)
    neuron.update(bm.full((3, 4), 50.0))
    brainx.nn.reset_all_states(neuron)
    assert neuron.V.value.shape == (4,) and float(neuron.V.value[0]) == -65.0


def test_registered_current_inputs_are_added(backend):
    a, b = brainx.nn.LIF(3, V_rest=0.0, V_th=100.0), brainx.nn.LIF(3, V_rest=0.0, V_th=100.0)
    b.add_current_input("conductance", lambda V: 0.5 * (10.0 - V))
    for _ in range(5):
        v = np.asarray(a.V.value)
        a.update(0.5 * (10.0 - v) + 1.0)
        b.update(1.0)
    np.testing.assert_allclose(np.asarray(a.V.value), np.asarray(b.V.value), rtol=1e-6)
    with pytest.raises(ValueError, match="already has a current input 'conductance'"):
        b.add_current_input("conductance", lambda V: V)


@pytest.mark.parametrize("make,message", [
    (lambda: brainx.nn.LIF(3, tau=-1.0), "tau must be a positive number"),
    (lambda: brainx.nn.LIF(3, V_th=-70.0, V_reset=-60.0), "must be above V_reset"),
    (lambda: brainx.nn.LIF(3, method="rk45"), "unknown integration method"),
    (lambda: brainx.nn.LIF(0), "size must be a positive int or a tuple of them, got 0"),
    (lambda: brainx.nn.LIFRef(3, tau_ref=-1.0), "tau_ref must be a non-negative"),
    (lambda: brainx.nn.ExpIF(3, delta_T=0.0), "delta_T must be a positive"),
])
def test_bad_parameters_are_refused(backend, make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_explicit_step_too_large_for_the_time_constant(backend):
    with brainx.environ.context(dt=5.0):
        with pytest.raises(ValueError, match="dt = 5.0 ms is too large for tau = 2.0 ms"):
            brainx.nn.LIF(3, tau=2.0, method="euler")
        brainx.nn.LIF(3, tau=2.0, method="exp_auto")  # exponential Euler is stable


def test_lifref_without_time_says_how_to_give_it(backend):
    with pytest.raises(RuntimeError, match="needs the current time"):
        brainx.nn.LIFRef(2).update(1.0)
