"""Numerical integration of ordinary differential equations: ``odeint``."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import environ
from brainx.integrators._signature import split_signature

__all__ = ["odeint", "ODEIntegrator", "ODE_METHODS", "exponential_factor"]


@dataclass(frozen=True)
class Tableau:
    """An explicit Runge-Kutta method: stages ``c``, coefficients ``a``, weights ``b``."""

    a: tuple[tuple[float, ...], ...]
    b: tuple[float, ...]
    c: tuple[float, ...]
    order: int


_TABLEAUS = {
    "euler": Tableau(((),), (1.0,), (0.0,), 1),
    "midpoint": Tableau(((), (0.5,)), (0.0, 1.0), (0.0, 0.5), 2),
    "heun2": Tableau(((), (1.0,)), (0.5, 0.5), (0.0, 1.0), 2),
    "rk2": Tableau(((), (2 / 3,)), (0.25, 0.75), (0.0, 2 / 3), 2),  # Ralston's method
    "rk3": Tableau(((), (0.5,), (-1.0, 2.0)), (1 / 6, 2 / 3, 1 / 6), (0.0, 0.5, 1.0), 3),
    "rk4": Tableau(((), (0.5,), (0.0, 0.5), (0.0, 0.0, 1.0)), (1 / 6, 1 / 3, 1 / 3, 1 / 6),
                   (0.0, 0.5, 0.5, 1.0), 4),
}

#: Every method ``odeint`` knows, with its order of accuracy.
ODE_METHODS = {**{name: t.order for name, t in _TABLEAUS.items()}, "exp_euler": 1,
               "exp_auto": 1}


def _check_dt(dt: Any) -> float:
    if isinstance(dt, bool) or not isinstance(dt, numbers.Real) or not dt > 0:
        raise ValueError(f"dt must be a positive number (ms), got {dt!r}")
    return float(dt)


def linear_coefficient(f_i: Callable[[Any], Any], x: Any) -> Any:
    """``d f_i / d x`` by one central difference, the same formula on every backend.

    Exact (up to rounding) when ``f_i`` is linear in ``x``, as the membrane and
    synaptic equations of most neuron models are. In float32 the difference loses
    about four digits to cancellation; exponential Euler stays first order whatever
    the coefficient, and at usual steps (``|a| dt`` well below 1) the effect on the
    step is of the order of float32 rounding.
    """
    h = 1e-3 * bm.maximum(bm.abs(x), 1.0)
    return (f_i(x + h) - f_i(x - h)) / (2.0 * h)


def exponential_factor(rate: Any, dt: float) -> Any:
    """``(exp(rate dt) - 1) / rate`` (``dt`` when ``rate`` is 0), computed on the host;
    for an array of rates, an array of factors (each computed as for a number).

    For an equation linear in its variable, ``dx/dt = rate x + b``, the step
    ``x + exponential_factor(rate, dt) * dx/dt`` is its exact solution over ``dt``
    (with ``b`` constant during the step): the exponential Euler step with the
    Jacobian known analytically, as the built-in LIF and synapse models use it.

    Examples
    --------
    >>> import brainx
    >>> f = brainx.integrators.exponential_factor(-1 / 10.0, 10.0)   # tau = dt = 10 ms
    >>> round(f, 6)             # 10 (1 - e^-1)
    6.321206
    >>> brainx.integrators.exponential_factor(0.0, 0.1)
    0.1
    """
    dt = _check_dt(dt)
    if np.ndim(rate) > 0:  # one rate per neuron: element by element, as for a number
        rates = np.asarray(rate, dtype=np.float64)
        return np.array([dt if r == 0.0 else math.expm1(r * dt) / r
                         for r in rates.ravel().tolist()]).reshape(rates.shape)
    rate = float(rate)
    return dt if rate == 0.0 else math.expm1(rate * dt) / rate


def _phi1_step(a: Any, dt: float) -> Any:
    """``(exp(a dt) - 1) / a``, tending to ``dt`` as ``a`` goes to 0."""
    z = a * dt
    small = bm.abs(z) < 1e-6
    safe_a = bm.where(small, 1.0, a)
    return bm.where(small, dt * (1.0 + 0.5 * z), bm.expm1(z) / safe_a)


class ODEIntegrator:
    """Advance ``f``'s variables by one step: ``integral(*variables, t, *params, dt=None)``.

    Returns the new value of the variable (or a tuple of them, in ``f``'s order).
    """

    def __init__(self, f: Callable, method: str, dt: float | None):
        self.f = f
        self.variables, self.parameters = split_signature(f, "the derivative function")
        if method not in ODE_METHODS:
            raise ValueError(f"unknown integration method {method!r}; choose from "
                             f"{', '.join(ODE_METHODS)}")
        self.method = method
        self.dt = None if dt is None else _check_dt(dt)

    @property
    def order(self) -> int:
        return ODE_METHODS[self.method]

    def _derivatives(self, xs: Sequence[Any], t: Any, params: Sequence[Any]) -> tuple:
        out = self.f(*xs, t, *params)
        if len(self.variables) == 1:
            return (out,)
        if not isinstance(out, (tuple, list)) or len(out) != len(self.variables):
            raise ValueError(f"the derivative function must return {len(self.variables)} values "
                             f"(one per variable {self.variables}), got {type(out).__name__}")
        return tuple(out)

    def __call__(self, *args: Any, dt: float | None = None, **kwargs: Any) -> Any:
        n = len(self.variables)
        expected = n + 1 + len(self.parameters)
        if kwargs:
            names = self.variables + ("t",) + self.parameters
            merged = dict(zip(names, args, strict=False))
            merged.update(kwargs)
            missing = [k for k in names if k not in merged]
            if missing:
                raise TypeError(f"missing argument(s) {missing} for {names}")
            args = tuple(merged[k] for k in names)
        if len(args) != expected:
            raise TypeError(f"the integrator takes {expected} arguments "
                            f"{self.variables + ('t',) + self.parameters}, got {len(args)}")
        step = _check_dt(dt if dt is not None else self.dt if self.dt is not None
                         else environ.dt_value())
        xs, t, params = args[:n], args[n], args[n + 1:]
        if self.method in ("exp_euler", "exp_auto"):
            new = self._exponential_euler(xs, t, params, step)
        else:
            new = self._runge_kutta(_TABLEAUS[self.method], xs, t, params, step)
        return new[0] if n == 1 else new

    def _runge_kutta(self, tab: Tableau, xs: Sequence[Any], t: Any, params: Sequence[Any],
                     dt: float) -> tuple:
        stages: list[tuple] = []
        for a_row, c in zip(tab.a, tab.c, strict=True):
            terms = [(a, k) for a, k in zip(a_row, stages, strict=False) if a != 0.0]
            xi = tuple(x + dt * sum(a * k[j] for a, k in terms) if terms else x
                       for j, x in enumerate(xs))
            stages.append(self._derivatives(xi, t + c * dt, params))
        return tuple(x + dt * sum(b * k[j] for b, k in zip(tab.b, stages, strict=True) if b != 0)
                     for j, x in enumerate(xs))

    def _exponential_euler(self, xs: Sequence[Any], t: Any, params: Sequence[Any],
                           dt: float) -> tuple:
        derivatives = self._derivatives(xs, t, params)
        new = []
        for j, x in enumerate(xs):
            def f_j(value: Any, j: int = j) -> Any:
                trial = list(xs)
                trial[j] = value
                return self._derivatives(trial, t, params)[j]

            a = linear_coefficient(f_j, x)
            new.append(x + _phi1_step(a, dt) * derivatives[j])
        return tuple(new)

    def __repr__(self) -> str:
        return (f"ODEIntegrator(f={getattr(self.f, '__name__', self.f)!r}, "
                f"method={self.method!r}, variables={self.variables})")


def odeint(f: Callable | None = None, method: str = "rk4", dt: float | None = None) -> Any:
    """An integrator for ``df/dt = f(x, ..., t, params...)``, usable as a decorator.

    Arguments of ``f`` before ``t`` are the integrated variables, those after it are
    parameters. ``method`` is one of ``euler``, ``midpoint``, ``heun2``, ``rk2``
    (Ralston), ``rk3`` (Kutta), ``rk4``, ``exp_euler`` / ``exp_auto`` (exponential
    Euler, linearising each variable's equation numerically: exact for linear
    equations with constant inputs, second order on autonomous equations, first
    order in general). The step is ``dt`` if given here or at the call, else
    ``brainx.environ.dt_value()``.

    Examples
    --------
    >>> import brainx
    >>> integral = brainx.integrators.odeint(lambda V, t, I: (-V + I) / 10.0,
    ...                                      method='exp_auto')
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64):
    ...     round(float(integral(0.0, 0.0, 5.0, dt=10.0)), 6)   # 5 (1 - e^-1)
    3.160603
    >>> @brainx.integrators.odeint(method='rk4')
    ... def oscillator(x, v, t):
    ...     return v, -x
    >>> oscillator
    ODEIntegrator(f='oscillator', method='rk4', variables=('x', 'v'))
    """
    if f is None:
        return lambda g: ODEIntegrator(g, method, dt)
    return ODEIntegrator(f, method, dt)
