"""Models shipped with brainx, runnable with ``brainx run NAME`` and ``brainx verify NAME``.

Examples
--------
>>> import brainx.examples
>>> sorted(brainx.examples.EXAMPLES)
['coba', 'cobahh', 'cuba', 'lif']
>>> brainx.examples.MODELS['coba'].__name__
'COBANetwork'
>>> brainx.examples.VERIFY_BOUNDS['cobahh'].tolerance(64)
(2048, 4.547473508864641e-11)
"""

from dataclasses import dataclass

import numpy as np

from brainx.examples import coba, cobahh, cuba, lif

#: name -> function(size, duration, seed, backend, progress_bar) returning a result with .summary()
EXAMPLES = {"lif": lif.simulate, "coba": coba.simulate, "cuba": cuba.simulate,
            "cobahh": cobahh.simulate}

#: name -> the model class behind ``EXAMPLES[name]``, built as ``MODELS[name](size, seed=seed)``
MODELS = {"lif": lif.LIFPopulation, "coba": coba.COBANetwork, "cuba": cuba.CUBANetwork,
          "cobahh": cobahh.COBAHHNetwork}



@dataclass(frozen=True)
class VerifyBound:
    """The bound ``brainx verify NAME`` holds a built-in model to when no bound is given:
    ``ulps`` units in the last place, or that many ULP of ``scale`` (a typical magnitude
    of the States) near zero; ``reason`` says why the default 4 ULP is too tight.

    Examples
    --------
    >>> bound = VerifyBound(8, 10.0, "an example")
    >>> bound.tolerance(32)
    (8, 9.5367431640625e-06)
    """

    ulps: int
    scale: float
    reason: str

    def tolerance(self, precision: int) -> tuple[int, float]:
        """(ulps, atol) at ``precision`` bits."""
        eps = float(np.finfo(np.float32 if precision == 32 else np.float64).eps)
        return self.ulps, self.ulps * eps * self.scale


#: name -> the bound of ``brainx verify NAME`` where 4 ULP is too tight (the others use 4)
VERIFY_BOUNDS = {
    "cobahh": VerifyBound(
        2048, 100.0,
        "each step computes exp and expm1 on device, where XLA and libm differ by an ULP "
        "or two, and V's exponential-Euler step divides a sum of conductance x reversal "
        "potential terms by the total conductance, which turns them into up to 9e-12 mV at "
        "float64 and 0.014 mV at float32 in one step (measured over 1000 lockstep steps; "
        "the conformance case HH has the same bound)"),
}

__all__ = ["EXAMPLES", "MODELS", "VERIFY_BOUNDS", "VerifyBound", "coba", "cobahh", "cuba",
           "lif"]
