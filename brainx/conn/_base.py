"""The Connector base class and the connectivity structures derived from CSR."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from brainx.conn._arrays import LARGE_BUILD, release_free_memory

__all__ = ["Connector", "Ragged", "STRUCTURES"]

#: Every structure ``Connector.require`` can return, with its meaning.
STRUCTURES = {
    "conn_mat": "dense bool matrix (n_pre, n_post): True where a synapse exists",
    "pre_ids": "presynaptic index of each synapse",
    "post_ids": "postsynaptic index of each synapse",
    "pre2post": "Ragged: pre2post[i] are the postsynaptic targets of neuron i",
    "post2pre": "Ragged: post2pre[j] are the presynaptic sources of neuron j",
    "pre2syn": "Ragged: pre2syn[i] are the synapse indices leaving neuron i",
    "post2syn": "Ragged: post2syn[j] are the synapse indices reaching neuron j",
    "pre_slice": "(n_pre, 2) start and end of each presynaptic neuron's synapses",
    "post_slice": "(n_post, 2) start and end of each postsynaptic neuron's synapses "
                  "(the synapses of that call are then ordered by postsynaptic neuron)",
    "csr": "(indices, indptr) of the (n_pre, n_post) matrix, rows sorted",
    "csc": "(indices, indptr) of the transposed matrix: presynaptic ids by postsynaptic neuron",
    "coo": "(pre_ids, post_ids)",
}


class Ragged:
    """Per-neuron lists stored flat: ``ragged[i]`` is ``indices[indptr[i]:indptr[i + 1]]``.

    Examples
    --------
    >>> import numpy as np
    >>> from brainx.conn import Ragged
    >>> r = Ragged(np.array([3, 1, 2]), np.array([0, 2, 2, 3]))
    >>> r[0].tolist(), r[1].tolist(), len(r)
    ([3, 1], [], 3)
    """

    def __init__(self, indices: np.ndarray, indptr: np.ndarray):
        self.indices = indices
        self.indptr = indptr

    def __getitem__(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i]:self.indptr[i + 1]]

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __iter__(self) -> Iterator[np.ndarray]:
        for i in range(len(self)):
            yield self[i]

    def lengths(self) -> np.ndarray:
        """The number of entries of each neuron."""
        return np.diff(self.indptr)

    def __repr__(self) -> str:
        return f"Ragged(neurons={len(self)}, entries={len(self.indices)})"


def as_size(size: Any, name: str) -> tuple[int, ...]:
    """A population size as a shape tuple, with a clear error for bad input."""
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size),)
    try:
        shape = tuple(int(s) for s in size)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an int or a tuple of ints, got {size!r}") from None
    if not shape or any(s < 0 for s in shape):
        raise ValueError(f"{name} must be non-negative, got {size!r}")
    return shape


def _index_dtype(limit: int) -> np.dtype:
    return np.dtype(np.int32 if limit < 2**31 else np.int64)


class Connector:
    """Base class of connectors: rules that build synapses between two populations.

    A connector is built on the host as a sorted CSR matrix (``build_csr``) the
    first time a structure is required; every other structure is derived from it.
    Random connectors draw from brainx's counter-based generator, so the same
    seed gives the same synapses whatever backend is active.

    Parameters
    ----------
    pre, post : int or tuple of int, optional
        Population sizes; they can also be given later by calling the connector,
        ``conn(pre_size, post_size)``.

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.One2One()(3, 3)
    >>> pre_ids, post_ids = conn.require('pre_ids', 'post_ids')
    >>> pre_ids.tolist(), post_ids.tolist()
    ([0, 1, 2], [0, 1, 2])
    """

    def __init__(self, pre: Any = None, post: Any = None):
        self.pre_size: tuple[int, ...] | None = None
        self.post_size: tuple[int, ...] | None = None
        self._csr: tuple[np.ndarray, np.ndarray] | None = None
        self._by_post_cache: tuple | None = None
        if pre is not None:
            self(pre, post if post is not None else pre)

    def __call__(self, pre_size: Any, post_size: Any = None) -> Connector:
        """Set the population sizes (``post_size`` defaults to ``pre_size``); returns self."""
        pre = as_size(pre_size, "pre_size")
        post = as_size(post_size if post_size is not None else pre_size, "post_size")
        if (pre, post) != (self.pre_size, self.post_size):
            self.pre_size, self.post_size = pre, post
            self._csr = None
            self._check_sizes()
        return self

    def _check_sizes(self) -> None:
        """Hook for connectors that constrain the sizes."""

    @property
    def pre_num(self) -> int:
        self._require_sizes()
        return math.prod(self.pre_size)

    @property
    def post_num(self) -> int:
        self._require_sizes()
        return math.prod(self.post_size)

    def _require_sizes(self) -> None:
        if self.pre_size is None:
            raise ValueError(f"{type(self).__name__} has no population sizes yet; give them as "
                             f"{type(self).__name__}(..., pre=..., post=...) or call it: "
                             f"conn(pre_size, post_size)")

    # ---- building ---------------------------------------------------------
    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        """``(indptr, indices)`` of the connectivity, rows in ascending column order."""
        raise NotImplementedError

    def csr(self) -> tuple[np.ndarray, np.ndarray]:
        """The cached, validated ``(indptr, indices)`` (built on first use)."""
        if self._csr is None:
            indptr, indices = self.build_csr()
            self._csr = finalize_csr(indptr, indices, self.pre_num, self.post_num)
            if len(self._csr[1]) >= LARGE_BUILD:
                release_free_memory()
        return self._csr

    @property
    def num_synapses(self) -> int:
        return int(self.csr()[0][-1])

    # ---- structures -------------------------------------------------------
    def require(self, *names: str) -> Any:
        """Return the named structures (one value for one name, else a tuple).

        The names and meanings are listed in ``brainx.conn.STRUCTURES``.
        Synapse-aligned arrays are ordered by presynaptic neuron, unless the same
        call asks for ``'post_slice'``: then they are ordered by postsynaptic neuron.
        """
        if not names:
            raise ValueError(f"name at least one structure: {', '.join(STRUCTURES)}")
        unknown = [n for n in names if n not in STRUCTURES]
        if unknown:
            raise ValueError(f"unknown connectivity structure(s) {unknown}; "
                             f"known: {', '.join(STRUCTURES)}")
        post_major = "post_slice" in names
        out = tuple(self._structure(name, post_major) for name in names)
        return out[0] if len(out) == 1 else out

    requires = require

    def _pre_ids(self) -> np.ndarray:
        indptr, indices = self.csr()
        return np.repeat(np.arange(self.pre_num, dtype=indices.dtype), np.diff(indptr))

    def _post_order(self) -> tuple[np.ndarray, np.ndarray]:
        if self._by_post_cache is None or self._by_post_cache[0] is not self._csr:
            order, indptr = _by_post(self.csr()[1], self.post_num)
            self._by_post_cache = (self._csr, order, indptr)
        return self._by_post_cache[1], self._by_post_cache[2]

    def _structure(self, name: str, post_major: bool) -> Any:
        indptr, indices = self.csr()
        if name == "csr":
            return indices, indptr
        if name == "pre2post":
            return Ragged(indices, indptr)
        if name == "pre2syn":
            return Ragged(np.arange(len(indices), dtype=indptr.dtype), indptr)
        if name == "pre_slice":
            return np.stack([indptr[:-1], indptr[1:]], axis=1)
        if name == "conn_mat":
            mat = np.zeros((self.pre_num, self.post_num), dtype=bool)
            mat[self._pre_ids(), indices] = True
            return mat
        if name == "coo":
            return self._pre_ids(), indices
        if name in ("pre_ids", "post_ids") and not post_major:
            return self._pre_ids() if name == "pre_ids" else indices
        order, csc_indptr = self._post_order()
        if name == "pre_ids":
            return self._pre_ids()[order]
        if name == "post_ids":
            return indices[order]
        if name in ("csc", "post2pre"):
            pre_by_post = self._pre_ids()[order]
            return (pre_by_post, csc_indptr) if name == "csc" else Ragged(pre_by_post, csc_indptr)
        if name == "post2syn":
            return Ragged(order.astype(indptr.dtype), csc_indptr)
        return np.stack([csc_indptr[:-1], csc_indptr[1:]], axis=1)  # post_slice

    def __repr__(self) -> str:
        sizes = "" if self.pre_size is None else f"pre={self.pre_size}, post={self.post_size}"
        return f"{type(self).__name__}({sizes})"


def _by_post(indices: np.ndarray, n_post: int) -> tuple[np.ndarray, np.ndarray]:
    """The synapse order sorted by postsynaptic neuron (stable), and its indptr."""
    order = np.argsort(indices, kind="stable")
    counts = np.bincount(indices, minlength=n_post)
    indptr = np.zeros(n_post + 1, dtype=_index_dtype(len(indices)))
    np.cumsum(counts, out=indptr[1:])
    return order, indptr


def validate_csr(indptr: Any, indices: Any, n_pre: int, n_post: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Raise ValueError unless ``(indptr, indices)`` describe an ``(n_pre, n_post)`` matrix."""
    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    if indptr.ndim != 1 or indices.ndim != 1:
        raise ValueError(f"indptr and indices must be 1-D, got shapes {indptr.shape} and "
                         f"{indices.shape}")
    if indptr.dtype.kind not in "iu" or (indices.size and indices.dtype.kind not in "iu"):
        raise ValueError(f"indptr and indices must be integer arrays, got {indptr.dtype} and "
                         f"{indices.dtype}")
    if len(indptr) != n_pre + 1:
        raise ValueError(f"indptr must have n_pre + 1 = {n_pre + 1} entries, got {len(indptr)}")
    if indptr[0] != 0 or indptr[-1] != len(indices):
        raise ValueError(f"indptr must start at 0 and end at len(indices) = {len(indices)}, "
                         f"got {indptr[0]} and {indptr[-1]}")
    steps = np.diff(indptr)
    if np.any(steps < 0):
        row = int(np.argmax(steps < 0))
        raise ValueError(f"indptr must not decrease; it does after row {row} "
                         f"({indptr[row]} -> {indptr[row + 1]})")
    if indices.size and (indices.min() < 0 or indices.max() >= n_post):
        bad = indices[(indices < 0) | (indices >= n_post)][0]
        raise ValueError(f"indices must lie in [0, n_post = {n_post}), found {bad}")
    return indptr, indices


