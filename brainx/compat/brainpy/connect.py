"""``bp.connect``: brainx.conn's connectors, with BrainPy's seeding.

BrainPy drew a connector's synapses from the global random generator when no seed was
given, so ``bm.random.seed(...)`` made them reproducible. Here a connector made without
``seed=`` takes its seed from ``brainx.random``'s default generator at construction.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     brainx.random.seed(3)
...     a = bp.connect.FixedProb(0.2)(20, 20).require('pre_ids')
...     brainx.random.seed(3)
...     b = bp.connect.FixedProb(0.2)(20, 20).require('pre_ids')
>>> bool((a == b).all()), len(a) > 0
(True, True)
"""

from __future__ import annotations

import inspect
from typing import Any

from brainx import conn as _conn
from brainx import random as _random
from brainx.conn import (
    STRUCTURES,
    All2All,
    Connector,
    CSRConn,
    GridFour,
    IJConn,
    MatConn,
    One2One,
    Ragged,
)

__all__ = ["Connector", "Ragged", "STRUCTURES", "One2One", "All2All", "GridFour", "FixedProb",
           "FixedPreNum", "FixedPostNum", "FixedTotalNum", "MatConn", "IJConn", "CSRConn"]


def _seeded(base: type) -> type:
    """``base`` whose ``seed=None`` is drawn from brainx.random's default generator."""
    signature = inspect.signature(base.__init__)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        bound = signature.bind(self, *args, **kwargs)
        if bound.arguments.get("seed") is None:
            bound.arguments["seed"] = int(_random.randint(0, 2**31 - 1))
        base.__init__(*bound.args, **bound.kwargs)

    __init__.__signature__ = signature  # type: ignore[attr-defined]
    return type(base.__name__, (base,), {"__init__": __init__, "__doc__": base.__doc__,
                                         "__module__": __name__})


FixedProb = _seeded(_conn.FixedProb)
FixedPreNum = _seeded(_conn.FixedPreNum)
FixedPostNum = _seeded(_conn.FixedPostNum)
FixedTotalNum = _seeded(_conn.FixedTotalNum)
