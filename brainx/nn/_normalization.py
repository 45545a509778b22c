"""Normalisation layers: BatchNorm0d/1d/2d/3d, LayerNorm, RMSNorm, GroupNorm.

Inputs are channels-last, as in brainstate. Batch normalisation keeps running
statistics in ``LongTermState``s and updates them only while fitting; whether a
model is fitting is read from ``brainx.environ.get('fit')`` (set it with
``brainx.environ.set(fit=True)`` or ``brainx.environ.context(fit=False)``).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx import init as _init
from brainx.nn._fit import is_fitting
from brainx.nn._module import Module, as_size

__all__ = ["BatchNorm0d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "RMSNorm",
           "GroupNorm"]

Axes = int | Sequence[int]


def _canonical_axes(ndim: int, axes: Axes, name: str) -> tuple[int, ...]:
    """``axes`` as non-negative ints below ``ndim``, with a clear error otherwise."""
    items = (axes,) if isinstance(axes, numbers.Integral) else tuple(axes)
    out = []
    for axis in items:
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(f"{name} must be an int or a sequence of ints, got {axes!r}")
        a = int(axis) + ndim if axis < 0 else int(axis)
        if not 0 <= a < ndim:
            raise ValueError(f"{name} {axis} is out of range for {ndim}-dimensional data")
        out.append(a)
    if len(set(out)) != len(out):
        raise ValueError(f"{name} repeats an axis: {axes!r}")
    return tuple(out)


def _check_epsilon(epsilon: Any) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon >= 0:
        raise ValueError(f"epsilon must be a non-negative number, got {epsilon!r}")
    return float(epsilon)


def _no_axis_name(axis_name: Any, axis_index_groups: Any) -> tuple[Any, Any]:
    """``(axis_name, axis_index_groups)``, after checking that both are None."""
    if axis_name is not None or axis_index_groups is not None:
        raise NotImplementedError(
            "axis_name / axis_index_groups (statistics shared across a mapped or sharded "
            "axis) are not supported by brainx's normalisation layers; normalise over a "
            "batch axis of the input instead")
    return axis_name, axis_index_groups


def _relative_axes(in_size: tuple[int, ...], axes: Axes) -> tuple[int, ...]:
    """``reduction_axes`` as given (negative axes count from the end), checked against
    ``in_size``."""
    axes = (axes,) if isinstance(axes, numbers.Integral) else tuple(axes)
    _canonical_axes(len(in_size), axes, "reduction_axes")
    return axes


def _dtype(dtype: Any) -> Any:
    dt = bm.dtype(dtype) if dtype is not None else environ.dftype()
    if dt.kind not in "fc":
        raise TypeError(f"dtype must be a floating-point dtype, got {dt}")
    return dt


def _weight(init: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """A scale or bias of ``shape`` from an initialiser, an array or a number."""
    return bm.array(_init.param(init, shape, allow_scalar=False), dtype=dtype)


def _feature_shape(in_size: tuple[int, ...], feature_axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n if i in feature_axes else 1 for i, n in enumerate(in_size))


def _moments(x: Any, axes: tuple[int, ...], use_mean: bool, fast: bool,
             mask: Any = None) -> tuple[Any, Any]:
    """Mean and variance of ``x`` over ``axes`` (kept as size-1 axes).

    ``fast`` uses E[x^2] - E[x]^2 (clipped at 0), else E[(x - E[x])^2]; without
    ``use_mean`` the mean is 0 and the "variance" is E[x^2] (RMS normalisation).
    """
    kw = {} if mask is None else {"where": bm.broadcast_to(bm.asarray(mask, dtype=bool),
                                                             x.shape)}
    if not use_mean:
        var = bm.mean(x * x, axis=axes, keepdims=True, **kw)
        return bm.zeros_like(var), var
    mean = bm.mean(x, axis=axes, keepdims=True, **kw)
    if fast:
        var = bm.maximum(bm.mean(x * x, axis=axes, keepdims=True, **kw) - mean * mean, 0.0)
    else:
        centred = x - mean
        var = bm.mean(centred * centred, axis=axes, keepdims=True, **kw)
    return mean, var


def _affine(y: Any, weights: Any, dtype: Any) -> Any:
    """``y * scale + bias`` for the entries ``weights`` has, cast to ``dtype``."""
    if weights is not None:
        if "scale" in weights:
            y = y * weights["scale"]
        if "bias" in weights:
            y = y + weights["bias"]
    return bm.asarray(y, dtype=dtype)


def _normalize(x: Any, mean: Any, var: Any, epsilon: float, weights: Any, dtype: Any) -> Any:
    return _affine((x - mean) / bm.sqrt(var + epsilon), weights, dtype)


class _BatchNorm(Module):
    """Batch normalisation over the batch and spatial axes, per feature (channel)."""

    num_spatial_dims: int = 0

    def __init__(self, in_size: Any, feature_axis: Axes = -1, *,
                 track_running_stats: bool = True, epsilon: float = 1e-5,
                 momentum: float = 0.99, affine: bool = True,
                 bias_initializer: Any = None, scale_initializer: Any = None,
                 axis_name: str | Sequence[str] | None = None,
                 axis_index_groups: Any = None, use_fast_variance: bool = True,
                 name: str | None = None, dtype: Any = None):
        super().__init__(name=name)
        self.in_size = as_size(in_size)
        if len(self.in_size) != self.num_spatial_dims + 1:
            raise ValueError(f"{type(self).__name__} needs in_size with "
                             f"{self.num_spatial_dims + 1} axes (spatial axes, then channels), "
                             f"got {in_size!r}")
        self.out_size = self.in_size
        self.feature_axes = _canonical_axes(len(self.in_size), feature_axis, "feature_axis")
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) \
                or not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be a number in [0, 1], got {momentum!r}")
        _no_axis_name(axis_name, axis_index_groups)
        self.momentum = float(momentum)
        self.epsilon = _check_epsilon(epsilon)
        self.track_running_stats = bool(track_running_stats)
        self.affine = bool(affine)
        self.use_fast_variance = bool(use_fast_variance)
        self.axis_name, self.axis_index_groups = axis_name, axis_index_groups
        self.dtype = _dtype(dtype)
        self.bias_initializer = _init.Constant(0.0) if bias_initializer is None \
            else bias_initializer
        self.scale_initializer = _init.Constant(1.0) if scale_initializer is None \
            else scale_initializer

        shape = _feature_shape(self.in_size, self.feature_axes)
        if self.track_running_stats:
            self.running_mean = brainx.LongTermState(bm.zeros(shape, dtype=self.dtype),
                                                     name="running_mean")
            self.running_var = brainx.LongTermState(bm.ones(shape, dtype=self.dtype),
                                                    name="running_var")
        else:
            self.running_mean = self.running_var = None
        if self.affine:
            self.weight = brainx.ParamState({
                "bias": _weight(self.bias_initializer, shape, self.dtype),
                "scale": _weight(self.scale_initializer, shape, self.dtype)})
        else:
            self.weight = None

    def update(self, x: Any, mask: Any = None) -> Any:
        x = bm.asarray(x)
        ndim = getattr(x, "ndim", 0)
        if ndim == self.num_spatial_dims + 2:
            batched = True
        elif ndim == self.num_spatial_dims + 1:
            batched = False
        else:
            raise ValueError(f"{type(self).__name__} expects {self.num_spatial_dims + 2}-D "
                             f"(batched) or {self.num_spatial_dims + 1}-D input, got shape "
                             f"{tuple(x.shape)}")
        if tuple(x.shape[1:] if batched else x.shape) != self.in_size:
            raise ValueError(f"{type(self).__name__} expects inputs of shape {self.in_size} "
                             f"(after an optional batch axis), got {tuple(x.shape)}")
        offset = 1 if batched else 0
        axes = tuple(i for i in range(ndim) if i - offset not in self.feature_axes)
        x = bm.asarray(x, dtype=self.dtype)
        weights = None if self.weight is None else self.weight.value
        fitting = is_fitting(type(self).__name__)
        if fitting or not self.track_running_stats:
            mean, var = _moments(x, axes, True, self.use_fast_variance, mask)
            if fitting and self.track_running_stats:
                m = self.momentum
                shape = self.running_mean.value.shape
                self.running_mean.value = (m * self.running_mean.value + (1.0 - m)
                                           * bm.reshape(mean, shape)).astype(self.dtype)
                self.running_var.value = (m * self.running_var.value + (1.0 - m)
                                          * bm.reshape(var, shape)).astype(self.dtype)
        else:
            mean, var = self.running_mean.value, self.running_var.value
        return _normalize(x, mean, var, self.epsilon, weights, self.dtype)


_BN_DOC = r"""

    Normalises each feature (channel) with the mean and variance over the batch
    and spatial axes: :math:`y = (x - E[x]) / \sqrt{Var[x] + \epsilon}\, \gamma + \beta`.
    While fitting (``brainx.environ.get('fit')`` is True) it uses the batch's
    statistics and updates the running ones,
    :math:`\hat{x} \leftarrow m \hat{x} + (1 - m) x_t` with ``momentum`` :math:`m`
    (brainstate's convention: 0.99 keeps 99% of the old estimate); otherwise it uses
    the running statistics. With ``track_running_stats=False`` it always uses the
    batch's statistics.

    Parameters
    ----------
    in_size : int or tuple of int
        The input shape without the batch axis, channels last.
    feature_axis : int or tuple of int
        The feature axes of ``in_size`` (default: the last).
    track_running_stats : bool
        Keep running mean and variance (``LongTermState``s) for evaluation.
    epsilon : float
        Added to the variance.
    momentum : float
        Weight of the old running statistic, in [0, 1].
    affine : bool
        Learn a scale and a bias (``weight``, a ParamState ``{'bias', 'scale'}``).
    bias_initializer, scale_initializer : initialiser or array
        Initial bias (default 0) and scale (default 1).
    use_fast_variance : bool
        Compute the variance as E[x^2] - E[x]^2 (one pass), else E[(x - E[x])^2].
    dtype : dtype, optional
        The dtype of the statistics and the output (default: ``environ.dftype()``).
    """


class BatchNorm0d(_BatchNorm):
    num_spatial_dims = 0


class BatchNorm1d(_BatchNorm):
    num_spatial_dims = 1


class BatchNorm2d(_BatchNorm):
    num_spatial_dims = 2


class BatchNorm3d(_BatchNorm):
    num_spatial_dims = 3


BatchNorm0d.__doc__ = """0-D batch normalisation: inputs ``(batch, channels)`` or ``(channels,)``.
""" + _BN_DOC + """
    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     bn = brainx.nn.BatchNorm0d(2)
    ...     y = bn(np.array([[1., 10.], [3., 30.]]))
    >>> np.asarray(y, float).round(3).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> np.asarray(bn.running_mean.value, float).round(3).tolist()    # 0.99 * 0 + 0.01 * mean
    [0.02, 0.2]
    """

BatchNorm1d.__doc__ = """1-D batch normalisation: inputs ``(batch, length, channels)`` or unbatched.
""" + _BN_DOC + """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=False):
    ...     bn = brainx.nn.BatchNorm1d((5, 3))
    ...     bn(brainx.random.randn(4, 5, 3)).shape
    (4, 5, 3)
    """

BatchNorm2d.__doc__ = """2-D batch normalisation: inputs ``(batch, height, width, channels)``.
""" + _BN_DOC + """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     bn = brainx.nn.BatchNorm2d((4, 4, 3))
    ...     bn(brainx.random.randn(2, 4, 4, 3)).shape
    (2, 4, 4, 3)
    """

BatchNorm3d.__doc__ = """3-D batch normalisation: inputs ``(batch, h, w, d, channels)``.
""" + _BN_DOC + """
    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(fit=True):
    ...     bn = brainx.nn.BatchNorm3d((2, 2, 2, 3))
    ...     bn.running_var.value.shape
    (1, 1, 1, 3)
    """


class _FeatureNorm(Module):
    """What LayerNorm, RMSNorm and GroupNorm share: the sizes, the feature axes and the
    options of a learnt scale and bias."""

    def __init__(self, in_size: Any, feature_axes: Axes, argument: str, name: str | None):
        super().__init__(name=name)
        self.in_size = self.out_size = as_size(in_size)
        self.feature_axes = _canonical_axes(len(self.in_size), feature_axes, argument)

    def _affine(self, epsilon: float, use_bias: bool, use_scale: bool, bias_init: Any,
                scale_init: Any, use_fast_variance: bool, dtype: Any) -> None:
        """Set the options and ``weight``, a ParamState of the scale and bias (or None)."""
        self.epsilon = _check_epsilon(epsilon)
        self.use_bias, self.use_scale = bool(use_bias), bool(use_scale)
        self.bias_init = _init.ZeroInit() if bias_init is None else bias_init
        self.scale_init = _init.Constant(1.0) if scale_init is None else scale_init
        self.use_fast_variance = bool(use_fast_variance)
        self.dtype = _dtype(dtype)
        shape = _feature_shape(self.in_size, self.feature_axes)
        weights = {}
        if self.use_scale:
            weights["scale"] = _weight(self.scale_init, shape, self.dtype)
        if self.use_bias:
            weights["bias"] = _weight(self.bias_init, shape, self.dtype)
        self.weight = brainx.ParamState(weights) if weights else None


class LayerNorm(_FeatureNorm):
    r"""Layer normalisation (Ba et al. 2016): each example normalised on its own.

    :math:`y = (x - E[x]) / \sqrt{Var[x] + \epsilon}\, \gamma + \beta`, statistics
    over ``reduction_axes`` (negative axes count from the end, so they hold with or
    without a batch axis).

    Parameters
    ----------
    in_size : int or tuple of int
        The input shape without the batch axis.
    reduction_axes : int or tuple of int
        Axes the statistics are taken over (default: the last).
    feature_axes : int or tuple of int
        Axes of ``in_size`` that get their own scale and bias (default: the last).
    epsilon : float
        Added to the variance.
    use_bias, use_scale : bool
        Learn a bias (beta) / a scale (gamma); both live in ``weight``, a ParamState dict.
    bias_init, scale_init : initialiser or array
        Initial bias (default 0) and scale (default 1).
    use_fast_variance : bool
        One-pass variance E[x^2] - E[x]^2.
    dtype : dtype, optional
        The output dtype (default: ``environ.dftype()``).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     ln = brainx.nn.LayerNorm(4)
    ...     y = ln(np.array([1., 2., 3., 4.]))
    >>> np.asarray(y, float).round(4).tolist()
    [-1.3416, -0.4472, 0.4472, 1.3416]
    """

    def __init__(self, in_size: Any, reduction_axes: Axes = -1, feature_axes: Axes = -1, *,
                 epsilon: float = 1e-6, use_bias: bool = True, use_scale: bool = True,
                 bias_init: Any = None, scale_init: Any = None, axis_name: str | None = None,
                 axis_index_groups: Any = None, use_fast_variance: bool = True,
                 dtype: Any = None, name: str | None = None):
        super().__init__(in_size, feature_axes, "feature_axes", name)
        self.reduction_axes = _relative_axes(self.in_size, reduction_axes)
        self.axis_name, self.axis_index_groups = _no_axis_name(axis_name, axis_index_groups)
        self._affine(epsilon, use_bias, use_scale, bias_init, scale_init, use_fast_variance,
                     dtype)

    def _reduction(self, x: Any) -> tuple[int, ...]:
        if x.ndim not in (len(self.in_size), len(self.in_size) + 1) \
                or tuple(x.shape[x.ndim - len(self.in_size):]) != self.in_size:
            raise ValueError(f"{type(self).__name__} expects inputs of shape {self.in_size} "
                             f"(after an optional batch axis), got {tuple(x.shape)}")
        # axes are relative to in_size: shift non-negative ones past a batch axis
        shift = x.ndim - len(self.in_size)
        return tuple(sorted(a + shift if a >= 0 else a + x.ndim for a in self.reduction_axes))

    def update(self, x: Any, *, mask: Any = None) -> Any:
        x = bm.asarray(x, dtype=self.dtype)
        mean, var = _moments(x, self._reduction(x), True, self.use_fast_variance, mask)
        weights = None if self.weight is None else self.weight.value
        return _normalize(x, mean, var, self.epsilon, weights, self.dtype)


class RMSNorm(_FeatureNorm):
    r"""Root-mean-square normalisation (Zhang & Sennrich 2019): no re-centring.

    :math:`y = x / \sqrt{E[x^2] + \epsilon}\, \gamma`, statistics over
    ``reduction_axes``; the scale lives in ``scale``, a ParamState ``{'scale'}``.

    Parameters
    ----------
    in_size : int or tuple of int
        The input shape without the batch axis.
    epsilon : float
        Added to the mean square.
    use_scale : bool
        Learn a scale.
    scale_init : initialiser or array
        Initial scale (default 1).
    reduction_axes, feature_axes : int or tuple of int
        As for :class:`LayerNorm`.
    dtype : dtype, optional
        The output dtype (default: ``environ.dftype()``).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     y = brainx.nn.RMSNorm(2, epsilon=0.0)(np.array([3., 4.]))
    >>> (np.asarray(y, float) * np.sqrt(12.5)).round(4).tolist()   # x / rms(x), rms = 12.5**0.5
    [3.0, 4.0]
    """

    def __init__(self, in_size: Any, *, epsilon: float = 1e-6, dtype: Any = None,
                 use_scale: bool = True, scale_init: Any = None, reduction_axes: Axes = -1,
                 feature_axes: Axes = -1, axis_name: str | None = None,
                 axis_index_groups: Any = None, use_fast_variance: bool = True,
                 name: str | None = None):
        super().__init__(in_size, feature_axes, "feature_axes", name)
        self.reduction_axes = _relative_axes(self.in_size, reduction_axes)
        self.axis_name, self.axis_index_groups = _no_axis_name(axis_name, axis_index_groups)
        self.epsilon = _check_epsilon(epsilon)
        self.use_scale = bool(use_scale)
        self.scale_init = _init.Constant(1.0) if scale_init is None else scale_init
        self.use_fast_variance = bool(use_fast_variance)
        self.dtype = _dtype(dtype)
        shape = _feature_shape(self.in_size, self.feature_axes)
        self.scale = brainx.ParamState({"scale": _weight(self.scale_init, shape, self.dtype)}) \
            if self.use_scale else None

    _reduction = LayerNorm._reduction

    def update(self, x: Any, *, mask: Any = None) -> Any:
        x = bm.asarray(x, dtype=self.dtype)
        mean, var = _moments(x, self._reduction(x), False, self.use_fast_variance, mask)
        weights = None if self.scale is None else self.scale.value
        return _normalize(x, mean, var, self.epsilon, weights, self.dtype)


class GroupNorm(_FeatureNorm):
    r"""Group normalisation (Wu & He 2018): statistics per example and group of channels.

    The channels (the last axis) are split into ``num_groups`` groups of
    ``group_size``; each group is normalised over its channels and the spatial
    axes (every axis but a leading batch axis, unless ``reduction_axes`` says
    otherwise). ``GroupNorm(num_groups=1)`` is a LayerNorm over all non-batch axes.

    Parameters
    ----------
    in_size : int or tuple of int
        The input shape without the batch axis, channels last.
    feature_axis : int
        The channel axis; must be the last axis of ``in_size``.
    num_groups : int or None
        The number of groups (default 32); pass None to give ``group_size`` instead.
    group_size : int or None
        Channels per group.
    epsilon : float
        Added to the variance.
    use_bias, use_scale : bool
        Learn a bias and a scale per channel (in ``weight``).
    bias_init, scale_init : initialiser or array
        Initial bias (default 0) and scale (default 1).
    reduction_axes : int or tuple of int, optional
        Axes of ``in_size`` to take statistics over besides the channels (default: all).
    dtype : dtype, optional
        The output dtype (default: ``environ.dftype()``).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     gn = brainx.nn.GroupNorm(4, num_groups=2, epsilon=0.0)
    ...     y = gn(np.array([[1., 3., 10., 30.]]))
    >>> np.asarray(y, float).round(4).tolist()
    [[-1.0, 1.0, -1.0, 1.0]]
    """

    def __init__(self, in_size: Any, feature_axis: Axes = -1, num_groups: int | None = 32,
                 group_size: int | None = None, *, epsilon: float = 1e-6, dtype: Any = None,
                 use_bias: bool = True, use_scale: bool = True, bias_init: Any = None,
                 scale_init: Any = None, reduction_axes: Axes | None = None,
                 axis_name: str | None = None, axis_index_groups: Any = None,
                 use_fast_variance: bool = True, name: str | None = None):
        super().__init__(in_size, feature_axis, "feature_axis", name)
        if self.feature_axes != (len(self.in_size) - 1,):
            raise ValueError(f"GroupNorm needs one feature axis, the last one of in_size "
                             f"(channels last), got feature_axis={feature_axis!r}")
        self.axis_name, self.axis_index_groups = _no_axis_name(axis_name, axis_index_groups)
        channels = self.in_size[-1]
        if (num_groups is None) == (group_size is None):
            raise ValueError("give exactly one of num_groups and group_size (to give "
                             "group_size, pass num_groups=None as well)")
        if group_size is not None:
            if isinstance(group_size, bool) or not isinstance(group_size, int) \
                    or group_size < 1 or channels % group_size:
                raise ValueError(f"group_size must be a positive int dividing the "
                                 f"{channels} channels, got {group_size!r}")
            self.group_size, self.num_groups = group_size, channels // group_size
        else:
            if isinstance(num_groups, bool) or not isinstance(num_groups, int) \
                    or num_groups < 1 or channels % num_groups:
                raise ValueError(f"num_groups must be a positive int dividing the "
                                 f"{channels} channels, got {num_groups!r}")
            self.num_groups, self.group_size = num_groups, channels // num_groups
        if reduction_axes is None:
            self.reduction_axes = None
        else:
            axes = _canonical_axes(len(self.in_size), reduction_axes, "reduction_axes")
            self.reduction_axes = tuple(a for a in axes if a != len(self.in_size) - 1)
        self._affine(epsilon, use_bias, use_scale, bias_init, scale_init, use_fast_variance,
                     dtype)

    def update(self, x: Any, *, mask: Any = None) -> Any:
        x = bm.asarray(x, dtype=self.dtype)
        n = len(self.in_size)
        if x.ndim not in (n, n + 1) or tuple(x.shape[x.ndim - n:]) != self.in_size:
            raise ValueError(f"GroupNorm expects inputs of shape {self.in_size} (after an "
                             f"optional batch axis), got {tuple(x.shape)}")
        shift = x.ndim - n
        spatial = range(n - 1) if self.reduction_axes is None else self.reduction_axes
        grouped = bm.reshape(x, tuple(x.shape[:-1]) + (self.num_groups, self.group_size))
        axes = tuple(a + shift for a in spatial) + (x.ndim,)
        if mask is not None:
            mask = bm.reshape(bm.broadcast_to(bm.asarray(mask, dtype=bool), x.shape),
                              grouped.shape)
        mean, var = _moments(grouped, axes, True, self.use_fast_variance, mask)
        y = bm.reshape((grouped - mean) / bm.sqrt(var + self.epsilon), x.shape)
        return _affine(y, None if self.weight is None else self.weight.value, self.dtype)
