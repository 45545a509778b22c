"""Surrogate spike functions: an exact Heaviside step forward, a smooth gradient backward.

A spiking neuron emits ``heaviside(V - V_th)``, whose derivative is zero almost
everywhere, so gradients cannot flow through spikes. A surrogate keeps the exact step
in the forward pass (the same 0/1 values on every backend) and replaces its derivative
by a smooth bump on a differentiating backend (jax). Pass one as a neuron's ``spk_fun``.

Each surrogate exists as a class (``Sigmoid(alpha=4.)``, with ``surrogate_fun`` and
``surrogate_grad``) and as a function (``sigmoid(x, alpha=4.)``).

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('numba'):
...     spk = brainx.surrogate.Arctan()
...     print(spk(bm.asarray([-0.3, 0., 0.7])))
[0. 1. 1.]
>>> with brainx.use_backend('jax'):
...     grad = brainx.augment.grad(lambda v: spk(v - 1.), argnums=0)
...     print(float(grad(1.)))       # alpha / 2 at the threshold
0.5
"""

from brainx.surrogate._base import Surrogate
from brainx.surrogate._functions import (
    arctan,
    erf,
    gaussian_grad,
    inv_square_grad,
    leaky_relu,
    log_tailed_relu,
    multi_gaussian_grad,
    nonzero_sign_log,
    piecewise_exp,
    piecewise_leaky_relu,
    piecewise_quadratic,
    q_pseudo_spike,
    relu_grad,
    s2nn,
    sigmoid,
    slayer_grad,
    soft_sign,
    squarewave_fourier_series,
)
from brainx.surrogate._grads import (
    GaussianGrad,
    InvSquareGrad,
    MultiGaussianGrad,
    ReluGrad,
    SlayerGrad,
)
from brainx.surrogate._smooth import (
    ERF,
    S2NN,
    Arctan,
    LeakyRelu,
    LogTailedRelu,
    NonzeroSignLog,
    PiecewiseExp,
    PiecewiseLeakyRelu,
    PiecewiseQuadratic,
    QPseudoSpike,
    Sigmoid,
    SoftSign,
    SquarewaveFourierSeries,
)

__all__ = [
    "Surrogate",
    "Sigmoid", "sigmoid",
    "PiecewiseQuadratic", "piecewise_quadratic",
    "PiecewiseExp", "piecewise_exp",
    "SoftSign", "soft_sign",
    "Arctan", "arctan",
    "NonzeroSignLog", "nonzero_sign_log",
    "ERF", "erf",
    "PiecewiseLeakyRelu", "piecewise_leaky_relu",
    "SquarewaveFourierSeries", "squarewave_fourier_series",
    "S2NN", "s2nn",
    "QPseudoSpike", "q_pseudo_spike",
    "LeakyRelu", "leaky_relu",
    "LogTailedRelu", "log_tailed_relu",
    "ReluGrad", "relu_grad",
    "GaussianGrad", "gaussian_grad",
    "InvSquareGrad", "inv_square_grad",
    "MultiGaussianGrad", "multi_gaussian_grad",
    "SlayerGrad", "slayer_grad",
]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
