"""COBA (Vogels & Abbott 2005) in Brian2, as brainx.examples.coba parametrises it.

    python benchmarks/peers/brian2_coba.py SIZE DURATION_MS [numpy|cpp_standalone]
                                           [--precision 32|64]

Prints one JSON line: first_call_s (build, code generation, one run of the duration),
per_sim_s (a second run; for cpp_standalone the run time C++ reports), rates.

The neurons are integrated with ``method='euler'``, which costs what brainx's step costs:
a few multiply-adds per variable (brainx: ``V + factor * dV/dt`` with ``factor``
computed once, ``g * exp(-dt / tau)`` with the decay computed once). Brian2's
``exponential_euler`` would instead evaluate, per neuron and step,
``exp(-dt/taue)``, ``exp(-dt/taui)`` and ``exp(dt (-ge/taum - gi/taum - 1/taum))`` (the
last depends on the conductances, so it cannot be hoisted) and a division: three
``exp()`` that brainx does not compute, and the benchmark would mostly time them
(4000 neurons, cpp_standalone, 1 s, on a shared 2-core machine: 0.66-0.67 s per
simulated second with exponential_euler, 0.29-0.31 s with euler). Connectivity: 80
targets per presynaptic neuron, as brainx's ``FixedProb``, drawn by Brian2's generator.
Precision: ``--precision``, the one benchmarks/coba.py runs brainx at (Brian2's
``core.default_float_dtype``; float64 by default).
"""

from __future__ import annotations

import tempfile
import time

from _result import arguments, print_result


def main() -> None:
    size, duration, precision, target = arguments(target=True)
    import brian2 as b2
    import numpy as np

    b2.prefs.core.default_float_dtype = np.float64 if precision == 64 else np.float32

    b2.prefs.codegen.target = "numpy" if target == "numpy" else "auto"
    build_dir = tempfile.mkdtemp(prefix="brian2_coba_")
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    b2.defaultclock.dt = 0.1 * b2.ms
    n_exc = int(size * 0.8)
    eqs = """
    dv/dt = (-(v - El) + ge * (Ee - v) + gi * (Ei - v) + Ib) / taum : 1 (unless refractory)
    dge/dt = -ge / taue : 1
    dgi/dt = -gi / taui : 1
    """
    namespace = {"El": -60.0, "Ee": 0.0, "Ei": -80.0, "Ib": 20.0, "taum": 20 * b2.ms,
                 "taue": 5 * b2.ms, "taui": 10 * b2.ms}
    start = time.perf_counter()
    group = b2.NeuronGroup(size, eqs, threshold="v > -50", reset="v = -60",
                           refractory=5 * b2.ms, method="euler", namespace=namespace)
    group.v = "-60 + 5 * randn()"
    exc, inh = group[:n_exc], group[n_exc:]
    fan_out = 80
    ce = b2.Synapses(exc, group, on_pre="ge += 0.6")
    ce.connect(j="k for k in sample(N_post, size=fan_out)", namespace={"fan_out": fan_out})
    ci = b2.Synapses(inh, group, on_pre="gi += 6.7")
    ci.connect(j="k for k in sample(N_post, size=fan_out)", namespace={"fan_out": fan_out})
    monitor = b2.SpikeMonitor(group)
    if target == "cpp_standalone":
        b2.run(duration * b2.ms)
        b2.device.build(directory=build_dir, run=True, compile=True)
        first = time.perf_counter() - start
        run = b2.device._last_run_time
        per_sim = run / (duration / 1000.0)
    else:
        b2.run(duration * b2.ms)  # generates its code, then runs once
        first = time.perf_counter() - start
        before = monitor.count[:].copy()
        begin = time.perf_counter()
        b2.run(duration * b2.ms)
        per_sim = (time.perf_counter() - begin) / (duration / 1000.0)
    counts = monitor.count[:] - (0 if target == "cpp_standalone" else before)
    print_result(first, per_sim, counts, n_exc, duration)


if __name__ == "__main__":
    main()
