"""Mixins: behaviours a class opts into (deferred construction, align-post inputs, ...).

A mixin has no ``__init__`` of its own, only behaviour. The names follow
``brainstate.mixin``: :class:`ParamDesc` gives a class the ``desc(...)``
classmethod that returns a :class:`ParamDescriber`, a constructor with some
arguments bound, called later with the rest (projections build their synapse and
output that way, once they know the population size).

Examples
--------
>>> import brainx
>>> class Synapse(brainx.mixin.ParamDesc):
...     def __init__(self, size, tau=5.0):
...         self.size, self.tau = size, tau
>>> describer = Synapse.desc(tau=2.0)
>>> syn = describer(100)
>>> syn.size, syn.tau
(100, 2.0)
>>> isinstance(describer, brainx.mixin.ParamDescriber[Synapse])
True
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

from brainx.modes import Batching, Mode, NonBatching, Training

__all__ = [
    "Mixin",
    "ParamDesc",
    "ParamDescriber",
    "AlignPost",
    "BindCondData",
    "UpdateReturn",
    "JointTypes",
    "OneOfTypes",
    "Mode",
    "JointMode",
    "NonBatching",
    "Batching",
    "Training",
]


class Mixin:
    """Base class of mixins: behaviour only, no ``__init__``."""


def _hashable(value: Any) -> Any:
    """A hashable stand-in for ``value`` (dicts and lists by content, other objects by id)."""
    if isinstance(value, dict):
        return tuple(sorted(((k, _hashable(v)) for k, v in value.items()), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return value


class _FinalMeta(type):
    """Refuses subclasses: a describer is a value, not a base class."""

    def __new__(mcs, name: str, bases: tuple, namespace: dict) -> type:
        for base in bases:
            if isinstance(base, _FinalMeta):
                raise TypeError(f"{base.__name__} cannot be subclassed")
        return super().__new__(mcs, name, bases, namespace)


class ParamDescriber(metaclass=_FinalMeta):
    """A deferred constructor: ``cls`` with some arguments bound now, the rest given later.

    ``describer(*args, **kwargs)`` calls ``cls(*bound_args, *args, **bound_kwargs,
    **kwargs)``. ``ParamDescriber[cls]`` is a describer with nothing bound, usable
    in ``isinstance`` to ask whether an object describes ``cls`` (or a subclass).

    Parameters
    ----------
    cls : type
        The class (or any callable) to construct.
    *args, **kwargs
        Arguments bound now.

    Examples
    --------
    >>> import brainx
    >>> d = brainx.mixin.ParamDescriber(dict, a=1)
    >>> d(b=2)
    {'a': 1, 'b': 2}
    >>> d.identifier
    (<class 'dict'>, (), (('a', 1),))
    """

    def __init__(self, cls: Any, *args: Any, **kwargs: Any):
        if not callable(cls):
            raise TypeError(f"ParamDescriber needs a class or callable to construct, got {cls!r}")
        self.cls = cls
        self.args = args
        self.kwargs = kwargs
        self._identifier = (cls, _hashable(args), _hashable(kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        duplicated = sorted(set(self.kwargs) & set(kwargs))
        if duplicated:
            raise TypeError(f"{self._name()}: argument(s) {', '.join(duplicated)} were bound by "
                            f"desc(...) already and given again")
        return self.cls(*self.args, *args, **self.kwargs, **kwargs)

    def init(self, *args: Any, **kwargs: Any) -> Any:
        """The same as calling the describer."""
        return self(*args, **kwargs)

    @property
    def identifier(self) -> tuple:
        """``(cls, bound args, bound kwargs)`` in hashable form; equal describers share it."""
        return self._identifier

    def __class_getitem__(cls, item: type) -> ParamDescriber:
        return ParamDescriber(item)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, ParamDescriber) and isinstance(instance.cls, type) \
            and isinstance(self.cls, type) and issubclass(instance.cls, self.cls)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParamDescriber) and self._identifier == other._identifier

    def __hash__(self) -> int:
        return hash(self._identifier)

    def _name(self) -> str:
        return f"{getattr(self.cls, '__name__', repr(self.cls))}.desc"

    def __repr__(self) -> str:
        bound = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self._name()}({', '.join(bound)})"


class ParamDesc(Mixin):
    """Gives a class the classmethod ``desc(*args, **kwargs)`` returning a :class:`ParamDescriber`.

    Examples
    --------
    >>> import brainx
    >>> class Expon(brainx.mixin.ParamDesc):
    ...     def __init__(self, size, tau=8.0):
    ...         self.size, self.tau = size, tau
    >>> Expon.desc(tau=5.0)
    Expon.desc(tau=5.0)
    >>> Expon.desc(tau=5.0)(10).tau
    5.0
    """

    #: Names of constructor arguments that are not hashable (kept by identity).
    non_hashable_params: Sequence[str] | None = None

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> ParamDescriber:
        """A describer of this class with ``args`` and ``kwargs`` bound."""
        return ParamDescriber(cls, *args, **kwargs)


class AlignPost(Mixin):
    """A synapse that can sit at the postsynaptic side of a projection.

    It provides ``align_post_input_add(*args)``, which adds an input (a spike
    count or a weighted event sum) to the synapse's state.
    """

    def align_post_input_add(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not define "
                                  f"align_post_input_add()")


class BindCondData(Mixin):
    """Keeps a conductance bound for one step (``bind_cond`` / ``unbind_cond``).

    Examples
    --------
    >>> import brainx
    >>> class Out(brainx.mixin.BindCondData):
    ...     pass
    >>> out = Out()
    >>> out.bind_cond(0.5)
    >>> out._conductance
    0.5
    >>> out.unbind_cond()
    >>> out._conductance is None
    True
    """

    _conductance: Any = None

    def bind_cond(self, conductance: Any) -> None:
        """Remember ``conductance`` until :meth:`unbind_cond`."""
        self._conductance = conductance

    def unbind_cond(self) -> None:
        """Forget the bound conductance."""
        self._conductance = None


class UpdateReturn(Mixin):
    """A module that can say what its ``update`` returns, without running it."""

    def update_return(self) -> Any:
        """A pytree of shape/dtype structs describing the return of ``update``."""
        raise NotImplementedError(f"{type(self).__name__} does not define update_return()")

    def update_return_info(self) -> Any:
        """The same without the batch axis (the mode adds it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define "
                                  f"update_return_info()")


