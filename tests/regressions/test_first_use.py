"""Regressions of P10: what a first-time user meets. ``brainx verify coba`` was refused,
``brainx info`` listed gpu and tpu on a CPU-only machine, ``brainx run lif --plot`` had
no raster to plot, the finished progress bar was drawn twice (and, in a compiled loop,
filled while tracing on jax and made numba run eagerly), and a custom Dynamics whose
``__init__`` forgot ``super().__init__(size)`` failed later with a bare AttributeError, and a
float32 State times a float64 NumPy scalar worked on jax but failed on numba."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from conftest import both_backends

import brainx
import brainx.math as bm
from brainx.cli import main


def test_verify_accepts_a_built_in_model_name(capsys):
    both_backends()
    assert main(["verify", "coba", "--size", "200", "--steps", "20"]) == 0
    out = capsys.readouterr().out
    assert "lockstep comparison of jax and numba, 20 steps" in out
    assert "N.V" in out and "N.spike" in out and "AGREE" in out


def test_verify_refuses_an_unknown_name_listing_the_built_in_ones(capsys):
    assert main(["verify", "cobx"]) == 2
    err = capsys.readouterr().err
    assert "unknown model 'cobx'" in err
    assert "coba, cobahh, cuba, lif" in err and "path/to/file.py:factory" in err


def test_info_lists_only_the_device_platforms_present(capsys):
    assert main(["info"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()
             if "capabilities=" in line}
    assert set(lines) == set(brainx.available_backends())
    for name, line in lines.items():
        platforms = {d.split(":")[0] for d in re.search(r"devices=(\S+)", line)[1].split(",")}
        listed = set(re.search(r"capabilities=(\S+)", line)[1].split(","))
        supported = set(brainx.get_backend(name).capabilities)
        for platform in ("gpu", "tpu"):  # printed exactly when supported and present
            assert (platform in listed) == (platform in supported and platform in platforms)
        assert listed - {"gpu", "tpu"} == supported - {"gpu", "tpu"}


def test_usable_capabilities_keep_a_platform_with_a_device(backend):
    class OnTwoGPUs(type(backend)):
        def devices(self):
            return ["gpu:0", "gpu:1"]

    on_gpus = OnTwoGPUs()
    usable = on_gpus.usable_capabilities()
    assert "tpu" not in usable
    assert ("gpu" in usable) == ("gpu" in backend.capabilities)
    assert usable | {"tpu"} >= backend.capabilities
    assert on_gpus.capabilities == backend.capabilities  # what require() reads is unchanged


def test_run_lif_plot_saves_its_raster(backend, tmp_path, capsys):
    from matplotlib.image import imread

    path = tmp_path / "lif.png"
    assert main(["run", "lif", "--backend", backend.name, "--size", "50", "--duration", "20",
                 "--plot", str(path)]) == 0
    assert f"raster saved to {path}" in capsys.readouterr().out
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image.std() > 0  # not a blank canvas


def test_lif_raster_is_the_step_by_step_spikes(backend):
    from brainx.examples.lif import LIFPopulation, simulate

    result = simulate(size=50, duration=20.0, seed=4)
    population = LIFPopulation(50, seed=4)
    reference = []
    for _ in range(200):  # the population stepped by hand, no loop or jit
        population.update()
        reference.append(np.asarray(population.spike.value))
    assert result.spikes.shape == (200, 50) and result.spikes.dtype == bool
    np.testing.assert_array_equal(result.spikes, np.stack(reference))
    np.testing.assert_array_equal(result.spike_counts, np.stack(reference).sum(axis=1))


def test_verify_cobahh_holds_it_to_its_own_bound_and_says_why(capsys):
    """``brainx verify cobahh`` failed at the default 4 ULP (HH's exp terms); it now uses
    the model's bound, prints it with its reason, and a bound given on the command line
    still wins."""
    both_backends()
    assert main(["verify", "cobahh", "--size", "200", "--steps", "30"]) == 0
    out = capsys.readouterr().out
    assert "cobahh's bound: 2048 ULP or 4.55e-11" in out and "because each step" in out
    assert "AGREE" in out
    assert main(["verify", "cobahh", "--size", "200", "--steps", "30", "--ulps", "4"]) == 1
    out = capsys.readouterr().out
    assert "cobahh's bound" not in out and "EXCEEDS BOUND" in out


def test_for_loop_progress_bar_draws_the_finished_bar_once(backend):
    out = io.StringIO()
    bar = brainx.compile.ProgressBar(freq=5, file=out, mininterval=0, ascii=True)
    ys = brainx.compile.for_loop(lambda i: i * 2, bm.arange(20), progress_bar=bar)
    assert np.asarray(ys).tolist() == list(range(0, 40, 2))
    assert out.getvalue().count("20/20") == 1, out.getvalue()


def test_a_progress_bar_in_a_jitted_loop_is_drawn_by_every_run_of_the_program():
    """On jax the bar was filled while tracing, so the run itself (and every later call of
    the compiled program) showed nothing; now the program opens and fills it as it runs."""
    both_backends()
    with brainx.use_backend("jax"):
        state = brainx.State(bm.zeros(2))
        out = io.StringIO()
        bar = brainx.compile.ProgressBar(freq=7, file=out, mininterval=0, ascii=True)

        def step(i):
            state.value = state.value + 1.0
            return state.value

        run = brainx.compile.jit(lambda: brainx.compile.for_loop(step, bm.arange(50),
                                                                 progress_bar=bar))
        for call in (1, 2):
            run()
            assert out.getvalue().count("50/50") == call, out.getvalue()
            assert out.getvalue().count("0/50") >= call  # opened at the run's start
        assert np.asarray(state.value).tolist() == [100.0, 100.0]


def test_a_progress_bar_in_a_jitted_loop_on_numba_warns_instead_of_running_eagerly():
    """The compiled numba program cannot call back into Python: the loop stays compiled and
    a warning says where a bar is drawn (the message was a misleading "Python if")."""
    with brainx.use_backend("numba"), brainx.environ.context(jit=True):
        state = brainx.State(bm.zeros(2))

        def step(i):
            state.value = state.value + 1.0
            return state.value

        run = brainx.compile.jit(lambda: brainx.compile.for_loop(step, bm.arange(30),
                                                                 progress_bar=True))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run()
        messages = [str(w.message) for w in caught]
        assert any("progress bar inside compile.jit is not drawn" in m for m in messages)
        assert not [w for w in caught if issubclass(w.category,
                                                    brainx.compile.EagerFallbackWarning)]
        assert np.asarray(state.value).tolist() == [30.0, 30.0]


def _run_with_progress(model: str, size: int) -> subprocess.CompletedProcess:
    """``brainx run MODEL --progress`` for 50 ms on numba; TQDM_MININTERVAL=0 draws at every
    update, as a run slower than tqdm's 0.1 s does."""
    done = subprocess.run(
        [sys.executable, "-m", "brainx", "run", model, "--backend", "numba", "--size",
         str(size), "--duration", "50", "--progress"], capture_output=True, text=True,
        timeout=600, env={**os.environ, "TQDM_MININTERVAL": "0"})
    assert done.returncode == 0, done.stderr
    return done


def test_brainx_run_lif_progress_on_numba_draws_one_bar_per_run():
    done = _run_with_progress("lif", 100)
    assert done.stderr.count("500/500") == 2, done.stderr  # the warm-up and the timed run
    assert "EagerFallbackWarning" not in done.stderr and "Warning" not in done.stderr


def test_brainx_run_progress_draws_the_finished_bar_once():
    done = _run_with_progress("coba", 200)
    assert "COBA backend=numba neurons=200 duration=50 ms" in done.stdout
    assert done.stderr.count("500/500") == 1, done.stderr


class _Forgetful(brainx.nn.Dynamics):
    def __init__(self, size):
        self.V = brainx.ShortTermState(bm.zeros(size))  # super().__init__(size) forgotten

    def update(self, x):
        self.V.value = self.V.value + x
        return self.V.value


class _ForgetfulNeuron(brainx.nn.Neuron):
    def __init__(self, size):
        self.n = size

    def update(self, x):
        return self.spk_fun(x)


def test_dynamics_without_super_init_names_the_missing_call(backend):
    message = r"_Forgetful.__init__ must call super\(\).__init__\(size\) first"
    with pytest.raises(AttributeError, match=message + r" \(brainx.nn.Dynamics.__init__"):
        _Forgetful(3)(1.0)
    with pytest.raises(AttributeError, match="'varshape': " + message):
        _ = _Forgetful(3).varshape
    with pytest.raises(AttributeError, match="'spk_fun': _ForgetfulNeuron.__init__ must call "
                                             r"super\(\).__init__\(size\) first"):
        _ForgetfulNeuron(3).update(1.0)
    model = _Forgetful(3)
    assert not hasattr(model, "size")  # still an AttributeError for hasattr and getattr
    assert getattr(model, "num", "none") == "none"
    with pytest.raises(AttributeError) as other:  # other attributes: Python's own message
        _ = model.nosuch
    assert str(other.value) == "'_Forgetful' object has no attribute 'nosuch'"


def test_dynamics_group_needs_no_size(backend):
    class Net(brainx.nn.DynamicsGroup):
        def __init__(self):
            super().__init__()
            self.N = brainx.nn.LIF(4, V_rest=0.0, V_th=10.0, V_reset=0.0, tau=10.0)

        def update(self, x):
            return self.N(x)

    net = Net()
    out = brainx.Runner(net, monitors={"spike": net.N.spike}).run(10.0, 30.0)
    # dV/dt = (30 - V) / 10 from 0 reaches 10 after 10 ln(1.5) = 4.05 ms: step 40
    assert out["spike"].shape == (100, 4)
    assert np.flatnonzero(out["spike"][:, 0])[0] == 40
    assert net.size is None and net.num is None
    with pytest.raises(ValueError, match="Net has no size, so its States have no shape"):
        net.state_shape()
    with pytest.raises(ValueError, match="post must be a population with a size, got Net"):
        brainx.nn.DeltaProj(brainx.event.FixedProb(4, 4, 0.5, 1.0, seed=1), post=net)

    class Forgot(brainx.nn.DynamicsGroup):
        def __init__(self):
            self.N = brainx.nn.LIF(4)

    with pytest.raises(AttributeError, match=r"Forgot.__init__ must call super\(\).__init__\(\) "):
        Forgot()(1.0)


def _decay_step(g, x):
    # the custom synapse: a NumPy float64 factor times a float32 State
    g.value = g.value * np.exp(-0.1 / 5.0) + x


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "compiled"])
def test_numpy_scalars_combine_with_a_float32_state_alike_on_both_backends(jit):
    """At precision 32 ``g * np.exp(-dt / tau) + x`` stays float32 on every backend (jax
    narrows the float64 scalar; NumPy's float64 result is narrowed when written), and the
    values agree within one ULP of a float32 reference computed by hand."""
    both_backends()
    x = np.linspace(-1.0, 1.0, 7).astype(np.float32)
    results = {}
    for backend in ("jax", "numba"):
        with brainx.use_backend(backend), brainx.environ.context(precision=32, jit=jit), \
                warnings.catch_warnings():
            warnings.simplefilter("error", brainx.compile.EagerFallbackWarning)
            g = brainx.State(bm.zeros(7, dtype=bm.float32), name="g")
            step = brainx.compile.jit(lambda g=g: _decay_step(g, bm.asarray(x)))
            for _ in range(20):
                step()
            assert g.value.dtype == np.float32, backend
            results[backend] = np.asarray(g.value)
    expected = np.zeros(7, np.float32)
    for _ in range(20):
        expected = expected * np.float32(np.exp(-0.1 / 5.0)) + x
    for got in results.values():
        assert got.dtype == np.float32
        np.testing.assert_array_max_ulp(got, expected, maxulp=2, dtype=np.float32)


