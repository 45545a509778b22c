"""``bp.tools``: small helpers of BrainPy programs.

Examples
--------
>>> import brainx.compat.brainpy as bp
>>> bp.tools.size2num((4, 5)), bp.tools.DotDict(a=1).a
(20, 1)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from brainx.util import DotDict

__all__ = ["size2num", "DotDict"]


def size2num(size: int | Sequence[int]) -> int:
    """The number of elements of a population of ``size``."""
    return int(size) if isinstance(size, int) else math.prod(int(s) for s in size)
