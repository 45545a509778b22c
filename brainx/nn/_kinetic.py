"""Receptor-kinetic synapses (AMPA, GABAa, NMDA) and short-term plasticity (STP, STD).

These models are not linear in their state (a receptor saturates, a resource is
depleted), so one state per postsynaptic neuron is not enough: they live on the
presynaptic side, one per presynaptic neuron, and reach their targets through
:class:`~brainx.nn.AlignPreProj` (or, for STP/STD, through a projection's
``comm``, scaling each spike by the synaptic efficacy).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ
from brainx._units import to_canonical
from brainx.modes import Mode
from brainx.nn._bases import Synapse
from brainx.nn._neurons import (
    _parameter_array,
    as_dtype,
    check_parameter_shapes,
    elementwise,
    host_constants,
    is_array_parameter,
    positive,
)

__all__ = ["AMPA", "GABAa", "NMDA", "STP", "STD"]


def _now(model: str) -> Any:
    t = environ.get("t", default=None)
    if t is None:
        raise RuntimeError(f"{model} needs the current time: run it with brainx.Runner, or set "
                           f"it with brainx.environ.context(t=...)")
    return t


def _as_spikes(x: Any) -> Any:
    return x if bm.asarray(x).dtype == bool else bm.asarray(x) > 0


def _fraction(name: str, value: Any) -> Any:
    """A release probability in (0, 1] as a float, or an array of them (one per neuron)."""
    number = to_canonical(value, "dimensionless", name)
    if is_array_parameter(number):
        array = _parameter_array(name, number, 0.0, True, "a number in (0, 1]")
        if (array > 1.0).any():
            where = tuple(int(i) for i in np.argwhere(array > 1.0)[0])
            raise ValueError(f"{name} must be a number in (0, 1] or an array of them, got "
                             f"{float(array[array > 1.0][0])!r} at index {where}")
        return array
    if isinstance(number, bool) or not isinstance(number, numbers.Real) or not 0 < number <= 1:
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")
    return float(number)


class AMPA(Synapse):
    r"""AMPA receptor kinetics (Destexhe et al. 1994), the fraction of open channels ``g``.

    :math:`dg/dt = \alpha T (1 - g) - \beta g`, where the transmitter concentration
    ``T`` is ``T_max`` (mM) for ``T_dur`` ms after each presynaptic spike and 0
    otherwise. ``T`` is constant within a step, so the step is exact:
    :math:`g \to g_\infty + (g - g_\infty) e^{-(\alpha T + \beta) dt}`.

    ``update(spikes)`` takes the presynaptic spikes and returns ``g``.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape (presynaptic neurons).
    alpha, beta : float or array of shape size
        Binding (1/(mM ms)) and unbinding (1/ms) rates.
    T, T_dur : float or array of shape size
        The transmitter concentration (mM) and how long it lasts after a spike (ms).

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
        self.alpha = positive("alpha", alpha)
        self.beta = positive("beta", beta)
        self.T = positive("T", T, "concentration")
        self.T_dur = positive("T_dur", T_dur, "time")
        check_parameter_shapes(self, ("alpha", "beta", "T", "T_dur"))
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.g = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="g")
        self.spike_arrival = brainx.ShortTermState(bm.full(shape, -1e7, dtype=environ.dftype()),
                                                   name="spike_arrival")

    def _constants(self, dt: float) -> tuple:
        """(the end of the release window, g_inf, the decay factors with and without
        transmitter), each computed on the host as for numbers (:func:`elementwise`)."""
        def on(alpha: float, T: float, beta: float) -> float:  # noqa: N803
            return math.exp(-(alpha * T + beta) * dt)

        return (elementwise(lambda T_dur: T_dur - 0.5 * dt, self.T_dur),  # noqa: N803
                elementwise(lambda a, T, b: a * T / (a * T + b), self.alpha, self.T, self.beta),
                elementwise(on, self.alpha, self.T, self.beta),
                elementwise(lambda b: math.exp(-b * dt), self.beta))

    def update(self, x: Any) -> Any:
        t = _now(type(self).__name__)
        g = self.g.value
        window, g_inf, on_factor, off_factor = host_constants(self, "kinetics", g.dtype,
                                                              self._constants)
        arrival = bm.where(_as_spikes(x), t, self.spike_arrival.value).astype(g.dtype)
        # the transmitter is present for T_dur ms; half a step of slack absorbs rounding of t
        releasing = (t - arrival) < window
        on = g_inf + (g - g_inf) * on_factor
        off = g * off_factor
        self.spike_arrival.value = arrival
        self.g.value = bm.where(releasing, on, off).astype(g.dtype)
        return self.g.value


