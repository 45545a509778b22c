"""Functional event operators and synapse-to-neuron reductions (exported by brainx.math)."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.conn._base import validate_csr
from brainx.event import _ops  # noqa: F401  (declares the operators' references)

__all__ = [
    "event_csr_matvec",
    "event_fixed_matvec",
    "event_dense_matvec",
    "pre2syn",
    "syn2post",
    "syn2post_sum",
    "syn2post_mean",
    "syn2post_max",
    "syn2post_min",
    "segment_sum",
]


def check_events(events: Any, n_in: int, name: str = "events") -> None:
    shape = getattr(events, "shape", None)
    if shape is None or len(shape) not in (1, 2) or shape[-1] != n_in:
        raise ValueError(f"{name} must have shape ({n_in},) or (batch, {n_in}), got "
                         f"{shape if shape is not None else type(events).__name__}")
    dtype = np.dtype(events.dtype)
    if dtype.kind not in "bf":
        raise ValueError(f"{name} must be boolean spikes or float events, got dtype {dtype}")


def check_weight(weight: Any, allowed: tuple[tuple[int, ...], ...], what: str) -> None:
    shape = tuple(getattr(weight, "shape", ()))
    if shape != () and shape not in allowed:
        shapes = " or ".join(str(s) for s in allowed)
        raise ValueError(f"weight must be a scalar or have shape {shapes} ({what}), got {shape}")


#: Structures already validated, by the ids of their arrays (with weak references, so a
#: new array that reuses an id is validated again): a check per structure, not per call.
_VALIDATED: dict[tuple, tuple] = {}


def _validated_before(key: tuple, arrays: tuple) -> bool:
    held = _VALIDATED.get(key)
    return held is not None and all(r() is a for r, a in zip(held, arrays, strict=True))


def _remember(key: tuple, arrays: tuple) -> None:
    try:
        refs = tuple(weakref.ref(a) for a in arrays)
    except TypeError:  # not weakly referable: validated at every call
        return
    if len(_VALIDATED) > 256:
        _VALIDATED.clear()
    _VALIDATED[key] = refs


def _check_structure(b: Any, key: tuple, arrays: tuple, check: Any) -> None:
    """Run ``check()`` once per structure; traced arrays (values unknown) are skipped."""
    if any(b.is_tracer(a) for a in arrays) or _validated_before(key, arrays):
        return
    check()
    _remember(key, arrays)


def native(b: Any, x: Any) -> Any:
    """``x`` as an array of backend ``b`` (unchanged when it already is one)."""
    return x if b.is_native(x) else b.asarray(x)


def needs_pre_ids(kernel: Any) -> bool:
    """Whether a sparse kernel reads each synapse's presynaptic neuron: its attribute
    ``needs_pre_ids``, a bool or a function asked now (default True). A kernel that
    does not is given None, and must find the rows from ``indptr`` when it does."""
    needs = getattr(kernel, "needs_pre_ids", True)
    return bool(needs() if callable(needs) else needs)


def _pre_ids(b: Any, kernel: Any, n_pre: int, counts: Any) -> Any:
    """Each synapse's presynaptic neuron, for kernels that need it (None for the others)."""
    if not needs_pre_ids(kernel):
        return None
    return native(b, np.repeat(np.arange(n_pre, dtype=np.int32), counts))


def event_csr_matvec(events: Any, indptr: Any, indices: Any, weight: Any,
                     shape: tuple[int, int], transpose: bool = False) -> Any:
    """``events @ M`` (or ``M @ events``) for a CSR matrix ``M`` of ``shape``.

    Only active (nonzero) events do work on event-driven kernels. ``weight`` is a
    scalar (every synapse) or one value per synapse.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> spikes = np.array([True, False, True])
    >>> with brainx.use_backend('numba'):
    ...     out = brainx.math.event_csr_matvec(spikes, np.array([0, 2, 3, 4]),
    ...                                        np.array([0, 1, 1, 0]), 2.0, (3, 2))
    >>> out.tolist()
    [4.0, 2.0]
    """
    b = get_backend()
    n_pre, n_post = shape
    if b.is_tracer(indptr):
        raise ValueError("indptr must be concrete (known on the host), not traced")
    _check_structure(b, ("csr", id(indptr), id(indices), n_pre, n_post), (indptr, indices),
                     lambda: validate_csr(indptr, indices, n_pre, n_post))
    indptr_np = np.asarray(indptr)
    nnz = int(np.shape(indices)[0])
    check_events(events, n_post if transpose else n_pre)
    check_weight(weight, ((nnz,),), "one value per synapse")
    kernel = lookup("event_sparse_matvec", b)
    pre_ids = _pre_ids(b, kernel, n_pre, np.diff(indptr_np))
    return kernel(b, native(b, events), native(b, indptr_np), pre_ids, native(b, indices),
                  native(b, weight), (n_pre, n_post), transpose)


