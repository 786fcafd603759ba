"""`python -m newsgraph.cli`, the same as the `newsgraph` command."""

import sys

from newsgraph.cli import main

sys.exit(main())
