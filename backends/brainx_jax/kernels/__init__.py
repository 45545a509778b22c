"""jax kernels registered for brainx's declared operators."""

from brainx_jax.kernels.event import KERNELS

__all__ = ["KERNELS"]
