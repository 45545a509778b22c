"""Loops whose gradients keep O(base * log_base(n)) saved carries instead of n.

``checkpointed_scan`` splits the ``n`` steps into at most ``base`` segments of
``base**k`` steps, each a rematerialised (``checkpoint``-ed) scan, recursively:
the backward pass recomputes a segment's steps from its saved first carry.
Results are those of :func:`~brainx.compile.scan`; only the memory of the
gradient changes. Backends without autodiff run the plain loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brainx import _tree
from brainx._units import is_quantity
from brainx.backend import get_backend
from brainx.compile._loops import _loop_length, scan, step_function
from brainx.compile._progress import ProgressBar, as_progress_bar
from brainx.compile._threading import StateCarry, discover, merge

__all__ = ["checkpointed_scan", "checkpointed_for_loop"]


def _check_base(base: Any) -> int:
    if isinstance(base, bool) or not isinstance(base, int) or base < 2:
        raise ValueError(f"base (steps per checkpointed segment) must be an int >= 2, got "
                         f"{base!r}")
    return base


def _segment(m: int, base: int) -> int:
    """The segment length for ``m > base`` steps: the largest power of ``base`` below ``m``."""
    chunk = base
    while chunk * base < m:
        chunk *= base
    return chunk


def checkpointed_scan(f: Callable[[Any, Any], tuple[Any, Any]], init: Any, xs: Any = None,
                      length: int | None = None, base: int = 16,
                      pbar: ProgressBar | int | None = None,
                      progress_bar: bool | ProgressBar = False) -> tuple[Any, Any]:
    """:func:`~brainx.compile.scan` with gradients that recompute instead of storing.

    Parameters
    ----------
    f, init, xs, length, pbar, progress_bar
        As for :func:`~brainx.compile.scan` (no ``reverse``).
    base : int
        Steps per innermost segment and segments per level (>= 2).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     total, partial = brainx.compile.checkpointed_scan(
    ...         lambda c, x: (c + x, c + x), 0, brainx.math.arange(1, 6), base=2)
    >>> int(total), partial.tolist()
    (15, [1, 3, 6, 10, 15])
    """
    base = _check_base(base)
    if not callable(f):
        raise TypeError(f"checkpointed_scan's f must be a callable f(carry, x) -> (carry, y), "
                        f"got {f!r}")
    backend = get_backend()
    if not backend.traces or "grad" not in backend.capabilities:
        return scan(f, init, xs, length=length, pbar=pbar, progress_bar=progress_bar)
    checkpoint = backend.autodiff().checkpoint
    bnp = backend.numpy
    flat_xs, xs_def = _tree.flatten(xs)
    flat_xs = [x if is_quantity(x) else backend.asarray(x) for x in flat_xs]
    n = _loop_length(flat_xs, length)
    bar = as_progress_bar(progress_bar, pbar)
    period = bar.prepare(n) if bar is not None else 0  # opened by the run, on the host
    flat_xs.append(bnp.arange(n))  # the step index (progress bar)
    out_def: list[_tree.TreeDef] = []

    user_step = step_function(backend, f, xs_def, bar, period, out_def, True, n)

    try:
        trace, _ = discover(backend, user_step, init, [x[0] for x in flat_xs])
        out_def.clear()
        carried = StateCarry(merge(trace)[1])

        def body(full: tuple, x_flat: list) -> tuple[tuple, list]:
            state_values, carry = full
            carried.load(state_values)
            carry, y_leaves = user_step(carry, x_flat)
            return (carried.current(), carry), y_leaves

        def run(full: tuple, xs_flat: list, m: int) -> tuple[tuple, list]:
            if m <= base:
                return backend.scan(body, full, xs_flat, m)
            chunk = _segment(m, base)
            q, r = divmod(m, chunk)
            head = [x[:q * chunk].reshape((q, chunk) + tuple(x.shape[1:])) for x in xs_flat]
            segment = checkpoint(lambda full_, xs_: run(full_, xs_, chunk))
            full, ys = backend.scan(segment, full, head, q)
            ys = [y.reshape((q * chunk,) + tuple(y.shape[2:])) for y in ys]
            if r:
                tail = checkpoint(lambda full_, xs_: run(full_, xs_, r))
                full, ys_tail = tail(full, [x[q * chunk:] for x in xs_flat])
                ys = [bnp.concatenate([a, b]) for a, b in zip(ys, ys_tail, strict=True)]
            return full, ys

        try:
            (state_values, carry), ys = run((carried.initial, init), flat_xs, n)
        finally:
            carried.reset()
        carried.commit(state_values)
    finally:
        if bar is not None:
            bar.close()
    return carry, _tree.unflatten(out_def[0], ys)


def checkpointed_for_loop(f: Callable[..., Any], *xs: Any, length: int | None = None,
                          base: int = 16, pbar: ProgressBar | int | None = None,
                          progress_bar: bool | ProgressBar = False) -> Any:
    """:func:`~brainx.compile.for_loop` with rematerialised gradients (see
    :func:`checkpointed_scan`).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     a = brainx.State(0.)
    ...     def add(i):
    ...         a.value += i
    ...         return a.value
    ...     out = brainx.compile.checkpointed_for_loop(add, brainx.math.arange(4.), base=2)
    >>> out.tolist(), float(a.value)
    ([0.0, 1.0, 3.0, 6.0], 6.0)
    """
    if not callable(f):
        raise TypeError(f"checkpointed_for_loop's f must be a callable, got {f!r}")
    _, ys = checkpointed_scan(lambda carry, x: (carry, f(*x)), None, tuple(xs), length=length,
                              base=base, pbar=pbar, progress_bar=progress_bar)
    return ys
