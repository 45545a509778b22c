"""State-aware branches: ``cond``, ``switch`` and ``ifelse``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from brainx.backend import Backend, get_backend
from brainx.compile._threading import StateCarry, check_same_structure, discover, merge

__all__ = ["cond", "switch", "ifelse"]


def _traced_branches(backend: Backend, branches: Sequence[Callable], operands: tuple,
                     select: Callable[[list[Callable], tuple], Any]) -> Any:
    outputs: list[Any] = []
    traces = []
    for branch in branches:
        trace, out = discover(backend, branch, *operands, keep_output=True)
        traces.append(trace)
        outputs.append(out)
    for i, out in enumerate(outputs[1:], start=1):
        check_same_structure(f"branch {i}", outputs[0], out)
    carried = StateCarry(merge(*traces)[1])

    def wrap(branch: Callable) -> Callable:
        def run(state_values: list, *ops: Any) -> tuple[list, Any]:
            carried.load(state_values)
            out = branch(*ops)
            return carried.current(), out
        return run

    try:
        state_values, out = select([wrap(b) for b in branches], (carried.initial, *operands))
    finally:
        carried.reset()
    carried.commit(state_values)
    return out


def _check_predicate(pred: Any) -> None:
    if getattr(pred, "shape", ()) != ():
        raise TypeError(f"cond's pred must be a scalar boolean, got shape {pred.shape}")


def cond(pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any],
         *operands: Any) -> Any:
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, carrying States.

    On compiling backends both branches are traced and must return the same
    structure; States written by either branch are carried through both.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.compile.cond(True, lambda x: x + 1, lambda x: x - 1, 10)
    11
    """
    _check_predicate(pred)
    backend = get_backend()
    if not backend.traces:
        return backend.cond(pred, true_fun, false_fun, operands)
    return _traced_branches(
        backend, [true_fun, false_fun], operands,
        lambda wrapped, ops: backend.cond(pred, wrapped[0], wrapped[1], ops))


def switch(index: Any, branches: Sequence[Callable[..., Any]], *operands: Any) -> Any:
    """Call ``branches[index](*operands)``; ``index`` is clipped into range.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.compile.switch(5, [lambda x: x, lambda x: 2 * x], 3)
    6
    """
    branches = list(branches)
    if not branches or not all(callable(b) for b in branches):
        raise TypeError(f"branches must be a non-empty sequence of callables, got {branches!r}")
    if getattr(index, "shape", ()) != ():
        raise TypeError(f"switch's index must be a scalar integer, got shape {index.shape}")
    backend = get_backend()
    if not backend.traces:
        return backend.switch(index, branches, operands)
    return _traced_branches(backend, branches, operands,
                            lambda wrapped, ops: backend.switch(index, wrapped, ops))


def ifelse(conditions: Sequence[Any], branches: Sequence[Callable[..., Any]], *operands: Any,
           check_cond: bool = True) -> Any:
    """``branches[i](*operands)`` for the first ``i`` whose ``conditions[i]`` holds.

    ``conditions`` and ``branches`` have the same length; when none holds, the last
    branch runs (write its condition as ``True`` for an ``else``). With
    ``check_cond`` exactly one condition must hold, else an error is raised (see
    :func:`jit_error_if`). States are carried as in :func:`switch`.

    Examples
    --------
    >>> import brainx
    >>> def grade(a):
    ...     return brainx.compile.ifelse([a > 10, (a > 5) & (a <= 10), a <= 5],
    ...                                  [lambda: 1, lambda: 2, lambda: 3])
    >>> with brainx.use_backend('numba'):
    ...     grade(12), grade(7), grade(0)
    (1, 2, 3)
    """
    from brainx.compile._error_if import jit_error_if

    branches = list(branches)
    if not branches or not all(callable(b) for b in branches):
        raise TypeError(f"branches must be a non-empty sequence of callables, got {branches!r}")
    if len(branches) == 1:
        return branches[0](*operands)
    conditions = list(conditions) if isinstance(conditions, (list, tuple)) else conditions
    if len(conditions) != len(branches):
        raise ValueError(f"ifelse needs one condition per branch; got {len(conditions)} "
                         f"conditions and {len(branches)} branches")
    backend = get_backend()
    bnp = backend.numpy
    conds = bnp.stack([bnp.asarray(c).astype(bool) for c in conditions])
    if conds.shape != (len(branches),):
        raise TypeError(f"each condition must be a scalar boolean; got conditions of shape "
                        f"{tuple(conds.shape[1:])}")
    if check_cond:
        jit_error_if(bnp.sum(conds.astype(int)) != 1,
                     "ifelse: exactly one condition must hold, got {conditions}",
                     conditions=conds)
    index = bnp.where(bnp.any(conds), bnp.argmax(conds), len(branches) - 1)
    return switch(index, branches, *operands)
