"""Whether a model is being fitted: the ``fit`` value of ``brainx.environ``."""

from __future__ import annotations

import numpy as np

from brainx import environ

__all__ = ["is_fitting"]


def is_fitting(who: str) -> bool:
    """Whether the model is being fitted, from ``brainx.environ.get('fit')``.

    Layers that behave differently in training and in evaluation (batch
    normalisation, dropout) ask this; as in brainstate, a missing ``fit`` is an
    error naming the layer ``who``.

    Examples
    --------
    >>> import brainx
    >>> from brainx.nn._fit import is_fitting
    >>> with brainx.environ.context(fit=True):
    ...     is_fitting('Dropout')
    True
    """
    try:
        fit = environ.get("fit")
    except KeyError:
        raise KeyError(f"{who} behaves differently when fitting and when evaluating, and "
                       f"brainx.environ has no 'fit' value; set it with "
                       f"brainx.environ.set(fit=True) (or False), or run inside "
                       f"brainx.environ.context(fit=...)") from None
    if not isinstance(fit, (bool, np.bool_)):
        raise TypeError(f"brainx.environ 'fit' must be a bool (True while fitting), got {fit!r}")
    return bool(fit)
