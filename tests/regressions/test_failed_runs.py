"""Regressions of P9's audit: runs that failed, met a NaN or were interrupted kept nothing,
and left the States at another step than ``runner.t`` / ``runner.i``."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import brainx
import brainx.math as bm

# jit_error_if inside a numba-compiled chunk runs that chunk eagerly (and says so)
pytestmark = pytest.mark.filterwarnings("ignore::brainx.compile.EagerFallbackWarning")


class Boom(Exception):
    """The user's own exception type."""


def _boom(i):
    raise Boom(f"boom at step {i}")


class Counter(brainx.nn.Module):
    """x counts the steps; step ``fail_at`` raises (through jit_error_if) while armed."""

    def __init__(self, fail_at=55):
        super().__init__()
        self.x = brainx.State(bm.zeros(3))
        self.armed = brainx.State(bm.asarray(True))
        self.fail_at = fail_at

    def update(self):
        i = brainx.environ.get("i")
        self.x.value = self.x.value + 1.0
        brainx.compile.jit_error_if((i == self.fail_at) & self.armed.value, _boom, i)


@pytest.mark.parametrize("jit", [True, False])
def test_error_inside_a_chunk_keeps_every_step_before_it(backend, jit):
    model = Counter()
    runner = brainx.Runner(model, monitors={"x": model.x}, jit=jit)  # one 10000-step chunk
    with pytest.raises(brainx.RunError, match=r"failed at step 55 .*55 of 100 steps ran") as info:
        runner.run(10.0)
    assert isinstance(info.value.__cause__, Boom)
    np.testing.assert_array_equal(info.value.results["x"][:, 0], np.arange(1, 56))
    assert runner.results["ts"].shape == (55,)


@pytest.mark.parametrize("jit", [True, False])
def test_failed_run_leaves_states_time_and_step_at_the_last_kept_step(backend, jit):
    model = Counter()
    runner = brainx.Runner(model, monitors={"x": model.x}, jit=jit)
    with pytest.raises(brainx.RunError):
        runner.run(10.0)
    # step 55 had added 1 to x before it raised: the run was rewound to after step 54
    np.testing.assert_array_equal(np.asarray(model.x.value), [55.0] * 3)
    assert runner.i == 55 and np.isclose(runner.t, 5.5)
    model.armed.value = bm.asarray(False)
    more = runner.run(1.0)
    assert np.isclose(more["ts"][0], 5.5)
    np.testing.assert_array_equal(more["x"][:, 0], np.arange(56, 66))


def test_plain_exception_in_an_eager_update_keeps_the_steps_before_it(backend):
    class Raising(brainx.nn.Module):
        def __init__(self):
            super().__init__()
            self.x = brainx.State(bm.zeros(2))

        def update(self):
            self.x.value = self.x.value + 1.0
            if brainx.environ.get("i") == 30:
                raise Boom("at 30")

    model = Raising()
    runner = brainx.Runner(model, monitors={"x": model.x}, jit=False)
    with pytest.raises(brainx.RunError) as info:
        runner.run(10.0)
    assert isinstance(info.value.__cause__, Boom)
    assert info.value.results["x"].shape == (30, 2) and runner.i == 30
    np.testing.assert_array_equal(np.asarray(model.x.value), [30.0, 30.0])


def test_jax_compiled_call_raises_the_users_own_exception_type():
    with brainx.use_backend("jax"):
        @brainx.compile.jit
        def checked(x):
            brainx.compile.jit_error_if(x > 0, _boom, 7)
            return x + 1

        with pytest.raises(Boom, match="boom at step 7") as info:
            checked(bm.ones(3))
    assert "CpuCallback" not in str(info.value)


class Accumulator(brainx.nn.Module):
    def __init__(self):
        super().__init__()
        self.V = brainx.State(bm.zeros(5))

    def update(self, current):
        self.V.value = self.V.value + current


@pytest.mark.parametrize("jit", [True, False])
def test_check_finite_names_the_state_step_and_index_of_a_nan(backend, jit):
    model = Accumulator()
    currents = np.zeros((100, 5), np.float32)
    currents[30, 3] = np.nan
    runner = brainx.Runner(model, monitors={"V": model.V}, inputs=currents, check_finite=True,
                           jit=jit)
    with pytest.raises(brainx.NonFiniteError, match=r"State 'V' became non-finite .* at step 30 "
                                                    r"\(t = 3 ms\), first at index \(3,\)") as info:
        runner.run(10.0)
    err = info.value
    assert (err.state, err.step, err.index) == ("V", 30, (3,))
    assert err.results["V"].shape == (31, 5) and np.isnan(err.results["V"][30, 3])
    assert runner.i == 31 and np.isnan(np.asarray(model.V.value)[3])


