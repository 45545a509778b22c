"""BrainPy 1.x's loop-style COBA (shared/reference/002) on brainx's numba backend, against
a hand-written whole-loop ``@njit`` of the same network, in one run.

The program is the tutorial's, with its imports changed (``tests/unit/brainpy1/
coba_tutorial.py``): 4000 LIF neurons (3000 E, 1000 I) integrated by Euler's method,
four ``FixedProb(0.02)`` projections with exponential conductances, one synapse class
per way of walking the connectivity. brainx translates each class's loop-style
``update(self, _t, _dt)`` into Numba and runs the whole simulation in one native loop.

The limit (:func:`_simulate`) is that network written by hand as one ``@njit``
function over the steps, with the tutorial's arithmetic in its order (Euler's step
``V + dt * (0 + 1.0 * dV)``, the pre_slice scatter of ``SynVec5``, the nodes updated in
the order the Network lists them). It runs on the connectivity and initial state of a
network built the same way, so its raster equals brainx's bit for bit (checked here).
Times are of ``net.run`` alone, as BrainPy 1.x reported them; the tutorial's best,
``SynVec5``, ran 100 ms in 0.064 s on its machine. Target: brainx within 1.5x of the
limit.

    python benchmarks/legacy.py [--duration 100] [--synapses SynVec5 SynVec3 ...]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np

import brainx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "brainpy1"))
import coba_tutorial as tutorial  # noqa: E402

TARGET = 1.5


def build(synapse: str, seed: int = 0) -> tuple[Any, list]:
    """The tutorial's network (``run_net``'s construction), seeded; (network, nodes)."""
    import brainx.compat.brainpy as bp
    import brainx.compat.brainpy.math as bm

    brainx.random.seed(seed)
    model = getattr(tutorial, synapse)
    E = tutorial.LIF(tutorial.num_exc, monitors=["spike"])  # noqa: N806
    E.V[:] = bm.random.randn(tutorial.num_exc) * 5. + tutorial.Vr
    I = tutorial.LIF(tutorial.num_inh, monitors=["spike"])  # noqa: N806, E741
    I.V[:] = bm.random.randn(tutorial.num_inh) * 5. + tutorial.Vr
    projections = [
        model(pre=E, post=E, conn=bp.connect.FixedProb(0.02), tau=tutorial.tau_exc,
              weight=tutorial.delta_exc, E=tutorial.E_exc),
        model(pre=E, post=I, conn=bp.connect.FixedProb(0.02), tau=tutorial.tau_exc,
              weight=tutorial.delta_exc, E=tutorial.E_exc),
        model(pre=I, post=E, conn=bp.connect.FixedProb(0.02), tau=tutorial.tau_inh,
              weight=tutorial.delta_inh, E=tutorial.E_inh),
        model(pre=I, post=I, conn=bp.connect.FixedProb(0.02), tau=tutorial.tau_inh,
              weight=tutorial.delta_inh, E=tutorial.E_inh),
    ]
    return bm.jit(bp.Network(E, I, *projections)), [E, I, *projections]


@numba.njit(cache=True, nogil=True)
def _lif(V, t_last, current, spike, t, dt, El, tau, Vt, Vr, ref_time, I):  # noqa: N803, E741  # pragma: no cover
    for i in range(V.shape[0]):
        spike[i] = False
        if t - t_last[i] > ref_time:
            v = V[i] + dt * (0 + 1.0 * ((current[i] + El - V[i]) / tau))
            if v >= Vt:
                V[i] = Vr
                spike[i] = True
                t_last[i] = t
            else:
                V[i] = v
        current[i] = I


@numba.njit(cache=True, nogil=True)
def _synapse(g, pre_spike, pre_slice, post_ids, post_input, post_V, tau, weight, E, dt):  # noqa: N803  # pragma: no cover
    for j in range(g.shape[0]):
        g[j] = g[j] + dt * (0 + 1.0 * (-g[j] / tau))
    for pre_i in range(pre_spike.shape[0]):
        if pre_spike[pre_i]:
            for k in range(pre_slice[pre_i, 0], pre_slice[pre_i, 1]):
                g[post_ids[k]] += weight
    for j in range(g.shape[0]):
        post_input[j] += g[j] * (E - post_V[j])


@numba.njit(cache=True, nogil=True)
def _simulate(ts, dt, groups, synapses, raster_e, raster_i, El, tau, Vt, Vr, ref_time, I):  # noqa: N803, E741  # pragma: no cover
    for k in range(ts.shape[0]):
        t = ts[k]
        for V, t_last, current, spike in groups:  # noqa: N806
            _lif(V, t_last, current, spike, t, dt, El, tau, Vt, Vr, ref_time, I)
        for g, pre, pre_slice, post_ids, post, tau_s, weight, E in synapses:  # noqa: N806
            V, _, current, spike = groups[pre]  # noqa: N806
            post_V, _, post_input, _ = groups[post]  # noqa: N806
            _synapse(g, spike, pre_slice, post_ids, post_input, post_V, tau_s, weight, E, dt)
        raster_e[k] = groups[0][3]
        raster_i[k] = groups[1][3]


def run_limit(duration: float, seed: int = 0) -> tuple[float, np.ndarray, np.ndarray]:
    """Seconds of the hand-written loop over ``duration`` ms, and its E and I rasters."""
    _, nodes = build("SynVec5", seed)
    E, I = nodes[0], nodes[1]  # noqa: N806, E741
    groups = tuple((n.V.value, n.t_last_spike.value, n.input.value, n.spike.value)
                   for n in (E, I))
    synapses = tuple((p.g.value, 0 if p.pre is E else 1, np.ascontiguousarray(p.pre_slice),
                      np.ascontiguousarray(p.post_ids), 0 if p.post is E else 1,
                      float(p.tau), float(p.weight), float(p.E)) for p in nodes[2:])
    dt = brainx.environ.dt_value()
    steps = int(round(duration / dt))
    ts = np.arange(steps) * dt  # as run() computes them: step i at i * dt
    raster_e = np.empty((steps, E.num), np.bool_)
    raster_i = np.empty((steps, I.num), np.bool_)
    args = (tutorial.El, tutorial.tau, tutorial.Vt, tutorial.Vr, tutorial.ref_time,
            tutorial.I)
    start = time.perf_counter()
    _simulate(ts, dt, groups, synapses, raster_e, raster_i, *args)
    return time.perf_counter() - start, raster_e, raster_i


def run_brainx(synapse: str, duration: float, seed: int = 0
               ) -> tuple[float, np.ndarray, np.ndarray]:
    """Seconds of ``net.run(duration)`` and the rasters, as the tutorial runs it."""
    net, nodes = build(synapse, seed)
    with contextlib.redirect_stdout(io.StringIO()):
        seconds = net.run(duration, report=0.1)
    return seconds, nodes[0].mon.spike, nodes[1].mon.spike


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=100.0, help="simulated ms")
    parser.add_argument("--synapses", nargs="+", default=["SynVec5", "SynVec3", "SynVec1",
                                                          "SynVec2", "SynVec4"])
    args = parser.parse_args()
    brainx.set_backend("numba")
    brainx.environ.set(precision=64)
    run_limit(args.duration)  # compiles (or loads) the limit
    limit, raster_e, raster_i = run_limit(args.duration)
    print(f"BrainPy 1.x COBA, {tutorial.num} neurons, {args.duration:g} ms, float64, numba")
    print(f"  {'hand-written @njit limit':28s} {limit:8.3f} s")
    for synapse in args.synapses:
        first = time.perf_counter()
        run_brainx(synapse, args.duration)  # translates and compiles (or loads)
        first = time.perf_counter() - first
        seconds, spikes_e, spikes_i = run_brainx(synapse, args.duration)
        same = synapse != "SynVec5" or (np.array_equal(spikes_e, raster_e)
                                        and np.array_equal(spikes_i, raster_i))
        rate = spikes_e.sum() / spikes_e.shape[1] / (args.duration / 1000.0)
        print(f"  {'brainx ' + synapse:28s} {seconds:8.3f} s   first call {first:6.2f} s   "
              f"E {rate:5.1f} Hz   {seconds / limit:5.2f}x the limit"
              + ("" if synapse != "SynVec5" else f"   raster equal to the limit's: {same}"))
        if synapse == "SynVec5":
            verdict = "met" if seconds / limit <= TARGET else "MISSED"
            print(f"  target: SynVec5 within {TARGET}x of the limit: {verdict}")


if __name__ == "__main__":
    main()
