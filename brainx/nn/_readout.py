"""Readouts: leaky integrators that turn a network's activity into an output.

``LeakyRateReadout`` low-pass filters ``x @ W``; ``LeakySpikeReadout`` is a layer
of integrate-and-fire neurons fed by ``x @ W`` whose spikes (through a surrogate
spike function) are the output. Arguments follow brainstate 0.1.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import brainx.math as bm
from brainx import environ, init
from brainx.backend import get_backend
from brainx.integrators import exponential_factor
from brainx.nn._alif import spike_options
from brainx.nn._bases import Neuron
from brainx.nn._layer import check_features, layer_size, weight_param
from brainx.nn._module import Dynamics
from brainx.state import HiddenState, ParamState

__all__ = ["LeakyRateReadout", "LeakySpikeReadout"]


def _positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0 \
            or not math.isfinite(value):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _hidden(initializer: Any, shape: tuple[int, ...], batch_size: int | None) -> Any:
    value = init.param(initializer, shape, batch_size, allow_scalar=False)
    return bm.array(value, dtype=environ.dftype())


def _reset_hidden(module: Dynamics, key: str, initializer: Any, shape: tuple[int, ...],
                  batch_size: int | None) -> None:
    """Reset the HiddenState ``module.<key>`` in place, or replace it if its shape changes."""
    value = _hidden(initializer, shape, batch_size)
    state = getattr(module, key)
    if tuple(value.shape) == tuple(state.value.shape):
        state.value = value
    else:
        setattr(module, key, HiddenState(value, name=key))


class LeakyRateReadout(Dynamics):
    r"""A leaky rate readout, :math:`r_t = e^{-\Delta t / \tau} r_{t-1} + x_t W`.

    A low-pass filter of the projected input with memory ``tau``; ``r`` is a
    ``HiddenState`` of ``out_size``, ``weight`` a ParamState ``(in_size[-1],
    out_size[-1])``.

    Parameters
    ----------
    in_size, out_size : int or tuple of int
        Input and output sizes.
    tau : float
        The time constant (ms).
    w_init : initialiser, array or number
        The weight (default Kaiming normal).
    r_initializer : initialiser, array or number
        The initial output (default zeros).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     readout = brainx.nn.LeakyRateReadout(3, 2, tau=5.0, w_init=brainx.init.Constant(1.0))
    ...     readout(brainx.math.ones(3)).tolist()
    [3.0, 3.0]
    """

    def __init__(self, in_size: Any, out_size: Any, tau: float = 5.0, w_init: Any = None,
                 r_initializer: Any = None, name: str | None = None):
        self.in_size = layer_size("in_size", in_size)
        self.out_size = layer_size("out_size", out_size)
        super().__init__(self.out_size, name=name)
        self.tau = _positive("tau", tau)
        self.decay = math.exp(-environ.dt_value() / self.tau)
        self.r_initializer = init.ZeroInit() if r_initializer is None else r_initializer
        shape = (self.in_size[-1], self.out_size[-1])
        self.weight = ParamState(weight_param(
            "w_init", init.KaimingNormal() if w_init is None else w_init, shape), name="weight")
        self.init_state()

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.state_shape(batch_size)
        self.r = HiddenState(_hidden(self.r_initializer, self.out_size, batch_size), name="r")

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        _reset_hidden(self, "r", self.r_initializer, self.out_size, batch_size)

    def update(self, x: Any) -> Any:
        check_features(type(self).__name__, x, self.in_size[-1])
        r = self.r.value
        decay = bm.asarray(self.decay, dtype=r.dtype)
        self.r.value = (decay * r + bm.matmul(bm.asarray(x, dtype=r.dtype),
                                              self.weight.value)).astype(r.dtype)
        return self.r.value


class LeakySpikeReadout(Neuron):
    r"""A readout of leaky integrate-and-fire neurons driven by ``x @ W``.

    :math:`\tau dV/dt = -V + x W` (exact exponential step for an input constant
    over the step), spike :math:`s = \Theta((V - V_{th}) / V_{th})` through
    ``spk_fun``. As in brainstate, the reset after a spike happens at the start
    of the next step: ``'soft'`` subtracts :math:`V_{th} s`, ``'hard'`` subtracts
    :math:`V s` with ``V`` held constant for differentiation (a full spike lands
    on 0). The neurons have the input's shape, so ``weight`` is square.

    Parameters
    ----------
    in_size : int or tuple of int
        The neurons' (and the input's) shape.
    keep_size : bool
        Keep a multi-dimensional ``in_size`` as the neurons' shape; otherwise they
        are flattened to ``(prod(in_size),)``.
    tau : float
        Membrane time constant (ms).
    V_th : float
        Threshold (positive).
    w_init : initialiser, array or number
        The weight (default Kaiming normal).
    V_initializer : initialiser, array or number
        The initial ``V`` (default zeros).
    spk_fun : callable, optional
        The spike function (default ``brainx.surrogate.ReluGrad()``).
    spk_reset : {'soft', 'hard'}
        The reset after a spike.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     readout = brainx.nn.LeakySpikeReadout(2, tau=5.0, V_th=1.0,
    ...                                           w_init=brainx.init.Constant(1.0))
    ...     spikes = [float(readout(brainx.math.ones(2))[0]) for _ in range(40)]
    >>> spikes.index(1.0)         # V = 2 (1 - exp(-t / 5)) reaches 1 at 5 ln 2 = 3.47 ms
    34
    """

    def __init__(self, in_size: Any, keep_size: bool = False, tau: float = 5.0,
                 V_th: float = 1.0, w_init: Any = None, V_initializer: Any = None,
                 spk_fun: Callable[[Any], Any] | None = None, spk_reset: str = "soft",
                 name: str | None = None):
        in_size = layer_size("in_size", in_size)
        self.keep_size = bool(keep_size)
        varshape = in_size if self.keep_size else (math.prod(in_size),)
        super().__init__(varshape, spk_fun=None, spk_reset=None, name=name)
        self.in_size = self.out_size = self.varshape = varshape
        self.tau, self.V_th = _positive("tau", tau), _positive("V_th", V_th)
        self.spk_fun, self.spk_reset = spike_options(spk_fun, spk_reset)
        self.V_initializer = init.ZeroInit() if V_initializer is None else V_initializer
        n = varshape[-1]
        self.weight = ParamState(weight_param(
            "w_init", init.KaimingNormal() if w_init is None else w_init, (n, n)),
            name="weight")
        self.init_state()

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.state_shape(batch_size)
        self.V = HiddenState(_hidden(self.V_initializer, self.varshape, batch_size), name="V")

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        _reset_hidden(self, "V", self.V_initializer, self.varshape, batch_size)

    @property
    def spike(self) -> Any:
        """The spike output for the current ``V``."""
        return self.get_spike(self.V.value)

    def get_spike(self, V: Any) -> Any:
        """``spk_fun((V - V_th) / V_th)``."""
        return self.spk_fun((V - self.V_th) / self.V_th)

    def _factor(self, dtype: Any) -> Any:
        key = (bm.dtype(dtype), environ.dt_value())
        cached = self.__dict__.get("_factor_cache")
        if cached is None or cached[0] != key:
            cached = self._factor_cache = (
                key, key[0].type(exponential_factor(-1.0 / self.tau, key[1])))
        return cached[1]

    def update(self, spk: Any) -> Any:
        check_features(type(self).__name__, spk, self.varshape[-1])
        last_V = self.V.value
        dtype = last_V.dtype
        last_spike = self.get_spike(last_V)
        if self.spk_reset == "soft":
            V = last_V - self.V_th * last_spike
        else:
            V = last_V - get_backend().stop_gradient(last_V) * last_spike
        x = bm.matmul(bm.asarray(spk, dtype=dtype), self.weight.value)
        x = self.sum_current_inputs(x, V)
        V = V + self._factor(dtype) * ((x - V) / self.tau)
        V = (V + self.sum_delta_inputs()).astype(dtype)
        self.V.value = V
        return self.get_spike(V)
