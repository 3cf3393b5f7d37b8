"""Create or update the application's PostgreSQL role, without power over the ledger.

The role gets the ordinary rights on every table of the schema, but only SELECT and
INSERT on the ledger tables (records, links, checkpoints): no UPDATE, DELETE, TRUNCATE,
TRIGGER or REFERENCES. Run it as the owner of the tables (the role that runs
``migrate``), after every ``migrate``; it is idempotent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from audit.models import LedgerCheckpoint, LedgerLink, LedgerRecord

LEDGER_MODELS = (LedgerRecord, LedgerLink, LedgerCheckpoint)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def ledger_tables() -> list[str]:
    return [model._meta.db_table for model in LEDGER_MODELS]


class Command(BaseCommand):
    help = "Set up the application's database role: no UPDATE/DELETE/TRUNCATE on the ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the application's role name (lowercase)")
        parser.add_argument("--login", action="store_true", help="allow the role to log in")
        parser.add_argument(
            "--password-file", type=Path, help="set the role's password from this file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "roles exist on PostgreSQL only; SQLite has none (see docs/audit.md)"
            )
        role: str = options["role"]
        if not _ROLE_NAME.match(role):
            raise CommandError("role names are lowercase letters, digits and underscores")
        quoted = connection.ops.quote_name(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(f"CREATE ROLE {quoted} NOLOGIN")
                self.stdout.write(f"created role {role}")
            elif row[0]:
                raise CommandError(f"{role} is a superuser; the application role must not be")
            for table in ledger_tables():
                cursor.execute(
                    "SELECT pg_has_role(%s, relowner, 'MEMBER') FROM pg_class "
                    "WHERE oid = %s::regclass",
                    [role, table],
                )
                owner_row = cursor.fetchone()
                if owner_row is not None and owner_row[0]:
                    raise CommandError(
                        f"{role} owns {table} (or is a member of its owner); the ledger "
                        "tables must belong to another role"
                    )
            if options["login"]:
                cursor.execute(f"ALTER ROLE {quoted} LOGIN")
            if options["password_file"] is not None:
                password = options["password_file"].read_text(encoding="utf-8").strip()
                cursor.execute(f"ALTER ROLE {quoted} PASSWORD %s", [password])
            cursor.execute("SELECT current_database(), current_schema()")
            database, schema = cursor.fetchone()
            database_q = connection.ops.quote_name(database)
            schema_q = connection.ops.quote_name(schema)
            statements = [
                f"GRANT CONNECT ON DATABASE {database_q} TO {quoted}",
                f"GRANT USAGE ON SCHEMA {schema_q} TO {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} "
                f"TO {quoted}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {quoted}",
            ]
            for table in ledger_tables():
                table_q = connection.ops.quote_name(table)
                statements += [
                    f"REVOKE ALL ON {table_q} FROM {quoted}",
                    f"REVOKE ALL ON {table_q} FROM PUBLIC",
                    f"GRANT SELECT, INSERT ON {table_q} TO {quoted}",
                ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"role {role}: full rights on {schema}'s tables except "
            f"{', '.join(ledger_tables())} (SELECT and INSERT only)"
        )
