"""The training step of benchmarks/training.py written with brainstate (peer script).

How it matches brainx's ``RecurrentSNN`` + ``Trainer``: the same equations, written here by
hand with brainstate's States so that both frameworks do the same arithmetic:
I = x W_in + b + s_prev W_rec; V' = V + (1 - exp(-dt/tau)) (-V + I) (the exact exponential
step of brainx's LIF); s = arctan surrogate of (V' - 1) (braintools.surrogate.Arctan,
alpha 2); V = 0 where V' >= 1 (reset without gradient through the condition); readout
r = exp(-dt/tau_out) r + s W_out; logits = mean of r over time; softmax cross-entropy;
Adam (optax). float32, dt = 1 ms, 100 steps, batch 64, 40 inputs, 4 classes; the whole
step under brainstate.transform.jit around transform.grad and the optimiser update.

    python benchmarks/peers/brainstate_training.py HIDDEN TIMED_STEPS

Prints one JSON line: first_call_s (trace, compile and run one step) and per_step_s.
"""

from __future__ import annotations

import json
import math
import sys
import time
import warnings


def main() -> None:
    hidden, steps = int(sys.argv[1]), int(sys.argv[2])
    warnings.simplefilter("ignore")
    import brainstate
    import braintools
    import jax
    import jax.numpy as jnp
    import numpy as np

    batch, time_steps, n_in, n_out, dt, tau, tau_out = 64, 100, 40, 4, 1.0, 10.0, 10.0
    k, decay = 1.0 - math.exp(-dt / tau), math.exp(-dt / tau_out)
    rng = np.random.default_rng(0)
    x = jnp.asarray((rng.uniform(size=(time_steps, batch, n_in)) < 0.03).astype(np.float32))
    y = jnp.asarray(rng.integers(0, n_out, size=batch))

    class Net(brainstate.nn.Module):
        def __init__(self):
            super().__init__()
            self.w_in = brainstate.ParamState(jnp.asarray(
                rng.normal(0, 1.6, (n_in, hidden)), jnp.float32))
            self.b_in = brainstate.ParamState(jnp.zeros(hidden, jnp.float32))
            self.w_rec = brainstate.ParamState(jnp.asarray(
                rng.normal(0, 0.5 / math.sqrt(hidden), (hidden, hidden)), jnp.float32))
            self.w_out = brainstate.ParamState(jnp.asarray(
                rng.normal(0, 1.4 / math.sqrt(hidden), (hidden, n_out)), jnp.float32))
            self.spk_fun = braintools.surrogate.Arctan(alpha=2.0)

        def init_state(self):
            self.V = brainstate.HiddenState(jnp.zeros((batch, hidden), jnp.float32))
            self.s = brainstate.HiddenState(jnp.zeros((batch, hidden), jnp.float32))
            self.r = brainstate.HiddenState(jnp.zeros((batch, n_out), jnp.float32))

        def update(self, x_t):
            current = x_t @ self.w_in.value + self.b_in.value + self.s.value @ self.w_rec.value
            V = self.V.value + k * (-self.V.value + current)
            s = self.spk_fun(V - 1.0)
            self.V.value = jnp.where(V >= 1.0, 0.0, V)
            self.s.value = s
            self.r.value = decay * self.r.value + s @ self.w_out.value
            return self.r.value

    net = Net()
    net.init_state()
    weights = net.states(brainstate.ParamState)
    optimizer = braintools.optim.Adam(lr=1e-3)
    optimizer.register_trainable_weights(weights)

    @brainstate.transform.jit
    def train_step(xs, labels):
        def loss_fn():
            net.init_state()
            logits = jnp.mean(brainstate.transform.for_loop(net.update, xs), axis=0)
            return -jnp.mean(jnp.sum(jax.nn.one_hot(labels, n_out) *
                                     jax.nn.log_softmax(logits), axis=-1))

        grads, loss = brainstate.transform.grad(loss_fn, weights, return_value=True)()
        optimizer.update(grads)
        return loss

    start = time.perf_counter()
    train_step(x, y).block_until_ready()
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(steps):
        loss = train_step(x, y)
    loss.block_until_ready()
    per_step = (time.perf_counter() - start) / steps
    print(json.dumps({"first_call_s": first, "per_step_s": per_step, "loss": float(loss)}))


if __name__ == "__main__":
    main()
