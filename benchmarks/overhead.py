"""Per-call cost of brainx's foundation, as ratios to the engines underneath.

Prints one table. Each row times the same operation through brainx and directly
through NumPy (numba backend) or jax.numpy (jax backend), in the same run.

    python benchmarks/overhead.py [--size 4000] [--repeat 2000]
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_of

import brainx
import brainx.math as bm


def rows_numba(size: int, repeat: int) -> list[tuple[str, float, float]]:
    x = np.linspace(0.0, 1.0, size, dtype=np.float32)
    rng = np.random.default_rng(0)
    brx = brainx.random.RandomState(0)
    out = []
    with brainx.use_backend("numba"):
        out.append(("add (x + x)", best_of(lambda: bm.add(x, x), repeat),
                    best_of(lambda: np.add(x, x), repeat)))
        out.append(("exp", best_of(lambda: bm.exp(x), repeat), best_of(lambda: np.exp(x), repeat)))
        out.append(("sum", best_of(lambda: bm.sum(x), repeat), best_of(lambda: np.sum(x), repeat)))
        out.append(("random.uniform", best_of(lambda: brx.uniform(0.0, 1.0, size), repeat),
                    best_of(lambda: rng.random(size, dtype=np.float32), repeat)))
        out.append(("random.normal", best_of(lambda: brx.normal(0.0, 1.0, size), repeat),
                    best_of(lambda: rng.standard_normal(size, dtype=np.float32), repeat)))
        out.append(("random.poisson(0.2)", best_of(lambda: brx.poisson(0.2, size), repeat),
                    best_of(lambda: rng.poisson(0.2, size), repeat)))
    return out


def rows_jax(size: int, repeat: int) -> list[tuple[str, float, float]]:
    import jax
    import jax.numpy as jnp

    x = jnp.linspace(0.0, 1.0, size, dtype=jnp.float32)
    key = jax.random.PRNGKey(0)
    brx = brainx.random.RandomState(0)
    out = []
    with brainx.use_backend("jax"):
        def timed(fn):
            return best_of(lambda: fn().block_until_ready(), repeat)

        out.append(("add (x + x)", timed(lambda: bm.add(x, x)), timed(lambda: jnp.add(x, x))))
        out.append(("exp", timed(lambda: bm.exp(x)), timed(lambda: jnp.exp(x))))
        out.append(("sum", timed(lambda: bm.sum(x)), timed(lambda: jnp.sum(x))))

        @brainx.compile.jit
        def brainx_uniform():
            return brx.uniform(0.0, 1.0, size)

        jax_uniform = jax.jit(lambda k: jax.random.uniform(k, (size,)))
        out.append(("jit random.uniform", timed(brainx_uniform), timed(lambda: jax_uniform(key))))

        @brainx.compile.jit
        def brainx_normal():
            return brx.normal(0.0, 1.0, size)

        jax_normal = jax.jit(lambda k: jax.random.normal(k, (size,)))
        out.append(("jit random.normal", timed(brainx_normal), timed(lambda: jax_normal(key))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    runners = {"numba": (rows_numba, "numpy"), "jax": (rows_jax, "jax")}
    print(f"array size {args.size}; times are the best mean of 5 rounds of {args.repeat} calls")
    print(f"{'backend':8s} {'operation':22s} {'brainx us':>10s} {'direct us':>10s} "
          f"{'direct':>8s} {'ratio':>7s}")
    for name in brainx.available_backends():
        rows, reference = runners[name]
        for op, ours, theirs in rows(args.size, args.repeat):
            print(f"{name:8s} {op:22s} {ours * 1e6:10.2f} {theirs * 1e6:10.2f} "
                  f"{reference:>8s} {ours / theirs:7.2f}")


if __name__ == "__main__":
    main()
