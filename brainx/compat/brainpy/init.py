"""``bp.init`` (``bp.initialize``): brainx.init's initializers with BrainPy 2's extras.

``OneInit(value)`` is ``brainx.init.Constant``; ``variable_(init, sizes, batch_or_mode)``
makes a ``bm.Variable`` with a leading batch axis when the mode (or a batch size) asks
for one; ``parameter(param, sizes)`` is ``brainx.init.param``.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> import brainx.compat.brainpy.math as bm
>>> with brainx.use_backend('numba'):
...     v = bp.init.variable_(bm.zeros, 3, bm.BatchingMode(2))
...     w = bp.init.variable_(bp.init.OneInit(0.5), (3,))
>>> v.shape, w.value.tolist()
((2, 3), [0.5, 0.5, 0.5])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from brainx.compat.brainpy.math import Variable, _unwrap
from brainx.init import (
    Constant,
    Identity,
    Initializer,
    KaimingNormal,
    KaimingUniform,
    LecunNormal,
    LecunUniform,
    LogNormal,
    Normal,
    Orthogonal,
    TruncatedNormal,
    Uniform,
    VarianceScaling,
    XavierNormal,
    XavierUniform,
    ZeroInit,
)
from brainx.init import param as parameter
from brainx.modes import Batching, Mode

__all__ = ["Initializer", "ZeroInit", "OneInit", "Constant", "Identity", "Normal", "Uniform",
           "TruncatedNormal", "LogNormal", "Orthogonal", "VarianceScaling", "KaimingNormal",
           "KaimingUniform", "XavierNormal", "XavierUniform", "LecunNormal", "LecunUniform",
           "variable_", "variable", "parameter"]

OneInit = Constant


def variable_(init: Callable[..., Any] | Any, sizes: int | Sequence[int] | None = None,
              batch_or_mode: int | Mode | None = None, batch_axis: int = 0) -> Variable:
    """A Variable of ``init(sizes)``; a batch axis of the mode's (or the given) size is
    inserted at ``batch_axis`` in batching modes."""
    batch = batch_or_mode.batch_size if isinstance(batch_or_mode, Batching) else \
        batch_or_mode if isinstance(batch_or_mode, int) and not isinstance(batch_or_mode, bool) \
        else None
    shape = () if sizes is None else (sizes,) if isinstance(sizes, int) else tuple(sizes)
    if batch is not None:
        shape = shape[:batch_axis] + (batch,) + shape[batch_axis:]
    value = init(shape) if callable(init) else _unwrap(init)
    return Variable(value, batch_axis=batch_axis if batch is not None else None)


variable = variable_
