"""brainx.testing: ULP distances, lockstep and free-run reports, fake random numbers,
debug_step, the brainx verify command and the pytest plugin."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import both_backends

import brainx
import brainx.math as bm
from brainx.testing import (
    assert_backends_agree,
    compare_free,
    compare_lockstep,
    debug_step,
    fake_random,
    ulp_distance,
)


def test_ulp_distance_counts_representable_numbers():
    x = np.array([1.0, -3.5, 1e-300, 0.0])
    y = x.copy()
    for _ in range(5):
        y = np.nextafter(y, np.inf)
    assert ulp_distance(x, y).tolist() == [5.0] * 4
    tiny = np.nextafter(0.0, 1.0)                 # the smallest subnormal
    assert ulp_distance(np.array([-tiny]), np.array([tiny])).tolist() == [2.0]
    assert ulp_distance(np.array([0.0]), np.array([-0.0])).tolist() == [0.0]
    assert ulp_distance(np.array([np.nan, 1.0]), np.array([np.nan, np.nan])).tolist() == [
        0.0, np.inf]
    f32 = np.float32([1.0])
    assert ulp_distance(f32, np.nextafter(f32, np.float32(2))).tolist() == [1.0]
    assert ulp_distance(np.array([True, False]), np.array([True, True])).tolist() == [0.0, 1.0]
    with pytest.raises(TypeError, match="needs float16/32/64"):
        ulp_distance(np.array([1 + 1j]), np.array([1 + 1j]))


class Injected(brainx.nn.Dynamics):
    """Identical on every backend except that numba adds ``delta`` to x[3] at step 5 and
    fires neuron 2 at step 7."""

    def __init__(self, delta: float = 1e-9):
        super().__init__(6)
        self.delta = delta
        self.x = brainx.ShortTermState(bm.linspace(0.0, 1.0, 6, dtype=brainx.environ.dftype()),
                                       name="x")
        self.spike = brainx.ShortTermState(bm.zeros(6, dtype=bool), name="spike")

    def update(self) -> None:
        i = brainx.environ.get("i")
        x = self.x.value * 0.5 + 1.0
        spike = x > 100.0
        if brainx.get_backend().name == "numba" and int(i) == 5:
            x = np.where(np.arange(6) == 3, x + self.delta, x)
        if brainx.get_backend().name == "numba" and int(i) == 7:
            spike = np.arange(6) == 2
        self.x.value = bm.asarray(x).astype(self.x.value.dtype)
        self.spike.value = spike


def test_lockstep_measures_one_step_differences_and_resynchronises():
    both_backends()
    report = compare_lockstep(Injected, steps=20, backends=("jax", "numba"))
    x, spike = report.states
    assert (x.name, x.first_step, x.first_index, x.steps_differing) == ("x", 5, (3,), 1)
    assert x.max_abs == pytest.approx(1e-9, rel=1e-6)
    assert x.worst_values[0] == 2.0 - 1.4 / 2 ** 6     # x[3] = 0.6, halfway to 2 each step
    assert (spike.first_step, spike.first_index, spike.first_values) == (7, (2,), (False, True))
    assert not report.agree
    assert report.first_divergence.name == "x"
    assert "DIVERGE: State 'x' first exceeds the bound at step 5, index [3]" in report.verdict()
    data = json.loads(report.to_json())
    assert data["agree"] is False and data["states"][0]["first_step"] == 5


def test_free_run_keeps_the_divergence_and_finds_the_first_differing_spike():
    both_backends()
    report = compare_free(Injected, steps=20, backends=("jax", "numba"))
    x, spike = report.states
    assert (x.first_step, x.first_index) == (5, (3,))
    assert x.steps_differing == 15          # not re-synchronised: it persists, halving
    assert not spike.identical and (spike.first_step, spike.first_index) == (7, (2,))
    assert "rasters differ" in report.table().lower()


def test_assert_backends_agree_raises_with_the_table_and_bounds_apply():
    both_backends()
    with pytest.raises(AssertionError, match=r"(?s)the backends disagree.*x .*EXCEEDS BOUND"):
        assert_backends_agree(lambda: Injected(1e-9), steps=6)
    # a difference below atol passes; spikes still have to be identical
    assert_backends_agree(lambda: Injected(1e-9), steps=6, atol=1e-8)
    with pytest.raises(AssertionError, match="RASTERS DIFFER"):
        assert_backends_agree(lambda: Injected(1e-9), steps=8, atol=1e-8)


@pytest.mark.parametrize("kwargs, message", [
    ({"steps": 0}, "steps must be a positive int, got 0"),
    ({"precision": 16}, "precision must be 32 or 64, got 16"),
    ({"ulps": -1}, "ulps must be a non-negative number, got -1"),
    ({"atol": "x"}, "atol must be a non-negative number, got 'x'"),
    ({"backends": ("jax", "jax")}, "needs two different backends"),
    ({"backends": ("jax", "torch")}, r"backends \['torch'\] are not installed"),
    ({"mode": "sideways"}, "mode must be one of"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        assert_backends_agree(lambda: brainx.nn.LIF(2), **kwargs)


def test_fake_random_is_exact_across_backends_and_keeps_the_moments():
    names = both_backends()
    draws = {}
    for name in names:
        with fake_random(), brainx.environ.context(precision=64), brainx.use_backend(name):
            rng = brainx.random.RandomState(3)
            draws[name] = [np.asarray(rng.normal(1.0, 2.0, 100000)),
                           np.asarray(rng.exponential(3.0, 100000)),
                           np.asarray(rng.poisson(40.0, 100000))]
    first, second = draws.values()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    normal, exponential, poisson = first
    assert abs(normal.mean() - 1.0) < 0.03 and abs(normal.std() - 2.0) < 0.03
    assert abs(exponential.mean() - 3.0) < 0.03
    assert abs(poisson.mean() - 40.0) < 0.1 and abs(poisson.var() - 40.0) < 1.5
    # Irwin-Hall stays within 6 standard deviations: a stand-in, not a normal
    assert np.abs(normal - 1.0).max() <= 12.0
    with brainx.use_backend(names[0]), brainx.environ.context(precision=64):
        real = np.asarray(brainx.random.RandomState(3).normal(1.0, 2.0, 100000))
    assert not np.array_equal(real, normal)


def test_debug_step_runs_update_eagerly_from_given_states():
    calls = []

    def debugger(fn, *args):
        calls.append((fn.__name__, args, brainx.get_backend().name, brainx.environ.get("t")))
        return fn(*args)

    model = debug_step(lambda: brainx.nn.LIF(3, V_th=20.0), {"V": np.array([1.0, 19.9, 5.0])},
                       step=4, t=0.4, args=(40.0,), debugger=debugger)
    assert calls == [("update", (40.0,), "numba", 0.4)]
    assert model.spike.value.tolist() == [False, True, False]


MODEL_FILE = '''
import numpy as np
import brainx

class Net(brainx.nn.DynamicsGroup):
    def __init__(self, size, wrong):
        super().__init__(1)
        self.N = brainx.nn.LIF(size, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0)
        self.wrong = wrong

    def update(self, current):
        self.N(current)
        if self.wrong and brainx.get_backend().name == "numba":
            self.N.V.value = self.N.V.value + 1e-6

def build(size=10):
    return Net(size, wrong=False)

def build_wrong(size=10):
    return Net(size, wrong=True)

def inputs(t, i):
    return 30.0
'''


def test_brainx_verify_reports_agreement_and_divergence(tmp_path, capsys, monkeypatch):
    both_backends()
    from brainx.cli import main

    path = tmp_path / "model.py"
    path.write_text(MODEL_FILE)
    assert main(["verify", f"{path}:build", "--steps", "50", "--inputs", "inputs"]) == 0
    out = capsys.readouterr().out
    assert "N.V" in out and "AGREE: all 2 States of jax and numba" in out
    report_path = tmp_path / "report.json"
    assert main(["verify", f"{path}:build_wrong", "--steps", "20", "--inputs", "inputs",
                 "--json", str(report_path), "--mode", "free"]) == 1
    out = capsys.readouterr().out
    assert "DIVERGE: State 'N.V' first exceeds the bound at step 0, index [0]" in out
    report = json.loads(report_path.read_text())
    assert report["agree"] is False and report["mode"] == "free"
    stepped = []
    monkeypatch.setattr("pdb.runcall", lambda fn, *args: stepped.append(args) or fn(*args))
    assert main(["verify", f"{path}:build_wrong", "--steps", "5", "--inputs", "inputs",
                 "--debug"]) == 1
    assert "re-running step 0 (t = 0 ms) on numba" in capsys.readouterr().out
    assert len(stepped) == 1 and float(np.asarray(stepped[0][0])) == 30.0
    assert main(["verify", f"{path}:nothing"]) == 2
    assert "defines no function 'nothing'" in capsys.readouterr().err


def test_pytest_plugin_runs_a_test_on_every_backend(tmp_path):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["brainx.testing.pytest_plugin"]\n')
    (tmp_path / "test_models.py").write_text(textwrap.dedent('''
        import pytest
        import brainx

        def test_with_fixture(brainx_backend):
            assert brainx.get_backend().name == brainx_backend.name

        @pytest.mark.every_backend
        def test_with_marker():
            neuron = brainx.nn.LIF(1)
            assert any(bool(neuron(30.0)[0]) for _ in range(300))

        @pytest.mark.every_backend("numba")
        def test_only_numba():
            assert brainx.get_backend().name == "numba"
    '''))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    n = len(brainx.available_backends())
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{2 * n + 1} passed" in done.stdout
