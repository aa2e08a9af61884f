"""``python -m textclean``: the command line."""

import sys

from textclean.cli import main

sys.exit(main())
