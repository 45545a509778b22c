"""BrainPy 1.x programs on brainx: the tutorial of shared/reference/002 with its imports changed.

The tutorial codes one COBA network (LIF neurons, exponential conductances) with seven
synapse classes that differ only in how they walk the connectivity (``conn_mat``,
``pre_ids``, ``pre2syn``, ``pre2post``, ``post_slice``, ``pre_slice``), plus its
vectorised jax version. The references here are independent of the translation under
test: the same program stepped eagerly in Python, the seven codings against each other,
and a dense NumPy simulation written here from the tutorial's equations.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import brainx

pytest.importorskip("numba")
sys.path.insert(0, str(Path(__file__).parent / "brainpy1"))

LOOP_STYLE = ["SynMat1", "SynMat2", "SynVec1", "SynVec2", "SynVec3", "SynVec4", "SynVec5"]
# each coding compiles for 5-8 s on a cold cache: two in the default run (the best loop
# coding, reused by the tests below, and the vectorised one), all with -m slow
DEFAULT = {"SynVec5", "SynVecJax"}


@pytest.fixture
def tutorial():
    with brainx.use_backend("numba"), brainx.environ.context(precision=64):
        module = importlib.import_module("coba_tutorial")
        module.num, module.num_exc, module.num_inh = 200, 150, 50
        yield module
    brainx.set_backend(None)


def simulate(tutorial, synapse: str, jit: bool, duration: float = 10.0):
    brainx.random.seed(0)
    with brainx.environ.context(jit=jit), contextlib.redirect_stdout(io.StringIO()) as out, \
            warnings.catch_warnings():
        warnings.simplefilter("error", brainx.compile.EagerFallbackWarning)
        seconds, E, I = tutorial.run_net(tutorial.LIF, getattr(tutorial, synapse),
                                         duration=duration)
    return E.mon.spike, I.mon.spike, E.mon.ts, out.getvalue(), np.asarray(E.V.value)


@pytest.mark.parametrize("synapse", [
    name if name in DEFAULT else pytest.param(name, marks=pytest.mark.slow)
    for name in LOOP_STYLE + ["SynVecJax"]])
def test_translated_updates_equal_the_program_stepped_in_python(tutorial, synapse):
    compiled = simulate(tutorial, synapse, jit=True)
    eager = simulate(tutorial, synapse, jit=False)
    assert compiled[0].shape == (100, 150) and compiled[1].shape == (100, 50)
    assert compiled[0].sum() > 0
    for a, b in zip(compiled[:3], eager[:3], strict=True):
        np.testing.assert_array_equal(a, b)
    # the 1.x progress report: ten lines of "Run x% used y s."
    assert compiled[3].count("% used") == 10 and "Simulation is done in" in compiled[3]


@pytest.mark.slow
def test_the_seven_synapse_codings_give_one_raster(tutorial):
    rasters = {name: simulate(tutorial, name, jit=True)[:2] for name in LOOP_STYLE}
    first = rasters[LOOP_STYLE[0]]
    for name, raster in rasters.items():
        np.testing.assert_array_equal(raster[0], first[0], err_msg=name)
        np.testing.assert_array_equal(raster[1], first[1], err_msg=name)


@pytest.mark.parametrize("jit", [True, False])
def test_a_group_with_an_input_follows_a_numpy_simulation(tutorial, jit):
    """The tutorial's ``group.run(100., inputs=('input', 5.))``: by hand, the input is
    5 at the first step and 20 + 5 afterwards (the update resets it to I = 20, the
    run adds 5 before each update), and V follows Euler's step of the LIF equation."""
    import brainx.compat.brainpy.math as bm

    brainx.random.seed(1)
    group = tutorial.LIF(100, monitors=["spike", "V"])
    group.V[:] = bm.random.randn(100) * 5. + tutorial.Vr
    V = np.array(group.V.value)  # noqa: N806
    with contextlib.redirect_stdout(io.StringIO()), brainx.environ.context(jit=jit):
        group.run(30.0, inputs=("input", 5.), report=True)
    dt, t_last, current = 0.1, np.full(100, -1e7), np.zeros(100)
    Vs, spikes = [], []  # noqa: N806
    for k in range(300):
        t = k * dt
        current = current + 5.0
        active = (t - t_last) > tutorial.ref_time
        stepped = V + dt * ((current + tutorial.El - V) / tutorial.tau)
        fired = active & (stepped >= tutorial.Vt)
        V = np.where(fired, tutorial.Vr, np.where(active, stepped, V))  # noqa: N806
        t_last = np.where(fired, t, t_last)
        current = np.full(100, tutorial.I)
        Vs.append(V)
        spikes.append(fired)
    assert np.sum(spikes) > 50
    np.testing.assert_array_equal(group.mon.spike, np.array(spikes))
    np.testing.assert_array_equal(group.mon.V, np.array(Vs))
    np.testing.assert_allclose(group.mon.ts, np.arange(300) * dt, rtol=0, atol=1e-12)


