"""``python -m controlmap.cli``: the same as the ``controlmap`` console script."""

import sys

from .main import main

sys.exit(main())
