"""Rate-based recurrent cells: ValinaRNNCell, GRUCell, MGUCell, LSTMCell, URLSTMCell.

Arguments follow brainstate 0.1 (``num_in``, ``num_out``, ``w_init``, ``b_init``,
``state_init``, ``activation``; brainstate spells the plain cell ``ValinaRNNCell``).
A cell keeps its hidden output in a ``HiddenState`` ``h`` (the LSTMs also a cell
state ``c``); its weights are :class:`brainx.nn.Linear` layers over the
concatenation ``[x, h]``. ``update(x)`` advances one step and returns the new ``h``;
inputs ``(num_in,)`` go with unbatched States, ``(batch, num_in)`` with States
made by ``init_state(batch)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import environ, functional, init
from brainx.backend import get_backend
from brainx.nn._layer import positive_int
from brainx.nn._linear import Linear
from brainx.nn._module import Dynamics
from brainx.state import HiddenState, ParamState

__all__ = ["RNNCell", "ValinaRNNCell", "GRUCell", "MGUCell", "LSTMCell", "URLSTMCell"]


def activation_function(activation: str | Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A function from ``brainx.functional`` by name, or the callable given."""
    if isinstance(activation, str):
        fn = getattr(functional, activation, None) if activation in functional.__all__ else None
        if fn is None:
            raise ValueError(f"activation {activation!r} is not a function of "
                             f"brainx.functional; choose e.g. 'tanh', 'relu', 'sigmoid', "
                             f"'gelu', or pass a callable")
        return fn
    if not callable(activation):
        raise TypeError(f"activation must be a name in brainx.functional or a callable, got "
                        f"{activation!r}")
    return activation


class RNNCell(Dynamics):
    """Base class of recurrent cells: a hidden state ``h`` of ``num_out`` units.

    Subclasses define their weights and ``update(x)``; the base creates and
    resets the hidden States named in ``_hidden`` from ``state_init``.

    Parameters
    ----------
    num_in, num_out : int
        Input and hidden sizes.
    state_init : initialiser, array or number
        The initial hidden values (default zeros).
    activation : str or callable
        A ``brainx.functional`` name or a function.
    """

    _hidden: tuple[str, ...] = ("h",)

    def __init__(self, num_in: int, num_out: int, state_init: Any = None,
                 activation: str | Callable[[Any], Any] = "tanh", name: str | None = None):
        num_out = positive_int("num_out", num_out)
        super().__init__(num_out, name=name)
        self.num_in, self.num_out = positive_int("num_in", num_in), num_out
        self.in_size, self.out_size = (self.num_in,), (self.num_out,)
        self._state_initializer = init.ZeroInit() if state_init is None else state_init
        self.activation = activation_function(activation)

    def _initial(self, batch_size: int | None) -> Any:
        value = init.param(self._state_initializer, (self.num_out,), batch_size,
                           allow_scalar=False)
        return bm.array(value, dtype=environ.dftype())

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        for key in self._hidden:
            setattr(self, key, HiddenState(self._initial(batch_size), name=key))

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        shape = self.state_shape(batch_size) if batch_size is not None else (self.num_out,)
        for key in self._hidden:
            state = getattr(self, key, None)
            if state is None or tuple(state.value.shape) != shape:
                self.init_state(batch_size)
                return
        for key in self._hidden:
            getattr(self, key).value = self._initial(batch_size)

    def _with_hidden(self, x: Any) -> tuple[Any, Any]:
        """``x`` as an array and the current ``h``, checking that their shapes fit."""
        x = bm.asarray(x)
        h = self.h.value
        if x.ndim == 0 or x.shape[-1] != self.num_in or tuple(x.shape[:-1]) != \
                tuple(h.shape[:-1]):
            raise ValueError(f"{type(self).__name__} expects inputs of shape "
                             f"{tuple(h.shape[:-1]) + (self.num_in,)} for its hidden state of "
                             f"shape {tuple(h.shape)}, got {tuple(x.shape)}; call "
                             f"init_state(batch_size) for batched inputs")
        return x.astype(h.dtype), h


class ValinaRNNCell(RNNCell):
    r"""The plain (Elman) recurrent cell, :math:`h_t = \phi(W [x_t, h_{t-1}] + b)`.

    brainstate's spelling of "vanilla" is kept. ``W`` is a :class:`Linear` of
    ``num_in + num_out`` inputs.

    Parameters
    ----------
    num_in, num_out : int
        Input and hidden sizes.
    state_init, w_init, b_init : initialiser, array or number
        Initial hidden state (zeros), weight (Xavier normal) and bias (zeros).
    activation : str or callable
        :math:`\phi` (default ``'relu'``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     cell = brainx.nn.ValinaRNNCell(3, 4)
    ...     cell(brainx.math.ones(3)).shape
    (4,)
    """

    def __init__(self, num_in: int, num_out: int, state_init: Any = None, w_init: Any = None,
                 b_init: Any = None, activation: str | Callable[[Any], Any] = "relu",
                 name: str | None = None):
        super().__init__(num_in, num_out, state_init, activation, name)
        self.W = Linear(self.num_in + self.num_out, self.num_out,
                        w_init=init.XavierNormal() if w_init is None else w_init,
                        b_init=init.ZeroInit() if b_init is None else b_init)
        self.init_state()

    def update(self, x: Any) -> Any:
        x, h = self._with_hidden(x)
        self.h.value = self.activation(self.W(bm.concatenate([x, h], axis=-1))).astype(h.dtype)
        return self.h.value


