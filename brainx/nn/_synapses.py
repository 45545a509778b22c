"""Synaptic dynamics (Expon, DualExpon, Alpha) and synaptic outputs (CUBA, COBA, MgBlock).

A synapse's ``update(x=None)`` decays its state, then adds its delta inputs (what
projections registered with ``add_delta_input``) and ``x``. An output turns a
conductance into a current: ``out(g, V)``, or, brainstate's way, ``out.bind_cond(g)``
then ``out(V)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ
from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.integrators import odeint
from brainx.mixin import AlignPost, BindCondData
from brainx.modes import Mode
from brainx.nn._bases import Synapse
from brainx.nn._exp_euler import exp_euler_step
from brainx.nn._module import Module
from brainx.nn._neurons import (
    check_method,
    check_parameter_shapes,
    elementwise,
    heterogeneous,
    positive,
    real,
)

__all__ = ["Expon", "DualExpon", "Alpha", "SynOut", "CUBA", "COBA", "MgBlock"]


def decay_factor(tau: Any) -> Any:
    """``exp(-dt / tau)`` for the current ``dt``, computed on the host (for an array of
    time constants, an array, each element computed as for a number)."""
    dt = environ.dt_value()
    return elementwise(lambda t: math.exp(-dt / t), tau)


class Expon(Synapse, AlignPost):
    r"""Exponentially decaying conductance: :math:`dg/dt = -g/\tau`, and ``g += x`` per step.

    ``update(x=None)`` decays ``g`` exactly over the step, then adds the delta inputs
    and ``x``. Current inputs, if any, are added to the derivative (brainstate's
    ``dg/dt = sum_current_inputs(-g) / tau``).

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau : float or array of shape size
        The decay time constant (ms).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     syn = brainx.nn.Expon(1, tau=5.0)
    ...     _ = syn(1.0)                                   # a unit input
    ...     [round(float(syn(0.0)[0]), 6) for _ in range(2)]
    [0.980199, 0.960789]
    """

    def __init__(self, size: Any, tau: float = 8.0, method: str = "exp_auto",
                 name: str | None = None, mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        self.tau = positive("tau", tau, "time")
        check_method(method, {"tau": self.tau})
        check_parameter_shapes(self, ("tau",))
        self.method = method
        self.integral = odeint(lambda g, t: -g / self.tau, method=method)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.g = brainx.ShortTermState(bm.zeros(self.state_shape(batch_size),
                                                dtype=environ.dftype()), name="g")

    def decay(self, dtype: Any) -> Any:
        """``exp(-dt / tau)`` as a scalar of ``dtype`` (computed once per dt and dtype).

        Examples
        --------
        >>> import numpy as np
        >>> import brainx
        >>> with brainx.use_backend('numba'), brainx.environ.context(dt=0.1):
        ...     round(float(brainx.nn.Expon(1, tau=5.0).decay(np.float64)), 6)
        0.980199
        """
        key = (environ.dt_value(), dtype)
        cached = self.__dict__.get("_decay_cache")
        if cached is None or cached[0] != key:
            factor = decay_factor(self.tau)
            cast = np.asarray(factor, dtype) if isinstance(factor, np.ndarray) else \
                bm.dtype(dtype).type(factor)
            cached = self._decay_cache = (key, cast)
        return cached[1]

    def update(self, x: Any = None) -> Any:
        g = self.g.value
        x = self.sum_delta_inputs(0.0 if x is None else x)
        if self._current_inputs:
            g = exp_euler_step(lambda v: self.sum_current_inputs(-v) / self.tau, g)
            self.g.value = (g + x).astype(self.g.value.dtype)
        elif self.method.startswith("exp"):  # exact: g decays by exp(-dt / tau) per step
            b = get_backend()
            self.g.value = lookup("nn.decay_add", b)(b, g, self.decay(g.dtype), x)
        else:
            self.g.value = (self.integral(g, 0.0) + x).astype(g.dtype)
        return self.g.value


def _peak_normalisation(tau_decay: float, tau_rise: float) -> float:
    """The amplitude that makes a dual-exponential response to a unit input peak at 1."""
    peak = tau_decay * tau_rise / (tau_decay - tau_rise) * math.log(tau_decay / tau_rise)
    return 1.0 / (math.exp(-peak / tau_decay) - math.exp(-peak / tau_rise))


class DualExpon(Synapse, AlignPost):
    r"""Difference of exponentials with rise ``tau_rise`` and decay ``tau_decay``.

    :math:`g = A (g_d - g_r)`, each part decaying with its own time constant and both
    receiving the input (``x`` and the delta inputs). By default ``A`` normalises the
    response to a unit input so that its peak is 1.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau_decay, tau_rise : float or array of shape size
        Decay and rise time constants (ms, ``tau_decay > tau_rise``).
    A : float or array of shape size, optional
        The amplitude; by default the one giving each neuron a peak of 1.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     round(brainx.nn.DualExpon(1, tau_decay=10.0, tau_rise=1.0).A, 4)
    1.4351
    """

    def __init__(self, size: Any, tau_decay: float = 10.0, tau_rise: float = 1.0,
                 A: float | None = None, method: str = "exp_auto", name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        self.tau_decay = positive("tau_decay", tau_decay, "time")
        self.tau_rise = positive("tau_rise", tau_rise, "time")
        check_parameter_shapes(self, ("tau_decay", "tau_rise"))
        if not np.all(np.asarray(self.tau_decay) > np.asarray(self.tau_rise)):
            raise ValueError(f"tau_decay ({tau_decay}) must be larger than tau_rise ({tau_rise})")
        if A is None:
            A = elementwise(_peak_normalisation, self.tau_decay, self.tau_rise)
        self.A = real("A", A)
        check_parameter_shapes(self, ("A",))
        check_method(method, {"tau_rise": self.tau_rise})
        self.integral = odeint(lambda r, d, t: (-r / self.tau_rise, -d / self.tau_decay),
                               method=method)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.g_rise = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()),
                                            name="g_rise")
        self.g_decay = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()),
                                             name="g_decay")

    @property
    def g(self) -> Any:
        return self.A * (self.g_decay.value - self.g_rise.value)

    def update(self, x: Any = None) -> Any:
        x = self.sum_delta_inputs(0.0 if x is None else x)
        rise, decay = self.integral(self.g_rise.value, self.g_decay.value, 0.0)
        dtype = self.g_rise.value.dtype
        self.g_rise.value = (rise + x).astype(dtype)
        self.g_decay.value = (decay + x).astype(dtype)
        return self.g


class Alpha(Synapse):
    r"""Alpha-function conductance: :math:`g(t) = (t/\tau) e^{1 - t/\tau}` after a unit input.

    Integrated as :math:`dh/dt = -h/\tau`, :math:`dg/dt = (e\,h - g)/\tau` with the input
    (and the delta inputs) added to ``h``, so the response to a unit input peaks at 1
    after ``tau`` ms.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau : float or array of shape size
        The time constant (ms): the time of the peak.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.Alpha(2, tau=5.0).g.value.tolist()
    [0.0, 0.0]
    """

    def __init__(self, size: Any, tau: float = 8.0, method: str = "rk4", name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        self.tau = positive("tau", tau, "time")
        check_parameter_shapes(self, ("tau",))
        check_method(method, {"tau": self.tau})
        self.integral = odeint(lambda g, h, t: ((math.e * h - g) / self.tau, -h / self.tau),
                               method=method)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.g = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="g")
        self.h = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()), name="h")

    def update(self, x: Any = None) -> Any:
        x = self.sum_delta_inputs(0.0 if x is None else x)
        g, h = self.integral(self.g.value, self.h.value, 0.0)
        self.g.value = g.astype(self.g.value.dtype)
        self.h.value = (h + x).astype(self.h.value.dtype)
        return self.g.value


class SynOut(Module, BindCondData):
    """Base class of synaptic outputs: ``update(g, V)`` turns a conductance into a current.

    Called with both, ``out(g, V)``; called brainstate's way, ``out(V)`` uses the
    conductance bound for this step with :meth:`bind_cond` (align-post projections
    built from descriptors bind it before the postsynaptic update).

    The parameters named in ``_per_neuron`` may be arrays, one value per postsynaptic
    neuron; an output does not know its population until it is called, so their
    shapes are checked against the shape of ``g`` and ``V`` at the first call.

    Examples
    --------
    >>> import brainx
    >>> out = brainx.nn.COBA(E=0.0)
    >>> out.bind_cond(0.5)
    >>> out(-60.0), out(0.5, -60.0)
    (30.0, 30.0)
    """

    #: the parameters that may hold one value per postsynaptic neuron
    _per_neuron: tuple[str, ...] = ()

    def __init__(self, name: str | None = None):
        super().__init__(name=name)
        self._conductance = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) >= 2:
            self._check_shapes(*args[:2])
            return self.update(*args, **kwargs)
        if self._conductance is None:
            raise ValueError(f"{type(self).__name__}: no conductance for this step; call "
                             f"{type(self).__name__}(g, V), or bind_cond(g) first")
        if args:
            self._check_shapes(self._conductance, args[0])
        return self.update(self._conductance, *args, **kwargs)

    def _check_shapes(self, g: Any, V: Any) -> None:
        """Array parameters must broadcast to the population's shape, that of ``g (E - V)``
        (checked once per shape; nothing to do when every parameter is a number)."""
        if not heterogeneous(self, self._per_neuron):
            return
        key = (np.shape(g), np.shape(V))
        if self.__dict__.get("_checked_shapes") == key:
            return
        try:
            shape = np.broadcast_shapes(*key)
        except ValueError:
            return  # g and V disagree: the arithmetic says so
        check_parameter_shapes(self, self._per_neuron, shape)
        self._checked_shapes = key

    def conductance(self) -> tuple[Any, float] | None:
        """``(g, E)`` when the current is ``g (E - V)`` with one reversal potential ``E``."""
        return None

    def weights_given_in(self, dimension: str | None) -> None:
        """Told by a projection the unit dimension of its weights (None: unitless)."""


class CUBA(SynOut):
    """Current-based output: the current is ``scale * g``.

    Parameters
    ----------
    scale : float, array of the population's shape or Quantity, optional
        A voltage turning the synaptic variable into a current (an array: one value per
        postsynaptic neuron). By default it follows
        the units of the projection's weights: brainstate's 1 volt when they are
        conductances (a Quantity such as ``0.1 * u.mS``, so ``g * scale`` is in mA),
        1 when they are plain numbers (taken as currents in brainx's units already).

    Examples
    --------
    >>> import brainx
    >>> brainx.nn.CUBA(scale=2.0)(3.0, -60.0)
    6.0
    >>> out = brainx.nn.CUBA()
    >>> out.weights_given_in("conductance")   # what a projection of 0.1 * u.mS does
    >>> out.scale                             # 1 V in mV
    1000.0
    """

    _per_neuron = ("scale",)

    def __init__(self, scale: Any = None, name: str | None = None):
        super().__init__(name=name)
        self._default_scale = scale is None
        self._weight_dimensions: set[str | None] = set()
        self.scale = 1.0 if scale is None else real("scale", scale)

    def weights_given_in(self, dimension: str | None) -> None:
        if not self._default_scale:
            return
        self._weight_dimensions.add(dimension)
        if len(self._weight_dimensions) > 1:
            given = sorted(map(str, self._weight_dimensions))
            raise ValueError(f"CUBA() with the default scale is shared by projections whose "
                             f"weights have different units ({given}); give scale= explicitly")
        self.scale = 1000.0 if dimension == "conductance" else 1.0

    def update(self, g: Any, V: Any = None) -> Any:
        return self.scale * g


class COBA(SynOut):
    """Conductance-based output: the current is ``g * (E - V)``.

    Parameters
    ----------
    E : float, array of the population's shape or Quantity
        The reversal potential (mV); an array gives one value per postsynaptic neuron
        (or broadcasts to the population's shape).

    Examples
    --------
    >>> import brainx
    >>> brainx.nn.COBA(E=0.0)(0.5, -60.0)
    30.0
    """

    _per_neuron = ("E",)

    def __init__(self, E: Any, name: str | None = None):  # noqa: N803 - the physics name
        super().__init__(name=name)
        self.E = real("E", E, "voltage")

    def update(self, g: Any, V: Any) -> Any:
        return g * (self.E - V)

    def conductance(self) -> tuple[Any, float] | None:
        if self._conductance is None or not isinstance(self.E, float):
            return None
        return self._conductance, self.E


class MgBlock(SynOut):
    """NMDA-type output with magnesium block (Jahr & Stevens 1990).

    The current is ``g * (E - V) / (1 + cc_Mg / beta * exp(alpha * (V_offset - V)))``.

    Parameters
    ----------
    E : float or array of the population's shape
        The reversal potential (mV).
    cc_Mg : float or array of the population's shape
        The extracellular magnesium concentration (mM).
    alpha, beta : float or array of the population's shape
        The voltage sensitivity of the block (1/mV) and its scale (mM, positive).
    V_offset : float or array of the population's shape
        The voltage offset of the block (mV).

    Notes
    -----
    Each array gives one value per postsynaptic neuron (or broadcasts to the
    population's shape).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     round(float(brainx.nn.MgBlock(E=0.0)(1.0, -60.0)), 4)
    4.0349
    """

    _per_neuron = ("E", "cc_Mg", "alpha", "beta", "V_offset")

    def __init__(self, E: Any = 0.0, cc_Mg: Any = 1.2, alpha: Any = 0.062,  # noqa: N803
                 beta: Any = 3.57, V_offset: Any = 0.0, name: str | None = None):  # noqa: N803
        super().__init__(name=name)
        self.E = real("E", E, "voltage")
        self.cc_Mg = real("cc_Mg", cc_Mg, "concentration")
        self.alpha = real("alpha", alpha)
        self.beta = positive("beta", beta)
        self.V_offset = real("V_offset", V_offset)

    def update(self, g: Any, V: Any) -> Any:
        exponent = -self.alpha * V if isinstance(self.V_offset, float) and self.V_offset == 0.0 \
            else self.alpha * (self.V_offset - V)
        return g * (self.E - V) / (1.0 + self.cc_Mg / self.beta * bm.exp(exponent))
