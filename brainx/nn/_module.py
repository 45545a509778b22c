"""Modules and dynamical systems: the base classes of every model component."""

from __future__ import annotations

import functools
import inspect
import math
import operator
from collections.abc import Callable, Hashable
from typing import Any

from brainx import environ
from brainx._units import from_canonical, is_quantity
from brainx.graph import Node, nodes
from brainx.mixin import ParamDesc
from brainx.modes import Mode

__all__ = ["Module", "Dynamics", "init_all_states", "reset_all_states", "call_order",
           "as_size"]

#: call_order levels run from 0 (first) to MAX_ORDER - 1 (last)
MAX_ORDER = 10


def as_size(size: Any) -> tuple[int, ...]:
    """A population size as a shape tuple (an int or a tuple of positive ints).

    Examples
    --------
    >>> as_size(10), as_size((4, 5))
    ((10,), (4, 5))
    >>> as_size('10')
    Traceback (most recent call last):
    ...
    TypeError: size must be a positive int or a tuple of them, got '10' (of type str)
    """
    def refuse(kind: type[Exception]) -> Exception:
        return kind(f"size must be a positive int or a tuple of them, got {size!r} "
                    f"(of type {type(size).__name__})")

    if isinstance(size, (str, bytes, bool)) or type(size).__name__ == "bool_":
        raise refuse(TypeError)
    try:
        shape = (operator.index(size),) if not hasattr(size, "__iter__") else \
            tuple(operator.index(s) for s in size)
    except TypeError:
        raise refuse(TypeError) from None
    if not shape or any(s <= 0 or isinstance(s, bool) for s in shape):
        raise refuse(ValueError)
    return shape


def call_order(level: int = 0) -> Callable[[Callable], Callable]:
    """Mark an ``init_state`` / ``reset_state`` method to run at ``level`` (0 first, 9 last).

    :func:`init_all_states` and :func:`reset_all_states` first call the methods
    without a level, in graph order, then the marked ones by increasing level
    (brainstate's ``call_order``).

    Examples
    --------
    >>> import brainx
    >>> calls = []
    >>> class Late(brainx.nn.Module):
    ...     @brainx.nn.call_order(5)
    ...     def init_state(self):
    ...         calls.append('late')
    >>> class Early(brainx.nn.Module):
    ...     def init_state(self):
    ...         calls.append('early')
    >>> class Net(brainx.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.a, self.b = Late(), Early()
    >>> _ = brainx.nn.init_all_states(Net())
    >>> calls
    ['early', 'late']
    """
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level < MAX_ORDER:
        raise ValueError(f"call_order level must be an int in [0, {MAX_ORDER}), got {level!r}")

    def mark(fun: Callable) -> Callable:
        fun.call_order = level
        return fun

    return mark


