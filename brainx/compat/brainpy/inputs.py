"""``bp.inputs``: brainx.nn's input currents under BrainPy's names and signatures.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.environ.context(dt=0.1):
...     current, duration = bp.inputs.constant_input([(0.0, 0.2), (1.0, 0.3)])
>>> current.tolist(), duration
([0.0, 0.0, 1.0, 1.0, 1.0], 0.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from brainx.nn import ramp_input
from brainx.nn import section_input as _brainx_section

__all__ = ["section_input", "constant_input", "constant_current", "ramp_input",
           "ramp_current"]


def section_input(values: Sequence[Any], durations: Sequence[float], dt: float | None = None,
                  return_length: bool = False) -> Any:
    """BrainPy's ``section_input``: brainx.nn.section_input, and its length if asked."""
    current = _brainx_section(values, durations, dt)
    return (current, float(sum(durations))) if return_length else current


def constant_input(I_and_duration: Sequence[tuple[Any, float]], dt: float | None = None  # noqa: N803
                   ) -> tuple[np.ndarray, float]:
    """BrainPy's ``constant_input([(value, duration), ...])``: the current and its length."""
    pairs = list(I_and_duration)
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"I_and_duration must be (value, duration) pairs, got {pair!r}")
    values, durations = [v for v, _ in pairs], [d for _, d in pairs]
    return _brainx_section(values, durations, dt), float(sum(durations))


constant_current = constant_input
ramp_current = ramp_input
