"""The surrogate spike functions as plain functions: ``sigmoid(x, alpha=4.)`` and so on.

Each is the class of the same name called on ``x``; the instance is shared between calls
with the same parameters, so its differentiable function is built once.
"""

from __future__ import annotations

from typing import Any

from brainx.surrogate._base import cached_instance
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

__all__ = ["sigmoid", "piecewise_quadratic", "piecewise_exp", "soft_sign", "arctan",
           "nonzero_sign_log", "erf", "piecewise_leaky_relu", "squarewave_fourier_series", "s2nn",
           "q_pseudo_spike", "leaky_relu", "log_tailed_relu", "relu_grad", "gaussian_grad",
           "inv_square_grad", "multi_gaussian_grad", "slayer_grad"]


def sigmoid(x: Any, alpha: float = 4.) -> Any:
    """Heaviside spike of ``x`` with the :class:`Sigmoid` surrogate gradient.

    Same as ``Sigmoid(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.sigmoid(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(Sigmoid, alpha=alpha)(x)


def piecewise_quadratic(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`PiecewiseQuadratic` surrogate gradient.

    Same as ``PiecewiseQuadratic(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.piecewise_quadratic(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(PiecewiseQuadratic, alpha=alpha)(x)


def piecewise_exp(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`PiecewiseExp` surrogate gradient.

    Same as ``PiecewiseExp(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.piecewise_exp(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(PiecewiseExp, alpha=alpha)(x)


def soft_sign(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`SoftSign` surrogate gradient.

    Same as ``SoftSign(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.soft_sign(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(SoftSign, alpha=alpha)(x)


def arctan(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`Arctan` surrogate gradient.

    Same as ``Arctan(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.arctan(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(Arctan, alpha=alpha)(x)


def nonzero_sign_log(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`NonzeroSignLog` surrogate gradient.

    Same as ``NonzeroSignLog(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.nonzero_sign_log(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(NonzeroSignLog, alpha=alpha)(x)


def erf(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`ERF` surrogate gradient.

    Same as ``ERF(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.erf(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(ERF, alpha=alpha)(x)


def piecewise_leaky_relu(x: Any, c: float = 0.01, w: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`PiecewiseLeakyRelu` surrogate gradient.

    Same as ``PiecewiseLeakyRelu(c=c, w=w)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.piecewise_leaky_relu(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(PiecewiseLeakyRelu, c=c, w=w)(x)


def squarewave_fourier_series(x: Any, n: int = 2, t_period: float = 8.) -> Any:
    """Heaviside spike of ``x`` with the :class:`SquarewaveFourierSeries` surrogate gradient.

    Same as ``SquarewaveFourierSeries(n=n, t_period=t_period)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.squarewave_fourier_series(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(SquarewaveFourierSeries, n=n, t_period=t_period)(x)


def s2nn(x: Any, alpha: float = 4., beta: float = 1., epsilon: float = 1e-8) -> Any:
    """Heaviside spike of ``x`` with the :class:`S2NN` surrogate gradient.

    Same as ``S2NN(alpha=alpha, beta=beta, epsilon=epsilon)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.s2nn(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(S2NN, alpha=alpha, beta=beta, epsilon=epsilon)(x)


def q_pseudo_spike(x: Any, alpha: float = 2.) -> Any:
    """Heaviside spike of ``x`` with the :class:`QPseudoSpike` surrogate gradient.

    Same as ``QPseudoSpike(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.q_pseudo_spike(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(QPseudoSpike, alpha=alpha)(x)


def leaky_relu(x: Any, alpha: float = 0.1, beta: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`LeakyRelu` surrogate gradient.

    Same as ``LeakyRelu(alpha=alpha, beta=beta)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.leaky_relu(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(LeakyRelu, alpha=alpha, beta=beta)(x)


def log_tailed_relu(x: Any, alpha: float = 0.) -> Any:
    """Heaviside spike of ``x`` with the :class:`LogTailedRelu` surrogate gradient.

    Same as ``LogTailedRelu(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.log_tailed_relu(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(LogTailedRelu, alpha=alpha)(x)


def relu_grad(x: Any, alpha: float = 0.3, width: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`ReluGrad` surrogate gradient.

    Same as ``ReluGrad(alpha=alpha, width=width)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.relu_grad(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(ReluGrad, alpha=alpha, width=width)(x)


def gaussian_grad(x: Any, sigma: float = 0.5, alpha: float = 0.5) -> Any:
    """Heaviside spike of ``x`` with the :class:`GaussianGrad` surrogate gradient.

    Same as ``GaussianGrad(sigma=sigma, alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.gaussian_grad(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(GaussianGrad, sigma=sigma, alpha=alpha)(x)


def inv_square_grad(x: Any, alpha: float = 100.) -> Any:
    """Heaviside spike of ``x`` with the :class:`InvSquareGrad` surrogate gradient.

    Same as ``InvSquareGrad(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.inv_square_grad(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(InvSquareGrad, alpha=alpha)(x)


def multi_gaussian_grad(x: Any, h: float = 0.15, s: float = 6.0, sigma: float = 0.5,
                        scale: float = 0.5) -> Any:
    """Heaviside spike of ``x`` with the :class:`MultiGaussianGrad` surrogate gradient.

    Same as ``MultiGaussianGrad(h=h, s=s, sigma=sigma, scale=scale)(x)``; see that class for
    the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.multi_gaussian_grad(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(MultiGaussianGrad, h=h, s=s, sigma=sigma, scale=scale)(x)


def slayer_grad(x: Any, alpha: float = 1.) -> Any:
    """Heaviside spike of ``x`` with the :class:`SlayerGrad` surrogate gradient.

    Same as ``SlayerGrad(alpha=alpha)(x)``; see that class for the formulas.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.slayer_grad(brainx.math.asarray([-1., 0., 1.])))
    [0. 1. 1.]
    """
    return cached_instance(SlayerGrad, alpha=alpha)(x)
