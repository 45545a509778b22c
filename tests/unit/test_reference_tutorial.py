"""The examples of brainstate's key-concepts tutorial (reference 001) run as written after
``import brainx as brainstate``, and print what the tutorial shows brainstate printing.

The expected outputs are read from the reference document itself
(``../shared/reference/001_40d393b9365710d9.txt`` from the project root).
"""

from __future__ import annotations

from pathlib import Path

import pytest

jax = pytest.importorskip("jax")

REFERENCE = (Path(__file__).resolve().parents[2].parent / "shared" / "reference" /
             "001_40d393b9365710d9.txt")


@pytest.fixture(scope="module")
def tutorial() -> str:
    if not REFERENCE.exists():
        pytest.skip(f"the reference document is not at {REFERENCE}")
    return REFERENCE.read_text(encoding="utf-8")


def printed_after(text: str, code: str) -> str:
    """The output the tutorial shows right after the code cell ending with ``code``."""
    start = text.index(code) + len(code)
    body = text[start:].lstrip("\n")
    return body[:body.index("\n\n")].rstrip()


@pytest.fixture
def brainstate():
    import brainx as brainstate

    with brainstate.use_backend("jax"):
        yield brainstate


def test_graph_node_linear_and_its_cycle_print_as_in_the_tutorial(tutorial, brainstate):
    import jax.numpy as jnp

    class Linear(brainstate.graph.Node):
        def __init__(self, din: int, dout: int):
            self.din, self.dout = din, dout
            self.w = brainstate.ParamState(brainstate.random.rand(din, dout))
            self.b = brainstate.ParamState(jnp.zeros((dout,)))

        def __call__(self, x):
            return x @ self.w.value + self.b.value

    model = Linear(2, 5)
    assert repr(model) == printed_after(tutorial, "model = Linear(2, 5)\n\nmodel\n")
    model.self = model
    assert repr(model) == printed_after(tutorial, "model.self = model\n\nmodel\n")


def _mlp(brainstate):
    class MLP(brainstate.graph.Node):
        def __init__(self, din: int, dmid: int, dout: int, n_layer: int = 3):
            self.input = brainstate.nn.Linear(din, dmid)
            self.layers = [brainstate.nn.Linear(dmid, dmid) for _ in range(n_layer)]
            self.output = brainstate.nn.Linear(dmid, dout)

        def __call__(self, x):
            x = brainstate.functional.relu(self.input(x))
            for layer in self.layers:
                x = brainstate.functional.relu(layer(x))
            return self.output(x)

    return MLP(2, 1, 3)


def test_mlp_with_nn_linear_and_functional_relu(tutorial, brainstate):
    import jax.numpy as jnp

    model = _mlp(brainstate)
    shown = printed_after(tutorial, "model = MLP(2, 1, 3)\n\nmodel\n")
    assert repr(model).startswith(shown)  # the tutorial cuts this long output short
    assert model(jnp.ones((4, 2))).shape == (4, 3)
    states = brainstate.graph.states(model)
    assert repr(states) == printed_after(tutorial, "states = brainstate.graph.states(model)"
                                                   "\n\nstates\n")
    assert repr(states.to_nest()) == printed_after(tutorial, "states.to_nest()\n")
    nodes = brainstate.graph.nodes(model)
    shown = printed_after(tutorial, "nodes = brainstate.graph.nodes(model)\n\nnodes\n")
    assert repr(nodes).startswith(shown.rsplit("\n", 1)[0])  # cut short in the tutorial


def test_augment_grad_and_sgd_on_nn_linear(brainstate):
    import jax
    import jax.numpy as jnp

    # <input, output> pair
    x = jnp.ones((1, 2))
    y = jnp.ones((1, 3))

    # model
    model = brainstate.nn.Linear(2, 3)

    # loss function
    def loss_fn(x, y):
        return jnp.mean((y - model(x)) ** 2)

    prev_loss = loss_fn(x, y)

    # gradients
    weights = model.states()
    grads = brainstate.augment.grad(loss_fn, weights)(x, y)

    # SGD update
    for key, grad in grads.items():
        updates = jax.tree.map(lambda p, g: p - 0.1 * g, weights[key].value, grad)
        weights[key].value = updates

    # loss evaluation
    assert loss_fn(x, y) < prev_loss

    # and the gradient is the one of the same loss written on plain arrays
    params = {k: s.value for k, s in model.states().items()}
    reference = jax.grad(lambda p: jnp.mean(
        (y - (x @ p[("weight",)]["weight"] + p[("weight",)]["bias"])) ** 2))(params)
    again = brainstate.augment.grad(loss_fn, model.states())(x, y)
    for key in reference:
        for leaf in ("weight", "bias"):
            assert jnp.allclose(again[key][leaf], reference[key][leaf], rtol=1e-6)
