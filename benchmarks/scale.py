"""COBA at large sizes: wall time, peak memory and bytes per synapse, per backend.

Each (backend, size) runs in a fresh process, so its peak resident memory
(``ru_maxrss``) is its own. It builds ``brainx.examples.coba.COBANetwork`` (fan-out 80),
runs ``--duration`` ms once (the first call: compilation and the run) and again (the
timed run), and prints one row: build s, first call s, run s, peak MiB, the synapse count
and the bytes per synapse of the connectivity brainx holds (CSR row pointers, the post-
and presynaptic index of each synapse, the weights).

    python benchmarks/scale.py [--sizes 100000 1000000 4000000] [--duration 100]
                               [--backends numba jax]

This is P11's baseline: one thread on numba and one device on jax. Measured on the
2-core development VM (100 ms; first call / run in s, peak MiB)::

    numba  10^5  4.68 / 0.43   295    10^6  10.69 / 6.69  1209    4x10^6  41.64 / 44.31  4393
    jax    10^5  1.57 / 0.85   567    10^6   9.82 / 8.93  1963    4x10^6  50.57 / 43.47  6545

jax with its closed-over arrays written into the program (``JAX_USE_SIMPLIFIED_JAXPR_
CONSTANTS=0``) took 2.01 / 17.90 / 98.38 s for the first call and 788 / 3534 / 12949 MiB.
8.1 bytes per synapse (homogeneous weights).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

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


def measure(backend: str, size: int, duration: float) -> dict[str, float]:
    """One lane, in this process."""
    with brainx.use_backend(backend):
        start = time.perf_counter()
        net = COBANetwork(size, seed=0)
        build = time.perf_counter() - start
        runner = brainx.Runner(net, monitors={"rate": brainx.monitors.population_rate(
            net.N.spike)})
        start = time.perf_counter()
        runner.run(duration)
        first = time.perf_counter() - start
        start = time.perf_counter()
        rate = runner.run(duration)["rate"]
        run = time.perf_counter() - start
    synapses, nbytes = connectivity_bytes(net)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"build_s": build, "first_call_s": first, "run_s": run, "peak_mib": peak_mib,
            "synapses": synapses, "bytes_per_synapse": nbytes / synapses,
            "rate_hz": float(rate.mean())}


def run_child(backend: str, size: int, duration: float) -> dict[str, float] | str:
    command = [sys.executable, __file__, "--child", backend, str(size), str(duration)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return (done.stderr.strip().splitlines() or ["no output"])[-1][:120]


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 4_000_000])
    parser.add_argument("--duration", type=float, default=100.0)
    parser.add_argument("--backends", nargs="+", default=["numba", "jax"])
    args = parser.parse_args()
    print(f"COBA, fan-out 80, {args.duration:g} ms per run, float32, one thread / one device")
    print(f"{'backend':7s} {'neurons':>9s} {'synapses':>11s} {'build s':>8s} {'first s':>8s} "
          f"{'run s':>7s} {'peak MiB':>9s} {'B/syn':>6s} {'Hz':>5s}")
    for backend in args.backends:
        for size in args.sizes:
            r = run_child(backend, size, args.duration)
            if isinstance(r, str):
                print(f"{backend:7s} {size:9d} failed: {r}")
                continue
            print(f"{backend:7s} {size:9d} {r['synapses']:11d} {r['build_s']:8.2f} "
                  f"{r['first_call_s']:8.2f} {r['run_s']:7.2f} {r['peak_mib']:9.0f} "
                  f"{r['bytes_per_synapse']:6.2f} {r['rate_hz']:5.1f}")


if __name__ == "__main__":
    main()
