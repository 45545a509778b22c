"""End-to-end training on the jax backend: a recurrent LIF network with a surrogate gradient,
augment.grad + optim.Adam under compile.jit, on Poisson-rate-coded patterns."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
from brainx.examples.snn_classifier import RecurrentSNN, Trainer, rate_coded_patterns

pytest.importorskip("jax")


def test_recurrent_snn_learns_rate_coded_classes_to_90_percent_held_out():
    with brainx.use_backend("jax"), brainx.environ.context(dt=1.0):
        x_train, y_train = rate_coded_patterns(512, n_classes=4, steps=100, seed=0)
        x_test, y_test = rate_coded_patterns(256, n_classes=4, steps=100, seed=1)
        trainer = Trainer(RecurrentSNN(40, 64, 4, seed=0), lr=1e-2)
        before = trainer.evaluate(x_test, y_test)
        losses = trainer.fit(x_train, y_train, epochs=6, batch_size=64)
        after = trainer.evaluate(x_test, y_test)
        assert len(losses) == 48
        assert np.mean(losses[-8:]) < 0.5 * np.mean(losses[:8]), losses
        assert before < 0.5 and after >= 0.9, (before, after)
        assert int(trainer.optimizer.step_count.value) == 48
        for state in brainx.graph.states(trainer.model).values():
            assert isinstance(np.asarray(state.value), np.ndarray)


def test_numba_refuses_training_at_the_call():
    with brainx.use_backend("numba"):
        net = RecurrentSNN(40, 8, 4)
        with pytest.raises(brainx.BackendCapabilityError, match="jax"):
            Trainer(net)
        x, y = rate_coded_patterns(4, steps=5)
        with pytest.raises(brainx.BackendCapabilityError, match="jax"):
            brainx.augment.grad(lambda: brainx.math.sum(net.predict(brainx.math.asarray(x))),
                                net.states(brainx.ParamState))()
