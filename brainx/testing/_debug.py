"""Fake random numbers for exact comparisons, and re-running a step under a debugger."""

from __future__ import annotations

import contextlib
import pdb
from collections.abc import Callable, Iterator
from typing import Any

from brainx import environ
from brainx.backend import use_backend
from brainx.testing._simulation import Simulation

__all__ = ["fake_random", "debug_step"]


@contextlib.contextmanager
def fake_random(enabled: bool = True) -> Iterator[None]:
    """Inside this block, distributions that need transcendental functions use stand-ins.

    ``uniform``, ``randint``, ``bernoulli``, ``choice`` and ``permutation`` are
    bit-identical across backends anyway. ``normal`` becomes the Irwin-Hall sum of
    12 uniforms minus 6 (mean 0, variance 1), ``exponential`` the sum of two
    uniforms (mean 1) times the scale, and ``poisson`` the rounded normal
    approximation: each computed with additions and multiplications only, so
    every backend draws the same bits. They keep the mean (and for the normal the
    variance), not the shape: use them to compare backends, not for science.
    Set it before the model is built and compiled (as Brian2's fake random
    numbers, it is a testing device).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> from brainx.testing import fake_random
    >>> with fake_random(), brainx.environ.context(precision=64):
    ...     draws = {}
    ...     for name in ('jax', 'numba'):
    ...         with brainx.use_backend(name):
    ...             draws[name] = np.asarray(brainx.random.RandomState(0).normal(size=1000))
    >>> bool((draws['jax'] == draws['numba']).all())
    True
    """
    with environ.context(fake_random=bool(enabled)):
        yield


def debug_step(factory: Callable[[], Any], states: dict[str, Any], step: int, t: float,
               args: tuple = (), debugger: Callable[..., Any] | None = None) -> Any:
    """Build the model on numba, give it ``states``, and run ``update`` under a debugger,
    eagerly (loops inside ``update`` are not compiled either).

    ``states`` maps dotted State names to values (a report's
    ``divergent_step['states']``); the step runs eagerly, so every intermediate
    value is a NumPy array to print or step through. ``debugger`` defaults to
    ``pdb.runcall``. Returns the model after the step.

    Examples
    --------
    >>> import brainx
    >>> from brainx.testing import debug_step
    >>> model = debug_step(lambda: brainx.nn.LIF(2), {'V': [5.0, 19.99]}, step=0, t=0.0,
    ...                    args=(30.0,), debugger=lambda fn, *a: fn(*a))
    >>> model.spike.value.tolist()
    [False, True]
    """
    sim = Simulation("numba", factory)
    sim.load({k: v for k, v in states.items()})
    run = debugger if debugger is not None else pdb.runcall
    with use_backend(sim.backend), environ.context(jit=False):  # every line in Python
        environ.push_frame({"t": t, "i": step})
        try:
            run(sim.model.update, *args)
        finally:
            environ.pop_frame()
    return sim.model
