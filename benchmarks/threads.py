"""COBA on numba with 1 and N threads: the speed-up of ``environ.set(threads=N)``.

Both lanes run the same compiled network (``brainx.examples.coba.COBANetwork``, fan-out
80, float32, a population-rate monitor): a fresh process builds it, runs 10 ms that
compile it and ``--duration`` ms once more (both untimed), then times ``--runs`` runs of
``--duration`` ms. The lanes alternate ``--repeats`` times; the table gives each lane's
median and best run and the ratios of both, and a last line checks P11's bound (two
threads at least 1.6x as fast as one, by the medians, at the default 64000 neurons). The
lanes' population rates must agree (the rasters are identical,
tests/unit/test_threads.py); the script stops if they do not.

    python benchmarks/threads.py [--size 64000] [--duration 1000] [--threads 2] [--repeats 3]
                                 [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any


def lane(size: int, duration: float, threads: int, runs: int) -> dict[str, Any]:
    import brainx
    from brainx.examples.coba import COBANetwork

    brainx.set_backend("numba")
    brainx.environ.set(threads=threads)
    net = COBANetwork(size, seed=0)
    runner = brainx.Runner(net, monitors={"rate": brainx.monitors.population_rate(
        net.N.spike)}, jit=True)
    runner.run(10.0)
    runner.run(duration)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        rate = runner.run(duration)["rate"]
        seconds.append(time.perf_counter() - start)
    return {"seconds": seconds, "rate_hz": float(rate.mean())}


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        print(json.dumps(lane(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]),
                              int(sys.argv[5]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=64000)
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], args.threads: []}
    rates: dict[int, float] = {}
    for _ in range(args.repeats):
        for threads in times:
            done = subprocess.run([sys.executable, __file__, "--child", str(args.size),
                                   str(args.duration), str(threads), str(args.runs)],
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            times[threads].extend(result["seconds"])
            rates[threads] = result["rate_hz"]
    print(f"COBA {args.size} neurons, {args.duration:g} ms, numba compiled, float32, "
          f"{args.repeats} processes x {args.runs} runs per lane")
    print(f"{'threads':>7s} {'median s':>9s} {'best s':>7s} {'rate Hz':>8s}")
    for threads, values in times.items():
        print(f"{threads:7d} {statistics.median(values):9.3f} {min(values):7.3f} "
              f"{rates[threads]:8.2f}")
    one, many = times[1], times[args.threads]
    median = statistics.median(one) / statistics.median(many)
    print(f"speed-up with {args.threads} threads: median {median:.2f}x, "
          f"best {min(one) / min(many):.2f}x")
    if rates[1] != rates[args.threads]:
        sys.exit(f"the lanes' rates differ: {rates[1]!r} Hz against {rates[args.threads]!r}")
    print(f"P11 bound (median at least 1.6x): {'within' if median >= 1.6 else 'NOT met'}")


if __name__ == "__main__":
    main()
