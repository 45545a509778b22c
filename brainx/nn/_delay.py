"""Transmission delays: ring buffers of past values, and references to delayed States.

:class:`Delay` keeps the last ``max_length`` values pushed into it, one per step, and
hands back the value of ``n`` steps ago (:meth:`Delay.retrieve_at_step`), of a past
time (:meth:`Delay.retrieve_at_time`) or of a named entry (:meth:`Delay.at`).
:class:`Prefetch` reads a State of a module when called; ``prefetch.delay.at(t)``
reads it ``t`` ms in the past.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import _tree, environ
from brainx._units import to_canonical
from brainx.modes import Mode
from brainx.nn._module import Dynamics, Module, call_order

__all__ = ["Delay", "DelayAccess", "StateWithDelay", "Prefetch", "PrefetchDelay",
           "PrefetchDelayAt"]

_ROTATE, _CONCAT = "rotation", "concat"
_LINEAR, _ROUND = "linear_interp", "round"


def delay_steps(time: Any, name: str = "delay time") -> int:
    """``time`` (ms) in whole steps of the current ``dt``, rounded up as brainstate does.

    A time that is a whole number of steps up to rounding (``2.0 / 0.1``) counts as
    exactly that number. A brainunit time Quantity is converted to ms.

    Examples
    --------
    >>> import brainx
    >>> from brainx.nn._delay import delay_steps
    >>> with brainx.environ.context(dt=0.1):
    ...     delay_steps(2.0), delay_steps(0.25), delay_steps(0.0)
    (20, 3, 0)
    """
    if time is None:
        return 0
    time = to_canonical(time, "time", name)
    if hasattr(time, "shape") and getattr(time, "ndim", 1) == 0:
        time = np.asarray(time).item()
    if isinstance(time, bool) or not isinstance(time, numbers.Real) or not time >= 0 \
            or not math.isfinite(time):
        raise ValueError(f"{name} must be a non-negative number (ms), got {time!r}")
    steps = float(time) / environ.dt_value()
    nearest = round(steps)
    if abs(steps - nearest) <= 1e-9 * max(1.0, steps):
        return int(nearest)
    return math.ceil(steps)


def _is_spec(x: Any) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype")


def _is_size(x: Any) -> bool:
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return True
    return isinstance(x, tuple) and len(x) > 0 and all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in x)


def _specs(target_info: Any, dtype: Any) -> tuple[list[tuple[tuple, Any]], Any]:
    """The leaves of ``target_info`` as ``(shape, dtype)`` pairs, and its structure."""
    if _is_size(target_info):  # brainx's form: a population size, bool values by default
        shape = (int(target_info),) if not isinstance(target_info, tuple) else tuple(
            int(s) for s in target_info)
        if any(s <= 0 for s in shape):
            raise ValueError(f"size must be positive, got {target_info!r}")
        kind = bool if dtype is None or dtype is bool else None
        return [(shape, kind)], None
    if isinstance(target_info, brainx.State):
        target_info = target_info.value
    leaves, treedef = _tree.flatten(target_info, is_leaf=_is_spec)
    if not leaves:
        raise ValueError(f"target_info describes no array: {target_info!r}")
    specs = []
    for leaf in leaves:
        if not _is_spec(leaf):
            if isinstance(leaf, (bool, numbers.Number)):
                leaf = np.asarray(leaf)
            else:
                raise TypeError(f"target_info must be a size, an array, a "
                                f"jax.ShapeDtypeStruct or a pytree of them; got a leaf "
                                f"{leaf!r}")
        kind = np.dtype(leaf.dtype)
        specs.append((tuple(int(s) for s in leaf.shape),
                      dtype if dtype is not None else None if kind.kind == "f" else kind))
    return specs, treedef


def _leaf_dtype(dtype: Any) -> Any:
    """bool and integer dtypes are kept; floats (None) become the default float dtype."""
    if dtype is None or dtype is float:
        return environ.dftype()
    if dtype is bool:
        return bool
    return dtype


class Delay(Dynamics):
    r"""Hands back what it was given some steps ago: a ring buffer of past values.

    Each ``update(x)`` (or call) pushes ``x``. The buffer holds ``max_length`` values;
    its length grows to fit the longest delay asked for (``time`` here, and the
    entries of :meth:`register_entry`). Two ways to use it:

    - brainx's: ``delay(x)`` pushes ``x`` and returns the value pushed ``time`` ms
      (``steps`` steps) before; a delay of 0 returns ``x`` itself;
    - brainstate's: push with ``delay(x)`` and read with :meth:`retrieve_at_step`,
      :meth:`retrieve_at_time` or :meth:`at`.

    The slot of the current step is ``brainx.environ.get('i')`` (the step index, as
    in brainstate) when the context defines ``i``, else the number of values pushed so
    far (kept in the ``index`` State). Delays are counted in whole steps of ``dt``:
    ``ceil(time / dt)``, with a time that is a whole number of steps up to rounding
    counting as that number.

    Parameters
    ----------
    target_info : int, tuple of int, array, jax.ShapeDtypeStruct or a pytree of them
        What is delayed: a population size (then the values are ``dtype``, bool by
        default), or an example value (its shape and dtype; floating-point values are
        kept in ``brainx.environ.dftype()``, the precision of every backend).
    time : float, optional
        The delay (ms); ``delay=`` is the same. Default 0.
    init : number, array or callable, optional
        The values before the first push (zeros by default); a callable is called
        with the buffer's shape and ``dtype=``.
    entries : dict, optional
        Named delays ``{entry: time}`` to :meth:`register_entry`.
    delay_method : {'rotation', 'concat'}
        ``'rotation'`` writes in place at the step's slot; ``'concat'`` shifts the
        whole buffer each step (index 0 is the last value pushed).
    interp_method : {'linear_interp', 'round'}
        How :meth:`retrieve_at_time` reads between steps.
    dtype : dtype, optional
        The values' dtype (brainx's form; ``float`` means the default float).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=1.0):
    ...     delay = brainx.nn.Delay(2, delay=2.0, dtype=float)
    ...     [delay(brainx.math.full(2, float(k))).tolist() for k in range(4)]
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]

    brainstate's form, as in its Brunel-Hakim example:

    >>> import numpy as np
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=1.0):
    ...     delay = brainx.nn.Delay(np.zeros(2, dtype=bool), 3.0)
    ...     for i in range(5):
    ...         with brainx.environ.context(i=i):
    ...             old = delay.retrieve_at_step(3)
    ...             _ = delay(np.array([i % 2 == 0, True]))
    ...     old.tolist()                  # pushed at step 4 - 3 = 1
    [False, True]
    """

    def __init__(self, target_info: Any = None, time: Any = None, init: Any = None,
                 entries: dict | None = None, delay_method: str = _ROTATE,
                 interp_method: str = _LINEAR, *, delay: Any = None, dtype: Any = None,
                 size: Any = None, name: str | None = None, mode: Mode | None = None):
        if target_info is None:
            target_info = size
        if target_info is None:
            raise TypeError("Delay needs target_info: the size or an example of what it "
                            "delays (an array or a jax.ShapeDtypeStruct)")
        if time is not None and delay is not None:
            raise TypeError("Delay got the delay twice (time and delay=)")
        time = delay if time is None else time
        if delay_method not in (_ROTATE, _CONCAT):
            raise ValueError(f"delay_method must be {_ROTATE!r} or {_CONCAT!r}, got "
                             f"{delay_method!r}")
        if interp_method not in (_LINEAR, _ROUND):
            raise ValueError(f"interp_method must be {_LINEAR!r} or {_ROUND!r}, got "
                             f"{interp_method!r}")
        if init is not None and not (callable(init) or isinstance(init, numbers.Number)
                                     or hasattr(init, "shape")):
            raise TypeError(f"init must be a number, an array or a callable, got {init!r}")
        specs, self._treedef = _specs(target_info, dtype)
        super().__init__(specs[0][0] if len(specs) == 1 and specs[0][0] else (1,),
                         name=name, mode=mode)
        self._specs = specs
        self.dtype = dtype if dtype is not None else specs[0][1] if len(specs) == 1 else None
        self.steps = delay_steps(time, "delay")
        self.delay = 0.0 if time is None else float(to_canonical(time, "time", "delay"))
        self.delay_method, self.interp_method = delay_method, interp_method
        self._init = init
        self._entries: dict[str, int] = {}
        self.max_length = self.steps + 1
        self.max_time = self.delay
        self.history: Any = None
        for entry, entry_time in (entries or {}).items():
            self.register_entry(entry, entry_time)
        self.init_state()

    # ---- States ---------------------------------------------------------------------

    def _initial(self, shape: tuple, dtype: Any) -> Any:
        dtype = _leaf_dtype(dtype)
        if callable(self._init):
            value = bm.asarray(self._init(shape, dtype=dtype))
            if tuple(value.shape) != shape:
                raise ValueError(f"init returned shape {tuple(value.shape)}, expected {shape}")
            return value.astype(dtype)
        if self._init is None:
            return bm.zeros(shape, dtype=dtype)
        return bm.broadcast_to(bm.asarray(self._init, dtype=dtype), shape).astype(dtype)

    def _history_value(self, batch_size: int | None) -> Any:
        batch = () if batch_size is None else (batch_size,)
        leaves = [self._initial((self.max_length,) + batch + shape, dtype)
                  for shape, dtype in self._specs]
        return leaves[0] if self._treedef is None else _tree.unflatten(self._treedef, leaves)

    @call_order(3)
    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        if batch_size is not None:
            self.state_shape(batch_size)  # checks it
        self._batch_size = batch_size
        self.history = brainx.ShortTermState(self._history_value(batch_size), name="history")
        self.index = brainx.ShortTermState(bm.zeros((), dtype=environ.ditype()), name="index")

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.init_state(batch_size)

    @property
    def buffer(self) -> Any:
        """The History State (brainx's earlier name)."""
        return self.history

    # ---- entries --------------------------------------------------------------------

    def _grow(self, steps: int, time: float) -> None:
        if steps + 1 > self.max_length:
            self.max_length, self.max_time = steps + 1, time
            if self.history is not None:  # already built: rebuild at the new length
                self.init_state(getattr(self, "_batch_size", None))

    def register_delay(self, delay_time: Any = None, delay_step: int | None = None) -> Delay:
        """Make room for a delay of ``delay_time`` ms (or ``delay_step`` steps)."""
        steps = self._entry_steps(delay_time, delay_step)
        self._grow(steps, steps * environ.dt_value())
        return self

    def _entry_steps(self, delay_time: Any, delay_step: Any) -> int:
        if delay_time is not None and delay_step is not None:
            raise ValueError("give delay_time or delay_step, not both")
        if delay_step is not None:
            if isinstance(delay_step, bool) or not isinstance(delay_step, (int, np.integer)) \
                    or delay_step < 0:
                raise ValueError(f"delay_step must be a non-negative int, got {delay_step!r}")
            return int(delay_step)
        return delay_steps(delay_time, "delay_time")

    def register_entry(self, entry: str, delay_time: Any = None,
                       delay_step: int | None = None) -> Delay:
        """Name a delay of ``delay_time`` ms (or ``delay_step`` steps), read by :meth:`at`.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'), brainx.environ.context(dt=0.5):
        ...     delay = brainx.nn.Delay(1, dtype=float).register_entry('syn', 1.5)
        ...     for k in range(5):
        ...         _ = delay(brainx.math.full(1, float(k)))
        ...     delay.at('syn').tolist(), delay.max_length
        ([1.0], 4)
        """
        if entry in self._entries:
            raise KeyError(f"the delay entry {entry!r} is registered already (with "
                           f"{self._entries[entry]} steps); use another name")
        steps = self._entry_steps(delay_time, delay_step)
        self._entries[entry] = steps
        self._grow(steps, steps * environ.dt_value())
        return self

    def access(self, entry: str, time: Any = None) -> DelayAccess:
        """A :class:`DelayAccess` reading this delay ``time`` ms in the past."""
        return DelayAccess(self, time, entry)

    def at(self, entry: str, *indices: Any) -> Any:
        """The value of the registered ``entry``'s delay (optionally indexed)."""
        if not isinstance(entry, str):
            raise TypeError(f"entry must be a str, got {entry!r}")
        if entry not in self._entries:
            raise KeyError(f"no delay entry {entry!r}; registered: {sorted(self._entries)}")
        return self.retrieve_at_step(self._entries[entry], *indices)

    # ---- reading and writing --------------------------------------------------------

    def _slot(self) -> Any:
        i = environ.get("i", default=None)
        return self.index.value if i is None else i

    def _map(self, fn: Callable, *trees: Any) -> Any:
        if self._treedef is None:
            return fn(*trees)
        return _tree.tree_map(fn, *trees)

    def retrieve_at_step(self, delay_step: Any, *indices: Any) -> Any:
        """The value pushed ``delay_step`` steps before the current step.

        With ``'rotation'`` (the default) the current step's slot is ``environ.get('i')``
        or the count of pushes; a value pushed in this step is ``delay_step = 0``.
        """
        if self.history is None:
            raise RuntimeError("the delay has no history yet: call init_state()")
        delay_step = to_canonical(delay_step, "dimensionless", "delay_step")
        if isinstance(delay_step, (int, np.integer)) and not isinstance(delay_step, bool) \
                and not 0 <= delay_step < self.max_length:
            raise ValueError(f"delay_step must lie in [0, {self.max_length - 1}] (the "
                             f"longest registered delay), got {delay_step}")
        if self.delay_method == _ROTATE:
            slot = (bm.asarray(self._slot()) - bm.asarray(delay_step)) % self.max_length
            slot = bm.asarray(slot).astype(environ.ditype())
        else:
            slot = delay_step
        return self._map(lambda h: h[(slot,) + indices], self.history.value)

    def retrieve_at_time(self, delay_time: Any, *indices: Any) -> Any:
        """The value at the past time ``delay_time`` (ms), between steps by ``interp_method``.

        Needs the current time ``brainx.environ.get('t')``.
        """
        t = environ.get("t", default=None)
        if t is None:
            raise RuntimeError("retrieve_at_time needs the current time: set it with "
                               "brainx.environ.context(t=...)")
        t = to_canonical(t, "time", "the time t")
        delay_time = to_canonical(delay_time, "time", "delay_time")
        steps = (bm.asarray(t) - bm.asarray(delay_time)) / environ.dt_value()
        if self.interp_method == _ROUND:
            return self.retrieve_at_step(bm.round(steps).astype(environ.ditype()), *indices)
        lower = bm.floor(steps)
        frac = steps - lower
        before = self.retrieve_at_step(lower.astype(environ.ditype()), *indices)
        after = self.retrieve_at_step(bm.ceil(steps).astype(environ.ditype()), *indices)
        return self._map(lambda a, b: a * (1 - frac) + b * frac, before, after)

    def update(self, x: Any) -> Any:
        """Push ``x``; return the value of ``time`` ms ago (``x`` itself for no delay)."""
        if self.history is None:
            raise RuntimeError("the delay has no history yet: call init_state()")
        history = self.history.value
        if self.delay_method == _ROTATE:
            slot = bm.asarray(self._slot() % self.max_length).astype(environ.ditype())
            new = self._map(lambda h, v: bm.index_update(h, slot, bm.asarray(v, dtype=h.dtype)),
                            history, x)
        else:
            new = self._map(lambda h, v: bm.concatenate(
                [bm.asarray(v, dtype=h.dtype)[None], h[:-1]], axis=0), history, x)
            slot = None
        self.history.value = new
        self.index.value = (self.index.value + 1).astype(self.index.value.dtype)
        if self.steps == 0:
            return x
        if slot is None:
            return self._map(lambda h: h[self.steps], new)
        back = ((slot - self.steps) % self.max_length).astype(slot.dtype)
        return self._map(lambda h: h[back], new)


class DelayAccess(Module):
    """Reads a :class:`Delay` at a fixed delay: ``access()`` is ``delay.at(entry)``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=1.0):
    ...     delay = brainx.nn.Delay(1, dtype=float)
    ...     two_ago = brainx.nn.DelayAccess(delay, 2.0, 'two')
    ...     for k in range(4):
    ...         read = two_ago()            # before this step's push
    ...         _ = delay(brainx.math.full(1, float(k)))
    >>> read.tolist()                       # pushed at step 3 - 2 = 1
    [1.0]
    """

    def __init__(self, delay: Delay, time: Any, delay_entry: str, *indices: Any):
        super().__init__()
        if not isinstance(delay, Delay):
            raise TypeError(f"delay must be a brainx.nn.Delay, got {type(delay).__name__}")
        self.refs = {"delay": delay}
        self._delay_entry = delay_entry
        delay.register_entry(delay_entry, time)
        self.indices = indices

    def update(self, *args: Any) -> Any:
        return self.refs["delay"].at(self._delay_entry, *self.indices)


class StateWithDelay(Delay):
    """The delayed history of one State of a module (pushed after each of its updates).

    Made by :class:`PrefetchDelayAt`; the module runs it as an after-update.
    """

    _not_receive_update_output = True

    def __init__(self, target: Any, item: str):
        state = getattr(target, item, None)
        if not isinstance(state, brainx.State):
            raise TypeError(f"{type(target).__name__}.{item} is not a State (got "
                            f"{type(state).__name__})")
        self._target, self._item = target, item
        super().__init__(state.value)

    @property
    def state(self) -> Any:
        """The delayed State (looked up on the module each time, so it may be re-created)."""
        return getattr(self._target, self._item)

    @call_order(3)
    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        state = getattr(getattr(self, "_target", None), getattr(self, "_item", ""), None)
        if isinstance(state, brainx.State):
            self._specs, self._treedef = _specs(state.value, None)
            self._specs = [(shape[1:] if batch_size is not None else shape, dtype)
                           for shape, dtype in self._specs]
        super().init_state(batch_size)

    def update(self, *args: Any) -> None:
        """Push the State's current value."""
        super().update(self.state.value)


class Prefetch(brainx.graph.Node):
    """A reference to the State ``module.<item>``: calling it returns the State's value.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     lif = brainx.nn.LIF(2, V_rest=-60.0)
    ...     lif.prefetch('V')().tolist()
    [-60.0, -60.0]
    """

    def __init__(self, module: Any, item: str):
        self.module, self.item = module, item

    @property
    def delay(self) -> PrefetchDelay:
        """The State's past values: ``.delay.at(time)``."""
        return PrefetchDelay(self.module, self.item)

    def get_item(self) -> Any:
        item = getattr(self.module, self.item, None)
        if item is None:
            raise AttributeError(f"{type(self.module).__name__} has no attribute {self.item!r}")
        return item

    def get_item_value(self) -> Any:
        item = self.get_item()
        return item.value if isinstance(item, brainx.State) else item

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.get_item_value()


class PrefetchDelay(brainx.graph.Node):
    """``module.prefetch(item).delay``: ask ``.at(time)`` for the value ``time`` ms ago."""

    def __init__(self, module: Any, item: str):
        self.module, self.item = module, item

    def at(self, time: Any) -> PrefetchDelayAt:
        return PrefetchDelayAt(self.module, self.item, time)


class PrefetchDelayAt(brainx.graph.Node):
    """The value of ``module.<item>`` ``time`` ms ago.

    The module gets a :class:`StateWithDelay` after-update (one per item, shared by
    every reader), which pushes the State after each of the module's steps.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=1.0):
    ...     lif = brainx.nn.LIF(1, V_rest=0.0, V_th=100.0, tau=1e9)
    ...     V_two_ago = lif.prefetch('V').delay.at(2.0)
    ...     values = []
    ...     for _ in range(4):
    ...         values.append(round(float(V_two_ago()[0]), 3))   # read, then step
    ...         _ = lif(1e9)                # each step adds 1 mV
    >>> values
    [0.0, 0.0, 1.0, 2.0]
    """

    def __init__(self, module: Dynamics, item: str, time: Any):
        if not isinstance(module, Dynamics):
            raise TypeError(f"module must be a brainx.nn.Dynamics, got {type(module).__name__}")
        self.module, self.item, self.time = module, item, time
        self.step = delay_steps(time, "time")
        key = f"{item}-delay"
        if not module._has_after_update(key):
            module._add_after_update(key, StateWithDelay(module, item))
        self.state_delay = module._get_after_update(key)
        self.state_delay.register_delay(time)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.state_delay.retrieve_at_step(self.step)
