"""The numba backend's ``stage``: record one call of a function, compile it with Numba.

``stage(fn, args)`` runs ``fn(lift, traced_args)`` once with :class:`Traced` values
(States read inside are lifted into extra arguments by brainx's staging), then
compiles the recorded lines into one ``@njit`` function. Loops recorded by
:func:`record_scan` become native ``for`` loops of that function, so a whole chunk
of a simulation runs in one native call.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from brainx import _tree, environ
from brainx._errors import LoopStructureError
from brainx.backend._protocol import StagedInputsChanged, StagingFailed
from brainx.state import StateTrace, _trace_stack
from brainx_numba._compiler._emit import Program
from brainx_numba._compiler._trace import (
    Assign,
    Loop,
    Tape,
    Traced,
    Untraceable,
    active_tape,
    recording,
    user_location,
)
from brainx_numba._numpy import _is_foreign, from_foreign
from brainx_numba._threads import use_threads

_SCALARS = (bool, int, float)


def _example_of(x: Any) -> Any:
    """The example of an argument: Python numbers stay Python numbers (weakly typed)."""
    if type(x) in _SCALARS:
        return x
    if isinstance(x, np.generic):
        return x
    if type(x) is np.ndarray:
        return x[()] if x.ndim == 0 else x
    if _is_foreign(x):  # a concrete jax array (a model built under jax): read as NumPy
        return _example_of(from_foreign(x))
    raise Untraceable(f"an argument of type {type(x).__name__}")


def _signature(x: Any) -> tuple:
    if type(x) in _SCALARS:
        return ((), type(x), False)
    value = _example_of(x)
    return (np.shape(value), np.asarray(value).dtype, type(value) is np.ndarray)


def _argument(x: Any) -> Any:
    """A value as the generated function takes it: 0-d arrays and numbers as NumPy scalars."""
    if _is_foreign(x):
        x = from_foreign(x)
    t = type(x)
    if t is np.ndarray:
        return x[()] if x.ndim == 0 else x
    if t in _SCALARS:
        return np.asarray(x)[()]
    return x


@contextmanager
def _recording_kernels(backend: Any) -> Any:
    from brainx_numba._compiler._kernels import RECORDERS

    previous = backend._kernel_table
    backend._kernel_table = RECORDERS
    try:
        yield
    finally:
        backend._kernel_table = previous


def _concrete_again(states: list) -> None:
    """After a failed recording, States created during it hold their example values, so
    the eager run that follows never meets a stand-in."""
    for state in states:
        leaves, definition = _tree.flatten(state._value)
        if any(type(leaf) is Traced for leaf in leaves):
            state._value = _tree.unflatten(definition, [
                leaf.example if type(leaf) is Traced else leaf for leaf in leaves])


def stage(backend: Any, fn: Callable[[Callable[[Any], Any], Any], Any], args: Any,
          strict_numerics: bool = False) -> tuple[Callable[[Any, Sequence[Any]], Any], Any, bool]:
    tape = Tape()
    leaves, treedef = _tree.flatten(args)
    try:
        traced = [tape.input(_example_of(x)) for x in leaves]
    except Untraceable as err:
        raise StagingFailed(err.construct, err.where) from None
    lifted_defs: list[_tree.TreeDef] = []
    lifted_signatures: list[tuple] = []

    def lift(value: Any) -> Any:
        parts, definition = _tree.flatten(value)
        lifted_defs.append(definition)
        inputs = []
        for part in parts:
            lifted_signatures.append(_signature(part))
            inputs.append(tape.input(_example_of(part)))
        return _tree.unflatten(definition, inputs)

    with recording(tape), _recording_kernels(backend), StateTrace() as touched:
        try:
            out = fn(lift, _tree.unflatten(treedef, traced))
        except Untraceable as err:
            _concrete_again(touched.created_states)
            raise StagingFailed(err.construct, err.where) from None
    out_leaves, out_def = _tree.flatten(out)
    # Numba returns scalars as Python numbers: give them back their NumPy dtype
    scalar_types = [(type(leaf.example.item()) if leaf.weak else leaf.dtype.type)
                    if type(leaf) is Traced and leaf.ndim == 0 else None
                    for leaf in out_leaves]  # a Python number stays one
    try:
        for leaf in out_leaves:  # registers the constants among the outputs as arguments
            tape.expr(leaf)
    except Untraceable as err:
        raise StagingFailed(err.construct, err.where) from None
    zero_d = [type(v) is np.ndarray and v.ndim == 0 for v in out_leaves]
    arg_signatures = [_signature(x) for x in leaves]
    example_arguments = [t.example for t in tape.inputs] + list(tape.constants)
    try:
        program = Program(tape, out_leaves, example_arguments)
    except Untraceable as err:
        _concrete_again(touched.created_states)
        raise StagingFailed(err.construct, err.where) from None
    constants = tuple(tape.constants)
    n_args = len(leaves)
    threads = tape.threads

    def run(args_: Any, lifted: Sequence[Any]) -> Any:
        flat, definition = _tree.flatten(args_)
        if definition != treedef or len(flat) != n_args or environ.get_threads() != threads:
            raise StagedInputsChanged()
        values = []
        for x, expected in zip(flat, arg_signatures, strict=True):
            if _signature(x) != expected:
                raise StagedInputsChanged()
            values.append(_argument(x))
        position = 0
        for value, definition_ in zip(lifted, lifted_defs, strict=True):
            parts, got = _tree.flatten(value)
            if got != definition_:
                raise StagedInputsChanged()
            for part in parts:
                if _signature(part) != lifted_signatures[position]:
                    raise StagedInputsChanged()
                values.append(_argument(part))
                position += 1
        if threads > 1:
            use_threads(threads)
        results = program(*values, *constants)
        results = [np.asarray(r) if was_0d else (kind(r) if kind is not None else r)
                   for r, was_0d, kind in zip(results, zero_d, scalar_types, strict=True)]
        return _tree.unflatten(out_def, results)

    return run, program, True


# ---- loops ------------------------------------------------------------------------

def _as_variable(tape: Tape, value: Any) -> Traced:
    if type(value) is Traced:
        return value
    example = _example_of(value)
    copied = type(value) is np.ndarray and value.ndim > 0
    return tape.record(f"{tape.constant(value)}.copy()" if copied else tape.expr(value),
                       example)


def _make_written_states_variables(tape: Tape, run_body: Callable[[], Any]) -> None:
    """Run the body once on a scratch tape to find the States it writes; each one whose
    value is not yet a variable (a number, a State created in the enclosing step) becomes
    one, so the recorded body reads the loop's value and not a constant."""
    scratch = Tape()
    with recording(scratch), StateTrace() as states:
        run_body()
    states.restore()
    # States created by this exploratory run are not the program's: forget them
    made = {id(s) for s in states.created_states}
    for trace in _trace_stack():
        trace.created_states[:] = [s for s in trace.created_states if id(s) not in made]
        trace._created -= made
    for state in states.written_states:
        if type(state._value) is not Traced:
            leaves, _ = _tree.flatten(state._value)
            if len(leaves) != 1:
                raise Untraceable("a State holding a container written inside a loop")
            state._value = _as_variable(tape, leaves[0])


