"""Distances between arrays in units in the last place."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ulp_distance"]

_INT_OF_FLOAT = {np.dtype(np.float16): np.int16, np.dtype(np.float32): np.int32,
                 np.dtype(np.float64): np.int64}


def _ordered(x: np.ndarray) -> np.ndarray:
    """Float bit patterns as integers that count representable numbers in order."""
    signed = x.view(_INT_OF_FLOAT[x.dtype]).astype(np.int64)
    minimum = np.int64(np.iinfo(_INT_OF_FLOAT[x.dtype]).min)
    return np.where(signed < 0, minimum - signed, signed)


def ulp_distance(a: Any, b: Any) -> np.ndarray:
    """How many representable floats lie between ``a`` and ``b``, element by element.

    0 means identical (``+0.0`` and ``-0.0`` count as identical, and so do two NaNs);
    a NaN against a number is ``inf``. Both arrays are compared in the dtype of
    ``a``; booleans and integers give ``|a - b|``.

    Examples
    --------
    >>> import numpy as np
    >>> from brainx.testing import ulp_distance
    >>> x = np.array([1.0, 1.0, -0.0, np.nan])
    >>> ulp_distance(x, np.array([1.0, np.nextafter(1.0, 2.0), 0.0, np.nan])).tolist()
    [0.0, 1.0, 0.0, 0.0]
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "b" or b.dtype.kind == "b":
        return (a != b).astype(np.float64)
    if a.dtype.kind in "iu":
        return np.abs(a.astype(np.float64) - b.astype(np.float64))
    if a.dtype not in _INT_OF_FLOAT:
        raise TypeError(f"ulp_distance needs float16/32/64, bool or int arrays, got {a.dtype}")
    a, b = np.broadcast_arrays(a, b.astype(a.dtype))
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    oa, ob = _ordered(a), _ordered(b)
    same_sign = (oa >= 0) == (ob >= 0)
    # int64 differences are exact where the signs agree; across zero they could overflow,
    # and there the (huge) distance is reported in float64
    exact = np.abs(np.where(same_sign, oa - ob, 0)).astype(np.float64)
    across = np.abs(oa.astype(np.float64)) + np.abs(ob.astype(np.float64))
    distance = np.where(same_sign, exact, across)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    distance = np.where(nan_a | nan_b, np.where(nan_a & nan_b, 0.0, np.inf), distance)
    return distance
