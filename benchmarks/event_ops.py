"""Event-driven operators against the dense product on the same backend (and brainevent).

The three cases of the brainstate tutorial on event-driven computation, with 1% of
the presynaptic neurons spiking, then a sweep of spike rates. Prints one table of
times (microseconds per call, best of several rounds) and ratios measured in this
run. Where brainevent is installed, its jax (numba-on-CPU) kernels run on the same
data.

    python benchmarks/event_ops.py [--quick]
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.sparse
from _timing import best_of

import brainx

ROUNDS = 5


def best_us(fn, calls: int) -> float:
    return best_of(fn, calls, ROUNDS) * 1e6


def make_cases(rate: float, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    fixed = brainx.event.FixedProb(10000, 1000, 0.01, 1.0, seed=seed)
    fixed_dense = np.zeros((10000, 1000), np.float32)
    np.add.at(fixed_dense, (fixed._pre_ids, fixed._post_ids), 1.0)
    linear_w = rng.random((10000, 1000)).astype(np.float32)
    csr = scipy.sparse.random(10000, 10000, density=1e-4, random_state=seed, format="csr",
                              dtype=np.float32)
    return {
        "FixedProb 10000x1000 p=0.01": (fixed, fixed_dense, 10000),
        "Linear 10000x1000": (brainx.event.Linear(10000, 1000, linear_w), linear_w, 10000),
        "CSR 10000x10000 p=0.0001": (
            brainx.event.CSRLinear(10000, 10000, csr.indptr, csr.indices, csr.data),
            csr.toarray(), 10000),
        "_rng": rng,
    }


def time_numba(layer, dense, spikes, calls) -> tuple[float, float]:
    with brainx.use_backend("numba"):
        layer(spikes)
        ours = best_us(lambda: layer(spikes), calls)
    dense_f = np.ascontiguousarray(dense, dtype=np.float32)
    spikes_f = spikes.astype(np.float32)
    theirs = best_us(lambda: spikes_f @ dense_f, max(3, calls // 20))
    return ours, theirs


def time_jax(layer, dense, spikes, calls) -> tuple[float, float]:
    import jax
    import jax.numpy as jnp

    with brainx.use_backend("jax"):
        run = brainx.compile.jit(lambda s: layer(s))
        s = jnp.asarray(spikes)
        ours = best_us(lambda: run(s).block_until_ready(), calls)
    dense_j = jnp.asarray(dense)
    dot = jax.jit(lambda s, w: jnp.dot(s, w))
    theirs = best_us(lambda: dot(s, dense_j).block_until_ready(), max(3, calls // 20))
    return ours, theirs


def time_brainevent(name, layer, dense, spikes, calls) -> float | None:
    try:
        import brainevent
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    with brainx.use_backend("jax"):
        if name.startswith("Linear"):
            weights = jnp.asarray(dense)
            fn = jax.jit(lambda s: brainevent.BinaryArray(s) @ weights)
        else:
            indptr, pre_ids, post_ids = (np.asarray(a) for a in layer._arrays(
                brainx.get_backend("numba")))
            data = np.broadcast_to(np.asarray(layer.weight.value, np.float32).reshape(-1),
                                   (len(post_ids),))
            matrix = brainevent.CSR((jnp.asarray(data), jnp.asarray(post_ids),
                                     jnp.asarray(indptr)), shape=dense.shape)
            fn = jax.jit(lambda s: brainevent.BinaryArray(s) @ matrix)
        s = jnp.asarray(spikes)
        return best_us(lambda: fn(s).block_until_ready(), calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls per round")
    args = parser.parse_args()
    calls = 50 if args.quick else 300
    backends = brainx.available_backends()
    print(f"{'case':30s} {'spikes':>7s} {'backend':7s} {'brainx us':>10s} {'dense us':>10s} "
          f"{'dense/brainx':>12s} {'brainevent us':>13s} {'brainx/brainevent':>17s}")

    def report(name, rate, cases):
        layer, dense, n_pre = cases[name]
        spikes = cases["_rng"].random(n_pre) < rate
        be = time_brainevent(name, layer, dense, spikes, calls) if "jax" in backends else None
        for backend in backends:
            timer = time_numba if backend == "numba" else time_jax
            ours, theirs = timer(layer, dense, spikes, calls)
            be_text = f"{be:13.1f} {ours / be:17.2f}" if be else f"{'-':>13s} {'-':>17s}"
            print(f"{name:30s} {rate:7.1%} {backend:7s} {ours:10.1f} {theirs:10.1f} "
                  f"{theirs / ours:12.1f} {be_text}")

    cases = make_cases(0.01)
    for name in [n for n in cases if not n.startswith("_")]:
        report(name, 0.01, cases)
    print()
    for rate in (0.001, 0.01, 0.05, 0.1, 0.5):
        report("FixedProb 10000x1000 p=0.01", rate, cases)


if __name__ == "__main__":
    main()
