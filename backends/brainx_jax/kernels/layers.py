"""Convolution and window reduction on XLA (``lax.conv_general_dilated``, ``lax.reduce_window``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from brainx.nn._layer_ops import window_init


def conv(backend: Any, x: Any, w: Any, strides: Sequence[int], padding: Sequence[tuple],
         lhs_dilation: Sequence[int], rhs_dilation: Sequence[int], groups: int) -> Any:
    nd = len(strides)
    channels_last = (0, nd + 1) + tuple(range(1, nd + 1))
    numbers = jax.lax.ConvDimensionNumbers(lhs_spec=channels_last,
                                           rhs_spec=(nd + 1, nd) + tuple(range(nd)),
                                           out_spec=channels_last)
    dtype = jnp.result_type(x, w)
    return jax.lax.conv_general_dilated(
        x.astype(dtype), w.astype(dtype), tuple(strides), [tuple(p) for p in padding],
        lhs_dilation=tuple(lhs_dilation), rhs_dilation=tuple(rhs_dilation),
        dimension_numbers=numbers, feature_group_count=groups)


def reduce_window(backend: Any, x: Any, op: str, window: Sequence[int], strides: Sequence[int],
                  padding: Sequence[tuple]) -> Any:
    x = jnp.asarray(x)
    computation = jax.lax.max if op == "max" else jax.lax.add
    return jax.lax.reduce_window(x, jnp.asarray(window_init(op, x.dtype), dtype=x.dtype),
                                 computation, tuple(window), tuple(strides),
                                 [tuple(p) for p in padding])


KERNELS = {"layer.conv": conv, "layer.reduce_window": reduce_window}
