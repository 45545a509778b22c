"""One model built on one backend, stepped and read State by State."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from brainx import _tree, environ
from brainx import compile as bc
from brainx.backend import get_backend, use_backend
from brainx.graph import states as graph_states
from brainx.state import ParamState, State

__all__ = ["Simulation", "step_arguments", "split_lane"]


def step_arguments(inputs: Any, t: float, i: int) -> tuple:
    """The arguments of ``update`` at step ``i``: from a tuple of constants, a function
    ``inputs(t, i)`` or an array with one row per step."""
    if inputs is None:
        return ()
    if isinstance(inputs, tuple):
        return inputs
    if callable(inputs):
        value = inputs(t, i)
    else:
        if i >= len(inputs):
            raise ValueError(f"inputs has {len(inputs)} rows (steps) but step {i} was asked for")
        value = inputs[i]
    return value if isinstance(value, tuple) else (value,)


_LANES = {"compiled": True, "eager": False}


def split_lane(spec: str) -> tuple[str, bool | None]:
    """``'numba:eager'`` -> ``('numba', False)``: a backend and how it runs (``compiled``:
    ``jit=True``, ``eager``: ``jit=False``, none given: the environ default).

    Examples
    --------
    >>> split_lane('numba:compiled'), split_lane('jax')
    (('numba', True), ('jax', None))
    """
    name, _, lane = str(spec).partition(":")
    if lane and lane not in _LANES:
        raise ValueError(f"a backend lane must be 'NAME', 'NAME:compiled' or 'NAME:eager', "
                         f"got {spec!r}")
    return name, _LANES[lane] if lane else None


class Simulation:
    """``factory()`` built under one backend: its States by dotted path, and a step.

    The step is compiled once (with ``strict_numerics`` if asked) where the backend
    compiles; ``backend`` may name a lane (``'numba:eager'``, ``'numba:compiled'``).
    """

    def __init__(self, backend: str, factory: Callable[[], Any], strict_numerics: bool = False):
        name, self.jit = split_lane(backend)
        self.backend = get_backend(name)
        with use_backend(self.backend):
            self.model = factory()
        if not hasattr(self.model, "update"):
            raise TypeError(f"the factory must return a model with an update() method, got "
                            f"{type(self.model).__name__}")
        self.states: dict[str, State] = {
            ".".join(map(str, path)): state for path, state in graph_states(self.model).items()}
        if not self.states:
            raise ValueError("the model has no States to compare")
        self.strict_numerics = strict_numerics
        self._step = bc.jit(self._update, strict_numerics=strict_numerics)

    def _update(self, t: Any, i: Any, args: tuple) -> None:
        environ.push_frame({"t": t, "i": i})
        try:
            self.model.update(*args)
        finally:
            environ.pop_frame()

    def dynamic(self) -> dict[str, State]:
        """The States a simulation changes (all but ``ParamState``s)."""
        return {n: s for n, s in self.states.items() if not isinstance(s, ParamState)}

    def step(self, t: float, i: int, args: tuple) -> None:
        lane = contextlib.nullcontext() if self.jit is None else environ.context(jit=self.jit)
        with use_backend(self.backend), lane:
            native = tuple(self.backend.asarray(a) if isinstance(a, np.ndarray) else a
                           for a in args)
            self._step(t, i, native)

    def snapshot(self, names: Any = None) -> dict[str, np.ndarray]:
        """The States' values on the host, one entry per array leaf (``name[k]`` for
        the leaves of a pytree value)."""
        out = {}
        for name in (names if names is not None else self.states):
            leaves, _ = _tree.flatten(self.states[name].value)
            if len(leaves) == 1:
                out[name] = np.array(self.backend.to_numpy(leaves[0]))
            else:
                for k, leaf in enumerate(leaves):
                    out[f"{name}[{k}]"] = np.array(self.backend.to_numpy(leaf))
        return out

    def load(self, values: dict[str, np.ndarray]) -> None:
        """Give the States the values of a :meth:`snapshot` (of this or another backend)."""
        with use_backend(self.backend):
            for name, state in self.states.items():
                leaves, treedef = _tree.flatten(state.value)
                keys = [name] if len(leaves) == 1 else [f"{name}[{k}]" for k in range(len(leaves))]
                if not all(k in values for k in keys):
                    continue
                new = [self._converted(values[k], old)
                       for k, old in zip(keys, leaves, strict=True)]
                state.value = _tree.unflatten(treedef, new)

    def _converted(self, value: Any, like: Any) -> Any:
        dtype = np.asarray(self.backend.to_numpy(like)).dtype
        return self.backend.asarray(np.array(value, dtype=dtype))
