"""``python -m schemaprobe``: the same command as the ``schemaprobe`` console script."""

import sys

from schemaprobe.cli import main

sys.exit(main())
