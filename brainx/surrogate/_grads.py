"""Surrogates defined by their gradient (the ``...Grad`` family).

brainstate defines only the gradient of these; brainx adds ``surrogate_fun``, the
antiderivative that is 0 at minus infinity, so every surrogate can be plotted and checked.
"""

from __future__ import annotations

import math
from typing import Any

import brainx.math as bm
from brainx.functional._special import erfc as _erfc
from brainx.surrogate._base import Surrogate, checked

__all__ = ["ReluGrad", "GaussianGrad", "InvSquareGrad", "MultiGaussianGrad", "SlayerGrad"]

_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _normal_pdf(x: Any, mean: float, std: float) -> Any:
    return bm.exp(-0.5 * ((x - mean) / std) ** 2) / (_SQRT_2PI * std)


def _normal_cdf(x: Any, mean: float, std: float) -> Any:
    return 0.5 * _erfc(-(x - mean) / (std * math.sqrt(2.0)))


class ReluGrad(Surrogate):
    r"""Heaviside spike with a triangular (ReLU-shaped) surrogate gradient (Neftci et al. 2019).

    :math:`g'(x) = \max(0,\ \alpha(\mathrm{width} - |x|))`: height ``alpha * width`` at 0,
    zero beyond ``|x| = width``.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.ReluGrad()
    ReluGrad(alpha=0.3, width=1.0)
    """

    params = ("alpha", "width")

    def __init__(self, alpha: float = 0.3, width: float = 1.):
        self.alpha = checked("ReluGrad", "alpha", alpha, positive=True)
        self.width = checked("ReluGrad", "width", width, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        a, w = self.alpha, self.width
        c = bm.clip(x, -w, w)
        left = 0.5 * a * (c + w) ** 2
        right = a * w * w - 0.5 * a * (w - c) ** 2
        return bm.where(c < 0, left, right)

    def surrogate_grad(self, x: Any) -> Any:
        return bm.maximum(self.alpha * (self.width - bm.abs(x)), 0.0)


class GaussianGrad(Surrogate):
    r"""Heaviside spike with a Gaussian surrogate gradient (Yin et al. 2021).

    :math:`g'(x) = \alpha\, \mathcal N(x; 0, \sigma^2)
    = \frac{\alpha}{\sigma\sqrt{2\pi}} e^{-x^2 / 2\sigma^2}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.GaussianGrad()
    GaussianGrad(sigma=0.5, alpha=0.5)
    """

    params = ("sigma", "alpha")

    def __init__(self, sigma: float = 0.5, alpha: float = 0.5):
        self.sigma = checked("GaussianGrad", "sigma", sigma, positive=True)
        self.alpha = checked("GaussianGrad", "alpha", alpha)

    def surrogate_fun(self, x: Any) -> Any:
        return self.alpha * _normal_cdf(x, 0.0, self.sigma)

    def surrogate_grad(self, x: Any) -> Any:
        return self.alpha * _normal_pdf(x, 0.0, self.sigma)


class MultiGaussianGrad(Surrogate):
    r"""Heaviside spike with a multi-Gaussian surrogate gradient (Yin et al. 2021).

    .. math::
       g'(x) = \mathrm{scale}\left[(1 + h)\mathcal N(x; 0, \sigma^2)
               - h\mathcal N(x; \sigma, (s\sigma)^2) - h\mathcal N(x; -\sigma, (s\sigma)^2)\right]

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.MultiGaussianGrad()
    MultiGaussianGrad(h=0.15, s=6.0, sigma=0.5, scale=0.5)
    """

    params = ("h", "s", "sigma", "scale")

    def __init__(self, h: float = 0.15, s: float = 6.0, sigma: float = 0.5, scale: float = 0.5):
        self.h = checked("MultiGaussianGrad", "h", h)
        self.s = checked("MultiGaussianGrad", "s", s, positive=True)
        self.sigma = checked("MultiGaussianGrad", "sigma", sigma, positive=True)
        self.scale = checked("MultiGaussianGrad", "scale", scale)

    def _mix(self, x: Any, f: Any) -> Any:
        wide = self.s * self.sigma
        return self.scale * ((1.0 + self.h) * f(x, 0.0, self.sigma)
                             - self.h * f(x, self.sigma, wide) - self.h * f(x, -self.sigma, wide))

    def surrogate_fun(self, x: Any) -> Any:
        return self._mix(x, _normal_cdf)

    def surrogate_grad(self, x: Any) -> Any:
        return self._mix(x, _normal_pdf)


class InvSquareGrad(Surrogate):
    r"""Heaviside spike with the inverse-square surrogate gradient.

    :math:`g'(x) = \frac{1}{(\alpha|x| + 1)^2}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.InvSquareGrad()
    InvSquareGrad(alpha=100.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 100.):
        self.alpha = checked("InvSquareGrad", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        rise = 1.0 - 1.0 / (self.alpha * bm.abs(x) + 1.0)
        return (1.0 + bm.where(x < 0, -rise, rise)) / self.alpha

    def surrogate_grad(self, x: Any) -> Any:
        return 1.0 / (self.alpha * bm.abs(x) + 1.0) ** 2


class SlayerGrad(Surrogate):
    r"""Heaviside spike with the SLAYER surrogate gradient (Shrestha & Orchard 2018).

    :math:`g'(x) = e^{-\alpha|x|}`.

    Examples
    --------
    >>> import brainx
    >>> brainx.surrogate.SlayerGrad(alpha=2.)
    SlayerGrad(alpha=2.0)
    """

    params = ("alpha",)

    def __init__(self, alpha: float = 1.):
        self.alpha = checked("SlayerGrad", "alpha", alpha, positive=True)

    def surrogate_fun(self, x: Any) -> Any:
        rise = 1.0 - bm.exp(-self.alpha * bm.abs(x))
        return (1.0 + bm.where(x < 0, -rise, rise)) / self.alpha

    def surrogate_grad(self, x: Any) -> Any:
        return bm.exp(-self.alpha * bm.abs(x))
