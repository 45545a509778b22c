"""Numba kernels registered for brainx's declared operators.

Only the event operators have kernels: the whole-step operators of the built-in models
(``nn.lif_step``, ``nn.expon_sparse_step``, ...) run their references, which the compiled
path fuses into one loop as it does a user's model (docs/numba_compilation.md).
"""

from brainx_numba.kernels import event

KERNELS = dict(event.KERNELS)

__all__ = ["KERNELS"]