@pytest.mark.parametrize("jit", [True, False])
def test_runs_continue_and_inputs_can_iterate(tutorial, jit):
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    class Echo(bp.NeuGroup):  # records the input the run gave it
        def __init__(self):
            super().__init__(3, monitors=["seen"])
            self.input = bm.Variable(bm.zeros(3))
            self.seen = bm.Variable(bm.zeros(3))

        def update(self, _t, _dt):
            for i in range(self.num):
                self.seen[i] = self.input[i]

    group = Echo()
    with brainx.environ.context(jit=jit):
        group.run(0.2, inputs=("input", np.array([1.0, 2.0]), "iter", "="))
        np.testing.assert_array_equal(group.mon.seen, np.full((2, 3), [[1.0], [2.0]]))
        group.run(0.2, inputs=("input", 10.0, "fix", "*"))  # continues from input = 2
    np.testing.assert_array_equal(group.mon.seen, np.full((2, 3), [[20.0], [200.0]]))
    np.testing.assert_allclose(group.mon.ts, [0.2, 0.3], rtol=0, atol=1e-12)


def test_unsupported_constructs_name_themselves(tutorial):
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    class Rebinds(bp.NeuGroup):
        def __init__(self):
            super().__init__(2, monitors=["V"])
            self.V = bm.Variable(bm.zeros(2))

        def update(self, _t, _dt):
            for i in range(self.num):
                self.V[i] += 1.0
            self.other = 1.0  # rebinding an attribute: not translated

    group = Rebinds()
    with pytest.warns(brainx.compile.EagerFallbackWarning, match=r"assigning self\.other"), \
            brainx.environ.context(jit=True):
        group.run(0.2)
    np.testing.assert_array_equal(group.mon.V, [[1.0, 1.0], [2.0, 2.0]])  # ran eagerly
    with pytest.raises(ValueError, match="inputs must be"):
        group.run(0.1, inputs=["input"])
    with pytest.raises(ValueError, match="'fix' or 'iter'"):
        group.run(0.1, inputs=("V", 1.0, "sometimes"))
    with pytest.raises(ValueError, match="has no attribute 'nope'"):
        group.run(0.1, inputs=("nope", 1.0))
    with pytest.raises(ValueError, match="method must be one of"):
        bp.odeint(lambda V, t: -V, method="rk45")
    with pytest.raises(ValueError, match="backend must be one of"):
        bm.use_backend("tensorflow")
    with pytest.raises(TypeError, match="pre must be a NeuGroup"):
        bp.TwoEndConn(pre=3, post=group)


def test_the_loop_style_program_runs_on_jax(tutorial):
    pytest.importorskip("jax")
    tutorial.num, tutorial.num_exc, tutorial.num_inh = 20, 15, 5  # eager jax: 1 ms per op
    with brainx.use_backend("numba"):
        numba_run = simulate(tutorial, "SynVec5", jit=True, duration=0.5)
    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        jax_run = simulate(tutorial, "SynVec5", jit=True, duration=0.5)
    for a, b in zip(numba_run[:3], jax_run[:3], strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(numba_run[4], jax_run[4])  # V after five Euler steps


def test_the_translated_tutorial_equals_the_hand_written_limit(tutorial):
    """benchmarks/legacy.py's hand-written @njit of the tutorial's network, raster for raster."""
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    legacy = importlib.import_module("legacy")
    with brainx.environ.context(jit=True):
        _, limit_e, limit_i = legacy.run_limit(20.0, seed=2)
        _, brainx_e, brainx_i = legacy.run_brainx("SynVec5", 20.0, seed=2)
    assert limit_e.sum() > 0
    np.testing.assert_array_equal(brainx_e, limit_e)
    np.testing.assert_array_equal(brainx_i, limit_i)


def test_unsupported_brainpy_names_say_what_to_use_instead():
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    with pytest.raises(AttributeError, match=r"bp\.channels \(BrainPy 2\.x\) is not supported.*"
                                             r"brainx\.nn\.HH"):
        bp.channels  # noqa: B018
    with pytest.raises(AttributeError, match=r"bp\.CondNeuGroup .*brainx\.nn\.HH"):
        bp.CondNeuGroup  # noqa: B018
    with pytest.raises(AttributeError, match=r"bm\.pmap .*brainx\.augment\.vmap"):
        bm.pmap  # noqa: B018
    with pytest.raises(AttributeError, match=r"has no 'no_such_name'"):
        bp.no_such_name  # noqa: B018
    with pytest.raises(AttributeError, match=r"brainx\.math lists"):
        bm.no_such_function  # noqa: B018


def test_syn2post_reductions_equal_a_loop_over_the_synapses(backend):
    import brainx.compat.brainpy.math as bm

    rng = np.random.default_rng(4)
    values = rng.normal(size=50).astype(np.float32)
    post_ids = rng.integers(0, 8, size=50)
    post_ids[post_ids == 5] = 6  # neuron 5 receives no synapse
    groups = [values[post_ids == j] for j in range(8)]
    expected = {
        "syn2post_sum": [g.sum() if len(g) else 0.0 for g in groups],
        "syn2post_mean": [g.mean() if len(g) else 0.0 for g in groups],
        "syn2post_max": [g.max() if len(g) else -np.inf for g in groups],
        "syn2post_min": [g.min() if len(g) else np.inf for g in groups],
    }
    for name, want in expected.items():
        got = np.asarray(getattr(bm, name)(values, post_ids, 8))
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=name)
