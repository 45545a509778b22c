"""COBA (Vogels & Abbott 2005) in BrainPy 2 (jax), as brainx.examples.coba parametrises it.

    python benchmarks/peers/brainpy_coba.py SIZE DURATION_MS [--precision 32|64]

Prints one JSON line: first_call_s (build, compile, one run of the duration), per_sim_s
(a second run), rates.

How it matches brainx's COBA: the same arithmetic per step. ``LifRef`` and ``Expon``
integrate with BrainPy's default ``exp_auto``, the exponential Euler step, which for
these linear equations is exact and equals brainx's: ``V + (1 - exp(-dt/tau)) ...`` and
``g * exp(-dt/tau)``, whose factors are constants XLA folds at compile time (no ``exp``
per neuron and step). The same event-driven sparse product (``EventCSRLinear``), COBA
outputs, 5 ms refractory period and dt 0.1 ms. Connectivity: ``bp.conn.FixedProb``
draws each pair with probability 80 / SIZE (80 synapses per presynaptic neuron on
average, brainx's exactly 80), with BrainPy's own generator. Precision: ``--precision``,
the one benchmarks/coba.py runs brainx at (64: ``bm.enable_x64()``).
"""

from __future__ import annotations

import time

from _result import arguments, print_result


def main() -> None:
    size, duration, precision = arguments()
    import brainpy as bp
    import brainpy.math as bm

    if precision == 64:
        bm.enable_x64()  # jax's x64 and BrainPy's default float64
    bm.set_platform("cpu")
    bm.set_dt(0.1)
    n_exc = int(size * 0.8)
    prob = 80.0 / size

    class EINet(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.LifRef(size, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0,
                                   tau_ref=5.0, V_initializer=bp.init.Normal(-60.0, 5.0))
            self.E = bp.dyn.HalfProjAlignPostMg(
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(prob, pre=n_exc, post=size), 0.6),
                syn=bp.dyn.Expon.desc(size, tau=5.0), out=bp.dyn.COBA.desc(E=0.0), post=self.N)
            self.I = bp.dyn.HalfProjAlignPostMg(
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(prob, pre=size - n_exc, post=size),
                                           6.7),
                syn=bp.dyn.Expon.desc(size, tau=10.0), out=bp.dyn.COBA.desc(E=-80.0),
                post=self.N)

        def update(self, inp):
            spikes = self.N.spike.value
            self.E(spikes[:n_exc])
            self.I(spikes[n_exc:])
            self.N(inp)
            return self.N.spike.value

    def simulate(net, steps, offset):
        return bm.for_loop(lambda i: net.step_run(i, 20.0), bm.arange(offset, offset + steps))

    start = time.perf_counter()
    net = EINet()
    steps = int(duration / 0.1)
    simulate(net, steps, 0).block_until_ready()  # compiles, then runs once
    first = time.perf_counter() - start
    begin = time.perf_counter()
    spikes = simulate(net, steps, steps)
    spikes.block_until_ready()
    per_sim = (time.perf_counter() - begin) / (duration / 1000.0)
    counts = bm.as_numpy(spikes).sum(axis=0)
    print_result(first, per_sim, counts, n_exc, duration)


if __name__ == "__main__":
    main()
