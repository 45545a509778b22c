"""Numba kernels registered for brainx's declared operators."""

from brainx_numba.kernels import event, neurons

KERNELS = {**event.KERNELS, **neurons.KERNELS}

__all__ = ["KERNELS"]
