"""The ``brainx`` command: ``brainx info``, ``brainx run`` and ``brainx verify``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["main"]


def _info(_: argparse.Namespace) -> int:
    import brainx

    print(f"brainx {brainx.__version__}")
    print(f"precision: {brainx.environ.get_precision()} bit, dt: {brainx.environ.dt_value()} ms")
    registered = brainx.backend.registered_backends()
    available = brainx.available_backends()
    default = brainx.get_backend().name if available else None
    for name in registered:
        if name not in available:
            print(f"  {name:6s} not installed")
            continue
        b = brainx.get_backend(name)
        mark = " (default)" if name == default else ""
        print(f"  {name:6s} {b.version:10s} devices={','.join(b.devices())} "
              f"capabilities={','.join(sorted(b.usable_capabilities()))}{mark}")
    return 0


def _run_user_model(args: argparse.Namespace) -> int:
    """``brainx run file.py:factory``: run the model, report each spiking population."""
    import time

    import numpy as np

    import brainx
    from brainx._user_models import build, load_factory, spike_states

    factory = load_factory(args.model)
    with brainx.environ.context(precision=args.precision, dt=args.dt), \
            brainx.use_backend(args.backend or brainx.get_backend()) as active:
        start = time.perf_counter()
        model = build(factory, args.size if args.size_given else None)
        monitors = spike_states(model)
        if not monitors:
            raise ValueError(f"the model from {args.model} has no State named 'spike' to record")
        runner = brainx.Runner(model, monitors=monitors, progress_bar=args.progress)
        try:
            results, stopped = runner.run(args.duration), 0
        except brainx.RunInterrupted as interrupt:
            results, stopped = interrupt.results, 130  # the shell's code for Ctrl-C
        elapsed = time.perf_counter() - start
    ran = len(results["ts"]) * args.dt if stopped else args.duration
    if not len(results["ts"]):
        print(f"{args.model}: interrupted before the first chunk of steps completed")
        return stopped
    seconds = ran / 1000.0
    for name in monitors:
        spikes = results[name].reshape(len(results["ts"]), -1)
        rate = spikes.sum() / spikes.shape[1] / seconds
        print(f"{name}: {spikes.shape[1]} neurons, rate {rate:.2f} Hz")
    print(f"{args.model} backend={active.name} duration={ran:g} ms "
          f"time={elapsed:.3f} s (build, compile and run)"
          + (f" (interrupted: the rates are of the first {ran:g} of {args.duration:g} ms)"
             if stopped else ""))
    if args.plot:
        columns = [results[n].reshape(len(results["ts"]), -1) for n in monitors]
        groups, start = {}, 0
        for name, column in zip(monitors, columns, strict=True):
            groups[name] = slice(start, start + column.shape[1])
            start += column.shape[1]
        _save_raster(results["ts"], np.concatenate(columns, axis=1), args.model, args,
                     groups)
    return stopped


def _save_raster(ts: Any, spikes: Any, title: str, args: argparse.Namespace,
                 groups: dict[str, slice] | None) -> None:
    """A readable raster (``visualize.network_raster``): ``--plot-neurons`` of them,
    in ``--plot-window``, one colour per population, with their rates below."""
    import matplotlib

    import brainx

    matplotlib.use("Agg")
    fig = brainx.visualize.network_raster(ts, spikes, groups=groups, neurons=args.plot_neurons,
                                          window=args.plot_window, title=title,
                                          save=args.plot)
    import matplotlib.pyplot as plt

    plt.close(fig)
    print(f"raster saved to {args.plot}")


def _check_plot_path(path: str | None) -> None:
    """Refuse a ``--plot`` file that could not be written, before the simulation runs."""
    if path is None:
        return
    import os

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"--plot: the folder {folder!r} of {path!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"--plot: the folder {folder!r} of {path!r} is not writable")
    if os.path.isdir(path):
        raise ValueError(f"--plot: {path!r} is a folder; give a file name such as raster.png")


def _run(args: argparse.Namespace) -> int:
    import brainx
    from brainx.examples import EXAMPLES

    _check_plot_path(args.plot)
    if args.plot_window is not None and not args.plot_window[0] < args.plot_window[1]:
        raise ValueError(f"--plot-window must be START STOP with START < STOP (ms), got "
                         f"{args.plot_window[0]:g} {args.plot_window[1]:g}")
    if args.plot_neurons < 1:
        raise ValueError(f"--plot-neurons must be a positive number, got {args.plot_neurons}")
    if ":" in args.model:
        return _run_user_model(args)
    if args.model not in EXAMPLES:
        print(f"brainx run: unknown model {args.model!r}; choose from "
              f"{', '.join(sorted(EXAMPLES))}, or give path/to/file.py:factory", file=sys.stderr)
        return 2
    with brainx.environ.context(precision=args.precision, dt=args.dt):
        result = EXAMPLES[args.model](size=args.size, duration=args.duration, seed=args.seed,
                                      backend=args.backend, progress_bar=args.progress)
    print(result.summary())
    stopped = 130 if getattr(result, "interrupted_of_ms", None) else 0  # the code of Ctrl-C
    if args.plot:
        spikes = getattr(result, "spikes", None)
        if spikes is None:
            print(f"brainx run: model {args.model!r} records no raster to plot", file=sys.stderr)
            return 2
        import numpy as np

        _save_raster(np.arange(spikes.shape[0]) * args.dt, spikes,
                     result.summary().split(" first")[0], args,
                     getattr(result, "groups", None))
    return stopped


def _verify_factory(model: str, seed: int) -> Callable[..., Any] | None:
    """The factory of ``brainx verify``'s model: a built-in model's class (built with
    ``seed``) or the function of ``path/to/file.py:factory``; None (after saying so on
    stderr) for an unknown name."""
    import functools

    from brainx._user_models import load_factory
    from brainx.examples import MODELS

    if ":" in model:
        return load_factory(model)
    if model not in MODELS:
        print(f"brainx verify: unknown model {model!r}; choose from "
              f"{', '.join(sorted(MODELS))}, or give path/to/file.py:factory", file=sys.stderr)
        return None
    return functools.partial(MODELS[model], seed=seed)


def _verify_bound(args: argparse.Namespace) -> tuple[float, float, float]:
    """(ulps, atol, rtol): those given, else a built-in model's own bound (said on stdout,
    with its reason), else 4 ULP."""
    from brainx.examples import VERIFY_BOUNDS

    given = (args.ulps, args.atol, args.rtol)
    if any(value is not None for value in given) or args.model not in VERIFY_BOUNDS:
        return (4.0 if args.ulps is None else args.ulps, args.atol or 0.0, args.rtol or 0.0)
    bound = VERIFY_BOUNDS[args.model]
    ulps, atol = bound.tolerance(args.precision)
    print(f"{args.model}'s bound: {ulps} ULP or {atol:.3g} (give --ulps/--atol/--rtol for "
          f"another), because {bound.reason}")
    return ulps, atol, 0.0


def _verify(args: argparse.Namespace) -> int:
    """``brainx verify NAME`` or ``brainx verify file.py:factory``: compare the model's States
    across two backends."""
    import contextlib

    import brainx
    from brainx._user_models import build, load_function

    factory = _verify_factory(args.model, args.seed)
    if factory is None:
        return 2
    if args.inputs and ":" not in args.model:
        raise ValueError(f"--inputs names a function in the model's file; the built-in model "
                         f"{args.model!r} has none (it runs without inputs)")
    inputs = load_function(args.model, args.inputs) if args.inputs else None
    backends = [b.strip() for b in args.backends.split(",")] if args.backends else None
    compare = (brainx.testing.compare_lockstep if args.mode == "lockstep"
               else brainx.testing.compare_free)
    options = {"keep_divergent_step": True} if args.mode == "lockstep" else {}
    randomness = brainx.testing.fake_random() if args.fake_random else contextlib.nullcontext()
    ulps, atol, rtol = _verify_bound(args)
    with randomness, brainx.environ.context(dt=args.dt):
        report = compare(lambda: build(factory, args.size), steps=args.steps, inputs=inputs,
                         precision=args.precision, ulps=ulps, atol=atol, rtol=rtol,
                         backends=backends, strict_numerics=args.strict, **options)
        print(report.table())
        if args.json:
            report.to_json(args.json)
            print(f"report written to {args.json}")
        if not report.agree and args.debug:
            if args.mode != "lockstep":
                print("--debug re-runs a step from synchronised States: use it with "
                      "--mode lockstep", file=sys.stderr)
            else:
                where = report.divergent_step
                first = report.first_divergence
                print(f"re-running step {where['step']} (t = {where['t']:g} ms) on numba, "
                      f"eagerly, under pdb: 's' steps into update(), 'c' finishes it. "
                      f"Watch {first.name!r} at index {list(first.exceeded_index)}.")
                brainx.testing.debug_step(lambda: build(factory, args.size), where["states"],
                                          where["step"], where["t"], where["args"])
    return 0 if report.agree else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brainx", description="brainx command-line tools")
    sub = parser.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="installed backends, versions, devices and precision")
    info.set_defaults(func=_info)
    run = sub.add_parser("run", help="run a built-in model and report rates and timings")
    run.add_argument("model", nargs="?", default="coba",
                     help="built-in model: coba (default), cuba, cobahh, lif; or your own, "
                          "as path/to/file.py:factory (a function returning the model)")
    run.add_argument("--backend", default=None, help="jax or numba (default: the default backend)")
    run.add_argument("--duration", type=float, default=1000.0, help="simulated ms (default 1000)")
    run.add_argument("--size", type=int, default=None,
                     help="number of neurons (default 4000; passed to a factory that takes size)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--dt", type=float, default=0.1, help="time step in ms (default 0.1)")
    run.add_argument("--precision", type=int, default=32, choices=(32, 64))
    run.add_argument("--progress", action="store_true", help="show a progress bar")
    run.add_argument("--plot", metavar="FILE.png", default=None,
                     help="save a raster plot of the spikes with the population rates "
                          "(needs matplotlib)")
    run.add_argument("--plot-neurons", type=int, default=500, metavar="N",
                     help="neurons drawn in the raster, shared among the populations "
                          "(default 500; the rates use all)")
    run.add_argument("--plot-window", type=float, nargs=2, default=None,
                     metavar=("START", "STOP"), help="the time window drawn, in ms")
    run.set_defaults(func=_run)
    verify = sub.add_parser(
        "verify", help="check that a model gives the same States on two backends",
        description="Build the model on two backends, step both, and compare every State "
                    "(exit status 0 when they agree within the bound, 1 when not).")
    verify.add_argument("model",
                        help="built-in model: coba, cuba, cobahh, lif; or your own, as "
                             "path/to/file.py:factory (a function returning the model)")
    verify.add_argument("--steps", type=int, default=1000, help="steps to compare (default 1000)")
    verify.add_argument("--backends", default=None,
                        help="two backends, reference first (default: the installed ones)")
    verify.add_argument("--precision", type=int, default=64, choices=(32, 64))
    verify.add_argument("--mode", default="lockstep", choices=("lockstep", "free"),
                        help="lockstep: re-synchronise after each step (default); free: run "
                             "independently and find the first divergence")
    verify.add_argument("--ulps", type=float, default=None,
                        help="float States may differ by this many units in the last place "
                             "(default 4; a built-in model may have its own bound, which "
                             "verify prints with its reason)")
    verify.add_argument("--atol", type=float, default=None, help="... or by this much")
    verify.add_argument("--rtol", type=float, default=None,
                        help="... or by this much, relative")
    verify.add_argument("--strict", action="store_true",
                        help="compile without fused multiply-adds (exact IEEE arithmetic)")
    verify.add_argument("--fake-random", action="store_true",
                        help="exact stand-ins for normal/exponential/poisson draws")
    verify.add_argument("--inputs", metavar="FUNCTION", default=None,
                        help="a function inputs(t, i) in the same file giving update()'s "
                             "arguments each step")
    verify.add_argument("--size", type=int, default=None,
                        help="number of neurons (a built-in model's default: 4000; passed to a "
                             "factory that takes size)")
    verify.add_argument("--seed", type=int, default=0, help="seed of a built-in model")
    verify.add_argument("--dt", type=float, default=0.1, help="time step in ms (default 0.1)")
    verify.add_argument("--json", metavar="REPORT.json", default=None,
                        help="also write the report as JSON")
    verify.add_argument("--debug", action="store_true",
                        help="on divergence, re-run the first diverging step on numba under pdb")
    verify.set_defaults(func=_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``brainx`` console script."""
    args = _parser().parse_args(argv)
    if getattr(args, "command", None) == "run":
        args.size_given = args.size is not None
        args.size = 4000 if args.size is None else args.size
    try:
        return args.func(args)
    except (ValueError, ImportError) as err:
        print(f"brainx {args.command}: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
