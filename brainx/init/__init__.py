"""Parameter initialisers, drawn from ``brainx.random`` so every backend gets the same values.

An initialiser is called with a shape (and optionally a dtype) and returns an
array of the active backend. :func:`param` turns an initialiser, a function of
the shape, an array or a number into a parameter's value.

Examples
--------
>>> import brainx
>>> init = brainx.init.KaimingNormal(seed=0)
>>> with brainx.use_backend('numba'):
...     a = init((3, 2))
>>> init = brainx.init.KaimingNormal(seed=0)
>>> with brainx.use_backend('jax'):
...     b = init((3, 2))
>>> a.tolist() == b.tolist()
True
"""

from brainx.init._base import Initializer, param, state, to_size
from brainx.init._random import (
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
    compute_fans,
)
from brainx.init._regular import Constant, Identity, ZeroInit

__all__ = [
    "Initializer", "param", "state", "to_size", "compute_fans",
    "ZeroInit", "Constant", "Identity",
    "Normal", "Uniform", "TruncatedNormal", "LogNormal", "Orthogonal",
    "VarianceScaling", "KaimingUniform", "KaimingNormal", "XavierUniform", "XavierNormal",
    "LecunUniform", "LecunNormal",
]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
