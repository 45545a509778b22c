"""``python -m brainx`` is the ``brainx`` command."""

import sys

from brainx.cli import main

sys.exit(main())
