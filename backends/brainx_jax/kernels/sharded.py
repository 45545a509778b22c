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

import weakref
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

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
    counts = np.diff(bounds, axis=1)                      # (n_pre, D)
    width = max(int(counts.sum(axis=0).max(initial=0)), 1)
    local_indptr = np.zeros((n_dev, len(starts)), dtype=np.int32)
    np.cumsum(counts.T, axis=1, out=local_indptr[:, 1:])
    local_post = np.zeros((n_dev, width), dtype=np.int32)
    synapse = np.zeros((n_dev, 1 if homogeneous else width), dtype=np.int32)
    for d in range(n_dev):
        # device d's synapses in their order in the layer: row i's slice bounds[i, d]:..
        total = int(local_indptr[d, -1])
        ks = np.arange(total, dtype=np.int64)
        ks += np.repeat(bounds[:, d] - local_indptr[d, :-1], counts[:, d])
        local_post[d, :total] = targets[ks] - edges[d]
        if not homogeneous:
            synapse[d, :total] = ks
        del ks
    split = NamedSharding(mesh, PartitionSpec(AXIS, None))
    with jax.ensure_compile_time_eval():  # device buffers, also while a step is traced
        arrays = [jax.device_put(a, split) for a in (local_indptr, local_post, synapse)]
    found = LocalCSR(mesh, *arrays, n_local)
    note_held(indptr, post_ids, ("device split", id(mesh), homogeneous), found.nbytes)
    _remember(key, indptr, post_ids, found)
    return found


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
