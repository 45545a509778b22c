"""COBA (Vogels & Abbott 2005) at several sizes with fan-in 80, on each engine and peer.

Prints, per size: the first call (build the network, compile or load kernels, and
run the whole duration once), the compile time (the first call less a run), and
the seconds of wall time per simulated second of a second, timed run of the same
length (so no compilation is timed), for each lane: brainx numba compiled
(``Runner(jit=True)``), brainx numba eager (``Runner(jit=False)``), brainx jax, the
hand-written whole-loop ``@njit`` limit (``benchmarks/limit_coba.py``, the same
arithmetic and connectivity as brainx's numba backend); then the same for every
peer simulator that can be imported by ``--peer-python`` (default: this
interpreter): brainstate, BrainPy 2, Brian2 (numpy and, with a C++ compiler,
cpp_standalone). Each peer runs in its own process, from ``benchmarks/peers/``, in
the same run. Ratios: numba compiled over the limit (target at most 1.2) and over
Brian2 cpp_standalone (target at most 1.0), and each brainx lane over each peer.

Every lane and every peer computes in float64 (``--precision 32`` for float32 in all of
them: each peer script takes the same ``--precision``), and each peer script says at
its top how its arithmetic matches brainx's.

    python benchmarks/coba.py [--sizes 4000 16000 64000] [--duration 1000] [--precision 64]
                              [--peer-python /path/to/venv/bin/python] [--no-peers] [--units]
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from limit_coba import run_limit

import brainx
from brainx.examples.coba import COBANetwork

PEERS = {  # name: (script, extra argument, module to import)
    "brainstate": ("brainstate_coba.py", None, "brainstate"),
    "BrainPy 2": ("brainpy_coba.py", None, "brainpy"),
    "Brian2 numpy": ("brian2_coba.py", "numpy", "brian2"),
    "Brian2 cpp_standalone": ("brian2_coba.py", "cpp_standalone", "brian2"),
}
PUBLISHED_4000 = {"Brian2 cpp_standalone": 0.08, "BrainPy 2": 0.76, "brainstate": 1.37,
                  "Brian2 numpy": 1.39}
# name: (backend, Runner's jit=; None: the Runner's default)
LANES = {"brainx numba compiled": ("numba", True), "brainx numba eager": ("numba", False),
         "brainx jax": ("jax", None)}
COMPILED, EAGER, LIMIT, BRIAN2_CPP = ("brainx numba compiled", "brainx numba eager", "limit",
                                      "Brian2 cpp_standalone")


def runner_accepts_jit() -> bool:
    """Whether ``brainx.Runner`` takes ``jit=`` (the switch between compiled and eager)."""
    return "jit" in inspect.signature(brainx.Runner).parameters


def measure(backend: str, size: int, duration: float, units: bool = False,
            jit: bool | None = None, build: Callable[[int], Any] | None = None,
            precision: int = 64) -> dict[str, float]:
    """Build ``build(size)`` (default ``COBANetwork(size, seed=0)``), run it twice, time both."""
    if build is None:
        def build(n: int) -> Any:
            return COBANetwork(n, seed=0, units=units)  # fan-in 80 at every size
    options = {} if jit is None else {"jit": jit}
    with brainx.use_backend(backend), brainx.environ.context(precision=precision):
        start = time.perf_counter()
        net = build(size)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike}, **options)
        runner.run(duration)
        first = time.perf_counter() - start
        start = time.perf_counter()
        spikes = runner.run(duration)["spike"]
        per_second = (time.perf_counter() - start) / (duration / 1000.0)
    n_exc = net.num_exc
    seconds = duration / 1000.0
    return {"first_call_s": first, "per_sim_s": per_second,
            "rate_exc_hz": float(spikes[:, :n_exc].sum()) / n_exc / seconds,
            "rate_inh_hz": float(spikes[:, n_exc:].sum()) / (size - n_exc) / seconds}


def measure_lanes(size: int, duration: float, precision: int, units: bool = False,
                  build: Callable[[int], Any] | None = None,
                  suffix: str = "") -> dict[str, dict[str, float]]:
    """Every lane of ``LANES`` whose backend is installed; a lane that needs ``jit=`` is
    skipped with a printed note while the Runner lacks it (the eager lane then runs with
    the Runner's default, which is eager on numba)."""
    backends, with_jit = brainx.available_backends(), runner_accepts_jit()
    results = {}
    for name, (backend, jit) in LANES.items():
        if backend not in backends:
            continue
        if jit and not with_jit:
            print(f"{size:8d} {name + suffix}: skipped, brainx.Runner does not take jit= yet")
            continue
        results[name + suffix] = measure(backend, size, duration, units, jit if with_jit else
                                         None, build, precision)
    return results


def measure_limit(size: int, duration: float, precision: int) -> dict[str, float]:
    result = run_limit(size, duration, precision)
    del result["spikes"]
    return result


def peer_available(python: str, module: str) -> bool:
    probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
    return probe.returncode == 0


def available_peers(python: str) -> dict[str, tuple]:
    """The entries of ``PEERS`` whose simulator ``python`` can import."""
    return {name: spec for name, spec in PEERS.items() if peer_available(python, spec[2])}


def run_peer(python: str, script: str, extra: str | None, size: int, duration: float,
             precision: int = 64) -> dict[str, float] | str:
    path = Path(__file__).parent / "peers" / script
    command = [python, str(path), str(size), str(duration)] + ([extra] if extra else []) + \
        ["--precision", str(precision)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return (done.stderr.strip().splitlines() or ["no output"])[-1][:100]


def run_peers(python: str, peers: dict[str, tuple], size: int, duration: float,
              precision: int = 64) -> dict[str, dict[str, float]]:
    """Each peer's result at ``size`` and ``precision``; a failure is printed and left out."""
    theirs: dict[str, dict[str, float]] = {}
    for name, (script, extra, _) in peers.items():
        result = run_peer(python, script, extra, size, duration, precision)
        if isinstance(result, str):
            print(f"{size:8d} {name:22s} failed: {result}")
        else:
            theirs[name] = result
    return theirs


def header() -> str:
    return (f"{'neurons':>8s} {'simulator':22s} {'first call s':>12s} {'compile s':>10s} "
            f"{'s per sim s':>12s} {'E Hz':>7s} {'I Hz':>7s}")


def row(name: str, size: int, result: dict[str, float], duration: float) -> str:
    compile_s = max(0.0, result["first_call_s"] - result["per_sim_s"] * duration / 1000.0)
    return (f"{size:8d} {name:22s} {result['first_call_s']:12.2f} {compile_s:10.2f} "
            f"{result['per_sim_s']:12.3f} {result['rate_exc_hz']:7.1f} "
            f"{result['rate_inh_hz']:7.1f}")


def ratio(size: int, results: dict[str, dict[str, float]], a: str, b: str,
          target: float | None = None) -> None:
    """Print ``a``'s time over ``b``'s when both were measured."""
    if a in results and b in results:
        value = results[a]["per_sim_s"] / results[b]["per_sim_s"]
        goal = "" if target is None else f" (target <= {target})"
        print(f"{size:8d} ratio {a} / {b}: {value:.2f}{goal}")


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000, 64000])
    parser.add_argument("--duration", type=float, default=1000.0, help="simulated ms per size")
    parser.add_argument("--precision", type=int, choices=(32, 64), default=64,
                        help="bits of brainx's and the limit's floats")
    parser.add_argument("--peer-python", default=sys.executable,
                        help="interpreter that has the peer simulators installed")
    parser.add_argument("--no-peers", action="store_true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--units", action="store_true",
                        help="also run the network written with brainunit Quantities "
                             "(COBANetwork(units=True)) and print its time over the unitless one")
    args = parser.parse_args()
    peers = {} if args.no_peers else available_peers(args.peer_python)
    print(f"float{args.precision}, {args.duration:g} ms per run")
    print(header())
    for size in args.sizes:
        ours = measure_lanes(size, args.duration, args.precision)
        with_units = measure_lanes(size, args.duration, args.precision, units=True,
                                   suffix=" units") if args.units else {}
        limit = {LIMIT: measure_limit(size, args.duration, args.precision)}
        theirs = run_peers(args.peer_python, peers, size, args.duration, args.precision)
        results = {**ours, **with_units, **limit, **theirs}
        for name, result in results.items():
            print(row(name, size, result, args.duration))
        for name, result in with_units.items():
            plain = ours[name.removesuffix(" units")]
            same = result["rate_exc_hz"] == plain["rate_exc_hz"] and \
                result["rate_inh_hz"] == plain["rate_inh_hz"]
            print(f"{size:8d} ratio {name} / unitless: "
                  f"{result['per_sim_s'] / plain['per_sim_s']:.3f} (same rates: {same})")
        ratio(size, results, COMPILED, LIMIT, 1.2)
        ratio(size, results, COMPILED, BRIAN2_CPP, 1.0)
        ratio(size, results, COMPILED, EAGER)
        ratio(size, results, "brainx jax", EAGER)
        for name in ours:
            for peer in theirs:
                if (name, peer) != (COMPILED, BRIAN2_CPP):  # printed above
                    ratio(size, results, name, peer)
    print("published, 4000 neurons, s per simulated second: " +
          ", ".join(f"{k} {v}" for k, v in PUBLISHED_4000.items()))


if __name__ == "__main__":
    main()
