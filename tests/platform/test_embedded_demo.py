"""The README's first command on the embedded default: SQLite, a serverless broker and a
real worker process, end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_demo_runs_end_to_end_on_the_embedded_default(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLIPGUARD_", "CELERY_", "DATABASE_", "AUDIT_", "DJANGO_SETTINGS"))
    }
    env["CLIPGUARD_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "demo", "--timeout", "300"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    worker_log = tmp_path / "demo-worker.log"
    assert result.returncode == 0, output[-4000:] + (
        worker_log.read_text()[-3000:] if worker_log.exists() else ""
    )
    assert (tmp_path / "clipguard.sqlite3").is_file()
    assert (tmp_path / "broker.sqlite3").is_file()
    assert "HTTP 400" in output  # the broken file is refused clearly
    assert "decision deny" in output
    assert "decision allow" in output
    assert "completed" in output
    assert re.search(r"store-visit\.jpg\s+ready\s+faces obscured [1-9]", output), output
    assert "Demo complete." in output
    assert "Traceback" not in result.stdout
