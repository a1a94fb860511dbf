"""``python -m controlmap``: the same as the ``controlmap`` console script."""

import sys

from .cli.main import main

sys.exit(main())
