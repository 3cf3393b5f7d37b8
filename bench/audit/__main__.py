"""``python -m bench.audit``: ledger append throughput and audit cost (see ``run.py``)."""

import sys

from bench.audit.run import main

if __name__ == "__main__":  # writer processes are spawned and import this module again
    sys.exit(main())
