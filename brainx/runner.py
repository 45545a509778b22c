"""Running a model for a duration and recording what it does."""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import _tree, environ
from brainx import compile as bc
from brainx._errors import step_of
from brainx._interrupts import DeferredInterrupt
from brainx._units import is_quantity, to_canonical
from brainx.backend import get_backend
from brainx.state import State, StateSnapshot

__all__ = ["Runner", "RunError", "RunInterrupted", "NonFiniteError"]

_FINITE = "__finite__"  # per-step records "__finite__<k>": the k-th checked State is finite


class RunError(RuntimeError):
    """A run failed part-way; ``results`` holds every step completed before the failure.

    The model's States, ``runner.t`` and ``runner.i`` are those after the last kept
    step, so calling ``run`` again continues from there. The original error is the
    ``__cause__``.

    Examples
    --------
    >>> import numpy as np
    >>> err = RunError("the run failed after 20 of 50 steps", {"ts": np.arange(20) * 0.1})
    >>> err.results["ts"].shape
    (20,)
    """

    def __init__(self, message: str, results: dict[str, np.ndarray]):
        super().__init__(message)
        self.results = results


class NonFiniteError(RunError):
    """``Runner(check_finite=True)`` found a NaN or an infinity in a State.

    ``state`` is the State's path in the model (``'E.V'``), ``step`` the step whose
    update produced it and ``index`` the first non-finite element. ``results`` holds the
    steps up to and including that step.

    Examples
    --------
    >>> err = NonFiniteError("V became NaN", {}, state="V", step=30, index=(4,))
    >>> err.state, err.step, err.index
    ('V', 30, (4,))
    """

    def __init__(self, message: str, results: dict[str, np.ndarray], state: str, step: int,
                 index: tuple[int, ...]):
        super().__init__(message, results)
        self.state, self.step, self.index = state, step, index


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run; ``results`` holds every step it completed.

    It is a ``KeyboardInterrupt``, so a script still stops, while ``runner.results``
    (and this exception's ``results``) keep the part that ran.

    Examples
    --------
    >>> import numpy as np
    >>> RunInterrupted("stopped after 3 steps", {"ts": np.zeros(3)}).results["ts"].size
    3
    """

    def __init__(self, message: str, results: dict[str, np.ndarray]):
        super().__init__(message)
        self.results = results


for _cls in (RunError, NonFiniteError, RunInterrupted):
    _cls.__module__ = "brainx"


def _resolve(model: Any, path: str) -> Callable[[], Any]:
    target: Any = model
    for part in path.split("."):
        if not hasattr(target, part):
            raise ValueError(f"monitor {path!r}: {type(target).__name__} has no attribute "
                             f"{part!r}")
        target = getattr(target, part)
    return _reader(target, path)


def _reader(target: Any, name: str) -> Callable[[], Any]:
    if isinstance(target, State):
        return lambda: target.value
    if callable(target):
        return target
    raise ValueError(f"monitor {name!r} must name a State or a function returning a value, "
                     f"got {type(target).__name__}")


def _monitored_state(model: Any, target: Any) -> State | None:
    """The State a monitor reads (a State, or a path of attributes to one), else None."""
    if isinstance(target, str):
        node = model
        for part in target.split("."):
            node = getattr(node, part, None)
        target = node
    return target if isinstance(target, State) else None


def _check_indices(name: str, indices: np.ndarray, state: State | None) -> None:
    """Monitor indices must be integers within the monitored State's last axis (jax would
    clamp an index past the end instead of failing)."""
    if indices.size and indices.dtype.kind not in "iu":
        raise ValueError(f"monitor {name!r}: indices must be integers, got dtype {indices.dtype}")
    shape = getattr(getattr(state, "value", None), "shape", None)
    if state is None or not shape or not indices.size:
        return
    n = shape[-1]
    if indices.max() >= n or indices.min() < -n:
        bad = indices[(indices >= n) | (indices < -n)][0]
        raise ValueError(f"monitor {name!r}: indices must lie in [-{n}, {n}) (the State's last "
                         f"axis), found {bad}")


def _steps(duration: Any, dt: float) -> int:
    """The number of steps of ``dt`` in ``duration`` ms, which must be a whole number."""
    if is_quantity(duration):
        duration = to_canonical(duration, "time", "duration")
    if isinstance(duration, bool) or not isinstance(duration, numbers.Real):
        raise TypeError(f"duration must be a number of ms, got {duration!r}")
    duration = float(duration)
    if not math.isfinite(duration) or duration <= 0:
        raise ValueError(f"duration must be a positive, finite number of ms, got {duration!r}")
    steps = duration / dt
    total = int(round(steps))
    if total < 1 or abs(steps - total) > 1e-6 * max(1.0, steps):
        raise ValueError(f"duration must be a whole number of steps of dt = {dt} ms, got "
                         f"{duration} ms ({steps:g} steps)")
    return total


def _state_paths(model: Any) -> dict[int, str]:
    """``id(state) -> 'E.V'``: the States' paths in the model, where brainx.graph finds them."""
    from brainx.graph import states

    try:
        found = states(model)
    except (TypeError, ValueError):  # not a graph: the States' own names are used
        return {}
    return {id(state): ".".join(str(p) for p in path) for path, state in found.items()}


