"""``python -m bench.filters``: per-stage filter cost (see ``bench/filters/run.py``)."""

import sys

from bench.filters.run import main

sys.exit(main())
