"""Dropout layers: Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout, DropoutFixed.

As in brainstate, ``prob`` is the probability of *keeping* an element. The layers
act only while fitting (``brainx.environ.get('fit')`` is True) and are the identity
otherwise. Masks are drawn from ``brainx.random`` (the default generator, or the
``rng`` given), so the same seed gives the same mask on every backend.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.nn._fit import is_fitting
from brainx.nn._module import Dynamics, Module
from brainx.random import DEFAULT, RandomState

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout", "DropoutFixed"]

# SELU's negative saturation value, -lambda * alpha (Klambauer et al. 2017)
_SELU_SATURATION = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717


def _check_prob(prob: Any) -> float:
    if isinstance(prob, bool) or not isinstance(prob, numbers.Real) or not 0.0 <= prob <= 1.0:
        raise ValueError(f"prob (the probability of keeping an element) must be a number in "
                         f"[0, 1], got {prob!r}")
    return float(prob)


def _check_rng(rng: Any) -> RandomState | None:
    """The generator a layer owns: ``None`` means brainx.random.DEFAULT, drawn from at each
    call and not part of the layer's States (as in brainstate)."""
    if rng is None:
        return None
    if not isinstance(rng, RandomState):
        raise TypeError(f"rng must be a brainx.random.RandomState or None, got {rng!r}")
    return rng


def _float_dtype(x: Any) -> Any:
    dtype = bm.dtype(x.dtype)
    return dtype if dtype.kind in "fc" else environ.dftype()


def _apply_mask(x: Any, keep: Any, prob: float) -> Any:
    """Kept elements scaled by 1 / prob, the others 0 (``keep`` broadcasts to ``x``)."""
    dtype = _float_dtype(x)
    if prob == 0.0:
        return bm.zeros(x.shape, dtype=dtype)
    scale = bm.asarray(1.0 / prob, dtype=dtype)
    return bm.where(keep, x.astype(dtype) * scale, bm.zeros((), dtype=dtype))


class _MaskedDropout(Module):
    """While fitting, ``_drop(x, keep)`` with ``keep`` a Bernoulli(``prob``) mask of
    ``_mask_shape(x)`` (checked even when not fitting); the identity otherwise."""

    prob: float
    rng: RandomState | None

    def _mask_shape(self, x: Any) -> tuple[int, ...]:
        return tuple(x.shape)

    def _drop(self, x: Any, keep: Any) -> Any:
        return _apply_mask(x, keep, self.prob)

    def update(self, x: Any) -> Any:
        x = bm.asarray(x)
        shape = self._mask_shape(x)
        if not is_fitting(type(self).__name__) or self.prob == 1.0:
            return x
        return self._drop(x, (self.rng or DEFAULT).bernoulli(self.prob, shape))


