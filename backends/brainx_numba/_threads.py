"""The threads of the numba backend: ``brainx.environ.set(threads=N)``.

Parallel code is limited to explicit ``prange`` loops whose iterations write disjoint
outputs (``PARALLEL``): Numba's other parallel rewrites, reductions among them, would
change the order in which numbers are summed, and with it the results.
"""

from __future__ import annotations

PARALLEL = {"comprehension": False, "reduction": False, "inplace_binop": False,
            "setitem": False, "numpy": False, "stencil": False, "fusion": False,
            "prange": True}
"""``numba.njit(parallel=PARALLEL)``: parallelise the ``prange`` loops and nothing else."""


MIN_PARALLEL = 32768
"""The fewest neurons (outputs, loop elements) worth sharing among threads. Each parallel
region ends in a barrier that costs tens of microseconds on some machines (measured on
the 2-core development VM: COBA compiled on 2 threads took 0.084 s against 0.034 s on one
at 4000 neurons, and 0.16-0.41 s against 0.12 s at 16000); smaller work stays on one."""


def worth_threads(threads: int, n: int) -> bool:
    """Whether work over ``n`` elements runs on ``threads`` threads (else on one)."""
    return threads > 1 and n >= MIN_PARALLEL


def use_threads(threads: int) -> None:
    """Run the calling thread's parallel regions on ``threads`` threads (at most the
    ``NUMBA_NUM_THREADS`` Numba started with; the work is split in ``threads`` parts
    whatever the number that run them, so results do not change)."""
    import numba

    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
