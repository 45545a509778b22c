"""How long a new process takes to start simulating COBA, per backend, on warm caches.

For each backend a first process fills the caches (Python's bytecode, the numba
backend's compiled kernels and step functions, jax's persistent compilation cache when
configured); then a second, fresh interpreter is timed: importing brainx, loading the
backend, building the network, and the first 10 ms of simulation (100 steps; compilation
or loading of compiled code included). Target for numba: under 1 s in total.

Python writes bytecode caches unless ``PYTHONDONTWRITEBYTECODE`` is set; some
sandboxes set it, and then every module of brainx is compiled from source at each
start (about 0.2 s more here). The child processes run without it, as a user's Python
does; ``--no-bytecode`` keeps it to measure that case.

    python benchmarks/startup.py [--size 4000] [--repeats 3] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

PROBE = """
import json, time
t0 = time.perf_counter()
import brainx
t1 = time.perf_counter()
brainx.set_backend({backend!r}); brainx.get_backend()
t2 = time.perf_counter()
from brainx.examples.coba import COBANetwork
net = COBANetwork({size}, seed=0)
t3 = time.perf_counter()
brainx.Runner(net, monitors={{"spike": net.N.spike}}).run(10.0)
t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
"""
TARGET_NUMBA_S = 1.0


def probe(backend: str, size: int, env: dict[str, str]) -> list[float]:
    """Phase times of one fresh interpreter starting ``backend``."""
    done = subprocess.run([sys.executable, "-c", PROBE.format(backend=backend, size=size)],
                          capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed processes per backend; the median total is reported")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE as it is set here")
    args = parser.parse_args()
    import brainx

    env = dict(os.environ)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"{'backend':8s} {'import s':>9s} {'backend s':>10s} {'build s':>8s} "
          f"{'first 10 ms s':>14s} {'total s':>8s}   (median of {args.repeats} warm starts)")
    for backend in brainx.available_backends():
        probe(backend, args.size, env)  # fills the caches
        runs = sorted((probe(backend, args.size, env) for _ in range(args.repeats)), key=sum)
        phases = runs[len(runs) // 2]
        verdict = ""
        if backend == "numba":
            verdict = f"   target < {TARGET_NUMBA_S:.1f} s: " + (
                "met" if sum(phases) < TARGET_NUMBA_S else "MISSED")
        print(f"{backend:8s} " + " ".join(f"{p:>{w}.2f}" for p, w in
                                           zip(phases, (9, 10, 8, 14), strict=True))
              + f" {sum(phases):8.2f}{verdict}")


if __name__ == "__main__":
    main()