def finalize_csr(indptr: Any, indices: Any, n_pre: int, n_post: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Validate a CSR description and return it with rows sorted and compact dtypes."""
    indptr, indices = validate_csr(indptr, indices, n_pre, n_post)
    if not _rows_sorted(indptr, indices):
        rows = np.repeat(np.arange(n_pre), np.diff(indptr))
        indices = indices[np.lexsort((indices, rows))]
    return (indptr.astype(_index_dtype(len(indices)), copy=False),
            indices.astype(_index_dtype(n_post), copy=False))


def _rows_sorted(indptr: np.ndarray, indices: np.ndarray, block: int = 1 << 20) -> bool:
    """Whether each row's indices ascend (checked a block at a time, to bound memory)."""
    for start in range(0, max(len(indices) - 1, 0), block):
        stop = min(start + block, len(indices) - 1)
        ascending = indices[start + 1:stop + 1] >= indices[start:stop]
        # position p + 1 may descend from p where it starts a row
        first, last = np.searchsorted(indptr, [start + 1, stop + 1])
        ascending[indptr[first:last] - start - 1] = True
        if not ascending.all():
            return False
    return True


def rows_to_csr(rows: Sequence[np.ndarray] | np.ndarray, counts: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """CSR from per-row column indices already concatenated in row order."""
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, np.asarray(rows)
