"""COBA (Vogels & Abbott 2005) at several sizes with fan-in 80, on each backend.

Prints seconds of wall time per simulated second, the first-call (compile) time
separately, and the ratio between backends, measured in this run. brainstate,
BrainPy and Brian2 are not run by this script yet; their published times on this
kind of machine (4000 neurons) are printed for scale.

    python benchmarks/coba.py [--sizes 4000 16000 64000] [--duration 1000]
"""

from __future__ import annotations

import argparse
import time

import brainx
from brainx.examples.coba import COBANetwork

PEERS_4000 = {"Brian2 cpp_standalone": 0.08, "BrainPy 2 (jax)": 0.76, "brainstate (jax)": 1.37,
              "Brian2 numpy": 1.39}


def measure(backend: str, size: int, duration: float) -> tuple[float, float]:
    with brainx.use_backend(backend):
        start = time.perf_counter()
        net = COBANetwork(size, seed=0)  # fan-in 80 at every size
        runner = brainx.Runner(net, monitors={"spike": net.N.spike})
        runner.run(min(duration, 10.0))
        first = time.perf_counter() - start
        start = time.perf_counter()
        runner.run(duration)
        per_second = (time.perf_counter() - start) / (duration / 1000.0)
    return first, per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000, 64000])
    parser.add_argument("--duration", type=float, default=1000.0, help="simulated ms per size")
    args = parser.parse_args()
    backends = brainx.available_backends()
    print(f"{'neurons':>8s} {'backend':8s} {'first call s':>12s} {'s per sim s':>12s}")
    for size in args.sizes:
        rows = {b: measure(b, size, args.duration) for b in backends}
        for b, (first, per_second) in rows.items():
            print(f"{size:8d} {b:8s} {first:12.2f} {per_second:12.2f}")
        if len(rows) == 2:
            (a, ra), (b, rb) = rows.items()
            print(f"{size:8d} ratio {a}/{b}: {ra[1] / rb[1]:.2f}")
    print("published, 4000 neurons, s per simulated second: " +
          ", ".join(f"{k} {v}" for k, v in PEERS_4000.items()))


if __name__ == "__main__":
    main()
