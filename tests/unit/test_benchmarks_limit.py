"""The benchmarks' COBA variants compute what brainx's built-in COBA computes, bit for bit.

``benchmarks/limit_coba.py`` (the hand-written whole-loop ``@njit`` limit) and
``benchmarks/_user_coba.py`` (the network written as user classes) must give the spike
raster of ``brainx.examples.coba.COBANetwork`` on the numba backend, run eagerly, to the
bit; otherwise the benchmarks would compare different computations.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import brainx
from brainx.examples.coba import COBANetwork

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import coba  # noqa: E402
import user_model  # noqa: E402
from _user_coba import UserCOBA, UserExpon  # noqa: E402
from limit_coba import LimitCOBA, run_limit  # noqa: E402

SIZE, DURATION = 400, 50.0


def _eager_options() -> dict:
    return {"jit": False} if coba.runner_accepts_jit() else {}


def _brainx_runs(build, precision: int, runs: int = 2, chunk_steps: int = 10000,
                 **options) -> tuple:
    """Rasters of ``runs`` consecutive runs of DURATION on numba, and the final network."""
    with brainx.use_backend("numba"), brainx.environ.context(precision=precision):
        net = build(SIZE, seed=0)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike}, chunk_steps=chunk_steps,
                               **(options or _eager_options()))
        rasters = [runner.run(DURATION)["spike"] for _ in range(runs)]
    return rasters, net


@pytest.mark.parametrize("precision", [64, 32])
def test_limit_raster_and_states_equal_numba_eager(precision):
    rasters, net = _brainx_runs(COBANetwork, precision)
    limit = LimitCOBA(SIZE, seed=0, precision=precision)
    for raster in rasters:  # the second run continues the first (time and state)
        assert raster.sum() > 200                   # an active network, not silence
        np.testing.assert_array_equal(limit.run(DURATION), raster)
    for ours, theirs in [(limit.V, net.N.V.value), (limit.t_last, net.N.t_last_spike.value),
                         (limit.g_e, net.E.syn.g.value), (limit.g_i, net.I.syn.g.value)]:
        assert ours.dtype == np.dtype(f"float{precision}")
        np.testing.assert_array_equal(ours, np.asarray(theirs))


def test_limit_time_grid_follows_the_runner_chunks():
    # 37-step chunks: t = i dt from the step index whatever the chunks, as in brainx.Runner
    rasters, net = _brainx_runs(COBANetwork, 64, runs=1, chunk_steps=37)
    limit = LimitCOBA(SIZE, seed=0, chunk_steps=37)
    np.testing.assert_array_equal(limit.run(DURATION), rasters[0])
    np.testing.assert_array_equal(limit.t_last, net.N.t_last_spike.value)
    assert limit.t == pytest.approx(DURATION)


def test_limit_takes_the_built_networks_connectivity():
    with brainx.use_backend("numba"):
        net = COBANetwork(SIZE, seed=3)
    limit = LimitCOBA(SIZE, seed=3)
    np.testing.assert_array_equal(limit.post_e, net.E.comm._post_ids)
    np.testing.assert_array_equal(limit.indptr_i, net.I.comm._indptr)
    assert limit.num_exc == 320 and limit.indptr_e[-1] == 320 * 80


def test_run_limit_rates_are_the_second_runs_spikes():
    result = run_limit(SIZE, 20.0)
    spikes = result["spikes"]
    assert spikes.shape == (200, SIZE) and result["first_call_s"] > 0 < result["per_sim_s"]
    assert result["rate_exc_hz"] == spikes[:, :320].sum() / 320 / 0.02
    assert result["rate_inh_hz"] == spikes[:, 320:].sum() / 80 / 0.02
    limit = LimitCOBA(SIZE)
    limit.run(20.0)
    np.testing.assert_array_equal(limit.run(20.0), spikes)


def test_limit_refuses_other_precisions_and_heterogeneous_weights(monkeypatch):
    with pytest.raises(ValueError, match=r"precision must be 32 or 64, got 16"):
        LimitCOBA(SIZE, precision=16)
    original = brainx.event.FixedProb.__init__

    def per_synapse_weights(self, n_pre, n_post, prob, weight, **kwargs):
        original(self, n_pre, n_post, prob, lambda shape: np.full(shape, 0.6), **kwargs)

    monkeypatch.setattr(brainx.event.FixedProb, "__init__", per_synapse_weights)
    with pytest.raises(ValueError, match=r"homogeneous weights only.*shape \(320, 80\)"):
        LimitCOBA(SIZE)


@pytest.mark.parametrize("precision", [64, 32])
def test_user_model_raster_equals_builtin_on_numba_eager(precision):
    builtin, net = _brainx_runs(COBANetwork, precision)
    user, user_net = _brainx_runs(UserCOBA, precision)
    for theirs, ours in zip(builtin, user, strict=True):
        assert theirs.sum() > 200
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(user_net.N.V.value, net.N.V.value)
    np.testing.assert_array_equal(user_net.I.syn.g.value, net.I.syn.g.value)


def test_user_model_is_built_from_user_classes_with_the_builtin_connectivity():
    with brainx.use_backend("numba"):
        net, user = COBANetwork(SIZE, seed=0), UserCOBA(SIZE, seed=0)
    assert type(user.E.syn) is UserExpon and not user.E._fused   # no fused kernel used
    assert not isinstance(user.N, brainx.nn.LIF)
    for a, b in [(user.E.comm, net.E.comm), (user.I.comm, net.I.comm)]:
        np.testing.assert_array_equal(a._indptr, b._indptr)
        np.testing.assert_array_equal(a._post_ids, b._post_ids)
        assert float(a.weight.value) == float(b.weight.value)
    np.testing.assert_array_equal(user.N.V.value, net.N.V.value)


@pytest.mark.skipif(not coba.runner_accepts_jit(), reason="brainx.Runner has no jit= yet")
@pytest.mark.parametrize("build", [COBANetwork, UserCOBA], ids=["builtin", "user"])
def test_numba_compiled_raster_equals_the_limit(build):
    rasters, _ = _brainx_runs(build, 64, jit=True)
    limit = LimitCOBA(SIZE, seed=0)
    for raster in rasters:
        np.testing.assert_array_equal(raster, limit.run(DURATION))


def test_lane_needing_jit_is_skipped_with_a_note_when_the_runner_lacks_it(monkeypatch,
                                                                          capsys):
    monkeypatch.setattr(coba, "runner_accepts_jit", lambda: False)
    monkeypatch.setattr(coba, "LANES", {k: v for k, v in coba.LANES.items()
                                        if v[0] == "numba"})
    results = coba.measure_lanes(200, 5.0, 64)
    assert "brainx numba compiled: skipped, brainx.Runner does not take jit=" in \
        capsys.readouterr().out
    assert list(results) == ["brainx numba eager"]
    assert results["brainx numba eager"]["per_sim_s"] > 0


def test_user_model_script_prints_every_lane_and_the_ratios(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["user_model.py", "--sizes", "200", "--duration", "5",
                                      "--no-peers"])
    user_model.main()
    out = capsys.readouterr().out
    lanes = [name for name, (backend, _) in coba.LANES.items()
             if backend in brainx.available_backends()]
    for name in lanes + ["limit"]:
        assert f"     200 {name}" in out
    if coba.runner_accepts_jit():
        assert "ratio brainx numba compiled / limit" in out
        assert "ratio brainx numba compiled / brainx numba eager" in out
