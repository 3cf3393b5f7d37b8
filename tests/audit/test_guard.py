"""The ledger is append-only in the database itself (PostgreSQL triggers and privileges)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.maintenance import ledger_maintenance
from audit.models import EventType, LedgerRecord
from audit.sealer import seal_pending
from audit.services import ledger_append

LEDGER_TABLES = ["audit_ledgerrecord", "audit_ledgerlink", "audit_ledgercheckpoint"]
UPDATES = {
    "audit_ledgerrecord": "UPDATE audit_ledgerrecord SET purpose = 'rewritten'",
    "audit_ledgerlink": "UPDATE audit_ledgerlink SET record_sha256 = repeat('0', 64)",
    "audit_ledgercheckpoint": "UPDATE audit_ledgercheckpoint SET signature = 'forged'",
}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_ledger() -> list[int]:
    ids = [ledger_append(event_type=EventType.INFERENCE, actor="worker").id for _ in range(3)]
    seal_pending()
    return ids


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(caught.value)


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_update_delete_and_truncate_are_refused(committed_ledger: list[int], table: str):
    assert "append-only: UPDATE" in _refused(UPDATES[table])
    assert "append-only: DELETE" in _refused(f"DELETE FROM {table}")  # noqa: S608
    assert "append-only: TRUNCATE" in _refused(f"TRUNCATE {table}")
    assert LedgerRecord.objects.count() == 3


def test_the_flag_alone_does_not_lift_the_guard_outside_a_transaction(committed_ledger):
    # The flag is transaction-local: set in one autocommit statement, gone by the next.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('clipguard.ledger_maintenance', 'on', true)")
    assert "append-only" in _refused(UPDATES["audit_ledgerrecord"])


def test_the_owner_may_change_rows_inside_ledger_maintenance(committed_ledger):
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_ledgerrecord SET purpose = 'pruned' WHERE id = %s", [committed_ledger[0]]
        )
        cursor.execute("DELETE FROM audit_ledgerrecord WHERE id = %s", [committed_ledger[1]])
    assert LedgerRecord.objects.get(id=committed_ledger[0]).purpose == "pruned"
    assert not LedgerRecord.objects.filter(id=committed_ledger[1]).exists()
    # ... and the flag does not outlive that transaction.
    assert "append-only" in _refused(UPDATES["audit_ledgerrecord"])


def test_inserts_stay_allowed(committed_ledger):
    ledger_append(event_type=EventType.LOGIN, actor="alice")
    assert LedgerRecord.objects.count() == 4


@pytest.fixture
def app_role() -> Iterator[str]:
    role = f"clipguard_app_test_{os.getpid()}"
    call_command("audit_setup_roles", role, verbosity=0)
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE IF EXISTS {role}")


def _as_role(role: str, *statements: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        for statement in statements:
            cursor.execute(statement)


def test_the_application_role_appends_and_reads_but_cannot_lift_the_guard(
    committed_ledger, app_role
):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        record = ledger_append(event_type=EventType.INFERENCE, actor="worker")
        cursor.execute("SELECT count(*) FROM audit_ledgerrecord")
        assert cursor.fetchone()[0] == 4
    assert LedgerRecord.objects.filter(id=record.id).exists()
    flag_on = "SELECT set_config('clipguard.ledger_maintenance', 'on', true)"
    for table in LEDGER_TABLES:
        for statement in (UPDATES[table], f"DELETE FROM {table}", f"TRUNCATE {table}"):  # noqa: S608
            with pytest.raises(DatabaseError, match="permission denied"):
                _as_role(app_role, flag_on, statement)
    assert LedgerRecord.objects.count() == 4


def test_even_a_mistaken_grant_does_not_let_the_application_role_through(
    committed_ledger, app_role
):
    """The trigger checks ownership itself: privileges granted by mistake are not enough."""
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_ledgerrecord TO {app_role}")
    flag_on = "SELECT set_config('clipguard.ledger_maintenance', 'on', true)"
    for statement in (
        UPDATES["audit_ledgerrecord"],
        "DELETE FROM audit_ledgerrecord",
        "TRUNCATE audit_ledgerrecord",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            _as_role(app_role, flag_on, statement)
    assert LedgerRecord.objects.count() == 3


def test_the_application_role_may_do_its_ordinary_work(app_role):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        ledger_append(event_type=EventType.INFERENCE, actor="worker")
        assert seal_pending() == 1  # the sealer needs no more than the application has
        cursor.execute("INSERT INTO auth_group (name) VALUES ('reviewers')")
        cursor.execute("UPDATE auth_group SET name = 'auditors'")
        cursor.execute("DELETE FROM auth_group")


def test_setup_roles_refuses_a_superuser():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="superuser"):
        call_command("audit_setup_roles", "postgres", verbosity=0)
