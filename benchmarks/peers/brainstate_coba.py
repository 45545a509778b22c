"""COBA (Vogels & Abbott 2005) in brainstate (jax), as brainx.examples.coba parametrises it.

Uses brainstate's event operators and compiled loop with the LIFRef / Expon / COBA /
AlignPostProj models (which recent releases keep in ``brainpy.state``).

    python benchmarks/peers/brainstate_coba.py SIZE DURATION_MS [--precision 32|64]

Prints one JSON line: first_call_s (build, compile, one run of the duration), per_sim_s
(a second run), rates.

How it matches brainx's COBA: the same arithmetic per step. ``LIFRef`` and ``Expon``
integrate with brainstate's exponential Euler step (``exp_euler_step``), exact for these
linear equations, as brainx's: ``exp(-dt/tau)`` is a constant XLA folds at compile time.
The same event-driven product, COBA outputs, hard reset, 5 ms refractory period and dt
0.1 ms. Connectivity: ``EventFixedProb`` gives each presynaptic neuron 80 targets, as
brainx's ``FixedProb`` does, drawn by brainstate's own generator. Units through
brainunit (their cost is part of brainstate's time). Precision: ``--precision``, the one
benchmarks/coba.py runs brainx at (``brainstate.environ.set(precision=64)``).
"""

from __future__ import annotations

import time
import warnings

from _result import arguments, print_result


def main() -> None:
    size, duration, precision = arguments()
    warnings.simplefilter("ignore", DeprecationWarning)
    import brainstate
    import brainunit as u
    import jax
    import numpy as np

    try:
        import brainpy.state as models
    except ImportError:
        models = brainstate.nn
    n_exc = int(size * 0.8)
    prob = 80.0 / size
    brainstate.environ.set(dt=0.1 * u.ms, precision=precision)
    # conductances in siemens: g (E - V) is then in mA, the unit of the 20 mA bias, as in
    # the unitless original (in mS the synaptic currents would be 1000 times too small)

    class EINet(brainstate.nn.Module):
        def __init__(self):
            super().__init__()
            self.N = models.LIFRef(size, V_rest=-60.0 * u.mV, V_th=-50.0 * u.mV,
                                   V_reset=-60.0 * u.mV, tau=20.0 * u.ms, tau_ref=5.0 * u.ms,
                                   spk_reset="hard",
                                   V_initializer=brainstate.init.Normal(-60.0, 5.0, unit=u.mV))
            self.E = models.AlignPostProj(
                comm=brainstate.nn.EventFixedProb(n_exc, size, prob, 0.6 * u.siemens),
                syn=models.Expon.desc(size, tau=5.0 * u.ms),
                out=models.COBA.desc(E=0.0 * u.mV), post=self.N)
            self.I = models.AlignPostProj(
                comm=brainstate.nn.EventFixedProb(size - n_exc, size, prob, 6.7 * u.siemens),
                syn=models.Expon.desc(size, tau=10.0 * u.ms),
                out=models.COBA.desc(E=-80.0 * u.mV), post=self.N)

        def update(self, t, inp):
            with brainstate.environ.context(t=t):
                spikes = self.N.get_spike() != 0.0
                self.E(spikes[:n_exc])
                self.I(spikes[n_exc:])
                self.N(inp)
                return self.N.get_spike()

    net = EINet()
    start = time.perf_counter()
    brainstate.nn.init_all_states(net)

    @brainstate.transform.jit
    def simulate(times):
        return brainstate.transform.for_loop(lambda t: net.update(t, 20.0 * u.mA), times)

    steps = int(duration / 0.1)
    jax.block_until_ready(simulate(np.arange(0, steps) * 0.1 * u.ms))  # compiles, runs once
    first = time.perf_counter() - start
    times = np.arange(steps, 2 * steps) * 0.1 * u.ms
    begin = time.perf_counter()
    spikes = jax.block_until_ready(simulate(times))
    per_sim = (time.perf_counter() - begin) / (duration / 1000.0)
    counts = np.asarray(spikes).sum(axis=0)
    print_result(first, per_sim, counts, n_exc, duration)


if __name__ == "__main__":
    main()
