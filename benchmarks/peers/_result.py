"""The one JSON line every peer script prints (they run in the peers' own interpreter)."""

from __future__ import annotations

import argparse
import json

import numpy as np


def arguments(target: bool = False) -> tuple:
    """``SIZE DURATION_MS [TARGET] [--precision 32|64]`` as (size, duration, precision[,
    target]): the network, the simulated ms and the float width brainx runs at."""
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("duration", type=float)
    if target:
        parser.add_argument("target", nargs="?", default="numpy",
                            choices=("numpy", "cpp_standalone"))
    parser.add_argument("--precision", type=int, choices=(32, 64), default=64)
    args = parser.parse_args()
    given = (args.size, args.duration, args.precision)
    return given + (args.target,) if target else given


def print_result(first_call_s: float, per_sim_s: float, counts: np.ndarray, n_exc: int,
                 duration_ms: float) -> None:
    """Print timings and the E / I population rates from per-neuron spike ``counts``."""
    seconds = duration_ms / 1000.0
    counts = np.asarray(counts)
    print(json.dumps({"first_call_s": first_call_s, "per_sim_s": per_sim_s,
                      "rate_exc_hz": float(counts[:n_exc].sum()) / n_exc / seconds,
                      "rate_inh_hz": float(counts[n_exc:].sum()) / (len(counts) - n_exc)
                      / seconds}))
