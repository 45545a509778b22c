"""brainx.compile on every backend: the same semantics, States carried, errors alike."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import both_backends, skip_without

import brainx
import brainx.math as bm
from brainx.compile import cond, for_loop, jit, scan, switch, while_loop


def test_reference_example_for_loop_gives_11(backend):
    a = brainx.State(1.)

    def add(i):
        a.value += 1.

    for_loop(add, bm.arange(10))
    assert float(a.value) == 11.0


def _nested_example(print_fn=None):
    b = brainx.State(0.)

    def add(i):
        c = brainx.State(0.)

        def body(j):
            c.value += 1.
            return j + 1

        while_loop(lambda j: j <= i, body, 0.)
        b.value += c.value
        if print_fn is not None:
            print_fn(b.value, c.value)

    for_loop(add, bm.arange(10))
    return b


def test_reference_example_nested_loops_give_55(backend):
    assert float(_nested_example().value) == 55.0


def test_jax_debug_print_inside_loops(capfd):
    if "jax" not in brainx.available_backends():
        pytest.skip("jax missing")
    import jax

    with brainx.use_backend("jax"):
        _nested_example(lambda b, c: jax.debug.print("b = {b}, c = {c}", b=b, c=c))
    lines = [line for line in capfd.readouterr().out.splitlines() if line.startswith("b = ")]
    expected_b = np.cumsum(np.arange(1, 11))
    pairs = zip(expected_b, range(1, 11), strict=True)
    assert lines == [f"b = {float(b)}, c = {float(c)}" for b, c in pairs]


def test_numba_loop_bodies_see_real_arrays():
    if "numba" not in brainx.available_backends():
        pytest.skip("numba missing")
    seen = []
    with brainx.use_backend("numba"):
        v = brainx.State(bm.zeros(3))

        def step(x):
            v.value = v.value + x
            seen.append((type(x), type(v.value), v.value.copy()))

        for_loop(step, bm.ones((4, 3)))
    assert all(t is np.float32 or t is np.ndarray for t, _, _ in seen)
    assert all(t is np.ndarray for _, t, _ in seen)
    assert [float(val[0]) for _, _, val in seen] == [1.0, 2.0, 3.0, 4.0]


def test_for_loop_stacks_outputs_like_numpy(backend):
    xs = np.arange(12, dtype=np.float32).reshape(4, 3)
    out = for_loop(lambda row, k: {"sum": row.sum(), "scaled": row * k}, xs, bm.arange(4))
    np.testing.assert_allclose(np.asarray(out["sum"]), xs.sum(axis=1))
    np.testing.assert_allclose(np.asarray(out["scaled"]), xs * np.arange(4)[:, None])


def test_scan_forward_and_reverse_match_numpy(backend):
    xs = np.array([1, 2, 3, 4], dtype=np.int32)
    total, partial = scan(lambda c, x: (c + x, c + x), 0, xs)
    assert int(total) == 10 and np.asarray(partial).tolist() == np.cumsum(xs).tolist()
    total, partial = scan(lambda c, x: (c + x, c + x), 0, xs, reverse=True)
    assert np.asarray(partial).tolist() == np.cumsum(xs[::-1])[::-1].tolist()


def test_scan_with_length_only_and_states(backend):
    counter = brainx.State(bm.zeros((), dtype=bm.int32))

    def step(carry, _):
        counter.value = counter.value + 1
        return carry * 2, counter.value

    carry, ys = scan(step, 1, None, length=5)
    assert int(carry) == 32 and np.asarray(ys).tolist() == [1, 2, 3, 4, 5]
    assert int(counter.value) == 5


def test_local_states_stay_local(backend):
    outer = brainx.State(bm.zeros(2))
    created = []

    def step(x):
        tmp = brainx.State(bm.ones(2))
        created.append(tmp)
        tmp.value = tmp.value * x
        outer.value = outer.value + tmp.value

    for_loop(step, bm.arange(1., 4.))
    np.testing.assert_allclose(np.asarray(outer.value), [6.0, 6.0])


def test_cond_carries_states_written_in_one_branch(backend):
    s = brainx.State(bm.zeros(3))
    hits = brainx.State(0)

    def step(x):
        def up(v):
            hits.value += 1
            return v + 1.

        s.value = cond(x > 2, up, lambda v: v - 1., s.value)
        return s.value.sum()

    out = for_loop(step, bm.arange(5))
    np.testing.assert_allclose(np.asarray(out), [-3, -6, -9, -6, -3])
    assert int(hits.value) == 2


def test_switch_clips_and_carries(backend):
    log = brainx.State(bm.zeros(3))

    def mark(k):
        def f(v):
            log.value = bm.index_add(log.value, k, 1.0)
            return v * (k + 1)
        return f

    outs = for_loop(lambda i: switch(i, [mark(0), mark(1), mark(2)], 1.0), bm.arange(-1, 5))
    assert np.asarray(outs).tolist() == [1.0, 1.0, 2.0, 3.0, 3.0, 3.0]
    assert np.asarray(log.value).tolist() == [2.0, 1.0, 3.0]


def test_while_loop_reads_states_in_cond(backend):
    limit = brainx.State(bm.asarray(7))
    total = brainx.State(bm.asarray(0))

    def body(i):
        total.value = total.value + i
        return i + 1

    assert int(while_loop(lambda i: i < limit.value, body, 0)) == 7
    assert int(total.value) == sum(range(7))


def test_jit_carries_states_and_caches(backend):
    calls = []
    counter = brainx.State(bm.zeros((), dtype=bm.int32))

    @jit
    def tick(n):
        calls.append(1)
        counter.value = counter.value + n
        return counter.value * 2

    assert int(tick(3)) == 6 and int(tick(4)) == 14 and int(counter.value) == 7
    counter.value = bm.asarray(100, dtype=bm.int32)
    assert int(tick(1)) == 202  # the State is an input, not a baked constant
    if "jit" in backend.capabilities:
        assert len(calls) == 1  # one trace finds the States and is the compiled program
    else:
        assert len(calls) == 3  # eager: the Python function runs every call


def test_jit_static_arguments(backend):
    @jit(static_argnums=1)
    def power(x, n):
        out = x
        for _ in range(n - 1):
            out = out * x
        return out

    assert float(power(bm.asarray(2.0), 3)) == 8.0
    assert float(power(bm.asarray(2.0), 5)) == 32.0


def test_jit_inside_loop_and_loop_inside_jit(backend):
    acc = brainx.State(bm.zeros(()))

    @jit
    def inner(x):
        acc.value = acc.value + x

    @jit
    def run(xs):
        for_loop(inner, xs)
        return acc.value

    assert float(run(bm.arange(5.0))) == 10.0
    assert float(acc.value) == 10.0


def _ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in units in the last place between same-signed float64 arrays."""
    return np.abs(a.view(np.int64) - b.view(np.int64))


