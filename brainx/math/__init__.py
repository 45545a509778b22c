"""A NumPy-compatible namespace forwarded to the active backend.

Each function is looked up on the active backend when it is called, so the
same model code runs on every backend. The names are listed explicitly in
``brainx.math._names`` and are identical on every backend; the default float
and integer dtypes follow ``brainx.environ`` precision on every backend.

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('numba'):
...     x = bm.linspace(0., 1., 5)
...     print(x.dtype, bm.sum(x * 2))
float32 5.0
"""

import math as _math

import numpy as _np

from brainx.math import linalg as linalg
from brainx.math._forward import make_forwarder
from brainx.math._names import ALL_NAMES, DTYPES

pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
euler_gamma = 0.5772156649015329
newaxis = None
dtype = _np.dtype

for _name in DTYPES:
    globals()[_name] = getattr(_np, _name)

for _name in ALL_NAMES:
    globals()[_name] = make_forwarder(_name, __name__)
del _name

from brainx.event import _functional as _event_functional  # noqa: E402

for _name in _event_functional.__all__:
    _fn = getattr(_event_functional, _name)
    _fn.__module__ = __name__
    globals()[_name] = _fn
del _name, _fn

__all__ = sorted(
    list(ALL_NAMES) + list(DTYPES) + list(_event_functional.__all__)
    + ["pi", "e", "inf", "nan", "euler_gamma", "newaxis", "dtype", "linalg"]
)


def __dir__() -> list[str]:
    return __all__
