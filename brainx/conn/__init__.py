"""Connectors: rules that build the synapses between two populations.

Every connector builds a sorted CSR matrix on the host, once, and derives the
structures models ask for with :meth:`Connector.require` (``'conn_mat'``,
``'pre_ids'``, ``'post_ids'``, ``'pre2post'``, ``'post2pre'``, ``'pre2syn'``,
``'post2syn'``, ``'pre_slice'``, ``'post_slice'``, ``'csr'``, ``'csc'``,
``'coo'``; see :data:`STRUCTURES`). Random connectors use brainx's
counter-based generator, so a seed gives the same synapses on every backend.

Examples
--------
>>> import brainx
>>> conn = brainx.conn.FixedProb(0.5, seed=0)(4, 6)
>>> pre2post = conn.require('pre2post')
>>> [len(targets) for targets in pre2post]
[3, 3, 3, 3]
"""

from brainx.conn._base import STRUCTURES, Connector, Ragged
from brainx.conn._connectors import (
    All2All,
    CSRConn,
    FixedPostNum,
    FixedPreNum,
    FixedProb,
    FixedTotalNum,
    GridFour,
    IJConn,
    MatConn,
    One2One,
)

__all__ = ["Connector", "Ragged", "STRUCTURES", "One2One", "All2All", "GridFour", "FixedProb",
           "FixedPreNum", "FixedPostNum", "FixedTotalNum", "MatConn", "IJConn", "CSRConn"]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
