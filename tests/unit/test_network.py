"""Synapses, outputs, projections, inputs, the Runner and the COBA example."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends

import brainx
import brainx.math as bm
from brainx.examples.coba import COBANetwork


def _response(syn, steps, dt):
    """The conductance after a unit input at step 0, one value per step (the steps after
    the first in one ``for_loop``: compiled on jax, where 3000 eager steps take 14 s)."""
    first = float(np.asarray(syn(1.0))[0])
    rest = brainx.compile.for_loop(lambda _: syn(0.0)[0], bm.arange(steps - 1))
    return np.concatenate([[first], np.asarray(rest, dtype=np.float64)])


def test_expon_decays_exactly(backend):
    with brainx.environ.context(precision=64, dt=0.1):
        g = _response(brainx.nn.Expon(1, tau=5.0), 100, 0.1)
    np.testing.assert_allclose(g, np.exp(-np.arange(100) * 0.1 / 5.0), rtol=1e-12)


def test_dual_exponential_and_alpha_peak_at_one(backend):
    with brainx.environ.context(precision=64, dt=0.01):
        dual = _response(brainx.nn.DualExpon(1, tau_decay=10.0, tau_rise=1.0), 3000, 0.01)
        alpha = _response(brainx.nn.Alpha(1, tau=5.0), 3000, 0.01)
    t = np.arange(3000) * 0.01
    t_peak = 10.0 / 9.0 * math.log(10.0)
    assert abs(dual.max() - 1.0) < 1e-3 and abs(t[dual.argmax()] - t_peak) < 0.02
    expected_alpha = (t / 5.0) * np.exp(1.0 - t / 5.0)
    np.testing.assert_allclose(alpha, expected_alpha, atol=1e-4)
    assert abs(alpha.max() - 1.0) < 1e-3


def test_outputs_follow_their_formulas(backend):
    V = np.array([-70.0, -50.0, 10.0])
    g = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(np.asarray(brainx.nn.CUBA(scale=2.0)(g, V)), 2.0 * g)
    np.testing.assert_allclose(np.asarray(brainx.nn.COBA(E=-80.0)(g, V)), g * (-80.0 - V))
    block = 1.0 + 1.2 / 3.57 * np.exp(-0.062 * V)
    np.testing.assert_allclose(np.asarray(brainx.nn.MgBlock(E=0.0)(g, V)), g * (0.0 - V) / block,
                               rtol=1e-6)


def test_align_post_projection_adds_the_conductance_current(backend):
    with brainx.environ.context(precision=64):
        post = brainx.nn.LIF(5, V_rest=-60.0, V_th=0.0, V_reset=-60.0, tau=20.0)
        comm = brainx.event.Linear(3, 5, np.linspace(0.1, 0.5, 15).reshape(3, 5))
        proj = brainx.nn.AlignPostProj(comm, brainx.nn.Expon(5, tau=5.0),
                                       brainx.nn.COBA(E=0.0), post)
        reference = brainx.nn.LIF(5, V_rest=-60.0, V_th=0.0, V_reset=-60.0, tau=20.0)
        spikes = np.array([True, False, True])
        g = np.zeros(5)
        for step in range(20):
            proj(spikes if step % 3 == 0 else np.zeros(3, dtype=bool))
            g = g * math.exp(-0.1 / 5.0) + (spikes @ np.linspace(0.1, 0.5, 15).reshape(3, 5)
                                             if step % 3 == 0 else 0.0)
            v = np.asarray(reference.V.value)
            reference(g * (0.0 - v))
            post(0.0)
        np.testing.assert_allclose(np.asarray(post.V.value), np.asarray(reference.V.value),
                                   rtol=1e-12)


def test_delta_projection_jumps_the_membrane(backend):
    post = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0, tau=10.0)
    proj = brainx.nn.DeltaProj(brainx.event.Linear(3, 2, 1.5), post)
    proj(np.array([True, True, False]))
    post(0.0)
    np.testing.assert_allclose(np.asarray(post.V.value), [3.0, 3.0])
    post(0.0)  # the jump is delivered once
    assert float(np.asarray(post.V.value)[0]) < 3.0


def test_poisson_source_rate_and_identity_across_backends():
    trains = {}
    for name in both_backends():
        with brainx.use_backend(name):
            source = brainx.nn.PoissonSpike(500, freqs=50.0, seed=3)
            trains[name] = np.asarray(brainx.compile.for_loop(lambda i, s=source: s(),
                                                              bm.arange(2000)))
    first, second = trains.values()
    np.testing.assert_array_equal(first, second)
    rate = first.mean() / 1e-4
    assert abs(rate - 50.0) < 5 * math.sqrt(50.0 / (500 * 0.2))


def test_runner_records_monitors_in_chunks(backend):
    neurons = brainx.nn.LIF(6, V_rest=0.0, V_th=10.0, V_reset=0.0)
    runner = brainx.Runner(neurons, monitors={"V": neurons.V, "spike": "spike",
                                              "V3": (neurons.V, [0, 2, 4])}, chunk_steps=7)
    out = runner.run(3.0, 15.0)
    assert out["ts"].shape == (30,) and np.isclose(out["ts"][-1], 2.9)
    assert out["V"].shape == (30, 6) and out["V3"].shape == (30, 3)
    np.testing.assert_array_equal(out["V3"], out["V"][:, [0, 2, 4]])
    more = runner.run(1.0, 15.0)  # time continues
    assert np.isclose(more["ts"][0], 3.0)
    other = brainx.nn.LIF(6, V_rest=0.0, V_th=10.0, V_reset=0.0)
    whole = brainx.Runner(other, monitors={"V": other.V}).run(4.0, 15.0)
    np.testing.assert_allclose(np.concatenate([out["V"], more["V"]]), whole["V"], rtol=1e-6)


def test_runner_keeps_what_was_recorded_when_a_run_fails(backend):
    neurons = brainx.nn.LIF(3)
    runner = brainx.Runner(neurons, monitors={"V": neurons.V}, chunk_steps=10)
    chunk, calls = runner._chunk, []

    def failing_third_chunk(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("device lost")
        return chunk(*args)

    runner._chunk = failing_third_chunk
    with pytest.raises(brainx.RunError, match="failed at step 20 .*20 of 50 steps ran") as info:
        runner.run(5.0, 1.0)
    assert info.value.results["V"].shape == (20, 3)
    assert runner.results["ts"].shape == (20,) and runner.i == 20


def test_runner_rejects_bad_monitors_and_durations(backend):
    neurons = brainx.nn.LIF(3)
    with pytest.raises(ValueError, match="monitor 'V2': LIF has no attribute 'V2'"):
        brainx.Runner(neurons, monitors={"v": "V2"})
    with pytest.raises(ValueError, match="must name a State or a function"):
        brainx.Runner(neurons, monitors={"x": 3})
    with pytest.raises(ValueError, match="duration must be a positive, finite number of ms"):
        brainx.Runner(neurons).run(-1.0)


def test_coba_gives_identical_rasters_on_both_backends_in_float64():
    rasters = {}
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            net = COBANetwork(800, seed=1)
            rasters[name] = brainx.Runner(net, monitors={"spike": net.N.spike}).run(300.0)
    first, second = rasters.values()
    np.testing.assert_array_equal(first["spike"], second["spike"])
    rate = first["spike"].mean() / 1e-4
    assert 1.0 < rate < 100.0


@pytest.mark.slow
def test_coba_4000_neurons_one_second():
    """The full network: identical rasters, membrane potentials within 1e-12 mV, and rates
    in the range reported for this benchmark (about 10-30 Hz)."""
    runs = {}
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            net = COBANetwork(4000, seed=0)
            runs[name] = brainx.Runner(net, monitors={"spike": net.N.spike, "V": net.N.V}).run(
                1000.0)
    first, second = runs.values()
    np.testing.assert_array_equal(first["spike"], second["spike"])
    assert np.abs(first["V"] - second["V"]).max() < 1e-12
    rate_e = first["spike"][:, :3200].mean() / 1e-4
    assert 10.0 < rate_e < 30.0


def test_cli_runs_coba(capsys):
    from brainx.cli import main

    assert main(["run", "coba", "--backend", "numba", "--size", "200", "--duration", "20"]) == 0
    assert "COBA backend=numba neurons=200" in capsys.readouterr().out


def test_raster_and_line_plots(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    spikes = np.zeros((50, 4), dtype=bool)
    spikes[5, 1] = spikes[20, 3] = True
    ts = np.arange(50) * 0.1
    ax = brainx.visualize.raster_plot(ts, spikes, save=str(tmp_path / "r.png"))
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [0.5, 2.0])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [1, 3])
    assert (tmp_path / "r.png").stat().st_size > 1000
    ax = brainx.visualize.line_plot(ts, np.arange(200.0).reshape(50, 4), plot_ids=[1, 3],
                                    legend="V")
    assert [line.get_label() for line in ax.lines] == ["V-1", "V-3"]
    with pytest.raises(ValueError, match="spikes must be"):
        brainx.visualize.raster_plot(ts, np.zeros((49, 4), dtype=bool))


def test_cli_saves_a_raster(tmp_path, capsys):
    from brainx.cli import main

    target = tmp_path / "raster.png"
    assert main(["run", "coba", "--backend", "numba", "--size", "200", "--duration", "20",
                 "--plot", str(target)]) == 0
    assert target.stat().st_size > 1000 and "raster saved" in capsys.readouterr().out
    assert main(["run", "lif", "--size", "10", "--duration", "5", "--plot",
                 str(tmp_path / "x.png")]) == 0  # lif records its raster too (P10)
    assert (tmp_path / "x.png").stat().st_size > 1000


def test_current_inputs_over_time():
    np.testing.assert_allclose(brainx.nn.section_input([0.0, 2.0, 1.0], [1.0, 0.5, 0.2],
                                                       dt=0.1),
                               [0.0] * 10 + [2.0] * 5 + [1.0] * 2)
    np.testing.assert_allclose(brainx.nn.constant_input(3.0, 0.4, dt=0.1), [3.0] * 4)
    ramp = brainx.nn.ramp_input(0.0, 10.0, 2.0, t_start=0.5, t_end=1.5, dt=0.1)
    t = np.arange(20) * 0.1
    expected = np.where((t >= 0.5 - 1e-9) & (t < 1.5 - 1e-9), 10.0 * (t - 0.5), 0.0)
    np.testing.assert_allclose(ramp, expected, atol=1e-5)
    with pytest.raises(ValueError, match="same length"):
        brainx.nn.section_input([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="t_start <= t_end"):
        brainx.nn.ramp_input(0.0, 1.0, 1.0, t_start=0.8, t_end=0.5)


def test_spike_time_group_fires_when_told(backend):
    group = brainx.nn.SpikeTimeGroup(4, indices=[1, 3, 1], times=[0.3, 0.5, 1.0])
    out = brainx.Runner(group, monitors={"spike": group.spike}).run(1.2)
    fired = [(round(float(out["ts"][k]), 6), int(i)) for k, i in np.argwhere(out["spike"])]
    assert fired == [(0.3, 1), (0.5, 3), (1.0, 1)]
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 4\)"):
        brainx.nn.SpikeTimeGroup(4, indices=[4], times=[1.0])
    with pytest.raises(RuntimeError, match="needs the current time"):
        brainx.nn.SpikeTimeGroup(2, indices=[0], times=[1.0]).update()


def test_delay_returns_what_it_was_given_delay_ms_ago(backend):
    with brainx.environ.context(dt=0.1):
        delay = brainx.nn.Delay(3, delay=0.5)
        assert delay.steps == 5
        pattern = np.random.default_rng(0).random((40, 3)) < 0.3
        out = np.asarray(brainx.compile.for_loop(lambda s: delay(s), pattern))
    np.testing.assert_array_equal(out[5:], pattern[:-5])
    assert not out[:5].any()
    passthrough = brainx.nn.Delay(2, delay=0.0)
    x = bm.ones(2, dtype=bool)
    assert passthrough(x) is x
    with pytest.raises(ValueError, match="delay must be a non-negative number"):
        brainx.nn.Delay(2, delay=-1.0)


def test_projection_delay_shifts_the_response(backend):
    def response(delay):
        post = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0)
        proj = brainx.nn.AlignPostProj(brainx.event.Linear(1, 2, 1.0),
                                       brainx.nn.Expon(2, tau=5.0), brainx.nn.CUBA(), post,
                                       delay=delay)

        def step(s):
            proj(s)
            post(0.0)
            return proj.syn.g.value

        spikes = np.zeros((30, 1), dtype=bool)
        spikes[2] = True
        return np.asarray(brainx.compile.for_loop(step, spikes))[:, 0]

    plain, delayed = response(None), response(1.0)
    assert plain.argmax() == 2 and delayed.argmax() == 12
    np.testing.assert_allclose(delayed[10:], plain[:-10])


def test_cuba_gives_identical_rasters_on_both_backends_in_float64():
    from brainx.examples.cuba import CUBANetwork

    rasters = {}
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            net = CUBANetwork(800, seed=2)
            rasters[name] = brainx.Runner(net, monitors={"spike": net.N.spike}).run(300.0)
    first, second = rasters.values()
    np.testing.assert_array_equal(first["spike"], second["spike"])
    assert first["spike"].any()


def test_cli_runs_cuba(capsys):
    from brainx.cli import main

    assert main(["run", "cuba", "--backend", "numba", "--size", "200", "--duration", "20"]) == 0
    assert "CUBA backend=numba neurons=200" in capsys.readouterr().out


def test_sequential_chains_modules_and_their_states(backend):
    chain = brainx.nn.Sequential(brainx.event.Linear(4, 3, 0.5), brainx.nn.Expon(3, tau=5.0))
    out = np.asarray(chain(np.ones(4, dtype=bool)))
    np.testing.assert_allclose(out, [2.0, 2.0, 2.0])
    assert len(chain) == 2 and isinstance(chain[1], brainx.nn.Expon)
    assert list(brainx.graph.states(chain)) == [("layers", 0, "weight"), ("layers", 1, "g")]
    with pytest.raises(TypeError, match="one or more callable modules"):
        brainx.nn.Sequential()


def test_cobahh_gives_identical_rasters_on_both_backends_in_float64():
    from brainx.examples.cobahh import COBAHHNetwork

    rasters = {}
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            net = COBAHHNetwork(400, seed=1)
            rasters[name] = brainx.Runner(net, monitors={"spike": net.N.spike,
                                                         "V": (net.N.V, [0, 1])}).run(100.0)
    first, second = rasters.values()
    np.testing.assert_array_equal(first["spike"], second["spike"])
    assert first["spike"].sum() > 100
    np.testing.assert_allclose(first["V"], second["V"], rtol=0, atol=1e-9)


def _traub_spike_times(dt: float, current: float, duration: float) -> list[float]:
    from brainx.examples.cobahh import TraubHH

    with brainx.environ.context(precision=64, dt=dt):
        neuron = TraubHH(1, V_initializer=-60.0)
        fired = brainx.compile.for_loop(lambda i: neuron(current), bm.arange(int(duration / dt)))
    return [(i + 1) * dt for i in np.flatnonzero(np.asarray(fired)[:, 0])]


def test_traub_hh_single_neuron_converges_to_solve_ivp(backend):
    """A lone TraubHH neuron with a constant current: spike times approach solve_ivp's at
    first order (exponential Euler with frozen coefficients)."""
    from scipy.integrate import solve_ivp

    from brainx.examples.cobahh import TraubHH

    with brainx.environ.context(precision=64):
        neuron = TraubHH(1, V_initializer=-60.0)
        y0 = [float(np.asarray(s.value)[0]) for s in (neuron.V, neuron.m, neuron.h, neuron.n)]

    def rhs(t, y):
        V, m, h, n = y  # noqa: N806
        u = V + 63.0
        am = 0.32 * (13 - u) / np.expm1((13 - u) / 4)
        bm_ = 0.28 * (u - 40) / np.expm1((u - 40) / 5)
        ah, bh = 0.128 * np.exp((17 - u) / 18), 4 / (1 + np.exp((40 - u) / 5))
        an, bn = 0.032 * (15 - u) / np.expm1((15 - u) / 5), 0.5 * np.exp((10 - u) / 40)
        dV = (10 * (-60 - V) - 20000 * m ** 3 * h * (V - 50) - 6000 * n ** 4 * (V + 90)  # noqa: N806
              + 500.0) / 200.0
        return [dV, am * (1 - m) - bm_ * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]

    def crossing(t, y):
        return y[0] + 20.0
    crossing.direction = 1
    sol = solve_ivp(rhs, (0, 30.0), y0, events=crossing, rtol=1e-10, atol=1e-10, max_step=0.01)
    expected = sol.t_events[0]
    coarse, fine = _traub_spike_times(0.01, 500.0, 30.0), _traub_spike_times(0.005, 500.0, 30.0)
    assert len(coarse) == len(fine) == len(expected) == 3
    error_coarse = np.abs(np.array(coarse) - expected).max()
    error_fine = np.abs(np.array(fine) - expected).max()
    assert error_fine < 0.2
    assert 1.5 < error_coarse / error_fine < 2.6     # first order: halving dt halves the error


def test_cli_runs_a_users_model_file(tmp_path, capsys):
    from brainx.cli import main

    path = tmp_path / "my_network.py"
    path.write_text(
        "import brainx\n\n"
        "class Net(brainx.nn.DynamicsGroup):\n"
        "    def __init__(self, size):\n"
        "        super().__init__(1)\n"
        "        self.inp = brainx.nn.PoissonSpike(size, 50.0, seed=1)\n"
        "        self.N = brainx.nn.LIF(size, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0)\n"
        "        self.proj = brainx.nn.DeltaProj(brainx.event.FixedProb(size, size, 0.1, 2.0,\n"
        "                                                               seed=2), self.N)\n"
        "    def update(self):\n"
        "        self.proj(self.inp())\n"
        "        self.N(0.0)\n\n"
        "def build(size=100):\n"
        "    return Net(size)\n")
    code = main(["run", f"{path}:build", "--backend", "numba", "--size", "50", "--duration", "50",
                 "--plot", str(tmp_path / "raster.png")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "inp.spike: 50 neurons" in out and "N.spike: 50 neurons" in out
    assert (tmp_path / "raster.png").stat().st_size > 1000
    assert main(["run", f"{path}:missing"]) == 2
    assert "defines no function 'missing'; it defines: Net, build" in capsys.readouterr().err
    assert main(["run", "no_such_file.py:build"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_runner_inputs_array_function_and_global_step_index(backend):
    """inputs as per-step rows and as a function of (t, i), across several chunks."""
    with brainx.environ.context(precision=64):
        current = brainx.nn.section_input([0.0, 30.0, 10.0], [1.0, 2.0, 2.0])   # 50 steps
        by_rows = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0, tau=10.0)
        runner = brainx.Runner(by_rows, monitors={"V": by_rows.V,
                                                  "i": lambda: brainx.environ.get("i")},
                               inputs=current, chunk_steps=7)
        rows = runner.run(5.0)
        by_function = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0, tau=10.0)
        runner = brainx.Runner(by_function, monitors={"V": by_function.V}, chunk_steps=7,
                               inputs=lambda t, i: bm.where(i < 10, 0.0,
                                                            bm.where(i < 30, 30.0, 10.0)))
        function = runner.run(5.0)
        reference = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0, tau=10.0)
        expected = []
        for value in current:
            reference(float(value))
            expected.append(np.asarray(reference.V.value))
    np.testing.assert_allclose(rows["V"], np.array(expected), rtol=1e-12)
    np.testing.assert_allclose(function["V"], np.array(expected), rtol=1e-12)
    assert np.asarray(rows["i"]).tolist() == list(range(50))
    with pytest.raises(ValueError, match="inputs has 50 rows"):  # before the run starts
        runner = brainx.Runner(brainx.nn.LIF(1), inputs=current)
        runner.run(6.0)
    with pytest.raises(ValueError, match="inputs must be a function"):
        brainx.Runner(brainx.nn.LIF(1), inputs=3.0)
