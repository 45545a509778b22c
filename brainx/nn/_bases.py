"""The base classes of spiking neurons and synapses, as brainstate names them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brainx._units import is_quantity, to_canonical
from brainx.modes import Mode
from brainx.nn._module import Dynamics

__all__ = ["Neuron", "Synapse", "SPIKE_RESETS"]

#: the resets a neuron can be asked for (None: the model's own)
SPIKE_RESETS = ("soft", "hard")

_BRAINSTATE_DEFAULT: Any = object()


class Neuron(Dynamics):
    r"""Base class of spiking neurons: a population whose ``get_spike()`` gives its spikes.

    Parameters
    ----------
    in_size : int or tuple of int
        The population's shape (``size=`` is accepted as well).
    spk_fun : callable, optional
        Maps a scaled distance to threshold to the spike output; a surrogate spike
        function (``brainx.surrogate``) for training. Default:
        ``brainx.surrogate.InvSquareGrad()``, as in brainstate. ``None`` means boolean
        spikes.
    spk_reset : {'soft', 'hard'} or None
        The reset after a spike, for models that implement both: ``'soft'`` subtracts
        :math:`V_{th} - V_{reset}` times the spike, ``'hard'`` lands on
        :math:`V_{reset}` (the gradient does not flow through the reset).
        ``None`` leaves it to the model (brainx's neurons: reset to ``V_reset`` in the
        step the spike happens).
    detach_spk : bool
        Whether the spike used for the reset is held constant for differentiation.

    Notes
    -----
    Subclasses implement ``get_spike()`` and ``update()``.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> class Threshold(brainx.nn.Neuron):
    ...     def init_state(self, batch_size=None):
    ...         self.V = brainx.HiddenState(bm.zeros(self.varshape))
    ...     def get_spike(self, V=None):
    ...         V = self.V.value if V is None else V
    ...         return self.spk_fun(V - 1.0)
    ...     def update(self, x):
    ...         self.V.value = self.V.value + x
    ...         return self.get_spike()
    >>> with brainx.use_backend('numba'):
    ...     neuron = brainx.nn.init_all_states(Threshold(2))
    ...     [neuron(0.6).tolist() for _ in range(2)]
    [[0.0, 0.0], [1.0, 1.0]]
    """

    _init_sets = ("spk_fun", "spk_reset", "detach_spk")
    _init_marker = "detach_spk"

    def __init__(self, in_size: Any = None, spk_fun: Callable[[Any], Any] | None
                 = _BRAINSTATE_DEFAULT, spk_reset: str | None = "soft", detach_spk: bool = False,
                 name: str | None = None, mode: Mode | None = None, *, size: Any = None):
        super().__init__(in_size, name=name, mode=mode, size=size)
        if spk_reset is not None and spk_reset not in SPIKE_RESETS:
            raise ValueError(f"spk_reset must be 'soft', 'hard' or None, got {spk_reset!r}")
        if spk_fun is _BRAINSTATE_DEFAULT:
            from brainx import surrogate

            spk_fun = surrogate.InvSquareGrad()
        if spk_fun is not None and not callable(spk_fun):
            raise TypeError(f"spk_fun must be callable (e.g. a brainx.surrogate function), "
                            f"got {spk_fun!r}")
        self.spk_fun = spk_fun
        self.spk_reset = spk_reset
        self.detach_spk = bool(detach_spk)

    def get_spike(self, *args: Any, **kwargs: Any) -> Any:
        """The spike output (subclasses define it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define get_spike()")

    def input_current(self, x: Any, like: Any) -> Any:
        """The external input ``x`` of a step as a number of the unit system's current,
        checked to broadcast to the population's State ``like`` (so that a wrong shape is
        reported by name instead of as NumPy's or jax's broadcasting error).

        Examples
        --------
        >>> import numpy as np
        >>> import brainx
        >>> with brainx.use_backend('numba'):
        ...     neurons = brainx.nn.LIF(3)
        ...     neurons.input_current(np.ones(3), neurons.V.value).shape
        (3,)
        """
        if is_quantity(x):
            x = to_canonical(x, "current", "the input current")
        shape = getattr(x, "shape", None)
        if shape is None or shape == () or shape == like.shape:
            return x
        try:
            fits = np.broadcast_shapes(tuple(shape), like.shape) == like.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{type(self).__name__}: the input current x has shape "
                             f"{tuple(shape)}, which does not broadcast to the population's "
                             f"shape {like.shape}")
        return x


class Synapse(Dynamics):
    """Base class of synaptic dynamics (``Expon``, ``DualExpon``, ``Alpha``, ``AMPA``, ...).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     isinstance(brainx.nn.Expon(3), brainx.nn.Synapse)
    True
    """
