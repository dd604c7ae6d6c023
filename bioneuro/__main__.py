"""``python -m bioneuro``: the command-line interface."""

import sys

from bioneuro.cli import main

sys.exit(main())