class Dropout(_MaskedDropout):
    """Zero each element with probability ``1 - prob`` while fitting; scale the rest by
    ``1 / prob`` (Srivastava et al. 2014).

    Parameters
    ----------
    prob : float
        The probability of keeping an element, in [0, 1] (brainstate's convention).
    rng : brainx.random.RandomState, optional
        Where masks are drawn from (default: ``brainx.random.DEFAULT``).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> brainx.random.seed(0)
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     y = brainx.nn.Dropout(0.5)(np.ones(8))
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=False):
    ...     brainx.nn.Dropout(0.5)(np.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, prob: float = 0.5, rng: RandomState | None = None,
                 name: str | None = None):
        super().__init__(name=name)
        self.prob = _check_prob(prob)
        self.rng = _check_rng(rng)


class _DropoutNd(_MaskedDropout):
    """Channel dropout: whole channels (feature maps) are kept or zeroed together."""

    minimal_dim: int = 2

    def __init__(self, prob: float = 0.5, channel_axis: int = -1,
                 rng: RandomState | None = None, name: str | None = None):
        super().__init__(name=name)
        self.prob = _check_prob(prob)
        if isinstance(channel_axis, bool) or not isinstance(channel_axis, numbers.Integral) \
                or not -self.minimal_dim <= channel_axis < self.minimal_dim:
            raise ValueError(f"channel_axis must be an int in [{-self.minimal_dim}, "
                             f"{self.minimal_dim}) (an axis of an unbatched input), got "
                             f"{channel_axis!r}")
        self.channel_axis = int(channel_axis)
        self.rng = _check_rng(rng)

    def _mask_shape(self, x: Any) -> tuple[int, ...]:
        if x.ndim not in (self.minimal_dim, self.minimal_dim + 1):
            raise ValueError(f"{type(self).__name__} expects {self.minimal_dim}-D (unbatched: "
                             f"{self.minimal_dim - 1} spatial axes and channels) or "
                             f"{self.minimal_dim + 1}-D (batched) input, got shape "
                             f"{tuple(x.shape)}")
        batched = x.ndim == self.minimal_dim + 1
        channel = self.channel_axis % self.minimal_dim + (1 if batched else 0)
        kept = {channel, 0} if batched else {channel}
        return tuple(n if i in kept else 1 for i, n in enumerate(x.shape))


class Dropout1d(_DropoutNd):
    """Channel dropout for inputs ``(length, channels)`` or ``(batch, length, channels)``.

    While fitting, each channel of each example is kept with probability ``prob``
    (scaled by ``1 / prob``) or zeroed along its whole length (Tompson et al. 2015).

    Parameters
    ----------
    prob : float
        The probability of keeping a channel.
    channel_axis : int
        The channel axis of an unbatched input (default: the last).
    rng : brainx.random.RandomState, optional
        Where masks are drawn from (default: ``brainx.random.DEFAULT``).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     y = brainx.nn.Dropout1d(0.5)(np.ones((2, 6, 4)))
    >>> bool((y == y[:, :1, :]).all())     # constant along the length
    True
    """

    minimal_dim = 2


class Dropout2d(_DropoutNd):
    """Channel dropout for inputs ``(h, w, channels)`` or ``(batch, h, w, channels)``.

    Parameters are those of :class:`Dropout1d`.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     brainx.nn.Dropout2d(0.8)(np.ones((2, 3, 3, 4))).shape
    (2, 3, 3, 4)
    """

    minimal_dim = 3


class Dropout3d(_DropoutNd):
    """Channel dropout for inputs ``(h, w, d, channels)`` or ``(batch, h, w, d, channels)``.

    Parameters are those of :class:`Dropout1d`.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=False):
    ...     brainx.nn.Dropout3d(0.8)(np.ones((2, 2, 2, 4))).shape
    (2, 2, 2, 4)
    """

    minimal_dim = 4


def _alpha_coefficients(prob: float) -> tuple[float, float]:
    """``(a, b)`` so that ``a * (x * keep + s * (1 - keep)) + b`` keeps mean 0 and
    variance 1 (``s`` the SELU saturation value)."""
    q, s = prob, _SELU_SATURATION
    a = 1.0 / math.sqrt(q + s * s * q * (1.0 - q))
    return a, -a * (1.0 - q) * s


class AlphaDropout(_MaskedDropout):
    """Alpha dropout (Klambauer et al. 2017): keeps zero mean and unit variance for SELU.

    While fitting, dropped elements are set to SELU's negative saturation value
    :math:`-\\lambda\\alpha` instead of 0, then everything is scaled and shifted so
    that standardised inputs stay standardised. Identity otherwise.

    Parameters
    ----------
    prob : float
        The probability of keeping an element, in (0, 1].
    rng : brainx.random.RandomState, optional
        Where masks are drawn from (default: ``brainx.random.DEFAULT``).

    Examples
    --------
    >>> import brainx
    >>> brainx.random.seed(0)
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     y = brainx.nn.AlphaDropout(0.8)(brainx.random.randn(100000))
    >>> round(float(y.mean()), 1), round(float(y.std()), 1)
    (0.0, 1.0)
    """

    def __init__(self, prob: float = 0.5, rng: RandomState | None = None,
                 name: str | None = None):
        super().__init__(name=name)
        self.prob = _check_prob(prob)
        if self.prob == 0.0:
            raise ValueError("AlphaDropout needs prob > 0 (prob is the probability of keeping "
                             "an element), got 0")
        self.rng = _check_rng(rng)

    def _drop(self, x: Any, keep: Any) -> Any:
        dtype = _float_dtype(x)
        a, b = _alpha_coefficients(self.prob)
        dropped = bm.where(keep, x.astype(dtype), bm.asarray(_SELU_SATURATION, dtype=dtype))
        return (dropped * bm.asarray(a, dtype=dtype) + bm.asarray(b, dtype=dtype)).astype(dtype)


class FeatureAlphaDropout(AlphaDropout):
    """Alpha dropout of whole channels: the mask varies along the first axis (the
    examples) and ``channel_axis`` only, and is shared along every other axis.

    Parameters
    ----------
    prob : float
        The probability of keeping a channel, in (0, 1].
    channel_axis : int
        The channel axis (default: the last).
    rng : brainx.random.RandomState, optional
        Where masks are drawn from (default: ``brainx.random.DEFAULT``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     y = brainx.nn.FeatureAlphaDropout(0.5)(brainx.random.randn(2, 5, 3))
    >>> y.shape
    (2, 5, 3)
    """

    def __init__(self, prob: float = 0.5, channel_axis: int = -1,
                 rng: RandomState | None = None, name: str | None = None):
        super().__init__(prob, rng=rng, name=name)
        if isinstance(channel_axis, bool) or not isinstance(channel_axis, numbers.Integral):
            raise TypeError(f"channel_axis must be an int, got {channel_axis!r}")
        self.channel_axis = int(channel_axis)

    def _mask_shape(self, x: Any) -> tuple[int, ...]:
        if x.ndim < 2 or not -x.ndim <= self.channel_axis < x.ndim \
                or self.channel_axis % x.ndim == 0:
            raise ValueError(f"FeatureAlphaDropout expects input with an examples axis (the "
                             f"first) and a channel axis {self.channel_axis}, got shape "
                             f"{tuple(x.shape)}")
        channel = self.channel_axis % x.ndim
        return tuple(n if i in (0, channel) else 1 for i, n in enumerate(x.shape))


class DropoutFixed(Dynamics):
    """Dropout whose mask is drawn once, by ``init_state``, and kept for every step.

    For spiking networks run over many time steps, where the same units must stay
    dropped for a whole trial (Lee et al. 2020, arXiv:1903.06379). ``init_state``
    (called at construction, and by ``brainx.nn.init_all_states``) draws a new mask.

    Parameters
    ----------
    in_size : int or tuple of int
        The input shape without the batch axis.
    prob : float
        The probability of keeping an element.
    rng : brainx.random.RandomState, optional
        Where masks are drawn from (default: ``brainx.random.DEFAULT``).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     layer = brainx.nn.DropoutFixed(6, prob=0.5)
    ...     first, second = layer(np.ones(6)), layer(np.ones(6))
    >>> bool((first == second).all())
    True
    """

    def __init__(self, in_size: Any, prob: float = 0.5, rng: RandomState | None = None,
                 name: str | None = None):
        super().__init__(in_size, name=name)
        self.in_size = self.out_size = self.size
        self.prob = _check_prob(prob)
        self.rng = _check_rng(rng)
        self.init_state()

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.mask = brainx.ShortTermState(
            (self.rng or DEFAULT).bernoulli(self.prob, self.state_shape(batch_size)), name="mask")

    def update(self, x: Any) -> Any:
        x = bm.asarray(x)
        if not is_fitting(type(self).__name__) or self.prob == 1.0:
            return x
        if tuple(x.shape) != tuple(self.mask.value.shape):
            raise ValueError(f"DropoutFixed: the input has shape {tuple(x.shape)} but the mask "
                             f"has shape {tuple(self.mask.value.shape)}; call "
                             f"init_state(batch_size) for inputs with a batch axis")
        return _apply_mask(x, self.mask.value, self.prob)
