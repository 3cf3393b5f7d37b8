"""Settings for the test suite: real PostgreSQL and Redis, isolated from everything else.

Each run gets its own database (pytest-django's ``test_`` prefix), Redis database number,
queue prefix and media folder, so leftovers of earlier runs never reach it.
"""

import os
import tempfile

os.environ.setdefault("CLIPGUARD_ENV", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clipguard")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("CLIPGUARD_QUEUE_PREFIX", f"cgtest{os.getpid()}.")
if "CLIPGUARD_VAR_DIR" not in os.environ:
    os.environ["CLIPGUARD_VAR_DIR"] = tempfile.mkdtemp(prefix="clipguard-test-")

from clipguard.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