class _GatedUnit(RNNCell):
    """Cells of the GRU family: gates from ``[x, h]``, a candidate
    ``phi(W_h [x, reset * h] + b_h)`` and ``h' = (1 - gate) * h + gate * candidate``.

    ``_gate`` names the gate layer and its width (in units of ``num_out``);
    ``_gates([x, h])`` returns ``(reset, gate)``.
    """

    _gate: tuple[str, int] = ("Wrz", 2)

    def __init__(self, num_in: int, num_out: int, w_init: Any = None, b_init: Any = None,
                 state_init: Any = None, activation: str | Callable[[Any], Any] = "tanh",
                 name: str | None = None):
        super().__init__(num_in, num_out, state_init, activation, name)
        w_init = init.Orthogonal() if w_init is None else w_init
        b_init = init.ZeroInit() if b_init is None else b_init
        n = self.num_in + self.num_out
        layer, width = self._gate
        setattr(self, layer, Linear(n, width * self.num_out, w_init=w_init, b_init=b_init))
        self.Wh = Linear(n, self.num_out, w_init=w_init, b_init=b_init)
        self.init_state()

    def _gates(self, xh: Any) -> tuple[Any, Any]:
        raise NotImplementedError

    def update(self, x: Any) -> Any:
        x, h = self._with_hidden(x)
        reset, gate = self._gates(bm.concatenate([x, h], axis=-1))
        candidate = self.activation(self.Wh(bm.concatenate([x, reset * h], axis=-1)))
        self.h.value = ((1 - gate) * h + gate * candidate).astype(h.dtype)
        return self.h.value


class _LongShortTerm(RNNCell):
    """Cells of the LSTM family: ``W [x, h]`` split into four, the last the output gate
    ``o``; ``_cell(c, a, b, d)`` gives the new cell from the other three and
    ``h' = sigmoid(o) * phi(c')``."""

    _hidden = ("c", "h")

    def _cell(self, c: Any, a: Any, b: Any, d: Any) -> Any:
        raise NotImplementedError

    def update(self, x: Any) -> Any:
        x, h = self._with_hidden(x)
        a, b, d, o = bm.split(self.W(bm.concatenate([x, h], axis=-1)), 4, axis=-1)
        c = self._cell(self.c.value, a, b, d)
        h = functional.sigmoid(o) * self.activation(c)
        self.c.value, self.h.value = c.astype(self.c.value.dtype), h.astype(self.h.value.dtype)
        return self.h.value


class GRUCell(_GatedUnit):
    r"""Gated recurrent unit (Cho et al. 2014).

    .. math::

        r, z = \sigma(W_{rz} [x, h] + b_{rz}), \quad
        \tilde h = \phi(W_h [x, r \odot h] + b_h), \quad
        h' = (1 - z) \odot h + z \odot \tilde h

    Parameters
    ----------
    num_in, num_out : int
        Input and hidden sizes.
    w_init, b_init, state_init : initialiser, array or number
        Weights (orthogonal), biases (zeros) and the initial hidden state (zeros).
    activation : str or callable
        :math:`\phi` (default ``'tanh'``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     cell = brainx.nn.GRUCell(3, 4)
    ...     cell.init_state(batch_size=2)
    ...     cell(brainx.math.ones((2, 3))).shape
    (2, 4)
    """

    _gate = ("Wrz", 2)

    def _gates(self, xh: Any) -> tuple[Any, Any]:
        r, z = bm.split(functional.sigmoid(self.Wrz(xh)), 2, axis=-1)
        return r, z


class MGUCell(_GatedUnit):
    r"""Minimal gated unit (Zhou et al. 2016): one forget gate instead of GRU's two.

    .. math::

        f = \sigma(W_f [x, h] + b_f), \quad
        \tilde h = \phi(W_h [x, f \odot h] + b_h), \quad
        h' = (1 - f) \odot h + f \odot \tilde h

    Parameters
    ----------
    num_in, num_out : int
        Input and hidden sizes.
    w_init, b_init, state_init : initialiser, array or number
        Weights (orthogonal), biases (zeros) and the initial hidden state (zeros).
    activation : str or callable
        :math:`\phi` (default ``'tanh'``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     cell = brainx.nn.MGUCell(2, 5)
    ...     sorted(k[0] for k in cell.states(brainx.ParamState))
    ['Wf', 'Wh']
    """

    _gate = ("Wf", 1)

    def _gates(self, xh: Any) -> tuple[Any, Any]:
        f = functional.sigmoid(self.Wf(xh))
        return f, f


