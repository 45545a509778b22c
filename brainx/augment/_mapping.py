"""State-aware vectorising map: ``vmap``.

States ``fn`` only reads are shared by every element of the batch unless they
are listed in ``in_states`` (then their values carry the batch axis). States
``fn`` writes or creates come out batched: after the call they hold one value
per element, stacked along axis 0 (or the axis ``out_states`` gives). A
:class:`~brainx.random.RandomState` that is not listed in ``in_states`` is
shared: every element draws from the same key, and the key advances once.
Backends without the ``vmap`` capability run ``fn`` once per element and
stack the results, with the same outcome.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from brainx import _tree
from brainx.augment._stateful import (
    StatefulCall,
    flatten_states,
    is_array,
    join_static,
    split_static,
)
from brainx.backend import get_backend
from brainx.random import RandomState
from brainx.state import State

__all__ = ["vmap"]


def _axis_groups(spec: Any, what: str) -> list[tuple[State, int]]:
    """``[(state, axis), ...]`` from States (axis 0) or ``{axis: States, ...}``."""
    if spec is None:
        return []
    if isinstance(spec, dict) and spec and all(isinstance(k, int) and not isinstance(k, bool)
                                               for k in spec):
        groups = spec.items()
    else:
        groups = [(0, spec)]
    pairs: list[tuple[State, int]] = []
    for axis, states in groups:
        for state in flatten_states(states, what)[0]:
            pairs.append((state, axis))
    return pairs


def _leaf_axes(axes: Any, tree: Any, what: str) -> list[int | None]:
    """One axis per leaf of ``tree`` from ``axes``, an int/None or a prefix of ``tree``."""
    if axes is None or (isinstance(axes, int) and not isinstance(axes, bool)):
        return [axes] * len(_tree.leaves(tree))
    if isinstance(axes, (tuple, list)):
        if not isinstance(tree, (tuple, list)) or len(tree) != len(axes):
            raise ValueError(f"{what} {axes!r} does not match the structure of the values "
                             f"mapped over ({type(tree).__name__} of "
                             f"{len(tree) if isinstance(tree, (tuple, list)) else 1})")
        return [a for ax, t in zip(axes, tree, strict=True) for a in _leaf_axes(ax, t, what)]
    if isinstance(axes, dict):
        if not isinstance(tree, dict) or set(axes) != set(tree):
            raise ValueError(f"{what} {axes!r} does not have the keys of the values mapped over")
        return [a for k in _tree._dict_keys(tree) for a in _leaf_axes(axes[k], tree[k], what)]
    raise TypeError(f"{what} must be an int, None, or a tuple/list/dict of them, got {axes!r}")


def _jax_axes(axes: Any) -> Any:
    return tuple(axes) if isinstance(axes, list) else axes


class _Mapped:
    def __init__(self, fn: Callable[..., Any], in_axes: Any, out_axes: Any,
                 axis_size: int | None, in_states: Any, out_states: Any):
        if not callable(fn):
            raise TypeError(f"vmap needs a callable, got {fn!r}")
        if axis_size is not None and (isinstance(axis_size, bool) or
                                      not isinstance(axis_size, int) or axis_size < 1):
            raise ValueError(f"axis_size must be a positive int or None, got {axis_size!r}")
        self.fn, self.in_axes, self.out_axes, self.axis_size = fn, in_axes, out_axes, axis_size
        self.in_states = _axis_groups(in_states, "in_states")
        self.out_state_axes = {id(s): a for s, a in _axis_groups(out_states, "out_states")}
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        backend = get_backend()
        states = [s for s, _ in self.in_states]
        call = StatefulCall(self.fn, states)
        in_axes = self.in_axes
        if isinstance(in_axes, (list, tuple)) and len(in_axes) != len(args):
            raise ValueError(f"vmap: in_axes has {len(in_axes)} entries but the function was "
                             f"called with {len(args)} positional argument(s)")
        splits: list = []

        def pure(state_values: list, args_: tuple, kwargs_: dict) -> tuple:
            out, written, created = call(state_values, args_, kwargs_)
            arrays, split = split_static(out)
            splits.append(split)
            return arrays, written, created

        mapped = backend.vmap(
            pure, in_axes=([a for _, a in self.in_states], _jax_axes(in_axes), 0),
            out_axes=(_jax_axes(self.out_axes), 0, 0),
            axis_size=self.axis_size)
        try:
            if mapped is not None:
                out, written, created = mapped(call.originals, args, kwargs)
            else:
                out, written, created = self._loop(call, pure, args, kwargs)
        finally:
            call.reset()
        if mapped is not None:  # jax put every written State's batch at 0: move it
            written = [_move_batch(backend.numpy, v, self.out_state_axes.get(id(s), 0))
                       for s, v in zip(call.written, written, strict=True)]
        written = [self._shared(s, v) for s, v in zip(call.written, written, strict=True)]
        call.finish(written, created, checked=False)
        return join_static(out, splits[-1])

    def _shared(self, state: State, value: Any) -> Any:
        """A shared RandomState's key: every element advanced it the same way, keep one."""
        if isinstance(state, RandomState) and id(state) not in {id(s) for s, _ in
                                                                self.in_states}:
            axis = self.out_state_axes.get(id(state), 0)
            return get_backend().numpy.take(value, 0, axis=axis)
        return value

    def _loop(self, call: StatefulCall, pure: Callable, args: tuple, kwargs: dict) -> tuple:
        """vmap as a loop over the mapped axis (backends without the capability)."""
        bnp = get_backend().numpy
        arg_axes = list(self.in_axes) if isinstance(self.in_axes, (tuple, list)) else \
            [self.in_axes] * len(args)
        inputs = [list(call.originals), list(args), dict(kwargs)]
        leaf_axes = _leaf_axes([[a for _, a in self.in_states], arg_axes, {k: 0 for k in kwargs}],
                               inputs, "in_axes")
        leaves, treedef = _tree.flatten(inputs)
        sizes = {int(np.shape(x)[a]) for x, a in zip(leaves, leaf_axes, strict=True)
                 if a is not None}
        if self.axis_size is not None:
            sizes.add(self.axis_size)
        if len(sizes) != 1:
            raise ValueError("vmap needs the mapped axes to have one size; got "
                             f"{sorted(sizes) if sizes else 'no mapped argument'} (give "
                             f"axis_size= when nothing is mapped)")
        n = sizes.pop()
        results = []
        written_objects: list[State] | None = None
        for i in range(n):
            sliced = [x if a is None else bnp.take(x, i, axis=a)
                      for x, a in zip(leaves, leaf_axes, strict=True)]
            state_values, args_i, kwargs_i = _tree.unflatten(treedef, sliced)
            results.append(pure(state_values, tuple(args_i), kwargs_i))
            if written_objects is None:
                written_objects = list(call.written)
            elif [id(s) for s in call.written] != [id(s) for s in written_objects]:
                raise ValueError("vmap: the function wrote different States for different "
                                 "elements of the batch; it must write the same States")
        call.written = written_objects or []
        outs, writtens, createds = zip(*results, strict=True)
        out_axes = _leaf_axes(self.out_axes, outs[0], "out_axes")
        out = _stack(bnp, outs, out_axes, "output")
        w_axes = [self.out_state_axes.get(id(s), 0) for s in call.written]
        written = [_stack(bnp, [w[j] for w in writtens],
                          [w_axes[j]] * len(_tree.leaves(writtens[0][j])), "written State")
                   for j in range(len(call.written))]
        if len({len(c) for c in createds}) != 1:
            raise ValueError("vmap: the function created a different number of States for "
                             "different elements of the batch")
        created = [_stack(bnp, [c[j] for c in createds], [0] * len(_tree.leaves(createds[0][j])),
                          "created State") for j in range(len(createds[0]))]
        return out, written, created


