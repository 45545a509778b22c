"""Kernels called from generated code: the same Numba loops the eager path calls.

While a function is recorded, the numba backend's kernel table holds these
recorders instead of its eager kernels. Each one computes its example with the
eager kernel and writes the lines that call that kernel's inner ``@njit`` loop, so
both paths run the same machine code. Operators without a kernel (the built-in
models' whole-step operators) run their reference implementation on both paths,
recorded here operation by operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brainx.event._ops import is_homogeneous, result_dtype
from brainx.event._partition import even_edges, partition
from brainx_numba._compiler._trace import Tape, Traced, Untraceable, active_tape, example
from brainx_numba._threads import worth_threads
from brainx_numba.kernels import event as eager_event

_EVENT = "brainx_numba.kernels.event"


def _tape_of() -> Tape:
    tape = active_tape()
    if tape is None:  # pragma: no cover - installed only while recording
        raise RuntimeError("a recording kernel was called outside a recording")
    return tape


def _events_2d(tape: Tape, events: Any, dtype: np.dtype) -> str:
    text = tape.expr(events)
    if np.dtype(events.dtype) != np.bool_:
        text = f"{text}.astype(np.{dtype.name})"
    if events.ndim == 1:
        text = f"np.ascontiguousarray({text}).reshape(1, -1)"
    elif events.ndim != 2:
        raise Untraceable(f"an event operator on {events.ndim}-d events")
    return text


def _weights(tape: Tape, weight: Any, dtype: np.dtype, homogeneous: bool) -> str:
    if homogeneous:
        return tape.constant(np.zeros(1, dtype))
    text = tape.expr(weight)
    if np.dtype(weight.dtype) != dtype:
        text = f"{text}.astype(np.{dtype.name})"
    return f"np.ascontiguousarray({text})"


def _finish(tape: Tape, out: Traced, events: Any, weight: Any, dtype: np.dtype,
            homogeneous: bool, value: np.ndarray, counts: np.ndarray | None = None) -> Any:
    """The result of a recorded event kernel whose (unscaled, if homogeneous) sums are
    ``out``; ``value`` is the eager result, ``counts`` the eager unscaled 1-d sums."""
    if events.ndim == 2:
        if homogeneous:
            tape.line(f"{out.name} *= {_scalar(tape, weight, dtype)}")
        out.example = value
        return out
    if not homogeneous:
        return tape.record(f"{out.name}[0]", value)
    # counts times the weight, as the eager kernel's ``out *= weight``, but recorded as an
    # element-wise line so that it fuses into the loop that reads the result
    weight_text = _scalar(tape, weight, dtype)
    row = tape.record(f"{out.name}[0]", counts)
    return tape.record(f"({row.name} * {weight_text})", value, "binary:*",
                       [[row.name, True, row.shape], [weight_text, False, ()]])


def _scalar(tape: Tape, weight: Any, dtype: np.dtype) -> str:
    if type(weight) is Traced:  # 0-d values are Numba scalars
        return f"np.{dtype.name}({weight.name})"
    return f"np.{dtype.name}({float(np.asarray(weight))!r})"


def sparse_matvec(b: Any, events: Any, indptr: Any, pre_ids: Any, post_ids: Any, weight: Any,
                  shape: tuple[int, int], transpose: bool, grad_mode: str = "vjp") -> Any:
    tape = _tape_of()
    value = eager_event.sparse_matvec(b, *example((events, indptr, pre_ids, post_ids, weight)),
                                      shape, transpose, grad_mode)
    ex_events, ex_weight = example(events), example(weight)
    dtype = result_dtype(ex_events, ex_weight)
    homogeneous = is_homogeneous(ex_weight)
    n_out = shape[0] if transpose else shape[1]
    ev = _events_2d(tape, events, dtype)
    batch = 1 if events.ndim == 1 else events.shape[0]
    # a thread zeroes its own part of out
    parallel = not transpose and worth_threads(tape.threads, shape[1])
    out = tape.record(f"np.{'empty' if parallel else 'zeros'}(({batch}, {n_out}), "
                      f"np.{dtype.name})", np.zeros((batch, n_out), dtype))
    weights = _weights(tape, weight, dtype, homogeneous)
    if not parallel:
        name = ("_gather_parts" if worth_threads(tape.threads, shape[0]) else "_gather_rows") \
            if transpose else "_scatter_rows"
        kernel = tape.use_global(f"k{name}", (_EVENT, name))
        tape.line(f"{kernel}({ev}, {tape.expr(indptr)}, {tape.expr(post_ids)}, {weights}, "
                  f"{homogeneous}, {out.name})")
    else:
        parts = partition(*example((indptr, post_ids)), shape[1], tape.threads)
        if parts.splits is not None:
            kernel = tape.use_global("k_scatter_parts", (_EVENT, "_scatter_parts"))
            tape.line(f"{kernel}({ev}, {tape.expr(indptr)}, {tape.expr(post_ids)}, {weights}, "
                      f"{homogeneous}, {tape.constant(parts.splits)}, "
                      f"{tape.constant(parts.edges)}, {out.name})")
        else:
            kernel = tape.use_global("k_scatter_filtered", (_EVENT, "_scatter_filtered"))
            tape.line(f"{kernel}({ev}, {tape.expr(indptr)}, {tape.expr(post_ids)}, {weights}, "
                      f"{homogeneous}, {tape.constant(parts.edges)}, {out.name})")
    counts = None
    if homogeneous and events.ndim == 1:
        counts = eager_event.sparse_matvec(b, ex_events, *example((indptr, pre_ids, post_ids)),
                                           dtype.type(1), shape, transpose, grad_mode)
    return _finish(tape, out, events, weight, dtype, homogeneous, value, counts)


sparse_matvec.needs_pre_ids = False


def dense_matvec(b: Any, events: Any, weight: Any, shape: tuple[int, int], transpose: bool,
                 grad_mode: str = "vjp") -> Any:
    ex_events, ex_weight = example(events), example(weight)
    if is_homogeneous(ex_weight):
        from brainx.event._ops import dense_reference

        return dense_reference(b, events, weight, shape, transpose)
    tape = _tape_of()
    value = eager_event.dense_matvec(b, ex_events, ex_weight, shape, transpose, grad_mode)
    dtype = result_dtype(ex_events, ex_weight)
    ev = _events_2d(tape, events, dtype)
    batch = 1 if events.ndim == 1 else events.shape[0]
    n_out = shape[0] if transpose else shape[1]
    out = tape.record(f"np.zeros(({batch}, {n_out}), np.{dtype.name})",
                      np.zeros((batch, n_out), dtype))
    name = "_dense_gather" if transpose else "_dense_rows"
    extra = ""
    if worth_threads(tape.threads, n_out):
        name += "_parts"
        if not transpose:
            extra = f", {tape.constant(even_edges(n_out, tape.threads))}"
    kernel = tape.use_global(f"k{name}", (_EVENT, name))
    tape.line(f"{kernel}({ev}, {_weights(tape, weight, dtype, False)}{extra}, {out.name})")
    return _finish(tape, out, events, weight, dtype, False, value)


def threefry2x32(key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[Traced, Traced]:
    """Threefry-2x32 of a scalar key over counter arrays, in the eager path's loop."""
    from brainx_numba import _random

    tape = _tape_of()
    ex = example((key0, key1, x0, x1))
    if np.ndim(ex[0]) or np.ndim(ex[1]) or np.shape(ex[2]) != np.shape(ex[3]):
        raise Untraceable("random bits with an array of keys or counters of two shapes")
    y0_value, y1_value = _random.threefry2x32(*ex)
    shape = tuple(np.shape(ex[2]))
    y0 = tape.record(f"np.empty({shape!r}, np.uint32)", np.empty(shape, np.uint32))
    y1 = tape.record(f"np.empty({shape!r}, np.uint32)", np.empty(shape, np.uint32))
    kernel = tape.use_global("k_threefry", ("brainx_numba._random", "_kernel_scalar_key"))
    counters = [f"np.ascontiguousarray({tape.expr(x)}).astype(np.uint32).reshape(-1)"
                for x in (x0, x1)]
    tape.line(f"{kernel}(np.uint32({tape.expr(key0)}), np.uint32({tape.expr(key1)}), "
              f"{counters[0]}, {counters[1]}, {y0.name}.reshape(-1), {y1.name}.reshape(-1))")
    y0.example, y1.example = y0_value, y1_value
    return y0, y1


