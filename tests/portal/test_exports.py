"""Exports: CSV and JSON lines of the filtered view, the signed evidence pack; all audited."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import zipfile

import pytest

from audit.hashing import record_content_sha256
from audit.merkle import audit_path, leaf_hash
from audit.models import EventType, LedgerRecord
from audit.proofs import verify_inclusion_proof
from audit.services import ledger_append
from audit.signing import (
    ensure_signing_key,
    load_public_key_pem,
    public_key_pem,
    signature_valid,
)
from clipguard.accounts.models import User
from portal import exports
from portal.exports import _BatchTree
from tests.portal.conftest import PortalWorld, visible_ids


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def export_records() -> list[LedgerRecord]:
    return list(LedgerRecord.objects.filter(event_type=EventType.EXPORT).order_by("id"))


def test_csv_export_is_scoped_filtered_and_audited(world: PortalWorld) -> None:
    response = world.client_for(world.cast.bob).get("/portal/ledger/export.csv?decision=deny")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert [int(row["id"]) for row in rows] == [world.records_a[4]]
    assert (
        rows[0]["content_sha256"] == LedgerRecord.objects.get(id=world.records_a[4]).content_sha256
    )
    (audit,) = export_records()
    assert audit.actor == "bob"
    assert audit.business_unit_id == world.cast.unit_a.pk
    assert audit.details["format"] == "csv"
    assert audit.details["filters"] == {"decision": "deny"}
    assert audit.details["through_record_id"] == audit.id - 1
    assert response["X-Export-Record"] == str(audit.id)


def test_a_multi_unit_users_export_is_filed_under_each_unit_it_covers(
    world: PortalWorld, dave: User
) -> None:
    client = world.client_for(dave)
    streamed(client.get("/portal/ledger/export.jsonl"))
    on_a, on_b = export_records()
    unit_a, unit_b = world.cast.unit_a.pk, world.cast.unit_b.pk
    assert (on_a.business_unit_id, on_a.details["scope"]) == (unit_a, [unit_a])
    assert (on_b.business_unit_id, on_b.details["scope"]) == (unit_b, [unit_b])
    assert on_a.actor == on_b.actor == "dave"
    assert on_a.request_id
    assert on_a.request_id == on_b.request_id
    alice_page = world.client_for(world.cast.alice).get("/portal/ledger/?event_type=export")
    assert visible_ids(alice_page.content, [on_a.id, on_b.id]) == {on_a.id}
    charlie_page = world.client_for(world.cast.charlie).get("/portal/ledger/?event_type=export")
    assert visible_ids(charlie_page.content, [on_a.id, on_b.id]) == {on_b.id}

    response = client.get(f"/portal/ledger/export.csv?unit={unit_b}")
    streamed(response)
    (filtered,) = export_records()[2:]
    assert filtered.business_unit_id == unit_b
    assert filtered.details["scope"] == [unit_b]
    assert response["X-Export-Record"] == str(filtered.id)


def test_jsonl_export_round_trips_every_field(world: PortalWorld) -> None:
    response = world.client_for(world.cast.carol).get("/portal/ledger/export.jsonl")
    lines = [json.loads(line) for line in streamed(response).splitlines()]
    ids = [line["id"] for line in lines]
    every = world.records_a + world.records_b + world.records_platform
    assert ids == sorted(every + world.client_logins)  # and carol's own login
    for line in lines:
        fields = {k: v for k, v in line.items() if k not in {"id", "content_sha256"}}
        from datetime import datetime

        fields["created_at"] = datetime.fromisoformat(fields["created_at"])
        assert record_content_sha256(fields) == line["content_sha256"]
    (audit,) = export_records()
    assert audit.business_unit_id is None  # carol's export covers every unit
    assert audit.details["scope"] == "all units"


def test_charlie_exports_never_hold_unit_a(world: PortalWorld) -> None:
    client = world.client_for(world.cast.charlie)
    csv_text = streamed(client.get(f"/portal/ledger/export.csv?unit={world.cast.unit_a.pk}"))
    ids = {int(row["id"]) for row in csv.DictReader(io.StringIO(csv_text))}
    (own_login,) = world.client_logins  # charlie's, under unit B
    assert ids == {*world.records_b, own_login}


def test_csv_cells_cannot_start_a_formula(world: PortalWorld) -> None:
    ledger_append(
        event_type=EventType.LOGIN,
        actor="=HYPERLINK(1)",
        business_unit=world.cast.unit_a,
    )
    text = streamed(world.client_for(world.cast.carol).get("/portal/ledger/export.csv"))
    assert "'=HYPERLINK(1)" in text
    jsonl = streamed(world.client_for(world.cast.carol).get("/portal/ledger/export.jsonl"))
    assert '"actor": "=HYPERLINK(1)"' in jsonl  # JSON lines keep the exact text


def open_pack(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_evidence_pack_is_complete_signed_and_verifiable(world: PortalWorld) -> None:
    pending = ledger_append(
        event_type=EventType.LOGIN, actor="bob", business_unit=world.cast.unit_a
    )
    response = world.client_for(world.cast.bob).get("/portal/ledger/evidence-pack.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = open_pack(response.content)
    assert {"records.jsonl", "checkpoints.jsonl", "public_key.pem", "README.md"} <= set(files)
    assert {"manifest.json", "manifest.sig"} <= set(files)
    key = load_public_key_pem(files["public_key.pem"])
    assert files["public_key.pem"].decode() == public_key_pem(ensure_signing_key().public_key())
    assert signature_valid(key, files["manifest.json"], files["manifest.sig"].decode().strip())
    manifest = json.loads(files["manifest.json"])
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    records = [json.loads(line) for line in files["records.jsonl"].decode().splitlines()]
    (own_login,) = world.client_logins  # bob's, under unit A
    assert [r["id"] for r in records] == [*world.records_a, pending.id, own_login]
    assert manifest["records"] == len(records)
    assert manifest["pending_records"] == 2  # the appended record and bob's login
    proofs = {n: json.loads(d) for n, d in files.items() if n.startswith("proofs/")}
    assert len(proofs) == len(world.records_a)
    for proof in proofs.values():
        verify_inclusion_proof(proof, key)
    checkpoints = [json.loads(line) for line in files["checkpoints.jsonl"].decode().splitlines()]
    assert {c["statement"]["sequence"] for c in checkpoints} == {
        p["checkpoint"]["sequence"] for p in proofs.values()
    }
    assert b"How to verify it" in files["README.md"]
    audit = export_records()[-1]
    assert audit.details["format"] == "evidence_pack"
    assert audit.details["manifest_sha256"] == hashlib.sha256(files["manifest.json"]).hexdigest()
    assert audit.details["records"] == len(records)


def test_manifest_signature_fails_when_a_file_changes(world: PortalWorld) -> None:
    files = open_pack(
        world.client_for(world.cast.carol).get("/portal/ledger/evidence-pack.zip").content
    )
    manifest = json.loads(files["manifest.json"])
    tampered = files["records.jsonl"].replace(b"alice", b"mallo")
    assert hashlib.sha256(tampered).hexdigest() != manifest["files"]["records.jsonl"]
    key = load_public_key_pem(files["public_key.pem"])
    edited = files["manifest.json"].replace(b'"records"', b'"records" ', 1)
    assert not signature_valid(key, edited, files["manifest.sig"].decode().strip())


def test_evidence_pack_refuses_too_many_records(
    world: PortalWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "EVIDENCE_PACK_MAX_RECORDS", 3)
    response = world.client_for(world.cast.carol).get("/portal/ledger/evidence-pack.zip")
    assert response.status_code == 409
    assert b"narrow the filters" in response.content
    assert export_records() == []


@pytest.mark.parametrize("size", [*range(1, 18), 31, 64, 100])
def test_batch_tree_paths_match_the_ledger(size: int) -> None:
    leaves = [leaf_hash(record_id=i, record_sha256=f"{i:064x}") for i in range(size)]
    tree = _BatchTree(leaves)
    for index in range(size):
        assert tree.path(index) == audit_path(index, leaves)


def test_manifest_signature_is_base64_ed25519(world: PortalWorld) -> None:
    files = open_pack(
        world.client_for(world.cast.carol).get("/portal/ledger/evidence-pack.zip").content
    )
    assert len(base64.b64decode(files["manifest.sig"].strip())) == 64
