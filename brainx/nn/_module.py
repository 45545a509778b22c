"""Modules and dynamical systems: the base classes of every model component."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from brainx import environ
from brainx.graph import Node, nodes
from brainx.modes import Mode

__all__ = ["Module", "Dynamics", "init_all_states", "reset_all_states", "as_size"]


def as_size(size: Any) -> tuple[int, ...]:
    """A population size as a shape tuple (an int or a tuple of positive ints)."""
    if isinstance(size, int) and not isinstance(size, bool):
        size = (size,)
    try:
        shape = tuple(int(s) for s in size)
    except (TypeError, ValueError):
        raise TypeError(f"size must be an int or a tuple of ints, got {size!r}") from None
    if not shape or any(s <= 0 for s in shape):
        raise ValueError(f"size must be positive, got {size!r}")
    return shape


class Module(Node):
    """Base class of model components: a graph Node with a name and a computing mode.

    Examples
    --------
    >>> import brainx
    >>> brainx.nn.Module(name='layer').name
    'layer'
    """

    def __init__(self, name: str | None = None, mode: Mode | None = None):
        self.name = name
        self.mode = mode if mode is not None else environ.get_mode()

    def update(self, *args: Any, **kwargs: Any) -> Any:
        """One step of the module (subclasses define it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define update()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.update(*args, **kwargs)


class Dynamics(Module):
    """A population with state that evolves in time: ``update`` advances one step of ``dt``.

    Subclasses create their States in ``init_state(batch_size)`` and reset them in
    ``reset_state(batch_size)``. Other modules add currents with
    ``add_current_input(key, fn)``; ``sum_current_inputs(x, V)`` adds them up, each
    called with the membrane potential (for conductance-based inputs).

    Parameters
    ----------
    size : int or tuple of int
        The population's shape.
    """

    def __init__(self, size: Any, name: str | None = None, mode: Mode | None = None):
        super().__init__(name=name, mode=mode)
        self.size = as_size(size)
        self.num = math.prod(self.size)
        self._current_inputs: dict[str, Callable[[Any], Any]] = {}
        self._delta_inputs: dict[str, Callable[[], Any]] = {}

    def state_shape(self, batch_size: int | None = None) -> tuple[int, ...]:
        """The shape of a per-neuron State, with a leading batch axis if asked."""
        if batch_size is None:
            return self.size
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
        return (batch_size,) + self.size

    def init_state(self, batch_size: int | None = None) -> None:
        """Create the States (subclasses override)."""

    def reset_state(self, batch_size: int | None = None) -> None:
        """Give the States their initial values again (by default: create them anew)."""
        self.init_state(batch_size)

    def add_current_input(self, key: str, fn: Callable[[Any], Any]) -> None:
        """Register ``fn(V) -> current``, summed into the input at every step."""
        if key in self._current_inputs:
            raise ValueError(f"{type(self).__name__} already has a current input {key!r}")
        self._current_inputs[key] = fn

    def sum_current_inputs(self, x: Any, V: Any) -> Any:
        """``x`` plus every registered current input evaluated at ``V``."""
        for fn in self._current_inputs.values():
            x = x + fn(V)
        return x

    def conductance_inputs(self) -> list[tuple[Any, float]] | None:
        """``[(g, E), ...]`` when every current input is a conductance ``g (E - V)``, else None.

        Lets whole-step operators take the conductances and compute the current
        themselves; the sum is the same as :meth:`sum_current_inputs`'.
        """
        pairs = []
        for fn in self._current_inputs.values():
            conductance = getattr(fn, "conductance", None)
            pair = conductance() if conductance is not None else None
            if pair is None:
                return None
            pairs.append(pair)
        return pairs

    def add_delta_input(self, key: str, fn: Callable[[], Any]) -> None:
        """Register ``fn() -> jump``, added to the membrane potential after integration."""
        if key in self._delta_inputs:
            raise ValueError(f"{type(self).__name__} already has a delta input {key!r}")
        self._delta_inputs[key] = fn

    def sum_delta_inputs(self) -> Any:
        """The sum of every registered delta input (0.0 when there is none)."""
        total: Any = 0.0
        for fn in self._delta_inputs.values():
            total = total + fn()
        return total


def _dynamics(module: Any) -> list[Dynamics]:
    return [n for n in nodes(module).values() if isinstance(n, Dynamics)]


def init_all_states(module: Any, batch_size: int | None = None) -> Any:
    """Call ``init_state(batch_size)`` on every Dynamics reachable from ``module``."""
    for node in _dynamics(module):
        node.init_state(batch_size)
    return module


def reset_all_states(module: Any, batch_size: int | None = None) -> Any:
    """Call ``reset_state(batch_size)`` on every Dynamics reachable from ``module``."""
    for node in _dynamics(module):
        node.reset_state(batch_size)
    return module