def _type_args(what: str, parameters: Any) -> tuple[type, ...]:
    if not isinstance(parameters, tuple):
        parameters = (parameters,)
    if not parameters:
        raise TypeError(f"{what}[...] needs at least one type")
    out: list[type] = []
    for p in parameters:
        p = type(None) if p is None else p
        if not isinstance(p, type):
            raise TypeError(f"{what}[...]: each argument must be a type, got {p!r}")
        if p not in out:
            out.append(p)
    return tuple(out)


class _JointMeta(type):
    def __instancecheck__(cls, instance: Any) -> bool:
        return all(isinstance(instance, t) for t in cls.__joint__)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return all(issubclass(subclass, t) for t in cls.__joint__)

    def __eq__(cls, other: object) -> bool:
        joint = getattr(other, "__joint__", None)
        return joint is not None and frozenset(joint) == frozenset(cls.__joint__)

    def __hash__(cls) -> int:
        return hash(frozenset(cls.__joint__))

    def __repr__(cls) -> str:
        return f"JointTypes[{', '.join(t.__name__ for t in cls.__joint__)}]"


class _JointTypes:
    """``JointTypes[X, Y]``: a type that matches objects that are both an X and a Y.

    Examples
    --------
    >>> import brainx
    >>> both = brainx.mixin.JointTypes[int, float]
    >>> isinstance(True, brainx.mixin.JointTypes[int, object]), isinstance(1, both)
    (True, False)
    """

    def __getitem__(self, parameters: Any) -> type:
        types = _type_args("JointTypes", parameters)
        if len(types) == 1:
            return types[0]
        return _JointMeta("JointTypes", (), {"__joint__": types})

    def __repr__(self) -> str:
        return "brainx.mixin.JointTypes"


class _OneOfTypes:
    """``OneOfTypes[X, Y]``: ``typing.Union[X, Y]`` (an object that is an X or a Y).

    Examples
    --------
    >>> import brainx
    >>> isinstance(2.0, brainx.mixin.OneOfTypes[int, float])
    True
    """

    def __getitem__(self, parameters: Any) -> Any:
        types = _type_args("OneOfTypes", parameters)
        return types[0] if len(types) == 1 else typing.Union[types]  # noqa: UP007

    def __repr__(self) -> str:
        return "brainx.mixin.OneOfTypes"


JointTypes = _JointTypes()
OneOfTypes = _OneOfTypes()


class JointMode(Mode):
    """Several modes at once, e.g. ``JointMode(Batching(8), Training())``.

    Examples
    --------
    >>> import brainx
    >>> m = brainx.mixin.JointMode(brainx.mixin.Batching(8), brainx.mixin.Training())
    >>> m.has(brainx.mixin.Training), m.batch_size
    (True, 8)
    """

    def __init__(self, *modes: Mode):
        for m in modes:
            if not isinstance(m, Mode):
                raise TypeError(f"JointMode takes Mode instances, got {m!r}")
        self.modes = tuple(modes)
        self.types = frozenset(type(m) for m in modes)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(m) for m in self.modes)})"

    def has(self, mode: type) -> bool:
        """Whether one of the joined modes is (a subclass of) ``mode``."""
        return any(issubclass(t, mode) for t in self.types)

    def is_a(self, mode: type) -> bool:
        return self.has(mode)

    def __getattr__(self, item: str) -> Any:
        if item in ("modes", "types"):
            raise AttributeError(item)
        for m in self.modes:
            if hasattr(m, item):
                return getattr(m, item)
        raise AttributeError(f"none of the modes of {self!r} has attribute {item!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JointMode) and self.modes == other.modes

    def __hash__(self) -> int:
        return hash((JointMode, self.modes))