def event_fixed_matvec(events: Any, indices: Any, weight: Any, n_post: int,
                       transpose: bool = False) -> Any:
    """Event product for fixed fan-out connectivity: neuron ``i`` projects to ``indices[i]``.

    ``indices`` has shape ``(n_pre, k)``; ``weight`` is a scalar or ``(n_pre, k)``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     out = brainx.math.event_fixed_matvec(np.array([True, True]),
    ...                                          np.array([[0, 2], [2, 2]]), 1.0, 3)
    >>> out.tolist()
    [1.0, 0.0, 3.0]
    """
    b = get_backend()
    targets = np.shape(indices)
    if len(targets) != 2:
        raise ValueError(f"indices must have shape (n_pre, k), got {targets}")
    n_pre, k = targets
    _check_structure(b, ("fixed", id(indices), n_post), (indices,),
                     lambda: _check_targets(indices, n_post))
    check_events(events, n_post if transpose else n_pre)
    check_weight(weight, ((n_pre, k), (n_pre * k,)), "one value per synapse")
    kernel = lookup("event_sparse_matvec", b)
    pre_ids = _pre_ids(b, kernel, n_pre, k)
    indptr = native(b, np.arange(n_pre + 1, dtype=np.int64) * k)
    flat_weight = weight if getattr(weight, "ndim", 0) == 0 else native(b, weight).reshape(-1)
    return kernel(b, native(b, events), indptr, pre_ids, native(b, indices).reshape(-1),
                  native(b, flat_weight), (n_pre, n_post), transpose)


def _check_range(what: str, values: Any, n: int, bound: str) -> None:
    """``values`` must be integers in ``[0, n)`` (``what`` and ``bound`` name them)."""
    values = np.asarray(values)
    if values.size and values.dtype.kind not in "iu":
        raise ValueError(f"{what} must be integers, got dtype {values.dtype}")
    if values.size and (values.min() < 0 or values.max() >= n):
        bad = values[(values < 0) | (values >= n)][0]
        raise ValueError(f"{what} must lie in [0, {bound}), found {bad}")


def _check_targets(indices: Any, n_post: int) -> None:
    _check_range("indices", indices, n_post, f"n_post = {n_post}")


def event_dense_matvec(events: Any, weight: Any, transpose: bool = False,
                       shape: tuple[int, int] | None = None) -> Any:
    """``events @ W`` (or ``W @ events``) for a dense ``(n_pre, n_post)`` matrix ``W``.

    A scalar ``weight`` means all-to-all with that weight; give ``shape`` then.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     out = brainx.math.event_dense_matvec(np.array([True, False]),
    ...                                          np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> out.tolist()
    [1.0, 2.0]
    """
    b = get_backend()
    if getattr(weight, "ndim", 0) == 2:
        shape = tuple(weight.shape)
    elif shape is None:
        raise ValueError("a scalar weight needs shape=(n_pre, n_post)")
    elif getattr(weight, "ndim", 0) != 0:
        raise ValueError(f"weight must be a scalar or a (n_pre, n_post) matrix, got shape "
                         f"{weight.shape}")
    check_events(events, shape[1] if transpose else shape[0])
    return lookup("event_dense_matvec", b)(b, native(b, events), native(b, weight),
                                           tuple(shape), transpose)


