"""Whole-step operators of the built-in models against their step-by-step updates."""

from __future__ import annotations

import numpy as np
import pytest

import brainx


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
