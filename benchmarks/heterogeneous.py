"""What per-neuron parameters and per-synapse delays cost, on the COBA network, in one run.

Three lanes per backend, each the COBA network of ``brainx.examples.coba`` (4000 neurons,
fan-out 80, float64):

- ``homogeneous``: the built-in ``COBANetwork`` (scalar parameters, no delay);
- ``tau per neuron``: the membrane time constant drawn per neuron (uniform 15-25 ms),
  which takes LIF's unfused path;
- ``+ synapse delays``: also a delay drawn per synapse (uniform 0.1-2.0 ms on the 0.1 ms
  grid, 20 distinct delays), delivered by one event product over the spike history of
  the last 20 steps.

Each lane is compiled and warmed up by a first run, then timed as the best of
``--repeats`` runs; ratios are over the homogeneous lane of the same backend.

    python benchmarks/heterogeneous.py [--size 4000] [--duration 1000] [--repeats 3]

Measured on the 2-core development VM (4000 neurons, 1000 ms, float64, best of 3)::

    numba  homogeneous 0.263 s   tau per neuron 0.257 s (0.98)   + synapse delays 0.919 s (3.49)
    jax    homogeneous 0.615 s   tau per neuron 0.610 s (0.99)   + synapse delays 1.321 s (2.15)

Per-neuron parameters cost nothing measurable. Per-synapse delays scan the history
(21 x 3200 excitatory spikes a step) and copy it forward; one event product per
distinct delay, the first implementation, took 13.4x on numba and 4.2x on jax.
"""

from __future__ import annotations

import time

import numpy as np
from _timing import cost_arguments

import brainx
from brainx.examples.coba import COBANetwork


class HeterogeneousCOBA(brainx.nn.DynamicsGroup):
    """COBA with a membrane time constant drawn per neuron and, with ``delays``, a delay
    drawn per synapse (an array for E, an initialiser for I).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     net = HeterogeneousCOBA(100, seed=0)
    >>> net.N.tau.shape
    (100,)
    """

    def __init__(self, size: int = 4000, seed: int = 0, delays: bool = True):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.num_exc = int(0.8 * size)
        init = brainx.random.RandomState(seed)
        self.N = brainx.nn.LIFRef(size, V_rest=-60.0, V_th=-50.0, V_reset=-60.0,
                                  tau=rng.uniform(15.0, 25.0, size), tau_ref=5.0,
                                  V_initializer=lambda shape: init.normal(-60.0, 5.0, shape))
        prob = 80.0 / size
        e = brainx.event.FixedProb(self.num_exc, size, prob, 0.6, seed=seed + 1)
        i = brainx.event.FixedProb(size - self.num_exc, size, prob, 6.7, seed=seed + 2)
        e_delay = rng.uniform(0.1, 2.0, e.num_synapses).round(1) if delays else None
        i_delay = (lambda shape: rng.uniform(0.1, 2.0, shape).round(1)) if delays else None
        self.E = brainx.nn.AlignPostProj(
            comm=e, syn=brainx.nn.Expon(size, tau=5.0), out=brainx.nn.COBA(E=0.0), post=self.N,
            delay=e_delay)
        self.I = brainx.nn.AlignPostProj(
            comm=i, syn=brainx.nn.Expon(size, tau=10.0), out=brainx.nn.COBA(E=-80.0),
            post=self.N, delay=i_delay)

    def update(self) -> None:
        spikes = self.N.spike.value
        self.E(spikes[:self.num_exc])
        self.I(spikes[self.num_exc:])
        self.N(20.0)


LANES = {
    "homogeneous": lambda size: COBANetwork(size, seed=0),
    "tau per neuron": lambda size: HeterogeneousCOBA(size, seed=0, delays=False),
    "+ synapse delays": lambda size: HeterogeneousCOBA(size, seed=0, delays=True),
}


def timed(backend: str, build, size: int, duration: float, repeats: int) -> tuple[float, float]:
    """(best of ``repeats`` timed runs after a warm-up run, the mean rate in Hz)."""
    with brainx.use_backend(backend), brainx.environ.context(precision=64):
        best, rate = np.inf, 0.0
        for attempt in range(repeats + 1):
            net = build(size)
            runner = brainx.Runner(net, monitors={"spike": net.N.spike})
            start = time.perf_counter()
            spikes = runner.run(duration)["spike"]
            if attempt:
                best = min(best, time.perf_counter() - start)
                rate = float(spikes.mean()) / brainx.environ.dt_value() * 1000.0
        return best, rate


def main() -> None:
    args = cost_arguments(__doc__.splitlines()[0])
    print(f"COBA {args.size} neurons, {args.duration:g} ms, float64, best of {args.repeats}")
    for backend in args.backends:
        base = None
        for name, build in LANES.items():
            seconds, rate = timed(backend, build, args.size, args.duration, args.repeats)
            base = base or seconds
            print(f"{backend:6s} {name:18s} {seconds:7.3f} s  {rate:5.1f} Hz  "
                  f"ratio {seconds / base:.2f}")


if __name__ == "__main__":
    main()
