"""Numerical integrators: ``odeint`` for ODEs and ``sdeint`` for Itô SDEs.

Both take functions written as in BrainPy, ``f(x1, ..., t, p1, ...)``: arguments
before ``t`` are the integrated variables, those after it parameters. They are
written with ``brainx.math``, so they run on every backend.

Examples
--------
>>> import brainx
>>> decay = brainx.integrators.odeint(lambda V, t: -V / 20.0, method='euler')
>>> with brainx.use_backend('numba'):
...     float(decay(1.0, 0.0, dt=0.5))
0.975
"""

from brainx.integrators._ode import ODE_METHODS, ODEIntegrator, exponential_factor, odeint
from brainx.integrators._sde import SDE_METHODS, SDEIntegrator, sdeint

__all__ = ["odeint", "sdeint", "exponential_factor", "ODEIntegrator", "SDEIntegrator",
           "ODE_METHODS", "SDE_METHODS"]

for _name in ("odeint", "sdeint", "exponential_factor", "ODEIntegrator", "SDEIntegrator"):
    globals()[_name].__module__ = __name__
del _name
