"""Time per training step of the surrogate-gradient SNN of brainx.examples.snn_classifier.

The network: 40 Poisson inputs -> 64 recurrent LIF neurons (exact exponential step,
arctan surrogate, hard reset to 0 without gradient through the reset) -> 4 leaky
readouts; 100 time steps of 1 ms, batch 64, cross-entropy of the time-averaged readout,
one Adam step (optax), the whole step compiled (brainx: compile.jit around augment.grad
and optim.Adam). brainstate's equivalent (``peers/brainstate_training.py``, the same
equations written with brainstate's States and transforms, float32) runs in its own
process in the same run when ``--peer-python`` can import brainstate.

    python benchmarks/training.py [--steps 50] [--hidden 64] [--peer-python PYTHON]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import brainx
from brainx.examples.snn_classifier import RecurrentSNN, Trainer, rate_coded_patterns

BATCH, TIME_STEPS, N_IN, N_OUT = 64, 100, 40, 4


def measure_brainx(hidden: int, steps: int) -> dict[str, float]:
    with brainx.use_backend("jax"), brainx.environ.context(dt=1.0):
        x, y = rate_coded_patterns(BATCH, n_in=N_IN, n_classes=N_OUT, steps=TIME_STEPS)
        trainer = Trainer(RecurrentSNN(N_IN, hidden, N_OUT), lr=1e-3)
        xs, ys = brainx.math.asarray(x), brainx.math.asarray(y)
        start = time.perf_counter()
        trainer._step(xs, ys).block_until_ready()
        first = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(steps):
            loss = trainer._step(xs, ys)
        loss.block_until_ready()
        per_step = (time.perf_counter() - start) / steps
    return {"first_call_s": first, "per_step_s": per_step, "loss": float(loss)}


def measure_peer(python: str, hidden: int, steps: int) -> dict[str, float] | str:
    script = Path(__file__).parent / "peers" / "brainstate_training.py"
    done = subprocess.run([python, str(script), str(hidden), str(steps)], capture_output=True,
                          text=True, timeout=1800)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return (done.stderr.strip().splitlines() or ["no output"])[-1][:200]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50, help="timed training steps")
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--peer-python", default=sys.executable)
    args = parser.parse_args()
    try:
        has_peer = subprocess.run([args.peer_python, "-c", "import brainstate"],
                                  capture_output=True).returncode == 0
    except OSError:
        has_peer = False
    print(f"batch {BATCH}, {TIME_STEPS} time steps, {N_IN} inputs, {N_OUT} classes, float32")
    print(f"{'hidden':>6s} {'framework':12s} {'first call s':>12s} {'ms per step':>12s}")
    for hidden in args.hidden:
        ours = measure_brainx(hidden, args.steps)
        print(f"{hidden:6d} {'brainx jax':12s} {ours['first_call_s']:12.2f} "
              f"{ours['per_step_s'] * 1e3:12.2f}")
        if not has_peer:
            print(f"{hidden:6d} brainstate: not importable by {args.peer_python}")
            continue
        theirs = measure_peer(args.peer_python, hidden, args.steps)
        if isinstance(theirs, str):
            print(f"{hidden:6d} brainstate failed: {theirs}")
            continue
        print(f"{hidden:6d} {'brainstate':12s} {theirs['first_call_s']:12.2f} "
              f"{theirs['per_step_s'] * 1e3:12.2f}")
        print(f"{hidden:6d} ratio brainx / brainstate: "
              f"{ours['per_step_s'] / theirs['per_step_s']:.2f}")


if __name__ == "__main__":
    main()
