"""Running a model for a duration and recording what it does."""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import compile as bc
from brainx import environ
from brainx._units import is_quantity, to_canonical
from brainx.backend import get_backend
from brainx.state import State

__all__ = ["Runner", "RunError"]


class RunError(RuntimeError):
    """A run failed part-way; ``results`` holds what was recorded before the failure.

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


RunError.__module__ = "brainx"


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
                 jit: bool | None = None):
        if not hasattr(model, "update"):
            raise TypeError(f"model must have an update() method, got {type(model).__name__}")
        if isinstance(chunk_steps, bool) or not isinstance(chunk_steps, int) or chunk_steps < 1:
            raise ValueError(f"chunk_steps must be a positive int, got {chunk_steps!r}")
        if jit is not None and not isinstance(jit, bool):
            raise ValueError(f"jit must be True, False or None (the environ default), got {jit!r}")
        self.model = model
        self.jit = jit
        self.progress_bar = progress_bar
        self.chunk_steps = chunk_steps
        self.t = 0.0
        self.i = 0
        if inputs is not None and not callable(inputs):
            inputs = np.asarray(inputs)
            if inputs.ndim == 0:
                raise ValueError("inputs must be a function (t, i) -> value or an array with one "
                                 "row per step, got a scalar (pass constants to run() instead)")
        self.inputs = inputs
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
        return out

    def _step_args(self, args: tuple, t: Any, i: Any, row: Any) -> tuple:
        if self.inputs is None:
            return args
        value = row if row is not None else self.inputs(t, i)
        return args + (value if isinstance(value, tuple) else (value,))

    def _run_chunk(self, steps: Any, rows: Any, t0: Any, i0: Any, dt: float,
                   args: tuple) -> dict[str, Any]:
        backend = get_backend()

        def step(k: Any, row: Any = None) -> dict[str, Any]:
            # kept apart from the addition: XLA would fuse it into an FMA, rounding t
            # differently from the eager loop
            t, i = t0 + backend.materialize(k * dt), i0 + k
            environ.push_frame({"t": t, "i": i})
            try:
                self.model.update(*self._step_args(args, t, i, row))
                return self._record()
            finally:
                environ.pop_frame()
        return bc.for_loop(step, steps) if rows is None else bc.for_loop(step, steps, rows)

    def _rows(self, steps: int) -> Any:
        """This chunk's rows of an array of inputs (None for a function or no inputs)."""
        if self.inputs is None or callable(self.inputs):
            return None
        if self.i + steps > len(self.inputs):
            raise ValueError(f"inputs has {len(self.inputs)} rows (steps) but the run needs "
                             f"{self.i + steps}")
        return self.inputs[self.i:self.i + steps]

    def _chunk(self, steps: int, t0: float, dt: float, args: tuple) -> dict[str, Any]:
        rows = self._rows(steps)
        backend = get_backend()
        compiled = backend.traces or (self.jit if self.jit is not None else backend.compiles)
        if compiled and not (self.jit is False and backend.traces):
            if self.jit and not backend.compiles:
                with environ.context(jit=True):
                    return self._compiled_chunk(bm.arange(steps), rows, t0, self.i, dt, args)
            return self._compiled_chunk(bm.arange(steps), rows, t0, self.i, dt, args)
        return self._run_eager(steps, rows, t0, self.i, dt, args)

    def _run_eager(self, steps: int, rows: Any, t0: float, i0: int, dt: float,
                   args: tuple) -> dict[str, Any]:
        """The same loop as :meth:`_run_chunk`, in plain Python for eager backends."""
        recorded: dict[str, list] = {name: [] for name in self._monitors}
        columns = [(recorded[name], read, indices)
                   for name, (read, indices) in self._monitors.items()]
        update = self.model.update
        for k in range(steps):
            t, i = t0 + k * dt, i0 + k
            environ.push_frame({"t": t, "i": i})
            try:
                update(*self._step_args(args, t, i, None if rows is None else rows[k]))
                for column, read, indices in columns:
                    value = read()  # a copy: a State's array may be changed in place later
                    column.append(np.array(value[..., indices] if indices is not None
                                           else value))
            finally:
                environ.pop_frame()
        return {name: np.stack([np.asarray(v) for v in values])
                for name, values in recorded.items()}

    def run(self, duration: float, *args: Any) -> dict[str, np.ndarray]:
        """Run for ``duration`` ms (continuing from the last run); ``args`` go to ``update``.

        Returns ``{'ts': times, name: recording, ...}``, each with a leading time axis;
        ``ts[k]`` is the time ``brainx.environ.get('t')`` had during step ``k``.
        If the run fails part-way, ``RunError.results`` (and ``self.results``) hold
        the chunks recorded before the failure.
        """
        dt = environ.dt_value()
        total = _steps(duration, dt)
        parts: dict[str, list[np.ndarray]] = {name: [] for name in self._monitors}
        times: list[np.ndarray] = []
        bar = None
        if self.progress_bar:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, desc="running")
        start, done = time.perf_counter(), 0
        try:
            while done < total:
                n = min(self.chunk_steps, total - done)
                recorded = self._chunk(n, self.t, dt, args)
                for name in parts:
                    parts[name].append(np.asarray(recorded[name]))
                times.append(self.t + np.arange(n) * dt)
                self.t += n * dt
                self.i += n
                done += n
                if bar is not None:
                    bar.update(n)
        except Exception as err:
            self.results = self._assemble(times, parts)
            raise RunError(f"the run failed after {done} of {total} steps ({err!r}); "
                           f"RunError.results holds what was recorded", self.results) from err
        finally:
            if bar is not None:
                bar.close()
        self.elapsed = time.perf_counter() - start
        self.results = self._assemble(times, parts)
        return self.results

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
