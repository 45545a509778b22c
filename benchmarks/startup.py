"""How long a new process takes to start simulating COBA, per backend.

Each backend is timed in a fresh interpreter (kernel caches warm from earlier
runs): importing brainx, loading the backend, building the network, and the first
10 ms of simulation (compilation included). Run it twice: the first run may fill
the caches.

    python benchmarks/startup.py [--size 4000]
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4000)
    args = parser.parse_args()
    import brainx

    print(f"{'backend':8s} {'import s':>9s} {'backend s':>10s} {'build s':>8s} "
          f"{'first 10 ms s':>14s} {'total s':>8s}")
    for backend in brainx.available_backends():
        done = subprocess.run([sys.executable, "-c", PROBE.format(backend=backend,
                                                                    size=args.size)],
                              capture_output=True, text=True, check=True)
        phases = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{backend:8s} " + " ".join(f"{p:>{w}.2f}" for p, w in
                                           zip(phases, (9, 10, 8, 14), strict=True))
              + f" {sum(phases):8.2f}")


if __name__ == "__main__":
    main()
