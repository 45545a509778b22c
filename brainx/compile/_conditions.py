"""State-aware branches: ``cond`` and ``switch``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from brainx.backend import Backend, get_backend
from brainx.compile._threading import StateCarry, check_same_structure, discover, merge

__all__ = ["cond", "switch"]


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
