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
- ``pre2syn`` / ``syn2post``: the gathers and sums between neuron- and synapse-sized
  vectors of BrainPy 1.x's tutorial.

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

import operator
from collections.abc import Callable
from typing import Any

import brainx
import brainx.math as _bxm
from brainx import environ
from brainx import random as random
from brainx.state import State

__all__ = ["Variable", "use_backend", "set_dt", "get_dt", "jit", "pre2syn", "syn2post",
           "random"]

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


def pre2syn(pre_values: Any, pre_ids: Any) -> Any:
    """The presynaptic value of each synapse: ``pre_values[pre_ids]``.

    Examples
    --------
    >>> import brainx, numpy as np
    >>> import brainx.compat.brainpy.math as bm
    >>> with brainx.use_backend('numba'):
    ...     bm.pre2syn(np.array([True, False, True]), np.array([0, 0, 1, 2])).tolist()
    [True, True, False, True]
    """
    return _bxm.asarray(_unwrap(pre_values))[_unwrap(pre_ids)]


def syn2post(syn_values: Any, post_ids: Any, post_num: int) -> Any:
    """The sum of the synapses' values onto each of ``post_num`` postsynaptic neurons.

    Examples
    --------
    >>> import brainx, numpy as np
    >>> import brainx.compat.brainpy.math as bm
    >>> with brainx.use_backend('numba'):
    ...     bm.syn2post(np.array([1.0, 2.0, 4.0]), np.array([1, 1, 0]), 3).tolist()
    [4.0, 3.0, 0.0]
    """
    values = _bxm.asarray(_unwrap(syn_values))
    return _bxm.index_add(_bxm.zeros(post_num, dtype=values.dtype), _unwrap(post_ids), values)


def _forward(name: str) -> Callable[..., Any]:
    function = getattr(_bxm, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        return function(*_unwrap(args), **_unwrap(kwargs))

    call.__name__ = call.__qualname__ = name
    call.__doc__ = function.__doc__
    return call


#: BrainPy 2.x's ``brainpy.math`` names not mapped yet, with brainx's alternative.
NOT_SUPPORTED = {
    "TrainVar": "brainx.ParamState", "Array": "a Variable or a brainx.math array",
    "for_loop": "brainx.compile.for_loop", "while_loop": "brainx.compile.while_loop",
    "grad": "brainx.augment.grad", "vector_grad": "brainx.augment.vector_grad",
    "vmap": "brainx.augment.vmap", "environment": "brainx.environ.context",
    "set": "brainx.environ.set", "set_platform": "brainx.environ.set(platform=...)",
    "enable_x64": "brainx.environ.set(precision=64)", "surrogate": "brainx.surrogate",
    "NonBatchingMode": "brainx.modes", "BatchingMode": "brainx.modes",
    "TrainingMode": "brainx.modes",
}


def __getattr__(name: str) -> Any:
    if name in NOT_SUPPORTED:
        raise AttributeError(f"bm.{name} (BrainPy 2.x) is not supported by "
                             f"brainx.compat.brainpy.math yet; use {NOT_SUPPORTED[name]}")
    if name in _bxm.__all__:
        value = getattr(_bxm, name)
        return _forward(name) if callable(value) and not isinstance(value, type) else value
    raise AttributeError(f"brainx.compat.brainpy.math has no {name!r}; brainx.math lists "
                         f"the array functions it maps onto")
