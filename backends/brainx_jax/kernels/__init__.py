"""jax kernels registered for brainx's declared operators."""

from brainx_jax.kernels import event, layers

KERNELS = {**event.KERNELS, **layers.KERNELS}

__all__ = ["KERNELS"]
