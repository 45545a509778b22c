"""Lockstep and free-run comparisons of one model on two backends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from brainx import environ
from brainx.backend import available_backends, use_backend
from brainx.runner import Runner
from brainx.testing._report import Report, StateDifference
from brainx.testing._simulation import Simulation, split_lane, step_arguments

__all__ = ["compare_lockstep", "compare_free", "assert_backends_agree", "MODES"]

MODES = ("lockstep", "free")
_FREE_RUN_BYTES = 256 * 2**20  # recorded values held per chunk of a free run


def _check(steps: Any, precision: Any, ulps: Any, atol: Any, rtol: Any,
           backends: Sequence[str] | None) -> tuple[str, str]:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if precision not in (32, 64):
        raise ValueError(f"precision must be 32 or 64, got {precision!r}")
    if not (isinstance(ulps, (int, float)) and not isinstance(ulps, bool) and ulps >= 0):
        raise ValueError(f"ulps must be a non-negative number, got {ulps!r}")
    for name, value in (("atol", atol), ("rtol", rtol)):
        if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0):
            raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    names = list(backends) if backends is not None else available_backends()
    installed = available_backends()
    unknown = [b for b in names if split_lane(b)[0] not in installed]
    if unknown:
        raise ValueError(f"backends {unknown} are not installed; installed: "
                         f"{', '.join(installed) or 'none'}")
    if len(names) != 2 or names[0] == names[1]:
        raise ValueError(f"a comparison needs two different backends (or two lanes of one, "
                         f"such as 'numba:compiled' and 'numba:eager'), got {names}")
    return names[0], names[1]


def _differences(names: Sequence[str], values: dict[str, np.ndarray]) -> dict[str, StateDifference]:
    return {n: StateDifference(n, str(values[n].dtype), tuple(values[n].shape)) for n in names}


def compare_lockstep(factory: Callable[[], Any], steps: int = 100, inputs: Any = None,
                     precision: int = 64, ulps: float = 4, atol: float = 0.0,
                     rtol: float = 0.0, backends: Sequence[str] | None = None,
                     strict_numerics: bool = False,
                     keep_divergent_step: bool = False) -> Report:
    """Step the model on two backends from identical States, re-synchronising each step.

    Both backends start from the first backend's initial States. After every step
    each State is compared (ULP distance, absolute and relative difference, the
    worst index), then the second backend is given the first one's values again,
    so the report measures one-step differences without chaotic amplification.

    Parameters
    ----------
    factory : callable
        ``factory()`` returns the model (anything with ``update``); it is called
        once per backend, with that backend active.
    steps : int
        Steps to compare.
    inputs : tuple, callable or array, optional
        ``update``'s arguments: constants, ``inputs(t, i)`` (evaluated on the host
        and given to both backends), or an array with one row per step.
    precision : {32, 64}
    ulps, atol, rtol : float
        The bound: a float State agrees where it is within ``ulps`` units in the
        last place or within ``atol + rtol * |value|``; spike, integer and boolean
        States must be equal.
    backends : pair of str, optional
        Default: the two installed backends (the first is the reference). A name may
        carry a lane: ``('numba:eager', 'numba:compiled')`` compares numba's compiled
        path with its eager one.
    strict_numerics : bool
        Compile without fused multiply-adds (see :func:`brainx.compile.jit`).
    keep_divergent_step : bool
        Keep the States from just before the first step that exceeded the bound,
        with its time and inputs, as ``report.divergent_step`` (for
        :func:`debug_step`).

    Examples
    --------
    >>> import brainx
    >>> from brainx.testing import compare_lockstep
    >>> report = compare_lockstep(lambda: brainx.nn.LIF(10), steps=20, inputs=(20.0,))
    >>> report.agree, [s.name for s in report.states]
    (True, ['V', 'spike'])
    """
    ref_name, other_name = _check(steps, precision, ulps, atol, rtol, backends)
    dt = environ.dt_value()
    with environ.context(precision=precision):
        ref = Simulation(ref_name, factory, strict_numerics)
        other = Simulation(other_name, factory, strict_numerics)
        other.load(ref.snapshot())
        dynamic = list(ref.dynamic())
        current = ref.snapshot(dynamic)
        diffs = _differences(list(current), current)
        divergent = None
        for i in range(steps):
            t = i * dt
            args = tuple(np.asarray(a) for a in step_arguments(inputs, t, i))
            before = current
            ref.step(t, i, args)
            other.step(t, i, args)
            current, got = ref.snapshot(dynamic), other.snapshot(dynamic)
            for name, value in current.items():
                diffs[name].update(i, value, got[name], ulps, atol, rtol)
            if divergent is None and keep_divergent_step and any(
                    d.exceeded for d in diffs.values()):
                divergent = {"step": i, "t": t, "args": args, "states": before}
            other.load(current)
        params = [n for n in ref.states if n not in dynamic]
        _compare_final(ref, other, params, diffs, steps, ulps, atol, rtol)
    return Report("lockstep", (ref_name, other_name), precision, steps, ulps, atol,
                  strict_numerics, list(diffs.values()), rtol, divergent)


def _compare_final(ref: Simulation, other: Simulation, names: list[str],
                   diffs: dict[str, StateDifference], steps: int, ulps: float,
                   atol: float, rtol: float) -> None:
    """Parameters are compared once, at the end (they do not change in a simulation)."""
    if not names:
        return
    final_ref, final_other = ref.snapshot(names), other.snapshot(names)
    diffs.update(_differences(list(final_ref), final_ref))
    for name, value in final_ref.items():
        diffs[name].update(steps - 1, value, final_other[name], ulps, atol, rtol)


def compare_free(factory: Callable[[], Any], steps: int = 1000, inputs: Any = None,
                 precision: int = 64, ulps: float = 4, atol: float = 0.0,
                 rtol: float = 0.0, backends: Sequence[str] | None = None,
                 strict_numerics: bool = False) -> Report:
    """Run the model independently on two backends and compare every step's States.

    Each backend builds its own model (so initial States come from each
    backend's own initialisation) and runs compiled chunks as the
    :class:`~brainx.Runner` does. Per State the report gives the first step and
    index where the two differ, and the largest difference; for spike States,
    whether the rasters are identical and, if not, the first differing spike.
    ``inputs`` are passed to the Runner (a function ``inputs(t, i)`` runs on each
    backend; an array gives one row per step). Other parameters are those of
    :func:`compare_lockstep`.

    Examples
    --------
    >>> import brainx
    >>> from brainx.testing import compare_free
    >>> report = compare_free(lambda: brainx.nn.LIF(5), steps=50, inputs=(20.0,))
    >>> report.agree, report.states[1].name, report.states[1].identical
    (True, 'spike', True)
    """
    ref_name, other_name = _check(steps, precision, ulps, atol, rtol, backends)
    dt = environ.dt_value()
    constant = inputs if isinstance(inputs, tuple) else ()
    per_step = None if isinstance(inputs, tuple) else inputs
    with environ.context(precision=precision):
        sims = [Simulation(name, factory, strict_numerics) for name in (ref_name, other_name)]
        dynamic = list(sims[0].dynamic())
        initial = [sim.snapshot(dynamic) for sim in sims]
        diffs = _differences(list(initial[0]), initial[0])
        bytes_per_step = sum(v.nbytes for v in initial[0].values()) or 1
        chunk = int(max(1, min(1000, _FREE_RUN_BYTES // bytes_per_step)))
        runners = []
        for sim in sims:
            with use_backend(sim.backend):
                runners.append(Runner(sim.model, monitors=sim.dynamic(), chunk_steps=chunk,
                                      inputs=per_step, strict_numerics=strict_numerics,
                                      jit=sim.jit))
        done = 0
        while done < steps:
            n = min(chunk, steps - done)
            recorded = []
            for sim, runner in zip(sims, runners, strict=True):
                with use_backend(sim.backend):
                    recorded.append(runner.run(n * dt, *constant))
            block = np.arange(done, done + n)
            for name in dynamic:
                diffs[name].update(block, recorded[0][name], recorded[1][name], ulps, atol,
                                   rtol)
            done += n
        params = [n for n in sims[0].states if n not in dynamic]
        _compare_final(sims[0], sims[1], params, diffs, steps, ulps, atol, rtol)
    return Report("free", (ref_name, other_name), precision, steps, ulps, atol,
                  strict_numerics, list(diffs.values()), rtol)


def assert_backends_agree(factory: Callable[[], Any], steps: int = 100, inputs: Any = None,
                          precision: int = 64, mode: str = "lockstep", ulps: float = 4,
                          atol: float = 0.0, rtol: float = 0.0,
                          backends: Sequence[str] | None = None,
                          strict_numerics: bool = False) -> Report:
    """Raise ``AssertionError`` with the report's table unless the backends agree.

    ``mode`` is ``'lockstep'`` (:func:`compare_lockstep`) or ``'free'``
    (:func:`compare_free`); the other parameters are theirs. Returns the report.

    Examples
    --------
    >>> import brainx
    >>> from brainx.testing import assert_backends_agree
    >>> report = assert_backends_agree(lambda: brainx.nn.Expon(8, tau=5.0), steps=10,
    ...                                inputs=(1.0,), ulps=0)
    >>> report.agree
    True
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    compare = compare_lockstep if mode == "lockstep" else compare_free
    report = compare(factory, steps=steps, inputs=inputs, precision=precision, ulps=ulps,
                     atol=atol, rtol=rtol, backends=backends, strict_numerics=strict_numerics)
    if not report.agree:
        raise AssertionError("the backends disagree\n" + report.table())
    return report
