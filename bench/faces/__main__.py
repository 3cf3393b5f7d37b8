"""``python -m bench.faces``: the face benchmark (see ``bench/faces/run.py``)."""

import sys

from bench.faces.run import main

sys.exit(main())
