"""COBA at large sizes: wall time, compile time, peak memory and bytes per synapse, per lane.

Each (lane, size) runs in a fresh process, so its peak resident memory (``ru_maxrss``) is
its own. It builds ``brainx.examples.coba.COBANetwork`` (fan-out 80, float32), runs
``--duration`` ms once (the first call: compilation and the run) and twice more (the
timed runs), and prints one row: build s, first call s, compile s (the first call less the
faster timed run), jax s (on jax, the seconds jax itself reports for tracing, lowering and
XLA's compilation in the first call, which exclude moving arrays), run s (the faster), peak
MiB, the synapse count and the bytes per synapse of the connectivity the
layers hold (``FixedProb.nbytes``: row pointers, postsynaptic indices, weights, and what
the backend made of them: a device copy, presynaptic indices, per-thread splits).

A lane is ``numba:T`` (numba compiled on T threads, ``all`` for every core) or
``jax:D`` (jax on D CPU devices: the child starts with
``XLA_FLAGS=--xla_force_host_platform_device_count=D`` and ``environ.set(devices=D)``).

    python benchmarks/scale.py [--sizes 100000 1000000 4000000] [--duration 100]
                               [--lanes numba:1 numba:all jax:1 jax:4] [--repeats 1]

``arrays`` is the MiB of the connectivity and the States. For each jax lane measured at
10^5 and 10^6 neurons a last line checks P11's bound: jax's compile seconds at most 1.2x,
and the peak at most 1.2 x the peak at 10^5 plus the arrays' growth.

P11's baseline (before threads and devices), on the 2-core development VM (100 ms; first
call / run in s, peak MiB)::

    numba  10^5  4.68 / 0.43   295    10^6  10.69 / 6.69  1209    4x10^6  41.64 / 44.31  4393
    jax    10^5  1.57 / 0.85   567    10^6   9.82 / 8.93  1963    4x10^6  50.57 / 43.47  6545

jax with its closed-over arrays written into the program (``JAX_USE_SIMPLIFIED_JAXPR_
CONSTANTS=0``) took 2.01 / 17.90 / 98.38 s for the first call and 788 / 3534 / 12949 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

import brainx
from brainx.examples.coba import COBANetwork


def connectivity_bytes(net: COBANetwork) -> tuple[int, int]:
    """(synapses, bytes of their arrays) over the network's two projections."""
    synapses = nbytes = 0
    for projection in (net.E, net.I):
        comm = projection.comm
        synapses += comm.num_synapses
        nbytes += comm.nbytes
    return synapses, nbytes


def state_bytes(net: COBANetwork) -> int:
    """Bytes of the network's State arrays (potentials, conductances, spikes, ...)."""
    return sum(int(getattr(state.value, "nbytes", 0))
               for state in brainx.graph.states(net).values())


_COMPILE_EVENTS = ("jaxpr_trace_duration", "jaxpr_to_mlir_module_duration",
                   "backend_compile_duration")


def _jax_compile_seconds() -> list[float]:
    """A list that jax fills with the durations of its tracing, lowering and compiling.
    Called after brainx loaded its jax backend, which sets jax's options before jax starts
    (imported first, jax would write the connectivity into the programs)."""
    import jax

    seconds: list[float] = []

    def listen(event: str, duration: float, **_: object) -> None:
        if event.endswith(_COMPILE_EVENTS):
            seconds.append(duration)
    jax.monitoring.register_event_duration_secs_listener(listen)
    return seconds


def measure(backend: str, size: int, duration: float, parallel: str) -> dict[str, float]:
    """One lane, in this process (``parallel``: numba's threads or jax's devices)."""
    if backend == "numba":
        brainx.environ.set(threads=None if parallel == "all" else int(parallel))
    else:
        brainx.environ.set(devices=int(parallel))
    stages: list[float] = []
    with brainx.use_backend(backend):
        if backend == "jax":
            stages = _jax_compile_seconds()
        start = time.perf_counter()
        net = COBANetwork(size, seed=0)
        build = time.perf_counter() - start
        runner = brainx.Runner(net, monitors={"rate": brainx.monitors.population_rate(
            net.N.spike)})
        stages.clear()  # building the network compiled small programs of its own
        start = time.perf_counter()
        runner.run(duration)
        first = time.perf_counter() - start
        jax_compile = sum(stages)
        run = float("inf")
        for _ in range(2):  # the faster of two runs: the compile time is the first call less it
            start = time.perf_counter()
            rate = runner.run(duration)["rate"]
            run = min(run, time.perf_counter() - start)
    synapses, nbytes = connectivity_bytes(net)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"build_s": build, "first_call_s": first, "compile_s": max(first - run, 0.0),
            "jax_compile_s": jax_compile,
            "run_s": run, "peak_mib": peak_mib,
            "arrays_mib": (nbytes + state_bytes(net)) / 2**20,
            "synapses": synapses, "bytes_per_synapse": nbytes / synapses,
            "rate_hz": float(rate.mean())}


