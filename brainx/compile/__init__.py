"""State-aware compilation: loops, branches and jit that carry States on every backend.

Examples
--------
>>> import brainx
>>> with brainx.use_backend('numba'):
...     b = brainx.State(0.)
...     def add(i):
...         c = brainx.State(0.)          # local to one step
...         def body(j):
...             c.value += 1.
...             return j + 1
...         brainx.compile.while_loop(lambda j: j <= i, body, 0.)
...         b.value += c.value
...     _ = brainx.compile.for_loop(add, brainx.math.arange(10))
>>> b.value
55.0
"""

from brainx.compile._checkpointed import checkpointed_for_loop, checkpointed_scan
from brainx.compile._conditions import cond, ifelse, switch
from brainx.compile._error_if import jit_error_if
from brainx.compile._jit import EagerFallbackWarning, JittedFunction, jit
from brainx.compile._loops import for_loop, scan, while_loop
from brainx.compile._make_jaxpr import make_jaxpr
from brainx.compile._progress import ProgressBar

__all__ = ["for_loop", "scan", "while_loop", "cond", "switch", "ifelse", "jit",
           "JittedFunction", "ProgressBar", "checkpointed_for_loop", "checkpointed_scan",
           "jit_error_if", "make_jaxpr", "EagerFallbackWarning"]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