@pytest.mark.parametrize("backend", ["jax", "numba"])
def test_a_float64_numpy_scalar_at_precision_64_names_the_state(backend):
    """At precision 64 both backends promote (jax's NumPy scalars are strong): the error
    names the State and says how to keep float32."""
    both_backends()
    with brainx.use_backend(backend), brainx.environ.context(precision=64):
        g = brainx.State(bm.zeros(3, dtype=bm.float32), name="g")
        with pytest.raises(brainx.StateMismatchError,
                           match=r"State 'g': dtype changed from float32 to float64 \(a "
                                 r"float64 NumPy scalar such as np.exp\(-dt / tau\)"):
            _decay_step(g, 1.0)
        g.value = g.value * math.exp(-0.1 / 5.0) + 1.0  # a Python float is weak on both
        assert g.value.dtype == np.float32


@pytest.mark.parametrize("backend", ["jax", "numba"])
def test_narrowing_at_precision_32_keeps_shape_and_kind_checks(backend):
    both_backends()
    with brainx.use_backend(backend), brainx.environ.context(precision=32):
        g = brainx.State({"a": bm.zeros(3, dtype=bm.float32), "n": bm.zeros(3, dtype=bm.int32)})
        g.value = {"a": np.ones(3), "n": np.arange(3, dtype=np.int64)}  # 64-bit NumPy
        assert g.value["a"].dtype == np.float32 and g.value["n"].dtype == np.int32
        with pytest.raises(brainx.StateMismatchError, match=r"shape changed from \(3,\) to"):
            g.value = {"a": np.ones(4), "n": np.arange(3)}
        with pytest.raises(brainx.StateMismatchError, match="dtype changed from int32 to "
                                                            "float64"):
            g.value = {"a": np.ones(3), "n": np.ones(3)}


