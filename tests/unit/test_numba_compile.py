"""The numba backend's compiled path against its eager path and hand-derived values."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import brainx
import brainx.math as bm

pytest.importorskip("numba")


@pytest.fixture(autouse=True)
def _numba():
    with brainx.use_backend("numba"):
        yield


def _both(fn):
    """``fn()`` run eagerly (jit off) and compiled (jit on), each in a fresh environment."""
    out = {}
    for jit in (False, True):
        with brainx.environ.context(jit=jit), warnings.catch_warnings():
            warnings.simplefilter("error", brainx.compile.EagerFallbackWarning)
            out[jit] = fn()
    return out[False], out[True]


def test_jit_compiles_and_writes_states_back():
    def run():
        s = brainx.State(np.arange(4.0, dtype=np.float32))
        calls = []

        @brainx.compile.jit
        def f(x):
            calls.append(1)
            s.value = bm.where(s.value > 1.5, s.value * x, -s.value) + 0.25
            return bm.exp(s.value)

        results = [np.asarray(f(2.0)) for _ in range(3)]
        return s.value, results, len(calls)

    (v_e, r_e, calls_e), (v_c, r_c, calls_c) = _both(run)
    # by hand: [0, 1, 2, 3] -> [0.25, -0.75, 4.25, 6.25] -> [0.25, -0.75, 8.75, 12.75] -> ...
    np.testing.assert_array_equal(v_e, np.array([0.25, -0.75, 17.75, 25.75], np.float32))
    np.testing.assert_array_equal(v_c, v_e)
    for a, b in zip(r_e, r_c, strict=True):
        assert a.dtype == b.dtype == np.float32
        np.testing.assert_array_equal(a, b)
    assert calls_e == 3 and calls_c == 1  # compiled: traced once, then native calls


def test_python_numbers_keep_numpys_weak_promotion():
    def run():
        s = brainx.State(bm.zeros(3, dtype=bm.float32))
        counter = brainx.State(bm.zeros((), dtype=bm.int32))

        @brainx.compile.jit
        def f(x, n):
            s.value = s.value + x * 0.1  # float32 stays float32 with Python floats
            counter.value = counter.value + n
            return s.value

        for _ in range(3):
            f(1.0, 2)
        return s.value, counter.value

    (s_e, c_e), (s_c, c_c) = _both(run)
    assert s_c.dtype == np.float32 and np.asarray(c_c).dtype == np.int32
    np.testing.assert_array_equal(s_c, s_e)
    assert int(c_c) == int(c_e) == 6


def test_runner_compiled_equals_eager_for_lif():
    def run():
        neurons = brainx.nn.LIF(50, V_rest=-65.0, V_th=-50.0, V_reset=-65.0, tau=10.0)
        brainx.nn.init_all_states(neurons)
        runner = brainx.Runner(neurons, monitors={"V": neurons.V, "spike": neurons.spike},
                               chunk_steps=70)
        return runner.run(20.0, 20.0)

    eager, compiled = _both(run)
    assert eager["spike"].sum() > 0
    for name in ("ts", "V", "spike"):
        np.testing.assert_array_equal(compiled[name], eager[name])


def test_while_loop_and_scan_become_native_loops():
    def run():
        total = brainx.State(np.zeros((), np.float64))

        @brainx.compile.jit
        def f(xs):
            def body(carry, x):
                total.value = total.value + x
                return carry * 2, total.value

            carry, partial = brainx.compile.scan(body, np.int32(1), xs)
            count = brainx.compile.while_loop(lambda c: c < 100, lambda c: c * 3, 1)
            return carry, partial, count

        return f(np.arange(1.0, 6.0)), total.value

    (out_e, total_e), (out_c, total_c) = _both(run)
    assert int(out_c[0]) == 32 and int(out_c[2]) == 243  # 2**5; 1, 3, ..., 243
    np.testing.assert_array_equal(out_c[1], [1.0, 3.0, 6.0, 10.0, 15.0])
    np.testing.assert_array_equal(out_c[1], out_e[1])
    assert float(total_c) == float(total_e) == 15.0


def test_an_unsupported_construct_runs_eagerly_with_one_warning():
    s = brainx.State(np.zeros(3))

    @brainx.compile.jit
    def f(x):
        if bm.any(x > 0):  # a Python branch on an array value
            s.value = s.value + x
        return s.value

    with brainx.environ.context(jit=True), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(np.ones(3))
        f(np.ones(3))
        f(np.ones(4)[:3])
    fallbacks = [w for w in caught if issubclass(w.category, brainx.compile.EagerFallbackWarning)]
    assert len(fallbacks) == 1  # one warning, not one per call or signature
    message = str(fallbacks[0].message)
    assert "Python `if`" in message and f"{__file__}:" in message
    np.testing.assert_array_equal(s.value, [3.0, 3.0, 3.0])  # it ran, eagerly


def test_a_float_reduction_falls_back_rather_than_change_the_sum_order():
    s = brainx.State(np.zeros((), np.float32))
    x = np.full(1000, 0.1, np.float32)

    @brainx.compile.jit
    def f(x):
        s.value = bm.sum(x)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(x)
    assert any("np.sum of floating-point arrays" in str(w.message) for w in caught)
    assert s.value == np.sum(x)  # NumPy's pairwise sum, as eager computes it


def test_jit_switch_and_its_errors():
    neurons = brainx.nn.LIF(3)
    with pytest.raises(ValueError, match="jit must be True, False or None"):
        brainx.Runner(neurons, jit="yes")
    with pytest.raises(ValueError, match="jit must be True"):
        brainx.environ.set(jit=3)
    env = dict(os.environ, BRAINX_JIT="0", BRAINX_BACKEND="numba")
    code = "import brainx; print(brainx.environ.get('jit'), brainx.get_backend().compiles)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_the_generated_source_is_cached_by_its_hash(tmp_path):
    code = """