class Module(Node, ParamDesc):
    """Base class of model components: a graph Node with a name and a computing mode.

    ``module(*args)`` calls ``update(*args)``. ``init_state`` / ``reset_state`` create
    and reset the module's States (nothing by default); :func:`init_all_states` calls
    them on every module of a model. ``Module.desc(*args, **kwargs)`` is a deferred
    constructor (:class:`brainx.mixin.ParamDescriber`).

    Examples
    --------
    >>> import brainx
    >>> brainx.nn.Module(name='layer').name
    'layer'
    """

    #: what a subclass's ``__init__`` must call (named by the error when it does not)
    _init_call = "super().__init__()"
    #: the attributes this class's ``__init__`` sets, and the one showing that it ran
    _init_sets: tuple[str, ...] = ("name", "mode")
    _init_marker = "mode"
    #: brainstate's flags, read at every step by ``Dynamics.__call__``: a before-update that
    #: receives ``update``'s arguments, an after-update that does not receive its output
    _receive_update_input = False
    _not_receive_update_output = False

    def __init__(self, name: str | None = None, mode: Mode | None = None):
        self.name = name
        self.mode = mode if mode is not None else environ.get_mode()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _INIT_NAMES.update(cls.__dict__.get("_init_sets", ()))

    def __getattr__(self, name: str) -> Any:
        # Python calls this only when ordinary lookup fails: attributes that exist are read
        # as fast as before. It names a base-class __init__ that never ran.
        hint = _missing_init(self, name) if name in _INIT_NAMES else ""
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}{hint}",
                             name=name, obj=self)

    def init_state(self, *args: Any, **kwargs: Any) -> None:
        """Create the module's States (none by default)."""

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        """Give the module's States their initial values again (none by default)."""

    def update(self, *args: Any, **kwargs: Any) -> Any:
        """One step of the module (subclasses define it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define update()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.update(*args, **kwargs)


#: every attribute named by an ``_init_sets`` (Module's and its subclasses')
_INIT_NAMES: set[str] = {"name", "mode"}


def _missing_init(module: Module, name: str) -> str:
    """The end of the error for ``module.name`` when ``name`` is set by the ``__init__`` of
    a brainx base class that did not run on ``module`` (its subclass's ``__init__`` did
    not call ``super().__init__(...)``); empty otherwise."""
    attributes = vars(module)
    for cls in type(module).__mro__:
        sets = cls.__dict__.get("_init_sets", ())
        if name in sets and cls.__dict__["_init_marker"] not in attributes:
            return (f": {type(module).__name__}.__init__ must call "
                    f"{type(module)._init_call} first ({cls.__module__}.{cls.__qualname__}"
                    f".__init__, which sets {name!r}, never ran)")
    return ""


def _input_key(key: Any, label: str | None) -> Any:
    return key if label is None else f"{label} // {key}"


def _sum_inputs(inputs: dict, init: Any, args: tuple, kwargs: dict, label: str | None) -> Any:
    """``init`` plus every input (functions called with ``args``); plain values are used once."""
    prefix = None if label is None else f"{label} // "
    for key in tuple(inputs):
        if prefix is not None and not (isinstance(key, str) and key.startswith(prefix)):
            continue
        inp = inputs[key]
        if callable(inp):
            value = inp(*args, **kwargs)
        else:
            value = inp
            del inputs[key]
        if is_quantity(init) and not is_quantity(value):
            value = from_canonical(value, init)  # a projection's plain output, in mV, ms, mA
        init = init + value
    return init


def _size_alias(init: Callable) -> Callable:
    """Let a constructor with a ``size`` argument also take brainstate's ``in_size=``."""

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        if "in_size" in kwargs:
            if "size" in kwargs or args:
                raise TypeError(f"{type(self).__name__}() got the population size twice "
                                f"(in_size= and size)")
            kwargs["size"] = kwargs.pop("in_size")
        init(self, *args, **kwargs)

    return __init__


