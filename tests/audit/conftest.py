"""Fixtures for the ledger tests: a fresh checkpoint folder per test, ledgers to tamper with."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from audit.maintenance import ledger_maintenance
from audit.models import EventType, LedgerRecord
from audit.sealer import seal_pending
from audit.services import ledger_append
from clipguard.accounts.models import BusinessUnit, User


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Published checkpoints outlive database rollbacks, so each test gets its own folder."""
    folder = tmp_path / "checkpoints"
    settings.AUDIT_CHECKPOINT_DIR = folder
    return folder


@pytest.fixture
def unit(db: None) -> BusinessUnit:
    return BusinessUnit.objects.create(name="Retail Imaging", slug="retail-imaging")


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user(username="alice", password="x")


def append(n: int, *, actor: User | str | None = "system:test", **fields: object) -> list[int]:
    ids = []
    for i in range(n):
        record = ledger_append(
            event_type=EventType.INFERENCE,
            actor=actor,
            purpose="product_tagging",
            job_id=f"job-{i // 5}",
            asset_id=i,
            input_sha256=f"{i:064x}",
            output_sha256=f"{i + 1000:064x}",
            details={"labels": ["shoe", "bag"], "score": 0.5 + i / 1000},
            **fields,  # type: ignore[arg-type]
        )
        ids.append(record.id)
    return ids


@pytest.fixture
def sealed_ledger(db: None) -> list[int]:
    """25 records sealed as three checkpoints (10, 10 and 5 records)."""
    ids = append(25)
    assert seal_pending(batch_size=10) == 25
    return ids


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Change ledger rows as the table owner would: with the maintenance flag on."""
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def rolled_back_id() -> int:
    """An id the sequence handed to a transaction that rolled back: a gap in the ids."""
    gap = 0
    with contextlib.suppress(RuntimeError), transaction.atomic():
        gap = ledger_append(event_type=EventType.LOGIN, actor="bob").id
        raise RuntimeError("roll back")
    assert gap
    assert not LedgerRecord.objects.filter(id=gap).exists()
    return gap
