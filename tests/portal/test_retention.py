"""Retention: at least 183 days; pruning only old records behind a published checkpoint,
audited, inside ledger_maintenance, and verification still passes afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from audit.maintenance import ledger_maintenance
from audit.models import EventType, LedgerLink, LedgerRecord
from audit.retention import (
    PRUNE_ACTION,
    RETENTION_ACTOR,
    PruneRefused,
    RetentionTooShort,
    prune_ledger,
    prune_plan,
    retention_days,
)
from audit.sealer import seal_pending
from audit.services import ledger_append
from audit.verification import ProblemKind, verify_ledger

pytestmark = pytest.mark.django_db


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def append(n: int, label: str) -> list[int]:
    return [ledger_append(event_type=EventType.LOGIN, actor=f"{label}-{i}").id for i in range(n)]


def test_default_is_183_days(settings: SettingsWrapper) -> None:
    assert settings.AUDIT_RETENTION_DAYS == 183
    assert retention_days() == 183


@pytest.mark.parametrize("days", [0, 30, 182])
def test_less_than_six_months_is_refused(settings: SettingsWrapper, days: int) -> None:
    settings.AUDIT_RETENTION_DAYS = days
    with pytest.raises(RetentionTooShort):
        retention_days()
    with pytest.raises(RetentionTooShort):
        prune_plan()
    with pytest.raises(CommandError, match="at least 183"):
        call_command("audit_prune")


def test_a_short_override_is_refused_too() -> None:
    with pytest.raises(CommandError, match="at least 183"):
        call_command("audit_prune", "--days", "100")


def test_the_system_check_refuses_a_short_retention(settings: SettingsWrapper) -> None:
    from portal.checks import retention_at_least_six_months

    settings.AUDIT_RETENTION_DAYS = 90
    (error,) = retention_at_least_six_months()
    assert error.id == "portal.E001"


@pytest.fixture
def aged_ledger(checkpoint_dir: Path) -> dict[str, list[int]]:
    """Records of three ages: 400 days (two checkpoints), 300 days (one checkpoint whose
    publication is withheld), 10 days (sealed), plus old records never sealed."""
    now = timezone.now()
    ledger: dict[str, list[int]] = {}
    with clock(now - timedelta(days=400)):
        ledger["oldest"] = append(6, "oldest")
        seal_pending(batch_size=3)
    published = (checkpoint_dir / "latest.json").read_text()
    with clock(now - timedelta(days=300)):
        ledger["old_unpublished"] = append(4, "unpublished")
        seal_pending()
    with clock(now - timedelta(days=10)):
        ledger["young"] = append(3, "young")
        seal_pending()
    # latest.json still names checkpoint 2: checkpoint 3 (300 days old) counts as unpublished.
    (checkpoint_dir / "latest.json").write_text(published)
    with clock(now - timedelta(days=250)):
        ledger["old_pending"] = append(2, "pending")  # never sealed
    return ledger


def test_plan_names_only_published_checkpoints_older_than_the_cutoff(
    aged_ledger: dict[str, list[int]],
) -> None:
    plan = prune_plan()
    assert plan.retention_days == 183
    assert plan.published_sequence == 2
    assert plan.through_checkpoint == 2
    assert plan.through_position == 5
    assert plan.records == 6


def test_prune_deletes_only_old_sealed_published_records(
    aged_ledger: dict[str, list[int]],
) -> None:
    result = prune_ledger()
    assert result.deleted == 6
    remaining = set(LedgerRecord.objects.values_list("id", flat=True))
    assert not remaining & set(aged_ledger["oldest"])
    for kept in ("old_unpublished", "young", "old_pending"):
        assert set(aged_ledger[kept]) <= remaining
    assert LedgerLink.objects.count() == 13  # links stay


def test_pruning_is_audited(aged_ledger: dict[str, list[int]]) -> None:
    result = prune_ledger()
    assert result.record_id is not None
    record = LedgerRecord.objects.get(id=result.record_id)
    assert record.event_type == EventType.CONFIG_CHANGE
    assert record.actor == RETENTION_ACTOR
    assert record.details["action"] == PRUNE_ACTION
    assert record.details["records_deleted"] == 6
    assert record.details["through_checkpoint"] == 2
    assert record.details["retention_days"] == 183
    assert record.details["first_record_id"] == aged_ledger["oldest"][0]
    assert record.details["last_record_id"] == aged_ledger["oldest"][-1]


def test_verification_passes_after_pruning(aged_ledger: dict[str, list[int]]) -> None:
    prune_ledger()
    seal_pending()
    report = verify_ledger()
    assert report.ok, report.summary()
    assert report.pruned == 6
    assert report.pruned_through_position == 5
    assert "Pruned by retention: 6 records" in report.summary()


def test_nothing_is_pruned_twice_and_nothing_young(aged_ledger: dict[str, list[int]]) -> None:
    prune_ledger()
    again = prune_ledger()
    assert again.deleted == 0
    assert again.record_id is None


def test_deleting_beyond_the_horizon_is_still_caught(aged_ledger: dict[str, list[int]]) -> None:
    prune_ledger()
    victim = aged_ledger["old_unpublished"][0]
    with ledger_maintenance():
        LedgerRecord.objects.filter(id=victim).delete()
    report = verify_ledger()
    assert report.first_problem is not None
    assert report.first_problem.kind == ProblemKind.RECORD_MISSING
    assert report.first_problem.record_id == victim


def test_a_forged_pruning_record_does_not_excuse_deletions(checkpoint_dir: Path) -> None:
    ids = append(4, "recent")
    seal_pending()
    with ledger_maintenance():
        LedgerRecord.objects.filter(id=ids[0]).delete()
        ledger_append(
            event_type=EventType.CONFIG_CHANGE,
            actor=RETENTION_ACTOR,
            details={
                "action": PRUNE_ACTION,
                "retention_days": 183,
                "through_checkpoint": 1,
                "through_position": 3,
            },
        )
    kinds = {problem.kind for problem in verify_ledger().problems}
    assert ProblemKind.PRUNE_UNJUSTIFIED in kinds
    assert ProblemKind.RECORD_MISSING in kinds


def test_pruning_is_refused_when_the_ledger_does_not_verify(
    aged_ledger: dict[str, list[int]],
) -> None:
    with ledger_maintenance():
        LedgerRecord.objects.filter(id=aged_ledger["young"][0]).update(actor="mallory")
    with pytest.raises(PruneRefused, match="does not verify"):
        prune_ledger()
    assert LedgerRecord.objects.filter(id__in=aged_ledger["oldest"]).count() == 6


def test_command_dry_run_deletes_nothing(aged_ledger: dict[str, list[int]], capsys) -> None:
    call_command("audit_prune", "--dry-run", "--json")
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["records"] == 6
    assert outcome["dry_run"] is True
    assert LedgerRecord.objects.filter(id__in=aged_ledger["oldest"]).count() == 6


def test_command_prunes(aged_ledger: dict[str, list[int]], capsys) -> None:
    call_command("audit_prune")
    out = capsys.readouterr().out
    assert "Deleted 6 records" in out
    assert "Recorded as ledger record" in out


def test_nothing_to_prune_on_a_young_ledger(capsys) -> None:
    append(3, "young")
    seal_pending()
    call_command("audit_prune")
    assert "Nothing to prune" in capsys.readouterr().out
