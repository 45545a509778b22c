"""Numerical integration of Itô stochastic differential equations: ``sdeint``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brainx.math as bm
from brainx import environ
from brainx.integrators._ode import _check_dt, linear_coefficient
from brainx.integrators._signature import split_signature

__all__ = ["sdeint", "SDEIntegrator", "SDE_METHODS"]

#: Methods of ``sdeint`` with their strong order of convergence.
SDE_METHODS = {"euler": 0.5, "milstein": 1.0}


class SDEIntegrator:
    """One step of ``dx = f dt + g dW``: ``integral(*variables, t, *params, dt=None, dW=None)``.

    Each element of each variable has its own Wiener process. ``dW`` (one array per
    variable, or one for a single variable) gives the Brownian increments, of
    variance ``dt``; by default they are drawn from ``rng`` (a
    ``brainx.random.RandomState``; ``brainx.random.DEFAULT`` if None).
    """

    def __init__(self, f: Callable, g: Callable, method: str, dt: float | None, rng: Any):
        self.f, self.g = f, g
        self.variables, self.parameters = split_signature(f, "the drift function")
        g_vars, g_params = split_signature(g, "the diffusion function")
        if (g_vars, g_params) != (self.variables, self.parameters):
            raise ValueError(f"the drift and diffusion functions must take the same arguments; "
                             f"got {self.variables + ('t',) + self.parameters} and "
                             f"{g_vars + ('t',) + g_params}")
        if method not in SDE_METHODS:
            raise ValueError(f"unknown SDE method {method!r}; choose from "
                             f"{', '.join(SDE_METHODS)}")
        self.method = method
        self.dt = None if dt is None else _check_dt(dt)
        self.rng = rng

    def _values(self, fn: Callable, xs: tuple, t: Any, params: tuple) -> tuple:
        out = fn(*xs, t, *params)
        return (out,) if len(self.variables) == 1 else tuple(out)

    def __call__(self, *args: Any, dt: float | None = None, dW: Any = None) -> Any:
        n = len(self.variables)
        expected = n + 1 + len(self.parameters)
        if len(args) != expected:
            raise TypeError(f"the integrator takes {expected} arguments "
                            f"{self.variables + ('t',) + self.parameters}, got {len(args)}")
        step = _check_dt(dt if dt is not None else self.dt if self.dt is not None
                         else environ.dt_value())
        xs, t, params = tuple(args[:n]), args[n], tuple(args[n + 1:])
        if dW is None:
            from brainx.random import DEFAULT

            rng = self.rng if self.rng is not None else DEFAULT
            dW = tuple(rng.normal(0.0, 1.0, bm.shape(x)) * step ** 0.5 for x in xs)
        elif n == 1:
            dW = (dW,)
        drift = self._values(self.f, xs, t, params)
        diffusion = self._values(self.g, xs, t, params)
        new = []
        for j, x in enumerate(xs):
            value = x + drift[j] * step + diffusion[j] * dW[j]
            if self.method == "milstein":
                def g_j(v: Any, j: int = j) -> Any:
                    trial = list(xs)
                    trial[j] = v
                    return self._values(self.g, tuple(trial), t, params)[j]

                dg = linear_coefficient(g_j, x)
                value = value + 0.5 * diffusion[j] * dg * (dW[j] * dW[j] - step)
            new.append(value)
        return new[0] if n == 1 else tuple(new)

    def __repr__(self) -> str:
        return (f"SDEIntegrator(f={getattr(self.f, '__name__', self.f)!r}, "
                f"method={self.method!r}, variables={self.variables})")


def sdeint(f: Callable, g: Callable, method: str = "euler", dt: float | None = None,
           rng: Any = None) -> SDEIntegrator:
    """An integrator for the Itô SDE ``dx = f(x, t, ...) dt + g(x, t, ...) dW``.

    ``method`` is ``'euler'`` (Euler-Maruyama, strong order 0.5) or ``'milstein'``
    (strong order 1; ``dg/dx`` by a central difference, the same on every backend).

    Examples
    --------
    >>> import brainx
    >>> ou = brainx.integrators.sdeint(lambda x, t: -x, lambda x, t: 0.5,
    ...                                rng=brainx.random.RandomState(0))
    >>> with brainx.use_backend('numba'):
    ...     x = ou(brainx.math.zeros(3), 0.0, dt=0.1)
    >>> x.shape
    (3,)
    """
    return SDEIntegrator(f, g, method, dt, rng)
