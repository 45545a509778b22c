"""The adaptive leaky integrate-and-fire neuron (ALIF), brainstate's formulation.

The spike of a step is read from the membrane potential at the end of the step,
``spk_fun((V - V_th - beta a) / (V_th - V_reset))``, and the reset and the
adaptation jump are applied at the start of the next step. Written this way the
whole step is differentiable when ``spk_fun`` is a surrogate spike function
(``brainx.surrogate``), which is what surrogate-gradient training needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ, surrogate
from brainx.backend import get_backend
from brainx.integrators import exponential_factor
from brainx.modes import Mode
from brainx.nn._bases import Neuron
from brainx.nn._neurons import Init, as_dtype, check_parameter_shapes, initial_value, positive, real

__all__ = ["ALIF"]

#: the parameters that may hold one value per neuron
_PARAMETERS = ("R", "tau", "tau_a", "V_th", "V_reset", "V_rest", "beta")

_RESETS = ("soft", "hard")


def spike_options(spk_fun: Callable[[Any], Any] | None,
                  spk_reset: str) -> tuple[Callable[[Any], Any], str]:
    """``(spk_fun, spk_reset)`` of a spiking layer, checked; ``spk_fun=None`` is
    ``brainx.surrogate.ReluGrad()`` (brainstate's default)."""
    if spk_reset not in _RESETS:
        raise ValueError(f"spk_reset must be 'soft' or 'hard', got {spk_reset!r}")
    if spk_fun is not None and not callable(spk_fun):
        raise TypeError(f"spk_fun must be callable (e.g. a brainx.surrogate function), "
                        f"got {spk_fun!r}")
    return (surrogate.ReluGrad() if spk_fun is None else spk_fun), spk_reset


class ALIF(Neuron):
    r"""Adaptive leaky integrate-and-fire neuron (Bellec et al. 2018), as in brainstate.

    .. math::

        \tau \frac{dV}{dt} = -(V - V_{rest}) + R I, \qquad
        \tau_a \frac{da}{dt} = -a,

    with the spike :math:`s = \Theta((V - V_{th} - \beta a) / (V_{th} - V_{reset}))`
    (``spk_fun`` in place of the step :math:`\Theta`). After a spike, at the start of
    the next step, ``a`` jumps by ``s`` and ``V`` is reset: ``'soft'`` subtracts
    :math:`(V_{th} - V_{reset}) s`; ``'hard'`` subtracts :math:`(V - V_{reset}) s`
    with ``V`` held constant for differentiation (so a full spike lands on
    ``V_reset``). Both equations are stepped exactly for an input constant over the
    step (exponential Euler). ``V``, ``a`` are ``HiddenState``s; ``spike`` (a
    ``ShortTermState``) keeps the last step's output for monitors.

    Parameters
    ----------
    size : int or tuple of int
        The population's shape (brainstate's ``in_size``).
    R : float or array of shape size
        Membrane resistance.
    tau, tau_a : float or array of shape size
        Membrane and adaptation time constants (ms).
    V_th, V_reset, V_rest : float or array of shape size
        Base threshold, reset and resting potentials (``V_th > V_reset``).
    beta : float or array of shape size
        How much the threshold rises per unit of adaptation.

    spk_fun : callable, optional
        Maps the scaled distance to threshold to the spike output; a surrogate
        spike function for training. Default: ``brainx.surrogate.ReluGrad()``
        (brainstate's default): the exact step forward, a triangular gradient.
    spk_reset : {'soft', 'hard'}
        The reset after a spike.
    V_initializer, a_initializer : float, array or callable of the shape
        Initial ``V`` (default 0) and ``a`` (default 0).

    Notes
    -----
    Each parameter given as an array holds one value per neuron (or broadcasts to
    ``size``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     neuron = brainx.nn.ALIF(1, tau=5.0, tau_a=100.0, V_th=1.0, beta=0.5)
    ...     spikes = [float(neuron(2.0)[0]) for _ in range(100)]
    >>> spikes.index(1.0)     # V = 2 (1 - exp(-t / 5)) reaches 1 at 5 ln 2 = 3.47 ms
    34
    >>> round(float(neuron.a.value[0]), 3) > 0    # each spike raised the adaptation
    True
    """

    def __init__(self, size: Any, R: float = 1.0, tau: float = 5.0, tau_a: float = 100.0,
                 V_th: float = 1.0, V_reset: float = 0.0, V_rest: float = 0.0,
                 beta: float = 0.1, spk_fun: Callable[[Any], Any] | None = None,
                 spk_reset: str = "soft", V_initializer: Init = 0.0,
                 a_initializer: Init = 0.0, name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(size, spk_fun=None, spk_reset=None, name=name, mode=mode)
        self.in_size = self.out_size = self.size
        self.tau = positive("tau", tau, "time")
        self.tau_a = positive("tau_a", tau_a, "time")
        self.R = real("R", R, "resistance")
        self.beta = real("beta", beta)
        self.V_th = real("V_th", V_th, "voltage")
        self.V_reset = real("V_reset", V_reset, "voltage")
        self.V_rest = real("V_rest", V_rest, "voltage")
        check_parameter_shapes(self, _PARAMETERS)
        if not np.all(np.asarray(self.V_th) > np.asarray(self.V_reset)):
            raise ValueError(f"V_th ({V_th}) must be above V_reset ({V_reset})")
        self.spk_fun, self.spk_reset = spike_options(spk_fun, spk_reset)
        self.V_initializer, self.a_initializer = V_initializer, a_initializer
        self.init_state()

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        shape = self.state_shape(batch_size)
        self.V = brainx.HiddenState(initial_value(self.V_initializer, shape), name="V")
        self.a = brainx.HiddenState(initial_value(self.a_initializer, shape), name="a")
        self.spike = brainx.ShortTermState(bm.zeros(shape, dtype=environ.dftype()),
                                           name="spike")

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.init_state(batch_size)

    def get_spike(self, V: Any = None, a: Any = None) -> Any:
        """The spike output for ``V`` and ``a`` (default: the current States)."""
        V = self.V.value if V is None else V
        a = self.a.value if a is None else a
        return self.spk_fun((V - self.V_th - self.beta * a) / (self.V_th - self.V_reset))

    def _factors(self, dtype: Any) -> tuple[Any, Any]:
        """The exponential-Euler factors of V and a for the current dt, as ``dtype``."""
        key = (bm.dtype(dtype), environ.dt_value())
        cached = self.__dict__.get("_factor_cache")
        if cached is None or cached[0] != key:
            def factor(tau: Any) -> Any:  # per neuron: an array, each element as for a number
                f = exponential_factor(-1.0 / as_dtype(tau, np.float64), key[1])
                return as_dtype(f, key[0]) if isinstance(f, np.ndarray) else key[0].type(f)

            cached = self._factor_cache = (key, (factor(self.tau), factor(self.tau_a)))
        return cached[1]

    def update(self, x: Any = 0.0) -> Any:
        x = self.input_current(x, self.V.value)
        last_V, last_a = self.V.value, self.a.value
        dtype = last_V.dtype
        spike = self.get_spike(last_V, last_a)
        if self.spk_reset == "soft":
            V = last_V - (self.V_th - self.V_reset) * spike
        else:
            V = last_V - (get_backend().stop_gradient(last_V) - self.V_reset) * spike
        a = last_a + spike
        f_V, f_a = self._factors(dtype)
        current = self.sum_current_inputs(x, V)
        V = V + f_V * ((self.V_rest - V + self.R * current) / self.tau)
        a = a - f_a * (a / self.tau_a)
        V = (V + self.sum_delta_inputs()).astype(dtype)
        a = a.astype(last_a.dtype)
        self.V.value, self.a.value = V, a
        spike = self.get_spike(V, a)
        self.spike.value = bm.asarray(spike, dtype=self.spike.value.dtype)
        return spike

