"""``bp.DSRunner`` and ``bp.LoopOverTime``: BrainPy 2's runners on ``brainx.Runner``.

Each step saves ``t``, ``i`` and ``dt`` for ``bp.share``, clears the inputs of the last
step (``clear_input()`` of every module), applies ``inputs``, calls the model with this
step's rows of the input arrays, and records the monitors; ``run`` returns the model's
outputs stacked over time, and ``runner.mon`` holds ``ts`` and the monitors.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     neurons = bp.neurons.LIF(3, V_rest=0.0, V_th=1.0, V_reset=0.0, tau=10.0)
...     runner = bp.DSRunner(neurons, monitors=['V'], inputs=('input', 2.0),
...                          progress_bar=False)
...     _ = runner.run(1.0)
>>> runner.mon['V'].shape, round(float(runner.mon.V[-1, 0]), 4)   # 2 (1 - e^-0.1)
((10, 3), 0.1903)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

import brainx
import brainx.math as _bxm
from brainx import environ
from brainx.compat.brainpy._dynsys import input_clearers, takes_shared_first
from brainx.compat.brainpy._legacy import _OPERATIONS
from brainx.compat.brainpy._share import share
from brainx.compat.brainpy.math import _unwrap, for_loop
from brainx.modes import Batching
from brainx.nn import Module
from brainx.state import State

__all__ = ["DSRunner", "LoopOverTime"]


class _Monitors(dict):
    """``mon['ts']``, ``mon['E.spike']`` and ``mon.ts``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"the runner has no monitor {name!r}; it has "
                                 f"{sorted(self)}") from None


def _lookup(target: Any, path: str, what: str) -> Any:
    node = target
    for part in path.split("."):
        if not hasattr(node, part):
            raise ValueError(f"{what} {path!r}: {type(node).__name__} has no attribute {part!r}")
        node = getattr(node, part)
    return node


def _monitor_readers(target: Any, monitors: Any) -> dict[str, Any]:
    if monitors is None:
        return {}
    items = monitors.items() if isinstance(monitors, Mapping) else \
        ((m if isinstance(m, str) else m[0], m) for m in monitors)
    readers: dict[str, Any] = {}
    for name, spec in items:
        indices = None
        if isinstance(spec, tuple) and len(spec) == 2:
            spec, indices = spec
        value = _lookup(target, spec, "monitor") if isinstance(spec, str) else spec
        if not isinstance(value, State) and not callable(value):
            raise ValueError(f"monitor {name!r} must name a Variable or be a function, got "
                             f"{type(value).__name__}")
        readers[name] = value if indices is None else (value, np.asarray(indices))
    return readers


def _one_spec(inputs: Any) -> bool:
    return (isinstance(inputs, (tuple, list)) and 2 <= len(inputs) <= 4
            and isinstance(inputs[0], (str, State)) and not isinstance(inputs[1], (tuple, list))
            and all(isinstance(x, str) for x in inputs[2:]))


def _input_specs(target: Any, inputs: Any) -> list[tuple[State, Any, str, str]]:
    if inputs is None or (isinstance(inputs, (tuple, list)) and not inputs):
        return []
    specs = [inputs] if _one_spec(inputs) else list(inputs)
    parsed = []
    for spec in specs:
        if not _one_spec(spec):
            raise ValueError(f"inputs must be (target, value[, 'fix'|'iter'|'func'"
                             f"[, operation]]) or a list of them, got {spec!r}")
        where, value = spec[0], spec[1]
        kind = spec[2] if len(spec) > 2 else "fix"
        op = spec[3] if len(spec) > 3 else "+"
        variable = _lookup(target, where, "input target") if isinstance(where, str) else where
        if not isinstance(variable, State):
            raise ValueError(f"input target {where!r} must be a Variable, got "
                             f"{type(variable).__name__}")
        if kind not in ("fix", "iter", "func"):
            raise ValueError(f"the input type of {where!r} must be 'fix', 'iter' or 'func', "
                             f"got {kind!r}")
        if op not in _OPERATIONS:
            raise ValueError(f"the input operation of {where!r} must be one of "
                             f"{sorted(_OPERATIONS)}, got {op!r}")
        if kind == "iter":  # a State, so compiled steps index it (i is traced there)
            value = State(_bxm.asarray(_unwrap(value)))
        parsed.append((variable, value, kind, op))
    return parsed


