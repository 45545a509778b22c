"""State-aware loops: ``scan``, ``for_loop`` and ``while_loop``."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from brainx import _tree
from brainx._errors import LoopStructureError
from brainx._units import is_quantity
from brainx.backend import get_backend
from brainx.compile._progress import ProgressBar, as_progress_bar
from brainx.compile._threading import StateCarry, check_same_structure, discover, merge
from brainx.state import StateTrace

__all__ = ["scan", "for_loop", "while_loop"]


def _loop_length(flat_xs: list, length: int | None) -> int:
    lengths = {int(x.shape[0]) for x in flat_xs if getattr(x, "ndim", 0) > 0}
    if any(getattr(x, "ndim", 0) == 0 for x in flat_xs):
        raise ValueError("every array looped over must have a leading axis; got a scalar")
    if len(lengths) > 1:
        raise ValueError(f"the arrays looped over have different leading lengths {sorted(lengths)}")
    if length is not None:
        if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
            raise ValueError(f"length must be a non-negative int, got {length!r}")
        if lengths and lengths != {int(length)}:
            raise ValueError(f"length={length} does not match the leading axis "
                             f"{lengths.pop()} of the arrays looped over")
        n = int(length)
    elif lengths:
        n = lengths.pop()
    else:
        raise ValueError("give length= when there is nothing to loop over")
    if n == 0:
        raise ValueError("a loop needs at least one step (length is 0)")
    return n


def _warn_bar_not_drawn() -> None:
    warnings.warn("a for_loop / scan progress bar inside compile.jit is not drawn on this "
                  "backend: the compiled program cannot call back into Python. Call the loop "
                  "outside compile.jit (it then runs natively in chunks, the bar moving "
                  "between them) or use Runner(progress_bar=True)", UserWarning, stacklevel=2)


def step_function(backend: Any, f: Callable, xs_def: _tree.TreeDef, bar: ProgressBar | None,
                  period: int, out_def: list, indexed: bool,
                  total: int = 0) -> Callable[[Any, list], tuple]:
    """One step of a scan over flat slices: calls ``f``, checks the carry and the output
    structure (recorded in ``out_def``), updates the progress bar. With ``indexed`` the
    last slice is the step index."""
    def user_step(carry: Any, x_flat: list) -> tuple[Any, list]:
        if indexed:
            step, x_flat = x_flat[-1], x_flat[:-1]
        new_carry, y = f(carry, _tree.unflatten(xs_def, x_flat))
        if new_carry is not carry:
            check_same_structure("the scan body's carry", carry, new_carry)
        y_leaves, y_def = _tree.flatten(y)
        if not out_def:
            out_def.append(y_def)
        elif y_def != out_def[0]:
            raise LoopStructureError(f"the loop body returned {y_def} at one step and "
                                     f"{out_def[0]} at another; it must return the same structure")
        if bar is not None and not backend.traces and backend.is_tracer(step):
            _warn_bar_not_drawn()
        elif bar is not None:
            due = ((step + 1) % period == 0) | (step + 1 == total)
            backend.cond(due, lambda s: backend.host_callback(bar.update, s), lambda s: None,
                         (step,))
        return new_carry, y_leaves

    return user_step


def scan(f: Callable[[Any, Any], tuple[Any, Any]], init: Any, xs: Any = None,
         length: int | None = None, reverse: bool = False, unroll: int = 1,
         pbar: ProgressBar | int | None = None,
         progress_bar: bool | ProgressBar = False) -> tuple[Any, Any]:
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``; stack the ``y``.

    States read and written by ``f`` are carried through the loop on every
    backend; States created inside ``f`` stay local to one step.

    Parameters
    ----------
    f : callable
        ``f(carry, x) -> (carry, y)``; the carry keeps its structure, shapes and dtypes.
    init : pytree
        The initial carry.
    xs : pytree of arrays, optional
        Sliced along the leading axis, one slice per step.
    length : int, optional
        Number of steps; needed when ``xs`` is ``None``.
    reverse : bool
        Run from the last slice to the first.
    unroll : int
        Steps unrolled per compiled iteration (compiling backends).
    pbar : ProgressBar or int, optional
        Show a tqdm progress bar (an int: update it every that many steps);
        brainstate's name for ``progress_bar``.
    progress_bar : bool or ProgressBar
        Show a tqdm progress bar.

    Returns
    -------
    carry, ys
        The final carry and the ``y`` of every step stacked along a new leading axis.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     total, partial = brainx.compile.scan(lambda c, x: (c + x, c + x), 0,
    ...                                          brainx.math.arange(1, 5))
    >>> int(total), partial.tolist()
    (10, [1, 3, 6, 10])
    """
    if not callable(f):
        raise TypeError(f"scan's f must be a callable f(carry, x) -> (carry, y), got {f!r}")
    backend = get_backend()
    if not backend.traces and backend.compiles:  # numba's compiled path: one native loop
        return _compiled_scan(f, init, xs, length, reverse, unroll,
                              as_progress_bar(progress_bar, pbar))
    return _scan(f, init, xs, length, reverse, unroll, as_progress_bar(progress_bar, pbar))


