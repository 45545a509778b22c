"""Shape evaluation, rematerialisation and random-key restoration for stateful functions."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from brainx import _tree
from brainx.augment._stateful import StatefulCall, flatten_states, join_static, split_static
from brainx.backend import get_backend

__all__ = ["eval_shape", "abstract_init", "remat", "restore_rngs", "ShapeDtypeStruct"]


@dataclass(frozen=True)
class ShapeDtypeStruct:
    """The shape and dtype of an array, without its values (on backends that do not trace).

    Examples
    --------
    >>> import numpy as np
    >>> ShapeDtypeStruct((2, 3), np.dtype('float32'))
    ShapeDtypeStruct(shape=(2, 3), dtype=dtype('float32'))
    """

    shape: tuple[int, ...]
    dtype: Any

    @property
    def ndim(self) -> int:
        return len(self.shape)


def _abstract(x: Any) -> Any:
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape is None or dtype is None:
        return x
    return ShapeDtypeStruct(tuple(shape), dtype)


def _run_abstractly(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, Any]:
    backend = get_backend()
    call = StatefulCall(fn, [])
    splits: list = []

    def pure(args_: tuple, kwargs_: dict) -> tuple:
        out, _, created = call([], args_, kwargs_)
        arrays, split = split_static(out)
        splits.append(split)
        return arrays, created

    try:
        if backend.traces:
            out, created = backend.eval_shape(pure, args, kwargs)
        else:
            out, created = pure(args, kwargs)
            out, created = _tree.tree_map(_abstract, out), _tree.tree_map(_abstract, created)
    finally:
        call.reset()
    return join_static(out, splits[-1]), (call, created)


def eval_shape(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The shapes and dtypes of ``fn(*args, **kwargs)``'s output, computing nothing.

    States ``fn`` writes keep their values; States it creates hold the shapes and
    dtypes of their values (see :func:`abstract_init`). On backends that do not
    trace, ``fn`` runs once and its writes are undone.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> with brainx.use_backend('jax'):
    ...     out = brainx.augment.eval_shape(lambda x: bm.outer(x, x), bm.ones(3))
    >>> out.shape
    (3, 3)
    """
    out, (call, created) = _run_abstractly(fn, args, kwargs)
    call.written = []  # nothing was computed: the writes are undone
    call.finish([], created)
    return out


def abstract_init(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Build a model abstractly: ``fn(*args, **kwargs)`` with every new State holding only
    the shape and dtype of its value (nothing is computed or allocated).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     lif = brainx.augment.abstract_init(lambda: brainx.nn.LIF(1000))
    >>> lif.V.value.shape
    (1000,)
    """
    return eval_shape(fn, *args, **kwargs)


def remat(fn: Callable[..., Any] | None = None, *, prevent_cse: bool = True,
          policy: Callable[..., bool] | None = None,
          static_argnums: int | Sequence[int] = ()) -> Any:
    """Checkpoint ``fn``: its intermediate values are recomputed in the backward pass
    instead of stored (less memory for long loops). The results are unchanged.

    On backends without autodiff, ``fn`` runs as it is.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> with brainx.use_backend('jax'):
    ...     f = brainx.augment.remat(lambda x: bm.sin(x) * x)
    ...     g = brainx.augment.grad(f)(bm.asarray(1.0))
    >>> round(float(g), 6)     # cos(1) + sin(1)
    1.381773
    """
    statics = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    def make(f: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(f):
            raise TypeError(f"remat needs a callable, got {f!r}")

        @functools.wraps(f)
        def checkpointed(*args: Any, **kwargs: Any) -> Any:
            backend = get_backend()
            if "grad" not in backend.capabilities:
                return f(*args, **kwargs)
            ad = backend.autodiff()
            call = StatefulCall(f, [])
            dynamic = [i for i in range(len(args)) if i not in statics]

            def pure(dyn_args: list) -> tuple:
                full = list(args)
                for i, value in zip(dynamic, dyn_args, strict=True):
                    full[i] = value
                out, written, created = call([], tuple(full), kwargs)
                return out, written, created

            try:
                out, written, created = ad.checkpoint(pure, prevent_cse=prevent_cse,
                                                      policy=policy)([args[i] for i in dynamic])
            finally:
                call.reset()
            call.finish(written, created)
            return out

        return checkpointed

    return make if fn is None else make(fn)


def restore_rngs(fn: Callable[..., Any] | None = None, *, rngs: Any = None) -> Any:
    """Run ``fn``, then give the random generators ``rngs`` (default: brainx.random.DEFAULT)
    back the keys they had before, so a call leaves the random stream where it was.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.random.seed(0)
    ...     draw = brainx.augment.restore_rngs(lambda: float(brainx.random.rand()))
    ...     draw() == draw()
    True
    """
    def make(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def restoring(*args: Any, **kwargs: Any) -> Any:
            from brainx.random import DEFAULT

            states = flatten_states(DEFAULT if rngs is None else rngs, "rngs")[0]
            saved = [s.value for s in states]
            try:
                return f(*args, **kwargs)
            finally:
                for state, key in zip(states, saved, strict=True):
                    state.value = key

        return restoring

    return make if fn is None else make(fn)