def pre2syn(pre_values: Any, pre_ids: Any) -> Any:
    """The presynaptic value of each synapse: ``pre_values[pre_ids]``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.math.pre2syn(np.array([10., 20.]), np.array([1, 1, 0])).tolist()
    [20.0, 20.0, 10.0]
    """
    b = get_backend()
    return native(b, pre_values)[native(b, pre_ids)]


def _segments(values: Any, ids: Any, num: int, name: str) -> tuple[Any, Any, Any]:
    b = get_backend()
    given = ids
    values, ids = native(b, values), native(b, ids)
    if values.shape[:1] != ids.shape[:1] or ids.ndim != 1:
        raise ValueError(f"{name}: values and ids must have the same leading length, got "
                         f"{values.shape} and {ids.shape}")
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 0:
        raise ValueError(f"{name}: the number of segments must be a non-negative int, "
                         f"got {num!r}")
    _check_structure(b, ("segments", id(given), int(num)), (given,),  # once per id array
                     lambda: _check_ids(name, given, int(num)))
    return b, values, ids


def _check_ids(name: str, ids: Any, num: int) -> None:
    """Segment ids must lie in [0, num): jax drops larger ones, NumPy fails on them, and
    both wrap negative ones."""
    _check_range(f"{name}: ids", ids, num, str(num))


def syn2post_sum(syn_values: Any, post_ids: Any, post_num: int) -> Any:
    """Sum synapse values into their postsynaptic neurons (ascending synapse order).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     brainx.math.syn2post_sum(np.array([1., 2., 3.]), np.array([0, 2, 0]), 3).tolist()
    [4.0, 0.0, 2.0]
    """
    b, values, ids = _segments(syn_values, post_ids, post_num, "syn2post_sum")
    out = b.numpy.zeros((post_num,) + values.shape[1:], dtype=values.dtype)
    return b.numpy.index_add(out, ids, values)


syn2post = syn2post_sum


def segment_sum(data: Any, segment_ids: Any, num_segments: int) -> Any:
    """``out[s] = sum(data[segment_ids == s])``, summed in the order of ``data``."""
    return syn2post_sum(data, segment_ids, num_segments)


def syn2post_mean(syn_values: Any, post_ids: Any, post_num: int) -> Any:
    """Average synapse values per postsynaptic neuron (0 where a neuron has none)."""
    b, values, ids = _segments(syn_values, post_ids, post_num, "syn2post_mean")
    xp = b.numpy
    total = xp.index_add(xp.zeros((post_num,) + values.shape[1:], dtype=values.dtype), ids,
                         values)
    count = xp.index_add(xp.zeros(post_num, dtype=values.dtype), ids, 1.0)
    count = count.reshape((post_num,) + (1,) * (values.ndim - 1))
    # a divisor XLA cannot see as a broadcast: it would divide by multiplying by 1 / count
    divisor = b.materialize(xp.broadcast_to(xp.maximum(count, 1.0), total.shape))
    return xp.where(count > 0, total / divisor, 0.0).astype(values.dtype)


def _extreme(syn_values: Any, post_ids: Any, post_num: int, largest: bool) -> Any:
    name = "syn2post_max" if largest else "syn2post_min"
    b, values, ids = _segments(syn_values, post_ids, post_num, name)
    xp = b.numpy
    dtype = np.dtype(values.dtype)
    if dtype.kind == "f":
        start = -np.inf if largest else np.inf
    else:
        info = np.iinfo(dtype)
        start = info.min if largest else info.max
    out = xp.full((post_num,) + values.shape[1:], start, dtype=dtype)
    return (xp.index_max if largest else xp.index_min)(out, ids, values)


def syn2post_max(syn_values: Any, post_ids: Any, post_num: int) -> Any:
    """The largest synapse value per postsynaptic neuron (-inf, or the int minimum, if none)."""
    return _extreme(syn_values, post_ids, post_num, largest=True)


def syn2post_min(syn_values: Any, post_ids: Any, post_num: int) -> Any:
    """The smallest synapse value per postsynaptic neuron (+inf, or the int maximum, if none)."""
    return _extreme(syn_values, post_ids, post_num, largest=False)
