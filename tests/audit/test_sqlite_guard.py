"""On the embedded SQLite file database the ledger refuses UPDATE and DELETE too.

Runs the real migrations on a SQLite file in a separate process (the suite's own
database is PostgreSQL) and reports what the database did as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

SCRIPT = """
import json, sqlite3
import django
django.setup()
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
call_command("migrate", "audit", verbosity=0)
from audit.maintenance import ledger_maintenance
from audit.models import EventType, LedgerRecord
from audit.sealer import seal_pending
from audit.services import ledger_append
from audit.verification import verify_ledger

ids = [ledger_append(event_type=EventType.INFERENCE, actor="worker").id for _ in range(3)]
result = {"sealed": seal_pending(), "verified": verify_ledger().ok}

def attempt(sql, params=()):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    return "allowed"

for table in ("audit_ledgerrecord", "audit_ledgerlink", "audit_ledgercheckpoint"):
    column = {"audit_ledgerrecord": "actor", "audit_ledgerlink": "record_sha256",
              "audit_ledgercheckpoint": "signature"}[table]
    result[table] = [attempt(f"UPDATE {table} SET {column} = 'x'"), attempt(f"DELETE FROM {table}")]

# A second, plain sqlite3 connection: the guard is in the file, not in the application.
raw = sqlite3.connect(connection.settings_dict["NAME"])
try:
    raw.execute("DELETE FROM audit_ledgerrecord")
    result["raw_delete"] = "allowed"
except sqlite3.DatabaseError as exc:
    result["raw_delete"] = str(exc)
raw.close()

with ledger_maintenance(), connection.cursor() as cursor:
    cursor.execute("UPDATE audit_ledgerrecord SET actor = 'mallory' WHERE id = %s", [ids[0]])
result["after_maintenance"] = attempt("DELETE FROM audit_ledgerrecord")
report = verify_ledger()
first = report.first_problem
result["tamper_found"] = [first.kind, first.record_id] if first else None
result["ids"] = ids
print(json.dumps(result))
"""


def test_sqlite_triggers_refuse_update_and_delete(tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "AUDIT_", "CLIPGUARD_VAR_DIR"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "clipguard.settings",
        "CLIPGUARD_ENV": "development",
        "CLIPGUARD_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
    }
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert (result["sealed"], result["verified"]) == (3, True)
    for table in ("audit_ledgerrecord", "audit_ledgerlink", "audit_ledgercheckpoint"):
        update, delete = result[table]
        assert f"append-only: UPDATE on {table}" in update
        assert f"append-only: DELETE on {table}" in delete
    assert "append-only" in result["raw_delete"]
    assert "append-only" in result["after_maintenance"]  # the flag was reset
    assert result["tamper_found"] == ["record_changed", result["ids"][0]]
