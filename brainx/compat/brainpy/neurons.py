"""``bp.neurons``: BrainPy 2.0-2.3's neuron models, with an ``input`` Variable.

``bp.neurons.LIF`` is ``bp.dyn.LifRef`` (``brainx.nn.LIFRef``) whose input is the
``input`` Variable: synapses and runner inputs add to it during a step, the neuron
integrates it, and it is cleared after the step (``clear_input``).

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     neurons = bp.neurons.LIF(2, V_rest=0.0, V_th=1.0, V_reset=0.0, tau=10.0)
...     neurons.input += 20.0
...     bp.share.save(t=0.0)
...     _ = neurons()
...     neurons.clear_input()
>>> round(float(neurons.V[0]), 4), float(neurons.input[0])     # 20 (1 - e^-0.01)
(0.199, 0.0)
"""

from __future__ import annotations

from typing import Any

import brainx.math as _bxm
from brainx.compat.brainpy.dyn import LifRef, PoissonGroup
from brainx.compat.brainpy.math import Variable

__all__ = ["LIF", "PoissonGroup"]


class LIF(LifRef):
    """BrainPy 2's ``bp.neurons.LIF(size, V_rest, V_reset, V_th, R, tau, tau_ref,
    V_initializer, method)``: a refractory LIF driven by its ``input`` Variable."""

    def __init__(self, *args: Any, input_var: bool = True, spike_fun: Any = None,
                 **kwargs: Any):
        self.input_var = input_var
        if spike_fun is not None:
            kwargs["spk_fun"] = spike_fun
        super().__init__(*args, **kwargs)

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        super().init_state(batch_size, **kwargs)
        if self.input_var:
            zeros = _bxm.zeros_like(self.V.value)
            if isinstance(getattr(self, "input", None), Variable):  # a reset: the same Variable
                self.input.assign_unchecked(zeros)
                self.input.batch_axis = self.V.batch_axis
            else:
                self.input = Variable(zeros, batch_axis=self.V.batch_axis)

    def update(self, x: Any = None) -> Any:
        if self.input_var:
            if x is not None:
                self.input += x
            x = self.input.value
        return super().update(0.0 if x is None else x)

    def clear_input(self) -> None:
        if self.input_var:
            self.input.value = _bxm.zeros_like(self.input.value)
