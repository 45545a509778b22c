"""Control flow on numba: plain Python loops and branches, run eagerly.

Every intermediate value is a real NumPy array, so a print or a breakpoint
inside a loop body sees concrete numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from brainx._errors import LoopStructureError
from brainx._units import is_quantity


def jit(fn: Callable, static_argnums: Sequence[int] = (),
        static_argnames: Sequence[str] = (), strict_numerics: bool = False) -> Callable:
    # eager NumPy and Numba's loops (no fastmath) already compute exactly as written
    return fn


def _stack(step_outputs: list[list[Any]], length: int) -> list[Any]:
    if length == 0 or not step_outputs[0]:
        return []
    stacked = []
    for position in range(len(step_outputs[0])):
        if is_quantity(step_outputs[0][position]):  # a Quantity: stack mantissas, keep the unit
            unit = step_outputs[0][position].unit
            column = [np.asarray(out[position].to_decimal(unit)) for out in step_outputs]
            stacked.append(np.stack(column) * unit)
            continue
        column = [np.asarray(out[position]) for out in step_outputs]
        first = column[0]
        for step, value in enumerate(column):
            if value.shape != first.shape or value.dtype != first.dtype:
                raise LoopStructureError(
                    f"loop output {position} has shape {first.shape} and dtype {first.dtype} at "
                    f"step 0 but shape {value.shape} and dtype {value.dtype} at step {step}; "
                    f"every step must return arrays of the same shape and dtype")
        stacked.append(np.stack(column))
    return stacked


def scan(body: Callable, carry: Any, xs: Sequence[Any], length: int, reverse: bool = False,
         unroll: int = 1) -> tuple[Any, Any]:
    from brainx_numba._compiler._trace import active_tape

    tape = active_tape()
    if tape is not None:  # being compiled: one native loop
        from brainx_numba._compiler._stage import record_scan

        return record_scan(tape, body, carry, xs, length, reverse)
    steps = range(length - 1, -1, -1) if reverse else range(length)
    outputs = []
    for i in steps:
        carry, y = body(carry, [x[i] for x in xs])
        # copies: a later step may change an output's array in place (BrainPy's Variables)
        outputs.append([np.array(v) if type(v) is np.ndarray else v for v in y])
    if reverse:
        outputs.reverse()
    return carry, _stack(outputs, length)


def while_loop(cond: Callable, body: Callable, init: Any) -> Any:
    from brainx_numba._compiler._trace import active_tape

    tape = active_tape()
    if tape is not None:  # being compiled: a native while loop
        from brainx_numba._compiler._stage import record_while

        return record_while(tape, cond, body, init)
    val = init
    while cond(val):
        val = body(val)
    return val


def cond(pred: Any, true_fn: Callable, false_fn: Callable, operands: tuple) -> Any:
    return true_fn(*operands) if pred else false_fn(*operands)


def switch(index: Any, branches: Sequence[Callable], operands: tuple) -> Any:
    i = min(max(int(index), 0), len(branches) - 1)
    return branches[i](*operands)
