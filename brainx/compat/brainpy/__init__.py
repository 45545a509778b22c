"""BrainPy on brainx: ``import brainx.compat.brainpy as bp``.

BrainPy 2.x programs (the jax era: ``bp.dyn``, ``bp.dnn``, ``bp.conn``, ``bp.init``,
``bp.DSRunner``, ``bp.share``, ``bm.for_loop``, ``bm.environment``, ...) and 1.x
programs run with their imports changed (see below); 2.x's names are in ``dyn``,
``dnn``, ``neurons``, ``synapses``, ``synouts``, ``runners`` and ``math``.

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

import inspect
from collections.abc import Callable
from typing import Any

from brainx.compat.brainpy import (
    check,
    connect,
    dnn,
    dyn,
    init,
    inputs,
    losses,
    math,
    measure,
    neurons,
    optim,
    synapses,
    synouts,
    tools,
    train,
    visualize,
)
from brainx.compat.brainpy._dynsys import DynSysGroup, Projection, clear_input
from brainx.compat.brainpy._legacy import (
    DynamicalSystem,
    Monitor,
    Network,
    NeuGroup,
    TwoEndConn,
)
from brainx.compat.brainpy._share import share
from brainx.compat.brainpy.math import _unwrap
from brainx.compat.brainpy.runners import DSRunner, LoopOverTime
from brainx.integrators import ODE_METHODS, ODEIntegrator
from brainx.nn import reset_all_states

__all__ = ["DynamicalSystem", "NeuGroup", "TwoEndConn", "Network", "Monitor", "odeint",
           "connect", "inputs", "math", "visualize", "DynSysGroup", "Projection", "DSRunner",
           "LoopOverTime", "share", "dyn", "dnn", "conn", "init", "initialize", "neurons",
           "synapses", "synouts", "measure", "tools", "check", "optim", "Dynamic", "NeuDyn",
           "JointEq", "DynamicalSystemNS", "VarDelay", "reset_state", "clear_input", "losses",
           "train", "BPTT", "layers"]

#: The BrainPy API this layer follows (programs that test ``bp.__version__`` see 2.x).
__version__ = "2.4.6"

conn = connect
initialize = init
Dynamic = NeuDyn = dyn.Dynamic
DynamicalSystemNS = DynamicalSystem
BPTT = train.BPTT
layers = dnn
VarDelay = dyn.VarDelay
reset_state = reset_all_states

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
        return lambda g: _Integrator(g, name, dt)
    return _Integrator(f, name, dt)


class _Integrator(ODEIntegrator):
    """``brainx.integrators.ODEIntegrator`` taking ``bm.Variable`` s as arguments."""

    def __call__(self, *args: Any, dt: float | None = None, **kwargs: Any) -> Any:
        return super().__call__(*_unwrap(args), dt=dt, **_unwrap(kwargs))


def JointEq(*equations: Callable) -> Callable:  # noqa: N802 - BrainPy's name
    """One derivative function of several equations (BrainPy's ``JointEq``).

    Each equation is ``f(x, t, *others)``: its variable(s) before ``t``, then any other
    variables and parameters by name. The joint function takes every equation's
    variables (in order), ``t``, then the remaining parameters, and returns the
    derivatives; ``bp.odeint`` integrates it.

    Examples
    --------
    >>> import brainx
    >>> import brainx.compat.brainpy as bp
    >>> def dx(x, t, y): return y
    >>> def dy(y, t, x, k): return -k * x
    >>> integral = bp.odeint(bp.JointEq(dx, dy), method='euler')
    >>> with brainx.use_backend('numba'), brainx.environ.context(precision=64, dt=0.1):
    ...     [round(float(v), 3) for v in integral(1.0, 0.0, 0.0, k=4.0)]
    [1.0, -0.4]
    """
    if len(equations) == 1 and isinstance(equations[0], (list, tuple)):
        equations = tuple(equations[0])
    signatures = []
    for equation in equations:
        names = list(inspect.signature(equation).parameters)
        if "t" not in names or names.index("t") == 0:
            raise ValueError(f"each equation of JointEq must be f(x, t, ...), got "
                             f"{getattr(equation, '__name__', equation)}{tuple(names)}")
        signatures.append(names)
    variables = [n for names in signatures for n in names[:names.index("t")]]
    parameters: list[str] = []
    for names in signatures:
        parameters += [n for n in names[names.index("t") + 1:]
                       if n not in variables and n not in parameters]

    def joint(*args: Any) -> tuple:
        values = dict(zip(variables + ["t"] + parameters, args, strict=True))
        out: list[Any] = []
        for equation, names in zip(equations, signatures, strict=True):
            result = equation(*(values[n] for n in names))
            out.extend(result if isinstance(result, (tuple, list)) else (result,))
        return tuple(out)

    joint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD)
         for n in variables + ["t"] + parameters])
    joint.__name__ = "JointEq"
    return joint


#: BrainPy names this layer does not map yet, with what to use in brainx instead.
NOT_SUPPORTED = {
    "mixin": "brainx.mixin", "channels": "brainx.nn.HH (Hodgkin-Huxley channels in one model)",
    "CondNeuGroup": "brainx.nn.HH", "rates": "a rate model written as a bp.DynamicalSystem",
    "synplast": "brainx.nn.STP / STD in a brainx.nn.AlignPreProj",
}


def __getattr__(name: str) -> Any:
    if name in NOT_SUPPORTED:
        raise AttributeError(f"bp.{name} (BrainPy 2.x) is not supported by "
                             f"brainx.compat.brainpy yet; use {NOT_SUPPORTED[name]}")
    raise AttributeError(f"brainx.compat.brainpy has no {name!r}: it maps BrainPy's "
                         f"{', '.join(__all__)} (docs/coming_from_brainpy.md)")
