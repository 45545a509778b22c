"""BrainPy 2.x programs on brainx: ``import brainx.compat.brainpy as bp`` (issue P8).

The programs are BrainPy's own: the reference tutorial ``004`` (tests/unit/brainpy2/
concept_dynamical_system.py) and example programs from brainpy/BrainPy's
``examples/dynamics_simulation/`` (tests/unit/brainpy2/examples/, unchanged but for
their import lines). What a program shows (the rates of its raster plots, the values
of its line plots, its animations; tests/unit/brainpy2/_capture.py) is compared with what
BrainPy 2.8.2 gives for the same program, measured in a separate virtual environment with
tests/unit/brainpy2/measure_brainpy.py (the command is in its docstring) and kept in
tests/unit/brainpy2/brainpy_reference.json: mean and standard deviation over seeds 0-4.
brainx's connectivity and initial values are its own random draws, so a run is compared
with BrainPy's spread across seeds: within four standard deviations plus 5 % of the mean.

Programs chosen: those of BrainPy's examples/dynamics_simulation/ that run (all or in
part) on BrainPy 2.8.2 and need neither ion channels, STDP, sharding nor data files:
COBA.py, COBA-v2.py, Brette_2007_COBA.py, Vreeswijk_1996_EI_net.py,
JR_1995_jansen_rit_model.py, decision_making_network.py, ei_nets.py,
Wang_2002_decision_making_spiking.py, Wu_2008_CANN_1D_oscillatory_tracking.py and
Wu_2008_CANN_2D.py.
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

import brainx

PROGRAMS = Path(__file__).parent / "brainpy2"
EXAMPLES = PROGRAMS / "examples"
sys.path.insert(0, str(PROGRAMS))
import _capture  # noqa: E402  (the recorder shared with measure_brainpy.py)

#: What BrainPy 2.8.2 gives for each program: tests/unit/brainpy2/brainpy_reference.json
#: (its "_how" says how it was measured).
REFERENCE = json.loads((PROGRAMS / "brainpy_reference.json").read_text())

#: BrainPy 2.8.2's EINet rates of the reference tutorial (seed 0; BrainPy's own run of the
#: program, imports changed back, gives these to the digit on seeds 0-4).
CONCEPT_RATES = {"E.spike": 160.756, "I.spike": 160.687}


def _within(value: float, mean: float, sd: float) -> bool:
    """Within BrainPy's spread across seeds: four standard deviations plus 5 % of the mean
    (and 1e-4 for values near zero)."""
    return abs(value - mean) <= 4.0 * sd + 0.05 * abs(mean) + 1e-4


def run_program(path: Path, function: str | None, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Run ``path`` (as ``__main__``, or call its ``function``); return its globals and, under
    ``__metrics__``, the numbers of what it plotted (``_capture``: plots are recorded, not
    drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import brainx.compat.brainpy as bp

    records = _capture.install(bp.visualize, monkeypatch.setattr)
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    try:
        if function is None:
            namespace = runpy.run_path(str(path), run_name="__main__")
        else:
            namespace = runpy.run_path(str(path), run_name="brainpy_example")
            namespace[function]()
    finally:
        plt.close("all")
    namespace["__metrics__"] = _capture.metrics(records)
    return namespace


def check_against_brainpy(key: str, measured: dict) -> None:
    """Compare a run's numbers with BrainPy's (``REFERENCE[key]``)."""
    reference = REFERENCE[key]
    for kind in ("rates", "lines"):
        if kind not in reference:
            continue
        means, sds = reference[kind]["mean"], reference[kind]["sd"]
        got = measured[kind]
        assert np.shape(got) == np.shape(means), (key, kind, got)
        for value, mean, sd in zip(np.ravel(got), np.ravel(means), np.ravel(sds), strict=True):
            assert _within(value, mean, sd), (key, kind, value, mean, sd)
    if "animations" in reference:
        got = measured["animations"]
        assert len(got) == len(reference["animations"]), (key, got)
        for (legend, peak, where, mean), expected in zip(got, reference["animations"],
                                                         strict=True):
            assert legend == expected[0] and where == expected[2], (key, legend, where)
            np.testing.assert_allclose([peak, mean], [expected[1], expected[3]], rtol=5e-3)


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
    for key, brainpy_rate in CONCEPT_RATES.items():
        rate = float(runner.mon[key].mean()) * 1e4  # spikes per neuron per 0.1 ms -> Hz
        assert abs(rate - brainpy_rate) <= 0.01 * brainpy_rate, (key, rate, brainpy_rate)


# ---- BrainPy's example programs ------------------------------------------------------
#: (program, function) run in the default test run on jax; the slow run adds SLOW and
#: runs all of them on numba too.
DEFAULT = [("COBA.py", "run1"), ("COBA.py", "run2"), ("COBA.py", "run3"), ("COBA.py", "run4"),
           ("COBA-v2.py", "run1"), ("COBA-v2.py", "run2"), ("COBA-v2.py", None),
           ("Brette_2007_COBA.py", "run_model_v1"), ("Brette_2007_COBA.py", "run_model_v2"),
           ("JR_1995_jansen_rit_model.py", None), ("Wu_2008_CANN_1D_oscillatory_tracking.py", None)]
SLOW = [("Vreeswijk_1996_EI_net.py", None), ("decision_making_network.py", None),
        ("Wang_2002_decision_making_spiking.py", "single_run"),
        ("ei_nets.py", None)] + [("ei_nets.py", f"model{k}") for k in range(1, 6)]


#: What a program's ``__main__`` runs, where it is one function.
MAIN = {"COBA-v2.py": "run3", "COBA.py": "run4"}


def _key(program: str, function: str | None) -> str:
    function = function or MAIN.get(program)
    return f"examples/{program}" + (f"::{function}" if function else "")


def _run_example(name: str, program: str, function: str | None, monkeypatch) -> None:
    if name not in brainx.available_backends():
        pytest.skip(f"needs the {name} backend")
    brainx.random.seed(1)
    np.random.seed(1)
    with brainx.use_backend(name):
        out = run_program(EXAMPLES / program, function, monkeypatch)
    check_against_brainpy(_key(program, function), out["__metrics__"])


@pytest.mark.parametrize("program, function", DEFAULT)
def test_example_gives_brainpys_numbers_on_jax(program, function, monkeypatch):
    _run_example("jax", program, function, monkeypatch)


@pytest.mark.slow  # Wu_2008_CANN_2D calls jax.vmap itself: jax only
@pytest.mark.parametrize("program, function", SLOW + [("Wu_2008_CANN_2D.py", None)])
def test_slow_example_gives_brainpys_numbers_on_jax(program, function, monkeypatch):
    _run_example("jax", program, function, monkeypatch)


#: decision_making_network sums floating-point vectors (all-to-all NMDA inputs), which the
#: numba backend runs eagerly (compiled sums would add in another order): 6 minutes.
NUMBA_EAGER = {"decision_making_network.py"}


@pytest.mark.slow
@pytest.mark.parametrize("program, function",
                         [p for p in DEFAULT + SLOW if p[0] not in NUMBA_EAGER])
def test_example_gives_brainpys_numbers_on_numba(program, function, monkeypatch):
    with brainx.environ.context(jit=True):
        _run_example("numba", program, function, monkeypatch)


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


@pytest.mark.slow
def test_wang_2002_batch_of_coherences_chooses_the_stronger_input(monkeypatch):
    """BrainPy 2.8.2 fails on this part of the program (reset_state(batch_size=12) raises);
    here it runs, and each trial shows Wang (2002)'s decision: the group whose input is
    stronger (coherence > 0: A) wins, clearly so away from zero coherence."""
    if "jax" not in brainx.available_backends():
        pytest.skip("needs the jax backend")
    brainx.random.seed(3)
    with brainx.use_backend("jax"):
        out = run_program(EXAMPLES / "Wang_2002_decision_making_spiking.py", "batching_run",
                          monkeypatch)
    rates = np.array(out["__metrics__"]["rates"]).reshape(12, 2)  # (trial, [A, B])
    coherence = np.linspace(-100, 100.0, 12)
    clear = np.abs(coherence) > 20
    winner_is_a = rates[:, 0] > rates[:, 1]
    assert (winner_is_a[clear] == (coherence[clear] > 0)).all(), rates
    assert (rates.max(axis=1)[clear] > 10).all() and (rates.min(axis=1)[clear] < 5).all()


def test_unsupported_brainpy2_features_name_the_brainx_alternative():
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    with brainx.use_backend(brainx.available_backends()[0]):
        with pytest.raises(NotImplementedError, match=r"noise is not supported.*sdeint"):
            bp.dyn.Lif(3, noise=0.1)
        with pytest.raises(NotImplementedError, match=r"sharding is not supported.*one device"):
            bp.dyn.LifRef(3, sharding=("neuron",))
        with pytest.raises(ValueError, match=r"no population sizes yet; give them as "
                                             r"FixedProb\(\.\.\., pre=\.\.\., post=\.\.\.\)"):
            bp.dnn.CSRLinear(bp.conn.FixedProb(0.1), 1.0)
        pre, post = bp.neurons.LIF(3), bp.neurons.LIF(2)
        with pytest.raises(NotImplementedError, match=r"stp is not supported.*brainx\.nn\.STP"):
            bp.synapses.Exponential(pre, post, bp.conn.All2All(), stp=object())
        with pytest.raises(ValueError, match=r"data_first_axis must be 'B' or 'T', got 'X'"):
            bp.DSRunner(pre, data_first_axis="X")
        with pytest.raises(TypeError, match=r"target must be a dynamical system, got object"):
            bp.DSRunner(object())
        with pytest.raises(ValueError, match=r"monitor 'W': LIF has no attribute 'W'"):
            bp.DSRunner(pre, monitors=["W"])
        with pytest.raises(ValueError, match=r"input type of 'input' must be 'fix', 'iter'"):
            bp.DSRunner(pre, inputs=("input", 1.0, "each"))
    with pytest.raises(AttributeError, match=r"bp\.synplast \(BrainPy 2\.x\) is not supported"
                                             r".*brainx\.nn\.STP"):
        bp.synplast  # noqa: B018
    with pytest.raises(AttributeError, match=r"bm\.sharding .*one device"):
        bm.sharding  # noqa: B018


def test_shared_arguments_are_per_step_inside_a_loop():
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    with brainx.use_backend(brainx.available_backends()[0]):
        def step(t):
            bp.share.save(t=t)
            return bp.share.load("t") * 2.0

        out = bm.for_loop(step, bm.arange(3.0))
    assert np.asarray(out).tolist() == [0.0, 2.0, 4.0]
    assert bp.share.load("t", None) is None  # nothing left behind by the loop


def test_brainpy_training_calls_take_adams_first_step():
    """``bm.grad`` of a loss of a ``bp.dnn.Dense`` and ``bp.optim.Adam``: Adam's first step
    is ``-lr * g / (|g| + eps)`` for every weight (hand-derived from Adam's update)."""
    if "jax" not in brainx.available_backends():
        pytest.skip("gradients need the jax backend")
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    with brainx.use_backend("jax"), bm.environment(mode=bm.training_mode):
        layer = bp.dnn.Dense(3, 1)
        x = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
        y = np.ones((4, 1), dtype=np.float32)
        train_vars = layer.train_vars().unique()
        optimizer = bp.optim.Adam(lr=0.01, train_vars=train_vars)

        def loss():
            return bm.mean((layer(x) - y) ** 2)

        before = {k: {n: np.asarray(a) for n, a in v.value.items()}
                  for k, v in train_vars.items()}
        grads = bm.grad(loss, grad_vars=train_vars)()
        first = float(loss())
        optimizer.update(grads)
        for key, state in train_vars.items():
            for name, value in state.value.items():
                g = np.asarray(grads[key][name])
                np.testing.assert_allclose(np.asarray(value) - before[key][name],
                                           -0.01 * g / (np.abs(g) + 1e-8), rtol=1e-4, atol=1e-7)
        for _ in range(50):
            optimizer.update(bm.grad(loss, grad_vars=train_vars)())
        assert float(loss()) < 0.5 * first


def test_losses_equal_their_numpy_formulas(backend):
    import brainx.compat.brainpy as bp

    rng = np.random.default_rng(5)
    logits = rng.normal(size=(6, 4))
    classes = rng.integers(0, 4, size=6)
    onehot = np.eye(4)[classes]
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    per_sample = -log_p[np.arange(6), classes]
    weight = np.array([1.0, 2.0, 0.5, 3.0])
    assert np.isclose(float(bp.losses.cross_entropy_loss(logits, classes)), per_sample.mean(),
                      rtol=1e-5)
    assert np.isclose(float(bp.losses.cross_entropy_loss(logits, onehot, reduction="sum")),
                      per_sample.sum(), rtol=1e-5)
    np.testing.assert_allclose(
        np.asarray(bp.losses.cross_entropy_loss(logits, classes, weight, reduction="none")),
        per_sample * weight[classes], rtol=1e-5)
    p, t = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    assert np.isclose(float(bp.losses.mean_squared_error(p, t)), ((p - t) ** 2).mean())
    np.testing.assert_allclose(np.asarray(bp.losses.mean_absolute_error(p, t, axis=1,
                                                                        reduction="none")),
                               np.abs(p - t).mean(axis=1), rtol=1e-6)
    assert np.isclose(float(bp.losses.l1_loss(p, t)), np.abs(p - t).sum())
    np.testing.assert_allclose(np.asarray(bp.losses.l2_loss(p, t)), 0.5 * (p - t) ** 2,
                               rtol=1e-6)
    error = np.abs(p - t)
    np.testing.assert_allclose(np.asarray(bp.losses.huber_loss(p, t, delta=0.5)),
                               np.where(error <= 0.5, 0.5 * error ** 2, 0.5 * (error - 0.25)),
                               rtol=1e-6)
    with pytest.raises(ValueError, match=r"reduction must be one of"):
        bp.losses.mean_squared_error(p, t, reduction="max")
    with pytest.raises(ValueError, match=r"targets must be classes of shape \(6,\)"):
        bp.losses.cross_entropy_loss(logits, classes[:3])


def test_bptt_takes_adams_first_step_on_the_analytic_gradient():
    """BPTT of a ``bp.dnn.Dense`` over 5 time steps with the mean squared error: the loss
    and Adam's first step ``-lr g / (|g| + eps)`` follow from the analytic gradient
    ``dL/dW = 2 / N * sum_{b,t} x^T (x W + b - y)`` (NumPy)."""
    if "jax" not in brainx.available_backends():
        pytest.skip("gradients need the jax backend")
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    rng = np.random.default_rng(6)
    xs = rng.normal(size=(4, 5, 3)).astype(np.float32)  # (batch, time, features)
    ys = rng.normal(size=(4, 5, 2)).astype(np.float32)
    with brainx.use_backend("jax"), bm.environment(mode=bm.TrainingMode(4)):
        model = bp.dnn.Dense(3, 2)
        W0 = np.asarray(model.W).copy()  # noqa: N806
        b0 = np.asarray(model.b).copy()
        trainer = bp.BPTT(model, bp.losses.mean_squared_error, bp.optim.Adam(lr=0.01))
        trainer.fit((xs, ys), num_epoch=1)
        error = xs @ W0 + b0 - ys
        n = error.size
        g_W = 2.0 / n * np.einsum("btk,btj->kj", xs, error)  # noqa: N806
        g_b = 2.0 / n * error.sum(axis=(0, 1))
        assert np.isclose(trainer.train_losses[0], (error ** 2).mean(), rtol=1e-5)
        np.testing.assert_allclose(np.asarray(model.W) - W0, -0.01 * g_W / (np.abs(g_W) + 1e-8),
                                   rtol=1e-4, atol=1e-7)
        np.testing.assert_allclose(np.asarray(model.b) - b0, -0.01 * g_b / (np.abs(g_b) + 1e-8),
                                   rtol=1e-4, atol=1e-7)
        assert trainer.predict(xs).shape == (4, 5, 2)
    with pytest.raises(ValueError, match=r"loss_fun 'no_such_loss' is not one of bp\.losses"):
        bp.BPTT(model, "no_such_loss")


#: BrainPy 2.8.2's arrival of one spike (at step 10, dt 0.1 ms) through each projection
#: type and delay, and the first current it gives (tests/unit/brainpy2/delays.py, run on
#: BrainPy with its imports changed back, printed these).
BRAINPY_ARRIVALS = {
    "postMg": [(None, 11, 0.9802), (0.1, 11, 0.9802), (0.2, 11, 0.9802), (0.5, 14, 0.9802)],
    "post": [(None, 11, 1.0), (0.1, 11, 1.0), (0.2, 11, 1.0), (0.5, 14, 1.0)],
    "preDS": [(None, 11, 1.0), (0.1, 12, 1.0), (0.2, 12, 1.0), (0.5, 15, 1.0)],
    "preSD": [(None, 11, 1.0), (0.1, 11, 1.0), (0.2, 11, 1.0), (0.5, 14, 1.0)],
    "old": [(None, 11, 1.0), (1, 11, 1.0), (2, 11, 1.0), (5, 14, 1.0)],
}


@pytest.mark.parametrize("kind", sorted(BRAINPY_ARRIVALS))
def test_a_delayed_spike_arrives_when_it_does_in_brainpy(kind, backend, monkeypatch):
    sys.path.insert(0, str(PROGRAMS))
    import delays

    for delay, step, current in BRAINPY_ARRIVALS[kind]:
        got_step, got_current = delays.first_arrival(kind, delay)
        assert (got_step, round(got_current, 4)) == (step, current), (kind, delay)
