"""The COBA-HH network of Brette et al. (2007): Hodgkin-Huxley neurons with Traub & Miles
(1991) kinetics and exponential conductances, as in Brian2's and BrainPy's examples.

4000 neurons (80% excitatory) of 20000 um^2: C = 200 pF, g_L = 10 nS, E_L = -60 mV,
g_Na = 20 uS, E_Na = 50 mV, g_K = 6 uS, E_K = -90 mV, V_T = -63 mV; a spike is an
upward crossing of -20 mV. Fan-out 80 (p = 0.02 at 4000 neurons); conductances decay
with tau 5 ms (E) and 10 ms (I), weights 6 nS and 67 nS, reversal potentials 0 and
-80 mV. Units: mV, ms, nS, pF, pA. No external input: the random initial
conductances start the activity.
"""

from __future__ import annotations

from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.examples._network import NetworkResult, check_size, simulate_network

__all__ = ["TraubHH", "COBAHHNetwork", "simulate"]


def _vtrap(x: Any, y: float) -> Any:
    """``x / (exp(x / y) - 1)``, with its limit ``y`` at ``x = 0``."""
    small = bm.abs(x) < 1e-6
    safe = bm.where(small, 1.0, x)
    return bm.where(small, y, safe / bm.expm1(safe / y))


class TraubHH(brainx.nn.Dynamics):
    """Hodgkin-Huxley neuron with Traub-Miles kinetics (the COBA-HH benchmark's neuron).

    Every variable takes an exponential-Euler step, linear in itself with the
    others held at their values from the start of the step (as Brian2's
    ``exponential_euler`` does): the gating variables relax towards their steady
    states, ``V`` towards the potential set by all its conductances, including
    those of :class:`~brainx.nn.COBA` inputs.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     neuron = TraubHH(2, V_initializer=-60.0)
    >>> neuron.V.value.tolist()
    [-60.0, -60.0]
    """

    def __init__(self, size: Any, C: float = 200.0, gL: float = 10.0, EL: float = -60.0,  # noqa: N803
                 gNa: float = 20000.0, ENa: float = 50.0, gK: float = 6000.0,  # noqa: N803
                 EK: float = -90.0, VT: float = -63.0, V_th: float = -20.0,  # noqa: N803
                 V_initializer: Any = -60.0, name: str | None = None):
        super().__init__(size, name=name)
        self.C, self.gL, self.EL, self.gNa, self.ENa = C, gL, EL, gNa, ENa
        self.gK, self.EK, self.VT, self.V_th = gK, EK, VT, V_th
        self.V_initializer = V_initializer
        self.init_state()

    def rates(self, V: Any) -> tuple[Any, Any, Any, Any, Any, Any]:  # noqa: N803
        """(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n) per ms at ``V``."""
        u = V - self.VT
        alpha_m = 0.32 * _vtrap(13.0 - u, 4.0)
        beta_m = 0.28 * _vtrap(u - 40.0, 5.0)
        alpha_h = 0.128 * bm.exp((17.0 - u) / 18.0)
        beta_h = 4.0 / (1.0 + bm.exp((40.0 - u) / 5.0))
        alpha_n = 0.032 * _vtrap(15.0 - u, 5.0)
        beta_n = 0.5 * bm.exp((10.0 - u) / 40.0)
        return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        init = self.V_initializer
        V = bm.broadcast_to(bm.asarray(init(shape) if callable(init) else init,  # noqa: N806
                                       dtype=environ.dftype()), shape).astype(environ.dftype())
        am, bm_, ah, bh, an, bn = self.rates(V)
        self.V = brainx.ShortTermState(V, name="V")
        self.m = brainx.ShortTermState((am / (am + bm_)).astype(V.dtype), name="m")
        self.h = brainx.ShortTermState((ah / (ah + bh)).astype(V.dtype), name="h")
        self.n = brainx.ShortTermState((an / (an + bn)).astype(V.dtype), name="n")
        self.spike = brainx.ShortTermState(bm.zeros(shape, dtype=bool), name="spike")

    def update(self, x: Any = 0.0) -> Any:
        dt = environ.dt_value()
        V, m, h, n = self.V.value, self.m.value, self.h.value, self.n.value  # noqa: N806
        g_na = self.gNa * m * m * m * h
        g_k = self.gK * n * n * n * n
        conductance = self.gL + g_na + g_k
        drive = self.gL * self.EL + g_na * self.ENa + g_k * self.EK + x
        synaptic = self.conductance_inputs()
        if synaptic is None:  # other kinds of input: their current is held over the step
            drive = drive + self.sum_current_inputs(0.0, V)
        else:
            for g, E in synaptic:  # noqa: N806
                conductance = conductance + g
                drive = drive + g * E
        V_inf = drive / conductance  # noqa: N806
        V_new = V_inf + (V - V_inf) * bm.exp(-conductance * (dt / self.C))  # noqa: N806
        am, bm_, ah, bh, an, bn = self.rates(V)
        new_gates = []
        for gate, alpha, beta in ((m, am, bm_), (h, ah, bh), (n, an, bn)):
            total = alpha + beta
            steady = alpha / total
            new_gates.append((steady + (gate - steady) * bm.exp(-total * dt)).astype(V.dtype))
        self.spike.value = (V < self.V_th) & (V_new >= self.V_th)
        self.V.value = V_new.astype(V.dtype)
        self.m.value, self.h.value, self.n.value = new_gates
        return self.spike.value


class COBAHHNetwork(brainx.nn.DynamicsGroup):
    """The network: one TraubHH population and its two conductance projections.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     net = COBAHHNetwork(size=400, seed=0)
    >>> net.num_exc, round(net.E.comm.prob, 3)
    (320, 0.2)
    """

    def __init__(self, size: int = 4000, seed: int = 0):
        super().__init__()
        check_size(size)
        self.num_exc = int(size * 0.8)
        prob = 80.0 / size
        rng = brainx.random.RandomState(seed)
        self.N = TraubHH(size, V_initializer=lambda shape: -60.0 + rng.normal(-5.0, 5.0, shape))
        self.E = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(self.num_exc, size, prob, 6.0, seed=seed + 1),
            syn=brainx.nn.Expon(size, tau=5.0), out=brainx.nn.COBA(E=0.0), post=self.N)
        self.I = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(size - self.num_exc, size, prob, 67.0, seed=seed + 2),
            syn=brainx.nn.Expon(size, tau=10.0), out=brainx.nn.COBA(E=-80.0), post=self.N)
        dtype = environ.dftype()
        self.E.syn.g.value = rng.normal(40.0, 15.0, (size,)).astype(dtype)
        self.I.syn.g.value = rng.normal(200.0, 120.0, (size,)).astype(dtype)

    def update(self) -> None:
        spikes = self.N.spike.value
        self.E(spikes[:self.num_exc])
        self.I(spikes[self.num_exc:])
        self.N()


def simulate(size: int = 4000, duration: float = 1000.0, seed: int = 0,
             backend: str | None = None, progress_bar: bool = False) -> NetworkResult:
    """Build COBA-HH, run ``duration`` ms twice (compile, then timed run); record spikes.

    Examples
    --------
    >>> result = simulate(size=200, duration=20.0, backend='numba')
    >>> result.spikes.shape
    (200, 200)
    """
    return simulate_network("COBA-HH", lambda n, s: COBAHHNetwork(n, seed=s), size, duration,
                            seed, backend, progress_bar)