def kernel_ufunc(name: str, kernel: str, args: tuple, eager: Callable[..., Any]) -> Any:
    """``brainx.math.<name>`` on values being compiled: the scalar kernel the eager path
    runs, called element by element, with the casts the eager path makes (``plan``).
    None where the eager path would use NumPy's own function (the caller records that)."""
    from brainx_numba._ufuncs import plan

    tape = _tape_of()
    values = example(args)
    found = plan(name, *values)
    if found is None:
        return None
    arrays = [v for v in args if type(v) in (Traced, np.ndarray) and np.ndim(example(v))]
    shapes = {tuple(np.shape(example(v))) for v in arrays}
    if len(shapes) > 1 or any(len(shape) > 1 for shape in shapes):
        raise Untraceable(f"brainx.math.{name} on arrays of more than one dimension or of "
                          f"different shapes in compiled code")
    value = eager(*values)
    function = tape.use_global(f"kf_{kernel}", ("brainx_numba._ufunc_kernels", kernel))
    compute, result = found.compute.name, found.result.name
    operands = [tape.operand(v, []) for v in args]
    inner = ", ".join(f"np.{compute}({o[0]})" for o in operands)
    return tape.record(f"np.{result}({function}({inner}))", value,
                       f"kernel:{function}:{compute}", operands)


RECORDERS: dict[str, Callable[..., Any]] = {
    "event_sparse_matvec": sparse_matvec,
    "event_dense_matvec": dense_matvec,
}
