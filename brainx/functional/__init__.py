"""Activation functions, normalisations and spike operations, on every backend.

Written against ``brainx.math``, so each runs on jax (and differentiates there) and on
numba; the names and signatures are brainstate's ``brainstate.functional``.

Examples
--------
>>> import brainx
>>> import brainx.functional as F
>>> with brainx.use_backend('numba'):
...     x = brainx.math.asarray([-1., 0., 2.])
...     print(F.relu(x), F.softmax(x).sum())
[0. 0. 2.] 1.0
"""

from brainx.functional._activations import (
    celu,
    elu,
    gelu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    log_sigmoid,
    mish,
    prelu,
    relu,
    relu6,
    rrelu,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    soft_sign,
    softplus,
    sparse_plus,
    sparse_sigmoid,
    squareplus,
    swish,
    tanh,
    tanh_shrink,
)
from brainx.functional._axis import (
    glu,
    log_softmax,
    logsumexp,
    one_hot,
    softmax,
    softmin,
    standardize,
)
from brainx.functional._normalization import clip_grad_norm, weight_standardization
from brainx.functional._special import erf, erfc
from brainx.functional._spikes import (
    spike_bitwise,
    spike_bitwise_and,
    spike_bitwise_iand,
    spike_bitwise_ixor,
    spike_bitwise_not,
    spike_bitwise_or,
    spike_bitwise_xor,
)

__all__ = [
    # activations
    "tanh", "relu", "squareplus", "softplus", "soft_sign", "sigmoid", "silu", "swish",
    "log_sigmoid", "elu", "leaky_relu", "hard_tanh", "celu", "selu", "gelu", "glu",
    "logsumexp", "log_softmax", "softmax", "standardize", "one_hot", "relu6", "hard_sigmoid",
    "hard_silu", "hard_swish", "hard_shrink", "rrelu", "mish", "soft_shrink", "prelu",
    "tanh_shrink", "softmin", "sparse_plus", "sparse_sigmoid",
    # normalization and gradients
    "weight_standardization", "clip_grad_norm",
    # spikes
    "spike_bitwise_or", "spike_bitwise_and", "spike_bitwise_iand", "spike_bitwise_not",
    "spike_bitwise_xor", "spike_bitwise_ixor", "spike_bitwise",
    # special functions
    "erf", "erfc",
]

for _name in __all__:
    if _name not in ("swish", "hard_swish"):  # aliases: the same objects as silu, hard_silu
        globals()[_name].__module__ = __name__
del _name
