"""What a new process loads: subpackages on first use, numba's BLAS probe without scipy.linalg."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300)
    return done.stdout.strip()


def test_subpackages_load_on_first_use():
    out = run_python(
        "import sys, brainx\n"
        "print('brainx.optim' in sys.modules, 'optim' in dir(brainx))\n"
        "from brainx import optim\n"
        "print('brainx.optim' in sys.modules, brainx.augment.grad.__name__)\n"
        "try:\n"
        "    brainx.no_such_thing\n"
        "except AttributeError as err:\n"
        "    print(err)\n")
    assert out.splitlines() == ["False True", "True grad",
                                "module 'brainx' has no attribute 'no_such_thing'"]


def test_numba_backend_start_leaves_scipy_linalg_importable():
    pytest.importorskip("numba")
    pytest.importorskip("scipy")
    out = run_python(
        "import sys, numpy as np, numba, brainx\n"
        "brainx.get_backend('numba')\n"
        "print('scipy.linalg' in sys.modules, 'scipy.linalg.cython_blas' in sys.modules,"
        " sys.modules['numba.np.arraymath']._HAVE_BLAS)\n"
        "dot = numba.njit(lambda a, b: np.dot(a, b))\n"
        "print(dot(np.arange(3.), np.arange(3.)))\n"
        "import scipy.linalg.cython_blas as blas, scipy.linalg\n"
        "print(scipy.linalg.cython_blas is blas)\n")
    # the probe found BLAS without importing scipy.linalg; np.dot (BLAS) works afterwards
    assert out.splitlines() == ["False False True", "5.0", "True"]