def run_child(lane: str, size: int, duration: float) -> dict[str, float] | str:
    backend, _, parallel = lane.partition(":")
    parallel = parallel or "1"
    env = dict(os.environ)
    if backend == "jax":
        env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_"
                            f"count={parallel}").strip()
    command = [sys.executable, __file__, "--child", backend, str(size), str(duration),
               parallel]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, env=env)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return (done.stderr.strip().splitlines() or ["no output"])[-1][:120]


def median_row(rows: list[dict[str, float]]) -> dict[str, float]:
    """Each column's median over repeated processes of one lane and size."""
    return {key: float(np.median([r[key] for r in rows])) for key in rows[0]}


def check_growth(lane: str, small: dict[str, float], large: dict[str, float],
                 limit: float = 1.2) -> None:
    """P11's bound from ``small`` (10^5 neurons) to ``large`` (10^6): jax's compile
    seconds, and the peak memory beyond the growth of the arrays, at most ``limit`` x."""
    compile_ratio = large["jax_compile_s"] / small["jax_compile_s"]
    grown = large["arrays_mib"] - small["arrays_mib"]
    allowed = limit * small["peak_mib"] + grown
    print(f"{lane}: jax compile {large['jax_compile_s']:.2f} / {small['jax_compile_s']:.2f} s "
          f"= {compile_ratio:.2f}x ({'within' if compile_ratio <= limit else 'over'} "
          f"{limit}x); peak {large['peak_mib']:.0f} MiB against {limit} x "
          f"{small['peak_mib']:.0f} + {grown:.0f} (the arrays' growth) = {allowed:.0f} MiB "
          f"({'within' if large['peak_mib'] <= allowed else 'over'})")


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
                                 sys.argv[5])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 4_000_000])
    parser.add_argument("--duration", type=float, default=100.0)
    parser.add_argument("--lanes", nargs="+",
                        default=["numba:1", "numba:all", "jax:1", "jax:4"])
    parser.add_argument("--repeats", type=int, default=1,
                        help="processes per lane and size; a row gives each column's median")
    args = parser.parse_args()
    print(f"COBA, fan-out 80, {args.duration:g} ms per run, float32"
          + (f", medians of {args.repeats} processes" if args.repeats > 1 else ""))
    print(f"{'lane':9s} {'neurons':>9s} {'synapses':>11s} {'build s':>8s} {'first s':>8s} "
          f"{'compile':>8s} {'jax s':>6s} {'run s':>7s} {'peak MiB':>9s} {'arrays':>7s} "
          f"{'B/syn':>6s} {'Hz':>5s}")
    measured: dict[tuple[str, int], dict[str, float]] = {}
    for lane in args.lanes:
        for size in args.sizes:
            rows = [run_child(lane, size, args.duration) for _ in range(args.repeats)]
            failed = [r for r in rows if isinstance(r, str)]
            if failed:
                print(f"{lane:9s} {size:9d} failed: {failed[0]}")
                continue
            r = measured[lane, size] = median_row(rows)
            print(f"{lane:9s} {size:9d} {int(r['synapses']):11d} {r['build_s']:8.2f} "
                  f"{r['first_call_s']:8.2f} {r['compile_s']:8.2f} {r['jax_compile_s']:6.2f} "
                  f"{r['run_s']:7.2f} {r['peak_mib']:9.0f} {r['arrays_mib']:7.0f} "
                  f"{r['bytes_per_synapse']:6.2f} {r['rate_hz']:5.1f}")
    for lane in args.lanes:
        small, large = measured.get((lane, 100_000)), measured.get((lane, 1_000_000))
        if lane.startswith("jax") and small and large:
            check_growth(lane, small, large)


if __name__ == "__main__":
    main()
