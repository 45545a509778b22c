"""Models shipped with brainx, runnable with ``brainx run NAME`` and ``brainx verify NAME``.

Examples
--------
>>> import brainx.examples
>>> sorted(brainx.examples.EXAMPLES)
['coba', 'cobahh', 'cuba', 'lif']
>>> brainx.examples.MODELS['coba'].__name__
'COBANetwork'
"""

from brainx.examples import coba, cobahh, cuba, lif

#: name -> function(size, duration, seed, backend, progress_bar) returning a result with .summary()
EXAMPLES = {"lif": lif.simulate, "coba": coba.simulate, "cuba": cuba.simulate,
            "cobahh": cobahh.simulate}

#: name -> the model class behind ``EXAMPLES[name]``, built as ``MODELS[name](size, seed=seed)``
MODELS = {"lif": lif.LIFPopulation, "coba": coba.COBANetwork, "cuba": cuba.CUBANetwork,
          "cobahh": cobahh.COBAHHNetwork}

__all__ = ["EXAMPLES", "MODELS", "coba", "cobahh", "cuba", "lif"]
