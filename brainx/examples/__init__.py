"""Models shipped with brainx, runnable with ``brainx run NAME``.

Examples
--------
>>> import brainx.examples
>>> sorted(brainx.examples.EXAMPLES)
['coba', 'cobahh', 'cuba', 'lif']
"""

from brainx.examples import coba, cobahh, cuba, lif

#: name -> function(size, duration, seed, backend, progress_bar) returning a result with .summary()
EXAMPLES = {"lif": lif.simulate, "coba": coba.simulate, "cuba": cuba.simulate,
            "cobahh": cobahh.simulate}

__all__ = ["EXAMPLES", "coba", "cobahh", "cuba", "lif"]