def _scan(f: Callable, init: Any, xs: Any, length: int | None, reverse: bool, unroll: int,
          bar: ProgressBar | None) -> tuple[Any, Any]:
    """``scan`` as the backend runs loops: traced, recorded, or eagerly step by step."""
    backend = get_backend()
    flat_xs, xs_def = _tree.flatten(xs)
    flat_xs = [x if is_quantity(x) else backend.asarray(x) for x in flat_xs]
    n = _loop_length(flat_xs, length)
    # a compiled (or recorded) program opens and closes the bar from the host as it runs
    recorded = backend.traces or any(backend.is_tracer(x) for x in flat_xs)
    period = (bar.prepare(n) if recorded else bar.start(n)) if bar is not None else 0
    if bar is not None:
        flat_xs.append(backend.numpy.arange(n))
    out_def: list[_tree.TreeDef] = []

    user_step = step_function(backend, f, xs_def, bar, period, out_def, bar is not None, n)

    try:
        if not backend.traces:
            carry, ys = backend.scan(user_step, init, flat_xs, n, reverse, unroll)
        else:
            first = [x[0] for x in flat_xs]
            trace, _ = discover(backend, user_step, init, first)
            out_def.clear()
            carried = StateCarry(merge(trace)[1])

            def body(full_carry: tuple, x_flat: list) -> tuple[tuple, list]:
                state_values, carry = full_carry
                carried.load(state_values)
                carry, y_leaves = user_step(carry, x_flat)
                return (carried.current(), carry), y_leaves

            try:
                (state_values, carry), ys = backend.scan(
                    body, (carried.initial, init), flat_xs, n, reverse, unroll)
            finally:
                carried.reset()
            carried.commit(state_values)
    finally:
        if bar is not None:
            bar.close()
    return carry, _tree.unflatten(out_def[0], ys)


def _compiled_scan(f: Callable, init: Any, xs: Any, length: int | None, reverse: bool,
                   unroll: int, bar: ProgressBar | None) -> tuple[Any, Any]:
    """``scan`` compiled by an eager backend that compiles (numba): the loop runs natively;
    with a progress bar, in chunks of its update period, the bar moving between chunks."""
    from brainx.compile._jit import jit

    def loop(carry: Any, part: Any, steps: int) -> tuple[Any, Any]:
        # recorded when compiled; run eagerly, step by step, if it cannot be
        return _scan(f, carry, part, steps, reverse, unroll, None)

    loop.__qualname__ = loop.__name__ = getattr(f, "__qualname__", "the loop body")
    compiled = jit(loop, static_argnums=2)
    flat_xs, xs_def = _tree.flatten(xs)
    n = _loop_length(flat_xs, length)
    if bar is None or reverse:
        out = compiled(init, xs, n)
        if bar is not None:
            bar.start(n)
            bar.update(n - 1)
            bar.close()
        return out
    period = bar.start(n)
    carry, pieces = init, []
    try:
        for start in range(0, n, period):
            steps = min(period, n - start)
            part = _tree.unflatten(xs_def, [x[start:start + steps] for x in flat_xs])
            carry, ys = compiled(carry, part, steps)
            pieces.append(ys)
            bar.update(start + steps - 1)
    finally:
        bar.close()
    if len(pieces) == 1:
        return carry, pieces[0]
    leaves = [_tree.flatten(p)[0] for p in pieces]
    ys_def = _tree.flatten(pieces[0])[1]
    xp = get_backend().numpy
    return carry, _tree.unflatten(ys_def, [xp.concatenate(column)
                                          for column in zip(*leaves, strict=True)])


