"""Regressions of P9's audit: a machine where Numba cannot write its cache, and precision
set in one thread leaking into another."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import numpy as np

import brainx
import brainx.math as bm

_PROGRAM = textwrap.dedent("""
    import numpy as np
    import brainx
    brainx.set_backend('jax')
    conn = brainx.conn.FixedProb(0.2, seed=3)(30, 40)
    print('pairs', int(conn.require('conn_mat').sum()))
    brainx.set_backend('numba')
    neurons = brainx.nn.LIF(8)
    out = brainx.Runner(neurons, monitors={'spike': 'spike'}).run(20.0, 30.0)
    print('spikes', int(np.asarray(out['spike']).sum()))
""")


def _run_program(extra_env):
    env = {**os.environ, **extra_env}
    return subprocess.run([sys.executable, "-c", _PROGRAM], env=env, capture_output=True,
                          text=True, timeout=600)


def test_numba_without_a_writable_cache_compiles_in_memory_with_one_warning():
    # Numba's locator list narrowed to the zip-file one finds no place to cache, exactly as
    # when neither the package folder nor the user's cache folder is writable
    uncached = _run_program({"NUMBA_CACHE_LOCATOR_CLASSES": "ZipCacheLocator"})
    assert uncached.returncode == 0, uncached.stderr[-3000:]
    assert uncached.stderr.count("NoCacheWarning") == 1, uncached.stderr[-3000:]
    assert "NUMBA_CACHE_DIR" in uncached.stderr
    cached = _run_program({})
    assert cached.returncode == 0, cached.stderr[-3000:]
    assert "NoCacheWarning" not in cached.stderr
    assert uncached.stdout == cached.stdout  # same connectivity, same spikes


def test_connectivity_on_jax_does_not_need_the_numba_backend(monkeypatch):
    from brainx.conn import _sampling

    with brainx.use_backend("jax"):
        expected = brainx.conn.FixedProb(0.3, seed=11)(50, 60).require("conn_mat")
        real_get_backend = _sampling.get_backend

        def numba_cannot_load(name=None):
            if name == "numba":
                raise RuntimeError("cannot cache function '_scatter_rows': no locator available")
            return real_get_backend(name)

        monkeypatch.setattr(_sampling, "get_backend", numba_cannot_load)
        got = brainx.conn.FixedProb(0.3, seed=11)(50, 60).require("conn_mat")
    np.testing.assert_array_equal(got, expected)  # the NumPy specification, bit for bit


def test_precision_context_in_one_thread_does_not_change_another(backend):
    wrong = {32: 0, 64: 0}
    both_inside = threading.Barrier(2)

    def compute(bits):
        with brainx.use_backend(backend), brainx.environ.context(precision=bits):
            both_inside.wait()
            want = np.float64 if bits == 64 else np.float32
            for _ in range(500):
                if np.asarray(bm.ones(3) * 0.5).dtype != want:
                    wrong[bits] += 1
                if brainx.environ.get_precision() != bits:
                    wrong[bits] += 1

    threads = [threading.Thread(target=compute, args=(bits,)) for bits in (32, 64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == {32: 0, 64: 0}
    assert np.asarray(bm.ones(2)).dtype == np.float32  # the global precision is untouched


def test_precision_context_applies_to_a_backend_loaded_inside_it(backend):
    with brainx.environ.context(precision=64):
        with brainx.use_backend(backend):
            assert np.asarray(bm.ones(2)).dtype == np.float64
    with brainx.use_backend(backend):
        assert np.asarray(bm.ones(2)).dtype == np.float32


def test_precision_set_globally_while_a_thread_is_inside_a_context(backend):
    seen = []
    inside, changed = threading.Event(), threading.Event()

    def worker():
        with brainx.use_backend(backend), brainx.environ.context(precision=32):
            inside.set()
            changed.wait(10)
            seen.append(np.asarray(bm.ones(2)).dtype)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(10)
    brainx.environ.set(precision=64)
    try:
        changed.set()
        thread.join()
        assert np.asarray(bm.ones(2)).dtype == np.float64  # this thread: the new global
    finally:
        brainx.environ.set(precision=32)
    assert seen == [np.float32]  # the other thread keeps its context's precision
