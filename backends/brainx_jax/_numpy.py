"""brainx.math on jax: ``jax.numpy`` plus brainx's few additions."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from brainx.math._names import ALL_NAMES, EXTRAS

linalg = jnp.linalg

for _name in ALL_NAMES:
    if _name not in EXTRAS:
        globals()[_name] = getattr(jnp, _name)
del _name


def as_numpy(x: Any) -> np.ndarray:
    """Copy ``x`` to a NumPy array on the host."""
    return np.asarray(x)


def index_update(x: Any, index: Any, values: Any) -> Any:
    """A copy of ``x`` with ``x[index] = values``."""
    return jnp.asarray(x).at[index].set(values)


def index_add(x: Any, index: Any, values: Any) -> Any:
    """A copy of ``x`` with ``values`` added at ``index`` (repeated indices accumulate)."""
    return jnp.asarray(x).at[index].add(values)