def for_loop(f: Callable[..., Any], *xs: Any, length: int | None = None, reverse: bool = False,
             unroll: int = 1, pbar: ProgressBar | int | None = None,
             progress_bar: bool | ProgressBar = False) -> Any:
    """Call ``f(*x)`` for each slice along the leading axis of ``xs``; stack the results.

    States read and written by ``f`` are carried through the loop; States
    created inside ``f`` stay local. On the numba backend the loop runs
    eagerly, so a ``print`` or breakpoint inside ``f`` sees real values.
    ``length``, ``reverse``, ``unroll``, ``pbar`` and ``progress_bar`` are those
    of :func:`scan`.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a = brainx.State(1.)
    ...     def add(i):
    ...         a.value += 1.
    ...         return a.value
    ...     out = brainx.compile.for_loop(add, brainx.math.arange(10))
    >>> a.value, out.tolist()[:3]
    (11.0, [2.0, 3.0, 4.0])
    """
    if not callable(f):
        raise TypeError(f"for_loop's f must be a callable, got {f!r}")
    _, ys = scan(lambda carry, x: (carry, f(*x)), None, tuple(xs), length=length,
                 reverse=reverse, unroll=unroll, pbar=pbar, progress_bar=progress_bar)
    return ys


def _scalar_predicate(pred: Any, where: str) -> Any:
    if getattr(pred, "shape", ()) != ():
        raise TypeError(f"{where} must return a scalar boolean, got shape {pred.shape}")
    return pred


def _refuse_writes(trace: StateTrace) -> None:
    if trace.written_states:
        raise ValueError("while_loop's cond_fun must not write States; it wrote "
                         f"{', '.join(s._describe() for s in trace.written_states)}")


def while_loop(cond_fun: Callable[[Any], Any], body_fun: Callable[[Any], Any],
               init_val: Any) -> Any:
    """Repeat ``val = body_fun(val)`` while ``cond_fun(val)``; return the final ``val``.

    States written by ``body_fun`` are carried; ``cond_fun`` may read States
    but not write them. States created inside stay local.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     c = brainx.State(0.)
    ...     def body(j):
    ...         c.value += 1.
    ...         return j + 1
    ...     brainx.compile.while_loop(lambda j: j <= 4, body, 0)
    5
    >>> c.value
    5.0
    """
    backend = get_backend()

    def predicate(val: Any) -> Any:
        return _scalar_predicate(cond_fun(val), "while_loop's cond_fun")

    def step(val: Any) -> Any:
        new = body_fun(val)
        check_same_structure("while_loop's body_fun", val, new)
        return new

    if not backend.traces:
        def watched_predicate(val: Any) -> Any:
            with StateTrace() as trace:
                pred = predicate(val)
            _refuse_writes(trace)
            return pred

        return backend.while_loop(watched_predicate, step, init_val)

    cond_trace, _ = discover(backend, predicate, init_val)
    _refuse_writes(cond_trace)
    body_trace, _ = discover(backend, step, init_val)
    carried = StateCarry(merge(body_trace)[1])

    def loop_cond(full: tuple) -> Any:
        carried.load(full[0])
        return predicate(full[1])

    def loop_body(full: tuple) -> tuple:
        carried.load(full[0])
        val = step(full[1])
        return carried.current(), val

    try:
        state_values, val = backend.while_loop(loop_cond, loop_body, (carried.initial, init_val))
    finally:
        carried.reset()
    carried.commit(state_values)
    return val
