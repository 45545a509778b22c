"""Receptor-kinetic synapses, short-term plasticity and align-pre projections, against
solve_ivp, closed forms, event-driven recurrences and dense products."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import brainx


def _drive(syn, spike_steps, steps, dt):
    """Step ``syn`` with a spike at each step of ``spike_steps``; its g after every step."""
    out = []
    for i in range(steps):
        with brainx.environ.context(t=i * dt):
            out.append(float(np.asarray(syn(np.array([i in spike_steps])))[0]))
    return np.array(out)


@pytest.mark.parametrize("model", ["AMPA", "GABAa"])
def test_receptor_kinetics_match_solve_ivp(backend, model):
    dt = 0.1
    with brainx.environ.context(precision=64, dt=dt):
        syn = getattr(brainx.nn, model)(1)
        got = _drive(syn, {0, 30}, 100, dt)
    alpha, beta, T, T_dur = syn.alpha, syn.beta, syn.T, syn.T_dur

    def transmitter(t):  # released for T_dur after the spikes at 0 and 3 ms
        return T if (0.0 <= t < T_dur) or (3.0 <= t < 3.0 + T_dur) else 0.0

    # integrate piece by piece so that the solver never steps across a switch of T
    g, expected = 0.0, []
    for i in range(100):
        t0 = i * dt
        c = transmitter(t0 + 1e-9)
        sol = solve_ivp(lambda t, y, c=c: alpha * c * (1 - y) - beta * y,
                        (t0, t0 + dt), [g], rtol=1e-12, atol=1e-14)
        g = float(sol.y[0, -1])
        expected.append(g)
    np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-12)


def test_nmda_matches_solve_ivp(backend):
    dt = 0.01
    with brainx.environ.context(precision=64, dt=dt):
        syn = brainx.nn.NMDA(1, a=0.5, tau_decay=100.0, tau_rise=2.0)
        got = _drive(syn, {0}, 3000, dt)

    def rhs(t, y):
        g, x = y
        return [-g / 100.0 + 0.5 * x * (1 - g), -x / 2.0]

    # the spike adds 1 to x during step 0, so x starts at 1 after that step
    sol = solve_ivp(rhs, (0.0, 30.0), [0.0, 1.0], t_eval=np.arange(1, 3000) * dt, rtol=1e-10,
                    atol=1e-12)
    np.testing.assert_allclose(got[1:], sol.y[0], atol=2e-3)
    assert 0.3 < max(got) < 0.9


def _tsodyks_markram(spike_times, U, tau_f, tau_d):  # noqa: N803
    """The event-driven recurrence of Tsodyks & Markram (1997): efficacy at each spike."""
    u, x, last, efficacies = 0.0, 1.0, None, []
    for t in spike_times:
        if last is not None:
            u *= np.exp(-(t - last) / tau_f)
            x = 1.0 - (1.0 - x) * np.exp(-(t - last) / tau_d)
        u += U * (1.0 - u)
        efficacies.append(u * x)
        x -= u * x
        last = t
    return np.array(efficacies)


def test_stp_and_std_follow_the_event_driven_recurrence(backend):
    dt, steps = 0.1, 4000
    spike_steps = sorted({0, 50, 100, 150, 200, 1500, 1520, 3900})
    with brainx.environ.context(precision=64, dt=dt):
        stp = brainx.nn.STP(1, U=0.2, tau_f=300.0, tau_d=150.0)
        std = brainx.nn.STD(1, tau=150.0, U=0.3)
        out_stp, out_std = [], []
        for i in range(steps):
            spikes = np.array([i in spike_steps])
            out_stp.append(float(np.asarray(stp(spikes))[0]))
            out_std.append(float(np.asarray(std(spikes))[0]))
    times = np.array(spike_steps) * dt
    np.testing.assert_allclose(np.array(out_stp)[spike_steps],
                               _tsodyks_markram(times, 0.2, 300.0, 150.0), rtol=1e-10)
    # STD is STP with no facilitation: u stays U (tau_f -> 0 and the jump resets u to U)
    np.testing.assert_allclose(np.array(out_std)[spike_steps],
                               _tsodyks_markram(times, 0.3, 1e-9, 150.0), rtol=1e-10)
    assert np.count_nonzero(out_stp) == len(spike_steps)


def test_align_pre_projection_sums_presynaptic_conductances(backend):
    dt = 0.1
    weights = np.random.default_rng(0).uniform(0.1, 1.0, (6, 4))
    with brainx.environ.context(precision=64, dt=dt):
        post = brainx.nn.LIF(4, V_rest=-60.0, V_th=100.0, V_reset=-60.0, tau=20.0)
        syn = brainx.nn.AMPA(6)
        proj = brainx.nn.AlignPreProj(syn=syn, comm=brainx.event.Linear(6, 4, weights),
                                      out=brainx.nn.COBA(E=0.0), post=post, delay=0.5)
        reference = brainx.nn.AMPA(6)
        spikes = np.random.default_rng(1).random((40, 6)) < 0.2
        pre_history = []
        for i, s in enumerate(spikes):
            with brainx.environ.context(t=i * dt):
                g_post = np.asarray(proj(s))
                pre_history.append(np.asarray(reference(s)))
                V_before = np.asarray(post.V.value)
                post(0.0)
            delayed = pre_history[i - 5] if i >= 5 else np.zeros(6)   # 0.5 ms = 5 steps
            np.testing.assert_allclose(g_post, delayed @ weights, rtol=1e-12, atol=1e-15)
            # the current reaching post is the COBA current of the delayed, summed g
            factor = brainx.integrators.exponential_factor(-1 / 20.0, dt)
            drive = (-(V_before + 60.0) + delayed @ weights * (0.0 - V_before)) / 20.0
            np.testing.assert_allclose(np.asarray(post.V.value), V_before + factor * drive,
                                       rtol=1e-12)


def test_stp_feeds_an_event_layer_through_sequential(backend):
    with brainx.environ.context(precision=64):
        post = brainx.nn.LIF(3, V_rest=-60.0, V_th=100.0, V_reset=-60.0, tau=20.0)
        comm = brainx.nn.Sequential(brainx.nn.STD(2, tau=100.0, U=0.5),
                                    brainx.event.Linear(2, 3, 1.0))
        proj = brainx.nn.AlignPostProj(comm, brainx.nn.Expon(3, tau=5.0),
                                       brainx.nn.CUBA(), post, delay=0.2)
        got = [np.asarray(proj(np.array([True, False]))).copy() for _ in range(4)]
    decay = np.exp(-0.1 / 5.0)
    # the first spike (efficacy 0.5) arrives after 2 steps; the second (0.5 * ~0.5) after 3
    assert got[1].tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(got[2], [0.5] * 3, rtol=1e-12)
    second = 0.5 * (1 - 0.5 * np.exp(-0.1 / 100.0))
    np.testing.assert_allclose(got[3], 0.5 * decay + second, rtol=1e-12)


@pytest.mark.parametrize("make, message", [
    (lambda: brainx.nn.AMPA(2, alpha=-1.0), "alpha must be a positive number"),
    (lambda: brainx.nn.NMDA(2, tau_rise=0.0), "tau_rise must be a positive number"),
    (lambda: brainx.nn.STP(2, U=1.5), "U must be in"),
    (lambda: brainx.nn.STD(2, tau=-5.0), "tau must be a positive number"),
    (lambda: brainx.nn.AlignPreProj(brainx.nn.AMPA(3), brainx.event.Linear(4, 2, 1.0),
                                    brainx.nn.COBA(E=0.0), brainx.nn.LIF(2)),
     "syn has 3 neurons but comm expects 4"),
])
def test_bad_parameters_are_refused(backend, make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_receptors_need_the_time(backend):
    with pytest.raises(RuntimeError, match="AMPA needs the current time"):
        brainx.nn.AMPA(1)(np.array([True]))
