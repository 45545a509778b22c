"""Vector- and matrix-valued draws: Dirichlet, multivariate normal, random orthogonal
matrices.

The Dirichlet draw normalises gammas (in log space, so small concentrations do not
underflow); the other two go through the backend's ``linalg`` (Cholesky, SVD,
eigendecomposition, QR), which LAPACK and XLA compute in different orders, so they
agree across backends to rounding, not bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainx.backend import Backend
from brainx.random._gamma import gamma_and_log, standard_normal

Shape = tuple[int, ...]


def dirichlet(b: Backend, key: Any, alpha: Any, shape: Shape, dtype: np.dtype) -> Any:
    """``G_i / sum(G)`` of ``G_i ~ Gamma(alpha_i)`` along the last axis; ``shape`` is the
    batch shape (the result has ``shape + (k,)``)."""
    xp = b.numpy
    alpha = xp.asarray(alpha, dtype=dtype)
    full = tuple(shape) + (int(alpha.shape[-1]),)
    _, log_g = gamma_and_log(b, key, xp.broadcast_to(alpha, full), full, dtype)
    # softmax of the log-gammas: exact ratios even where the gammas underflow
    scaled = xp.exp(log_g - xp.max(log_g, axis=-1, keepdims=True))
    return (scaled / xp.sum(scaled, axis=-1, keepdims=True)).astype(dtype)


def factor(b: Backend, cov: Any, method: str) -> Any:
    """A matrix ``A`` with ``A A^T = cov`` (batched over leading axes)."""
    xp = b.numpy
    if method == "cholesky":
        return xp.linalg.cholesky(cov)
    if method == "svd":
        u, s, _ = xp.linalg.svd(cov)
        return u * xp.sqrt(xp.clip(s, 0.0, None))[..., None, :]
    w, v = xp.linalg.eigh(cov)
    return v * xp.sqrt(xp.clip(w, 0.0, None))[..., None, :]


def multivariate_normal(b: Backend, key: Any, mean: Any, cov: Any, method: str, shape: Shape,
                        dtype: np.dtype) -> Any:
    """``mean + A z`` with ``A A^T = cov``, ``z`` standard normal; ``shape`` is the batch
    shape (the result has ``shape + (n,)``)."""
    xp = b.numpy
    mean = xp.asarray(mean, dtype=dtype)
    cov = xp.asarray(cov, dtype=dtype)
    n = int(mean.shape[-1])
    z = standard_normal(b, key, tuple(shape) + (n,), dtype)
    a = factor(b, cov, method)
    return (mean + xp.matmul(a, z[..., None])[..., 0]).astype(dtype)


def orthogonal(b: Backend, key: Any, n: int, shape: Shape, dtype: np.dtype) -> Any:
    """Haar-distributed ``n x n`` orthogonal matrices: ``Q`` of the QR decomposition of a
    standard normal matrix, its columns' signs fixed by ``R``'s diagonal (Mezzadri 2007)."""
    xp = b.numpy
    z = standard_normal(b, key, tuple(shape) + (n, n), dtype)
    q, r = xp.linalg.qr(z)
    d = xp.diagonal(r, axis1=-2, axis2=-1)
    return (q * xp.where(d < 0, -1.0, 1.0)[..., None, :]).astype(dtype)

