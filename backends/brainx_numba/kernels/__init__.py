"""Numba kernels registered for brainx's declared operators."""

from brainx_numba.kernels.event import KERNELS

__all__ = ["KERNELS"]
