"""Embedding: a trainable lookup table."""

from __future__ import annotations

from typing import Any

import numpy as np

import brainx.math as bm
from brainx.backend import get_backend
from brainx.nn._layer import LECUN_UNIFORM, Layer, weight_param
from brainx.state import ParamState

__all__ = ["Embedding"]


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")
    return int(value)


class Embedding(Layer):
    """A table of ``num_embeddings`` vectors of ``embedding_size``; ``layer(indices)`` looks
    rows up (the output has the indices' shape plus ``(embedding_size,)``).

    Parameters
    ----------
    num_embeddings : int
        The number of rows.
    embedding_size : int
        The length of each vector.
    embed_init : Initializer, callable or array
        The table's initial value, of shape ``(num_embeddings, embedding_size)``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     table = np.arange(6.0).reshape(3, 2)
    ...     emb = brainx.nn.Embedding(3, 2, embed_init=table)
    ...     emb(np.array([[2, 0]])).tolist()
    [[[4.0, 5.0], [0.0, 1.0]]]
    """

    _repr_fields = ("num_embeddings", "embedding_size", "weight")

    def __init__(self, num_embeddings: int, embedding_size: int,
                 embed_init: Any = LECUN_UNIFORM, name: str | None = None):
        super().__init__(name=name)
        self.num_embeddings = _count("num_embeddings", num_embeddings)
        self.embedding_size = _count("embedding_size", embedding_size)
        self.out_size = (self.embedding_size,)
        self.weight = ParamState(weight_param(
            "embed_init", embed_init, (self.num_embeddings, self.embedding_size)))

    def update(self, indices: Any) -> Any:
        indices = bm.asarray(indices)
        if indices.dtype.kind not in "iu":
            raise TypeError(f"Embedding takes integer indices, got dtype {indices.dtype}")
        b = get_backend()
        if not b.is_tracer(indices) and indices.size:
            host = b.to_numpy(indices)
            if host.min() < 0 or host.max() >= self.num_embeddings:
                raise IndexError(f"Embedding indices must be in [0, {self.num_embeddings}), got "
                                 f"values from {host.min()} to {host.max()}")
        return self.weight.value[indices]
