"""The sparse event product over a device mesh: each device sums its own neurons.

With ``environ.set(devices=D)`` the postsynaptic neurons of a layer are split into D
equal ranges, one per device of the mesh, and each device keeps the synapses onto its
range as a CSR structure of its own (rows: every presynaptic neuron; synapses in their
original order; padded to the longest device's count). Each step the spikes are gathered
on every device (``in_specs=P()``) and each device runs the serial event kernel on its
synapses, so each sum runs in ascending presynaptic order as on one device, and the
synapses are stored once over the mesh, not once per device.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from brainx.conn._arrays import aligned_empty
from brainx.event._partition import even_edges, note_held, row_bounds, rows_sorted
from brainx_jax._sharding import AXIS
from brainx_jax.kernels import cpu_ffi


@dataclass(frozen=True, eq=False)
class LocalCSR:
    """Per-device CSR structures, stacked on a leading axis split over the mesh."""

    mesh: Mesh
    indptr: Any      # (D, n_pre + 1)
    post_ids: Any    # (D, width): postsynaptic index within the device's range
    synapse: Any     # (D, width): each local synapse's index in the layer (for weights)
    n_local: int     # neurons per device
    host: tuple      # the host arrays: CPU devices use them in place
    ops: dict = field(default_factory=dict)  # the products made on it (kernels.event)

    @property
    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.post_ids.nbytes + self.synapse.nbytes)


_CACHE: dict[tuple, tuple] = {}


def usable(mesh: Mesh, n_post: int) -> bool:
    """Whether the layer can be split: CPU devices of this one process (the numba kernels run
    inside XLA; a compiled step may not close over arrays on other hosts' devices) and a
    population that divides evenly among them."""
    return (cpu_ffi.usable() and mesh.devices.flat[0].platform == "cpu"
            and n_post % mesh.devices.size == 0 and jax.process_count() == 1)


def local_structure(indptr: Any, post_ids: Any, n_post: int, mesh: Mesh,
                    homogeneous: bool) -> LocalCSR | None:
    """The per-device structures of a layer (None when its rows are not sorted by target);
    with per-synapse weights, also each local synapse's index in the layer."""
    key = (id(indptr), id(post_ids), n_post, id(mesh), homogeneous)
    held = _CACHE.get(key)
    if held is not None and held[0]() is indptr and held[1]() is post_ids:
        return held[2]
    starts = np.asarray(indptr, dtype=np.int64)
    targets = np.asarray(post_ids)
    n_dev = mesh.devices.size
    if not rows_sorted(starts, targets):
        _remember(key, indptr, post_ids, None)  # checked once, not at every call
        return None
    n_local = n_post // n_dev
    edges = even_edges(n_post, n_dev)
    bounds = row_bounds(starts, targets, n_post, edges)
    local_indptr = np.zeros((n_dev, len(starts)), dtype=np.int32)
    np.cumsum(np.diff(bounds, axis=1).T, axis=1, out=local_indptr[:, 1:])
    width = max(int(local_indptr[:, -1].max(initial=0)), 1)
    # the synapse rows padded to whole 64-byte lines: each device's row is then aligned,
    # and a CPU device uses it in place instead of copying it
    local_post = _padded_rows(n_dev, width)
    synapse = _padded_rows(n_dev, 1 if homogeneous else width)
    _fill_split()(targets, bounds, local_indptr, edges, local_post, synapse, homogeneous)
    del bounds
    split = NamedSharding(mesh, PartitionSpec(AXIS, None))
    host = (local_indptr, local_post, synapse)
    with jax.ensure_compile_time_eval():  # device buffers, also while a step is traced
        arrays = []
        for array in host:
            array.flags.writeable = False
            arrays.append(jax.device_put(array, split, may_alias=True).block_until_ready())
    found = LocalCSR(mesh, *arrays, n_local, host)
    note_held(indptr, post_ids, ("device split", id(mesh), homogeneous), found.nbytes)
    _remember(key, indptr, post_ids, found)
    return found


def _padded_rows(n_rows: int, n_columns: int) -> np.ndarray:
    """A zeroed aligned int32 array of ``n_rows`` rows of ``n_columns`` or a few more."""
    array = aligned_empty((n_rows, -(-n_columns // 16) * 16), np.int32)
    array.fill(0)
    return array


@functools.cache
def _fill_split() -> Any:
    """The numba function writing each device's synapses in one pass (no temporaries the
    size of the layer): device d's row i is ``targets[bounds[i, d]:bounds[i, d + 1]]``,
    less ``edges[d]``, at ``local_indptr[d, i]``; with per-synapse weights each synapse's
    index in the layer too."""
    from brainx_numba._caching import njit

    @njit(nogil=True)
    def fill(targets, bounds, local_indptr, edges, local_post, synapse,
             homogeneous):  # pragma: no cover - compiled
        for d in range(local_post.shape[0]):
            for i in range(bounds.shape[0]):
                at = local_indptr[d, i] - bounds[i, d]
                for k in range(bounds[i, d], bounds[i, d + 1]):
                    local_post[d, at + k] = targets[k] - edges[d]
                    if not homogeneous:
                        synapse[d, at + k] = k
    return fill


def _remember(key: tuple, indptr: Any, post_ids: Any, found: LocalCSR | None) -> None:
    try:
        _CACHE[key] = (weakref.ref(indptr), weakref.ref(post_ids), found)
    except TypeError:  # not weakly referable: computed at every call
        pass


def product(local: LocalCSR, events: Any, weight: Any, dtype: Any, homogeneous: bool) -> Any:
    """``events @ M`` with each device summing its ``n_local`` postsynaptic neurons."""
    def per_device(events_, weight_, indptr_, post_, synapse_):
        w = weight_ if homogeneous else weight_[synapse_[0, :post_.shape[1]]]
        return cpu_ffi.sparse(events_, indptr_[0], post_[0], w, local.n_local, False, dtype)

    split = PartitionSpec(AXIS, None)
    out_spec = PartitionSpec(*([None] * (events.ndim - 1)), AXIS)
    mapped = jax.shard_map(per_device, mesh=local.mesh,
                           in_specs=(PartitionSpec(), PartitionSpec(), split, split, split),
                           out_specs=out_spec, check_vma=False)
    return mapped(events, weight, local.indptr, local.post_ids, local.synapse)
