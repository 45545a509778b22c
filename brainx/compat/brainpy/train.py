"""``bp.train.BPTT``: BrainPy 2's back-propagation-through-time trainer, on brainx.

A training step runs the model over the time axis of a batch (``bm.for_loop`` over
``step_run``: shared arguments, the model's call, ``clear_input``), computes
``loss_fun(outputs, targets)``, takes ``brainx.augment.grad`` of it with respect to the
trainable Variables and applies the optimiser; the step is compiled with
``brainx.compile.jit``. Gradients need the jax backend.

Inputs are ``(batch, time, ...)`` for a model in a batching mode (``data_first_axis='B'``,
BrainPy's default there) or ``(time, ...)``; the outputs given to ``loss_fun`` have the
same layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import brainx
import brainx.math as _bxm
from brainx import environ
from brainx.compat.brainpy import losses
from brainx.compat.brainpy import optim as _optim
from brainx.compat.brainpy._dynsys import clear_input
from brainx.compat.brainpy._share import share
from brainx.compat.brainpy.math import _unwrap, for_loop
from brainx.modes import Batching

__all__ = ["BPTT"]


class BPTT:
    """Train ``target`` by back-propagation through time (BrainPy's ``bp.train.BPTT``).

    Parameters
    ----------
    target
        The model; ``target(x)`` is called for each time step of the inputs.
    loss_fun : callable or str
        ``loss_fun(predicts, targets)``, or the name of a ``bp.losses`` function.
    optimizer
        A ``bp.optim`` optimiser; its Variables default to ``target.train_vars()``.
        Default: BrainPy's, ``Adam(lr=ExponentialDecay(0.025, 1, 0.99975))``.
    data_first_axis : {'B', 'T'}, optional
        Whether the inputs' first axis is the batch or the time (default: 'B' in a
        batching mode, else 'T').

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> import brainx.compat.brainpy as bp
    >>> import brainx.compat.brainpy.math as bm
    >>> with brainx.use_backend('jax'), bm.environment(mode=bm.TrainingMode(4)):
    ...     model = bp.dnn.Dense(2, 1)
    ...     trainer = bp.BPTT(model, 'mean_squared_error', bp.optim.Adam(lr=0.05))
    ...     xs, ys = np.ones((4, 5, 2), np.float32), np.full((4, 5, 1), 3.0, np.float32)
    ...     trainer.fit((xs, ys), num_epoch=60)
    ...     losses = trainer.train_losses
    >>> len(losses), bool(losses[-1] < 0.1 * losses[0])
    (60, True)
    """

    def __init__(self, target: Any, loss_fun: Callable[..., Any] | str, optimizer: Any = None,
                 loss_has_aux: bool = False, data_first_axis: str | None = None,
                 jit: bool = True, progress_bar: bool = False, **options: Any):
        unknown = sorted(k for k, v in options.items() if v is not None)
        if unknown:
            raise NotImplementedError(f"BPTT options {unknown} are not supported; brainx's "
                                      f"BPTT takes loss_fun, optimizer, data_first_axis, jit")
        if loss_has_aux:
            raise NotImplementedError("loss_has_aux=True is not supported: return the loss "
                                      "alone and compute other metrics after the step")
        if isinstance(loss_fun, str):
            if loss_fun not in losses.__all__:
                raise ValueError(f"loss_fun {loss_fun!r} is not one of bp.losses' "
                                 f"{losses.__all__}")
            loss_fun = getattr(losses, loss_fun)
        if not callable(loss_fun):
            raise TypeError(f"loss_fun must be a function or a bp.losses name, got {loss_fun!r}")
        if data_first_axis is None:
            data_first_axis = "B" if isinstance(target.mode, Batching) else "T"
        if data_first_axis not in ("B", "T"):
            raise ValueError(f"data_first_axis must be 'B' or 'T', got {data_first_axis!r}")
        if optimizer is None:
            optimizer = _optim.Adam(lr=_optim.ExponentialDecay(0.025, 1, 0.99975))
        self.target, self.loss_fun, self.optimizer = target, loss_fun, optimizer
        self.data_first_axis = data_first_axis
        self.train_vars = dict(target.train_vars())
        if optimizer.opt_state is None:
            optimizer.register_train_vars(self.train_vars)
        self._step = brainx.compile.jit(self._fit_step) if jit else self._fit_step
        self._losses: list[float] = []

    # ---- the computation ---------------------------------------------------------------

    def _time_first(self, x: Any) -> Any:
        x = _bxm.asarray(_unwrap(x))
        return _bxm.moveaxis(x, 0, 1) if self.data_first_axis == "B" else x

    def _outputs(self, xs: Any) -> Any:
        dt = environ.dt_value()
        steps = len(xs)

        def step(i: Any, x: Any) -> Any:
            share.save(i=i, t=i * dt, dt=dt)
            out = self.target(x)
            clear_input(self.target)
            return out

        outs = for_loop(step, (_bxm.arange(steps), xs))
        return _bxm.moveaxis(outs, 0, 1) if self.data_first_axis == "B" else outs

    def _fit_step(self, xs: Any, ys: Any) -> Any:
        grads, loss = brainx.augment.grad(lambda: self.loss_fun(self._outputs(xs), ys),
                                          self.train_vars, return_value=True)()
        self.optimizer.update(grads)
        return loss

    # ---- BrainPy's API -----------------------------------------------------------------

    def _batches(self, data: Callable | Iterable) -> Iterable:
        if callable(data):
            return data()
        if isinstance(data, (tuple, list)) and len(data) == 2:
            return [data]
        raise ValueError("train_data must be (X, Y) or a function returning (X, Y) batches")

    def fit(self, train_data: Callable | Iterable, test_data: Any = None,
            num_epoch: int = 100, num_report: int = -1, reset_state: bool = True,
            shared_args: dict | None = None, fun_after_report: Callable | None = None) -> None:
        """Train for ``num_epoch`` passes over ``train_data``: ``(X, Y)``, or a function
        giving an iterable of ``(X, Y)`` batches. The loss of every step is kept in
        :attr:`train_losses`; ``num_report > 0`` prints the mean loss every that many
        steps."""
        if test_data is not None or shared_args or fun_after_report is not None:
            raise NotImplementedError("test_data, shared_args and fun_after_report are not "
                                      "supported; call predict on test data after fit")
        done = 0
        for _ in range(num_epoch):
            for xs, ys in self._batches(train_data):
                xs = _bxm.asarray(_unwrap(xs))
                if reset_state:
                    self.target.reset(len(xs) if self.data_first_axis == "B" else None)
                self._losses.append(float(self._step(self._time_first(xs),
                                                     _bxm.asarray(_unwrap(ys)))))
                done += 1
                if num_report > 0 and done % num_report == 0:
                    print(f"Train {done} steps, loss {np.mean(self._losses[-num_report:]):.6f}")

    def predict(self, inputs: Any, reset_state: bool = True) -> Any:
        """The model's outputs over ``inputs``' time axis (in the inputs' layout)."""
        xs = _bxm.asarray(_unwrap(inputs))
        if reset_state:
            self.target.reset(len(xs) if self.data_first_axis == "B" else None)
        return self._outputs(self._time_first(xs))

    @property
    def train_losses(self) -> np.ndarray:
        """The loss of each training step so far."""
        return np.asarray(self._losses)

    def get_hist_metric(self, phase: str = "fit", metric: str = "loss",
                        which: str = "report") -> np.ndarray:
        """The losses of ``phase='fit'`` (BrainPy's accessor)."""
        if phase != "fit" or metric != "loss":
            raise ValueError(f"only the 'fit' losses are kept, got phase={phase!r}, "
                             f"metric={metric!r}")
        return self.train_losses
