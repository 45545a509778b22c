"""The one JSON line every peer script prints (they run in the peers' own interpreter)."""

from __future__ import annotations

import json

import numpy as np


def print_result(first_call_s: float, per_sim_s: float, counts: np.ndarray, n_exc: int,
                 duration_ms: float) -> None:
    """Print timings and the E / I population rates from per-neuron spike ``counts``."""
    seconds = duration_ms / 1000.0
    counts = np.asarray(counts)
    print(json.dumps({"first_call_s": first_call_s, "per_sim_s": per_sim_s,
                      "rate_exc_hz": float(counts[:n_exc].sum()) / n_exc / seconds,
                      "rate_inh_hz": float(counts[n_exc:].sum()) / (len(counts) - n_exc)
                      / seconds}))