class GABAa(AMPA):
    """GABA_A receptor kinetics: :class:`AMPA`'s equation with GABA_A's rates.

    Its parameters (``alpha``, ``beta``, ``T``, ``T_dur``), as :class:`AMPA`'s, are each a
    float or an array of shape size.

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

    Parameters
    ----------
    size : int or tuple of int
        The population's shape (presynaptic neurons).
    a : float or array of shape size
        The rate at which ``x`` opens the channels (1/ms).
    tau_decay, tau_rise : float or array of shape size
        The decay time constants of ``g`` and ``x`` (ms).

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
        self.tau_decay = positive("tau_decay", tau_decay, "time")
        self.tau_rise = positive("tau_rise", tau_rise, "time")
        check_parameter_shapes(self, ("a", "tau_decay", "tau_rise"))
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.g = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="g")
        self.x = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="x")

    def _constants(self, dt: float) -> tuple:
        """(1 / tau_decay, the decay factor of x), computed on the host as for numbers."""
        return (elementwise(lambda tau: 1.0 / tau, self.tau_decay),
                elementwise(lambda tau: math.exp(-dt / tau), self.tau_rise))

    def update(self, x: Any) -> Any:
        g, rise = self.g.value, self.x.value
        dt = environ.dt_value()
        leak, decay = host_constants(self, "kinetics", g.dtype, self._constants)
        a = as_dtype(self.a, g.dtype)
        rate = -(leak + a * rise)
        dg = -g / self.tau_decay + a * rise * (1.0 - g)
        self.g.value = (g + bm.expm1(rate * dt) / rate * dg).astype(g.dtype)
        self.x.value = (rise * decay + bm.asarray(x, dtype=rise.dtype)).astype(rise.dtype)
        return self.g.value


class STP(Synapse):
    r"""Short-term facilitation and depression (Tsodyks & Markram 1997).

    Between spikes the utilisation ``u`` relaxes to 0 with ``tau_f`` and the
    resources ``x`` recover to 1 with ``tau_d``. At a spike, ``u`` first grows by
    ``U (1 - u)``, the spike is transmitted with efficacy ``u x``, and ``x`` loses
    ``u x``. ``update(spikes)`` returns the transmitted events (``u x`` where a
    spike arrived, else 0): feed them to an event layer, e.g.
    ``Sequential(STP(n_pre), brainx.event.FixedProb(...))`` as a projection's ``comm``.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape (presynaptic neurons).
    U : float or array of shape size
        The increment of ``u`` per spike, in (0, 1].
    tau_f, tau_d : float or array of shape size
        The facilitation and depression (recovery) time constants (ms).

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
        self.U = _fraction("U", U)
        self.tau_f = positive("tau_f", tau_f, "time")
        self.tau_d = positive("tau_d", tau_d, "time")
        check_parameter_shapes(self, ("U", "tau_f", "tau_d"))
        self.init_state()

    @property
    def n_pre(self) -> int:
        return self.num

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.u = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="u")
        self.x = brainx.ShortTermState(bm.ones(shape, dtype=environ.dftype()), name="x")

    def _constants(self, dt: float) -> tuple:
        """(U, the decay factors of u and of 1 - x), computed on the host as for numbers."""
        return (self.U, elementwise(lambda tau: math.exp(-dt / tau), self.tau_f),
                elementwise(lambda tau: math.exp(-dt / tau), self.tau_d))

    def update(self, spikes: Any) -> Any:
        u0, x0 = self.u.value, self.x.value
        U, u_decay, x_decay = host_constants(self, "kinetics", u0.dtype, self._constants)
        u = u0 * u_decay
        x = 1.0 - (1.0 - x0) * x_decay
        fired = _as_spikes(spikes)
        u = bm.where(fired, u + U * (1.0 - u), u)
        efficacy = u * x
        self.u.value = u.astype(u0.dtype)
        self.x.value = bm.where(fired, x - efficacy, x).astype(x0.dtype)
        return bm.where(fired, efficacy, 0.0).astype(u0.dtype)


class STD(Synapse):
    r"""Short-term depression: resources ``x`` recover to 1 with ``tau`` and each spike,
    transmitted with efficacy ``U x``, uses that much of them.

    ``update(spikes)`` returns the transmitted events (``U x`` where a spike
    arrived, else 0), as :class:`STP` does.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape (presynaptic neurons).
    tau : float or array of shape size
        The recovery time constant (ms).
    U : float or array of shape size
        The fraction of the resources each spike uses, in (0, 1].

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
        self.U = _fraction("U", U)
        self.tau = positive("tau", tau, "time")
        check_parameter_shapes(self, ("U", "tau"))
        self.init_state()

    @property
    def n_pre(self) -> int:
        return self.num

    def init_state(self, batch_size: int | None = None) -> None:
        self.x = brainx.ShortTermState(bm.ones(self.state_shape(batch_size),
                                               dtype=environ.dftype()), name="x")

    def _constants(self, dt: float) -> tuple:
        """(U, the decay factor of 1 - x), computed on the host as for numbers."""
        return self.U, elementwise(lambda tau: math.exp(-dt / tau), self.tau)

    def update(self, spikes: Any) -> Any:
        x0 = self.x.value
        U, decay = host_constants(self, "kinetics", x0.dtype, self._constants)
        x = 1.0 - (1.0 - x0) * decay
        fired = _as_spikes(spikes)
        efficacy = U * x
        self.x.value = bm.where(fired, x - efficacy, x).astype(x0.dtype)
        return bm.where(fired, efficacy, 0.0).astype(x0.dtype)
