"""One exponential Euler step of an ODE or SDE: brainstate's ``exp_euler_step``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import environ
from brainx._units import is_quantity, to_canonical
from brainx.integrators._ode import _phi1_step, linear_coefficient

__all__ = ["exp_euler_step"]


def _state(x: Any) -> Any:
    if isinstance(x, (bool, int, float)) or not hasattr(x, "dtype"):
        x = bm.asarray(x, dtype=environ.dftype())
    if np.dtype(x.dtype).kind != "f":
        raise ValueError(f"exp_euler_step integrates floating-point states (float16, "
                         f"bfloat16, float32, float64), got dtype {x.dtype}")
    return x


def exp_euler_step(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    r"""One exponential Euler step of :math:`dx/dt = f(x, \ldots)` or :math:`dx = f dt + g dW`.

    ``exp_euler_step(f, x, *params, **kw)`` returns

    .. math::  x + \frac{e^{a\,dt} - 1}{a} f(x, \ldots), \qquad a = \partial f / \partial x,

    which is exact when ``f`` is linear in ``x`` with the other arguments held over
    the step (a leaky membrane, an exponential synapse) and first order in general.
    ``a`` is the diagonal of the Jacobian, estimated by one central difference (the
    same formula on every backend, see :func:`brainx.integrators.odeint`'s
    ``exp_auto``), so each element of ``x`` should depend on its own element only.

    ``exp_euler_step(f, g, x, ...)`` (a second function before ``x``) adds the noise
    ``g(x, ...) \sqrt{dt}\,\xi`` with :math:`\xi` standard normal numbers from
    ``brainx.random.DEFAULT``. ``dt`` is ``brainx.environ``'s.

    Parameters
    ----------
    fn : callable
        The drift ``f(x, *params, **kw)``.
    *args
        An optional diffusion function ``g(x, *params, **kw)``, then the state ``x``
        (a floating-point array or number), then the parameters.
    **kwargs
        Keyword parameters of ``f`` and ``g``.

    Returns
    -------
    The state after one step of ``dt``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=0.1, precision=64):
    ...     x = brainx.nn.exp_euler_step(lambda V, I: (-V + I) / 10.0, 0.0, 5.0)
    >>> round(float(x), 12)          # 5 (1 - exp(-0.01))
    0.049750831254
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.seed(0)
    ...     noisy = brainx.nn.exp_euler_step(lambda V: -V, lambda V: 1.0,
    ...                                      brainx.math.zeros(1000))
    >>> bool(abs(float(noisy.std()) - 0.1 ** 0.5) < 0.02)      # sqrt(dt)
    True
    """
    if not callable(fn):
        raise TypeError(f"exp_euler_step: fn must be the derivative function dx/dt = "
                        f"fn(x, ...), got {fn!r}")
    diffusion = None
    if args and callable(args[0]) and not hasattr(args[0], "dtype"):
        diffusion, args = args[0], args[1:]
    if not args:
        raise TypeError("exp_euler_step needs the state x after the function(s): "
                        "exp_euler_step(f, x, ...) or exp_euler_step(f, g, x, ...)")
    if is_quantity(args[0]):
        return _quantity_step(fn, diffusion, args[0], args[1:], kwargs)
    x, params = _state(args[0]), args[1:]
    dt = environ.dt_value()
    drift = fn(x, *params, **kwargs)   # first: plain-value inputs it reads are used here
    if is_quantity(drift):  # a unitless state whose rate has units (1/ms)
        return _quantity_step(fn, diffusion, x, params, kwargs)
    rate = linear_coefficient(lambda v: fn(v, *params, **kwargs), x)
    new = x + _phi1_step(rate, dt) * drift
    if diffusion is not None:
        from brainx.random import DEFAULT

        noise = DEFAULT.normal(0.0, 1.0, tuple(x.shape), dtype=x.dtype)
        new = new + diffusion(x, *params, **kwargs) * (dt ** 0.5) * noise
    return bm.asarray(new).astype(x.dtype)


def _quantity_step(fn: Callable[..., Any], diffusion: Callable[..., Any] | None, x: Any,
                   params: tuple, kwargs: dict) -> Any:
    """The step of a brainunit Quantity ``x``: the same exponential Euler step on its
    mantissa, with ``fn`` (a rate in x's unit per time) turned into the change over one dt."""
    unit = x.unit if is_quantity(x) else None
    dt = environ.get_dt()
    if not is_quantity(dt):  # a unitless dt is in ms
        import brainunit

        dt = dt * brainunit.ms

    def in_x_units(q: Any) -> Any:
        if not is_quantity(q):
            return q
        return q.to_decimal(unit) if unit is not None else to_canonical(q, "dimensionless",
                                                                        "the change of x")

    def change(v: Any) -> Any:
        return in_x_units(fn(v if unit is None else v * unit, *params, **kwargs) * dt)

    mantissa = _state(x.mantissa if unit is not None else x)
    increment = change(mantissa)
    rate = linear_coefficient(change, mantissa)  # per step
    new = mantissa + _phi1_step(rate, 1.0) * increment
    if diffusion is not None:
        from brainx.random import DEFAULT

        noise = DEFAULT.normal(0.0, 1.0, tuple(mantissa.shape), dtype=mantissa.dtype)
        amplitude = in_x_units(diffusion(x, *params, **kwargs) * dt ** 0.5)
        new = new + amplitude * noise
    new = bm.asarray(new).astype(mantissa.dtype)
    return new if unit is None else new * unit
