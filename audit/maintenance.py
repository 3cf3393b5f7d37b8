"""Lifting the ledger's append-only guard, for the table owner only.

On PostgreSQL the guard triggers let an UPDATE, DELETE or TRUNCATE through only when the
transaction has set ``clipguard.ledger_maintenance = 'on'`` *and* the current role owns
the table (or is a superuser). Anyone may set the flag; the application's role does not
own the tables, so for it the flag changes nothing.

SQLite has no roles: there the flag is a one-row table (``audit_ledger_maintenance``)
that only :func:`ledger_maintenance` writes, and anyone who can write the file can lift
the guard. The embedded SQLite database is for laptops and demos, not for evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

MAINTENANCE_SETTING = "clipguard.ledger_maintenance"
SQLITE_FLAG_TABLE = "audit_ledger_maintenance"


@contextmanager
def ledger_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction in which the owner may change or remove ledger rows.

    For retention pruning behind a checkpoint (audited by the caller) and for tests.
    The flag is local to the transaction and is gone when it commits or rolls back.
    """
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [MAINTENANCE_SETTING])
            yield
            cursor.execute("SELECT set_config(%s, 'off', true)", [MAINTENANCE_SETTING])
        elif connection.vendor == "sqlite":
            cursor.execute(f"UPDATE {SQLITE_FLAG_TABLE} SET enabled = 1 WHERE id = 1")  # noqa: S608
            yield
            cursor.execute(f"UPDATE {SQLITE_FLAG_TABLE} SET enabled = 0 WHERE id = 1")  # noqa: S608
        else:
            yield