def _move_batch(bnp: Any, value: Any, axis: int) -> Any:
    if axis == 0:
        return value
    return _tree.tree_map(lambda x: bnp.moveaxis(x, 0, axis), value)


def _stack(bnp: Any, values: Any, axes: list[int | None], what: str) -> Any:
    """Stack the per-element pytrees ``values`` leaf by leaf along ``axes``."""
    flat = [_tree.flatten(v) for v in values]
    treedef = flat[0][1]
    stacked = []
    for j, axis in enumerate(axes):
        column = [f[0][j] for f in flat]
        if not is_array(column[0]):
            stacked.append(column[-1])
        elif axis is None:
            first = np.asarray(column[0])
            if any(not np.array_equal(first, np.asarray(c)) for c in column[1:]):
                raise ValueError(f"vmap: a {what} with out_axes None differs between elements "
                                 f"of the batch")
            stacked.append(column[0])
        else:
            stacked.append(bnp.stack([bnp.asarray(c) for c in column], axis=axis))
    return _tree.unflatten(treedef, stacked)


def vmap(fn: Callable[..., Any] | None = None, *, in_axes: Any = 0, out_axes: Any = 0,
         axis_size: int | None = None, in_states: Any = None,
         out_states: Any = None) -> Any:
    """Vectorise a stateful function over an axis of its arguments.

    Parameters
    ----------
    fn : callable
        The function (usable as ``@vmap`` or ``@vmap(in_axes=...)``).
    in_axes, out_axes : int, None, or a tuple/list/dict of them
        The mapped axis of each positional argument and of each output, as in
        ``jax.vmap`` (keyword arguments are mapped along axis 0).
    axis_size : int, optional
        The batch size, needed when no argument is mapped.
    in_states : States, or ``{axis: States}``, optional
        States whose values carry the batch axis on entry (each element sees its
        slice). Every other State that is only read is shared by the batch.
    out_states : States, or ``{axis: States}``, optional
        The axis at which written States hold the batch afterwards (default 0).

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> for name in ('jax', 'numba'):
    ...     with brainx.use_backend(name):
    ...         total = brainx.State(bm.zeros(3))
    ...         def step(x):
    ...             total.value = total.value + x * 2.
    ...             return bm.sum(total.value)
    ...         out = brainx.augment.vmap(step)(bm.asarray([[1., 2., 3.], [4., 5., 6.]]))
    ...         print(name, out.tolist(), total.value.shape)
    jax [12.0, 30.0] (2, 3)
    numba [12.0, 30.0] (2, 3)
    """
    def make(f: Callable[..., Any]) -> _Mapped:
        return _Mapped(f, in_axes, out_axes, axis_size, in_states, out_states)

    return make if fn is None else make(fn)
