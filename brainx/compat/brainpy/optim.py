"""``bp.optim``: BrainPy 2's optimisers, ``brainx.optim``'s under BrainPy's signatures.

``bp.optim.Adam(lr, train_vars=...)`` is ``brainx.optim.Adam(lr)`` with the Variables
registered (``register_train_vars`` registers them later); ``opt.update(grads)`` takes
the gradients of ``bm.grad(loss, grad_vars=train_vars)``. Learning rates may be numbers
or brainx's schedules (``bp.optim.ExponentialDecay`` is ``brainx.optim.ExponentialDecayLR``).

Examples
--------
>>> import numpy as np
>>> import brainx
>>> import brainx.compat.brainpy.math as bm
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('jax'):
...     w = bm.TrainVar(np.array([3.0], np.float32))
...     opt = bp.optim.SGD(lr=0.1, train_vars={'w': w})
...     grads = bm.grad(lambda: (w.value ** 2).sum(), grad_vars={'w': w})()
...     opt.update(grads)            # w - 0.1 * 2 w
...     np.asarray(w.value).tolist()
[2.4000000953674316]
"""

from __future__ import annotations

from typing import Any

from brainx import optim as _optim

__all__ = ["SGD", "Momentum", "MomentumNesterov", "Adagrad", "Adadelta", "RMSProp", "Adam",
           "AdamW", "LARS", "Adan", "ExponentialDecay", "InverseTimeDecay", "PolynomialDecay",
           "PiecewiseConstant", "StepLR", "MultiStepLR", "CosineAnnealingLR", "Constant"]


class _BrainPyOptimizer:
    """BrainPy's ``train_vars=`` and ``register_train_vars`` on a ``brainx.optim`` optimiser."""

    def _register_given(self, train_vars: Any) -> None:
        if train_vars is not None:
            self.register_train_vars(train_vars)

    def register_train_vars(self, train_vars: Any) -> None:
        """Register the Variables to train (a dict, as ``model.train_vars()`` gives)."""
        self.register_trainable_weights(dict(train_vars) if hasattr(train_vars, "items")
                                        else train_vars)


def _optimizer(base: type) -> type:
    def __init__(self: Any, lr: Any, train_vars: Any = None, *args: Any,  # noqa: N807
                 name: str | None = None, **kwargs: Any) -> None:
        base.__init__(self, lr, *args, **kwargs)
        self._register_given(train_vars)

    return type(base.__name__, (_BrainPyOptimizer, base),
                {"__init__": __init__, "__module__": __name__,
                 "__doc__": f"BrainPy's ``{base.__name__}(lr, train_vars=None, ...)``: "
                            f"``brainx.optim.{base.__name__}``."})


SGD = _optimizer(_optim.SGD)
Momentum = _optimizer(_optim.Momentum)
MomentumNesterov = _optimizer(_optim.MomentumNesterov)
Adagrad = _optimizer(_optim.Adagrad)
Adadelta = _optimizer(_optim.Adadelta)
RMSProp = _optimizer(_optim.RMSProp)
Adam = _optimizer(_optim.Adam)
AdamW = _optimizer(_optim.AdamW)
LARS = _optimizer(_optim.LARS)
Adan = _optimizer(_optim.Adan)

ExponentialDecay = _optim.ExponentialDecayLR
InverseTimeDecay = _optim.InverseTimeDecayLR
PolynomialDecay = _optim.PolynomialDecayLR
PiecewiseConstant = _optim.PiecewiseConstantLR
StepLR = _optim.StepLR
MultiStepLR = _optim.MultiStepLR
CosineAnnealingLR = _optim.CosineAnnealingLR
Constant = _optim.ConstantLR
