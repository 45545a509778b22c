"""Models shipped with brainx, runnable with ``brainx run NAME``.

Examples
--------
>>> import brainx.examples
>>> sorted(brainx.examples.EXAMPLES)
['lif']
"""

from brainx.examples import lif

#: name -> function(size, duration, seed, backend, progress_bar) returning a result with .summary()
EXAMPLES = {"lif": lif.simulate}

__all__ = ["EXAMPLES", "lif"]