def test_without_check_finite_a_nan_runs_on(backend):
    model = Accumulator()
    currents = np.zeros((20, 5), np.float32)
    currents[3, 0] = np.nan
    out = brainx.Runner(model, monitors={"V": model.V}, inputs=currents).run(2.0)
    assert np.isnan(out["V"][-1, 0]) and out["V"].shape == (20, 5)


def test_check_finite_checks_the_states_a_model_writes_even_outside_a_graph(backend):
    V = brainx.State(bm.zeros(2), name="membrane")
    weights = brainx.ParamState(bm.ones(2))  # read, never written: not checked

    class Plain:  # not a brainx.nn Module: the State's own name is used
        def update(self, current):
            V.value = V.value + current * weights.value

    currents = np.zeros((10, 2), np.float32)
    currents[4, 1] = np.inf
    runner = brainx.Runner(Plain(), inputs=currents, check_finite=True)
    with pytest.raises(brainx.NonFiniteError, match=r"State 'membrane' became non-finite .* "
                                                    r"at step 4"):
        runner.run(1.0)
    assert [name for name, _ in runner._checked] == ["membrane"]
    with pytest.raises(TypeError, match="check_finite must be True or False, got 'yes'"):
        brainx.Runner(Plain(), check_finite="yes")


def _needs_main_thread():
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("SIGINT handlers are installed only in the main thread")


class Interrupting(brainx.nn.Module):
    """Sends itself Ctrl-C (``times`` signals) during step ``at``; x counts the steps."""

    def __init__(self, at, times=1):
        super().__init__()
        self.x = brainx.State(np.zeros(2))
        self.at, self.times = at, times

    def update(self):
        self.x.value = self.x.value + 1.0
        if brainx.environ.get("i") == self.at:
            for _ in range(self.times):
                signal.raise_signal(signal.SIGINT)


def test_ctrl_c_in_an_eager_run_keeps_every_completed_step(backend):
    _needs_main_thread()
    model = Interrupting(at=30)
    runner = brainx.Runner(model, monitors={"x": model.x}, jit=False)
    with pytest.raises(brainx.RunInterrupted, match=r"31 of 100 steps ran") as info:
        runner.run(10.0)
    assert isinstance(info.value, KeyboardInterrupt)
    assert info.value.results["x"].shape == (31, 2) and runner.results["ts"].shape == (31,)
    assert runner.i == 31 and np.asarray(model.x.value)[0] == 31.0


def test_ctrl_c_in_a_compiled_run_stops_at_the_end_of_the_chunk(backend):
    _needs_main_thread()
    neurons = brainx.nn.LIF(3)
    runner = brainx.Runner(neurons, monitors={"V": neurons.V}, chunk_steps=10)
    chunk, calls = runner._chunk, []

    def interrupted_in_the_second_chunk(*args):
        calls.append(1)
        out = chunk(*args)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)
        return out

    runner._chunk = interrupted_in_the_second_chunk
    with pytest.raises(brainx.RunInterrupted, match=r"20 of 50 steps ran"):
        runner.run(5.0, 1.0)
    assert runner.results["V"].shape == (20, 3) and runner.i == 20
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_second_ctrl_c_stops_at_once_and_rewinds_the_chunk(backend):
    _needs_main_thread()
    model = Interrupting(at=34, times=2)
    runner = brainx.Runner(model, monitors={"x": model.x}, jit=False, chunk_steps=10)
    with pytest.raises(brainx.RunInterrupted, match=r"30 of 100 steps ran"):
        runner.run(10.0)
    assert runner.results["x"].shape == (30, 2) and runner.i == 30
    assert np.asarray(model.x.value)[0] == 30.0


def test_brainx_run_interrupted_by_sigint_prints_the_rates_of_the_part_it_ran():
    command = [sys.executable, "-m", "brainx", "run", "coba", "--duration", "10000", "--progress"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr = bytearray()

    def read_stderr():
        while chunk := process.stderr.read1(4096):
            stderr.extend(chunk)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    start = time.monotonic()
    # the progress bar appears when the timed run starts (after the compiling warm-up)
    while b"running:" not in stderr and process.poll() is None and time.monotonic() - start < 300:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=300)
    reader.join(10)
    out = process.stdout.read().decode()
    assert code == 130, (out, stderr.decode()[-2000:])
    assert "rate E=" in out and "interrupted: the rates are of the first" in out
    ran = float(out.split(" duration=")[1].split(" ms")[0])
    assert 0 < ran < 10000
    assert b"brainx: interrupted" in stderr


def test_plot_into_a_missing_folder_fails_before_the_simulation(monkeypatch, capsys):
    from brainx import cli
    from brainx.examples import EXAMPLES

    def never(**kwargs):
        raise AssertionError("the simulation ran")

    monkeypatch.setitem(EXAMPLES, "coba", never)
    assert cli.main(["run", "coba", "--plot", "/nonexistent/dir/x.png"]) == 2
    assert "--plot: the folder '/nonexistent/dir' of '/nonexistent/dir/x.png' does not exist" \
        in capsys.readouterr().err
