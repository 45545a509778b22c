"""The connectors: regular, random and user-given connectivity."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from brainx.conn._base import Connector, finalize_csr, rows_to_csr
from brainx.conn._sampling import HostStream, resolve_seed, sample_rows

__all__ = ["One2One", "All2All", "GridFour", "FixedProb", "FixedPreNum", "FixedPostNum",
           "FixedTotalNum", "MatConn", "IJConn", "CSRConn"]


def _check_probability(prob: Any) -> float:
    if isinstance(prob, bool) or not isinstance(prob, numbers.Real) or not 0.0 <= prob <= 1.0:
        raise ValueError(f"prob must be a number in [0, 1], got {prob!r}")
    return float(prob)


def _check_count(num: Any, name: str) -> int | float:
    if isinstance(num, bool) or not isinstance(num, numbers.Real):
        raise TypeError(f"{name} must be an int (a count) or a float in [0, 1] (a fraction), "
                        f"got {num!r}")
    if isinstance(num, numbers.Integral):
        if num < 0:
            raise ValueError(f"{name} must be >= 0, got {num}")
        return int(num)
    if not 0.0 <= num <= 1.0:
        raise ValueError(f"{name} as a fraction must be in [0, 1], got {num}")
    return float(num)


class One2One(Connector):
    """Neuron ``i`` connects to neuron ``i`` (the populations must be equally large).

    Examples
    --------
    >>> import brainx
    >>> brainx.conn.One2One()(4, 4).require('pre2post')[2].tolist()
    [2]
    """

    def _check_sizes(self) -> None:
        if self.pre_num != self.post_num:
            raise ValueError(f"One2One needs populations of equal size, got pre={self.pre_num} "
                             f"and post={self.post_num}")

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.pre_num
        return np.arange(n + 1), np.arange(n)


class All2All(Connector):
    """Every presynaptic neuron connects to every postsynaptic one.

    Parameters
    ----------
    include_self : bool
        Whether neuron ``i`` connects to neuron ``i`` when the populations have the
        same size (set False for a population connected to itself).

    Examples
    --------
    >>> import brainx
    >>> brainx.conn.All2All(include_self=False)(3, 3).require('conn_mat').astype(int).tolist()
    [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    """

    def __init__(self, include_self: bool = True, pre: Any = None, post: Any = None):
        self.include_self = bool(include_self)
        super().__init__(pre, post)

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        n_pre, n_post = self.pre_num, self.post_num
        cols = np.tile(np.arange(n_post), n_pre)
        if self.include_self or n_pre != n_post:
            return np.arange(n_pre + 1) * n_post, cols
        keep = cols != np.repeat(np.arange(n_pre), n_post)
        return np.arange(n_pre + 1) * (n_post - 1), cols[keep]


class GridFour(Connector):
    """Each neuron of a 2-D grid connects to its four nearest neighbours.

    Parameters
    ----------
    include_self : bool
        Also connect each neuron to itself.
    periodic_boundary : bool
        Wrap around the edges (a torus).

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.GridFour()((3, 3))
    >>> conn.require('pre2post')[4].tolist()    # the centre of a 3x3 grid
    [1, 3, 5, 7]
    """

    def __init__(self, include_self: bool = False, periodic_boundary: bool = False,
                 pre: Any = None, post: Any = None):
        self.include_self = bool(include_self)
        self.periodic_boundary = bool(periodic_boundary)
        super().__init__(pre, post)

    def _check_sizes(self) -> None:
        if self.pre_size != self.post_size or len(self.pre_size) != 2:
            raise ValueError(f"GridFour connects a 2-D grid to itself: pre and post must be "
                             f"the same (rows, columns), got pre={self.pre_size}, "
                             f"post={self.post_size}")

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = self.pre_size
        r, c = np.divmod(np.arange(rows * cols), cols)
        offsets = [(-1, 0), (0, -1), (0, 1), (1, 0)] + ([(0, 0)] if self.include_self else [])
        pre_list, post_list = [], []
        for dr, dc in offsets:
            rr, cc = r + dr, c + dc
            if self.periodic_boundary:
                rr, cc = rr % rows, cc % cols
                valid = np.ones_like(rr, dtype=bool)
            else:
                valid = (rr >= 0) & (rr < rows) & (cc >= 0) & (cc < cols)
            if (dr, dc) != (0, 0) and not self.include_self:  # a wrap onto itself (1 wide)
                valid &= (rr != r) | (cc != c)
            pre_list.append((r * cols + c)[valid])
            post_list.append((rr * cols + cc)[valid])
        pre_ids, post_ids = np.concatenate(pre_list), np.concatenate(post_list)
        return _coo_to_csr(pre_ids, post_ids, rows * cols, unique=True)


def _coo_to_csr(pre_ids: np.ndarray, post_ids: np.ndarray, n_pre: int,
                unique: bool = False) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((post_ids, pre_ids))
    pre_ids, post_ids = pre_ids[order], post_ids[order]
    if unique and len(pre_ids):
        keep = np.ones(len(pre_ids), dtype=bool)
        keep[1:] = (pre_ids[1:] != pre_ids[:-1]) | (post_ids[1:] != post_ids[:-1])
        pre_ids, post_ids = pre_ids[keep], post_ids[keep]
    return rows_to_csr(post_ids, np.bincount(pre_ids, minlength=n_pre))


class _RandomConnector(Connector):
    def __init__(self, allow_multi_conn: bool, include_self: bool, seed: int | None,
                 pre: Any, post: Any):
        self.allow_multi_conn = bool(allow_multi_conn)
        self.include_self = bool(include_self)
        self.seed = resolve_seed(seed)
        super().__init__(pre, post)

    def _exclude_diagonal(self) -> bool:
        return not self.include_self and self.pre_num == self.post_num

    def _per_row(self, n_rows: int, k: int, n: int, what: str) -> np.ndarray:
        available = max(n - 1, 0) if self._exclude_diagonal() else n
        if n_rows == 0:  # an empty population: nothing is drawn
            k = 0
        if not self.allow_multi_conn and k > available:
            raise ValueError(f"{type(self).__name__}: cannot draw {k} distinct {what} out of "
                             f"{available}; lower the number or set allow_multi_conn=True")
        if available == 0 and k > 0:
            raise ValueError(f"{type(self).__name__}: no {what} to connect to")
        return sample_rows(HostStream(self.seed), n_rows, k, n, distinct=not self.allow_multi_conn,
                           exclude_diagonal=self._exclude_diagonal())

    def _count(self, num: int | float, population: int) -> int:
        return num if isinstance(num, int) else int(round(num * population))


class _FixedNum(_RandomConnector):
    """A random connector with a fixed number of connections per neuron (``num``)."""

    def __init__(self, num: int | float, allow_multi_conn: bool = False,
                 include_self: bool = True, seed: int | None = None, pre: Any = None,
                 post: Any = None):
        self.num = _check_count(num, "num")
        super().__init__(allow_multi_conn, include_self, seed, pre, post)


class FixedPostNum(_FixedNum):
    """Each presynaptic neuron connects to ``num`` postsynaptic neurons chosen at random.

    Parameters
    ----------
    num : int or float
        The number of targets of each presynaptic neuron, or (a float in [0, 1]) that
        fraction of the postsynaptic population, rounded.
    allow_multi_conn : bool
        Draw targets with replacement, so a pair may be connected more than once.
    include_self : bool
        Whether neuron ``i`` may connect to neuron ``i`` when both populations have the
        same size.
    seed : int, optional
        The same seed gives the same synapses on every backend; ``None`` draws one.

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.FixedPostNum(3, seed=1)(5, 10)
    >>> [len(targets) for targets in conn.require('pre2post')]
    [3, 3, 3, 3, 3]
    """

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        k = self._count(self.num, self.post_num)
        cols = self._per_row(self.pre_num, k, self.post_num, "postsynaptic targets")
        return rows_to_csr(cols.reshape(-1), np.full(self.pre_num, k))


class FixedProb(FixedPostNum):
    """Each presynaptic neuron connects to ``round(prob * n_post)`` random targets.

    This is the meaning of BrainPy 2 and brainstate: a fixed fan-out equal to the
    expected number of targets. (Brian2's ``p=`` and NEST's ``pairwise_bernoulli``
    instead connect every pair independently, so the fan-out varies.)

    Parameters
    ----------
    prob : float
        Connection probability in [0, 1].
    allow_multi_conn : bool
        Draw targets with replacement (a pair may be connected more than once).
    include_self : bool
        Whether neuron ``i`` may connect to neuron ``i`` in a population connected to
        itself.
    seed : int, optional
        The same seed gives the same synapses on every backend.

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.FixedProb(0.1, seed=0)(100, 50)
    >>> conn.num_synapses
    500
    """

    def __init__(self, prob: float, allow_multi_conn: bool = False, include_self: bool = True,
                 seed: int | None = None, pre: Any = None, post: Any = None):
        self.prob = _check_probability(prob)
        super().__init__(self.prob, allow_multi_conn, include_self, seed, pre, post)

    def _count(self, num: int | float, population: int) -> int:
        return int(round(self.prob * population))


class FixedPreNum(_FixedNum):
    """Each postsynaptic neuron receives ``num`` presynaptic neurons chosen at random.

    Parameters are those of :class:`FixedPostNum`, with the roles of the two
    populations swapped (``num`` is the fan-in).

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.FixedPreNum(2, seed=1)(10, 4)
    >>> [len(sources) for sources in conn.require('post2pre')]
    [2, 2, 2, 2]
    """

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        k = self._count(self.num, self.pre_num)
        sources = self._per_row(self.post_num, k, self.pre_num, "presynaptic sources")
        post_ids = np.repeat(np.arange(self.post_num), k)
        return _coo_to_csr(sources.reshape(-1), post_ids, self.pre_num)


class FixedTotalNum(_RandomConnector):
    """``num`` synapses in all, each between a uniformly random pair.

    Examples
    --------
    >>> import brainx
    >>> brainx.conn.FixedTotalNum(7, seed=3)(5, 5).num_synapses
    7
    """

    def __init__(self, num: int, allow_multi_conn: bool = False, include_self: bool = True,
                 seed: int | None = None, pre: Any = None, post: Any = None):
        if isinstance(num, bool) or not isinstance(num, numbers.Integral) or num < 0:
            raise ValueError(f"num must be a non-negative int, got {num!r}")
        self.num = int(num)
        super().__init__(allow_multi_conn, include_self, seed, pre, post)

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        n_pre, n_post = self.pre_num, self.post_num
        pairs = n_pre * n_post - (n_pre if self._exclude_diagonal() else 0)
        if self.num and pairs <= 0:  # else the draws below would never finish
            without = " without self-connections" if self._exclude_diagonal() else ""
            raise ValueError(f"FixedTotalNum: cannot place {self.num} synapses: a {n_pre} x "
                             f"{n_post} connection{without} has no pair of neurons; give "
                             f"populations with one, or num=0")
        if not self.allow_multi_conn and self.num > pairs:
            raise ValueError(f"FixedTotalNum: cannot place {self.num} distinct synapses among "
                             f"{pairs} pairs; lower num or set allow_multi_conn=True")
        stream = HostStream(self.seed)
        flat = np.zeros(0, dtype=np.int64)
        while len(flat) < self.num:
            need = self.num - len(flat)
            pre = stream.below(need, n_pre)
            post = stream.below(need, n_post)
            fresh = pre * n_post + post
            if self._exclude_diagonal():
                fresh = fresh[pre != post]
            flat = np.concatenate([flat, fresh])
            if not self.allow_multi_conn:
                _, first = np.unique(flat, return_index=True)
                flat = flat[np.sort(first)]  # keep the earliest draw of each pair
        flat = np.sort(flat[:self.num])
        pre_ids, post_ids = np.divmod(flat, n_post)
        return rows_to_csr(post_ids, np.bincount(pre_ids, minlength=n_pre))


class MatConn(Connector):
    """Connectivity from a dense matrix: a synapse wherever ``conn_mat`` is nonzero.

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.MatConn([[0, 1], [1, 1]])
    >>> conn.require('post_ids').tolist()
    [1, 0, 1]
    """

    def __init__(self, conn_mat: Any):
        mat = np.asarray(conn_mat)
        if mat.ndim != 2:
            raise ValueError(f"conn_mat must be a 2-D matrix (n_pre, n_post), got shape "
                             f"{mat.shape}")
        self.conn_mat = mat != 0
        super().__init__(mat.shape[0], mat.shape[1])

    def _check_sizes(self) -> None:
        if (self.pre_num, self.post_num) != self.conn_mat.shape:
            raise ValueError(f"conn_mat has shape {self.conn_mat.shape}, but the populations are "
                             f"pre={self.pre_num} and post={self.post_num}")

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        pre_ids, post_ids = np.nonzero(self.conn_mat)
        return rows_to_csr(post_ids, np.bincount(pre_ids, minlength=self.pre_num))


class IJConn(Connector):
    """Connectivity from index arrays: synapse ``k`` goes from ``i[k]`` to ``j[k]``.

    Repeated pairs are kept (multiple synapses). Sizes default to ``max + 1``.

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.IJConn([2, 0, 0], [1, 1, 0])
    >>> conn.require('pre_ids', 'post_ids')
    (array([0, 0, 2], dtype=int32), array([0, 1, 1], dtype=int32))
    """

    def __init__(self, i: Any, j: Any, pre: Any = None, post: Any = None):
        i_, j_ = np.asarray(i), np.asarray(j)
        if i_.ndim != 1 or j_.shape != i_.shape:
            raise ValueError(f"i and j must be 1-D arrays of the same length, got shapes "
                             f"{i_.shape} and {j_.shape}")
        if i_.size and (i_.dtype.kind not in "iu" or j_.dtype.kind not in "iu"):
            raise ValueError(f"i and j must be integer arrays, got {i_.dtype} and {j_.dtype}")
        if i_.size and (i_.min() < 0 or j_.min() < 0):
            raise ValueError("i and j must not contain negative indices")
        self.i, self.j = i_.astype(np.int64), j_.astype(np.int64)
        pre = pre if pre is not None else (int(i_.max()) + 1 if i_.size else 0)
        post = post if post is not None else (int(j_.max()) + 1 if j_.size else 0)
        super().__init__(pre, post)

    def _check_sizes(self) -> None:
        if self.i.size and (self.i.max() >= self.pre_num or self.j.max() >= self.post_num):
            raise ValueError(f"indices out of range: max i = {self.i.max()} for "
                             f"pre={self.pre_num}, max j = {self.j.max()} for "
                             f"post={self.post_num}")

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        return _coo_to_csr(self.i, self.j, self.pre_num)


class CSRConn(Connector):
    """Connectivity from CSR arrays ``(indptr, indices)`` or a ``scipy.sparse`` matrix.

    Examples
    --------
    >>> import brainx
    >>> conn = brainx.conn.CSRConn(indptr=[0, 2, 2, 3], indices=[1, 0, 2], post=3)
    >>> conn.require('pre2post')[0].tolist()
    [0, 1]
    """

    def __init__(self, indptr: Any = None, indices: Any = None, pre: Any = None,
                 post: Any = None, matrix: Any = None):
        if matrix is not None or (indptr is not None and hasattr(indptr, "tocsr")):
            sparse = (matrix if matrix is not None else indptr).tocsr()
            indptr, indices = sparse.indptr, sparse.indices
            pre, post = sparse.shape
        if indptr is None or indices is None:
            raise ValueError("give indptr and indices, or a scipy.sparse matrix")
        self.indptr, self.indices = np.asarray(indptr), np.asarray(indices)
        if pre is None:
            pre = len(self.indptr) - 1
        if post is None:
            post = int(self.indices.max()) + 1 if self.indices.size else 0
        super().__init__(pre, post)
        finalize_csr(self.indptr, self.indices, self.pre_num, self.post_num)  # fail early

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        return self.indptr, self.indices
