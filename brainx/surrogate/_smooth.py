"""Surrogates whose gradient is the derivative of a smooth step-like function."""

from __future__ import annotations

import math
from typing import Any

import brainx.math as bm
from brainx.functional._activations import sigmoid as _sigmoid
from brainx.functional._special import erfc as _erfc
from brainx.surrogate._base import Surrogate, checked

__all__ = ["Sigmoid", "PiecewiseQuadratic", "PiecewiseExp", "SoftSign", "Arctan",
           "NonzeroSignLog", "ERF", "PiecewiseLeakyRelu", "SquarewaveFourierSeries", "S2NN",
           "QPseudoSpike", "LeakyRelu", "LogTailedRelu"]


def _sigmoid_slope(z: Any) -> Any:
    """sigma(z) (1 - sigma(z)) = e / (1 + e)^2 with e = exp(-|z|), free of cancellation."""
    e = bm.exp(-bm.abs(z))
    return e / (1.0 + e) ** 2


class Sigmoid(Surrogate):
    r"""Heaviside spike with the sigmoid surrogate gradient.

    :math:`g(x) = \sigma(\alpha x)`, :math:`g'(x) = \alpha\,\sigma(\alpha x)(1 - \sigma(\alpha x))`.

    Parameters
    ----------
    alpha : float
        Steepness (positive); the gradient peaks at ``alpha / 4`` at ``x = 0``.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.Sigmoid(alpha=4.)(bm.asarray([-0.5, 0., 0.5])))
    [0. 1. 1.]
    >>> with brainx.use_backend('jax'):
    ...     grad = brainx.augment.grad(brainx.surrogate.Sigmoid(alpha=4.), argnums=0)
    ...     print(float(grad(0.)))
    1.0
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 4.):
        self.alpha = checked("Sigmoid", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        return _sigmoid(self.alpha * x)

    def surrogate_grad(self, x: Any) -> Any:
        return self.alpha * _sigmoid_slope(self.alpha * x)


class PiecewiseQuadratic(Surrogate):
    r"""Heaviside spike with a piecewise-quadratic surrogate (Esser et al. 2016).

    .. math::
       g(x) = \begin{cases} 0, & x < -1/\alpha \\
              -\tfrac12\alpha^2|x|x + \alpha x + \tfrac12, & |x| \le 1/\alpha \\
              1, & x > 1/\alpha \end{cases}
       \qquad g'(x) = \max(0,\ \alpha - \alpha^2|x|)

    Parameters
    ----------
    alpha : float
        Positive; the gradient is a triangle of height ``alpha`` and half-width ``1/alpha``.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.PiecewiseQuadratic(alpha=2.)
    PiecewiseQuadratic(alpha=2.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("PiecewiseQuadratic", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        a = self.alpha
        inner = (-0.5 * a * bm.abs(x) + 1.0) * a * x + 0.5
        return bm.where(x < -1.0 / a, 0.0, bm.where(x > 1.0 / a, 1.0, inner))

    def surrogate_grad(self, x: Any) -> Any:
        a = self.alpha
        return bm.where(bm.abs(x) > 1.0 / a, 0.0, a - a * a * bm.abs(x))


class PiecewiseExp(Surrogate):
    r"""Heaviside spike with a piecewise-exponential surrogate (Neftci et al. 2019).

    :math:`g(x) = \tfrac12 e^{\alpha x}` for :math:`x < 0`, :math:`1 - \tfrac12 e^{-\alpha x}`
    otherwise; :math:`g'(x) = \tfrac{\alpha}{2} e^{-\alpha|x|}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.PiecewiseExp()
    PiecewiseExp(alpha=1.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("PiecewiseExp", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        half = 0.5 * bm.exp(-self.alpha * bm.abs(x))
        return bm.where(x < 0, half, 1.0 - half)

    def surrogate_grad(self, x: Any) -> Any:
        return 0.5 * self.alpha * bm.exp(-self.alpha * bm.abs(x))


class SoftSign(Surrogate):
    r"""Heaviside spike with the soft-sign surrogate.

    :math:`g(x) = \tfrac12\left(\frac{\alpha x}{1 + |\alpha x|} + 1\right)`,
    :math:`g'(x) = \frac{\alpha}{2(1 + |\alpha x|)^2}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.SoftSign(alpha=2.)
    SoftSign(alpha=2.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("SoftSign", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        ax = self.alpha * x
        return 0.5 * ax / (1.0 + bm.abs(ax)) + 0.5

    def surrogate_grad(self, x: Any) -> Any:
        return 0.5 * self.alpha / (1.0 + bm.abs(self.alpha * x)) ** 2


class Arctan(Surrogate):
    r"""Heaviside spike with the arctangent surrogate.

    :math:`g(x) = \tfrac1\pi \arctan(\tfrac\pi2 \alpha x) + \tfrac12`,
    :math:`g'(x) = \frac{\alpha}{2(1 + (\frac\pi2\alpha x)^2)}`.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> with brainx.use_backend('numba'):
    ...     print(brainx.surrogate.Arctan()(bm.asarray([-1., 0., 2.])))
    [0. 1. 1.]
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("Arctan", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        return bm.arctan(0.5 * math.pi * self.alpha * x) / math.pi + 0.5

    def surrogate_grad(self, x: Any) -> Any:
        return 0.5 * self.alpha / (1.0 + (0.5 * math.pi * self.alpha * x) ** 2)


class NonzeroSignLog(Surrogate):
    r"""Heaviside spike with the nonzero-sign-log surrogate.

    :math:`g(x) = \mathrm{sign}_{\ne 0}(x) \log(1 + |\alpha x|)` (with sign 1 at 0),
    :math:`g'(x) = \frac{1}{1/\alpha + |x|}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.NonzeroSignLog()
    NonzeroSignLog(alpha=1.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("NonzeroSignLog", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        return bm.where(x < 0, -1.0, 1.0) * bm.log1p(bm.abs(self.alpha * x))

    def surrogate_grad(self, x: Any) -> Any:
        return 1.0 / (1.0 / self.alpha + bm.abs(x))


class ERF(Surrogate):
    r"""Heaviside spike with the error-function surrogate (Esser et al. 2015).

    :math:`g(x) = \tfrac12 \mathrm{erfc}(-\alpha x)`,
    :math:`g'(x) = \frac{\alpha}{\sqrt\pi} e^{-\alpha^2 x^2}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.ERF(alpha=2.)
    ERF(alpha=2.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("ERF", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        return 0.5 * _erfc(-self.alpha * x)

    def surrogate_grad(self, x: Any) -> Any:
        return self.alpha / math.sqrt(math.pi) * bm.exp(-(self.alpha * x) ** 2)


class PiecewiseLeakyRelu(Surrogate):
    r"""Heaviside spike with a piecewise leaky-ReLU surrogate gradient.

    :math:`g'(x) = 1/w` for :math:`|x| \le w`, :math:`c` otherwise. ``surrogate_fun`` is the
    customary companion curve (slope ``1/(2w)`` inside, ``c`` outside, as in brainstate and
    SpikingJelly), so it is not the antiderivative of the gradient inside ``[-w, w]``.

    Parameters
    ----------
    c : float
        Gradient outside ``[-w, w]``.
    w : float
        Positive half-width of the central region.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.PiecewiseLeakyRelu(c=0.01, w=1.)
    PiecewiseLeakyRelu(c=0.01, w=1.0)
    """

    params = ("c", "w")

    def __init__(self, c: float = 0.01, w: float = 1.):
        self.c = checked("PiecewiseLeakyRelu", "c", c)
        self.w = checked("PiecewiseLeakyRelu", "w", w, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        c, w = self.c, self.w
        return bm.where(x < -w, c * x + c * w,
                        bm.where(x > w, c * x - c * w + 1.0, 0.5 * x / w + 0.5))

    def surrogate_grad(self, x: Any) -> Any:
        return bm.where(bm.abs(x) > self.w, self.c, 1.0 / self.w)


class SquarewaveFourierSeries(Surrogate):
    r"""Heaviside spike with a truncated Fourier series of a square wave.

    With :math:`\omega = 2\pi / T` and harmonics :math:`k = 2i - 1`, :math:`i = 1 \dots n-1`
    (brainstate's count: ``n = 2`` keeps the fundamental alone):

    .. math::
       g(x) = \tfrac12 + \tfrac2\pi \sum_i \frac{\sin(k\omega x)}{k}, \qquad
       g'(x) = \tfrac4T \sum_i \cos(k\omega x)

    Parameters
    ----------
    n : int
        At least 2.
    t_period : float
        Positive period :math:`T` of the square wave.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.SquarewaveFourierSeries(n=4)
    SquarewaveFourierSeries(n=4, t_period=8.0)
    """

    params = ("n", "t_period")

    def __init__(self, n: int = 2, t_period: float = 8.):
        self.n = checked("SquarewaveFourierSeries", "n", n, integer=True)
        if self.n < 2:
            raise ValueError(f"SquarewaveFourierSeries: n must be at least 2, got {n!r}")
        self.t_period = checked("SquarewaveFourierSeries", "t_period", t_period, positive=True)

    def _harmonics(self) -> range:
        return range(1, 2 * self.n - 2, 2)

    def surrogate_fun(self, x: Any) -> Any:
        w = 2.0 * math.pi / self.t_period
        total = sum(bm.sin(k * w * x) / k for k in self._harmonics())
        return 0.5 + 2.0 / math.pi * total

    def surrogate_grad(self, x: Any) -> Any:
        w = 2.0 * math.pi / self.t_period
        return 4.0 / self.t_period * sum(bm.cos(k * w * x) for k in self._harmonics())


class S2NN(Surrogate):
    r"""Heaviside spike with the S2NN surrogate (Suetake et al. 2022).

    .. math::
       g(x) = \begin{cases} \sigma(\alpha x), & x < 0 \\
              \beta \log(|x + 1| + \epsilon) + \tfrac12, & x \ge 0 \end{cases}
       \qquad
       g'(x) = \begin{cases} \alpha \sigma(\alpha x)(1 - \sigma(\alpha x)), & x < 0 \\
               \beta / (x + 1), & x \ge 0 \end{cases}

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.S2NN()
    S2NN(alpha=4.0, beta=1.0, epsilon=1e-08)
    """

    params = ("alpha", "beta", "epsilon")

    def __init__(self, alpha: float = 4., beta: float = 1., epsilon: float = 1e-8):
        self.alpha = checked("S2NN", "alpha", alpha, positive=True)
        self.beta = checked("S2NN", "beta", beta)
        self.epsilon = checked("S2NN", "epsilon", epsilon, nonnegative=True)

    def surrogate_fun(self, x: Any) -> Any:
        positive = self.beta * bm.log(bm.maximum(x, 0.0) + 1.0 + self.epsilon) + 0.5
        return bm.where(x < 0, _sigmoid(self.alpha * x), positive)

    def surrogate_grad(self, x: Any) -> Any:
        return bm.where(x < 0, self.alpha * _sigmoid_slope(self.alpha * x),
                        self.beta / (bm.maximum(x, 0.0) + 1.0))


class QPseudoSpike(Surrogate):
    r"""Heaviside spike with the q-PseudoSpike surrogate (Herranz-Celotti & Rouat 2022).

    .. math::
       g(x) = \begin{cases} \tfrac12 (1 + \frac{2|x|}{\alpha - 1})^{1-\alpha}, & x < 0 \\
              1 - \tfrac12 (1 + \frac{2|x|}{\alpha - 1})^{1-\alpha}, & x \ge 0 \end{cases}
       \qquad g'(x) = \left(1 + \frac{2|x|}{\alpha - 1}\right)^{-\alpha}

    Parameters
    ----------
    alpha : float
        Tail fatness, greater than 1 (smaller: fatter tails).

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.QPseudoSpike()
    QPseudoSpike(alpha=2.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 2.):
        self.alpha = checked("QPseudoSpike", "alpha", alpha, above=1.0)

    def surrogate_fun(self, x: Any) -> Any:
        tail = 0.5 * (1.0 + 2.0 / (self.alpha - 1.0) * bm.abs(x)) ** (1.0 - self.alpha)
        return bm.where(x < 0, tail, 1.0 - tail)

    def surrogate_grad(self, x: Any) -> Any:
        return (1.0 + 2.0 / (self.alpha - 1.0) * bm.abs(x)) ** (-self.alpha)


class LeakyRelu(Surrogate):
    r"""Heaviside spike with a leaky-ReLU surrogate.

    :math:`g(x) = \beta x` for :math:`x \ge 0`, :math:`\alpha x` otherwise;
    :math:`g'(x) = \beta` for :math:`x \ge 0`, :math:`\alpha` otherwise.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.LeakyRelu()
    LeakyRelu(alpha=0.1, beta=1.0)
    """

    params = ("alpha", "beta")

    def __init__(self, alpha: float = 0.1, beta: float = 1.):
        self.alpha = checked("LeakyRelu", "alpha", alpha)
        self.beta = checked("LeakyRelu", "beta", beta)

    def surrogate_fun(self, x: Any) -> Any:
        return bm.where(x < 0, self.alpha * x, self.beta * x)

    def surrogate_grad(self, x: Any) -> Any:
        return bm.where(x < 0, self.alpha, self.beta)


class LogTailedRelu(Surrogate):
    r"""Heaviside spike with a log-tailed ReLU surrogate (Cai et al. 2017).

    :math:`g(x) = \alpha x` for :math:`x \le 0`, :math:`x` for :math:`0 < x \le 1`,
    :math:`\log x` for :math:`x > 1`; :math:`g'(x) = \alpha`, :math:`1`, :math:`1/x`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.LogTailedRelu()
    LogTailedRelu(alpha=0.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 0.):
        self.alpha = checked("LogTailedRelu", "alpha", alpha)

    def surrogate_fun(self, x: Any) -> Any:
        return bm.where(x > 1, bm.log(bm.maximum(x, 1.0)), bm.where(x > 0, x, self.alpha * x))

    def surrogate_grad(self, x: Any) -> Any:
        return bm.where(x > 1, 1.0 / bm.maximum(x, 1.0), bm.where(x > 0, 1.0, self.alpha))
