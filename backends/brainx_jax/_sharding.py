"""Sharding a network over several devices: ``brainx.environ.set(devices=N)``.

Every State array whose last axis (the neurons of a population, of a batch or of a
delay buffer) is a multiple of the number of devices is split along that axis over a
one-axis ``jax.sharding.Mesh`` named ``'neurons'``; the other values are replicated. A
compiled step then runs where its data lives (GSPMD): each device updates its neurons,
and XLA exchanges what a device needs from the others, the spikes of every population
for the event products, each step. Each neuron's arithmetic is the same on one device
or many, and each postsynaptic sum keeps its ascending presynaptic order, so rasters are
identical (tests/unit/test_sharding.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from brainx import environ

AXIS = "neurons"


def _chosen_devices() -> tuple | None:
    chosen = environ.get("devices", None)
    if chosen is None:
        return None
    available = jax.devices()
    if chosen == "all":
        devices = tuple(available)
    elif isinstance(chosen, int):
        if chosen > len(available):
            raise ValueError(
                f"devices={chosen} asks for more devices than jax has ({len(available)}: "
                f"{', '.join(str(d) for d in available)}); on the CPU start Python with "
                f"XLA_FLAGS=--xla_force_host_platform_device_count={chosen} to get {chosen}")
        devices = tuple(available[:chosen])
    else:
        devices = tuple(chosen)
        if not all(isinstance(d, jax.Device) for d in devices):
            raise ValueError(f"devices must be jax devices (jax.devices()), got {chosen!r}")
    return devices if len(devices) > 1 else None


@cache
def _mesh(devices: tuple) -> Mesh:
    return Mesh(np.array(devices), (AXIS,))


def mesh() -> Mesh | None:
    """The mesh ``environ`` asks for, or None for one device."""
    devices = _chosen_devices()
    return None if devices is None else _mesh(devices)


def sharding_of(x: Any, mesh_: Mesh) -> NamedSharding:
    """Split along the last axis when it divides evenly among the devices, else replicate."""
    shape = np.shape(x)
    n = mesh_.devices.size
    if len(shape) and shape[-1] >= n and shape[-1] % n == 0:
        return NamedSharding(mesh_, PartitionSpec(*([None] * (len(shape) - 1)), AXIS))
    return NamedSharding(mesh_, PartitionSpec())


def place(tree: Any, mesh_: Mesh) -> Any:
    """The arrays of ``tree`` laid out over ``mesh_`` (no copy for those already there)."""
    def put(x: Any) -> Any:
        if not hasattr(x, "shape"):
            return x
        target = sharding_of(x, mesh_)
        if getattr(x, "sharding", None) == target:
            return x
        return jax.device_put(x, target)
    return jax.tree.map(put, tree)
