"""brainx: brain-dynamics modelling written once, run on jax or numba, verified across both.

Examples
--------
>>> import brainx
>>> brainx.set_backend('numba').name
'numba'
>>> a = brainx.State(1.)
>>> def add(i):
...     a.value += 1.
>>> _ = brainx.compile.for_loop(add, brainx.math.arange(10))
>>> a.value
11.0
>>> _ = brainx.set_backend(None)
"""

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brainx import (
        augment,
        backend,
        checkpoint,
        compile,
        conn,
        environ,
        event,
        functional,
        graph,
        init,
        integrators,
        math,
        mixin,
        modes,
        monitors,
        nn,
        optim,
        random,
        state,
        surrogate,
        testing,
        typing,
        util,
        visualize,
    )

from brainx._errors import (
    BackendCapabilityError,
    BackendNotInstalledError,
    LoopStructureError,
    MixedBackendError,
    StateMismatchError,
)
from brainx.backend import (
    available_backends,
    get_backend,
    set_backend,
    use_backend,
)
from brainx.runner import NonFiniteError, RunError, RunInterrupted, Runner
from brainx.state import (
    HiddenState,
    LongTermState,
    ParamState,
    ShortTermState,
    State,
)

# Subpackages load on first use (``brainx.nn``, ``from brainx import optim``): a
# simulation never pays for importing the training or plotting code.
_SUBPACKAGES = frozenset({
    "augment", "backend", "checkpoint", "compile", "conn", "environ", "event", "functional",
    "graph", "init", "integrators", "math", "mixin", "modes", "monitors", "nn", "optim",
    "random", "state", "surrogate", "testing", "typing", "util", "visualize",
})


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"brainx.{name}")
    raise AttributeError(f"module 'brainx' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBPACKAGES)


__all__ = [
    "__version__",
    "augment",
    "backend",
    "checkpoint",
    "compile",
    "conn",
    "environ",
    "event",
    "functional",
    "graph",
    "init",
    "integrators",
    "math",
    "mixin",
    "modes",
    "monitors",
    "nn",
    "optim",
    "random",
    "state",
    "surrogate",
    "testing",
    "typing",
    "util",
    "visualize",
    "available_backends",
    "get_backend",
    "set_backend",
    "use_backend",
    "Runner",
    "RunError",
    "RunInterrupted",
    "NonFiniteError",
    "State",
    "ParamState",
    "ShortTermState",
    "LongTermState",
    "HiddenState",
    "BackendCapabilityError",
    "BackendNotInstalledError",
    "LoopStructureError",
    "MixedBackendError",
    "StateMismatchError",
]
