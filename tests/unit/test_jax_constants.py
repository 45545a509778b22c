"""The jax backend passes connectivity to compiled code as arguments, not as literals.

P11 measured jax warning "A large amount of constants were captured during lowering
(2.58GB total)" at 4 x 10^6 neurons: the synapse arrays were written into the program,
so compile time and memory grew with the synapse count. The lowered program of an event
layer must not grow with the number of synapses. jax reads the option that changes this
when it is imported, so each check runs in a new interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("jax")

_SIZES = """
import json, sys
import numpy as np
import brainx
if sys.argv[1] == "jax-first":
    import jax  # imported by the user before brainx's backend: the program keeps literals
with brainx.use_backend("jax"):
    import jax
    sizes = []
    for n_pre in (1000, 20000):  # 80 000 and 1.6 million synapses onto 1000 neurons
        layer = brainx.event.FixedProb(n_pre, 1000, 0.08, 0.5, seed=0)
        lowered = jax.jit(lambda s: layer(s)).lower(np.zeros(n_pre, bool))
        sizes.append(len(lowered.as_text()))
print(json.dumps(sizes))
"""


def _lowered_sizes(order: str, **env: str) -> list[int]:
    environ = {k: v for k, v in os.environ.items() if k != "JAX_USE_SIMPLIFIED_JAXPR_CONSTANTS"}
    done = subprocess.run([sys.executable, "-c", _SIZES, order], capture_output=True,
                          text=True, timeout=300, env={**environ, **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_program_of_an_event_layer_does_not_grow_with_its_synapses():
    small, large = _lowered_sizes("brainx-first")
    assert large <= 1.2 * small and small < 100_000, (small, large)


def test_a_choice_made_in_the_environment_is_kept():
    # with the option off, the 80 000 and 1.6 million post indices are in the program text
    small, large = _lowered_sizes("brainx-first", JAX_USE_SIMPLIFIED_JAXPR_CONSTANTS="0")
    assert small > 500_000 and large > 10 * small, (small, large)


def test_jax_imported_before_the_backend_keeps_its_literals():
    small, large = _lowered_sizes("jax-first")  # what the docs tell such users to change
    assert large > 10 * small, (small, large)
