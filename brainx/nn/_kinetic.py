"""Receptor-kinetic synapses (AMPA, GABAa, NMDA) and short-term plasticity (STP, STD).

These models are not linear in their state (a receptor saturates, a resource is
depleted), so one state per postsynaptic neuron is not enough: they live on the
presynaptic side, one per presynaptic neuron, and reach their targets through
:class:`~brainx.nn.AlignPreProj` (or, for STP/STD, through a projection's
``comm``, scaling each spike by the synaptic efficacy).
"""

from __future__ import annotations

import math
from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.modes import Mode
from brainx.nn._bases import Synapse
from brainx.nn._neurons import positive

__all__ = ["AMPA", "GABAa", "NMDA", "STP", "STD"]


def _now(model: str) -> Any:
    t = environ.get("t", default=None)
    if t is None:
        raise RuntimeError(f"{model} needs the current time: run it with brainx.Runner, or set "
                           f"it with brainx.environ.context(t=...)")
    return t


def _as_spikes(x: Any) -> Any:
    return x if bm.asarray(x).dtype == bool else bm.asarray(x) > 0


class AMPA(Synapse):
    r"""AMPA receptor kinetics (Destexhe et al. 1994), the fraction of open channels ``g``.

    :math:`dg/dt = \alpha T (1 - g) - \beta g`, where the transmitter concentration
    ``T`` is ``T_max`` (mM) for ``T_dur`` ms after each presynaptic spike and 0
    otherwise. ``T`` is constant within a step, so the step is exact:
    :math:`g \to g_\infty + (g - g_\infty) e^{-(\alpha T + \beta) dt}`.

    ``update(spikes)`` takes the presynaptic spikes and returns ``g``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     syn = brainx.nn.AMPA(1)
    ...     for i in range(5):                 # a spike at 0, then 0.5 ms of transmitter
    ...         with brainx.environ.context(t=i * 0.1):
    ...             g = syn(i == 0)
    >>> round(float(g[0]), 4)
    0.2082
    """

    def __init__(self, size: Any, alpha: float = 0.98, beta: float = 0.18, T: float = 0.5,  # noqa: N803
                 T_dur: float = 0.5, name: str | None = None, mode: Mode | None = None):  # noqa: N803
        super().__init__(size, name=name, mode=mode)
        self.alpha, self.beta = positive("alpha", alpha), positive("beta", beta)
        self.T, self.T_dur = positive("T", T), positive("T_dur", T_dur)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.g = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="g")
        self.spike_arrival = brainx.ShortTermState(bm.full(shape, -1e7, dtype=environ.dftype()),
                                                   name="spike_arrival")

    def update(self, x: Any) -> Any:
        t = _now(type(self).__name__)
        g = self.g.value
        dt = environ.dt_value()
        arrival = bm.where(_as_spikes(x), t, self.spike_arrival.value).astype(g.dtype)
        # the transmitter is present for T_dur ms; half a step of slack absorbs rounding of t
        releasing = (t - arrival) < self.T_dur - 0.5 * dt
        rate_on = self.alpha * self.T + self.beta
        g_inf = self.alpha * self.T / rate_on
        on = g_inf + (g - g_inf) * math.exp(-rate_on * dt)
        off = g * math.exp(-self.beta * dt)
        self.spike_arrival.value = arrival
        self.g.value = bm.where(releasing, on, off).astype(g.dtype)
        return self.g.value


class GABAa(AMPA):
    """GABA_A receptor kinetics: :class:`AMPA`'s equation with GABA_A's rates.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     syn = brainx.nn.GABAa(2)
    >>> syn.alpha, syn.beta, syn.T, syn.T_dur
    (0.53, 0.18, 1.0, 1.0)
    """

    def __init__(self, size: Any, alpha: float = 0.53, beta: float = 0.18, T: float = 1.0,  # noqa: N803
                 T_dur: float = 1.0, name: str | None = None, mode: Mode | None = None):  # noqa: N803
        super().__init__(size, alpha=alpha, beta=beta, T=T, T_dur=T_dur, name=name, mode=mode)


