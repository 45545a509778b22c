"""Whole-step operators of the built-in models: kernels equal their references exactly."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS

import brainx
from brainx.backend._kernels import references

NN_OPERATORS = sorted(n for n in references() if n.startswith("nn."))


def _arguments(name: str, rng: np.random.Generator, dtype: np.dtype, n: int = 257) -> tuple:
    cast = dtype.type
    V = rng.uniform(-70.0, -45.0, n).astype(dtype)  # noqa: N806
    g = tuple(rng.uniform(0.0, 2.0, n).astype(dtype) for _ in range(2))
    Es = (cast(0.0), cast(-80.0))  # noqa: N806
    lif = (cast(-60.0), cast(1.0), cast(20.0), cast(brainx.integrators.exponential_factor(
        -1 / 20.0, 0.1)), cast(-50.0), cast(-60.0))
    if name == "nn.lif_step":
        return (V, cast(20.0), g, Es, rng.normal(size=n).astype(dtype)) + lif
    if name == "nn.lif_ref_step":
        t_last = np.where(rng.random(n) < 0.3, 98.0, -1e7).astype(dtype)
        return (V, t_last, rng.normal(20.0, 5.0, n).astype(dtype), g, Es, 0.0, 100.0) + lif + (
            cast(5.05),)
    if name == "nn.decay_add":
        return g[0], cast(np.exp(-0.1 / 5.0)), rng.normal(size=n).astype(dtype)
    if name == "nn.expon_sparse_step":
        n_pre, fan_out = 60, 7
        indptr = np.arange(n_pre + 1, dtype=np.int64) * fan_out
        post_ids = rng.integers(0, n, n_pre * fan_out).astype(np.int32)
        pre_ids = np.repeat(np.arange(n_pre, dtype=np.int32), fan_out)
        weight = rng.normal(size=n_pre * fan_out).astype(dtype)
        return (g[0], cast(0.98), rng.random(n_pre) < 0.3, indptr, pre_ids, post_ids, weight,
                (n_pre, n))
    raise AssertionError(f"no test arguments for {name}")


@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("name", NN_OPERATORS)
def test_numba_kernels_equal_their_references_exactly(name, precision):
    """Same expressions in the same order, IEEE arithmetic without contraction: bit-equal."""
    if "numba" not in BACKENDS:
        pytest.skip("the numba backend is not installed")
    backend = brainx.get_backend("numba")
    kernel = backend.kernels()[name]
    rng = np.random.default_rng(7)
    dtype = np.dtype(np.float64 if precision == 64 else np.float32)
    with brainx.use_backend(backend), brainx.environ.context(precision=precision):
        args = _arguments(name, rng, dtype)
        got, want = kernel(backend, *args), references()[name](backend, *args)
        if name == "nn.expon_sparse_step":  # also a homogeneous weight and no conductances
            got = (got, kernel(backend, *args[:6], dtype.type(0.6), args[7]))
            want = (want, references()[name](backend, *args[:6], dtype.type(0.6), args[7]))
        if name == "nn.lif_step":
            got = (got, kernel(backend, args[0], args[1], (), (), *args[4:]))
            want = (want, references()[name](backend, args[0], args[1], (), (), *args[4:]))
    flat_got, flat_want = _leaves(got), _leaves(want)
    assert len(flat_got) == len(flat_want)
    for a, b in zip(flat_got, flat_want, strict=True):
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)


def _leaves(x) -> list[np.ndarray]:
    if isinstance(x, tuple):
        return [leaf for item in x for leaf in _leaves(item)]
    return [np.asarray(x)]


@pytest.mark.parametrize("model", ["LIF", "LIFRef"])
def test_whole_step_and_step_by_step_paths_agree(backend, model, monkeypatch):
    """The fused operator and the generic expression-by-expression update: same trajectory."""
    def simulate(fused: bool) -> tuple[np.ndarray, np.ndarray]:
        with brainx.environ.context(precision=64):
            init = brainx.random.RandomState(3)
            post = getattr(brainx.nn, model)(50, V_rest=-60.0, V_th=-50.0, V_reset=-60.0,
                                             tau=20.0, V_initializer=lambda s: init.uniform(
                                                 -60.0, -50.0, s))
            proj = brainx.nn.AlignPostProj(
                comm=brainx.event.FixedProb(50, 50, 0.2, 0.8, seed=1),
                syn=brainx.nn.Expon(50, tau=5.0), out=brainx.nn.COBA(E=0.0), post=post)
            if not fused:
                monkeypatch.setattr(type(post), "_fused", lambda self: False)
                proj._fused = False
            Vs, spikes = [], []
            for i in range(300):
                with brainx.environ.context(t=i * 0.1, i=i):
                    proj(post.spike.value)
                    spikes.append(np.asarray(post(15.0)))
                    Vs.append(np.asarray(post.V.value))
            monkeypatch.undo()
            return np.array(Vs), np.array(spikes)

    (V_fused, s_fused), (V_plain, s_plain) = simulate(True), simulate(False)
    assert s_fused.sum() > 20
    np.testing.assert_array_equal(s_fused, s_plain)
    np.testing.assert_allclose(V_fused, V_plain, rtol=0, atol=1e-12)
