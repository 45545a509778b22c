"""Weight standardization and gradient clipping."""

from __future__ import annotations

import math
from typing import Any

import brainx.math as bm
from brainx._tree import leaves, tree_map
from brainx.functional._special import as_float_array

__all__ = ["weight_standardization", "clip_grad_norm"]


def weight_standardization(w: Any, eps: float = 1e-4, gain: Any = None,
                           out_axis: int = -1) -> Any:
    r"""Scaled weight standardization (Qiao et al. 2019; Brock et al. 2021).

    Over every axis except ``out_axis`` (the fan-in axes, of total size ``fan_in``):

    .. math:: \hat w = \mathrm{gain} \cdot \frac{w - \mathrm{mean}(w)}
              {\sqrt{\max(\mathrm{var}(w) \cdot \mathrm{fan\_in},\ \mathrm{eps})}}

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     w = brainx.math.asarray([[1., 2.], [3., 6.]])
    ...     print(brainx.functional.weight_standardization(w, eps=0.).round(4))
    [[-0.7071 -0.7071]
     [ 0.7071  0.7071]]
    """
    w = as_float_array(w)
    ndim = bm.ndim(w)
    if not -ndim <= out_axis < ndim:
        raise ValueError(f"weight_standardization: out_axis {out_axis} is out of range for a "
                         f"weight of shape {tuple(bm.shape(w))}")
    out_axis %= ndim
    axes = tuple(i for i in range(ndim) if i != out_axis)
    fan_in = math.prod(bm.shape(w)[i] for i in axes)
    mean = bm.mean(w, axis=axes, keepdims=True)
    var = bm.var(w, axis=axes, keepdims=True)
    scale = 1.0 / bm.sqrt(bm.maximum(var * fan_in, eps))
    if gain is not None:
        scale = gain * scale
    return w * scale - mean * scale


def _norm(x: Any, p: float) -> Any:
    x = bm.abs(bm.ravel(as_float_array(x)))
    if p == math.inf:
        return bm.max(x)
    return bm.sum(x ** p) ** (1.0 / p)


def clip_grad_norm(grad: Any, max_norm: Any, norm_type: int | float | str | None = None) -> Any:
    """Rescale the gradient pytree ``grad`` so that its total norm is at most ``max_norm``.

    The norm is taken over all leaves together, as if concatenated (``norm_type``: a
    p-norm order, ``2`` by default, or ``'inf'``). When the norm exceeds ``max_norm``
    every leaf is multiplied by ``max_norm / (norm + 1e-6)``; otherwise ``grad`` is
    returned unchanged.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     g = {'w': brainx.math.asarray([3., 4.])}
    ...     print(brainx.functional.clip_grad_norm(g, 1.0)['w'].round(4))
    [0.6 0.8]
    """
    if norm_type is None:
        p = 2.0
    elif norm_type in ("inf", math.inf):
        p = math.inf
    elif isinstance(norm_type, int | float) and not isinstance(norm_type, bool) and norm_type > 0:
        p = float(norm_type)
    else:
        raise ValueError(f"clip_grad_norm: norm_type must be a positive number or 'inf', "
                         f"got {norm_type!r}")
    norms = [_norm(leaf, p) for leaf in leaves(grad)]
    if not norms:
        return grad
    total = _norm(bm.stack(norms), p)
    factor = max_norm / (total + 1e-6)
    return tree_map(lambda x: bm.where(total < max_norm, x, x * factor), grad)
