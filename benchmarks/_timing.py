"""Timing shared by the benchmark scripts."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Best mean seconds per call over ``rounds`` rounds of ``calls`` calls (after a warm-up)."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def cost_arguments(description: str) -> argparse.Namespace:
    """``--size``, ``--duration``, ``--repeats`` and ``--backends``, the options of the
    scripts that time one network with and without a feature."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["numba", "jax"])
    return parser.parse_args()
