"""Checking that a model gives the same State trajectories on every backend.

- :func:`compare_lockstep`: both backends step from identical States and are
  re-synchronised after every step, so one-step differences are measured
  without chaotic amplification;
- :func:`compare_free`: both run independently; first divergence per State,
  and whether spike rasters are identical;
- :func:`assert_backends_agree`: either, as an assertion for your own tests;
- :func:`fake_random`: replace the random distributions that use
  transcendental functions by exactly computed stand-ins, so stochastic models
  can be compared bit for bit;
- :func:`debug_step`: re-run one step on the numba backend, eagerly, under a
  debugger;
- :func:`ulp_distance`.

The ``brainx verify`` command runs these on a model file, and
``pytest_plugins = ["brainx.testing.pytest_plugin"]`` gives tests a fixture that
runs them once per installed backend.

Examples
--------
>>> import brainx
>>> from brainx.testing import compare_lockstep
>>> report = compare_lockstep(lambda: brainx.nn.LIF(4), steps=5, inputs=(30.0,))
>>> report.verdict()
'AGREE: all 2 States of jax and numba stay within the bound for 5 steps.'
"""

from brainx.testing._compare import (
    MODES,
    assert_backends_agree,
    compare_free,
    compare_lockstep,
)
from brainx.testing._debug import debug_step, fake_random
from brainx.testing._report import Report, StateDifference
from brainx.testing._ulp import ulp_distance

__all__ = ["compare_lockstep", "compare_free", "assert_backends_agree", "fake_random",
           "debug_step", "ulp_distance", "Report", "StateDifference", "MODES"]

for _name in __all__[:-1]:
    globals()[_name].__module__ = __name__
del _name
