"""Recurrent cells against their equations written in NumPy, with the cells' own weights;
batched and unbatched, on every backend; gradients through a few steps against finite
differences."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import skip_without

import brainx
import brainx.nn as nn


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    return np.maximum(x, 0.0)


def _affine(layer, x):
    p = {k: np.asarray(v) for k, v in layer.weight.value.items()}
    return x @ p["weight"] + p.get("bias", 0.0)


def _step_vanilla(cell, x, s):
    return {"h": relu(_affine(cell.W, np.concatenate([x, s["h"]], -1)))}


def _step_gru(cell, x, s):
    h = s["h"]
    r, z = np.split(sigmoid(_affine(cell.Wrz, np.concatenate([x, h], -1))), 2, -1)
    candidate = np.tanh(_affine(cell.Wh, np.concatenate([x, r * h], -1)))
    return {"h": (1 - z) * h + z * candidate}


def _step_mgu(cell, x, s):
    h = s["h"]
    f = sigmoid(_affine(cell.Wf, np.concatenate([x, h], -1)))
    candidate = np.tanh(_affine(cell.Wh, np.concatenate([x, f * h], -1)))
    return {"h": (1 - f) * h + f * candidate}


def _step_lstm(cell, x, s):
    i, g, f, o = np.split(_affine(cell.W, np.concatenate([x, s["h"]], -1)), 4, -1)
    c = sigmoid(f + 1) * s["c"] + sigmoid(i) * np.tanh(g)
    return {"c": c, "h": sigmoid(o) * np.tanh(c)}


def _step_urlstm(cell, x, s):
    f, r, u, o = np.split(_affine(cell.W, np.concatenate([x, s["h"]], -1)), 4, -1)
    b = np.asarray(cell.bias.value)
    fg, rg = sigmoid(f + b), sigmoid(r - b)
    g = 2 * rg * fg + (1 - 2 * rg) * fg ** 2
    c = g * s["c"] + (1 - g) * np.tanh(u)
    return {"c": c, "h": sigmoid(o) * np.tanh(c)}


CELLS = [(nn.ValinaRNNCell, _step_vanilla), (nn.GRUCell, _step_gru), (nn.MGUCell, _step_mgu),
         (nn.LSTMCell, _step_lstm), (nn.URLSTMCell, _step_urlstm)]
IDS = [c.__name__ for c, _ in CELLS]


@pytest.mark.parametrize("cls,reference", CELLS, ids=IDS)
@pytest.mark.parametrize("batch", [None, 3])
def test_cell_matches_its_numpy_equations(backend, cls, reference, batch):
    num_in, num_out, steps = 3, 5, 6
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(steps,) + ((batch,) if batch else ()) + (num_in,))
    with brainx.environ.context(precision=64):
        brainx.random.seed(1)
        cell = cls(num_in, num_out, state_init=brainx.init.Normal(0.0, 0.5))
        cell.init_state(batch)
        hidden = cell._hidden
        states = {k: np.asarray(getattr(cell, k).value) for k in hidden}
        assert all(isinstance(getattr(cell, k), brainx.HiddenState) for k in hidden)
        assert states["h"].shape == ((batch,) if batch else ()) + (num_out,)
        for x in xs:
            out = np.asarray(cell(x))
            states = reference(cell, x, states)
            np.testing.assert_allclose(out, states["h"], rtol=1e-12, atol=1e-13)
            for k in hidden:
                np.testing.assert_allclose(np.asarray(getattr(cell, k).value), states[k],
                                           rtol=1e-12, atol=1e-13)


def test_defaults_layouts_and_activation_names(backend):
    vanilla = nn.ValinaRNNCell(2, 3, activation="tanh")
    assert sorted(vanilla.W.weight.value) == ["bias", "weight"]
    assert vanilla.W.weight.value["weight"].shape == (5, 3)
    assert np.all(np.asarray(vanilla.h.value) == 0)
    assert nn.GRUCell(2, 3).Wrz.weight.value["weight"].shape == (5, 6)
    assert nn.LSTMCell(2, 3).W.weight.value["weight"].shape == (5, 12)
    ur = nn.URLSTMCell(2, 4)
    assert list(ur.W.weight.value) == ["weight"]           # no bias in W: the forget bias
    u = sigmoid(np.asarray(ur.bias.value, dtype=np.float64))    # sigma(b) = u ~ U(1/4, 3/4)
    assert np.all((u >= 0.25 - 1e-6) & (u <= 0.75 + 1e-6))
    # an activation by name or as a callable
    x = brainx.math.asarray(np.array([0.5, -1.0]))
    a = nn.ValinaRNNCell(2, 3, w_init=brainx.init.Constant(0.3), activation="sigmoid")
    b = nn.ValinaRNNCell(2, 3, w_init=brainx.init.Constant(0.3),
                         activation=lambda v: 1 / (1 + brainx.math.exp(-v)))
    np.testing.assert_allclose(np.asarray(a(x)), np.asarray(b(x)), rtol=1e-6)


def test_reset_state_and_init_all_states(backend):
    cell = nn.LSTMCell(2, 3, state_init=brainx.init.Constant(0.25))
    h_state = cell.h
    cell(brainx.math.ones(2))
    cell.reset_state()
    assert cell.h is h_state                                # same State, initial value back
    np.testing.assert_array_equal(np.asarray(cell.h.value), np.full(3, 0.25))
    nn.init_all_states(cell, batch_size=4)                  # cells are Dynamics
    assert cell.h.value.shape == (4, 3) and cell.c.value.shape == (4, 3)
    cell.reset_state(batch_size=2)
    assert cell.h.value.shape == (2, 3)


def test_cell_errors(backend):
    cell = nn.GRUCell(3, 4)
    with pytest.raises(ValueError, match="init_state"):
        cell(brainx.math.ones((2, 3)))                      # batched input, unbatched state
    with pytest.raises(ValueError, match=r"\(3,\)"):
        cell(brainx.math.ones(2))
    with pytest.raises(ValueError, match="num_in"):
        nn.LSTMCell(0, 4)
    with pytest.raises(ValueError, match="num_out"):
        nn.MGUCell(3, 2.5)
    with pytest.raises(ValueError, match="not a function of brainx.functional"):
        nn.ValinaRNNCell(2, 3, activation="nope")
    with pytest.raises(TypeError, match="callable"):
        nn.ValinaRNNCell(2, 3, activation=3)


@pytest.mark.parametrize("cls", [nn.GRUCell, nn.LSTMCell], ids=["GRUCell", "LSTMCell"])
def test_gradient_through_steps_matches_finite_differences(backend, cls):
    skip_without(backend, "grad")
    rng = np.random.default_rng(2)
    xs = rng.normal(size=(4, 2, 3))
    target = rng.normal(size=(2, 4))
    with brainx.environ.context(precision=64):
        cell = cls(3, 4, b_init=brainx.init.Normal(0.0, 0.3))
        cell.init_state(2)
        layer = cell.Wh if cls is nn.GRUCell else cell.W

        def loss():
            cell.reset_state(2)
            for x in xs:
                out = cell(brainx.math.asarray(x))
            return brainx.math.sum((out - brainx.math.asarray(target)) ** 2)

        grads = brainx.augment.grad(loss, layer.states(brainx.ParamState))()
        g = np.asarray(grads[("weight",)]["weight"])
        w0 = {k: np.asarray(v).copy() for k, v in layer.weight.value.items()}
        eps = 1e-6
        for (i, j) in [(0, 0), (6, 3)]:
            values = []
            for sign in (1, -1):
                w = dict(w0)
                w["weight"] = w0["weight"].copy()
                w["weight"][i, j] += sign * eps
                layer.weight.value = {k: brainx.math.asarray(v) for k, v in w.items()}
                values.append(float(loss()))
            layer.weight.value = {k: brainx.math.asarray(v) for k, v in w0.items()}
            assert g[i, j] == pytest.approx((values[0] - values[1]) / (2 * eps), rel=1e-6,
                                            abs=1e-9)