def _fresh(tape: Tape, value: Any) -> Traced:
    """A new variable holding ``value``: each slot of a loop's carry gets its own name, even
    where two slots start from the same value."""
    if type(value) is not Traced:
        return _as_variable(tape, value)
    alias = tape.record(value.name, value.example)
    alias.weak = value.weak
    return alias


def _rename(items: list, old: str, new: str) -> None:
    import re

    pattern = re.compile(rf"\b{re.escape(old)}\b")
    for item in items:
        if type(item) is Assign:
            item.expr = pattern.sub(new, item.expr)
            for operand in item.operands or ():
                operand[0] = pattern.sub(new, operand[0])
        elif type(item) is Loop:
            item.header = pattern.sub(new, item.header)
            _rename(item.before, old, new)
            _rename(item.body, old, new)
        else:
            item.text = pattern.sub(new, item.text)


def record_scan(tape: Tape, body: Callable, carry: Any, xs: Sequence[Any], length: int,
                reverse: bool) -> tuple[Any, list]:
    """Record ``scan`` as a native loop: the body is recorded once, with the loop's
    carry and the States it writes as loop-carried variables."""
    lengths = [x for x in xs if type(x) is Traced]
    index = tape.fresh("k")
    count = f"{lengths[0].name}.shape[0]" if lengths else str(int(length))
    header = (f"for {index} in range({count} - 1, -1, -1):" if reverse
              else f"for {index} in range({count}):")
    loop = Loop(index, header)
    tape.add(loop)
    first = length - 1 if reverse else 0
    carry_leaves, carry_def = _tree.flatten(carry)
    tape.push_block()  # the lines before the loop
    carried = [_fresh(tape, leaf) for leaf in carry_leaves]
    loop.before = tape.pop_block()
    def sliced() -> list:
        out = []
        for x in xs:
            value = x.example[first] if type(x) is Traced else np.asarray(x)[first]
            out.append(active_tape().record(f"{tape.expr(x)}[{index}]", value))
        return out

    tape.push_block()
    _make_written_states_variables(
        tape, lambda: body(_tree.unflatten(carry_def, carried), sliced()))
    loop.before += tape.pop_block()
    tape.push_block()
    slices = sliced()
    (new_carry, ys), new_leaves, written, originals = _run_body(
        lambda: body(_tree.unflatten(carry_def, carried), slices),
        lambda out: out[0], carry_def, "the loop carry")
    tape.push_block()
    before_states = []
    for original in originals:
        if type(original) is Traced:
            before_states.append(original)
        else:
            leaves_, definition = _tree.flatten(original)
            if len(leaves_) != 1:
                raise Untraceable("a State holding a container written inside a loop")
            before_states.append(_as_variable(tape, leaves_[0]))
    loop.before += tape.pop_block()
    pairs = list(zip(carried, new_leaves, strict=True))
    for state, start in zip(written, before_states, strict=True):
        pairs.append((start, state._value))
    # buffers for the stacked outputs, filled in the loop
    buffers = []
    for y in ys:
        y_value = y.example if type(y) is Traced else np.asarray(y)
        shape = (length,) + tuple(np.shape(y_value))
        dtype = np.asarray(y_value).dtype
        tape.push_block()
        buffer = tape.record(f"np.empty(({count},) + {tuple(np.shape(y_value))!r}, "
                             f"np.{dtype.name})", np.broadcast_to(y_value, shape))
        loop.before += tape.pop_block()
        tape.line(f"{buffer.name}[{index}] = {tape.expr(y)}")
        buffers.append(buffer)
    body_lines = tape.pop_block()
    loop.body = body_lines
    results = _carry(tape, loop, pairs)
    n_carry = len(carried)
    for state, variable in zip(written, results[n_carry:], strict=True):
        state._value = variable
    return _tree.unflatten(carry_def, results[:n_carry]), buffers