class LSTMCell(_LongShortTerm):
    r"""Long short-term memory (Hochreiter & Schmidhuber 1997), brainstate's layout.

    .. math::

        i, g, f, o = W [x, h] + b, \quad
        c' = \sigma(f + 1) \odot c + \sigma(i) \odot \phi(g), \quad
        h' = \sigma(o) \odot \phi(c')

    The ``+ 1`` on the forget gate follows Jozefowicz et al. (2015). The hidden
    output ``h`` and the cell ``c`` are both ``HiddenState``s.

    Parameters
    ----------
    num_in, num_out : int
        Input and hidden sizes.
    w_init, b_init, state_init : initialiser, array or number
        Weight (Xavier normal), bias (zeros) and the initial ``h`` and ``c`` (zeros).
    activation : str or callable
        :math:`\phi` (default ``'tanh'``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     cell = brainx.nn.LSTMCell(3, 4)
    ...     cell(brainx.math.ones(3)).shape, cell.c.value.shape
    ((4,), (4,))
    """

    def __init__(self, num_in: int, num_out: int, w_init: Any = None, b_init: Any = None,
                 state_init: Any = None, activation: str | Callable[[Any], Any] = "tanh",
                 name: str | None = None):
        super().__init__(num_in, num_out, state_init, activation, name)
        self.W = Linear(self.num_in + self.num_out, 4 * self.num_out,
                        w_init=init.XavierNormal() if w_init is None else w_init,
                        b_init=init.ZeroInit() if b_init is None else b_init)
        self.init_state()

    def _cell(self, c: Any, i: Any, g: Any, f: Any) -> Any:
        sigmoid = functional.sigmoid
        return sigmoid(f + 1.0) * c + sigmoid(i) * self.activation(g)


class URLSTMCell(_LongShortTerm):
    r"""LSTM with uniform gate initialisation and a refine gate (Gu et al. 2020).

    .. math::

        f, r, u, o = W [x, h], \quad
        \bar f = \sigma(f + b), \quad \bar r = \sigma(r - b), \quad
        g = 2 \bar r \bar f + (1 - 2 \bar r) \bar f^2,

        c' = g \odot c + (1 - g) \odot \phi(u), \quad h' = \sigma(o) \odot \phi(c')

    The forget bias :math:`b = -\log(1/u - 1)`, :math:`u \sim U(1/n, 1 - 1/n)`, is
    drawn from ``brainx.random`` (computed on the host, so it is the same on every
    backend) and kept in the ParamState ``bias``; ``W`` has no bias of its own.

    Parameters
    ----------
    num_in, num_out : int
        Input and hidden sizes.
    w_init, state_init : initialiser, array or number
        Weight (Xavier normal) and the initial ``h`` and ``c`` (zeros).
    activation : str or callable
        :math:`\phi` (default ``'tanh'``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     cell = brainx.nn.URLSTMCell(3, 4)
    ...     cell(brainx.math.ones(3)).shape, cell.bias.value.shape
    ((4,), (4,))
    """

    def __init__(self, num_in: int, num_out: int, w_init: Any = None, state_init: Any = None,
                 activation: str | Callable[[Any], Any] = "tanh", name: str | None = None):
        super().__init__(num_in, num_out, state_init, activation, name)
        self.W = Linear(self.num_in + self.num_out, 4 * self.num_out,
                        w_init=init.XavierNormal() if w_init is None else w_init, b_init=None)
        self.bias = ParamState(self._forget_bias(), name="bias")
        self.init_state()

    def _forget_bias(self) -> Any:
        from brainx import random

        n = self.num_out
        if n == 1:       # U(1, 0) is empty: the gate starts at one half
            u = np.full(1, 0.5)
        else:
            draw = random.uniform(1.0 / n, 1.0 - 1.0 / n, (n,))
            u = np.asarray(get_backend().to_numpy(draw), dtype=np.float64)
        return bm.asarray(-np.log(1.0 / u - 1.0), dtype=environ.dftype())

    def _cell(self, c: Any, f: Any, r: Any, u: Any) -> Any:
        bias = self.bias.value
        f_gate, r_gate = functional.sigmoid(f + bias), functional.sigmoid(r - bias)
        g = 2 * r_gate * f_gate + (1 - 2 * r_gate) * f_gate ** 2
        return g * c + (1 - g) * self.activation(u)
