"""The inverse of the standard normal CDF, written against a NumPy-like namespace.

Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3), 1988): rational
approximations accurate to about 1e-16 in float64, so it runs on the host and
inside a trace alike (only ``log``, ``sqrt`` and arithmetic).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ndtri", "ndtr_host"]

_A = (3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
      1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
      3.3430575583588128105e4, 2.5090809287301226727e3)
_B = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
      2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
      5.2264952788528545610e3)
_C = (1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
      3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
      2.27238449892691845833e-2, 7.74545014278341407640e-4)
_D = (1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
      1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
      1.05075007164441684324e-9)
_E = (6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
      2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
      2.71155556874348757815e-5, 2.01033439929228813265e-7)
_F = (1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
      7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
      2.04426310338993978564e-15)


def _poly(coefficients: tuple[float, ...], x: Any) -> Any:
    value = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        value = value * x + c
    return value


def ndtri(xp: Any, p: Any) -> Any:
    """``x`` with ``Phi(x) = p`` for ``p`` in (0, 1), in the dtype of ``p``."""
    q = p - 0.5
    central_r = 0.180625 - q * q
    central = q * _poly(_A, central_r) / _poly(_B, central_r)
    tail_p = xp.where(q < 0, p, 1.0 - p)
    # keep the log finite in lanes that take the central branch
    r = xp.sqrt(-xp.log(xp.where(xp.abs(q) <= 0.425, 0.5, tail_p)))
    near = _poly(_C, r - 1.6) / _poly(_D, r - 1.6)
    far = _poly(_E, r - 5.0) / _poly(_F, r - 5.0)
    tail = xp.where(r <= 5.0, near, far)
    tail = xp.where(q < 0, -tail, tail)
    return xp.where(xp.abs(q) <= 0.425, central, tail).astype(p.dtype)


def ndtr_host(x: Any) -> np.ndarray:
    """The standard normal CDF of host values, in float64 (scipy, imported lazily)."""
    from scipy.special import ndtr

    return np.asarray(ndtr(np.asarray(x, dtype=np.float64)), dtype=np.float64)
