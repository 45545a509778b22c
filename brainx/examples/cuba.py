"""The current-based E/I network (CUBA) of Brette et al. (2007), as in BrainPy's examples.

4000 LIF neurons (80% excitatory), tau = 20 ms, resting potential -49 mV (above the
-50 mV threshold, so the neurons fire without external input), reset -60 mV, 5 ms
refractory period; exponential currents with tau 5 ms (E) and 10 ms (I) and weights
1.62 mV and -9 mV; fan-out 80 (p = 0.02 at 4000 neurons).
"""

from __future__ import annotations

import brainx
from brainx.examples._network import NetworkResult, check_size, simulate_network

__all__ = ["CUBANetwork", "simulate"]


class CUBANetwork(brainx.nn.DynamicsGroup):
    """The network: one LIFRef population, excitatory and inhibitory current synapses.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     net = CUBANetwork(size=400, seed=0)
    >>> net.N.V_rest, net.num_exc
    (-49.0, 320)
    """

    def __init__(self, size: int = 4000, seed: int = 0):
        super().__init__()
        check_size(size)
        self.num_exc = int(size * 0.8)
        prob = 80.0 / size
        init_rng = brainx.random.RandomState(seed)
        self.N = brainx.nn.LIFRef(size, V_rest=-49.0, V_th=-50.0, V_reset=-60.0, tau=20.0,
                                  tau_ref=5.0,
                                  V_initializer=lambda shape: init_rng.uniform(-60.0, -50.0,
                                                                               shape))
        self.E = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(self.num_exc, size, prob, 1.62, seed=seed + 1),
            syn=brainx.nn.Expon(size, tau=5.0), out=brainx.nn.CUBA(), post=self.N)
        self.I = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(size - self.num_exc, size, prob, -9.0, seed=seed + 2),
            syn=brainx.nn.Expon(size, tau=10.0), out=brainx.nn.CUBA(), post=self.N)

    def update(self) -> None:
        spikes = self.N.spike.value
        self.E(spikes[:self.num_exc])
        self.I(spikes[self.num_exc:])
        self.N(0.0)


def simulate(size: int = 4000, duration: float = 1000.0, seed: int = 0,
             backend: str | None = None, progress_bar: bool = False) -> NetworkResult:
    """Build CUBA, run ``duration`` ms twice (compile, then timed run); record spikes.

    Examples
    --------
    >>> result = simulate(size=200, duration=20.0, backend='numba')
    >>> result.summary().split(' rate')[0]
    'CUBA backend=numba neurons=200 duration=20 ms'
    """
    return simulate_network("CUBA", lambda n, s: CUBANetwork(n, seed=s), size, duration, seed,
                            backend, progress_bar)
