"""Make the ledger tables append-only in the database itself.

PostgreSQL: row-level triggers refuse UPDATE and DELETE and a statement-level trigger
refuses TRUNCATE on records, links and checkpoints, unless the transaction has set
``clipguard.ledger_maintenance = 'on'`` AND the current role is a member of the table's
owner role (superusers are). The application's role owns nothing here, so setting the
flag does nothing for it. Without the triggers' help it also lacks the privileges: see
``manage.py audit_setup_roles``.

SQLite: triggers refuse UPDATE and DELETE unless the one-row flag table says so. SQLite
has no roles and no TRUNCATE.
"""

from django.db import migrations

LEDGER_TABLES = ("audit_ledgerrecord", "audit_ledgerlink", "audit_ledgercheckpoint")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_ledger_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('clipguard.ledger_maintenance', true), '') = 'on'
       AND pg_has_role(
           current_user,
           (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
           'MEMBER'
       ) THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only the table owner may change ledger rows, inside ledger_maintenance().';
END
$$;
"""


def _pg_forward(cursor):
    cursor.execute(PG_FUNCTION)
    for table in LEDGER_TABLES:
        cursor.execute(
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_ledger_guard()"
        )
        cursor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_guard()"
        )


def _pg_backward(cursor):
    for table in LEDGER_TABLES:
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    cursor.execute("DROP FUNCTION IF EXISTS audit_ledger_guard()")


def _sqlite_forward(cursor):
    cursor.execute(
        "CREATE TABLE audit_ledger_maintenance ("
        "id INTEGER PRIMARY KEY CHECK (id = 1), enabled INTEGER NOT NULL DEFAULT 0)"
    )
    cursor.execute("INSERT INTO audit_ledger_maintenance (id, enabled) VALUES (1, 0)")
    for table in LEDGER_TABLES:
        for operation in ("UPDATE", "DELETE"):
            cursor.execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                "WHEN coalesce((SELECT enabled FROM audit_ledger_maintenance WHERE id = 1), 0) <> 1 "
                f"BEGIN SELECT RAISE(ABORT, 'audit ledger is append-only: {operation} on {table} "
                "refused'); END"
            )


def _sqlite_backward(cursor):
    for table in LEDGER_TABLES:
        for operation in ("update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    cursor.execute("DROP TABLE IF EXISTS audit_ledger_maintenance")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            _pg_forward(cursor)
        elif vendor == "sqlite":
            _sqlite_forward(cursor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            _pg_backward(cursor)
        elif vendor == "sqlite":
            _sqlite_backward(cursor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
