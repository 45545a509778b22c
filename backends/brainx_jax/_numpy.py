"""brainx.math on jax: ``jax.numpy`` plus brainx's few additions."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from brainx.math._names import ALL_NAMES, EXTRAS

linalg = jnp.linalg

for _name in ALL_NAMES:
    if _name not in EXTRAS:
        globals()[_name] = getattr(jnp, _name)
del _name


# Where jax's result dtype departs from NumPy's, brainx follows NumPy (narrowed to
# 32 bits at precision 32, as the numba backend does).

def _default_int() -> Any:
    return jax.dtypes.canonicalize_dtype(jnp.int64)


def _default_float() -> Any:
    return jax.dtypes.canonicalize_dtype(jnp.float64)


def argpartition(a: Any, kth: int, axis: int = -1) -> Any:
    return jnp.argpartition(a, kth, axis=axis).astype(_default_int())


def searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None) -> Any:
    return jnp.searchsorted(a, v, side=side, sorter=sorter).astype(_default_int())


def digitize(x: Any, bins: Any, right: bool = False) -> Any:
    return jnp.digitize(x, bins, right=right).astype(_default_int())


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Any:
    return jnp.tri(N, M, k, dtype=dtype or _default_float())


def interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
           period: Any = None) -> Any:
    f = _default_float()
    return jnp.interp(jnp.asarray(x, f), jnp.asarray(xp, f), jnp.asarray(fp, f), left=left,
                      right=right, period=period)


def float_power(x1: Any, x2: Any) -> Any:
    f = _default_float()
    return jnp.float_power(jnp.asarray(x1, f), jnp.asarray(x2, f))


def histogram(a: Any, bins: Any = 10, range: Any = None, weights: Any = None,
              density: Any = None) -> tuple[Any, Any]:
    counts, edges = jnp.histogram(a, bins=bins, range=range, weights=weights, density=density)
    if weights is None and not density:
        counts = counts.astype(_default_int())
    return counts, edges


def as_numpy(x: Any) -> np.ndarray:
    """Copy ``x`` to a NumPy array on the host."""
    return np.asarray(x)


def index_update(x: Any, index: Any, values: Any) -> Any:
    """A copy of ``x`` with ``x[index] = values``."""
    return jnp.asarray(x).at[index].set(values)


def index_add(x: Any, index: Any, values: Any) -> Any:
    """A copy of ``x`` with ``values`` added at ``index`` (repeated indices accumulate)."""
    return jnp.asarray(x).at[index].add(values)


def index_max(x: Any, index: Any, values: Any) -> Any:
    """A copy of ``x`` with ``x[index] = maximum(x[index], values)``, repeats included."""
    return jnp.asarray(x).at[index].max(values)


def index_min(x: Any, index: Any, values: Any) -> Any:
    """A copy of ``x`` with ``x[index] = minimum(x[index], values)``, repeats included."""
    return jnp.asarray(x).at[index].min(values)