class NMDA(Synapse):
    r"""NMDA receptor kinetics: a fast rise variable ``x`` gating a slow conductance ``g``.

    :math:`dg/dt = -g/\tau_{decay} + a x (1 - g)`, :math:`dx/dt = -x/\tau_{rise}`,
    and each presynaptic spike adds 1 to ``x``. ``x`` decays exactly; ``g`` takes
    an exponential-Euler step with its own rate :math:`-(1/\tau_{decay} + a x)`.
    Pair it with :class:`~brainx.nn.MgBlock` for the voltage dependence.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     syn = brainx.nn.NMDA(1)
    ...     g = [float(syn(i == 0)[0]) for i in range(200)]
    >>> g.index(max(g)) > 50             # the peak comes several ms after the spike
    True
    """

    def __init__(self, size: Any, a: float = 0.5, tau_decay: float = 100.0,
                 tau_rise: float = 2.0, name: str | None = None, mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        self.a = positive("a", a)
        self.tau_decay, self.tau_rise = positive("tau_decay", tau_decay), positive("tau_rise",
                                                                                     tau_rise)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.g = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="g")
        self.x = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="x")

    def update(self, x: Any) -> Any:
        g, rise = self.g.value, self.x.value
        dt = environ.dt_value()
        rate = -(1.0 / self.tau_decay + self.a * rise)
        dg = -g / self.tau_decay + self.a * rise * (1.0 - g)
        self.g.value = (g + bm.expm1(rate * dt) / rate * dg).astype(g.dtype)
        self.x.value = (rise * math.exp(-dt / self.tau_rise) + bm.asarray(x, dtype=rise.dtype)
                        ).astype(rise.dtype)
        return self.g.value


class STP(Synapse):
    r"""Short-term facilitation and depression (Tsodyks & Markram 1997).

    Between spikes the utilisation ``u`` relaxes to 0 with ``tau_f`` and the
    resources ``x`` recover to 1 with ``tau_d``. At a spike, ``u`` first grows by
    ``U (1 - u)``, the spike is transmitted with efficacy ``u x``, and ``x`` loses
    ``u x``. ``update(spikes)`` returns the transmitted events (``u x`` where a
    spike arrived, else 0): feed them to an event layer, e.g.
    ``Sequential(STP(n_pre), brainx.event.FixedProb(...))`` as a projection's ``comm``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     stp = brainx.nn.STP(1, U=0.15, tau_f=1500.0, tau_d=200.0)
    ...     first = float(stp(np.array([True]))[0])
    ...     second = float(stp(np.array([True]))[0])
    >>> round(first, 4), round(second, 4)         # U, then facilitated and depleted
    (0.15, 0.2359)
    """

    def __init__(self, size: Any, U: float = 0.15, tau_f: float = 1500.0,  # noqa: N803
                 tau_d: float = 200.0, name: str | None = None, mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        if isinstance(U, bool) or not isinstance(U, (int, float)) or not 0 < U <= 1:
            raise ValueError(f"U must be in (0, 1], got {U!r}")
        self.U = float(U)
        self.tau_f, self.tau_d = positive("tau_f", tau_f), positive("tau_d", tau_d)
        self.init_state()

    @property
    def n_pre(self) -> int:
        return self.num

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.u = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="u")
        self.x = brainx.ShortTermState(bm.ones(shape, dtype=environ.dftype()), name="x")

    def update(self, spikes: Any) -> Any:
        dt = environ.dt_value()
        u0, x0 = self.u.value, self.x.value
        u = u0 * math.exp(-dt / self.tau_f)
        x = 1.0 - (1.0 - x0) * math.exp(-dt / self.tau_d)
        fired = _as_spikes(spikes)
        u = bm.where(fired, u + self.U * (1.0 - u), u)
        efficacy = u * x
        self.u.value = u.astype(u0.dtype)
        self.x.value = bm.where(fired, x - efficacy, x).astype(x0.dtype)
        return bm.where(fired, efficacy, 0.0).astype(u0.dtype)


class STD(Synapse):
    r"""Short-term depression: resources ``x`` recover to 1 with ``tau`` and each spike,
    transmitted with efficacy ``U x``, uses that much of them.

    ``update(spikes)`` returns the transmitted events (``U x`` where a spike
    arrived, else 0), as :class:`STP` does.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     std = brainx.nn.STD(1, tau=200.0, U=0.5)
    ...     out = [round(float(std(np.array([True]))[0]), 4) for _ in range(3)]
    >>> out                                        # each spike halves what is left
    [0.5, 0.2501, 0.1252]
    """

    def __init__(self, size: Any, tau: float = 200.0, U: float = 0.07,  # noqa: N803
                 name: str | None = None, mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        if isinstance(U, bool) or not isinstance(U, (int, float)) or not 0 < U <= 1:
            raise ValueError(f"U must be in (0, 1], got {U!r}")
        self.U, self.tau = float(U), positive("tau", tau)
        self.init_state()

    @property
    def n_pre(self) -> int:
        return self.num

    def init_state(self, batch_size: int | None = None) -> None:
        self.x = brainx.ShortTermState(bm.ones(self.state_shape(batch_size),
                                               dtype=environ.dftype()), name="x")

    def update(self, spikes: Any) -> Any:
        x0 = self.x.value
        x = 1.0 - (1.0 - x0) * math.exp(-environ.dt_value() / self.tau)
        fired = _as_spikes(spikes)
        efficacy = self.U * x
        self.x.value = bm.where(fired, x - efficacy, x).astype(x0.dtype)
        return bm.where(fired, efficacy, 0.0).astype(x0.dtype)
