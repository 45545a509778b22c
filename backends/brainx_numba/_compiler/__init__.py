"""The numba backend's compiled path: a recorded step becomes one ``@numba.njit`` function.

See ``docs/numba_compilation.md``. :mod:`._trace` records NumPy calls on stand-in
values, :mod:`._emit` writes and compiles the source, :mod:`._stage` implements
``Backend.stage`` and native loops, :mod:`._kernels` calls the backend's kernels from
the generated code.
"""
