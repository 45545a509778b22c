"""COBA (Vogels & Abbott 2005) at several sizes with fan-in 80, on each backend and peer.

Prints, per size: the first call (build the network, compile or load kernels, and
run the whole duration once), the compile time (the first call less a run), and
the seconds of wall time per simulated second of a second, timed run of the same
length (so no compilation is timed), for each brainx backend; then the same for
every peer simulator that can be imported by ``--peer-python`` (default: this
interpreter): brainstate, BrainPy 2, Brian2
(numpy and, with a C++ compiler, cpp_standalone). Each peer runs in its own
process, from ``benchmarks/peers/``, in the same run; ratios are brainx's time
over the peer's.

    python benchmarks/coba.py [--sizes 4000 16000 64000] [--duration 1000]
                              [--peer-python /path/to/venv/bin/python] [--no-peers] [--units]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

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


def measure(backend: str, size: int, duration: float, units: bool = False) -> dict[str, float]:
    with brainx.use_backend(backend):
        start = time.perf_counter()
        net = COBANetwork(size, seed=0, units=units)  # fan-in 80 at every size
        runner = brainx.Runner(net, monitors={"spike": net.N.spike})
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


def peer_available(python: str, module: str) -> bool:
    probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
    return probe.returncode == 0


def run_peer(python: str, script: str, extra: str | None, size: int,
             duration: float) -> dict[str, float] | str:
    path = Path(__file__).parent / "peers" / script
    command = [python, str(path), str(size), str(duration)] + ([extra] if extra else [])
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return (done.stderr.strip().splitlines() or ["no output"])[-1][:100]


def row(name: str, size: int, result: dict[str, float], duration: float) -> str:
    compile_s = max(0.0, result["first_call_s"] - result["per_sim_s"] * duration / 1000.0)
    return (f"{size:8d} {name:22s} {result['first_call_s']:12.2f} {compile_s:10.2f} "
            f"{result['per_sim_s']:12.3f} {result['rate_exc_hz']:7.1f} "
            f"{result['rate_inh_hz']:7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000, 64000])
    parser.add_argument("--duration", type=float, default=1000.0, help="simulated ms per size")
    parser.add_argument("--peer-python", default=sys.executable,
                        help="interpreter that has the peer simulators installed")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--units", action="store_true",
                        help="also run the network written with brainunit Quantities "
                             "(COBANetwork(units=True)) and print its time over the unitless one")
    args = parser.parse_args()
    backends = brainx.available_backends()
    peers = {} if args.no_peers else {
        name: spec for name, spec in PEERS.items() if peer_available(args.peer_python, spec[2])}
    print(f"{'neurons':>8s} {'simulator':22s} {'first call s':>12s} {'compile s':>10s} "
          f"{'s per sim s':>12s} {'E Hz':>7s} {'I Hz':>7s}")
    for size in args.sizes:
        ours = {f"brainx {b}": measure(b, size, args.duration) for b in backends}
        with_units = {f"brainx {b} units": measure(b, size, args.duration, units=True)
                      for b in backends} if args.units else {}
        theirs: dict[str, dict[str, float]] = {}
        for name, (script, extra, _) in peers.items():
            result = run_peer(args.peer_python, script, extra, size, args.duration)
            if isinstance(result, str):
                print(f"{size:8d} {name:22s} failed: {result}")
            else:
                theirs[name] = result
        for name, result in {**ours, **with_units, **theirs}.items():
            print(row(name, size, result, args.duration))
        for name, result in with_units.items():
            plain = ours[name.removesuffix(" units")]
            same = result["rate_exc_hz"] == plain["rate_exc_hz"] and \
                result["rate_inh_hz"] == plain["rate_inh_hz"]
            print(f"{size:8d} ratio {name} / unitless: "
                  f"{result['per_sim_s'] / plain['per_sim_s']:.3f} (same rates: {same})")
        if len(backends) == 2:
            a, b = (f"brainx {name}" for name in backends)
            print(f"{size:8d} ratio {a} / {b}: {ours[a]['per_sim_s'] / ours[b]['per_sim_s']:.2f}")
        for name, result in ours.items():
            for peer, other in theirs.items():
                print(f"{size:8d} ratio {name} / {peer}: "
                      f"{result['per_sim_s'] / other['per_sim_s']:.2f}")
    print("published, 4000 neurons, s per simulated second: " +
          ", ".join(f"{k} {v}" for k, v in PUBLISHED_4000.items()))


if __name__ == "__main__":
    main()
