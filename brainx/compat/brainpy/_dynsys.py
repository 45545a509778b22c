"""BrainPy 2's calling conventions for dynamical systems, on ``brainx.nn``'s modules.

A BrainPy 2 model is called as ``model(x)``, reads the time with
``bp.share.load('t')`` and is stepped by ``bp.DSRunner``, ``bm.for_loop`` over
``model.step_run(i, x)`` or ``bp.LoopOverTime``. :class:`BrainPyCalls` adds what those
need to a ``brainx.nn`` module: BrainPy 2.0-2.3's ``update(self, tdi, x)`` (the shared
arguments first) next to 2.4's ``update(self, x)``, ``step_run``, ``reset``,
``clear_input`` and ``x >> model``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from brainx import environ
from brainx.compat.brainpy._share import share
from brainx.compat.brainpy.math import _unwrap
from brainx.nn import Dynamics, DynamicsGroup, Module, reset_all_states
from brainx.nn import Projection as _Projection
from brainx.state import ParamState

__all__ = ["BrainPyCalls", "ResetsChildren", "Dynamic", "Projection", "DynSysGroup", "clear_input",
           "input_clearers", "takes_shared_first", "refuse_sharding", "SHARED_FIRST"]

#: The first parameter names of BrainPy 2.0-2.3 updates that take the shared arguments.
SHARED_FIRST = ("tdi", "sh", "sha", "shared", "shared_args")


@functools.lru_cache(maxsize=1024)
def takes_shared_first(function: Any, method: bool = False) -> bool:
    """Whether ``function``'s first parameter (after ``self`` for a ``method`` taken from
    its class) is BrainPy 2.0-2.3's shared arguments (``tdi``).

    Cached per function: the signature is read once, not at every step.
    """
    try:
        parameters = list(inspect.signature(function).parameters)[1 if method else 0:]
    except (TypeError, ValueError):
        return False
    return bool(parameters) and parameters[0] in SHARED_FIRST


def _scalar_dict(x: Any) -> bool:
    return isinstance(x, dict) and all(getattr(v, "ndim", 0) == 0 for v in x.values())


class BrainPyCalls:
    """BrainPy 2's calls on a ``brainx.nn`` module (a mixin placed before the module)."""

    __array_ufunc__ = None  # NumPy arrays defer ``x >> model`` to the model

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = _unwrap(args), _unwrap(kwargs)  # Variables are passed as their values
        function = type(self).update  # the class's function: hashable, one cache entry
        if takes_shared_first(function, method=True):
            if not (args and _scalar_dict(args[0])):
                args = (share.get_shargs(),) + args
        elif args and _scalar_dict(args[0]):
            try:
                inspect.signature(function).bind(self, *args, **kwargs)
            except TypeError:  # update(x) called as update(tdi, x)
                share.save(**args[0])
                args = args[1:]
        return super().__call__(*args, **kwargs)

    def step_run(self, i: Any, *args: Any, **kwargs: Any) -> Any:
        """One step at index ``i`` (``t = i * dt``): BrainPy's body for ``bm.for_loop``."""
        share.save(i=i, t=i * environ.dt_value())
        out = self(*args, **kwargs)
        clear_input(self)
        return out

    def reset(self, batch_size: int | None = None, **kwargs: Any) -> None:
        """Reset every State of this model and its children (``reset_state`` of each)."""
        reset_all_states(self, batch_size, **kwargs)

    def clear_input(self) -> None:
        """Clear the inputs given during this step (none by default)."""


    def __rrshift__(self, other: Any) -> Any:
        return self(other)

    def register_implicit_nodes(self, *nodes: Any, **named: Any) -> None:
        """BrainPy's way to attach children: ``nodes`` become attributes."""
        for index, node in enumerate(nodes):
            setattr(self, f"implicit_{index}_{type(node).__name__}", node)
        for name, node in named.items():
            setattr(self, name, node)

    register_implicit_vars = register_implicit_nodes

    def vars(self, *args: Any, **kwargs: Any) -> Any:  # noqa: A003 - BrainPy's name
        """The model's Variables (States), by path (BrainPy's ``.vars()``)."""
        return _Collected(self.states())

    def train_vars(self, *args: Any, **kwargs: Any) -> Any:
        """The model's trainable Variables (``bm.TrainVar`` s, ``brainx.ParamState`` s)."""
        return _Collected(self.states(ParamState))


class _Collected(dict):
    """BrainPy's collection of Variables: a dict whose ``unique()`` is itself."""

    def unique(self) -> _Collected:
        return self


class ResetsChildren:
    """BrainPy 2.4.6's rule for containers: ``reset_state`` of a model that does not define
    it resets all of its States and its children's (:meth:`BrainPyCalls.reset`)."""

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        if self.__dict__.get("_resetting"):
            return super().reset_state(batch_size, **kwargs)
        self._resetting = True
        try:
            self.reset(batch_size, **kwargs)
        finally:
            self._resetting = False


def refuse_sharding(sharding: Any) -> None:
    """BrainPy's ``sharding=`` (placing a model over devices) has no brainx counterpart."""
    if sharding is not None:
        raise NotImplementedError("sharding is not supported by brainx.compat.brainpy: brainx "
                                  "runs a model on one device")


def clear_input(model: Any) -> None:
    """Call ``clear_input()`` on ``model`` and every module in it (BrainPy's
    ``bp.helpers.clear_input``, called by ``DSRunner`` after each step)."""
    for clear in input_clearers(model):
        clear()


def input_clearers(model: Any) -> list[Any]:
    """The ``clear_input`` methods of ``model`` and its modules that do something (a runner
    finds them once, not at every step)."""
    found = [model]
    if isinstance(model, Module):
        found.extend(node for _, node in model.nodes().items() if node is not model)
    return [node.clear_input for node in found
            if callable(getattr(node, "clear_input", None))
            and getattr(type(node), "clear_input", None) is not BrainPyCalls.clear_input]


class Dynamic(BrainPyCalls, Dynamics):
    """BrainPy 2's ``Dynamic``/``NeuDyn``: a population of ``size`` (``varshape``, ``num``)."""

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None,
                 name: str | None = None, mode: Any = None, method: str = "exp_auto"):
        refuse_sharding(sharding)
        super().__init__(size=size, name=name, mode=mode)
        self.keep_size, self.method = keep_size, method


class Projection(ResetsChildren, BrainPyCalls, _Projection):
    """BrainPy 2's ``Projection``: ``DynSysGroup`` updates projections before populations;
    by default ``update(*args)`` calls the projections it holds (``self.proj = ...``)."""

    def __init__(self, name: str | None = None, mode: Any = None):
        super().__init__(name=name, mode=mode)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        children = [c for c in DynamicsGroup._children(self) if isinstance(c, _Projection)]
        if not children:
            raise NotImplementedError(f"{type(self).__name__} holds no projection to update; "
                                      f"define its update()")
        return [child(*args, **kwargs) for child in children][-1]


class DynSysGroup(ResetsChildren, BrainPyCalls, DynamicsGroup):
    """BrainPy 2's ``DynSysGroup``: children given positionally, by name or as attributes;
    the default ``update()`` steps the projections, then the populations, then the rest."""

    def __init__(self, *children: Any, name: str | None = None, mode: Any = None,
                 child_type: type | None = None, **named_children: Any):
        super().__init__(*children, name=name, mode=mode, **named_children)
