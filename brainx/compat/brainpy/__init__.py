"""BrainPy on brainx: ``import brainx.compat.brainpy as bp``.

BrainPy 1.x programs (the numba era: ``bp.NeuGroup``, ``bp.TwoEndConn``, ``bp.Network``,
``update(self, _t, _dt)``, ``bp.odeint``, ``bp.connect``, ``monitors=[...]``,
``.run(duration, inputs=..., report=...)``) run with their imports changed to::

    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

Every name maps onto brainx's own modules: Variables are States, ``odeint`` is
``brainx.integrators.odeint`` (with 1.x's default method, ``'euler'``), ``connect`` is
``brainx.conn`` (seeded from ``brainx.random`` when no seed is given), ``run`` is the
numba backend's translation of the updates into one native loop (else ``brainx.Runner``)
and ``visualize`` is ``brainx.visualize``. docs/coming_from_brainpy.md lists what maps
and what does not.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> integral = bp.odeint(lambda V, t, I: (-V + I) / 10.0)   # euler, as in BrainPy 1.x
>>> with brainx.use_backend('numba'), brainx.environ.context(precision=64, dt=0.1):
...     round(float(integral(0.0, 0.0, 5.0)), 6)
0.05
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brainx.compat.brainpy import connect, inputs, math, visualize
from brainx.compat.brainpy._legacy import (
    DynamicalSystem,
    Monitor,
    Network,
    NeuGroup,
    TwoEndConn,
)
from brainx.integrators import ODE_METHODS
from brainx.integrators import odeint as _odeint

__all__ = ["DynamicalSystem", "NeuGroup", "TwoEndConn", "Network", "Monitor", "odeint",
           "connect", "inputs", "math", "visualize"]

#: BrainPy's method names that brainx spells differently.
_METHOD_ALIASES = {"exponential_euler": "exp_euler", "exponential": "exp_euler",
                   "rk2": "rk2", "ralston2": "rk2", "heun": "heun2", "modified_euler": "heun2"}


def odeint(f: Callable | None = None, method: str = "euler", dt: float | None = None,
           **options: Any) -> Any:
    """BrainPy's ``odeint``: ``brainx.integrators.odeint`` with 1.x's default, Euler.

    Usable as ``bp.odeint(f)``, ``bp.odeint(f, method='rk4')`` or as a decorator
    (``@bp.odeint`` or ``@bp.odeint(method=...)``).

    Examples
    --------
    >>> import brainx.compat.brainpy as bp
    >>> @bp.odeint(method='rk4')
    ... def decay(g, t, tau):
    ...     return -g / tau
    >>> decay
    ODEIntegrator(f='decay', method='rk4', variables=('g',))
    """
    name = _METHOD_ALIASES.get(method, method)
    if name not in ODE_METHODS:
        raise ValueError(f"method must be one of {sorted(set(ODE_METHODS) | set(_METHOD_ALIASES))}"
                         f", got {method!r}")
    if options:
        raise NotImplementedError(f"bp.odeint options {sorted(options)} are not supported; "
                                  f"brainx.integrators.odeint takes f, method and dt")
    if f is None:
        return lambda g: _odeint(g, name, dt)
    return _odeint(f, name, dt)


#: BrainPy names this layer does not map yet, with what to use in brainx instead.
NOT_SUPPORTED = {
    "dyn": "brainx.nn (LIF, LIFRef, Expon, COBA, CUBA, AlignPostProj, AlignPreProj, ...)",
    "dnn": "brainx.nn (Linear, ...) and brainx.event (FixedProb, CSRLinear, Linear)",
    "neurons": "brainx.nn's neurons (LIF, LIFRef, ALIF, HH, ...)",
    "synapses": "brainx.nn's synapses and projections (Expon, AlignPostProj, ...)",
    "synouts": "brainx.nn's outputs (COBA, CUBA, MgBlock)",
    "DSRunner": "brainx.Runner(model, monitors=..., inputs=...)",
    "DynSysGroup": "brainx.nn.DynamicsGroup",
    "Projection": "brainx.nn.Projection",
    "LoopOverTime": "brainx.compile.for_loop over the steps",
    "share": "brainx.environ (environ.get('t'), environ.context(...))",
    "train": "brainx.augment.grad with brainx.optim",
    "optim": "brainx.optim",
    "losses": "brainx.functional's losses",
    "measure": "NumPy on the Runner's recordings",
    "init": "brainx.init",
    "conn": "bp.connect (brainx.conn)",
    "tools": "brainx.util",
    "check": "brainx's argument checks (errors name the argument)",
    "mixin": "brainx.mixin",
}


def __getattr__(name: str) -> Any:
    if name in NOT_SUPPORTED:
        raise AttributeError(f"bp.{name} (BrainPy 2.x) is not supported by "
                             f"brainx.compat.brainpy yet; use {NOT_SUPPORTED[name]}")
    raise AttributeError(f"brainx.compat.brainpy has no {name!r}: it maps BrainPy 1.x's "
                         f"{', '.join(__all__)} (docs/coming_from_brainpy.md)")
