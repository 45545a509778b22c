"""``bp.losses``: BrainPy 2's common losses, written with ``brainx.math`` and
``brainx.functional`` (so they differentiate on jax and run on every backend).

``reduction`` is ``'mean'`` (default), ``'sum'`` or ``'none'``.

Examples
--------
>>> import numpy as np
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     logits = np.log(np.array([[0.25, 0.75], [0.5, 0.5]]))
...     loss = bp.losses.cross_entropy_loss(logits, np.array([1, 0]))
>>> round(float(loss), 4)     # -(ln 0.75 + ln 0.5) / 2
0.4904
"""

from __future__ import annotations

from typing import Any

import brainx.math as bm
from brainx.compat.brainpy.math import _unwrap
from brainx.functional import log_softmax

__all__ = ["cross_entropy_loss", "mean_squared_error", "mean_absolute_error", "l1_loss",
           "l2_loss", "huber_loss"]

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(values: Any, reduction: str) -> Any:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    if reduction == "mean":
        return bm.mean(values)
    return bm.sum(values) if reduction == "sum" else values


def cross_entropy_loss(predicts: Any, targets: Any, weight: Any = None,
                       reduction: str = "mean") -> Any:
    """Softmax cross-entropy of ``predicts`` (logits, classes on the last axis) against
    ``targets``: integer classes, or one-hot (or soft) labels of the logits' shape;
    ``weight`` (one per class) weighs each sample's loss by its class."""
    logits, targets = bm.asarray(_unwrap(predicts)), bm.asarray(_unwrap(targets))
    classes = logits.shape[-1]
    if targets.shape == logits.shape:
        labels = targets.astype(logits.dtype)
    elif targets.shape == logits.shape[:-1]:
        labels = (targets[..., None] == bm.arange(classes)).astype(logits.dtype)
    else:
        raise ValueError(f"targets must be classes of shape {logits.shape[:-1]} or labels of "
                         f"shape {logits.shape}, got {targets.shape}")
    losses = -bm.sum(labels * log_softmax(logits, axis=-1), axis=-1)
    if weight is not None:
        losses = losses * bm.sum(labels * bm.asarray(_unwrap(weight)), axis=-1)
    return _reduce(losses, reduction)


def mean_squared_error(predicts: Any, targets: Any, axis: Any = None,
                       reduction: str = "mean") -> Any:
    """``(predicts - targets) ** 2``, averaged over ``axis`` first if given, then reduced."""
    errors = (bm.asarray(_unwrap(predicts)) - bm.asarray(_unwrap(targets))) ** 2
    return _reduce(errors if axis is None else bm.mean(errors, axis=axis), reduction)


def mean_absolute_error(predicts: Any, targets: Any, axis: Any = None,
                        reduction: str = "mean") -> Any:
    """``|predicts - targets|``, averaged over ``axis`` first if given, then reduced."""
    errors = bm.abs(bm.asarray(_unwrap(predicts)) - bm.asarray(_unwrap(targets)))
    return _reduce(errors if axis is None else bm.mean(errors, axis=axis), reduction)


def l1_loss(logits: Any, targets: Any, reduction: str = "sum") -> Any:
    """The absolute error of each sample summed over its features, then reduced."""
    errors = bm.abs(bm.asarray(_unwrap(logits)) - bm.asarray(_unwrap(targets)))
    return _reduce(bm.sum(errors.reshape(errors.shape[0], -1), axis=-1), reduction)


def l2_loss(predicts: Any, targets: Any) -> Any:
    """``0.5 (predicts - targets) ** 2``, element by element (BrainPy's ``l2_loss``)."""
    return 0.5 * (bm.asarray(_unwrap(predicts)) - bm.asarray(_unwrap(targets))) ** 2


def huber_loss(predicts: Any, targets: Any, delta: float = 1.0) -> Any:
    """Quadratic within ``delta`` of the target, linear beyond, element by element."""
    error = bm.abs(bm.asarray(_unwrap(predicts)) - bm.asarray(_unwrap(targets)))
    quadratic = bm.minimum(error, delta)
    return 0.5 * quadratic ** 2 + delta * (error - quadratic)
