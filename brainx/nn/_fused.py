"""Whole-step operators of the built-in models, declared for backend kernels.

A model step written with ``brainx.math`` costs one eager array operation per
expression on the numba backend; these operators let a backend run a whole
update in one kernel. The references below are the definition (the jax backend
uses them as they are, and XLA fuses them); a kernel must compute the same
expressions in the same order.

Scalars arrive already converted to the dtype of ``V``, so that float32 models
compute in float32 on every backend.
"""

from __future__ import annotations

from typing import Any

from brainx.backend import Backend
from brainx.backend._kernels import declare

__all__ = ["input_current", "lif_step_reference", "lif_ref_step_reference",
           "expon_sparse_step_reference", "decay_add_reference"]


def input_current(V: Any, x: Any, gs: tuple, Es: tuple) -> Any:  # noqa: N803
    """``x + g_1 (E_1 - V) + g_2 (E_2 - V) + ...``, summed in that order."""
    current = x
    for g, E in zip(gs, Es, strict=True):  # noqa: N806
        current = current + g * (E - V)
    return current


@declare("nn.lif_step")
def lif_step_reference(b: Backend, V: Any, x: Any, gs: tuple, Es: tuple, delta: Any,  # noqa: N803
                       V_rest: Any, R: Any, tau: Any, factor: Any, V_th: Any,  # noqa: N803
                       V_reset: Any) -> tuple[Any, Any]:
    """One exponential-Euler step of the LIF membrane, then threshold and reset.

    The input current is ``x`` plus the conductances ``gs`` with reversal
    potentials ``Es`` (:func:`input_current`). ``factor`` is
    ``(exp(-dt/tau) - 1) / (-1/tau)``, so ``V + factor * dV/dt`` is the exact
    solution over the step for a constant input; ``delta`` is added after the
    integration (delta-synapse jumps). Returns ``(V, spike)``.
    """
    xp = b.numpy
    dV = (-(V - V_rest) + R * input_current(V, x, gs, Es)) / tau
    V_new = V + factor * dV + delta
    fired = V_new >= V_th
    return xp.where(fired, V_reset, V_new), fired


@declare("nn.lif_ref_step")
def lif_ref_step_reference(b: Backend, V: Any, t_last: Any, x: Any, gs: tuple, Es: tuple,  # noqa: N803
                           delta: Any, t: Any, V_rest: Any, R: Any, tau: Any, factor: Any,  # noqa: N803
                           V_th: Any, V_reset: Any, window: Any) -> tuple[Any, Any, Any]:  # noqa: N803
    """:func:`lif_step_reference` with an absolute refractory period.

    ``t`` is converted to the dtype of ``t_last``; a neuron whose last spike was
    at most ``window`` ms before ``t`` keeps its ``V`` and cannot fire. Returns
    ``(V, spike, t_last)``.
    """
    xp = b.numpy
    t = xp.asarray(t, dtype=t_last.dtype)
    refractory = (t - t_last) <= window
    dV = (-(V - V_rest) + R * input_current(V, x, gs, Es)) / tau
    V_new = xp.where(refractory, V, V + factor * dV + delta)
    fired = (V_new >= V_th) & ~refractory
    return xp.where(fired, V_reset, V_new), fired, xp.where(fired, t, t_last)


@declare("nn.expon_sparse_step")
def expon_sparse_step_reference(b: Backend, g: Any, decay: Any, events: Any, indptr: Any,
                                pre_ids: Any, post_ids: Any, weight: Any,
                                shape: tuple[int, int]) -> Any:
    """An exponential synapse fed by a sparse event layer: ``g * decay + events @ W``."""
    from brainx.backend._kernels import lookup

    received = lookup("event_sparse_matvec", b)(b, events, indptr, pre_ids, post_ids, weight,
                                                shape, False)
    return g * decay + received


@declare("nn.decay_add")
def decay_add_reference(b: Backend, g: Any, decay: Any, x: Any) -> Any:
    """``g * decay + x``: the exact step of ``dg/dt = -g / tau`` plus a jump ``x``."""
    return g * decay + x
