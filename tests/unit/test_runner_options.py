"""Runner options users of Brian2 and BrainPy expect: monitor intervals, population rates,
per-step inputs given to run(), progress reports."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.math as bm


def test_monitor_every_records_the_steps_on_its_grid(backend):
    neurons = brainx.nn.LIF(4)
    every = brainx.Runner(neurons, monitors={"V": neurons.V}, monitor_every=0.5, chunk_steps=7)
    sampled = every.run(3.0, 25.0)
    other = brainx.nn.LIF(4)
    full = brainx.Runner(other, monitors={"V": other.V}).run(3.0, 25.0)
    np.testing.assert_allclose(sampled["ts"], np.arange(6) * 0.5, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(sampled["V"], full["V"][::5])  # steps 0, 5, 10, ...
    more = every.run(1.0, 25.0)  # the grid continues across runs
    np.testing.assert_allclose(more["ts"], [3.0, 3.5], rtol=0, atol=1e-12)


def test_monitor_every_must_be_whole_steps(backend):
    neurons = brainx.nn.LIF(2)
    runner = brainx.Runner(neurons, monitors={"V": neurons.V}, monitor_every=0.25)
    with pytest.raises(ValueError, match="monitor_every: the interval must be a whole number"):
        runner.run(1.0)


def test_population_rate_is_the_fraction_spiking_over_dt(backend):
    neurons = brainx.nn.LIF(50)
    out = brainx.Runner(neurons, monitors={
        "rate": brainx.monitors.population_rate(neurons.spike), "spike": neurons.spike,
    }).run(20.0, 30.0)
    expected = out["spike"].mean(axis=1) / 0.1 * 1000.0  # Hz, dt = 0.1 ms
    np.testing.assert_allclose(out["rate"], expected, rtol=1e-6)
    assert out["rate"].max() > 0
    with pytest.raises(TypeError, match="spikes must be a spike State"):
        brainx.monitors.population_rate(3)


def test_run_takes_per_step_inputs(backend):
    neurons = brainx.nn.LIF(3)
    steps = brainx.nn.section_input([0.0, 30.0], [2.0, 3.0])  # 50 rows
    runner = brainx.Runner(neurons, monitors={"V": neurons.V})
    given_to_run = runner.run(5.0, inputs=steps)
    other = brainx.nn.LIF(3)
    given_to_runner = brainx.Runner(other, monitors={"V": other.V}, inputs=steps).run(5.0)
    np.testing.assert_array_equal(given_to_run["V"], given_to_runner["V"])
    again = runner.run(2.0, inputs=np.full((20, 3), 30.0, np.float32))  # rows of this run
    assert again["V"].shape == (20, 3)
    with pytest.raises(ValueError, match="inputs has 20 rows .steps. but the run needs 30"):
        runner.run(3.0, inputs=np.zeros((20, 3), np.float32))


def test_per_step_array_given_as_a_constant_says_where_it_belongs(backend):
    neurons = brainx.nn.LIF(3)
    steps = np.zeros((1500, 1), np.float32) + bm.asarray(30.0)
    runner = brainx.Runner(neurons, monitors={"V": neurons.V})
    with pytest.raises(brainx.RunError, match=r"Argument 1 of run\(\) has one row per step "
                                              r"\(shape \(1500, 1\)\).*inputs="):
        runner.run(150.0, steps)


def test_report_is_called_after_each_chunk(backend, capsys):
    neurons = brainx.nn.LIF(2)
    seen = []
    brainx.Runner(neurons, chunk_steps=20).run(5.0, report=seen.append)
    assert [p["done"] for p in seen] == [20, 40, 50] and seen[-1]["total"] == 50
    assert np.isclose(seen[-1]["t"], 5.0) and seen[-1]["i"] == 50
    brainx.Runner(brainx.nn.LIF(2), chunk_steps=25).run(5.0, report="text")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("t = 2.5 ms (step 25 of 50, 50%)") and len(lines) == 2
    with pytest.raises(ValueError, match="report must be a function"):
        brainx.Runner(brainx.nn.LIF(2)).run(1.0, report="loud")


def test_results_as_an_xarray_dataset(backend):
    xarray = pytest.importorskip("xarray")
    neurons = brainx.nn.LIF(6)
    runner = brainx.Runner(neurons, monitors={
        "V": (neurons.V, [0, 4, 5]), "spike": neurons.spike,
        "rate": brainx.monitors.population_rate(neurons.spike)})
    with pytest.raises(RuntimeError, match="nothing recorded yet"):
        runner.to_xarray()
    out = runner.run(3.0, 30.0)
    data = runner.to_xarray()
    assert isinstance(data, xarray.Dataset)
    np.testing.assert_array_equal(data["V"].values, out["V"])
    assert data["V_neuron"].values.tolist() == [0, 4, 5]
    assert data["spike"].dims == ("time", "spike_neuron") and data["rate"].dims == ("time",)
    np.testing.assert_array_equal(data["V"].sel(V_neuron=4).values, out["V"][:, 1])
    np.testing.assert_allclose(data["time"].values, np.arange(30) * 0.1, atol=1e-12)
    assert data.attrs["dt_ms"] == 0.1
