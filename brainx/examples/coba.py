"""The COBA E/I network of Vogels & Abbott (2005), as parametrised in BrainPy's tutorial.

4000 LIF neurons (80% excitatory), tau = 20 ms, V_rest = V_reset = -60 mV,
V_th = -50 mV, 5 ms refractory period, a constant input of 20; connection
probability 2%; exponential conductances with tau 5 ms (E) and 10 ms (I), reversal
potentials 0 mV and -80 mV, weights 0.6 and 6.7 (siemens: g (E - V) is then a current
in mA, the unit of the input, with R = 1 ohm). ``units=True`` builds the same network with
every parameter a brainunit Quantity. ``size`` scales the population
and keeps each neuron's fan-out at 80 (``prob = 80 / size``: 0.02 at 4000 neurons),
so the balance of excitation and inhibition is kept.
"""

from __future__ import annotations

import brainx
from brainx._units import to_canonical
from brainx.examples._network import NetworkResult, check_size, simulate_network

__all__ = ["COBANetwork", "simulate"]


class COBANetwork(brainx.nn.DynamicsGroup):
    """The network: one LIFRef population and its two align-post projections.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     net = COBANetwork(size=400, seed=0)
    >>> net.num_exc, net.N.num
    (320, 400)
    """

    def __init__(self, size: int = 4000, prob: float | None = None, seed: int = 0,
                 units: bool = False):
        super().__init__()
        check_size(size)
        prob = 80.0 / size if prob is None else prob
        self.num_exc = int(size * 0.8)
        # with units=True every parameter is a brainunit Quantity; brainx converts them
        # once, so both versions run the same arithmetic
        mV, ms, mA, S = _units(units)
        init_rng = brainx.random.RandomState(seed)
        self.N = brainx.nn.LIFRef(size, V_rest=-60.0 * mV, V_th=-50.0 * mV, V_reset=-60.0 * mV,
                                  tau=20.0 * ms, tau_ref=5.0 * ms,
                                  V_initializer=lambda shape: init_rng.normal(-60.0, 5.0,
                                                                              shape) * mV)
        self.E = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(self.num_exc, size, prob, 0.6 * S, seed=seed + 1),
            syn=brainx.nn.Expon(size, tau=5.0 * ms), out=brainx.nn.COBA(E=0.0 * mV),
            post=self.N)
        self.I = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(size - self.num_exc, size, prob, 6.7 * S, seed=seed + 2),
            syn=brainx.nn.Expon(size, tau=10.0 * ms), out=brainx.nn.COBA(E=-80.0 * mV),
            post=self.N)
        self.bias = to_canonical(20.0 * mA, "current", "the bias current")

    def update(self, current: float | None = None) -> None:
        spikes = self.N.spike.value
        self.E(spikes[:self.num_exc])
        self.I(spikes[self.num_exc:])
        self.N(self.bias if current is None else current)


def _units(units: bool) -> tuple:
    """(mV, ms, mA, siemens): brainunit's units, or 1.0 each for the unitless network."""
    if not units:
        return 1.0, 1.0, 1.0, 1.0
    import brainunit as u

    return u.mV, u.ms, u.mA, u.siemens


def simulate(size: int = 4000, duration: float = 1000.0, seed: int = 0,
             backend: str | None = None, progress_bar: bool = False) -> NetworkResult:
    """Build COBA, run ``duration`` ms twice (compile, then timed run); record spikes.

    Examples
    --------
    >>> result = simulate(size=200, duration=20.0, backend='numba')
    >>> result.spikes.shape
    (200, 200)
    """
    return simulate_network("COBA", lambda n, s: COBANetwork(n, seed=s), size, duration, seed,
                            backend, progress_bar)
