"""Keeping freed memory at the top of glibc's heap between steps.

A compiled step allocates its arrays (a few hundred KiB each for 10^4 - 10^5 neurons) and
frees the previous step's. glibc's ``free`` gives the top of the heap back to the system
as soon as more than ``M_TRIM_THRESHOLD`` is free there, and the next step's ``malloc``
takes it back: each step then faults in and zeroes fresh pages, which cost COBA at 64000
neurons 4 - 6 times its arithmetic and kept threads from helping (they wait for the
kernel). ``M_TOP_PAD`` makes glibc keep ``TOP_PAD`` bytes beyond what it needs, so the
pages stay mapped; the cost is at most that much resident memory.
"""

from __future__ import annotations

import ctypes
import os
import platform

TOP_PAD = 64 << 20
_M_TOP_PAD = -2  # <malloc.h>


def keep_heap() -> bool:
    """Ask glibc to keep ``TOP_PAD`` bytes of freed heap (``BRAINX_KEEP_HEAP=0``: leave
    malloc as it is); whether the setting was made."""
    if os.environ.get("BRAINX_KEEP_HEAP", "1") == "0" or platform.system() != "Linux" \
            or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc after all
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(_M_TOP_PAD, TOP_PAD) == 1
