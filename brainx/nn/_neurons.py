"""Point-neuron models: IF, LIF, LIFRef, ExpIF, AdExIF, QuaIF, Izhikevich, HH.

Units are BrainPy's: mV, ms, and currents in the units that make ``R I`` a voltage
(HH: uA/cm^2 with C in uF/cm^2). Each model keeps ``V`` and ``spike`` as
``ShortTermState``s; ``update(x)`` advances one step of ``brainx.environ.dt_value()``
with external input ``x`` plus the currents other modules registered.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ
from brainx._units import is_quantity, to_canonical
from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.integrators import ODE_METHODS, exponential_factor, odeint
from brainx.modes import Mode
from brainx.nn import _fused  # noqa: F401  (declares the whole-step operators)
from brainx.nn._bases import Neuron
from brainx.nn._exp_euler import exp_euler_step

__all__ = ["IF", "LIF", "LIFRef", "ExpIF", "AdExIF", "QuaIF", "Izhikevich", "HH"]

Init = float | Callable[[tuple[int, ...]], Any] | Any


def is_array_parameter(number: Any) -> bool:
    """Whether a parameter is given as an array (a list or tuple counts as one)."""
    return isinstance(number, (list, tuple)) or getattr(number, "ndim", 0) >= 1


def _parameter_array(name: str, number: Any, lowest: float, strict: bool, what: str) -> Any:
    """A per-neuron (or per-synapse) parameter: an array of the default float dtype."""
    try:
        array = np.asarray(number, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {what} or an array of them, got {number!r}") from None
    bad = ~np.isfinite(array) | ((array <= lowest) if strict else (array < lowest))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be {what} or an array of them, got "
                         f"{float(array[bad][0])!r} at index {where}")
    return array.astype(environ.dftype())


def positive(name: str, value: Any, dimension: str | None = None) -> Any:
    """A positive parameter as a float, or an array of them (one per neuron or synapse); a
    Quantity is converted (and checked against ``dimension``, a key of
    ``brainx._units.DIMENSIONS``)."""
    number = to_canonical(value, dimension, name)
    if is_array_parameter(number):
        return _parameter_array(name, number, 0.0, True, "a positive number")
    if isinstance(number, bool) or not isinstance(number, numbers.Real) or not number > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(number)


def real(name: str, value: Any, dimension: str | None = None) -> Any:
    """A parameter as a float, or an array of them (one per neuron or synapse); a Quantity
    is converted (and checked against ``dimension``)."""
    number = to_canonical(value, dimension, name)
    if is_array_parameter(number):
        return _parameter_array(name, number, -np.inf, False, "a number")
    if isinstance(number, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be a number or an array of them, got {value!r}")
    try:
        return float(number)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of them, got {value!r}") from None


def check_parameter_shapes(module: Any, names: tuple[str, ...],
                           shape: tuple[int, ...] | None = None) -> None:
    """Each array parameter must broadcast to the population's shape (``shape``, by
    default ``module.varshape``)."""
    shape = module.varshape if shape is None else tuple(shape)
    for name in names:
        value = getattr(module, name, None)
        if isinstance(value, np.ndarray):
            try:
                fits = np.broadcast_shapes(value.shape, shape) == shape
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(f"{type(module).__name__}: {name} has shape {value.shape}, "
                                 f"which does not broadcast to the population's shape "
                                 f"{shape}")


def heterogeneous(module: Any, names: tuple[str, ...]) -> bool:
    """Whether any of the parameters ``names`` is an array (one value per neuron)."""
    return any(isinstance(getattr(module, name, None), np.ndarray) for name in names)


def elementwise(fn: Callable[..., float], *parameters: Any) -> Any:
    """``fn(*parameters)`` computed on the host with Python floats: a float for numbers;
    for per-neuron arrays an array of their broadcast shape (float64), each element
    computed as for numbers, so that a neuron of a population with array parameters
    steps exactly as a population of that one neuron would.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> elementwise(lambda tau: math.exp(-1.0 / tau), 2.0)
    0.6065306597126334
    >>> elementwise(lambda tau: math.exp(-1.0 / tau), np.array([2.0, 4.0])).tolist()
    [0.6065306597126334, 0.7788007830714049]
    """
    if not any(isinstance(p, np.ndarray) for p in parameters):
        return fn(*(float(p) for p in parameters))
    arrays = np.broadcast_arrays(*(np.asarray(p, dtype=np.float64) for p in parameters))
    columns = [a.ravel().tolist() for a in arrays]
    return np.array([fn(*values) for values in zip(*columns, strict=True)],
                    dtype=np.float64).reshape(arrays[0].shape)


def as_dtype(value: Any, dtype: Any) -> Any:
    """A per-neuron array as ``dtype`` (a Python float is left as it is: it takes the dtype
    of the array it meets, so float32 models stay float32)."""
    return value.astype(dtype) if isinstance(value, np.ndarray) else value


def host_constants(module: Any, key: str, dtype: Any,
                   compute: Callable[[float], tuple]) -> tuple:
    """``compute(dt)`` (numbers or per-neuron arrays, see :func:`elementwise`), the arrays
    cast to ``dtype``; cached on ``module`` under ``key`` for the current dt and dtype."""
    dt = environ.dt_value()
    cache = module.__dict__.setdefault("_host_constants", {})
    hit = cache.get(key)
    if hit is None or hit[0] != (dt, dtype):
        hit = cache[key] = ((dt, dtype), tuple(as_dtype(v, dtype) for v in compute(dt)))
    return hit[1]


def initial_value(init: Init, shape: tuple[int, ...]) -> Any:
    """A float array of ``shape`` from a number, an array or a function of the shape."""
    value = to_canonical(init(shape) if callable(init) else init, "voltage", "V_initializer")
    return bm.broadcast_to(bm.asarray(value, dtype=environ.dftype()), shape).astype(
        environ.dftype())


def check_method(method: str, time_constants: dict[str, float]) -> None:
    """Refuse unknown methods, and explicit steps too large for a time constant."""
    if method not in ODE_METHODS:
        raise ValueError(f"unknown integration method {method!r}; choose from "
                         f"{', '.join(ODE_METHODS)}")
    if method.startswith("exp"):
        return
    dt = environ.dt_value()
    for name, tau in time_constants.items():
        if np.any(dt >= 2.0 * np.asarray(tau)):
            raise ValueError(f"dt = {dt} ms is too large for {name} = {tau} ms with the explicit "
                             f"method {method!r} (it is unstable for dt >= 2 {name}); use a "
                             f"smaller dt or method='exp_auto'")


#: the parameters of the LIF family that may hold one value per neuron
_LIF_PARAMETERS = ("tau", "V_rest", "R", "V_th", "V_reset", "tau_ref")


class _SpikingNeuron(Neuron):
    """Shared machinery: V and spike States, threshold and reset.

    With ``spk_reset=None`` (the default) a neuron resets to ``V_reset`` in the step it
    crosses ``V_th`` and its spikes are booleans (or ``spk_fun(V - V_th)``). With
    ``spk_reset='soft'`` or ``'hard'`` it follows brainstate: the spike is
    ``spk_fun((V - V_th) / (V_th - V_reset))`` (``spk_fun`` defaults to
    ``brainx.surrogate.ReluGrad()``), ``V`` keeps its value above threshold for that
    step and is reset at the start of the next one (:meth:`reset_potential`).

    Every parameter named in ``_per_neuron`` may be an array broadcasting to the
    population's shape; the shapes are checked before the States are made.
    """

    #: the parameters that may hold one value per neuron (their shapes are checked)
    _per_neuron: tuple[str, ...] = ("V_th", "V_reset")
    #: whether V_th must lie above V_reset (the integrate-and-fire models)
    _reset_below_threshold = False

    def __init__(self, size: Any, V_th: float, V_reset: float, V_initializer: Init,
                 spk_fun: Callable[[Any], Any] | None, method: str, name: str | None,
                 mode: Mode | None, spk_reset: str | None = None, detach_spk: bool = False):
        if spk_reset is not None and spk_fun is None:
            from brainx import surrogate

            spk_fun = surrogate.ReluGrad()
        super().__init__(size, spk_fun=spk_fun, spk_reset=spk_reset, detach_spk=detach_spk,
                         name=name, mode=mode)
        self.V_th = real("V_th", V_th, "voltage")
        self.V_reset = real("V_reset", V_reset, "voltage")
        check_parameter_shapes(self, self._per_neuron)
        if self._reset_below_threshold and not np.all(np.asarray(self.V_th)
                                                      > np.asarray(self.V_reset)):
            raise ValueError(f"V_th ({V_th}) must be above V_reset ({V_reset})")
        self.V_initializer = V_initializer
        self.spk_fun = spk_fun
        self.method = method
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = self.state_shape(batch_size)
        self.V = brainx.ShortTermState(initial_value(self.V_initializer, shape), name="V")
        spike = bm.zeros(shape, dtype=environ.dftype() if self.spk_fun else bool)
        self.spike = brainx.ShortTermState(spike, name="spike")

    def get_spike(self, V: Any = None) -> Any:
        """The spike output for ``V`` (default: the last step's spikes, or the current ``V``).

        brainstate's resets (``spk_reset`` given): ``spk_fun((V - V_th) / (V_th - V_reset))``
        of the current ``V``. brainx's: the ``spike`` State, or for a given ``V`` the
        threshold test ``V >= V_th`` (``spk_fun(V - V_th)`` with a ``spk_fun``).
        """
        if self.spk_reset is None:
            return self.spike.value if V is None else self._fire(V)[0]
        V = self.V.value if V is None else V
        return self.spk_fun((V - self.V_th) / (self.V_th - self.V_reset))

    def reset_potential(self, V: Any) -> tuple[Any, Any]:
        """``(V after brainstate's reset, the spike that caused it)`` at the start of a step.

        ``'soft'``: ``V - (V_th - V_reset) s``; ``'hard'``: ``V - (V - V_reset) s`` with the
        ``V`` in the bracket held constant for differentiation.
        """
        b = get_backend()
        spike = self.get_spike(V)
        if self.detach_spk:
            spike = b.stop_gradient(spike)
        if self.spk_reset == "soft":
            return V - (self.V_th - self.V_reset) * spike, spike
        return V - (b.stop_gradient(V) - self.V_reset) * spike, spike

    def _store_spike(self, V: Any) -> Any:
        spike = self.get_spike(V)
        self.spike.value = bm.asarray(spike, dtype=self.spike.value.dtype)
        return spike

    def _adapting_step(self, x: Any, adaptation: Any, increment: float) -> Any:
        """One step of a neuron with an adaptation variable that jumps by ``increment``
        at each spike, while ``V`` is reset to ``V_reset``."""
        x = self.input_current(x, self.V.value)
        if self.spk_reset is not None:
            V, spike = self.reset_potential(self.V.value)
            a = adaptation.value + increment * spike
            V, a = self.integral(V, a, 0.0, self.sum_current_inputs(x, V))
            V = self.sum_delta_inputs(V)
            self.V.value = bm.asarray(V).astype(self.V.value.dtype)
            adaptation.value = bm.asarray(a).astype(adaptation.value.dtype)
            return self._store_spike(self.V.value)
        V, a = self.integral(self.V.value, adaptation.value, 0.0,
                             self.sum_current_inputs(x, self.V.value))
        V = V + self.sum_delta_inputs()
        spike, fired = self._fire(V)
        self.V.value = bm.where(fired, self.V_reset, V).astype(self.V.value.dtype)
        adaptation.value = bm.where(fired, a + increment, a).astype(adaptation.value.dtype)
        self.spike.value = spike
        return spike

    def _fire(self, V: Any) -> tuple[Any, Any]:
        """(spike output, where the neuron fired) for membrane potentials ``V``."""
        fired = V >= self.V_th
        spike = self.spk_fun(V - self.V_th) if self.spk_fun else fired
        return spike, fired


class LIF(_SpikingNeuron):
    r"""Leaky integrate-and-fire neuron: :math:`\tau dV/dt = -(V - V_{rest}) + R I`.

    When ``V >= V_th`` the neuron spikes and ``V`` is reset to ``V_reset``.

    ``spk_reset='soft'`` or ``'hard'`` asks for brainstate's LIF instead: the spike is
    ``spk_fun((V - V_th) / (V_th - V_reset))`` (``spk_fun`` defaulting to
    ``brainx.surrogate.ReluGrad()``), read with :meth:`get_spike`; ``V`` stays above
    threshold in the step of the spike and is reset at the start of the next one,
    by ``V_th - V_reset`` (soft) or to ``V_reset`` (hard); the step is brainstate's
    ``exp_euler_step``, whose linear rate includes the conductance inputs.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau, V_rest, V_reset, V_th, R : float or array of shape size
        Membrane time constant (ms), resting, reset and threshold potentials (mV,
        ``V_th > V_reset``) and membrane resistance; an array gives one value per
        neuron (broadcasting to ``size``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     lif = brainx.nn.LIF(3, V_rest=0.0, V_th=10.0, V_reset=0.0, tau=10.0)
    ...     spikes = [bool(lif(20.0)[0]) for _ in range(100)]
    >>> spikes.index(True)     # 10 ln 2 = 6.93 ms, at dt = 0.1 ms
    69
    >>> with brainx.use_backend('numba'):
    ...     soft = brainx.nn.LIF(1, V_rest=0.0, V_th=10.0, V_reset=0.0, tau=10.0,
    ...                          spk_reset='soft')
    ...     spikes = [float(soft(20.0)[0]) for _ in range(70)]
    ...     V_spike = float(soft.V.value[0])       # above threshold, kept for this step
    ...     _ = soft(20.0)      # V - 10 mV, then + (20 - 0) / 10 x 0.1 mV
    >>> spikes.index(1.0), V_spike > 10.0, round(float(soft.V.value[0]) - V_spike, 1)
    (69, True, -9.8)
    """

    _per_neuron = _LIF_PARAMETERS
    _reset_below_threshold = True

    def __init__(self, size: Any, tau: float = 10.0, V_rest: float = 0.0, V_reset: float = -5.0,
                 V_th: float = 20.0, R: float = 1.0, V_initializer: Init | None = None,
                 spk_fun: Callable[[Any], Any] | None = None, method: str = "exp_auto",
                 name: str | None = None, mode: Mode | None = None,
                 spk_reset: str | None = None, detach_spk: bool = False):
        self.tau = positive("tau", tau, "time")
        self.V_rest = real("V_rest", V_rest, "voltage")
        self.R = real("R", R, "resistance")
        check_method(method, {"tau": self.tau})
        self.integral = odeint(self.derivative, method=method)
        super().__init__(size, V_th, V_reset, V_rest if V_initializer is None else V_initializer,
                         spk_fun, method, name, mode, spk_reset, detach_spk)

    def derivative(self, V: Any, t: Any, I: Any) -> Any:  # noqa: E741 - the physics name
        return (-(V - self.V_rest) + self.R * I) / self.tau

    def _linear_rate(self) -> float | None:
        """``d(dV/dt)/dV`` when the model's equation is known to be linear, else None."""
        rate = _LINEAR_RATES.get(type(self).derivative)
        return None if rate is None or not self.method.startswith("exp") else rate(self)

    def _exp_factor(self) -> float:
        dt = environ.dt_value()
        cached = self.__dict__.get("_factor_cache")
        if cached is None or cached[0] != dt:
            cached = self._factor_cache = (dt, exponential_factor(self._linear_rate(), dt))
        return cached[1]

    def _integrate(self, V: Any, t: Any, I: Any) -> Any:  # noqa: E741
        """V after one step (exact exponential Euler when the equation is linear)."""
        if self._linear_rate() is None:
            return self.integral(V, t, I)
        factor = self._exp_factor()
        if isinstance(factor, np.ndarray):  # per neuron: in the model's dtype
            factor = factor.astype(V.dtype)
        return V + factor * self.derivative(V, t, I)

    def _fused(self) -> bool:
        """Whether a whole step can run as one operator (``brainx.nn._fused``): not with
        per-neuron parameters, whose step is written out."""
        return (self.spk_fun is None and type(self).derivative is LIF.derivative
                and self._linear_rate() is not None
                and not heterogeneous(self, _LIF_PARAMETERS))

    def _scalars(self, dtype: Any) -> tuple:
        """The step's parameters as scalars of ``dtype`` (so float32 models stay float32)."""
        key = (dtype, environ.dt_value())
        cached = self.__dict__.get("_scalar_cache")
        if cached is None or cached[0] != key:
            cast = bm.dtype(dtype).type
            window = getattr(self, "tau_ref", 0.0) + 0.5 * key[1]
            values = tuple(cast(v) for v in (self.V_rest, self.R, self.tau, self._exp_factor(),
                                             self.V_th, self.V_reset, window))
            cached = self._scalar_cache = (key, values)
        return cached[1]

    def _fused_inputs(self, x: Any, V: Any) -> tuple[Any, tuple, tuple]:
        """``(x, conductances, reversal potentials)`` for the whole-step operators."""
        conductances = self.conductance_inputs()
        if conductances is None:
            return self.sum_current_inputs(x, V), (), ()
        key = (V.dtype, tuple(E for _, E in conductances))
        cached = self.__dict__.get("_reversal_cache")
        if cached is None or cached[0] != key:
            cast = bm.dtype(V.dtype).type
            cached = self._reversal_cache = (key, tuple(cast(E) for E in key[1]))
        return x, tuple(g for g, _ in conductances), cached[1]

    def _brainstate_step(self, x: Any, t: Any) -> tuple[Any, Any]:
        """brainstate's step: ``(V before integration (after the reset), V after it)``."""
        V, _ = self.reset_potential(self.V.value)
        V_new = exp_euler_step(lambda v: self.derivative(v, t, self.sum_current_inputs(x, v)), V)
        return V, self.sum_delta_inputs(V_new)

    def update(self, x: Any = 0.0) -> Any:
        x = self.input_current(x, self.V.value)
        V_old = self.V.value
        if self.spk_reset is not None:
            self.V.value = bm.asarray(self._brainstate_step(x, 0.0)[1]).astype(V_old.dtype)
            return self._store_spike(self.V.value)
        delta = self.sum_delta_inputs()
        if self._fused():
            b = get_backend()
            V, spike = lookup("nn.lif_step", b)(b, V_old, *self._fused_inputs(x, V_old), delta,
                                                *self._scalars(V_old.dtype)[:6])
        else:
            I = self.sum_current_inputs(x, V_old)  # noqa: E741
            V = self._integrate(V_old, 0.0, I) + delta
            spike, fired = self._fire(V)
            V = bm.where(fired, self.V_reset, V).astype(V_old.dtype)
        self.V.value = V
        self.spike.value = spike
        return spike


class IF(LIF):
    r"""Integrate-and-fire neuron without leak: :math:`\tau dV/dt = R I`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     neuron = brainx.nn.IF(1, tau=1.0, V_th=1.0, V_reset=0.0)
    ...     fired = [bool(neuron(1.0)[0]) for _ in range(15)]
    >>> fired.index(True)      # V reaches 1 after 10 steps of 0.1 ms
    9
    """

    def __init__(self, size: Any, tau: float = 1.0, V_rest: float = 0.0, V_reset: float = 0.0,
                 V_th: float = 1.0, R: float = 1.0, **kwargs: Any):
        super().__init__(size, tau=tau, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R, **kwargs)

    def derivative(self, V: Any, t: Any, I: Any) -> Any:  # noqa: E741
        return self.R * I / self.tau + 0.0 * V


# models whose membrane equation is linear in V, with its constant rate dV'/dV
def _float64(x: Any) -> Any:
    return x.astype(np.float64) if isinstance(x, np.ndarray) else x


_LINEAR_RATES: dict[Callable, Callable[[Any], float]] = {
    LIF.derivative: lambda neuron: -1.0 / _float64(neuron.tau),
    IF.derivative: lambda neuron: 0.0,
}


class LIFRef(LIF):
    """LIF with an absolute refractory period ``tau_ref`` after each spike.

    During it ``V`` stays at ``V_reset``. Needs the current time
    ``brainx.environ.get('t')`` (set by ``brainx.Runner``, or by you). A spike at
    time ``t_s`` holds ``V`` for the steps with ``t - t_s <= tau_ref``.

    With ``spk_reset='soft'`` or ``'hard'`` it is brainstate's LIFRef (see
    :class:`LIF`): after the delayed reset ``V`` is held for the steps with
    ``t - t_s < tau_ref`` (one step fewer when ``tau_ref`` is a whole number of steps),
    and ``t_last_spike`` is set where the stored ``V`` reaches ``V_th``.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau_ref : float or array of shape size
        The refractory period (ms, non-negative).
    **kwargs
        :class:`LIF`'s parameters (each a float or an array of shape size, ...).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     neuron = brainx.nn.LIFRef(1, tau_ref=5.0)
    ...     neuron.t_last_spike.value.tolist()
    [-10000000.0]
    """

    def __init__(self, size: Any, tau_ref: float = 5.0, **kwargs: Any):
        number = to_canonical(tau_ref, "time", "tau_ref")
        if is_array_parameter(number):
            self.tau_ref = _parameter_array("tau_ref", number, 0.0, False,
                                            "a non-negative number (ms)")
        elif isinstance(number, bool) or not isinstance(number, numbers.Real) or number < 0:
            raise ValueError(f"tau_ref must be a non-negative number (ms), got {tau_ref!r}")
        else:
            self.tau_ref = float(number)
        super().__init__(size, **kwargs)

    def init_state(self, batch_size: int | None = None) -> None:
        super().init_state(batch_size)
        self.t_last_spike = brainx.ShortTermState(
            bm.full(self.state_shape(batch_size), -1e7, dtype=environ.dftype()),
            name="t_last_spike")

    def update(self, x: Any = 0.0) -> Any:
        t = environ.get("t", default=None)
        if t is None:
            raise RuntimeError("LIFRef needs the current time: run it with brainx.Runner, or "
                               "set it with brainx.environ.context(t=...)")
        if is_quantity(t):
            t = to_canonical(t, "time", "the time t")
        x = self.input_current(x, self.V.value)
        V_old, t_last = self.V.value, self.t_last_spike.value
        if self.spk_reset is not None:
            return self._brainstate_ref_update(x, t)
        delta = self.sum_delta_inputs()
        # times lie on a grid of dt: half a step of slack makes "exactly tau_ref ago" robust
        # to rounding (XLA fuses t - t_last into an FMA, NumPy does not)
        if self._fused():
            b = get_backend()
            V, spike, t_last = lookup("nn.lif_ref_step", b)(
                b, V_old, t_last, *self._fused_inputs(x, V_old), delta, t,
                *self._scalars(V_old.dtype))
        else:
            I = self.sum_current_inputs(x, V_old)  # noqa: E741
            t = bm.asarray(t, dtype=t_last.dtype)
            refractory = (t - t_last) <= self.tau_ref + 0.5 * environ.dt_value()
            V = bm.where(refractory, V_old, self._integrate(V_old, t, I) + delta)
            spike, fired = self._fire(V)
            fired = fired & ~refractory
            spike = bm.where(refractory, bm.zeros_like(spike), spike) if self.spk_fun else fired
            t_last = bm.where(fired, t, t_last).astype(t_last.dtype)
            V = bm.where(fired, self.V_reset, V).astype(V_old.dtype)
        self.t_last_spike.value = t_last
        self.V.value = V
        self.spike.value = spike
        return spike

    def _refractory_window(self) -> float:
        """brainstate's ``t - t_s < tau_ref`` as ``t - t_s < window``, robust to rounding:
        ``window`` lies half a step past the last step inside the refractory period."""
        dt = environ.dt_value()
        steps = _float64(self.tau_ref) / dt
        whole = np.abs(steps - np.round(steps)) <= 1e-9 * np.maximum(1.0, steps)
        inside = np.where(whole, np.round(steps) - 1, np.ceil(steps) - 1)
        window = (np.maximum(inside, 0) + 0.5) * dt
        return float(window) if np.ndim(window) == 0 else window.astype(environ.dftype())

    def _brainstate_ref_update(self, x: Any, t: Any) -> Any:
        V_old, t_last = self.V.value, self.t_last_spike.value
        t = bm.asarray(t, dtype=t_last.dtype)
        V_reset, V = self._brainstate_step(x, t)
        refractory = (t - t_last) < self._refractory_window()
        V = bm.where(refractory, V_reset, V).astype(V_old.dtype)
        fired = V >= self.V_th
        self.t_last_spike.value = get_backend().stop_gradient(
            bm.where(fired, t, t_last).astype(t_last.dtype))
        self.V.value = V
        return self._store_spike(V)


class ExpIF(LIF):
    r"""Exponential integrate-and-fire (Fourcaud-Trocmé et al. 2003).

    :math:`\tau dV/dt = -(V - V_{rest}) + \Delta_T e^{(V - V_T)/\Delta_T} + R I`;
    ``V_th`` is the numerical cut-off at which a spike is counted.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau, V_rest, V_reset, V_th, R : float or array of shape size
        As for :class:`LIF`.
    V_T, delta_T : float or array of shape size
        The soft threshold and the sharpness of the spike initiation (mV, ``delta_T > 0``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.ExpIF(2).V.value.tolist()
    [-65.0, -65.0]
    """

    _per_neuron = _LIF_PARAMETERS + ("V_T", "delta_T")

    def __init__(self, size: Any, tau: float = 10.0, V_rest: float = -65.0,
                 V_reset: float = -68.0, V_th: float = -30.0, V_T: float = -59.9,
                 delta_T: float = 3.48, R: float = 1.0, **kwargs: Any):
        self.V_T = real("V_T", V_T, "voltage")
        self.delta_T = positive("delta_T", delta_T, "voltage")
        super().__init__(size, tau=tau, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R,
                         **kwargs)

    def derivative(self, V: Any, t: Any, I: Any) -> Any:  # noqa: E741
        spike_current = self.delta_T * bm.exp((V - self.V_T) / self.delta_T)
        return (-(V - self.V_rest) + spike_current + self.R * I) / self.tau


class QuaIF(LIF):
    r"""Quadratic integrate-and-fire: :math:`\tau dV/dt = c (V - V_{rest})(V - V_c) + R I`.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    tau, V_rest, V_reset, V_th, R : float or array of shape size
        As for :class:`LIF`.
    V_c, c : float or array of shape size
        The critical voltage of spike initiation (mV) and the steepness of the parabola.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.QuaIF(1).V_c
    -50.0
    """

    _per_neuron = _LIF_PARAMETERS + ("V_c", "c")

    def __init__(self, size: Any, tau: float = 10.0, V_rest: float = -65.0,
                 V_reset: float = -68.0, V_th: float = -30.0, V_c: float = -50.0,
                 c: float = 0.07, R: float = 1.0, **kwargs: Any):
        self.V_c = real("V_c", V_c, "voltage")
        self.c = real("c", c)
        super().__init__(size, tau=tau, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R,
                         **kwargs)

    def derivative(self, V: Any, t: Any, I: Any) -> Any:  # noqa: E741
        return (self.c * (V - self.V_rest) * (V - self.V_c) + self.R * I) / self.tau


class AdExIF(ExpIF):
    r"""Adaptive exponential integrate-and-fire (Brette & Gerstner 2005).

    :math:`\tau dV/dt = -(V - V_{rest}) + \Delta_T e^{(V - V_T)/\Delta_T} - R w + R I`,
    :math:`\tau_w dw/dt = a (V - V_{rest}) - w`; each spike adds ``b`` to ``w``.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    a, b, tau_w : float or array of shape size
        Subthreshold adaptation, the jump of ``w`` per spike, and the adaptation time
        constant (ms, positive).
    **kwargs
        :class:`ExpIF`'s parameters (``tau``, ``V_rest``, ``V_reset``, ``V_th``, ``V_T``,
        ``delta_T``, ``R``: each a float or an array of shape size, ...).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.AdExIF(2).w.value.tolist()
    [0.0, 0.0]
    """

    _per_neuron = ExpIF._per_neuron + ("a", "b", "tau_w")

    def __init__(self, size: Any, a: float = 1.0, b: float = 1.0, tau_w: float = 30.0,
                 **kwargs: Any):
        self.a, self.b = real("a", a), real("b", b)
        self.tau_w = positive("tau_w", tau_w, "time")
        check_method(kwargs.get("method", "exp_auto"), {"tau_w": self.tau_w})
        super().__init__(size, **kwargs)
        self.integral = odeint(self.derivative, method=self.method)

    def init_state(self, batch_size: int | None = None) -> None:
        super().init_state(batch_size)
        self.w = brainx.ShortTermState(bm.zeros(self.state_shape(batch_size),
                                                dtype=environ.dftype()), name="w")

    def derivative(self, V: Any, w: Any, t: Any, I: Any) -> Any:  # noqa: E741
        spike_current = self.delta_T * bm.exp((V - self.V_T) / self.delta_T)
        dV = (-(V - self.V_rest) + spike_current - self.R * w + self.R * I) / self.tau
        dw = (self.a * (V - self.V_rest) - w) / self.tau_w
        return dV, dw

    def update(self, x: Any = 0.0) -> Any:
        return self._adapting_step(x, self.w, self.b)


class Izhikevich(_SpikingNeuron):
    r"""Izhikevich (2003): :math:`dV/dt = 0.04 V^2 + 5 V + 140 - u + I`, :math:`du/dt = a(bV - u)`.

    At ``V >= V_th`` (30 mV): ``V = c``, ``u += d``. Defaults: regular spiking.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    a, b, c, d, V_th : float or array of shape size
        The recovery rate and sensitivity, the reset potential (mV), the jump of ``u``
        per spike and the spike cut-off (mV); an array gives one value per neuron
        (a population mixing firing types).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.nn.Izhikevich(1).u.value.tolist()     # b * V at rest
    [-13.0]
    """

    _per_neuron = ("a", "b", "c", "d", "V_th", "V_reset")

    def __init__(self, size: Any, a: float = 0.02, b: float = 0.2, c: float = -65.0,
                 d: float = 8.0, V_th: float = 30.0, V_initializer: Init = -65.0,
                 spk_fun: Callable[[Any], Any] | None = None, method: str = "exp_auto",
                 name: str | None = None, mode: Mode | None = None,
                 spk_reset: str | None = None, detach_spk: bool = False):
        self.a, self.b = real("a", a), real("b", b)
        self.c = real("c", c, "voltage")
        self.d = real("d", d)
        decaying = self.a[self.a > 0] if isinstance(self.a, np.ndarray) else self.a
        check_method(method, {"1/a": 1.0 / decaying} if np.any(np.asarray(decaying) > 0)
                     else {})
        self.integral = odeint(self.derivative, method=method)
        super().__init__(size, V_th, self.c, V_initializer, spk_fun, method, name, mode,
                         spk_reset, detach_spk)

    def init_state(self, batch_size: int | None = None) -> None:
        super().init_state(batch_size)
        self.u = brainx.ShortTermState((self.b * self.V.value).astype(environ.dftype()),
                                       name="u")

    def derivative(self, V: Any, u: Any, t: Any, I: Any) -> Any:  # noqa: E741
        dV = 0.04 * V * V + 5.0 * V + 140.0 - u + I
        du = self.a * (self.b * V - u)
        return dV, du

    def update(self, x: Any = 0.0) -> Any:
        return self._adapting_step(x, self.u, self.d)


#: HH's parameters, each a number or one value per neuron
_HH_PARAMETERS = ("ENa", "gNa", "EK", "gK", "EL", "gL", "V_th", "C")


def _activation_rate(scale: float, x: Any) -> Any:
    """``scale * x / (1 - exp(-x / 10))``, and its limit ``10 scale`` at ``x = 0`` (where
    the formula is 0 / 0: HH's alpha_m at exactly -40 mV, alpha_n at -55 mV)."""
    at_zero = x == 0.0
    safe = bm.where(at_zero, 1.0, x)
    return bm.where(at_zero, 10.0 * scale, scale * safe / (1.0 - bm.exp(-safe / 10.0)))


class HH(Neuron):
    """The Hodgkin-Huxley (1952) squid-axon model, in its modern voltage convention.

    States ``V``, the gating variables ``m``, ``h``, ``n`` (starting at their steady
    state), and ``spike`` (an upward crossing of ``V_th``, also :meth:`get_spike`).

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    ENa, EK, EL : float or array of shape size
        Reversal potentials (mV) of the sodium, potassium and leak currents.
    gNa, gK, gL : float or array of shape size
        Their maximal conductances (mS/cm^2).
    C : float or array of shape size
        Membrane capacitance (uF/cm^2, positive).
    V_th : float or array of shape size
        The voltage whose upward crossing counts as a spike (mV).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     round(float(brainx.nn.HH(1).m.value[0]), 4)    # m at -65 mV
    0.0529
    """

    def __init__(self, size: Any, ENa: float = 50.0, gNa: float = 120.0, EK: float = -77.0,
                 gK: float = 36.0, EL: float = -54.387, gL: float = 0.03, V_th: float = 20.0,
                 C: float = 1.0, V_initializer: Init = -65.0, method: str = "exp_auto",
                 name: str | None = None, mode: Mode | None = None):
        super().__init__(size, spk_fun=None, spk_reset=None, name=name, mode=mode)
        self.ENa = real("ENa", ENa, "voltage")
        self.EK = real("EK", EK, "voltage")
        self.EL = real("EL", EL, "voltage")
        self.gNa, self.gK = real("gNa", gNa), real("gK", gK)
        self.gL = real("gL", gL)
        self.V_th = real("V_th", V_th, "voltage")
        self.C = positive("C", C)
        check_parameter_shapes(self, _HH_PARAMETERS)
        check_method(method, {"the fastest gating time (~0.1 ms)": 0.1})
        self.method = method
        self.V_initializer = V_initializer
        self.integral = odeint(self.derivative, method=method)
        self.init_state()

    @staticmethod
    def rates(V: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
        """(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n) at ``V`` (per ms)."""
        alpha_m = _activation_rate(0.1, V + 40.0)
        beta_m = 4.0 * bm.exp(-(V + 65.0) / 18.0)
        alpha_h = 0.07 * bm.exp(-(V + 65.0) / 20.0)
        beta_h = 1.0 / (1.0 + bm.exp(-(V + 35.0) / 10.0))
        alpha_n = _activation_rate(0.01, V + 55.0)
        beta_n = 0.125 * bm.exp(-(V + 65.0) / 80.0)
        return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n

    def init_state(self, batch_size: int | None = None) -> None:
        V = initial_value(self.V_initializer, self.state_shape(batch_size))
        am, bm_, ah, bh, an, bn = self.rates(V)
        dtype = environ.dftype()
        self.V = brainx.ShortTermState(V, name="V")
        self.m = brainx.ShortTermState((am / (am + bm_)).astype(dtype), name="m")
        self.h = brainx.ShortTermState((ah / (ah + bh)).astype(dtype), name="h")
        self.n = brainx.ShortTermState((an / (an + bn)).astype(dtype), name="n")
        self.spike = brainx.ShortTermState(bm.zeros(V.shape, dtype=bool), name="spike")

    def derivative(self, V: Any, m: Any, h: Any, n: Any, t: Any, I: Any) -> Any:  # noqa: E741
        am, bm_, ah, bh, an, bn = self.rates(V)
        # powers as products, as jax's integer_pow and Numba compute them (NumPy 2.4's
        # float32 ``x ** 3`` calls powf, which rounds differently)
        n2 = n * n
        i_na = self.gNa * (m * m * m) * h * (V - self.ENa)
        i_k = self.gK * (n2 * n2) * (V - self.EK)
        i_leak = self.gL * (V - self.EL)
        dV = (-i_na - i_k - i_leak + I) / self.C
        return dV, am * (1 - m) - bm_ * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n

    def get_spike(self) -> Any:
        """The last step's spikes (upward crossings of ``V_th``)."""
        return self.spike.value

    def update(self, x: Any = 0.0) -> Any:
        V_old = self.V.value
        x = self.input_current(x, V_old)
        V, m, h, n = self.integral(V_old, self.m.value, self.h.value, self.n.value, 0.0,
                                   self.sum_current_inputs(x, V_old))
        V = V + self.sum_delta_inputs()
        dtype = V_old.dtype
        self.spike.value = (V_old < self.V_th) & (V >= self.V_th)
        self.V.value = V.astype(dtype)
        self.m.value, self.h.value, self.n.value = m.astype(dtype), h.astype(dtype), n.astype(dtype)
        return self.spike.value
