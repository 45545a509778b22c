"""The limit: COBA (Vogels & Abbott 2005) hand-written, the whole time loop in one ``@njit``.

What a compiled numba path can at best reach for ``brainx.examples.coba.COBANetwork``.
It does exactly the arithmetic of that network on brainx's numba backend, so its spike
raster equals brainx's bit for bit (``tests/unit/test_benchmarks_limit.py``):

- connectivity and initial state: taken from a built ``COBANetwork(size, seed)`` (its
  event layers' CSR arrays ``_indptr``, ``_post_ids`` and homogeneous weights, the
  initial ``V`` and ``t_last_spike``), so both run the same network;
- precision: float64 by default (``precision=32`` computes in float32 throughout, as
  brainx does at that precision), every parameter cast once to that dtype;
- synapses (``Expon`` fed by ``FixedProb``, ``nn.expon_sparse_step``): the spikes of
  the previous step are scattered through the CSR rows in ascending presynaptic order
  as counts per target, then ``g = g * exp(-dt / tau) + count * w``;
- neurons (``LIFRef``, ``nn.lif_ref_step``): the current ``20 + g_E (0 - V) +
  g_I (-80 - V)`` summed in that order, the exact exponential step
  ``V + factor * (-(V - V_rest) + R I) / tau + 0`` with the precomputed
  ``factor = expm1(rate dt) / rate`` with ``rate = -1 / tau`` (in that order:
  ``expm1(-dt / tau)`` differs in the last bit), refractory while
  ``t - t_last <= tau_ref + dt / 2``, threshold ``V >= V_th`` then reset;
- time: ``t = i dt`` in float64 from the step index ``i``, as ``brainx.Runner``
  computes it (whatever the chunks), then cast to the dtype;
- it records the full boolean raster, as the Runner's spike monitor does.

No FMA contraction happens (Numba compiles without fast-math), so each operation rounds
as NumPy's and the kernels' do.

    python benchmarks/limit_coba.py [--sizes 4000 16000 64000] [--duration 1000]
                                    [--precision 64]
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import numba
import numpy as np

import brainx
from brainx.examples.coba import COBANetwork

__all__ = ["LimitCOBA", "run_limit"]

V_REST, V_TH, V_RESET, TAU, TAU_REF, R = -60.0, -50.0, -60.0, 20.0, 5.0, 1.0
TAU_E, TAU_I, E_E, E_I, BIAS = 5.0, 10.0, 0.0, -80.0, 20.0


@numba.njit(cache=True, nogil=True)
def _simulate(V, t_last, g_e, g_i, spike, count_e, count_i, indptr_e, post_e, indptr_i,  # noqa: N803
              post_i, ts, w_e, w_i, decay_e, decay_i, bias, rev_e, rev_i, V_rest, R, tau,  # noqa: N803
              factor, V_th, V_reset, window, zero, raster):  # noqa: N803  # pragma: no cover
    n, n_exc = V.size, indptr_e.size - 1
    for step in range(ts.size):
        t = ts[step]
        for i in range(n_exc):  # the previous step's spikes, ascending presynaptic order
            if spike[i]:
                for k in range(indptr_e[i], indptr_e[i + 1]):
                    count_e[post_e[k]] += 1
        for i in range(n - n_exc):
            if spike[n_exc + i]:
                for k in range(indptr_i[i], indptr_i[i + 1]):
                    count_i[post_i[k]] += 1
        for k in range(n):  # branch-free, so that LLVM vectorises it
            ge = g_e[k] * decay_e + count_e[k] * w_e
            gi = g_i[k] * decay_i + count_i[k] * w_i
            g_e[k], g_i[k] = ge, gi
            count_e[k] = zero
            count_i[k] = zero
            v, t_k = V[k], t_last[k]
            current = bias + ge * (rev_e - v)
            current = current + gi * (rev_i - v)
            refractory = (t - t_k) <= window
            dV = (-(v - V_rest) + R * current) / tau
            v_new = v if refractory else v + factor * dV + zero
            fired = (v_new >= V_th) & (not refractory)
            spike[k] = fired
            raster[step, k] = fired
            V[k] = V_reset if fired else v_new
            t_last[k] = t if fired else t_k

def _homogeneous(layer: Any) -> float:
    weight = np.asarray(layer.weight.value)
    if weight.ndim != 0:
        raise ValueError(f"the limit handles homogeneous weights only, got an array of shape "
                         f"{weight.shape}")
    return float(weight)


class LimitCOBA:
    """The hand-written network, in the state of ``COBANetwork(size, seed)`` when built.

    Parameters
    ----------
    size : int
        Number of neurons (80% excitatory, fan-out 80).
    seed : int
        The seed given to ``COBANetwork``: the same connectivity and initial ``V``.
    precision : {64, 32}
        Bits of the floats.
    chunk_steps : int
        Steps per call of the compiled loop; ``brainx.Runner``'s default, so the times
        ``t`` are the Runner's to the bit.

    Examples
    --------
    >>> limit = LimitCOBA(400, seed=0)
    >>> limit.run(10.0).shape          # 100 steps of 0.1 ms, 400 neurons
    (100, 400)
    """

    def __init__(self, size: int, seed: int = 0, precision: int = 64,
                 chunk_steps: int = 10000):
        if precision not in (32, 64):
            raise ValueError(f"precision must be 32 or 64, got {precision!r}")
        self.dtype = np.dtype(np.float64 if precision == 64 else np.float32)
        self.chunk_steps = chunk_steps
        with brainx.use_backend("numba"), brainx.environ.context(precision=precision):
            net = COBANetwork(size, seed=seed)
            self.dt = brainx.environ.dt_value()
        self.num_exc = net.num_exc
        self.indptr_e, self.post_e = net.E.comm._indptr, net.E.comm._post_ids
        self.indptr_i, self.post_i = net.I.comm._indptr, net.I.comm._post_ids
        self.V = np.array(net.N.V.value, dtype=self.dtype)
        self.t_last = np.array(net.N.t_last_spike.value, dtype=self.dtype)
        self.g_e = np.zeros(size, self.dtype)
        self.g_i = np.zeros(size, self.dtype)
        self.spike = np.zeros(size, np.bool_)
        self._counts = (np.zeros(size, self.dtype), np.zeros(size, self.dtype))
        cast = self.dtype.type
        dt = self.dt
        rate = -1.0 / TAU  # brainx.integrators.exponential_factor(rate, dt), to the bit
        factor = math.expm1(rate * dt) / rate
        self._weights = (cast(_homogeneous(net.E.comm)), cast(_homogeneous(net.I.comm)),
                         cast(math.exp(-dt / TAU_E)), cast(math.exp(-dt / TAU_I)))
        self._scalars = tuple(cast(v) for v in (BIAS, E_E, E_I, V_REST, R, TAU, factor, V_TH,
                                                V_RESET, TAU_REF + 0.5 * dt, 0.0))
        self.t, self.i = 0.0, 0

    def run(self, duration: float) -> np.ndarray:
        """Run ``duration`` ms from where the last run stopped; the ``(steps, size)`` raster."""
        total = int(round(duration / self.dt))
        raster = np.empty((total, self.V.size), np.bool_)
        done = 0
        while done < total:
            n = min(self.chunk_steps, total - done)
            ts = ((self.i + np.arange(n)) * self.dt).astype(self.dtype)
            _simulate(self.V, self.t_last, self.g_e, self.g_i, self.spike, *self._counts,
                      self.indptr_e, self.post_e, self.indptr_i, self.post_i, ts,
                      *self._weights, *self._scalars, raster[done:done + n])
            self.i += n
            self.t = self.i * self.dt
            done += n
        return raster


def run_limit(size: int, duration_ms: float, precision: int = 64,
              seed: int = 0) -> dict[str, Any]:
    """Time the limit as ``benchmarks/coba.py`` times brainx.

    ``first_call_s``: build the network, compile (or load from Numba's cache) and run
    ``duration_ms`` once; ``per_sim_s``: seconds per simulated second of a second run of
    the same length; the rates and ``spikes`` (the raster) are that second run's.

    Examples
    --------
    >>> result = run_limit(400, 20.0)
    >>> result["spikes"].shape, result["per_sim_s"] > 0
    ((200, 400), True)
    """
    start = time.perf_counter()
    limit = LimitCOBA(size, seed=seed, precision=precision)
    limit.run(duration_ms)
    first = time.perf_counter() - start
    start = time.perf_counter()
    spikes = limit.run(duration_ms)
    seconds = duration_ms / 1000.0
    per_sim = (time.perf_counter() - start) / seconds
    n_exc = limit.num_exc
    return {"first_call_s": first, "per_sim_s": per_sim,
            "rate_exc_hz": float(spikes[:, :n_exc].sum()) / n_exc / seconds,
            "rate_inh_hz": float(spikes[:, n_exc:].sum()) / (size - n_exc) / seconds,
            "spikes": spikes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000, 64000])
    parser.add_argument("--duration", type=float, default=1000.0, help="simulated ms per size")
    parser.add_argument("--precision", type=int, choices=(32, 64), default=64)
    args = parser.parse_args()
    print(f"{'neurons':>8s} {'first call s':>12s} {'s per sim s':>12s} {'E Hz':>7s} "
          f"{'I Hz':>7s}")
    for size in args.sizes:
        r = run_limit(size, args.duration, args.precision)
        print(f"{size:8d} {r['first_call_s']:12.2f} {r['per_sim_s']:12.3f} "
              f"{r['rate_exc_hz']:7.1f} {r['rate_inh_hz']:7.1f}")


if __name__ == "__main__":
    main()
