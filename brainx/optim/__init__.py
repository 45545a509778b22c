"""Optimisers built on optax, and learning-rate schedules.

An optimiser trains the States registered with
:meth:`~Optimizer.register_trainable_weights` (usually
``model.states(brainx.ParamState)``); :meth:`~Optimizer.update` applies one step
from their gradients. Its moments, step counts and schedule counters live in
States, so a training step runs inside ``brainx.compile.jit``. Optimisers need a
backend with gradients (jax) and import optax only when one is created;
schedules run on every backend.

Examples
--------
>>> import numpy as np
>>> import brainx
>>> with brainx.use_backend('jax'):
...     w = brainx.ParamState(np.array([3.0], np.float32))
...     opt = brainx.optim.Momentum(lr=0.1, momentum=0.5)
...     opt = opt.register_trainable_weights({'w': w})
...     for _ in range(2):
...         opt.update({'w': 2 * w.value})     # the gradient of w ** 2
...     print(np.round(np.asarray(w.value), 4))
[1.62]
"""

from brainx.optim._base import OptaxOptimizer, Optimizer, OptimState
from brainx.optim._lr_scheduler import (
    CallBasedLRScheduler,
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialDecayLR,
    ExponentialLR,
    InverseTimeDecayLR,
    LearningRateScheduler,
    LinearLR,
    MultiStepLR,
    OneCycleLR,
    PiecewiseConstantLR,
    PolynomialDecayLR,
    StepLR,
    make_schedule,
)
from brainx.optim._optimizers import (
    LARS,
    LBFGS,
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    AdamW,
    Adan,
    Momentum,
    MomentumNesterov,
    RMSProp,
    SGDOptimizer,
)

__all__ = [
    "Optimizer", "OptimState", "OptaxOptimizer", "SGDOptimizer",
    "SGD", "Momentum", "MomentumNesterov", "Adagrad", "Adadelta", "RMSProp", "Adam", "LARS",
    "Adan", "AdamW", "LBFGS",
    "LearningRateScheduler", "CallBasedLRScheduler", "make_schedule", "ConstantLR", "StepLR",
    "MultiStepLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "ExponentialLR",
    "ExponentialDecayLR", "InverseTimeDecayLR", "PolynomialDecayLR", "PiecewiseConstantLR",
    "LinearLR", "CyclicLR", "OneCycleLR",
]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