class Dynamics(Module):
    """A population with state that evolves in time: ``update`` advances one step of ``dt``.

    Subclasses create their States in ``init_state(batch_size)`` and reset them in
    ``reset_state(batch_size)``. Other modules give it inputs:

    - ``add_current_input(key, inp)``: ``inp`` is a function, called at every step by
      ``sum_current_inputs(init, *args)`` with ``args`` (usually the membrane
      potential), or a value, added once and then dropped;
    - ``add_delta_input(key, inp)``: the same for jumps of the state, summed by
      ``sum_delta_inputs(init=0.0, *args)``.

    An optional ``label`` groups inputs; ``sum_*_inputs(..., label=...)`` then sums only
    that group. ``module(*args)`` runs the registered *before updates* (for example the
    synapses that align-post projections share), ``update(*args)``, then the *after
    updates* (for example state delays), as brainstate's ``Dynamics`` does.

    Parameters
    ----------
    in_size : int or tuple of int
        The population's shape (``size=`` is accepted as well); the attributes
        ``size``, ``varshape``, ``in_size`` and ``out_size`` give it back as a tuple.

    Examples
    --------
    >>> import brainx
    >>> pop = brainx.nn.Dynamics(3)
    >>> pop.varshape, pop.num
    ((3,), 3)
    >>> pop.add_current_input('bias', lambda V: 2.0 * V)
    >>> pop.add_current_input('pulse', 1.5)        # a value: used once
    >>> pop.sum_current_inputs(0.5, 10.0), pop.sum_current_inputs(0.5, 10.0)
    (22.0, 20.5)
    """

    _init_call = "super().__init__(size)"
    _init_sets = ("size", "varshape", "in_size", "out_size", "num", "_current_inputs",
                  "_delta_inputs", "_before_updates", "_after_updates")
    _init_marker = "_after_updates"

    def __init__(self, in_size: Any = None, name: str | None = None, mode: Mode | None = None,
                 *, size: Any = None):
        super().__init__(name=name, mode=mode)
        if in_size is None and size is None:
            raise TypeError(f"{type(self).__name__} needs the population size: in_size (or "
                            f"size), an int or a tuple of ints")
        if in_size is not None and size is not None and as_size(in_size) != as_size(size):
            raise ValueError(f"in_size {in_size!r} and size {size!r} disagree")
        self.size = as_size(in_size if in_size is not None else size)
        for alias in ("varshape", "in_size", "out_size"):  # unless a subclass set them first
            self.__dict__.setdefault(alias, self.size)
        self.num = math.prod(self.size)
        self._current_inputs: dict[Hashable, Any] = {}
        self._delta_inputs: dict[Hashable, Any] = {}
        self._before_updates: dict[Hashable, Callable] = {}
        self._after_updates: dict[Hashable, Callable] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None:
            params = inspect.signature(init).parameters
            if "size" in params and "in_size" not in params:
                cls.__init__ = _size_alias(init)

    def state_shape(self, batch_size: int | None = None) -> tuple[int, ...]:
        """The shape of a per-neuron State, with a leading batch axis if asked."""
        if self.size is None:
            raise ValueError(f"{type(self).__name__} has no size, so its States have no shape: "
                             f"give it one ({type(self).__name__}(size, ...), or "
                             f"super().__init__(size) in a subclass)")
        if batch_size is None:
            return self.size
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
        return (batch_size,) + self.size

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        """Create the States (subclasses override)."""

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        """Give the States their initial values again (by default: create them anew)."""
        self.init_state(batch_size)

    # ---- inputs ----------------------------------------------------------------------

    @property
    def current_inputs(self) -> dict:
        """The registered current inputs, by key."""
        return self._current_inputs

    @property
    def delta_inputs(self) -> dict:
        """The registered delta inputs, by key."""
        return self._delta_inputs

    def add_current_input(self, key: Hashable, inp: Any, label: str | None = None) -> None:
        """Register a current: ``inp(*args) -> current`` summed at every step, or a value
        summed once."""
        key = _input_key(key, label)
        if key in self._current_inputs and self._current_inputs[key] is not inp:
            raise ValueError(f"{type(self).__name__} already has a current input {key!r}")
        self._current_inputs[key] = inp

    def add_delta_input(self, key: Hashable, inp: Any, label: str | None = None) -> None:
        """Register a jump: ``inp(*args) -> jump`` summed at every step, or a value summed
        once."""
        key = _input_key(key, label)
        if key in self._delta_inputs and self._delta_inputs[key] is not inp:
            raise ValueError(f"{type(self).__name__} already has a delta input {key!r}")
        self._delta_inputs[key] = inp

    def get_input(self, key: Hashable) -> Any:
        """The current or delta input registered under ``key``."""
        if key in self._current_inputs:
            return self._current_inputs[key]
        if key in self._delta_inputs:
            return self._delta_inputs[key]
        raise KeyError(f"{type(self).__name__} has no current or delta input {key!r}")

    def sum_current_inputs(self, init: Any, *args: Any, label: str | None = None,
                           **kwargs: Any) -> Any:
        """``init`` plus every current input, the functions called with ``args``."""
        if not self._current_inputs:
            return init
        return _sum_inputs(self._current_inputs, init, args, kwargs, label)

    def sum_delta_inputs(self, init: Any = 0.0, *args: Any, label: str | None = None,
                         **kwargs: Any) -> Any:
        """``init`` plus every delta input (0.0 plus them by default)."""
        if not self._delta_inputs:
            return init
        return _sum_inputs(self._delta_inputs, init, args, kwargs, label)

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

    # ---- before and after updates ---------------------------------------------------

    @property
    def before_updates(self) -> dict:
        """Functions run before each ``update`` by ``module(...)``, by key."""
        return self._before_updates

    @property
    def after_updates(self) -> dict:
        """Functions run after each ``update`` by ``module(...)``, by key."""
        return self._after_updates

    def _add_before_update(self, key: Hashable, fun: Callable) -> None:
        if key in self._before_updates:
            raise KeyError(f"{key!r} is already a before-update of {type(self).__name__}")
        self._before_updates[key] = fun

    def _add_after_update(self, key: Hashable, fun: Callable) -> None:
        if key in self._after_updates:
            raise KeyError(f"{key!r} is already an after-update of {type(self).__name__}")
        self._after_updates[key] = fun

    def _has_before_update(self, key: Hashable) -> bool:
        return key in self._before_updates

    def _has_after_update(self, key: Hashable) -> bool:
        return key in self._after_updates

    def _get_before_update(self, key: Hashable) -> Callable:
        if key not in self._before_updates:
            raise KeyError(f"{key!r} is not a before-update of {type(self).__name__}")
        return self._before_updates[key]

    def _get_after_update(self, key: Hashable) -> Callable:
        if key not in self._after_updates:
            raise KeyError(f"{key!r} is not an after-update of {type(self).__name__}")
        return self._after_updates[key]

    def prefetch(self, item: str) -> Any:
        """A reference to the attribute ``item`` (a State), read when called.

        ``module.prefetch('V').delay.at(2.0)`` reads it 2 ms in the past instead
        (see :class:`brainx.nn.Prefetch`).
        """
        from brainx.nn._delay import Prefetch

        return Prefetch(self, item)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._before_updates:
            for fun in tuple(self._before_updates.values()):
                if getattr(fun, "_receive_update_input", False):
                    fun(*args, **kwargs)
                else:
                    fun()
        out = self.update(*args, **kwargs)
        if self._after_updates:
            for fun in tuple(self._after_updates.values()):
                if getattr(fun, "_not_receive_update_output", False):
                    fun()
                else:
                    fun(out)
        return out


