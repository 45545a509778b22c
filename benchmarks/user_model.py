"""COBA with its neuron and synapse written as user classes, on each engine and peer.

The network of ``benchmarks/_user_coba.py`` (``UserLIFRef`` and ``UserExpon`` written
with States and ``brainx.math`` as docs/ teaches, wired with ``brainx.event.FixedProb``
and ``AlignPostProj``; the same arithmetic, connectivity and initial state as
``brainx.examples.coba.COBANetwork``, so the same spikes) runs per size in the lanes
brainx numba compiled (``Runner(jit=True)``), numba eager (``Runner(jit=False)``) and
jax; beside it, in the same run, the hand-written whole-loop ``@njit`` limit
(``benchmarks/limit_coba.py``) and the peers as ``benchmarks/coba.py`` runs them.
Columns as in ``benchmarks/coba.py``; ratios: numba compiled over the limit (target at
most 1.2), over Brian2 cpp_standalone (target at most 1.0) and over numba eager.

    python benchmarks/user_model.py [--sizes 4000 16000 64000] [--duration 1000]
                                    [--precision 64] [--peer-python PATH] [--no-peers]
"""

from __future__ import annotations

import argparse

from _user_coba import UserCOBA
from coba import (
    BRIAN2_CPP,
    COMPILED,
    EAGER,
    LIMIT,
    add_common_arguments,
    available_peers,
    header,
    measure_lanes,
    measure_limit,
    ratio,
    row,
    run_peers,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    args = parser.parse_args()
    peers = {} if args.no_peers else available_peers(args.peer_python)
    print(f"float{args.precision}, {args.duration:g} ms per run; brainx lanes: the user-written "
          f"network")
    print(header())
    for size in args.sizes:
        results = measure_lanes(size, args.duration, args.precision,
                                build=lambda n: UserCOBA(n, seed=0))
        results[LIMIT] = measure_limit(size, args.duration, args.precision)
        results.update(run_peers(args.peer_python, peers, size, args.duration,
                                 args.precision))
        for name, result in results.items():
            print(row(name, size, result, args.duration))
        ratio(size, results, COMPILED, LIMIT, 1.2)
        ratio(size, results, COMPILED, BRIAN2_CPP, 1.0)
        ratio(size, results, COMPILED, EAGER)


if __name__ == "__main__":
    main()
