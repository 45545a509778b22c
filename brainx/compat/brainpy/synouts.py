"""``bp.synouts``: BrainPy 2.0-2.3's synaptic outputs, added to the postsynaptic ``input``.

Each wraps ``brainx.nn``'s output (``COBA``: ``g (E - V)``, ``CUBA``: ``g``,
``MgBlock``: the magnesium-blocked COBA current) and adds the current to the
postsynaptic population's ``input`` Variable (``target_var``), as BrainPy's old
synapses did.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     post = bp.neurons.LIF(2, V_initializer=bp.init.OneInit(-60.0))
...     out = bp.synouts.COBA(E=0.0)
...     out.register_master(post)
...     out.filter(brainx.math.asarray([0.5, 1.0]))
...     post.input.value.tolist()
[30.0, 60.0]
"""

from __future__ import annotations

from typing import Any

import brainx.math as _bxm
import brainx.nn as _nn
from brainx.compat.brainpy.math import _unwrap
from brainx.state import State

__all__ = ["CUBA", "COBA", "MgBlock"]


class CUBA:
    """The synaptic current of ``brainx.nn.CUBA``, added to the group's ``target_var``."""

    def __init__(self, target_var: str | State | None = "input", name: str | None = None,
                 membrane_var: str = "V"):
        self.target_var, self.name, self.membrane_var = target_var, name, membrane_var
        self.target: State | None = None
        self.out = self._output()

    def _output(self) -> Any:
        return _nn.CUBA(scale=1.0)

    def register_master(self, post: Any) -> None:
        """Bind to the postsynaptic population ``post``."""
        for what, name in (("membrane", self.membrane_var), ("input", self.target_var)):
            if isinstance(name, str) and not isinstance(getattr(post, name, None), State):
                raise ValueError(f"the postsynaptic group has no {what} Variable {name!r}")
        self.post = post
        self.target = getattr(post, self.target_var) if isinstance(self.target_var, str) \
            else self.target_var

    def filter(self, g: Any) -> Any:
        """The current of ``g``, added to the target Variable (returned without one)."""
        current = self.out(_unwrap(g), getattr(self.post, self.membrane_var).value)
        if self.target is None:
            return current
        self.target.value = self.target.value + _bxm.asarray(current,
                                                            dtype=self.target.value.dtype)
        return None


class COBA(CUBA):
    """``g (E - V)`` (``brainx.nn.COBA``), added to the group's ``target_var``."""

    def __init__(self, E: float = 0.0, target_var: str | State | None = "input",  # noqa: N803
                 membrane_var: str = "V", name: str | None = None):
        self.E = E
        super().__init__(target_var, name, membrane_var)

    def _output(self) -> Any:
        return _nn.COBA(E=self.E)


class MgBlock(COBA):
    """The NMDA current with magnesium block (``brainx.nn.MgBlock``)."""

    def __init__(self, E: float = 0.0, cc_Mg: float = 1.2, alpha: float = 0.062,  # noqa: N803
                 beta: float = 3.57, target_var: str | State | None = "input",
                 membrane_var: str = "V", name: str | None = None):
        self.cc_Mg, self.alpha, self.beta = cc_Mg, alpha, beta
        super().__init__(E, target_var, membrane_var, name)

    def _output(self) -> Any:
        return _nn.MgBlock(E=self.E, cc_Mg=self.cc_Mg, alpha=self.alpha, beta=self.beta)