def _holds_floats(state: State) -> bool:
    return any(_dtype_of(leaf).kind in "fc" for leaf in _tree.leaves(state.value))


def _dtype_of(leaf: Any) -> np.dtype:
    dtype = getattr(_mantissa(leaf), "dtype", None)
    return np.dtype(dtype) if dtype is not None else np.asarray(leaf).dtype


def _mantissa(x: Any) -> Any:
    return x.mantissa if is_quantity(x) else x


def _all_finite(value: Any) -> Any:
    flags = [bm.all(bm.isfinite(leaf)) for leaf in map(_mantissa, _tree.leaves(value))
             if _dtype_of(leaf).kind in "fc"]
    out = flags[0]
    for flag in flags[1:]:
        out = out & flag
    return out


def _first_nonfinite(value: Any) -> tuple[int, ...]:
    for leaf in map(_mantissa, _tree.leaves(value)):
        array = np.asarray(leaf)
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            return tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    return ()


def _whole_steps(interval: Any, dt: float, what: str) -> int:
    try:
        return _steps(interval, dt)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{what}: {err}".replace("duration", "the interval")) from None


def _as_inputs(inputs: Any) -> Any:
    """A function ``(t, i)``, or an array with one row per step (not a scalar)."""
    if callable(inputs):
        return inputs
    inputs = np.asarray(inputs)
    if inputs.ndim == 0:
        raise ValueError("inputs must be a function (t, i) -> value or an array with one "
                         "row per step, got a scalar (pass constants to run() instead)")
    return inputs


def _reporter(report: Any) -> Callable[[dict[str, Any]], Any] | None:
    if report is None or callable(report):
        return report
    if report == "text":
        def text(progress: dict[str, Any]) -> None:
            print(f"t = {progress['t']:g} ms (step {progress['done']} of {progress['total']}, "
                  f"{100 * progress['done'] / progress['total']:.0f}%) "
                  f"{progress['elapsed']:.2f} s")
        return text
    raise ValueError(f"report must be a function of the progress dict, 'text' or None, got "
                     f"{report!r}")


def _per_step_hint(err: BaseException, args: tuple, total: int) -> str:
    """For a shape error, when an argument of run() has one row per step: say where
    per-step inputs go."""
    if not isinstance(err, (ValueError, TypeError)) or total < 2:
        return ""
    for position, arg in enumerate(args):
        if len(getattr(arg, "shape", ())) >= 1 and arg.shape[0] == total:
            return (f". Argument {position + 1} of run() has one row per step (shape "
                    f"{tuple(arg.shape)}): arguments of run() are given whole to every step; "
                    f"pass per-step inputs as run(duration, inputs=...) or "
                    f"Runner(..., inputs=...)")
    return ""


