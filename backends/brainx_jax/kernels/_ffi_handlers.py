"""The XLA FFI handlers (numba cfuncs) behind ``cpu_ffi``; importing this compiles them.

Module level so that numba caches them on disk (``cache=True``): a process after
the first loads them instead of compiling them again.
"""

from __future__ import annotations

import numpy as np
from brainx_numba._caching import cfunc, njit
from brainx_numba.kernels.event import _dense_gather, _dense_rows, _gather_rows, _scatter_rows
from numba import carray, types
from numba.extending import intrinsic

from brainx_jax.kernels.cpu_ffi import _F64, _PRED, api_version

major, minor = api_version()


@intrinsic
def _ptr(typingctx, address):
    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], context.get_value_type(types.voidptr))
    return types.voidptr(types.int64), codegen


@njit(inline="always")
def _frame(frame):
    """The call frame's words; None-like (empty) after a handshake or a non-execute stage."""
    words = carray(frame, (15,), np.int64)
    if words[1] != 0:
        ext = carray(_ptr(words[1]), (4,), np.int64)
        if (ext[1] & 0xFFFFFFFF) == 1:  # metadata extension: report the API version
            meta = carray(_ptr(ext[3]), (9,), np.int32)
            meta[6] = major
            meta[7] = minor
            meta[8] = 0
            return words, False
    return words, (words[4] & 0xFFFFFFFF) == 3


@njit(inline="always")
def _buffer(table, i):
    """(dtype code, data address, rows, columns) of buffer ``i``; rank <= 2."""
    buf = carray(_ptr(table[i]), (6,), np.int64)
    rank = buf[4]
    rows, cols = 1, 1
    if rank >= 1:
        dims = carray(_ptr(buf[5]), (rank,), np.int64)
        cols = dims[rank - 1]
        if rank == 2:
            rows = dims[0]
    return buf[2] & 0xFFFFFFFF, buf[3], rows, cols


@njit
def _sparse_typed(ev_code, ev_addr, batch, n_in, indptr, indices, weights, homogeneous,
                  transpose, out):
    out[:, :] = 0
    if ev_code == _PRED:
        events = carray(_ptr(ev_addr), (batch, n_in), np.bool_)
        if transpose:
            _gather_rows(events, indptr, indices, weights, homogeneous, out)
        else:
            _scatter_rows(events, indptr, indices, weights, homogeneous, out)
    else:
        values = carray(_ptr(ev_addr), (batch, n_in), out.dtype)
        if transpose:
            _gather_rows(values, indptr, indices, weights, homogeneous, out)
        else:
            _scatter_rows(values, indptr, indices, weights, homogeneous, out)
    if homogeneous:
        out *= weights[0]


@njit
def _run_sparse(table, rets, transpose):
    ev_code, ev_addr, batch, n_in = _buffer(table, 0)
    _, ip_addr, _, n_ptr = _buffer(table, 1)
    _, ix_addr, _, nnz = _buffer(table, 2)
    _, w_addr, _, n_w = _buffer(table, 3)
    out_code, out_addr, _, n_out = _buffer(rets, 0)
    indptr = carray(_ptr(ip_addr), (n_ptr,), np.int32)
    indices = carray(_ptr(ix_addr), (nnz,), np.int32)
    homogeneous = n_w == 1 and nnz != 1
    if out_code == _F64:
        _sparse_typed(ev_code, ev_addr, batch, n_in, indptr, indices,
                      carray(_ptr(w_addr), (n_w,), np.float64), homogeneous, transpose,
                      carray(_ptr(out_addr), (batch, n_out), np.float64))
    else:
        _sparse_typed(ev_code, ev_addr, batch, n_in, indptr, indices,
                      carray(_ptr(w_addr), (n_w,), np.float32), homogeneous, transpose,
                      carray(_ptr(out_addr), (batch, n_out), np.float32))


@njit
def _dense_typed(ev_code, ev_addr, batch, n_in, weights, transpose, out):
    out[:, :] = 0
    if ev_code == _PRED:
        events = carray(_ptr(ev_addr), (batch, n_in), np.bool_)
        if transpose:
            _dense_gather(events, weights, out)
        else:
            _dense_rows(events, weights, out)
    else:
        values = carray(_ptr(ev_addr), (batch, n_in), out.dtype)
        if transpose:
            _dense_gather(values, weights, out)
        else:
            _dense_rows(values, weights, out)


@njit
def _run_dense(table, rets, transpose):
    ev_code, ev_addr, batch, n_in = _buffer(table, 0)
    _, w_addr, w_rows, w_cols = _buffer(table, 1)
    out_code, out_addr, _, n_out = _buffer(rets, 0)
    if out_code == _F64:
        _dense_typed(ev_code, ev_addr, batch, n_in,
                     carray(_ptr(w_addr), (w_rows, w_cols), np.float64), transpose,
                     carray(_ptr(out_addr), (batch, n_out), np.float64))
    else:
        _dense_typed(ev_code, ev_addr, batch, n_in,
                     carray(_ptr(w_addr), (w_rows, w_cols), np.float32), transpose,
                     carray(_ptr(out_addr), (batch, n_out), np.float32))

_SIGNATURE = types.voidptr(types.voidptr)


@cfunc(_SIGNATURE)
def sparse_handler(frame):  # pragma: no cover - compiled
    words, execute = _frame(frame)
    if execute:
        _run_sparse(carray(_ptr(words[9]), (words[7],), np.int64),
                    carray(_ptr(words[14]), (words[12],), np.int64), False)
    return _ptr(0)


@cfunc(_SIGNATURE)
def sparse_transpose_handler(frame):  # pragma: no cover - compiled
    words, execute = _frame(frame)
    if execute:
        _run_sparse(carray(_ptr(words[9]), (words[7],), np.int64),
                    carray(_ptr(words[14]), (words[12],), np.int64), True)
    return _ptr(0)


@cfunc(_SIGNATURE)
def dense_handler(frame):  # pragma: no cover - compiled
    words, execute = _frame(frame)
    if execute:
        _run_dense(carray(_ptr(words[9]), (words[7],), np.int64),
                   carray(_ptr(words[14]), (words[12],), np.int64), False)
    return _ptr(0)


@cfunc(_SIGNATURE)
def dense_transpose_handler(frame):  # pragma: no cover - compiled
    words, execute = _frame(frame)
    if execute:
        _run_dense(carray(_ptr(words[9]), (words[7],), np.int64),
                   carray(_ptr(words[14]), (words[12],), np.int64), True)
    return _ptr(0)


HANDLERS = {
    "brainx_event_sparse": sparse_handler,
    "brainx_event_sparse_t": sparse_transpose_handler,
    "brainx_event_dense": dense_handler,
    "brainx_event_dense_t": dense_transpose_handler,
}
