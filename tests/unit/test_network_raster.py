"""brainx.visualize.network_raster: a raster of 10^4 neurons x seconds that stays readable,
checked by opening the saved picture."""

from __future__ import annotations

import numpy as np
import pytest

import brainx

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

GROUPS = {"E": slice(0, 8000), "I": slice(8000, None)}


def _poisson_raster(neurons=10_000, steps=10_000, rate_hz=21.0, dt=0.1, seed=0):
    rng = np.random.default_rng(seed)
    return np.arange(steps) * dt, rng.random((steps, neurons)) < rate_hz * dt / 1000.0


def test_a_large_raster_is_not_a_solid_block_and_shows_both_groups(tmp_path):
    ts, spikes = _poisson_raster()
    path = tmp_path / "raster.png"
    fig = brainx.visualize.network_raster(ts, spikes, groups=GROUPS, save=str(path))
    plt.close(fig)
    image = matplotlib.image.imread(path)[..., :3]
    height, width = image.shape[:2]
    assert width > 700 and height > 500
    dark = (image.sum(axis=2) < 0.6).mean()
    assert dark < 0.25, f"{dark:.0%} of the picture is dark: a solid block"
    red = (image[..., 0] > 0.7) & (image[..., 1] < 0.4) & (image[..., 2] < 0.4)
    blue = (image[..., 2] > 0.6) & (image[..., 0] < 0.4)
    assert red.mean() > 0.005 and blue.mean() > 0.02  # I in red, E in blue


def test_raster_panel_draws_the_requested_subset_and_window():
    ts, spikes = _poisson_raster(neurons=2000, steps=5000)
    fig = brainx.visualize.network_raster(ts, spikes, groups={"E": slice(0, 1600),
                                                              "I": slice(1600, None)},
                                          neurons=100, window=(100.0, 300.0))
    raster, rates = fig.axes
    e, i = raster.lines
    assert e.get_label() == "E" and i.get_label() == "I"
    assert set(np.unique(e.get_ydata())) <= set(range(80))  # 80 E rows, then 20 I rows
    assert set(np.unique(i.get_ydata())) <= set(range(80, 100))
    xs = np.concatenate([e.get_xdata(), i.get_xdata()])
    assert xs.min() >= 100.0 and xs.max() <= 300.0
    assert "100 of 2000 shown" in raster.get_ylabel()
    # the rate panel uses every neuron of a group: about 21 Hz
    assert 15.0 < np.mean(rates.lines[0].get_ydata()) < 27.0
    plt.close(fig)


def test_rate_panel_equals_a_hand_count():
    ts = np.arange(20) * 0.5  # dt 0.5 ms
    spikes = np.zeros((20, 4), dtype=bool)
    spikes[0:2, 0] = True  # 2 spikes in the first 1 ms bin, among 4 neurons
    fig = brainx.visualize.network_raster(ts, spikes, rate_bin=1.0)
    rate = fig.axes[1].lines[0].get_ydata()
    assert rate[0] == pytest.approx(2 / 4 / 1.0 * 1000.0)  # spikes / neurons / 1 ms, in Hz
    assert rate[1:].max() == 0.0
    plt.close(fig)


def test_bad_arguments_are_named():
    ts, spikes = _poisson_raster(neurons=10, steps=10)
    with pytest.raises(ValueError, match="spikes must be .time, neuron. with 10 time steps"):
        brainx.visualize.network_raster(ts, spikes[:5])
    with pytest.raises(ValueError, match="neurons must be a positive int or None, got 0"):
        brainx.visualize.network_raster(ts, spikes, neurons=0)
    with pytest.raises(ValueError, match=r"groups\['E'\] has indices outside \[0, 10\)"):
        brainx.visualize.network_raster(ts, spikes, groups={"E": [0, 12]})
    with pytest.raises(ValueError, match="window must be .start, stop. with start < stop"):
        brainx.visualize.network_raster(ts, spikes, window=(5.0, 1.0))


def test_brainx_run_plot_draws_the_chosen_neurons_and_window(tmp_path, monkeypatch):
    from brainx import cli

    shown = {}
    real = brainx.visualize.network_raster

    def spy(ts, spikes, **kwargs):
        shown.update(kwargs)
        return real(ts, spikes, **kwargs)

    monkeypatch.setattr(brainx.visualize, "network_raster", spy)
    path = tmp_path / "coba.png"
    code = cli.main(["run", "coba", "--size", "400", "--duration", "200", "--backend", "numba",
                     "--plot", str(path), "--plot-neurons", "100",
                     "--plot-window", "50", "150"])
    assert code == 0
    assert shown["neurons"] == 100 and tuple(shown["window"]) == (50.0, 150.0)
    assert shown["groups"] == {"E": slice(0, 320), "I": slice(320, None)}
    image = matplotlib.image.imread(path)
    assert image.shape[0] > 400 and image.shape[1] > 600


def test_brainx_run_refuses_a_bad_plot_window_before_the_simulation(capsys):
    from brainx import cli

    assert cli.main(["run", "coba", "--plot", "x.png", "--plot-window", "5", "1"]) == 2
    assert "--plot-window must be START STOP with START < STOP" in capsys.readouterr().err


def test_a_line_plot_of_monitored_traces_opens_with_one_colour_per_trace(tmp_path):
    """``visualize.line_plot`` of a Runner's V trace, checked on the saved picture: its
    size, and the two traces drawn in matplotlib's first two colours."""
    with brainx.use_backend("numba"):
        neurons = brainx.nn.LIF(3, V_rest=-65.0, V_reset=-70.0, V_th=-50.0, tau=10.0)
        out = brainx.Runner(neurons, monitors={"V": neurons.V}).run(
            50.0, np.array([20.0, 0.0, 12.0]))  # neuron 0 fires, neuron 2 stays below V_th
    path = tmp_path / "traces.png"
    ax = brainx.visualize.line_plot(out["ts"], out["V"], plot_ids=[0, 2], legend="V",
                                    ylabel="V (mV)", save=str(path))
    plt.close(ax.figure)
    image = matplotlib.image.imread(path)[..., :3]
    assert image.shape[0] > 300 and image.shape[1] > 400
    blue = (np.abs(image - [0.12, 0.47, 0.71]) < 0.08).all(axis=2)  # C0
    orange = (np.abs(image - [1.0, 0.5, 0.05]) < 0.08).all(axis=2)  # C1
    assert blue.mean() > 0.002 and orange.mean() > 0.002