def _exclusion(node_to_exclude: Any) -> Callable[[tuple, Any], bool]:
    if node_to_exclude is None:
        return lambda path, node: False
    if isinstance(node_to_exclude, type) or (
            isinstance(node_to_exclude, tuple)
            and all(isinstance(t, type) for t in node_to_exclude)):
        return lambda path, node: isinstance(node, node_to_exclude)
    if callable(node_to_exclude):
        return node_to_exclude
    raise TypeError(f"node_to_exclude must be a type, a tuple of types or a function "
                    f"(path, node) -> bool, got {node_to_exclude!r}")


def _call_all(target: Any, method: str, args: tuple, kwargs: dict,
              node_to_exclude: Any) -> Any:
    excluded = _exclusion(node_to_exclude)
    ordered = []
    for path, node in nodes(target).items():
        if not isinstance(node, Module) or excluded(path, node):
            continue
        fun = getattr(node, method)
        if hasattr(fun, "call_order"):
            ordered.append(node)
        else:
            fun(*args, **kwargs)
    for node in sorted(ordered, key=lambda n: getattr(n, method).call_order):
        getattr(node, method)(*args, **kwargs)
    return target


def init_all_states(target: Any, *args: Any, node_to_exclude: Any = None,
                    **kwargs: Any) -> Any:
    """Call ``init_state(*args, **kwargs)`` on every module of ``target``; return ``target``.

    Modules reachable from ``target`` (itself included) are visited in graph order;
    methods marked with :func:`call_order` run afterwards, by level.
    ``node_to_exclude`` (a type, or a function ``(path, node) -> bool``) skips nodes.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     lif = brainx.nn.LIF(2)
    ...     _ = lif(30.0)
    ...     _ = brainx.nn.init_all_states(lif, batch_size=4)
    >>> lif.V.value.shape
    (4, 2)
    """
    return _call_all(target, "init_state", args, kwargs, node_to_exclude)


def reset_all_states(target: Any, *args: Any, node_to_exclude: Any = None,
                     **kwargs: Any) -> Any:
    """Call ``reset_state(*args, **kwargs)`` on every module of ``target``; return ``target``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     lif = brainx.nn.LIF(1, V_rest=0.0)
    ...     _ = lif(30.0)
    ...     before = float(lif.V.value[0])
    ...     _ = brainx.nn.reset_all_states(lif)
    >>> before > 0.0, float(lif.V.value[0])
    (True, 0.0)
    """
    return _call_all(target, "reset_state", args, kwargs, node_to_exclude)
