"""``python -m cxsim``: see :mod:`cxsim.cli`."""

import sys

from .cli import main

sys.exit(main())
