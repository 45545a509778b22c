"""The cost of ``Runner(check_finite=True)`` on the COBA network, in one run.

Each backend runs the built-in COBA network (``brainx.examples.coba``, 4000 neurons by
default) for the same duration with and without the NaN/Inf check, recording the spikes.
Each lane is compiled and warmed up by a first run of one chunk, then timed as the
best of ``--repeats`` runs; the ratio is checked / unchecked. The check computes, in
the compiled loop, one ``all(isfinite(...))`` per floating-point State per step.

    python benchmarks/check_finite.py [--size 4000] [--duration 1000] [--repeats 3]

Measured on the 2-core development VM (4000 neurons, 1000 ms, best of 3)::

    numba  unchecked 0.164 s  checked 0.277 s  ratio 1.69
    jax    unchecked 0.514 s  checked 0.688 s  ratio 1.34

COBA's step is cheap (16 us on numba for 4000 neurons), so four more passes over its
float States (V, t_last_spike and the two conductances) are a large share of it.
"""

from __future__ import annotations

import time

import numpy as np
from _timing import cost_arguments

import brainx
from brainx.examples.coba import COBANetwork


def timed(backend: str, size: int, duration: float, check: bool, repeats: int) -> float:
    """Best of ``repeats`` timed runs (after a warm-up run that compiles)."""
    with brainx.use_backend(backend):
        best = np.inf
        for attempt in range(repeats + 1):
            net = COBANetwork(size, seed=0)
            runner = brainx.Runner(net, monitors={"spike": net.N.spike}, check_finite=check)
            start = time.perf_counter()
            runner.run(duration if attempt else min(duration, 1000.0))
            if attempt:
                best = min(best, time.perf_counter() - start)
        return best


def main() -> None:
    args = cost_arguments(__doc__.splitlines()[0])
    print(f"COBA {args.size} neurons, {args.duration:g} ms, best of {args.repeats}")
    for backend in args.backends:
        plain = timed(backend, args.size, args.duration, False, args.repeats)
        checked = timed(backend, args.size, args.duration, True, args.repeats)
        print(f"{backend:6s} unchecked {plain:.3f} s  checked {checked:.3f} s  "
              f"ratio {checked / plain:.2f}")


if __name__ == "__main__":
    main()
