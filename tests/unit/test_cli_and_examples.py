"""The brainx command and the built-in LIF example."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends

import brainx
from brainx.cli import main
from brainx.examples.lif import LIFPopulation, simulate


def _numpy_lif_rate(size: int, steps: int, dt: float, seed: int) -> float:
    """The same model written directly in NumPy, with NumPy's own Poisson generator."""
    rng = np.random.default_rng(seed)
    tau, v_rest, v_th, v_reset, rate, w = 10.0, -65.0, -50.0, -65.0, 2000.0, 0.9
    v = np.full(size, v_rest)
    spikes = 0
    decay = math.exp(-dt / tau)
    for _ in range(steps):
        v = v_rest + (v - v_rest) * decay + w * rng.poisson(rate * dt * 1e-3, size)
        fired = v >= v_th
        spikes += int(fired.sum())
        v[fired] = v_reset
    return spikes / size / (steps * dt * 1e-3)


def test_lif_rate_matches_an_independent_numpy_simulation(backend):
    result = simulate(size=2000, duration=500.0, seed=3)
    reference = _numpy_lif_rate(2000, 5000, 0.1, seed=11)
    assert result.backend == backend.name
    assert result.spike_counts.shape == (5000,)
    # two independent stochastic runs of 1e6 neuron-steps: agree within 3%
    assert abs(result.mean_rate_hz - reference) < 0.03 * reference, (result, reference)


def test_lif_spike_counts_agree_across_backends():
    counts = {}
    for name in both_backends():
        counts[name] = simulate(size=500, duration=200.0, seed=1, backend=name).spike_counts
    first, second = counts.values()
    # identical Poisson input; FMA contraction on XLA can move a rare threshold crossing
    assert abs(int(first.sum()) - int(second.sum())) <= max(2, int(0.001 * first.sum()))
    assert np.mean(first == second) > 0.99


@pytest.mark.parametrize("kwargs,message", [
    ({"size": 0}, "size must be a positive int"),
    ({"tau": -1.0}, "tau must be positive"),
    ({"v_threshold": -70.0}, "must be above v_reset"),
    ({"input_rate": -5.0}, "input_rate must be >= 0"),
])
def test_lif_rejects_bad_parameters(backend, kwargs, message):
    with pytest.raises(ValueError, match=message):
        LIFPopulation(**kwargs)


def test_cli_run_prints_rate_and_timings(backend, capsys):
    code = main(["run", "lif", "--backend", backend.name, "--size", "100", "--duration", "20"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"backend={backend.name} neurons=100 duration=20 ms" in out
    assert "rate=" in out and "run=" in out


def test_cli_info_lists_backends(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for name in brainx.available_backends():
        assert name in out
    assert "precision: 32 bit" in out


def test_cli_errors_are_clear(capsys):
    assert main(["run", "nosuchmodel"]) == 2
    assert "unknown model 'nosuchmodel'" in capsys.readouterr().err
    assert main(["run", "--duration", "-5", "--size", "10"]) == 2
    assert "duration must be positive" in capsys.readouterr().err
    assert main(["run", "--backend", "torch", "--size", "10", "--duration", "1"]) == 2
    assert "unknown backend 'torch'" in capsys.readouterr().err
