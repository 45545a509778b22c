"""Linear algebra, forwarded to the active backend (NumPy's ``numpy.linalg`` semantics).

Examples
--------
>>> import brainx
>>> with brainx.use_backend('numba'):
...     float(brainx.math.linalg.det(brainx.math.eye(3) * 2.0))
8.0
"""

from brainx.math._forward import make_forwarder
from brainx.math._names import LINALG_NAMES

__all__ = list(LINALG_NAMES)

for _name in LINALG_NAMES:
    globals()[_name] = make_forwarder(_name, __name__, linalg=True)
del _name


def __dir__() -> list[str]:
    return sorted(__all__)
