"""The README's LIF example on numba: compiled against eager, in one run.

The model is the class of README.md's first example, read from the README itself (so
the two cannot drift apart): 1000 neurons, 10 000 steps of 0.1 ms (1 s of biological
time) under ``brainx.compile.for_loop``. Both lanes run the same arithmetic on the same
random stream; the compiled lane is timed on its second call (compilation, or loading
it from the cache, is the first call's). Target: compiled at least 10x faster.

    python benchmarks/readme_lif.py [--size 1000] [--steps 10000]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

import brainx
import brainx.math as bm

README = Path(__file__).resolve().parents[1] / "README.md"
TARGET_SPEEDUP = 10.0


def readme_model() -> type:
    """The ``LIF`` class of the README's first Python example."""
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    definition = block.split("\nfor backend in")[0]
    namespace: dict[str, Any] = {}
    exec(compile(definition, str(README), "exec"), namespace)  # noqa: S102 - our own README
    return namespace["LIF"]


def simulate(model: type, size: int, steps: int, jit: bool) -> tuple[float, np.ndarray]:
    """Seconds of one ``for_loop`` over ``steps`` steps and the spike raster."""
    with brainx.use_backend("numba"), brainx.environ.context(jit=jit):
        neurons = model(size)
        start = time.perf_counter()
        spikes = brainx.compile.for_loop(neurons.update, bm.arange(steps))
        return time.perf_counter() - start, np.asarray(spikes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()
    model = readme_model()
    first, _ = simulate(model, args.size, args.steps, jit=True)
    compiled, raster_compiled = simulate(model, args.size, args.steps, jit=True)
    eager, raster_eager = simulate(model, args.size, args.steps, jit=False)
    same = np.array_equal(raster_compiled, raster_eager)
    speedup = eager / compiled
    print(f"README LIF, {args.size} neurons, {args.steps} steps on numba")
    print(f"  compiled  first call {first:7.3f} s   timed call {compiled:7.3f} s")
    print(f"  eager                          {eager:7.3f} s")
    print(f"  rasters equal: {same}; {int(raster_eager.sum())} spikes")
    print(f"  eager / compiled: {speedup:.1f}x (target >= {TARGET_SPEEDUP:g}x: "
          f"{'met' if speedup >= TARGET_SPEEDUP else 'MISSED'})")


if __name__ == "__main__":
    main()
