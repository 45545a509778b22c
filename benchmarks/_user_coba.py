"""COBA with its neuron and synapse written as a user writes them, the way docs/ teaches.

``UserLIFRef`` (a ``brainx.nn.Neuron``) and ``UserExpon`` (a ``brainx.nn.Dynamics``)
are written with States and ``brainx.math`` only; ``UserCOBA`` wires them with
``brainx.event.FixedProb`` and ``brainx.nn.AlignPostProj`` as
docs/tutorial_ei_network.md does, with the parameters, seeds and initial ``V`` of
``brainx.examples.coba.COBANetwork``. The expressions are the built-in models', in
the same order (``dV`` divided by ``tau`` before the multiplication by the
exponential factor; the refractory test with half a step of slack), so the network
gives the built-in one's spike raster bit for bit (tests/unit/test_benchmarks_limit.py).
"""

from __future__ import annotations

import math
from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.integrators import exponential_factor

__all__ = ["UserLIFRef", "UserExpon", "UserCOBA"]


class UserLIFRef(brainx.nn.Neuron):
    """LIF with an absolute refractory period: ``tau dV/dt = -(V - V_rest) + R I``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(t=0.0):
    ...     neuron = UserLIFRef(2, V_init=-60.0)
    ...     neuron(20.0).tolist()
    [False, False]
    """

    def __init__(self, size: int, V_rest: float = -60.0, V_th: float = -50.0,  # noqa: N803
                 V_reset: float = -60.0, tau: float = 20.0, tau_ref: float = 5.0,  # noqa: N803
                 R: float = 1.0, V_init: Any = -60.0):  # noqa: N803
        super().__init__(size, spk_fun=None, spk_reset=None)
        self.V_rest, self.V_th, self.V_reset = V_rest, V_th, V_reset
        self.tau, self.tau_ref, self.R = tau, tau_ref, R
        self.V_init = V_init
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        V = self.V_init(shape) if callable(self.V_init) else self.V_init  # noqa: N806
        self.V = brainx.HiddenState(bm.broadcast_to(bm.asarray(V, dtype=environ.dftype()),
                                                    shape))
        self.spike = brainx.ShortTermState(bm.zeros(shape, dtype=bool))
        self.t_last = brainx.ShortTermState(bm.full(shape, -1e7, dtype=environ.dftype()))

    def get_spike(self) -> Any:
        return self.spike.value

    def update(self, x: Any = 0.0) -> Any:
        dt = environ.dt_value()
        V, t_last = self.V.value, self.t_last.value  # noqa: N806
        t = bm.asarray(environ.get("t"), dtype=t_last.dtype)
        I = self.sum_current_inputs(x, V)  # noqa: E741 - x plus the projections' g (E - V)
        dV = (-(V - self.V_rest) + self.R * I) / self.tau  # noqa: N806
        # exact over a step of constant input: (exp(-dt/tau) - 1) / (-1/tau) dV/dt
        V_step = V + exponential_factor(-1.0 / self.tau, dt) * dV  # noqa: N806
        # t lies on a grid of dt: half a step of slack makes "tau_ref ago" robust to rounding
        refractory = (t - t_last) <= self.tau_ref + 0.5 * dt
        V_new = bm.where(refractory, V, V_step)  # noqa: N806
        fired = (V_new >= self.V_th) & ~refractory
        self.V.value = bm.where(fired, self.V_reset, V_new).astype(V.dtype)
        self.t_last.value = bm.where(fired, t, t_last).astype(t_last.dtype)
        self.spike.value = fired
        return fired


class UserExpon(brainx.nn.Dynamics):
    """An exponentially decaying conductance, ``dg/dt = -g / tau``, and ``g += x`` per step.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     syn = UserExpon(1, tau=5.0)
    ...     _ = syn(1.0)
    ...     round(float(syn(0.0)[0]), 6)
    0.980199
    """

    def __init__(self, size: int, tau: float = 5.0):
        super().__init__(size)
        self.tau = tau
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.g = brainx.ShortTermState(bm.zeros(self.state_shape(batch_size),
                                                dtype=environ.dftype()))

    def update(self, x: Any = 0.0) -> Any:
        decay = math.exp(-environ.dt_value() / self.tau)  # the exact decay over one step
        self.g.value = (self.g.value * decay + x).astype(self.g.value.dtype)
        return self.g.value


class UserCOBA(brainx.nn.DynamicsGroup):
    """``COBANetwork(size, seed)`` built from the user classes above.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     net = UserCOBA(400, seed=0)
    >>> net.num_exc, net.N.num
    (320, 400)
    """

    def __init__(self, size: int = 4000, seed: int = 0):
        super().__init__()
        self.num_exc = int(size * 0.8)
        prob = 80.0 / size
        rng = brainx.random.RandomState(seed)
        self.N = UserLIFRef(size, V_init=lambda shape: rng.normal(-60.0, 5.0, shape))
        self.E = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(self.num_exc, size, prob, 0.6, seed=seed + 1),
            syn=UserExpon(size, tau=5.0), out=brainx.nn.COBA(E=0.0), post=self.N)
        self.I = brainx.nn.AlignPostProj(
            comm=brainx.event.FixedProb(size - self.num_exc, size, prob, 6.7, seed=seed + 2),
            syn=UserExpon(size, tau=10.0), out=brainx.nn.COBA(E=-80.0), post=self.N)

    def update(self, current: float = 20.0) -> None:
        spikes = self.N.spike.value  # the spikes of the previous step
        self.E(spikes[:self.num_exc])
        self.I(spikes[self.num_exc:])
        self.N(current)
