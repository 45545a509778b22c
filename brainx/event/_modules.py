"""Event-driven layers: ``FixedProb``, ``Linear`` and ``CSRLinear``."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

import brainx
from brainx._units import dimension_of, to_canonical
from brainx.backend import Backend, get_backend
from brainx.backend._kernels import lookup
from brainx.conn import FixedProb as _FixedProbConnector
from brainx.conn._arrays import frozen
from brainx.conn._base import validate_csr
from brainx.event import _ops  # noqa: F401  (declares the operators' references)
from brainx.event._functional import check_events, native, needs_pre_ids
from brainx.graph import Node

__all__ = ["FixedProb", "Linear", "CSRLinear"]

Weight = float | np.ndarray | Callable[[tuple[int, ...]], Any]


def _check_size(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _check_grad_mode(grad_mode: str) -> str:
    if grad_mode not in ("vjp", "jvp"):
        raise ValueError(f"grad_mode must be 'vjp' or 'jvp', got {grad_mode!r}")
    return grad_mode


def init_weight(weight: Weight, shape: tuple[int, ...], what: str) -> tuple[Any, str | None]:
    """A homogeneous (0-d) weight, or an array of ``shape``, from a number, array or function,
    with the dimension of its unit (a key of ``brainx._units.DIMENSIONS``, None if unitless)."""
    if callable(weight):
        weight = weight(shape)
    dimension = dimension_of(weight)
    # a Quantity (0.6 * u.mS): its value in brainx's unit system (0.0006 siemens)
    weight = to_canonical(weight)
    if isinstance(weight, numbers.Real) and not isinstance(weight, bool):
        return brainx.math.asarray(weight, dtype=brainx.environ.dftype()), dimension
    array = brainx.math.asarray(weight)
    if array.ndim == 0:
        return array.astype(brainx.environ.dftype()), dimension
    if tuple(array.shape) != shape:
        raise ValueError(f"weight must be a scalar or have shape {shape} ({what}), got "
                         f"{tuple(array.shape)}")
    if np.dtype(array.dtype).kind != "f":
        array = array.astype(brainx.environ.dftype())
    return array, dimension


class _SparseLayer(Node):
    """Shared machinery: synapse arrays cached per backend, one kernel call per step."""

    def _setup(self, n_pre: int, n_post: int, indptr: np.ndarray, post_ids: np.ndarray,
               name: str | None, grad_mode: str, owned: bool) -> None:
        """``owned``: the arrays were made for this layer (else they are copied: the
        layer's arrays are read-only, and a CPU device may use them in place)."""
        self.n_pre, self.n_post = n_pre, n_post
        self.name = name
        self.grad_mode = _check_grad_mode(grad_mode)
        self._indptr = frozen(indptr, np.int64, owned)
        self._post_ids = frozen(post_ids, np.int32, owned)
        self._cache: dict[str, tuple[Any, Any, Any]] = {}

    @property
    def _pre_ids(self) -> np.ndarray:
        """Each synapse's presynaptic neuron (made when asked: kernels that walk the rows
        do not need it)."""
        return np.repeat(np.arange(self.n_pre, dtype=np.int32), np.diff(self._indptr))

    def _arrays(self, b: Backend) -> tuple[Any, Any, Any]:
        arrays = self._cache.get(b.name)
        if arrays is None:
            kernel = lookup("event_sparse_matvec", b)
            pre_ids = b.constant(self._pre_ids) if needs_pre_ids(kernel) else None
            arrays = (b.constant(self._indptr), pre_ids, b.constant(self._post_ids))
            self._cache[b.name] = arrays
        return arrays

    @property
    def num_synapses(self) -> int:
        return len(self._post_ids)

    @property
    def nbytes(self) -> int:
        """Bytes of the connectivity this layer holds: the row pointers and each synapse's
        postsynaptic index on the host, the weights (one number when homogeneous), and
        what the backends it ran on made of them (a copy on a device, each synapse's
        presynaptic index for kernels that need it, a split among threads).

        Examples
        --------
        >>> import numpy as np
        >>> import brainx
        >>> with brainx.use_backend('numba'), brainx.environ.context(threads=1):
        ...     layer = brainx.event.FixedProb(1000, 1000, 0.08, 0.5, seed=0)
        ...     _ = layer(np.ones(1000, dtype=bool))
        >>> layer.num_synapses, layer.nbytes / layer.num_synapses
        (80000, 4.1502)
        """
        from brainx.event._partition import held_bytes

        weight = self.weight.value
        total = self._indptr.nbytes + self._post_ids.nbytes + getattr(weight, "nbytes", 8)
        for name, arrays in self._cache.items():
            backend = get_backend(name)
            for array, host in zip(arrays, (self._indptr, None, self._post_ids), strict=True):
                if array is not None and not (host is not None
                                              and backend.shares_memory(array, host)):
                    total += getattr(array, "nbytes", 0)
            total += held_bytes(arrays[0], arrays[2])  # the split of the arrays a kernel got
        return int(total)

    def _prepare(self) -> None:
        """Let the current backend's product derive what it keeps of the connectivity (a
        split among devices or threads) now, with the layer, rather than while its first
        call is compiled: the kernel's optional ``prepare(backend, operands, shape)``,
        which calls ``operands()`` only if it needs them."""
        b = get_backend()
        prepare = getattr(lookup("event_sparse_matvec", b), "prepare", None)
        if prepare is not None:
            prepare(b, lambda: self.operands(b), (self.n_pre, self.n_post))

    def operands(self, b: Backend) -> tuple[Any, Any, Any, Any]:
        """``(indptr, pre_ids, post_ids, weight)`` as the ``event_sparse_matvec`` operator takes
        them, on backend ``b``."""
        indptr, pre_ids, post_ids = self._arrays(b)
        weight = self.weight.value
        if getattr(weight, "ndim", 0) > 1:
            weight = weight.reshape(-1)
        return indptr, pre_ids, post_ids, weight

    def __call__(self, events: Any, transpose: bool = False) -> Any:
        """Postsynaptic input ``events @ W`` (``transpose``: presynaptic ``W @ events``)."""
        b = get_backend()
        check_events(events, self.n_post if transpose else self.n_pre)
        return lookup("event_sparse_matvec", b)(b, native(b, events), *self.operands(b),
                                                (self.n_pre, self.n_post), transpose,
                                                self.grad_mode)


class FixedProb(_SparseLayer):
    """Each presynaptic neuron projects to ``round(prob * n_post)`` random targets.

    Parameters
    ----------
    n_pre, n_post : int
        Population sizes.
    prob : float
        Connection probability in [0, 1].
    weight : float, array or callable
        A number (homogeneous: stored once), an array of shape
        ``(n_pre, round(prob * n_post))`` aligned with the connections, or a function
        called with that shape at initialisation.
    allow_multi_conn : bool
        Draw targets with replacement (a pair may be connected more than once).
    seed : int, optional
        The same seed gives the same connectivity on every backend.
    name : str, optional
    grad_mode : {'vjp', 'jvp'}
        How jax differentiates the layer (a custom VJP or a custom JVP).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.event.FixedProb(100, 20, 0.1, 0.5, seed=0)
    ...     out = layer(np.ones(100, dtype=bool))
    >>> float(out.sum())   # 100 neurons x 2 targets x 0.5
    100.0
    """

    def __init__(self, n_pre: int, n_post: int, prob: float, weight: Weight,
                 allow_multi_conn: bool = True, seed: int | None = None,
                 name: str | None = None, grad_mode: str = "vjp"):
        n_pre, n_post = _check_size(n_pre, "n_pre"), _check_size(n_post, "n_post")
        conn = _FixedProbConnector(prob, allow_multi_conn=allow_multi_conn, seed=seed)
        indices, indptr = conn(n_pre, n_post).require("csr")
        self.prob = conn.prob
        self.n_conn = int(round(self.prob * n_post))
        self.allow_multi_conn = bool(allow_multi_conn)
        self.seed = conn.seed
        self._setup(n_pre, n_post, indptr, indices, name, grad_mode, owned=True)
        value, self.weight_dimension = init_weight(weight, (n_pre, self.n_conn),
                                                   "one value per connection")
        self.weight = brainx.ParamState(value)
        self._prepare()

    @property
    def indices(self) -> np.ndarray:
        """The targets of each presynaptic neuron, shape ``(n_pre, n_conn)``."""
        return self._post_ids.reshape(self.n_pre, self.n_conn)


class CSRLinear(_SparseLayer):
    """A sparse layer given as CSR arrays (rows: presynaptic neurons).

    Parameters
    ----------
    n_pre, n_post : int
    indptr, indices : array
        The CSR structure; synapses keep the order given (weights align with it).
    weight : float, array or callable
        A number, an array with one value per synapse, or a function called with
        ``(len(indices),)``.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse
    >>> import brainx
    >>> m = scipy.sparse.csr_matrix(np.array([[0., 2.], [3., 0.]]))
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.event.CSRLinear(2, 2, m.indptr, m.indices, m.data)
    ...     layer(np.array([True, True])).tolist()
    [3.0, 2.0]
    """

    def __init__(self, n_pre: int, n_post: int, indptr: Any, indices: Any, weight: Weight,
                 name: str | None = None, grad_mode: str = "vjp"):
        n_pre, n_post = _check_size(n_pre, "n_pre"), _check_size(n_post, "n_post")
        indptr_, indices_ = validate_csr(indptr, indices, n_pre, n_post)
        self._setup(n_pre, n_post, indptr_, indices_, name, grad_mode, owned=False)
        value, self.weight_dimension = init_weight(weight, (len(indices_),),
                                                   "one value per synapse")
        self.weight = brainx.ParamState(value)
        self._prepare()


class Linear(Node):
    """A dense layer driven by events: only active presynaptic rows are added.

    Parameters
    ----------
    n_pre, n_post : int
    weight : float, array or callable
        A number (all-to-all with one weight), an ``(n_pre, n_post)`` matrix, or a
        function called with ``(n_pre, n_post)``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     layer = brainx.event.Linear(2, 3, np.arange(6.0).reshape(2, 3))
    ...     layer(np.array([False, True])).tolist()
    [3.0, 4.0, 5.0]
    """

    def __init__(self, n_pre: int, n_post: int, weight: Weight, name: str | None = None,
                 grad_mode: str = "vjp"):
        self.n_pre, self.n_post = _check_size(n_pre, "n_pre"), _check_size(n_post, "n_post")
        self.name = name
        self.grad_mode = _check_grad_mode(grad_mode)
        value, self.weight_dimension = init_weight(weight, (self.n_pre, self.n_post),
                                                   "(n_pre, n_post)")
        self.weight = brainx.ParamState(value)

    def __call__(self, events: Any, transpose: bool = False) -> Any:
        """Postsynaptic input ``events @ W`` (``transpose``: presynaptic ``W @ events``)."""
        b = get_backend()
        check_events(events, self.n_post if transpose else self.n_pre)
        events = native(b, events)
        return lookup("event_dense_matvec", b)(b, events, self.weight.value,
                                               (self.n_pre, self.n_post), transpose,
                                               self.grad_mode)
