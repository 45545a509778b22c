"""State-aware transforms: autodiff, vectorisation, shape evaluation, checkpointing.

Each transform takes a function that reads and writes States and behaves as
the corresponding jax transform of a pure function: gradients with respect to
States (``grad_states``) or arguments (``argnums``), batching with shared or
batched States. When a transform returns, every State holds a concrete array
(or a value of the enclosing ``compile.jit``), never a tracer of the transform,
and random keys have advanced as by one call. Gradients need a backend with the
``grad`` capability (jax); ``vmap`` runs everywhere (as a loop on numba).

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     model = brainx.nn.Linear(2, 3, w_init=brainx.init.Constant(0.5))
...     x, y = bm.ones((1, 2)), bm.ones((1, 3))
...     loss = lambda: bm.mean((y - model(x)) ** 2)
...     grads = brainx.augment.grad(loss, model.states())()
>>> sorted(grads[('weight',)])
['bias', 'weight']
"""

from brainx.augment._autodiff import (
    GradientTransform,
    grad,
    hessian,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    vector_grad,
    vjp,
)
from brainx.augment._mapping import vmap
from brainx.augment._misc import ShapeDtypeStruct, abstract_init, eval_shape, remat, restore_rngs

__all__ = ["grad", "vector_grad", "jacobian", "jacrev", "jacfwd", "hessian", "vjp", "jvp",
           "vmap", "eval_shape", "abstract_init", "remat", "restore_rngs", "GradientTransform",
           "ShapeDtypeStruct"]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
