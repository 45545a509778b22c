"""BrainPy 2.x programs on brainx: ``import brainx.compat.brainpy as bp`` (issue P8).

The programs are BrainPy's own: the reference tutorial ``004`` (tests/unit/brainpy2/
concept_dynamical_system.py) and example programs from brainpy/BrainPy's
``examples/dynamics_simulation/`` (tests/unit/brainpy2/examples/, unchanged but for
their import lines). Their firing rates are compared with the rates BrainPy 2.8.2 gives
for the same programs, measured in a separate virtual environment with
``tests/unit/brainpy2/measure_brainpy.py`` (the command is in its docstring): the mean
and standard deviation over seeds 0-4 are in ``BRAINPY_RATES``. brainx draws other
random numbers than BrainPy (its connectivity and initial values come from
``brainx.random``), so a run is compared with BrainPy's spread across seeds: within
four standard deviations plus 5 % of the mean.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest

import brainx
from tests.conftest import both_backends

PROGRAMS = Path(__file__).parent / "brainpy2"
EXAMPLES = PROGRAMS / "examples"

#: BrainPy 2.8.2's rates (Hz): {(program, function, monitor): (mean, sd over seeds 0-4)}.
#: Rates are total spikes / (neurons x duration) of the monitor passed to
#: ``bp.visualize.raster_plot`` (ei_nets' raster is over step indices: Hz per step
#: ms there). Measured with measure_brainpy.py on this machine (2 cores, jax 0.10.2, CPU).
BRAINPY_RATES = {
    ("concept_dynamical_system.py", None, "E.spike"): (160.756, 0.0),
    ("concept_dynamical_system.py", None, "I.spike"): (160.687, 0.0),
    ("COBA.py", "run2", 0): (22.83, 1.41),
    ("COBA.py", "run3", 0): (23.20, 2.40),
    ("COBA.py", "run4", 0): (19.27, 1.18),
    ("Brette_2007_COBA.py", "run_model_v1", 0): (22.83, 1.41),
    ("Brette_2007_COBA.py", "run_model_v2", 0): (22.06, 1.28),
    ("Vreeswijk_1996_EI_net.py", None, 0): (41.62, 0.02),
}

#: The continuous-attractor programs have no randomness: BrainPy 2.8.2's values of the last
#: frame of each animation, (max, argmax, mean over all frames), measured as above.
BRAINPY_ANIMATIONS = {
    "Wu_2008_CANN_1D_oscillatory_tracking.py": [
        ("u", 0.8860971927642822, 306, 0.14645513892173767),
        ("v", 0.23693358898162842, 327, 0.0430978424847126),
        ("Iext", 0.19999967515468597, 330, 0.033829640597105026)],
    "Wu_2008_CANN_2D.py": [
        (None, 0.02553752064704895, 5050, 0.000996492221020162),
        (None, 0.016978926956653595, 9090, 0.0009999407920986414)],
}


def _within(rate: float, mean: float, sd: float) -> bool:
    return abs(rate - mean) <= 4.0 * sd + 0.05 * mean


def _raster_rates(calls: list) -> list[float]:
    rates = []
    for ts, spikes in calls:
        ts, spikes = np.asarray(ts), np.asarray(spikes)
        duration = len(ts) * float(ts[1] - ts[0]) / 1000.0
        rates.append(float(spikes.sum()) / spikes.shape[-1] / duration)
    return rates


def run_program(path: Path, function: str | None, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Run ``path`` (as ``__main__``, or call its ``function``); return its globals and the
    rasters it plotted (``bp.visualize.raster_plot`` records instead of drawing)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import brainx.compat.brainpy as bp

    calls: list = []
    animations: list = []
    monkeypatch.setattr(bp.visualize, "raster_plot",
                        lambda ts, spikes, *a, **k: calls.append((ts, spikes)))
    monkeypatch.setattr(bp.visualize, "animate_1D", lambda dynamical_vars, *a, **k: animations
                        .extend((d.get("legend"), d["ys"]) for d in dynamical_vars))
    monkeypatch.setattr(bp.visualize, "animate_2D",
                        lambda values, *a, **k: animations.append((None, values)))
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    try:
        if function is None:
            namespace = runpy.run_path(str(path), run_name="__main__")
        else:
            namespace = runpy.run_path(str(path), run_name="brainpy_example")
            namespace[function]()
    finally:
        plt.close("all")
    namespace["__rasters__"] = calls
    namespace["__animations__"] = animations
    return namespace


# ---- the reference tutorial (004) ------------------------------------------------------

@pytest.mark.parametrize("name", brainx.available_backends())
def test_reference_concept_program_runs_and_gives_brainpys_numbers(name, monkeypatch):
    brainx.random.seed(0)
    with brainx.use_backend(name):
        out = run_program(PROGRAMS / "concept_dynamical_system.py", None, monkeypatch)
    # the tutorial's published outputs: bm.for_loop and bp.LoopOverTime over 200 steps of
    # a batch of 10 give (time, batch, features)
    assert out["out"].shape == (200, 10, 10)
    runner = out["runner"]
    assert runner.mon["E.spike"].shape == (1000, 3200)
    assert runner.mon["I.spike"].shape == (1000, 800)
    assert np.allclose(runner.mon["ts"][:3], [0.0, 0.1, 0.2])
    for key in ("E.spike", "I.spike"):
        rate = float(runner.mon[key].mean()) * 1e4  # spikes per neuron per 0.1 ms -> Hz
        mean, sd = BRAINPY_RATES[("concept_dynamical_system.py", None, key)]
        assert _within(rate, mean, sd), (key, rate, mean)


# ---- BrainPy's example programs ------------------------------------------------------

DEFAULT = [("COBA.py", "run2"), ("COBA.py", "run3"), ("COBA.py", "run4"),
           ("Brette_2007_COBA.py", "run_model_v1"), ("Brette_2007_COBA.py", "run_model_v2")]
SLOW = [("Vreeswijk_1996_EI_net.py", None)]


def _check_rates(program: str, function: str | None, rasters: list) -> None:
    rates = _raster_rates(rasters)
    assert rates, "the program plotted no raster"
    for index, rate in enumerate(rates):
        mean, sd = BRAINPY_RATES[(program, function, index)]
        assert _within(rate, mean, sd), (program, function, rate, mean, sd)


@pytest.mark.parametrize("program, function", DEFAULT)
def test_example_gives_brainpys_rates_on_jax(program, function, monkeypatch):
    if "jax" not in brainx.available_backends():
        pytest.skip("needs the jax backend")
    brainx.random.seed(1)
    with brainx.use_backend("jax"):
        out = run_program(EXAMPLES / program, function, monkeypatch)
    _check_rates(program, function, out["__rasters__"])


@pytest.mark.slow
@pytest.mark.parametrize("program, function", DEFAULT + SLOW)
@pytest.mark.parametrize("name", ["numba", "jax"])
def test_example_gives_brainpys_rates(name, program, function, monkeypatch):
    if name not in both_backends():
        pytest.skip(f"needs the {name} backend")
    brainx.random.seed(2)
    with brainx.use_backend(name), brainx.environ.context(jit=True):
        out = run_program(EXAMPLES / program, function, monkeypatch)
    _check_rates(program, function, out["__rasters__"])


def _check_animations(program: str, animations: list) -> None:
    expected = BRAINPY_ANIMATIONS[program]
    assert len(animations) == len(expected)
    for (legend, frames), (name, peak, where, mean) in zip(animations, expected, strict=True):
        frames = np.asarray(frames)
        assert legend == name
        assert int(frames[-1].argmax()) == where, (name, int(frames[-1].argmax()), where)
        np.testing.assert_allclose([frames[-1].max(), frames.mean()], [peak, mean], rtol=5e-3)


@pytest.mark.parametrize("name", [
    "jax", pytest.param("numba", marks=pytest.mark.slow)])  # numba: eager (a float sum)
def test_cann_tracking_gives_brainpys_bump(name, monkeypatch):
    if name not in brainx.available_backends():
        pytest.skip(f"needs the {name} backend")
    program = "Wu_2008_CANN_1D_oscillatory_tracking.py"
    with brainx.use_backend(name):
        out = run_program(EXAMPLES / program, None, monkeypatch)
    _check_animations(program, out["__animations__"])


@pytest.mark.slow
def test_cann_2d_gives_brainpys_bump(monkeypatch):
    if "jax" not in brainx.available_backends():
        pytest.skip("the program calls jax.vmap itself")
    program = "Wu_2008_CANN_2D.py"
    with brainx.use_backend("jax"):
        out = run_program(EXAMPLES / program, None, monkeypatch)
    _check_animations(program, out["__animations__"])


def test_animations_write_one_frame_per_step_asked(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from PIL import Image

    ys = np.outer(np.arange(7.0), np.ones(5))
    path = tmp_path / "bump.gif"
    brainx.visualize.animate_1D([{"ys": ys, "legend": "u"}], frame_step=3, show=False,
                                save_path=str(path))
    assert Image.open(path).n_frames == 3  # steps 0, 3 and 6
    path2 = tmp_path / "sheet.gif"
    brainx.visualize.animate_2D(np.random.default_rng(0).random((4, 6)), net_size=(2, 3),
                                show=False, save_path=str(path2))
    assert Image.open(path2).n_frames == 4
    with pytest.raises(ValueError, match=r"values must be \(time, 2 x 3\)"):
        brainx.visualize.animate_2D(np.zeros((4, 5)), net_size=(2, 3), show=False)
    with pytest.raises(ValueError, match="frame_step must be a positive int"):
        brainx.visualize.animate_1D(ys, frame_step=0, show=False)
