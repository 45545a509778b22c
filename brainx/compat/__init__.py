"""Compatibility layers: other frameworks' programs on brainx, with their imports changed.

- ``brainx.compat.brainpy``: BrainPy programs (``import brainx.compat.brainpy as bp``,
  ``import brainx.compat.brainpy.math as bm``). See docs/coming_from_brainpy.md.

Each layer maps the other framework's names onto brainx's own modules; it computes
nothing of its own.
"""