def test_hh_rates_at_the_removable_singularities_are_their_limits(backend):
    """alpha_m at -40 mV and alpha_n at -55 mV were 0 / 0 = NaN, so an HH population
    started at -40 mV was NaN from its first step; the limits are 0.1 * 10 and 0.01 * 10."""
    with brainx.environ.context(precision=64):
        V = bm.asarray([-40.0, -55.0, -40.0 + 1e-6, -55.0 - 1e-6])  # noqa: N806
        alpha_m, _, _, _, alpha_n, _ = (np.asarray(r) for r in brainx.nn.HH.rates(V))
        x = np.asarray(V) + np.array([40.0, 55.0, 40.0, 55.0])
        with np.errstate(invalid="ignore"):
            near = x / (1.0 - np.exp(-x / 10.0))  # NumPy, away from the singular point
        np.testing.assert_allclose(alpha_m[[0, 2]], [1.0, 0.1 * near[2]], rtol=1e-6)
        np.testing.assert_allclose(alpha_n[[1, 3]], [0.1, 0.01 * near[3]], rtol=1e-6)
        neurons = brainx.nn.init_all_states(brainx.nn.HH(3, V_initializer=-40.0))
        for _ in range(5):
            neurons(0.0)
        assert np.isfinite(np.asarray(neurons.V.value)).all()