import numpy as np, brainx
brainx.set_backend('numba')
s = brainx.State(np.zeros(8))
@brainx.compile.jit
def f(x):
    s.value = s.value * 0.5 + x
f(np.ones(8)); f(np.ones(8)); print(s.value[0])
"""
    env = dict(os.environ, BRAINX_CACHE_DIR=str(tmp_path))

    def run() -> dict:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env)
        assert out.returncode == 0 and float(out.stdout) == 1.5, out.stderr  # 0 -> 1 -> 1.5
        return {p.name: p.stat().st_mtime_ns for p in tmp_path.rglob("*")
                if p.is_file() and not p.name.startswith(".")}  # not the writability probe

    first = run()
    assert len([name for name in first if name.endswith(".py")]) == 1  # one program source
    assert any(name.endswith(".nbc") for name in first)  # numba's machine code beside it
    assert run() == first  # a new process writes nothing: it loads source and machine code


def _program_sources(folder) -> list[str]:
    """The final source of each program (``p<hash>_<casts>.py``: the most casts)."""
    final: dict[str, tuple[int, str]] = {}
    for path in folder.glob("p*_*.py"):
        digest, _, casts = path.stem.rpartition("_")
        if int(casts) >= final.get(digest, (-1, ""))[0]:
            final[digest] = (int(casts), path.read_text())
    return [text for _, text in final.values()]


def test_element_wise_lines_fuse_into_one_loop_across_event_kernels(tmp_path, monkeypatch):
    from brainx.examples.coba import COBANetwork

    monkeypatch.setenv("BRAINX_CACHE_DIR", str(tmp_path))

    def run():
        net = COBANetwork(400, seed=3)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike, "V": net.N.V})
        return runner.run(30.0)

    eager, compiled = _both(run)
    assert eager["spike"].sum() > 0
    for name in ("spike", "V"):
        np.testing.assert_array_equal(compiled[name], eager[name])
    (text,) = _program_sources(tmp_path)
    # both projections' kernels run first; their weights, both conductances and the LIF
    # step are then one loop over the 400 neurons
    assert text.count("k_scatter_rows(") == 2
    assert text.count("for i_") == 1
    assert "*=" not in text


def _counts(x):
    """Spike-count-like reductions of values an element-wise run computes."""
    above = x > 0.5
    big = (x * 4.0).astype(np.uint64) * np.uint64(2**62) + np.uint64(3)  # wraps past 2**64
    spikes = bm.sum(above)
    return (spikes, bm.count_nonzero(x * 2.0 - 1.0), bm.sum(big),
            bm.sum((x * 10.0).astype(np.int32)), x + spikes)  # the last waits for the count


def test_integer_counts_join_the_loop_that_computes_their_values(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINX_CACHE_DIR", str(tmp_path))
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])

    def run():
        with brainx.environ.context(precision=64):
            return [np.asarray(v) for v in brainx.compile.jit(_counts)(x)]

    eager, compiled = _both(run)
    # by hand: 2 values above 0.5; 4 of 2x-1 are nonzero; (0+1+2+3+4) * 2**62 + 5 * 3 is
    # 2**63 + 15 modulo 2**64; 0 + 2 + 5 + 7 + 10
    assert [int(v) for v in eager[:4]] == [2, 4, 2**63 + 15, 24]
    np.testing.assert_array_equal(eager[4], x + 2)
    for got, want in zip(compiled, eager, strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    (text,) = _program_sources(tmp_path)
    # one loop over x computes and counts, storing none of the counted arrays; x + spikes
    # comes after the count
    assert text.count("for i_") == 1 and text.count(" += ") == 4
    assert "np.empty" not in text and "np.sum" not in text and "count_nonzero" not in text
    lines = text.splitlines()
    counted = max(i for i, line in enumerate(lines) if " = r_v" in line)
    assert counted < next(i for i, line in enumerate(lines) if "(a0 + " in line)


def test_a_write_into_a_view_is_not_moved_past_the_lines_reading_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINX_CACHE_DIR", str(tmp_path))

    def run():
        @brainx.compile.jit
        def f(x):
            buffer = x + 0.0
            view = buffer[1:3]
            doubled = view * 2.0           # reads view before the write
            buffer[1] = 7.0                # writes into view's memory
            return doubled + view * 1.0    # reads it after

        return np.asarray(f(np.arange(4.0)))

    eager, compiled = _both(run)
    np.testing.assert_array_equal(eager, [2.0 + 7.0, 4.0 + 2.0])  # by hand
    np.testing.assert_array_equal(compiled, eager)
    (text,) = _program_sources(tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    write = next(i for i, line in enumerate(lines) if line.endswith("= np.float64(7.0)"))
    doubling = next(i for i, line in enumerate(lines) if "* np.float64(2.0)" in line)
    assert doubling < write  # the doubling still runs before the write


def test_recording_does_not_write_into_a_states_array():
    def run():
        s = brainx.State(np.zeros(3))

        @brainx.compile.jit
        def f(x):
            v = s.value
            v[1] += x        # in place, on the State's array when eager
            s.value = v

        f(2.0)
        return s.value

    eager, compiled = _both(run)
    np.testing.assert_array_equal(eager, [0.0, 2.0, 0.0])  # once, not once per recording
    np.testing.assert_array_equal(compiled, eager)
