"""Backend protocol, discovery and selection.

Examples
--------
>>> import brainx
>>> with brainx.use_backend('numba'):
...     brainx.get_backend().name
'numba'
"""

from brainx.backend._protocol import KNOWN_CAPABILITIES, Backend
from brainx.backend._registry import (
    available_backends,
    backends_with_capability,
    get_backend,
    loaded_backends,
    registered_backends,
    set_backend,
    use_backend,
)

__all__ = [
    "Backend",
    "KNOWN_CAPABILITIES",
    "available_backends",
    "backends_with_capability",
    "get_backend",
    "loaded_backends",
    "registered_backends",
    "set_backend",
    "use_backend",
]

for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj) and getattr(_obj, "__module__", "").startswith("brainx.backend."):
        _obj.__module__ = __name__
del _name, _obj
