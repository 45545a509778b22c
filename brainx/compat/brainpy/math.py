"""``brainpy.math`` on brainx: ``import brainx.compat.brainpy.math as bm``.

Array functions are ``brainx.math``'s (on the active backend), called with any
:class:`Variable` among the arguments replaced by its value. BrainPy's own names map
as follows:

- ``Variable``: a ``brainx.State`` that can also be changed in place, as BrainPy's
  (``v[i] = x``, ``v[:] += y``, ``v.value = z``); see :class:`Variable`;
- ``use_backend('numpy')`` selects brainx's numba backend at float64 (NumPy's
  precision, which BrainPy 1.x computed in); ``use_backend('jax')`` the jax backend;
- ``set_dt`` / ``get_dt``: ``brainx.environ``'s ``dt``;
- ``jit(obj)``: ``brainx.compile.jit`` for a function; a model's ``run`` compiles
  wherever the backend does anyway; ``random``: ``brainx.random``;
- ``pre2syn`` / ``syn2post`` (and every other array function): ``brainx.math``'s, as
  BrainPy 1.x's tutorial uses them (``bm.syn2post(values, post_ids, post_num)``).

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy.math as bm
>>> with brainx.use_backend('numba'):
...     v = bm.Variable(bm.zeros(3))
...     v[1] = 2.0
...     v[:] += 1.0
...     v.value.tolist()
[1.0, 3.0, 1.0]
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Callable, Iterator
from typing import Any

import brainx
import brainx.compile as bc
import brainx.math as _bxm
from brainx import environ
from brainx import modes as _modes
from brainx import random as random
from brainx import surrogate as surrogate
from brainx.state import ParamState, State, inside_transform

__all__ = ["Variable", "TrainVar", "Array", "use_backend", "set_dt", "get_dt", "jit",
           "pre2syn", "syn2post", "random", "surrogate", "Mode", "NonBatchingMode",
           "BatchingMode", "TrainingMode", "nonbatching_mode", "batching_mode", "training_mode",
           "environment", "batching_environment", "training_environment",
           "nonbatching_environment", "set", "get_mode", "set_mode", "set_platform", "enable_x64",
           "disable_x64", "for_loop", "while_loop", "cond", "ifelse", "grad", "vector_grad",
           "vmap", "as_jax"]

_BACKENDS = {"numpy": "numba", "numba": "numba", "jax": "jax"}


def _unwrap(x: Any) -> Any:
    t = type(x)
    if isinstance(x, State):
        return x.value
    if t is tuple or t is list:
        return t(_unwrap(v) for v in x)
    if t is dict:
        return {k: _unwrap(v) for k, v in x.items()}
    return x


class Variable(State):
    """BrainPy's ``Variable``: a State whose value can be changed in place.

    ``v[i] = x`` writes into the array where the backend's arrays are mutable (NumPy)
    and otherwise replaces the value with the updated copy (jax); either way the State
    sees the write. Arithmetic, comparisons, indexing, ``len`` and iteration act on the
    value, so a Variable can stand where an array is expected.

    Examples
    --------
    >>> import brainx
    >>> import brainx.compat.brainpy.math as bm
    >>> with brainx.use_backend('numba'):
    ...     spike = bm.Variable(bm.zeros(4, dtype=bool))
    ...     spike[2] = True
    ...     [i for i, s in enumerate(spike) if s], (spike * 1).tolist()
    ([2], [0, 0, 1, 0])
    """

    def __init__(self, value: Any, dtype: Any = None, batch_axis: int | None = None,
                 name: str | None = None):
        value = _unwrap(value)
        value = _bxm.asarray(value, dtype=dtype) if dtype is not None else _bxm.asarray(value)
        super().__init__(value, name=name)
        self.batch_axis = batch_axis

    # ---- in place ---------------------------------------------------------
    def __setitem__(self, index: Any, value: Any) -> None:
        index, value = _unwrap(index), _unwrap(value)
        current = self.value
        try:
            current[index] = value  # NumPy arrays and the numba compiler's stand-ins
        except TypeError:  # immutable arrays (jax): the updated copy, in the array's dtype
            current = _bxm.index_update(current, index, _bxm.asarray(value, dtype=current.dtype))
        self.value = current

    def update(self, value: Any) -> None:
        """Replace the value (BrainPy 2's ``Variable.update``)."""
        self.value = _unwrap(value)

    @property
    def value(self) -> Any:
        return State.value.fget(self)

    @value.setter
    def value(self, new: Any) -> None:  # BrainPy unwraps a Variable given as the value
        State.value.fset(self, _unwrap(new))

    def _check(self, new: Any) -> Any:
        # BrainPy: a Variable with a batch axis may change its batch size (on reset)
        axis = self.batch_axis
        old = self._value
        if axis is not None and getattr(new, "ndim", None) == getattr(old, "ndim", None) \
                and new.shape[:axis] + new.shape[axis + 1:] == \
                old.shape[:axis] + old.shape[axis + 1:] and new.shape != old.shape:
            return new
        return super()._check(new)

    # ---- the value's interface -------------------------------------------
    def __getitem__(self, index: Any) -> Any:
        return self.value[_unwrap(index)]

    def __len__(self) -> int:
        return len(self.value)

    def __iter__(self) -> Any:
        return iter(self.value)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        return np.asarray(_bxm.as_numpy(self.value), dtype=dtype)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:
        return operator.index(self.value)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    @property
    def dtype(self) -> Any:
        return self.value.dtype

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def size(self) -> int:
        return int(self.value.size)

    def numpy(self) -> Any:
        return _bxm.as_numpy(self.value)

    def __getattr__(self, name: str) -> Any:  # methods of the value: .sum(), .astype(), ...
        if name.startswith("__") or name in ("_value", "_name", "_order", "batch_axis"):
            raise AttributeError(name)
        return getattr(self.value, name)


def _binary(op: Callable[[Any, Any], Any], reflected: bool = False) -> Callable:
    if reflected:
        return lambda self, other: op(_unwrap(other), self.value)
    return lambda self, other: op(self.value, _unwrap(other))


def _inplace(op: Callable[[Any, Any], Any]) -> Callable:
    def apply(self: Variable, other: Any) -> Variable:
        self.value = op(self.value, _unwrap(other))
        return self
    return apply


for _name, _op in {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
                   "truediv": operator.truediv, "floordiv": operator.floordiv,
                   "mod": operator.mod, "pow": operator.pow, "matmul": operator.matmul,
                   "and": operator.and_, "or": operator.or_, "xor": operator.xor,
                   "lshift": operator.lshift, "rshift": operator.rshift}.items():
    setattr(Variable, f"__{_name}__", _binary(_op))
    setattr(Variable, f"__r{_name}__", _binary(_op, reflected=True))
    setattr(Variable, f"__i{_name}__", _inplace(_op))
for _name, _op in {"lt": operator.lt, "le": operator.le, "gt": operator.gt,
                   "ge": operator.ge}.items():
    setattr(Variable, f"__{_name}__", _binary(_op))
for _name, _op in {"neg": operator.neg, "pos": operator.pos, "abs": operator.abs,
                   "invert": operator.invert}.items():
    setattr(Variable, f"__{_name}__", (lambda op: lambda self: op(self.value))(_op))
del _name, _op


def use_backend(name: str) -> None:
    """BrainPy's backend switch: ``'numpy'`` is brainx's numba backend at float64.

    Examples
    --------
    >>> import brainx
    >>> import brainx.compat.brainpy.math as bm
    >>> bm.use_backend('numpy')
    >>> brainx.get_backend().name, brainx.environ.get('precision')
    ('numba', 64)
    >>> _ = brainx.set_backend(None); brainx.environ.set(precision=32)
    """
    if name not in _BACKENDS:
        raise ValueError(f"backend must be one of {sorted(_BACKENDS)}, got {name!r}")
    brainx.set_backend(_BACKENDS[name])
    if name == "numpy":
        environ.set(precision=64)


def set_dt(dt: float) -> None:
    """The integration step in ms (``brainx.environ.set(dt=...)``).

    Examples
    --------
    >>> import brainx.compat.brainpy.math as bm
    >>> bm.set_dt(0.05); bm.get_dt()
    0.05
    >>> bm.set_dt(0.1)
    """
    environ.set(dt=dt)


def get_dt() -> float:
    """The integration step in ms (see :func:`set_dt`)."""
    return environ.dt_value()


def jit(obj: Any = None, **options: Any) -> Any:
    """BrainPy's ``jit``: a function becomes ``brainx.compile.jit(f)``; a model is returned
    as it is, since its ``run`` compiles wherever the backend does (``jit=False`` or
    ``BRAINX_JIT=0`` turns that off). Usable as a decorator."""
    if obj is None:
        return lambda f: jit(f, **options)
    if callable(obj) and not hasattr(obj, "run"):
        return brainx.compile.jit(obj)
    return obj


#: The functions whose results BrainPy programs write into (``x = bm.zeros(n); x[:5] = 1``).
_CREATION = frozenset({"zeros", "ones", "empty", "full", "zeros_like", "ones_like",
                       "empty_like", "full_like", "arange", "linspace", "array", "asarray"})


#: Conversions of data, which compiled steps index by the step (``rates[i]``).
_CONVERSIONS = frozenset({"array", "asarray"})


def _mutable(name: str, value: Any) -> Any:
    """``value`` as BrainPy's ``bm.Array`` when built outside compiled code, where the
    backend's arrays are immutable (jax: so that it can be written into) or when it is
    converted data (a State, so that compiled steps can index it by a traced step);
    else as it is."""
    import numpy as np

    if inside_transform():
        return value
    if isinstance(value, np.ndarray):
        return Array(value) if name in _CONVERSIONS else value
    backend = brainx.get_backend()
    if backend.is_tracer(value) or not backend.is_native(value):
        return value
    return Array(value)


def _forward(name: str) -> Callable[..., Any]:
    function = getattr(_bxm, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        out = function(*_unwrap(args), **_unwrap(kwargs))
        return _mutable(name, out) if name in _CREATION else out

    call.__name__ = call.__qualname__ = name
    call.__doc__ = function.__doc__
    return call


pre2syn = _forward("pre2syn")
syn2post = _forward("syn2post")


class TrainVar(Variable, ParamState):
    """BrainPy's trainable Variable: a :class:`Variable` that is a ``brainx.ParamState``,
    so ``bm.grad``, ``brainx.augment`` and ``brainx.optim`` take it as a parameter."""


class Array(Variable):
    """BrainPy 2's ``bm.Array``: an array with in-place methods (a :class:`Variable`)."""


# ---- BrainPy 2: modes, environment, transformations --------------------------------
Mode = _modes.Mode
NonBatchingMode = _modes.NonBatching
BatchingMode = _modes.Batching
TrainingMode = _modes.Training
nonbatching_mode = NonBatchingMode()
batching_mode = BatchingMode()
training_mode = TrainingMode()


def _settings(mode: Any, dt: Any, x64: Any, extra: dict[str, Any]) -> dict[str, Any]:
    unsupported = sorted(k for k, v in extra.items() if v is not None)
    if unsupported:
        raise NotImplementedError(f"bm.environment/bm.set options {unsupported} are not "
                                  f"supported; brainx.environ takes mode, dt and precision")
    values: dict[str, Any] = {}
    if mode is not None:
        values["mode"] = mode
    if dt is not None:
        values["dt"] = dt
    if x64 is not None:
        values["precision"] = 64 if x64 else 32
    return values


@contextlib.contextmanager
def environment(mode: Any = None, dt: float | None = None, x64: bool | None = None,
                **options: Any) -> Iterator[None]:
    """BrainPy's ``with bm.environment(mode=..., dt=..., x64=...)``: ``brainx.environ.context``.

    Examples
    --------
    >>> import brainx.compat.brainpy.math as bm
    >>> with bm.environment(mode=bm.training_mode, dt=0.05):
    ...     bm.get_dt(), bm.get_mode()
    (0.05, Training(batch_size=1))
    """
    with environ.context(**_settings(mode, dt, x64, options)):
        yield


def batching_environment(dt: float | None = None, x64: bool | None = None,
                         **options: Any) -> Any:
    """``bm.environment(mode=bm.BatchingMode(), ...)``."""
    return environment(mode=BatchingMode(), dt=dt, x64=x64, **options)


def training_environment(dt: float | None = None, x64: bool | None = None,
                         **options: Any) -> Any:
    """``bm.environment(mode=bm.TrainingMode(), ...)``."""
    return environment(mode=TrainingMode(), dt=dt, x64=x64, **options)


def nonbatching_environment(dt: float | None = None, x64: bool | None = None,
                            **options: Any) -> Any:
    """``bm.environment(mode=bm.NonBatchingMode(), ...)``."""
    return environment(mode=NonBatchingMode(), dt=dt, x64=x64, **options)


def set(mode: Any = None, dt: float | None = None, x64: bool | None = None,  # noqa: A001
        **options: Any) -> None:
    """BrainPy's ``bm.set(mode=..., dt=..., x64=...)``: ``brainx.environ.set``."""
    environ.set(**_settings(mode, dt, x64, options))


def get_mode() -> Any:
    """The current computing mode (``brainx.environ.get_mode()``)."""
    return environ.get_mode()


def set_mode(mode: Any) -> None:
    """Set the computing mode globally."""
    environ.set(mode=mode)


def set_platform(platform: str) -> None:
    """``'cpu'``, ``'gpu'`` or ``'tpu'`` (``brainx.environ.set_platform``)."""
    environ.set_platform(platform)


def enable_x64() -> None:
    """Compute in float64 (``brainx.environ.set(precision=64)``)."""
    environ.set(precision=64)


def disable_x64() -> None:
    """Compute in float32 (``brainx.environ.set(precision=32)``)."""
    environ.set(precision=32)


def _in_step_frame(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f`` run inside a per-step environ frame, so ``bp.share.save`` in it stays local."""
    @functools.wraps(f)
    def body(*args: Any) -> Any:
        environ.push_frame({})
        try:
            return _unwrap(f(*args))  # a Variable returned is its value
        finally:
            environ.pop_frame()
    return body


def for_loop(body_fun: Callable[..., Any], operands: Any, reverse: bool = False,
             unroll: int = 1, jit: bool | None = None, progress_bar: bool = False,
             **options: Any) -> Any:
    """BrainPy's ``for_loop``: ``brainx.compile.for_loop`` over ``operands``' leading axis.

    ``operands`` is one array (``body_fun(x)``) or a tuple/list of them
    (``body_fun(*xs)``); the results are stacked. ``bp.share.save`` inside the body
    holds for that step.

    Examples
    --------
    >>> import brainx
    >>> import brainx.compat.brainpy.math as bm
    >>> with brainx.use_backend('numba'):
    ...     total = bm.Variable(bm.zeros(1))
    ...     def step(x):
    ...         total.value = total.value + x
    ...         return total.value[0]
    ...     bm.for_loop(step, bm.arange(4.0)).tolist()
    [0.0, 1.0, 3.0, 6.0]
    """
    unknown = sorted(k for k, v in options.items() if v not in (None, False))
    if unknown:
        raise NotImplementedError(f"bm.for_loop options {unknown} are not supported; "
                                  f"brainx.compile.for_loop takes reverse, unroll and "
                                  f"progress_bar")
    xs = tuple(_unwrap(operands)) if isinstance(operands, (tuple, list)) else \
        (_unwrap(operands),)
    body = _in_step_frame(body_fun)
    if jit is False:
        with environ.context(jit=False):
            return bc.for_loop(body, *xs, reverse=reverse, unroll=unroll,
                               progress_bar=progress_bar)
    return bc.for_loop(body, *xs, reverse=reverse, unroll=unroll, progress_bar=progress_bar)


def while_loop(body_fun: Callable[..., Any], cond_fun: Callable[..., Any],
               operands: Any) -> Any:
    """BrainPy's ``while_loop(body_fun, cond_fun, operands)``: the functions take the
    operands unpacked (``cond_fun(*ops)``) when ``operands`` is a tuple or list."""
    if isinstance(operands, (tuple, list)):
        return bc.while_loop(lambda ops: cond_fun(*ops), lambda ops: tuple(body_fun(*ops)),
                             tuple(_unwrap(operands)))
    return bc.while_loop(cond_fun, body_fun, _unwrap(operands))


def cond(pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any],
         operands: Any = ()) -> Any:
    """BrainPy's ``cond(pred, true_fun, false_fun, operands)``: ``brainx.compile.cond``."""
    ops = tuple(operands) if isinstance(operands, (tuple, list)) else (operands,)
    return bc.cond(_unwrap(pred), true_fun, false_fun, *_unwrap(ops))


def ifelse(conditions: Any, branches: Any, operands: Any = ()) -> Any:
    """BrainPy's ``ifelse``: ``brainx.compile.ifelse``."""
    ops = tuple(operands) if isinstance(operands, (tuple, list)) else (operands,)
    return bc.ifelse(conditions, branches, *_unwrap(ops))


def grad(func: Callable[..., Any] | None = None, grad_vars: Any = None,
         argnums: Any = None, has_aux: bool | None = None, return_value: bool = False,
         **options: Any) -> Any:
    """BrainPy's ``grad``: ``brainx.augment.grad`` with ``grad_vars`` as its ``grad_states``."""
    options.pop("dyn_vars", None)  # BrainPy 2.3's variable lists: brainx finds the States
    options.pop("child_objs", None)
    if options:
        raise NotImplementedError(f"bm.grad options {sorted(options)} are not supported")
    return brainx.augment.grad(func, grad_states=grad_vars, argnums=argnums, has_aux=has_aux,
                               return_value=return_value)


def vector_grad(func: Callable[..., Any] | None = None, grad_vars: Any = None,
                argnums: Any = None, has_aux: bool | None = None, return_value: bool = False,
                **options: Any) -> Any:
    """BrainPy's ``vector_grad``: ``brainx.augment.vector_grad``."""
    options.pop("dyn_vars", None)
    if options:
        raise NotImplementedError(f"bm.vector_grad options {sorted(options)} are not supported")
    return brainx.augment.vector_grad(func, grad_states=grad_vars, argnums=argnums,
                                      has_aux=has_aux, return_value=return_value)


def vmap(func: Callable[..., Any] | None = None, in_axes: Any = 0, out_axes: Any = 0,
         **options: Any) -> Any:
    """BrainPy's ``vmap``: ``brainx.augment.vmap``."""
    options.pop("dyn_vars", None)
    if options:
        raise NotImplementedError(f"bm.vmap options {sorted(options)} are not supported")
    return brainx.augment.vmap(func, in_axes=in_axes, out_axes=out_axes)


def as_jax(x: Any) -> Any:
    """The value as an array of the active backend (BrainPy's ``as_jax``)."""
    return _bxm.asarray(_unwrap(x))


#: BrainPy 2.x's ``brainpy.math`` names not mapped, with brainx's alternative.
NOT_SUPPORTED = {
    "sparse": "brainx.event (CSRLinear, FixedProb)", "event": "brainx.event",
    "jitconn": "brainx.event.FixedProb", "sharding": "brainx on one device",
    "set_host_device_count": "brainx.environ.set(host_device_count=...)",
    "pmap": "brainx.augment.vmap on one device", "XLACustomOp": "a brainx backend kernel",
}


def __getattr__(name: str) -> Any:
    if name == "dt":
        return environ.dt_value()
    if name in NOT_SUPPORTED:
        raise AttributeError(f"bm.{name} (BrainPy 2.x) is not supported by "
                             f"brainx.compat.brainpy.math; use {NOT_SUPPORTED[name]}")
    if name in _bxm.__all__:
        value = getattr(_bxm, name)
        return _forward(name) if callable(value) and not isinstance(value, type) else value
    raise AttributeError(f"brainx.compat.brainpy.math has no {name!r}; brainx.math lists "
                         f"the array functions it maps onto")
