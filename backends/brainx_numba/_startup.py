"""Numba's first-dispatch set-up, without the 0.2 s import of ``scipy.linalg`` it does.

The first call of any ``@njit`` function, cached or not, initialises Numba's CPU target,
which imports ``numba.np.arraymath``. That module probes for BLAS with
``import scipy.linalg.cython_blas``, and Python runs ``scipy/linalg/__init__.py`` (about
0.2 s, most of a warm start's budget) to reach a submodule that loads in 10 ms on its own.
:func:`import_arraymath` loads just that submodule for the probe and then takes it out of
``sys.modules`` again, so a later ``import scipy.linalg.cython_blas`` (Numba compiling
``np.dot``, or the user) imports the package in the ordinary way and gets the same
extension module.
"""

from __future__ import annotations

import importlib.util
import os
import sys

_BLAS = "scipy.linalg.cython_blas"


def import_arraymath() -> None:
    """Import ``numba.np.arraymath`` with ``scipy.linalg.cython_blas`` loaded on its own."""
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules:
        return
    preloaded = _load_blas_alone()
    try:
        import numba.np.arraymath  # noqa: F401  (its BLAS probe finds the module loaded)
    finally:
        if preloaded:
            sys.modules.pop(_BLAS, None)


def _load_blas_alone() -> bool:
    try:
        import scipy
    except ImportError:
        return False
    folder = os.path.join(os.path.dirname(scipy.__file__), "linalg")
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(folder, "cython_blas" + suffix)
        if os.path.exists(path):
            break
    else:
        return False
    spec = importlib.util.spec_from_file_location(_BLAS, path)
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    sys.modules[_BLAS] = module
    try:
        spec.loader.exec_module(module)
    except Exception:  # an unusual SciPy build: let Numba import it its own way
        sys.modules.pop(_BLAS, None)
        return False
    return True