def _run_body(run: Callable[[], Any], carried_part: Callable[[Any], Any],
              expected: _tree.TreeDef, what: str) -> tuple[Any, list, list, list]:
    """Record one pass of a loop body: its output, the leaves of the carried part (checked
    against ``expected``), and the States it wrote with their values before the pass;
    those States are carried too, so reading one after the loop gives its last value."""
    with StateTrace() as states:
        out = run()
    leaves, definition = _tree.flatten(carried_part(out))
    if definition != expected:
        raise LoopStructureError(f"{what} changed structure from {expected} to {definition}")
    written = states.written_states
    originals = [states._originals[states._position[id(s)]] for s in written]
    return out, leaves, written, originals


def _traced_in(items: list) -> list[Traced]:
    found = []
    for item in items:
        if type(item) is Assign:
            found.extend(item.targets)
    return found


def _carry(tape: Tape, loop: Loop, pairs: list) -> list[Traced]:
    """Loop-carried variables: for each (value before the loop, value after one pass),
    a variable set before the loop and reassigned at the end of the body."""
    results = []
    for start, new in pairs:
        if type(new) is Traced and new is start:
            results.append(start)
            continue
        new_value = new.example if type(new) is Traced else _example_of(new)
        new_dtype = np.asarray(new_value).dtype
        adopts = start.weak and new_dtype.kind == start.dtype.kind  # a Python number
        if np.shape(new_value) != np.shape(start.example) or \
                (new_dtype != start.dtype and not adopts):
            raise LoopStructureError(
                f"a value carried by the loop changed from shape {np.shape(start.example)} "
                f"and dtype {start.dtype} to shape {np.shape(new_value)} and dtype "
                f"{np.asarray(new_value).dtype}")
        # the loop's own variable: the value before the loop stays as it was outside
        weak = new.weak if type(new) is Traced else type(new) in _SCALARS
        variable = tape.new(new_value, tape.fresh("l"), weak=weak and start.weak)
        initial = start.name if new_dtype == start.dtype else f"np.{new_dtype.name}({start.name})"
        loop.before.append(Assign((variable,), initial, user_location()))
        _rename(loop.body, start.name, variable.name)
        loop.body.append(Assign((variable,), tape.expr(new) if type(new) is not Traced
                                else new.name, user_location()))
        results.append(variable)
    return results


def record_while(tape: Tape, cond: Callable, body: Callable, init: Any) -> Any:
    """Record ``while_loop`` as a native ``while``: the condition's lines are emitted
    before the loop and again at the end of each pass."""
    init_leaves, init_def = _tree.flatten(init)
    tape.push_block()
    carried = [_fresh(tape, leaf) for leaf in init_leaves]
    before = tape.pop_block()
    for item in before:
        tape.add(item)
    carried_tree = _tree.unflatten(init_def, carried)
    _make_written_states_variables(tape, lambda: body(carried_tree))
    tape.push_block()
    flag = cond(carried_tree)
    if type(flag) is not Traced:
        raise Untraceable("a while_loop condition that does not depend on the loop")
    test = tape.pop_block()
    loop = Loop(tape.fresh("w"), "")
    tape.add(loop)
    tape.push_block()
    _, new_leaves, written, originals = _run_body(
        lambda: body(carried_tree), lambda out: out, init_def, "while_loop's value")
    body_lines = tape.pop_block()
    pairs = list(zip(carried, new_leaves, strict=True))
    tape.push_block()
    for state, original in zip(written, originals, strict=True):
        pairs.append((_as_variable(tape, original), state._value))
    loop.before = test + tape.pop_block()
    loop.body = body_lines
    results = _carry(tape, loop, pairs)
    # the condition again, on the values just computed
    again = copy.deepcopy(test, memo={id(t): t for t in _traced_in(test)})
    for start, variable in zip((p[0] for p in pairs), results, strict=True):
        if variable is not start:
            _rename(again, start.name, variable.name)
    loop.body += again
    loop.header = f"while {flag.name}:"
    for state, variable in zip(written, results[len(carried):], strict=True):
        state._value = variable
    return _tree.unflatten(init_def, results[:len(carried)])
