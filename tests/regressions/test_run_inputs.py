"""Regressions of P9's audit: run durations, monitor indices, segment ids and Poisson rates
that used to be accepted and give silently wrong results."""

from __future__ import annotations

import numpy as np
import pytest

import brainx


def _runner(**kwargs):
    neurons = brainx.nn.LIF(5)
    return brainx.Runner(neurons, monitors={"V": neurons.V}, **kwargs), neurons


def test_run_of_a_duration_between_steps_raises_instead_of_rounding(backend):
    runner, _ = _runner()
    with pytest.raises(ValueError, match=r"whole number of steps of dt = 0.1 ms, got 0.25 ms "
                                         r"\(2.5 steps\)"):
        runner.run(0.25)


def test_run_shorter_than_one_step_raises_instead_of_returning_nothing(backend):
    runner, _ = _runner()
    with pytest.raises(ValueError, match=r"got 0.04 ms \(0.4 steps\)"):
        runner.run(0.04)


def test_run_of_an_infinite_duration_raises_a_value_error(backend):
    runner, _ = _runner()
    with pytest.raises(ValueError, match=r"positive, finite number of ms, got inf"):
        runner.run(float("inf"))


def test_run_of_a_duration_given_as_text_names_the_argument(backend):
    runner, _ = _runner()
    with pytest.raises(TypeError, match=r"duration must be a number of ms, got '10'"):
        runner.run("10")


def test_run_of_whole_steps_still_runs(backend):
    runner, _ = _runner()
    assert runner.run(0.3)["V"].shape == (3, 5)  # 0.3 / 0.1 is 2.9999999999999996


def test_monitor_index_past_the_population_raises_instead_of_clamping(backend):
    neurons = brainx.nn.LIF(5)
    with pytest.raises(ValueError, match=r"monitor 'V': indices must lie in \[-5, 5\) .*"
                                         r"found 99"):
        brainx.Runner(neurons, monitors={"V": (neurons.V, [0, 99])})


def test_syn2post_id_past_the_number_of_neurons_raises_on_every_backend(backend):
    with pytest.raises(ValueError, match=r"syn2post_sum: ids must lie in \[0, 3\), found 3"):
        brainx.math.syn2post_sum(np.ones(2), np.array([0, 3]), 3)


def test_syn2post_negative_id_raises_instead_of_wrapping(backend):
    with pytest.raises(ValueError, match=r"syn2post_max: ids must lie in \[0, 3\), found -1"):
        brainx.math.syn2post_max(np.ones(2), np.array([0, -1]), 3)


def test_poisson_negative_rate_raises(backend):
    with pytest.raises(ValueError, match=r"freqs must be finite, non-negative rates \(Hz\), "
                                         r"got -5.0"):
        brainx.nn.PoissonSpike(3, freqs=-5.0)


def test_poisson_rate_above_one_spike_per_step_raises(backend):
    with pytest.raises(ValueError, match=r"freqs must be at most 1000 / dt = 10000 Hz .* got "
                                         r"1e\+06"):
        brainx.nn.PoissonSpike(3, freqs=1e6)


def test_uniform_with_high_below_low_raises_instead_of_returning_low(backend):
    with pytest.raises(ValueError, match=r"uniform: high must not be below low .* got low=1, "
                                         r"high=0"):
        brainx.random.RandomState(0).uniform(1, 0, size=5)