def _call_with_shared(function: Callable[..., Any]) -> Any:
    return function(share.get_shargs()) if takes_shared_first(function) else function()


class _Step(Module):
    """One DSRunner step: clear, inputs, the model's call."""

    def __init__(self, runner: DSRunner):
        super().__init__()
        self.target = runner.target
        self.runner = runner
        self.output: Any = None
        self.clearers: list = []  # the target's clear_input methods, found once per run

    def update(self, *rows: Any) -> None:
        runner = self.runner
        if runner.shared_args:
            share.save(**runner.shared_args)
        for clear in self.clearers:
            clear()
        i = environ.get("i")
        if callable(runner.inputs):
            _call_with_shared(runner.inputs)
        else:
            for variable, value, kind, op in runner.inputs:
                given = value.value[i] if kind == "iter" else \
                    _call_with_shared(value) if kind == "func" else value
                old = variable.value
                new = _bxm.asarray(_OPERATIONS[op](old, given), dtype=old.dtype)
                variable.value = new if new.shape == old.shape else \
                    _bxm.array(_bxm.broadcast_to(new, old.shape))
        out = self.target(*rows)
        if isinstance(out, State):
            out = out.value
        self.output = None if out is None else _bxm.asarray(out)


class DSRunner:
    """BrainPy 2's runner of a dynamical system, on ``brainx.Runner``.

    Parameters
    ----------
    target
        The model; each step calls ``target(*x)`` with this step's rows of the input
        arrays given to :meth:`run` (none by default).
    inputs
        ``(target, value[, 'fix'|'iter'|'func'[, op]])``, a list of them, or a function
        called each step (with the shared arguments when its first parameter is
        ``tdi``). ``target`` is a Variable or its path (``'E.input'``); ``op`` is one of
        ``'+'`` (default), ``'-'``, ``'*'``, ``'/'``, ``'='``.
    monitors
        A list of paths (``'E.spike'``, or ``(path, indices)``) or a dict of names to a
        Variable, a path, ``(Variable, indices)`` or a function.
    jit
        False steps the model in Python (``brainx.Runner(jit=False)``).
    dt, t0
        The step (default ``bm.get_dt()``) and the start time.
    progress_bar
        Show a progress bar.
    """

    def __init__(self, target: Any, inputs: Any = (), monitors: Any = None,
                 numpy_mon_after_run: bool = True, jit: bool | dict = True, dyn_vars: Any = None,
                 memory_efficient: bool = False, dt: float | None = None, t0: float = 0.0,
                 progress_bar: bool = True, data_first_axis: str | None = None,
                 fun_inputs: Callable | None = None, fun_monitors: dict | None = None):
        if not isinstance(target, Module):
            raise TypeError(f"target must be a dynamical system, got {type(target).__name__}")
        if dt is not None and (isinstance(dt, bool) or not float(dt) > 0):
            raise ValueError(f"dt must be a positive number (ms), got {dt!r}")
        if data_first_axis is None:  # BrainPy's default: batch-first for batched models
            data_first_axis = "B" if isinstance(getattr(target, "mode", None), Batching) \
                else "T"
        if data_first_axis not in ("B", "T"):
            raise ValueError(f"data_first_axis must be 'B' or 'T', got {data_first_axis!r}")
        self.data_first_axis = data_first_axis
        self.target = target
        self.dt = float(dt) if dt is not None else None
        self.t0, self.i0 = float(t0), 0
        self.jit = (jit.get("predict", True) if isinstance(jit, dict) else bool(jit))
        self.progress_bar = progress_bar
        self.inputs = inputs if callable(inputs) else _input_specs(target, inputs)
        readers = _monitor_readers(target, monitors)
        for name, function in (fun_monitors or {}).items():
            readers[name] = function
        self._readers = readers
        self.shared_args: dict[str, Any] = {}
        self.mon = _Monitors({name: np.zeros(0) for name in readers})
        self.mon["ts"] = np.zeros(0)
        self._step = _Step(self)

    def _steps(self, duration: float | None, xs: tuple) -> int:
        if xs:
            return len(xs[0])
        if duration is None:
            raise ValueError("give the duration (ms) or the input arrays to run")
        if not duration > 0:
            raise ValueError(f"duration must be positive (ms), got {duration!r}")
        return int(duration / environ.dt_value())

    def predict(self, duration: float | None = None, inputs: Any = None,
                reset_state: bool = False, eval_time: bool = False,
                shared_args: dict | None = None) -> Any:
        """Run ``duration`` ms, or one step per row of ``inputs``; return the model's
        outputs stacked over time (``(seconds, outputs)`` with ``eval_time=True``)."""
        with environ.context(**({"dt": self.dt} if self.dt is not None else {})):
            return self._predict(duration, inputs, reset_state, eval_time, shared_args)

    def _predict(self, duration: Any, inputs: Any, reset_state: bool, eval_time: bool,
                 shared_args: Any) -> Any:
        xs = () if inputs is None else tuple(inputs) if isinstance(inputs, (tuple, list)) \
            else (inputs,)
        xs = tuple(_bxm.asarray(_unwrap(x)) for x in xs)
        if self.data_first_axis == "B":  # batch-first inputs: the loop runs over time
            xs = tuple(_bxm.moveaxis(x, 0, 1) for x in xs)
        steps = self._steps(duration if not xs else None, xs)
        if reset_state:
            self.target.reset()
            self.i0 = 0
        self.shared_args = dict(shared_args or {})
        dt = environ.dt_value()
        monitors = dict(self._readers)
        monitors["__output__"] = lambda: (self._step.output if self._step.output is not None
                                         else _bxm.zeros(0))
        feed = None
        if len(xs) == 1:
            feed = xs[0]
        elif xs:
            i0, held = self.i0, [State(x) for x in xs]  # States: indexed by a traced i

            def feed(t: Any, i: Any) -> tuple:
                return tuple(x.value[i - i0] for x in held)
        self._step.clearers = input_clearers(self.target)
        runner = brainx.Runner(self._step, monitors=monitors, inputs=feed,
                               progress_bar=self.progress_bar,
                               jit=None if self.jit else False)
        runner.t, runner.i = self.t0 + self.i0 * dt, self.i0
        start = time.perf_counter()
        recorded = runner.run(steps * dt)
        elapsed = time.perf_counter() - start
        output = recorded.pop("__output__")
        self.mon["ts"] = recorded.pop("ts")
        if self.data_first_axis == "B":  # (time, batch, ...) -> (batch, time, ...)
            recorded = {k: np.moveaxis(v, 0, 1) if v.ndim >= 2 else v
                        for k, v in recorded.items()}
            output = np.moveaxis(output, 0, 1) if output.ndim >= 2 else output
        self.mon.update(recorded)
        self.i0 += steps
        output = None if output.ndim == 2 and output.shape[1] == 0 else output
        return (elapsed, output) if eval_time else output

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """The same as :meth:`predict`."""
        return self.predict(*args, **kwargs)

    __call__ = run

    def reset_state(self) -> None:
        """Start the step count (and ``t``) at 0 again."""
        self.i0 = 0


class LoopOverTime(Module):
    """A model run over time when called: ``LoopOverTime(model)(xs)`` calls ``model(x)``
    for each row of ``xs`` (or ``duration / dt`` times for a duration) and returns the
    outputs stacked over time."""

    def __init__(self, target: Any, out_vars: Any = None, jit: bool = True,
                 remat: bool = False, name: str | None = None):
        super().__init__(name=name)
        if out_vars is not None:
            raise NotImplementedError("out_vars is not supported: monitor with bp.DSRunner")
        self.target = target
        self.jit = jit
        self.i0 = 0

    def update(self, duration_or_xs: Any) -> Any:
        if isinstance(duration_or_xs, (int, float)):
            steps = int(duration_or_xs / environ.dt_value())
            xs = None
        else:
            xs = _bxm.asarray(duration_or_xs)
            steps = len(xs)
        indices = _bxm.arange(self.i0, self.i0 + steps)
        self.i0 += steps

        def step(i: Any, *x: Any) -> Any:
            return self.target.step_run(i, *x)

        operands = (indices,) if xs is None else (indices, xs)
        return for_loop(step, operands, jit=None if self.jit else False)
