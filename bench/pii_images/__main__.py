"""``python -m bench.pii_images``: PII-in-images recall (see ``bench/pii_images/run.py``)."""

import sys

from bench.pii_images.run import main

sys.exit(main())
