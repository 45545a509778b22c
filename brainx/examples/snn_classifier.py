"""A recurrent spiking network trained with surrogate gradients (jax backend).

The task: Poisson spike trains whose rates encode one of several classes. Each
class switches on its own random subset of the input neurons at a high rate
(the others fire at a low rate); the network sees ``steps`` milliseconds of
spikes and must name the class. The model is a layer of recurrently connected
LIF neurons whose spikes use the arctan surrogate gradient, read out by leaky
integrators; the loss is the cross-entropy of the time-averaged readout.
Training uses ``brainx.augment.grad`` and ``brainx.optim.Adam`` inside
``brainx.compile.jit`` (gradients by backpropagation through time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

import brainx
import brainx.functional as F
import brainx.math as bm

__all__ = ["RecurrentSNN", "rate_coded_patterns", "cross_entropy", "accuracy", "Trainer"]


def rate_coded_patterns(n_samples: int, n_classes: int = 4, n_in: int = 40, steps: int = 100,
                        dt: float = 1.0, high: float = 80.0, low: float = 10.0,
                        active: float = 0.25, seed: int = 0,
                        prototype_seed: int = 1234) -> tuple[np.ndarray, np.ndarray]:
    """Poisson spike trains of ``n_classes`` rate patterns, drawn on the host with NumPy.

    Returns ``(spikes, labels)``: float32 spikes of shape ``(steps, n_samples, n_in)`` (time
    first, as ``compile.for_loop`` takes them) and int labels of shape ``(n_samples,)``.
    Every call with the same ``prototype_seed`` uses the same class patterns, so a
    training set and a held-out set come from two ``seed`` values.

    Examples
    --------
    >>> x, y = rate_coded_patterns(8, steps=50)
    >>> x.shape, y.shape, x.dtype.name
    ((50, 8, 40), (8,), 'float32')
    """
    for name, value in (("n_samples", n_samples), ("n_classes", n_classes), ("n_in", n_in),
                        ("steps", steps)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if not 0.0 < active < 1.0:
        raise ValueError(f"active must be a fraction in (0, 1), got {active!r}")
    prototypes = np.random.default_rng(prototype_seed).uniform(size=(n_classes, n_in)) < active
    rates = np.where(prototypes, high, low)  # Hz
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, n_classes, size=n_samples)
    p = rates[labels] * dt * 1e-3
    spikes = rng.uniform(size=(steps, n_samples, n_in)) < p[None]
    return spikes.astype(np.float32), labels


class RecurrentSNN(brainx.nn.Module):
    """Input -> recurrent LIF layer (surrogate spikes) -> leaky readout.

    Parameters
    ----------
    n_in, n_rec, n_out : int
        Input channels, recurrent LIF neurons, classes.
    tau, tau_out : float
        Membrane time constant of the LIF neurons and of the readout (ms).
    seed : int
        Seed of the weight initialisers.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     net = RecurrentSNN(40, 16, 4)
    ...     _ = brainx.nn.init_all_states(net, batch_size=2)
    ...     net.predict(brainx.math.zeros((10, 2, 40))).shape
    (2, 4)
    """

    def __init__(self, n_in: int, n_rec: int, n_out: int, tau: float = 10.0,
                 tau_out: float = 10.0, seed: int = 0):
        super().__init__()
        # input spikes are sparse (~1 per step over all channels): weights of std ~ 1.6
        # bring the membranes to threshold
        self.i2r = brainx.nn.Linear(n_in, n_rec, w_init=brainx.init.KaimingNormal(
            scale=100.0, seed=seed))
        self.r2r = brainx.nn.Linear(n_rec, n_rec, b_init=None,
                                    w_init=brainx.init.KaimingNormal(scale=0.5, seed=seed + 1))
        self.lif = brainx.nn.LIF(n_rec, tau=tau, V_rest=0.0, V_reset=0.0, V_th=1.0,
                                 spk_fun=brainx.surrogate.Arctan())
        self.out = brainx.nn.LeakyRateReadout(n_rec, n_out, tau=tau_out,
                                              w_init=brainx.init.KaimingNormal(seed=seed + 2))

    def update(self, x: Any) -> Any:
        """One time step: input spikes ``x`` -> readout values."""
        spikes = self.lif(self.i2r(x) + self.r2r(self.lif.spike.value))
        return self.out(spikes)

    def predict(self, xs: Any) -> Any:
        """Logits: the readout averaged over the time steps of ``xs`` ``(steps, batch, n_in)``."""
        return bm.mean(brainx.compile.for_loop(self.update, xs), axis=0)


def cross_entropy(logits: Any, labels: Any) -> Any:
    """Mean softmax cross-entropy of integer ``labels``."""
    onehot = F.one_hot(labels, logits.shape[-1], dtype=logits.dtype)
    return -bm.mean(bm.sum(onehot * F.log_softmax(logits), axis=-1))


def accuracy(logits: Any, labels: Any) -> float:
    """Fraction of samples whose largest logit is their label."""
    return float(np.mean(np.argmax(np.asarray(logits), axis=-1) == np.asarray(labels)))


@dataclass
class Trainer:
    """Trains a :class:`RecurrentSNN` with Adam on mini-batches (jax backend).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     trainer = Trainer(RecurrentSNN(40, 16, 4), lr=1e-2)
    ...     x, y = rate_coded_patterns(64, steps=20)
    ...     loss = trainer.step(x, y)
    >>> loss > 0
    True
    """

    model: RecurrentSNN
    lr: float = 1e-2

    def __post_init__(self) -> None:
        self.weights = self.model.states(brainx.ParamState)
        self.optimizer = brainx.optim.Adam(lr=self.lr)
        self.optimizer.register_trainable_weights(self.weights)
        self._step = brainx.compile.jit(self._train_step)
        self._predict = brainx.compile.jit(self._logits)

    def _logits(self, xs: Any) -> Any:
        brainx.nn.init_all_states(self.model, batch_size=xs.shape[1])
        return self.model.predict(xs)

    def _train_step(self, xs: Any, labels: Any) -> Any:
        def loss_fn() -> Any:
            return cross_entropy(self._logits(xs), labels)

        grads, loss = brainx.augment.grad(loss_fn, self.weights, return_value=True)()
        self.optimizer.update(grads)
        return loss

    def step(self, xs: Any, labels: Any) -> float:
        """One optimisation step on a batch; returns the loss before the update."""
        return float(self._step(bm.asarray(xs), bm.asarray(labels)))

    def fit(self, xs: np.ndarray, labels: np.ndarray, epochs: int, batch_size: int = 64,
            seed: int = 0) -> list[float]:
        """Shuffled mini-batch epochs over ``(xs, labels)``; the loss of every step."""
        order_rng = np.random.default_rng(seed)
        n = xs.shape[1]
        losses = []
        for _ in range(epochs):
            order = order_rng.permutation(n)
            for start in range(0, n - batch_size + 1, batch_size):
                batch = order[start:start + batch_size]
                losses.append(self.step(xs[:, batch], labels[batch]))
        return losses

    def evaluate(self, xs: np.ndarray, labels: np.ndarray) -> float:
        """Accuracy on ``(xs, labels)``."""
        return accuracy(self._predict(bm.asarray(xs)), labels)
