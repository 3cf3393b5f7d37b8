"""Every way of tampering with the ledger is caught, and the first bad record is named.

Tampering is done as a database administrator would: as the table owner, inside
``ledger_maintenance()`` (the only way past the append-only triggers).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from audit.checkpoints import checkpoint_statement, statement_bytes
from audit.hashing import record_content_sha256
from audit.models import EventType, LedgerCheckpoint, LedgerLink, LedgerRecord, PendingSeal
from audit.sealer import _seal_one_batch, seal_pending
from audit.signing import ensure_signing_key, key_id, sign
from audit.verification import ProblemKind, VerificationReport, verify_ledger
from tests.audit.conftest import append, rolled_back_id, tamper

pytestmark = pytest.mark.django_db


def _first(report: VerificationReport) -> tuple[ProblemKind, int | None]:
    assert not report.ok, "tampering went unnoticed"
    problem = report.first_problem
    assert problem is not None
    return problem.kind, problem.record_id


def _position(record_id: int) -> int:
    return LedgerLink.objects.get(record_id=record_id).position


def test_an_untouched_ledger_verifies(sealed_ledger):
    append(2)  # pending records are not a failure
    report = verify_ledger()
    assert report.ok, report.summary()
    assert (report.records, report.sealed, report.pending) == (27, 25, 2)
    assert (report.checkpoints, report.tree_size, report.published_checkpoint) == (3, 25, 3)
    assert "Ledger verified" in report.summary()


def test_an_empty_ledger_verifies():
    assert verify_ledger().ok


def test_editing_a_field_is_caught(sealed_ledger):
    victim = sealed_ledger[12]
    tamper("UPDATE audit_ledgerrecord SET policy_decision = 'allow' WHERE id = %s", [victim])
    report = verify_ledger()
    assert _first(report) == (ProblemKind.RECORD_CHANGED, victim)
    assert f"record {victim} (position 12)" in report.first_problem.message  # type: ignore[union-attr]
    assert len(report.problems) == 1


def test_editing_a_field_and_its_hash_is_caught(sealed_ledger):
    victim = LedgerRecord.objects.get(id=sealed_ledger[3])
    victim.details = {"labels": ["something else"]}
    forged = record_content_sha256(victim.hashed_fields())
    tamper(
        "UPDATE audit_ledgerrecord SET details = %s, content_sha256 = %s WHERE id = %s",
        [json.dumps(victim.details), forged, victim.id],
    )
    assert _first(verify_ledger()) == (ProblemKind.RECORD_REHASHED, victim.id)


def test_editing_a_pending_record_is_caught(sealed_ledger):
    (pending,) = append(1)
    tamper("UPDATE audit_ledgerrecord SET actor = 'mallory' WHERE id = %s", [pending])
    assert _first(verify_ledger()) == (ProblemKind.RECORD_CHANGED, pending)


def test_deleting_a_record_is_caught(sealed_ledger):
    victim = sealed_ledger[7]
    tamper("DELETE FROM audit_ledgerrecord WHERE id = %s", [victim])
    assert _first(verify_ledger()) == (ProblemKind.RECORD_MISSING, victim)


def test_deleting_a_record_and_its_link_is_caught(sealed_ledger):
    victim = sealed_ledger[15]
    tamper("DELETE FROM audit_ledgerlink WHERE record_id = %s", [victim])
    tamper("DELETE FROM audit_ledgerrecord WHERE id = %s", [victim])
    report = verify_ledger()
    kind, _ = _first(report)
    assert kind == ProblemKind.LINKS_MISSING
    assert report.first_problem.position == 15  # type: ignore[union-attr]


def test_deleting_a_pending_record_is_caught(sealed_ledger):
    (pending,) = append(1)
    tamper("DELETE FROM audit_ledgerrecord WHERE id = %s", [pending])
    assert _first(verify_ledger()) == (ProblemKind.QUEUED_RECORD_MISSING, pending)


def test_reordering_links_is_caught(sealed_ledger):
    a, b = sealed_ledger[4], sealed_ledger[5]
    tamper("UPDATE audit_ledgerlink SET record_id = -1 WHERE record_id = %s", [a])
    tamper("UPDATE audit_ledgerlink SET record_id = %s WHERE record_id = %s", [a, b])
    tamper("UPDATE audit_ledgerlink SET record_id = %s WHERE record_id = -1", [b])
    report = verify_ledger()
    assert _first(report) == (ProblemKind.LINK_BROKEN, b)
    assert report.first_problem.position == 4  # type: ignore[union-attr]


def test_reordering_links_with_recomputed_hashes_is_caught(sealed_ledger):
    """Swap positions 4 and 5 and recompute every link after them: the signed head differs."""
    links = list(LedgerLink.objects.order_by("position"))
    links[4], links[5] = links[5], links[4]
    _rewrite_links(links)
    report = verify_ledger()
    kind, _ = _first(report)
    assert kind in {ProblemKind.CHECKPOINT_ROOT, ProblemKind.CHECKPOINT_HEAD}
    assert report.first_problem.checkpoint == 1  # type: ignore[union-attr]


def test_swapping_the_contents_of_two_records_is_caught(sealed_ledger):
    first, second = (LedgerRecord.objects.get(id=i) for i in sealed_ledger[8:10])
    columns = [
        "asset_id",
        "input_sha256",
        "output_sha256",
        "details",
        "created_at",
        "content_sha256",
    ]
    for source, target in ((first, second), (second, first)):
        assignments = ", ".join(f"{column} = %s" for column in columns)
        values = [
            json.dumps(source.details) if column == "details" else getattr(source, column)
            for column in columns
        ]
        tamper(f"UPDATE audit_ledgerrecord SET {assignments} WHERE id = %s", [*values, target.id])  # noqa: S608
    assert _first(verify_ledger()) == (ProblemKind.RECORD_REHASHED, first.id)


def _forge(record_id: int, *, created_at, queued: bool) -> None:
    forged = LedgerRecord(
        id=record_id,
        created_at=created_at,
        event_type=EventType.APPROVAL,
        actor="compliance.officer",
        job_id="job-1",
        policy_decision="allow",
        details={},
    )
    forged.content_sha256 = forged.compute_content_sha256()
    forged.save(force_insert=True)
    if queued:
        PendingSeal.objects.create(record_id=record_id)


@pytest.fixture
def ledger_with_a_gap() -> tuple[list[int], int]:
    """Records sealed around an id whose transaction rolled back."""
    before = append(5)
    gap = rolled_back_id()
    after = append(5)
    seal_pending(batch_size=4)
    return [*before, *after], gap


def test_a_backdated_record_inserted_into_a_sealed_range_is_caught(ledger_with_a_gap):
    _, gap = ledger_with_a_gap
    _forge(gap, created_at=timezone.now() - timedelta(days=2), queued=True)
    report = verify_ledger()
    assert _first(report) == (ProblemKind.RECORD_IN_SEALED_RANGE, gap)
    assert "not sealed" in report.first_problem.message  # type: ignore[union-attr]
    # Sealing it does not launder it: it lands at the end of the chain, and is still flagged.
    assert seal_pending() == 1
    assert _position(gap) == 10
    assert _first(verify_ledger()) == (ProblemKind.RECORD_IN_SEALED_RANGE, gap)


def test_a_record_dated_after_the_ids_around_it_were_sealed_is_caught(ledger_with_a_gap):
    _, gap = ledger_with_a_gap
    _forge(gap, created_at=timezone.now() + timedelta(hours=1), queued=True)
    assert _first(verify_ledger()) == (ProblemKind.RECORD_IN_SEALED_RANGE, gap)


def test_a_record_inserted_around_ledger_append_is_caught(ledger_with_a_gap):
    _, gap = ledger_with_a_gap
    _forge(gap, created_at=LedgerRecord.objects.get(id=gap - 1).created_at, queued=False)
    assert _first(verify_ledger()) == (ProblemKind.RECORD_NOT_QUEUED, gap)


def test_truncating_the_tail_is_caught_against_the_published_head(sealed_ledger):
    last = LedgerCheckpoint.objects.get(sequence=3)
    tamper("DELETE FROM audit_ledgercheckpoint WHERE sequence = 3")
    tamper("DELETE FROM audit_ledgerlink WHERE position >= %s", [last.first_position])
    tamper("DELETE FROM audit_ledgerrecord WHERE id >= %s", [last.first_record_id])
    report = verify_ledger()
    assert _first(report) == (ProblemKind.TAIL_TRUNCATED, sealed_ledger[20])
    assert report.first_problem.position == 20  # type: ignore[union-attr]
    assert len(report.problems) == 1


def test_truncating_only_the_links_of_the_tail_is_caught(sealed_ledger):
    tamper("DELETE FROM audit_ledgerlink WHERE position >= 22")
    report = verify_ledger()
    kind, _ = _first(report)
    assert kind == ProblemKind.LINKS_MISSING
    assert report.first_problem.position == 22  # type: ignore[union-attr]


def test_truncating_the_tail_and_the_published_copies_is_caught(sealed_ledger, checkpoint_dir):
    """Without published copies the checkpoints alone cannot tell; their absence is reported."""
    tamper("DELETE FROM audit_ledgercheckpoint WHERE sequence = 3")
    tamper("DELETE FROM audit_ledgerlink WHERE position >= 20")
    for path in checkpoint_dir.glob("*.json*"):
        path.unlink()
    assert _first(verify_ledger())[0] == ProblemKind.PUBLISHED_MISSING


def test_a_replaced_checkpoint_fails_its_signature(sealed_ledger):
    tamper(
        "UPDATE audit_ledgercheckpoint SET batch_root_sha256 = %s WHERE sequence = 2",
        ["f" * 64],
    )
    report = verify_ledger()
    assert _first(report) == (ProblemKind.CHECKPOINT_SIGNATURE, sealed_ledger[10])
    assert report.first_problem.checkpoint == 2  # type: ignore[union-attr]


def test_a_checkpoint_signed_by_another_key_is_caught(sealed_ledger):
    intruder = Ed25519PrivateKey.generate()
    checkpoint = LedgerCheckpoint.objects.get(sequence=2)
    checkpoint.key_id = key_id(intruder.public_key())
    signature = sign(intruder, statement_bytes(checkpoint_statement(checkpoint)))
    tamper(
        "UPDATE audit_ledgercheckpoint SET key_id = %s, signature = %s WHERE sequence = 2",
        [checkpoint.key_id, signature],
    )
    report = verify_ledger()
    assert _first(report) == (ProblemKind.CHECKPOINT_UNKNOWN_KEY, sealed_ledger[10])
    # Trusting only the intruder's key does not help: the other checkpoints fail then.
    assert not verify_ledger(public_keys=[intruder.public_key()]).ok


def test_a_consistently_rewritten_chain_is_caught_by_the_published_checkpoints(sealed_ledger):
    """The attacker holds the signing key and rebuilds records, links and checkpoints."""
    victim = LedgerRecord.objects.get(id=sealed_ledger[5])
    victim.purpose = "recruitment"
    tamper(
        "UPDATE audit_ledgerrecord SET purpose = %s, content_sha256 = %s WHERE id = %s",
        [victim.purpose, victim.compute_content_sha256(), victim.id],
    )
    tamper("DELETE FROM audit_ledgercheckpoint")
    tamper("DELETE FROM audit_ledgerlink")
    PendingSeal.objects.bulk_create([PendingSeal(record_id=i) for i in sealed_ledger])
    key = ensure_signing_key()
    while _seal_one_batch(key=key, batch_size=10):
        pass
    report = verify_ledger()
    assert _first(report) == (ProblemKind.PUBLISHED_MISMATCH, sealed_ledger[0])
    assert report.first_problem.checkpoint == 1  # type: ignore[union-attr]
    assert "rewritten" in report.first_problem.message  # type: ignore[union-attr]


def test_an_edited_published_copy_is_caught(sealed_ledger, checkpoint_dir: Path):
    latest = checkpoint_dir / "latest.json"
    entry = json.loads(latest.read_text())
    entry["statement"]["tree_size"] = 20
    latest.write_text(json.dumps(entry))
    for path in checkpoint_dir.glob("checkpoints-*.jsonl"):
        path.write_text("".join(line + "\n" for line in path.read_text().splitlines()[:-1]))
    assert _first(verify_ledger())[0] == ProblemKind.PUBLISHED_SIGNATURE


def test_without_a_public_key_nothing_verifies(sealed_ledger):
    assert _first(verify_ledger(public_keys=[]))[0] == ProblemKind.NO_PUBLIC_KEY


def _rewrite_links(links: list[LedgerLink]) -> None:
    """Re-chain ``links`` in the given order, recomputing every link hash."""
    from audit.hashing import GENESIS_LINK_SHA256, link_sha256

    tamper("DELETE FROM audit_ledgerlink")
    previous = GENESIS_LINK_SHA256
    rebuilt = []
    for position, link in enumerate(links):
        current = link_sha256(
            position=position,
            record_id=link.record_id,
            record_sha256=link.record_sha256,
            prev_link_sha256=previous,
        )
        rebuilt.append(
            LedgerLink(
                position=position,
                record_id=link.record_id,
                record_sha256=link.record_sha256,
                prev_link_sha256=previous,
                link_sha256=current,
            )
        )
        previous = current
    LedgerLink.objects.bulk_create(rebuilt)
