"""Random bits on jax: XLA's Threefry-2x32 primitive (20 rounds)."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax.extend.random import threefry2x32_p


def threefry2x32(key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
    k0, k1, c0, c1 = jnp.broadcast_arrays(*(jnp.asarray(v, dtype=jnp.uint32)
                                            for v in (key0, key1, x0, x1)))
    y0, y1 = threefry2x32_p.bind(k0, k1, c0, c1)
    return y0, y1