def test_same_trajectory_on_both_backends():
    draws, trajectories = {}, {}
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            v = brainx.State(bm.zeros(4))
            rng = brainx.random.RandomState(3)

            def step(t, v=v, rng=rng):
                u = rng.uniform(0.0, 1.0, 4)
                v.value = v.value * 0.9 + u + t
                return u, v.value

            u, traj = for_loop(step, bm.arange(50.0))
            draws[name], trajectories[name] = np.asarray(u), np.asarray(traj)
    first, second = both_backends()[:2]
    # exact lane: the random bits and the floats made from them
    np.testing.assert_array_equal(draws[first], draws[second])
    # ULP lane: XLA fuses v * 0.9 + u into one fused multiply-add, NumPy rounds twice
    assert _ulp_distance(trajectories[first], trajectories[second]).max() <= 4


def test_progress_bar_on_every_backend(backend, capsys):
    for_loop(lambda i: i, bm.arange(10), progress_bar=True)
    err = capsys.readouterr().err
    assert "10/10" in err and "100%" in err
    bar = brainx.compile.ProgressBar(freq=3, desc="simulating")
    scan(lambda c, x: (c, x), 0, bm.arange(7), progress_bar=bar)
    err = capsys.readouterr().err
    assert "simulating" in err and "7/7" in err


# ---- errors ---------------------------------------------------------------

def test_scan_carry_of_another_structure_is_refused(backend):
    with pytest.raises(brainx.LoopStructureError, match="carry"):
        scan(lambda c, x: ((c, c), x), 0.0, bm.arange(3.0))
    with pytest.raises(brainx.LoopStructureError, match="shape changed"):
        scan(lambda c, x: (bm.concatenate([c, c]), x), bm.zeros(2), bm.arange(3.0))


def test_while_body_of_another_structure_is_refused(backend):
    with pytest.raises(brainx.LoopStructureError, match="body_fun"):
        while_loop(lambda v: v[0] < 3, lambda v: (v[0] + 1,), (0, 1))


def test_while_cond_must_not_write_states(backend):
    s = brainx.State(0)

    def bad_cond(i):
        s.value = s.value + 1
        return i < 3

    with pytest.raises(ValueError, match="cond_fun must not write States"):
        while_loop(bad_cond, lambda i: i + 1, 0)


def test_non_scalar_predicates_are_refused(backend):
    with pytest.raises(TypeError, match="scalar"):
        cond(bm.ones(2) > 0, lambda: 1, lambda: 2)
    with pytest.raises(TypeError, match="scalar"):
        while_loop(lambda v: v < 3, lambda v: v + 1, bm.zeros(2))
    with pytest.raises(TypeError, match="scalar integer"):
        switch(bm.zeros(2, dtype=bm.int32), [lambda: 1], )


def test_branches_of_different_structure_are_refused_when_traced(backend):
    skip_without(backend, "jit")  # eager backends run one branch and cannot see the other
    with pytest.raises(brainx.LoopStructureError, match="branch 1"):
        cond(bm.asarray(True), lambda x: (x, x), lambda x: x, 1.0)


@pytest.mark.parametrize("kwargs,message", [
    ({"xs": (np.zeros(3), np.zeros(4))}, "different leading lengths"),
    ({"xs": ()}, "give length="),
    ({"xs": (np.zeros(0),)}, "at least one step"),
    ({"xs": (np.zeros(3),), "length": 4}, "does not match"),
    ({"xs": (np.float32(1.0),)}, "leading axis"),
    ({"xs": (), "length": -1}, "non-negative int"),
])
def test_loop_length_errors(backend, kwargs, message):
    with pytest.raises(ValueError, match=message):
        for_loop(lambda *x: 0, *kwargs["xs"], length=kwargs.get("length"))


def test_progress_bar_argument_is_checked(backend):
    with pytest.raises(TypeError, match="progress_bar must be"):
        for_loop(lambda i: i, bm.arange(3), progress_bar="yes")
    with pytest.raises(ValueError, match="freq must be a positive int"):
        brainx.compile.ProgressBar(freq=0)