class Runner:
    """Run ``model.update`` step by step and record monitors as NumPy arrays.

    Parameters
    ----------
    model : Module
        Anything with an ``update(*args)`` method.
    monitors : dict or sequence
        ``{'name': target}`` where a target is a State, a function of no arguments,
        a dotted attribute path of ``model`` (``'E.spike'``), or a pair
        ``(target, indices)`` recording only those neurons. A sequence of dotted
        paths is recorded under their own names.
    progress_bar : bool
        Show a progress bar (updated once per chunk).
    chunk_steps : int
        Steps per compiled chunk: results stream to the host chunk by chunk, so
        device memory stays bounded in long runs.
    inputs : callable or array, optional
        Input given to ``update`` every step, after ``run``'s arguments: a function
        ``inputs(t, i)`` returning a value or a tuple of values (on jax it runs inside
        the compiled loop, so write it with ``brainx.math``), or an array whose
        leading axis runs over the steps of the whole simulation (step ``k`` gets
        ``inputs[k]``), such as ``brainx.nn.section_input(...)`` returns.
    strict_numerics : bool
        Compile without value-changing optimisations such as fused multiply-add
        (slower; see :func:`brainx.compile.jit`).
    jit : bool, optional
        Compile each chunk of steps (jax: XLA; numba: one native loop, see
        ``docs/numba_compilation.md``), or run step by step in Python with ``False``
        (the debugging mode: prints and breakpoints in ``update`` see real values).
        Default: ``brainx.environ.get('jit')`` (``BRAINX_JIT``), True unless set.
    check_finite : bool
        After every step, check that the floating-point States the model writes hold no
        NaN or infinity; the first one found stops the run with :class:`NonFiniteError`,
        which names the State, the step and the element (one pass over each such State
        per step: 1.3-1.7 times the run time of the cheap COBA step; see
        ``docs/errors.md``).

    checkpoint_every : float, optional
        Save a checkpoint (:meth:`save_checkpoint`) to ``checkpoint_path`` every
        ``checkpoint_every`` ms of simulated time (a whole number of steps); chunks of
        steps end there. Resume with :meth:`load_checkpoint`.
    checkpoint_path : str, optional
        The file each checkpoint overwrites (``.npz``).
    monitor_every : float, optional
        Record the monitors every ``monitor_every`` ms (a whole number of steps) instead
        of every step, as Brian2's ``StateMonitor(dt=...)``: the steps whose time is a
        multiple of it. ``ts`` lists the recorded times.

    Notes
    -----
    A run that fails (:class:`RunError`), meets a non-finite value
    (:class:`NonFiniteError`) or is stopped with Ctrl-C (:class:`RunInterrupted`:
    the first Ctrl-C stops at the end of the current chunk of steps, or of the current
    step when running eagerly; a second one at once) keeps every step it completed, in
    the exception's ``results`` and ``runner.results``, and leaves the States,
    ``runner.t`` and ``runner.i`` at the last kept step, so ``run`` can continue.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     neurons = brainx.nn.LIF(10)
    ...     runner = brainx.Runner(neurons, monitors={'V': neurons.V, 'spike': 'spike'})
    ...     out = runner.run(5.0, 25.0)                # 5 ms, input current 25
    >>> out['ts'].shape, out['V'].shape, out['spike'].dtype
    ((50,), (50, 10), dtype('bool'))
    >>> with brainx.use_backend('numba'):
    ...     steps = brainx.nn.section_input([0.0, 30.0], [2.0, 3.0])   # 0, then 30
    ...     runner = brainx.Runner(neurons, monitors={'V': neurons.V}, inputs=steps)
    ...     out = runner.run(5.0)
    >>> out['V'].shape
    (50, 10)
    """

    def __init__(self, model: Any, monitors: Mapping[str, Any] | Sequence[str] | None = None,
                 progress_bar: bool = False, chunk_steps: int = 10000,
                 inputs: Callable[[Any, Any], Any] | Any = None, strict_numerics: bool = False,
                 jit: bool | None = None, check_finite: bool = False,
                 checkpoint_every: float | None = None, checkpoint_path: str | None = None,
                 monitor_every: float | None = None):
        if not hasattr(model, "update"):
            raise TypeError(f"model must have an update() method, got {type(model).__name__}")
        if isinstance(chunk_steps, bool) or not isinstance(chunk_steps, int) or chunk_steps < 1:
            raise ValueError(f"chunk_steps must be a positive int, got {chunk_steps!r}")
        if jit is not None and not isinstance(jit, bool):
            raise ValueError(f"jit must be True, False or None (the environ default), got {jit!r}")
        if not isinstance(check_finite, bool):
            raise TypeError(f"check_finite must be True or False, got {check_finite!r}")
        if (checkpoint_every is None) != (checkpoint_path is None):
            raise ValueError(f"checkpoint_every (ms) and checkpoint_path go together, got "
                             f"checkpoint_every={checkpoint_every!r}, "
                             f"checkpoint_path={checkpoint_path!r}")
        self.checkpoint_every, self.checkpoint_path = checkpoint_every, checkpoint_path
        self.monitor_every = monitor_every
        self._inputs_start = 0  # the step that the first row of an inputs array is for
        self.model = model
        self.jit = jit
        self.check_finite = check_finite
        # the floating-point States the first step wrote, with their names (check_finite)
        self._checked: list[tuple[str, State]] | None = None if check_finite else []
        self._snapshot: StateSnapshot | None = None
        self._started: int | None = None  # the step an eager loop is in
        self._origin = 0.0  # the time of step 0: step i runs at t = origin + i * dt
        self._interrupt: DeferredInterrupt | None = None
        self.progress_bar = progress_bar
        self.chunk_steps = chunk_steps
        self.t = 0.0
        self.i = 0
        self.inputs = None if inputs is None else _as_inputs(inputs)
        self.results: dict[str, np.ndarray] = {}
        items = monitors.items() if isinstance(monitors, Mapping) else \
            ((name, name) for name in (monitors or ()))
        self._monitors: dict[str, tuple[Callable[[], Any], Any]] = {}
        for name, target in items:
            indices = None
            if isinstance(target, tuple) and len(target) == 2:
                target, indices = target
                indices = np.asarray(indices)
            read = _resolve(model, target) if isinstance(target, str) else _reader(target, name)
            if indices is not None:
                _check_indices(name, indices, _monitored_state(model, target))
            self._monitors[name] = (read, indices)
        self._compiled_chunk = bc.jit(self._run_chunk, strict_numerics=strict_numerics)

    def _record(self) -> dict[str, Any]:
        out = {}
        for name, (read, indices) in self._monitors.items():
            value = read()
            out[name] = value[..., indices] if indices is not None else value
        for position, (_, state) in enumerate(self._checked_states()):
            out[_FINITE + str(position)] = _all_finite(state.value)
        return out

    def _checked_states(self) -> list[tuple[str, State]]:
        """What ``check_finite`` checks: the floating-point States written in the first step
        (found by the chunk's snapshot), named by their path in the model."""
        if self._checked is None:
            paths = _state_paths(self.model)
            written = self._snapshot.written_states if self._snapshot is not None else []
            self._checked = [
                (paths.get(id(state)) or state.name or f"{type(state).__name__} #{k}", state)
                for k, state in enumerate(written) if _holds_floats(state)]
        return self._checked

    def _step_args(self, args: tuple, t: Any, i: Any, row: Any) -> tuple:
        if self.inputs is None:
            return args
        value = row if row is not None else self.inputs(t, i)
        return args + (value if isinstance(value, tuple) else (value,))

    def _run_chunk(self, steps: Any, ts: Any, rows: Any, i0: Any, args: tuple
                   ) -> dict[str, Any]:
        backend = get_backend()

        def step(k: Any, t: Any, row: Any = None) -> dict[str, Any]:
            i = i0 + k
            if not backend.is_tracer(i):  # an eager loop: a failure is at this step
                self._started = int(i)
            environ.push_frame({"t": t, "i": i})
            try:
                self.model.update(*self._step_args(args, t, i, row))
                return self._record()
            finally:
                environ.pop_frame()
        return bc.for_loop(step, steps, ts) if rows is None else \
            bc.for_loop(step, steps, ts, rows)

    def _times(self, steps: int, t0: float, dt: float) -> np.ndarray:
        """The times of the next ``steps`` steps, ``t0 + i * dt`` in float64 from the step
        index, so that chunks and checkpoints do not change them. A compiled loop gets the
        array (jax holds it in its default float dtype), an eager one Python floats."""
        return t0 + (self.i + np.arange(steps)) * dt

    def _rows(self, steps: int) -> Any:
        """This chunk's rows of an array of inputs (None for a function or no inputs)."""
        if self.inputs is None or callable(self.inputs):
            return None
        first = self.i - self._inputs_start
        if first + steps > len(self.inputs):
            raise ValueError(f"inputs has {len(self.inputs)} rows (steps) but the run needs "
                             f"{first + steps}")
        return self.inputs[first:first + steps]

    def _chunk(self, steps: int, t0: float, dt: float, args: tuple) -> tuple[dict, int]:
        """Run ``steps`` steps; returns the records and how many steps ran (fewer only
        when an eager loop stopped early: Ctrl-C, or a non-finite State)."""
        rows = self._rows(steps)
        backend = get_backend()
        compiled = backend.traces or (self.jit if self.jit is not None else backend.compiles)
        if compiled and not (self.jit is False and backend.traces):
            ts = self._times(steps, t0, dt)
            if self.jit and not backend.compiles:
                with environ.context(jit=True):
                    return self._compiled_chunk(bm.arange(steps), ts, rows, self.i, args), steps
            return self._compiled_chunk(bm.arange(steps), ts, rows, self.i, args), steps
        return self._run_eager(steps, rows, self._times(steps, t0, dt).tolist(), self.i, args)

    def _run_eager(self, steps: int, rows: Any, ts: list[float], i0: int,
                   args: tuple) -> tuple[dict[str, Any], int]:
        """The same loop as :meth:`_run_chunk`, in plain Python for eager backends."""
        recorded: dict[str, list] = {}
        update = self.model.update
        ran = 0
        for k in range(steps):
            if self._interrupt is not None and self._interrupt.requested:
                break
            i, t = i0 + k, ts[k]
            self._started = i
            environ.push_frame({"t": t, "i": i})
            try:
                update(*self._step_args(args, t, i, None if rows is None else rows[k]))
                for name, value in self._record().items():
                    # a copy: a State's array may be changed in place later
                    recorded.setdefault(name, []).append(np.array(value))
            finally:
                environ.pop_frame()
            ran += 1
            if self._checked and not all(recorded[_FINITE + str(position)][-1]
                                         for position in range(len(self._checked or ()))):
                break
        names = list(self._monitors) + [_FINITE + str(p) for p in range(len(self._checked or ()))]
        return {name: np.stack(recorded[name]) if name in recorded else np.zeros(0)
                for name in names}, ran

    def _attempt(self, steps: int, dt: float, args: tuple
                 ) -> tuple[dict[str, Any], int, BaseException | None]:
        """Run a chunk so that whatever stops it, the States, ``t`` and ``i`` agree with
        the steps kept: ``(records, steps kept, what stopped it or None)``.

        A failed chunk is rewound to its start and, when the failing step is known (an
        eager loop's, or the step a ``jit_error_if`` remembers), run again up to it; a
        chunk in which a State became non-finite is run again up to that step.
        """
        self._started = None
        snapshot = self._snapshot = StateSnapshot()
        try:
            with snapshot:
                recorded, ran = self._chunk(steps, self._origin, dt, args)
        except BaseException as err:
            snapshot.restore()
            failed_at = step_of(err)
            failed_at = self._started if failed_at is None else failed_at
            if isinstance(err, Exception) and failed_at is not None and failed_at > self.i:
                recorded, ran = self._again(failed_at - self.i, dt, args)
                return recorded, ran, err
            return {}, 0, err
        checked = list(self._checked or ())
        if not checked:
            return recorded, ran, None
        finite = self._finite_flags(recorded)[:ran]
        bad = np.flatnonzero(~finite.all(axis=1))
        if not bad.size:
            return recorded, ran, None
        if bad[0] + 1 < ran:  # a compiled chunk went on past the step
            snapshot.restore()
            recorded, ran = self._again(int(bad[0]) + 1, dt, args)
            self._finite_flags(recorded)
        name, state = next(pair for pair, ok in zip(checked, finite[bad[0]], strict=True)
                           if not ok)
        step = self.i + int(bad[0])
        index = _first_nonfinite(state.value) if ran == bad[0] + 1 else ()
        return recorded, ran, NonFiniteError(
            f"State {name!r} became non-finite (NaN or infinity) at step {step} (t = "
            f"{self._origin + step * dt:g} ms), first at index {index}", {}, name, step, index)

    def _finite_flags(self, recorded: dict[str, Any]) -> np.ndarray:
        """Take the per-step finiteness records out of ``recorded``: (steps, States)."""
        to_numpy = get_backend().to_numpy
        columns = [np.asarray(to_numpy(recorded.pop(_FINITE + str(position), np.zeros(0))))
                   for position in range(len(self._checked or ()))]
        return np.stack(columns, axis=1).astype(bool)

    def _again(self, steps: int, dt: float, args: tuple) -> tuple[dict[str, Any], int]:
        """Run the first ``steps`` steps of a rewound chunk again (nothing, if they fail)."""
        snapshot = self._snapshot = StateSnapshot()
        try:
            with snapshot:
                return self._chunk(steps, self._origin, dt, args)
        except BaseException:
            snapshot.restore()
            return {}, 0

    def run(self, duration: float, *args: Any, inputs: Any = None,
            report: Callable[[dict[str, Any]], Any] | str | None = None
            ) -> dict[str, np.ndarray]:
        """Run for ``duration`` ms (continuing from the last run); ``args`` go to ``update``.

        ``args`` are the same every step. ``inputs`` gives this run's per-step input, as
        ``Runner(inputs=...)`` does (an array with one row per step of this run, or a
        function ``(t, i)``), in place of the runner's. ``report`` is called after each
        chunk of steps with ``{'t', 'i', 'done', 'total', 'elapsed'}``; ``'text'`` prints
        a line each time.

        Returns ``{'ts': times, name: recording, ...}``, each with a leading time axis;
        ``ts[k]`` is the time ``brainx.environ.get('t')`` had during step ``k``.
        If the run fails part-way (:class:`RunError`), is interrupted
        (:class:`RunInterrupted`) or meets a non-finite State (:class:`NonFiniteError`),
        the exception's ``results`` (and ``self.results``) hold every step it
        completed.

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     neurons = brainx.nn.LIF(3)
        ...     runner = brainx.Runner(neurons, monitors={'V': neurons.V}, monitor_every=1.0)
        ...     steps = brainx.nn.section_input([0.0, 30.0], [2.0, 3.0])
        ...     out = runner.run(5.0, inputs=steps, report='text')
        t = 5 ms (step 50 of 50, 100%) ...
        >>> out['ts'].tolist(), out['V'].shape
        ([0.0, 1.0, 2.0, 3.0, 4.0], (5, 3))
        """
        report = _reporter(report)
        if inputs is None:
            return self._run(duration, args, report)
        saved = self.inputs, self._inputs_start
        self.inputs, self._inputs_start = _as_inputs(inputs), self.i
        try:
            return self._run(duration, args, report)
        finally:
            self.inputs, self._inputs_start = saved

    def _run(self, duration: float, args: tuple,
             report: Callable[[dict[str, Any]], Any] | None) -> dict[str, np.ndarray]:
        dt = environ.dt_value()
        total = _steps(duration, dt)
        self._origin = self.t - self.i * dt  # 0 unless the caller set t
        if self.inputs is not None and not callable(self.inputs):
            needed = self.i - self._inputs_start + total
            if needed > len(self.inputs):
                raise ValueError(f"inputs has {len(self.inputs)} rows (steps) but the run needs "
                                 f"{needed}")
        every = self._checkpoint_steps(dt)
        sample = _whole_steps(self.monitor_every, dt, "monitor_every") \
            if self.monitor_every is not None else 1
        parts: dict[str, list[np.ndarray]] = {name: [] for name in self._monitors}
        times: list[np.ndarray] = []
        bar = None
        if self.progress_bar:
            from tqdm.auto import tqdm

            from brainx.compile._progress import advance

            bar = tqdm(total=total, desc="running")
        start, done = time.perf_counter(), 0
        stopped: BaseException | None = None
        interrupt = DeferredInterrupt("the run stops after the current chunk of steps")
        try:
            with interrupt:
                self._interrupt = interrupt
                while done < total and not interrupt.requested:
                    n = min(self.chunk_steps, total - done)
                    if every:  # chunks end where checkpoints are due
                        n = min(n, every - self.i % every)
                    recorded, ran, stopped = self._attempt(n, dt, args)
                    steps = self.i + np.arange(ran)
                    kept = steps % sample == 0 if sample > 1 else slice(None)
                    for name in parts:
                        if ran:
                            parts[name].append(np.asarray(recorded[name])[:ran][kept])
                    times.append((self._origin + steps * dt)[kept])
                    self.i += ran
                    self.t = self._origin + self.i * dt
                    done += ran
                    if bar is not None:
                        advance(bar, ran)  # close() draws the finished bar
                    if report is not None and ran:
                        report({"t": self.t, "i": self.i, "done": done, "total": total,
                                "elapsed": time.perf_counter() - start})
                    if stopped is not None:
                        break
                    if every and self.i % every == 0:
                        self.save_checkpoint(self.checkpoint_path)
        finally:
            self._interrupt = None
            if bar is not None:
                bar.close()
        self.elapsed = time.perf_counter() - start
        self.results = self._assemble(times, parts)
        kept = (f"{done} of {total} steps ran; the results hold them and the model is at "
                f"t = {self.t:g} ms (step {self.i}), where run() continues")
        if isinstance(stopped, NonFiniteError):
            stopped.results = self.results
            stopped.args = (f"{stopped.args[0]}; {kept}",)
            raise stopped
        if isinstance(stopped, Exception):
            raise RunError(f"the run failed at step {self.i} ({stopped!r}); {kept}"
                           f"{_per_step_hint(stopped, args, total)}", self.results) from stopped
        if stopped is not None and not isinstance(stopped, KeyboardInterrupt):
            raise stopped  # SystemExit and the like pass through
        if stopped is not None or interrupt.requested and done < total:
            raise RunInterrupted(f"the run was interrupted; {kept}", self.results) from None
        return self.results

    def _checkpoint_steps(self, dt: float) -> int:
        """Steps between checkpoints (0: none)."""
        if self.checkpoint_every is None:
            return 0
        return _whole_steps(self.checkpoint_every, dt, "checkpoint_every")

    def save_checkpoint(self, path: str) -> None:
        """Save the model's States, ``t``, ``i`` and ``dt`` to ``path`` (a ``.npz`` file).

        :meth:`load_checkpoint` on a runner of the same model (built anew, in another
        process or under the other backend) resumes exactly: the steps after it are the
        ones an uninterrupted run would take.

        Examples
        --------
        >>> import os, tempfile
        >>> import brainx
        >>> path = os.path.join(tempfile.mkdtemp(), 'run.npz')
        >>> with brainx.use_backend('numba'):
        ...     neurons = brainx.nn.LIF(4)
        ...     runner = brainx.Runner(neurons, monitors={'V': neurons.V})
        ...     _ = runner.run(2.0, 30.0)
        ...     runner.save_checkpoint(path)
        ...     again = brainx.nn.LIF(4)
        ...     resumed = brainx.Runner(again, monitors={'V': again.V})
        ...     resumed.load_checkpoint(path)
        ...     a, b = runner.run(1.0, 30.0), resumed.run(1.0, 30.0)
        >>> resumed.i, bool((a['V'] == b['V']).all()), float(b['ts'][0])
        (30, True, 2.0)
        """
        from brainx import checkpoint

        checkpoint.save(path, self.model, extra={"t": self.t, "i": self.i,
                                                 "dt": environ.dt_value()})

    def load_checkpoint(self, path: str) -> None:
        """Load the model's States, ``t`` and ``i`` saved by :meth:`save_checkpoint`."""
        from brainx import checkpoint

        arrays, extra = checkpoint.read(path)
        missing = {"t", "i", "dt"} - set(extra)
        if missing:
            raise checkpoint.CheckpointError(f"{path!r} was not saved by a Runner (it has no "
                                             f"{sorted(missing)}); use brainx.checkpoint.load")
        if not np.isclose(extra["dt"], environ.dt_value(), rtol=1e-12, atol=0.0):
            raise checkpoint.CheckpointError(f"{path!r} was saved at dt = {extra['dt']} ms, but "
                                             f"dt is {environ.dt_value()} ms now")
        checkpoint.load(path, self.model)
        self.t, self.i = float(extra["t"]), int(extra["i"])

    def to_xarray(self) -> Any:
        """The last run's recordings as an ``xarray.Dataset`` (``pip install
        'brainx[analysis]'``): one variable per monitor, on a ``time`` coordinate (ms) and
        a neuron coordinate ``<name>_neuron`` that lists the recorded indices (those of
        a ``(target, indices)`` monitor, else 0, 1, ...).

        Examples
        --------
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     neurons = brainx.nn.LIF(5)
        ...     runner = brainx.Runner(neurons, monitors={'V': (neurons.V, [1, 3])})
        ...     _ = runner.run(1.0, 30.0)
        >>> data = runner.to_xarray()
        >>> data['V'].dims, data['V_neuron'].values.tolist(), float(data['time'][-1])
        (('time', 'V_neuron'), [1, 3], 0.9)
        """
        try:
            import xarray
        except ImportError:
            raise ImportError("Runner.to_xarray needs xarray: pip install 'brainx[analysis]'"
                              ) from None
        if not self.results:
            raise RuntimeError("Runner.to_xarray: nothing recorded yet; call run() first")
        variables, coords = {}, {"time": ("time", self.results["ts"])}
        for name, (_, indices) in self._monitors.items():
            values = np.asarray(self.results[name])
            dims = ["time"]
            for axis, size in enumerate(values.shape[1:]):
                last = axis == values.ndim - 2
                dim = f"{name}_neuron" if last else f"{name}_axis{axis}"
                dims.append(dim)
                coords[dim] = (dim, np.asarray(indices).reshape(-1)
                               if last and indices is not None else np.arange(size))
            variables[name] = (dims, values)
        return xarray.Dataset(variables, coords=coords,
                              attrs={"dt_ms": environ.dt_value(), "backend": get_backend().name})

    @staticmethod
    def _assemble(times: list, parts: dict[str, list]) -> dict[str, np.ndarray]:
        def join(chunks: list) -> np.ndarray:  # one writable chunk is not copied
            if not chunks:
                return np.zeros(0)
            if len(chunks) == 1:
                return chunks[0] if chunks[0].flags.writeable else chunks[0].copy()
            return np.concatenate(chunks)

        out = {"ts": join(times)}
        out.update((name, join(chunks)) for name, chunks in parts.items())
        return out
