"""The management commands: audit_verify's exit codes and output, proofs, keys, sealing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import LedgerLink
from audit.proofs import ProofError, verify_inclusion_proof
from audit.selectors import record_inclusion_proof
from audit.signing import ensure_signing_key, load_public_key_pem
from tests.audit.conftest import append, tamper
from tests.conftest import REPO_ROOT


def _run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(*args, stdout=out, stderr=StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_audit_verify_exits_0_on_a_good_ledger(sealed_ledger):
    code, out = _run("audit_verify")
    assert code == 0
    assert "Ledger verified" in out


@pytest.mark.django_db
def test_audit_verify_exits_1_and_names_the_first_bad_record(sealed_ledger):
    tamper("UPDATE audit_ledgerrecord SET model_id = 'other' WHERE id = %s", [sealed_ledger[2]])
    code, out = _run("audit_verify")
    assert code == 1
    assert f"First: record {sealed_ledger[2]} (position 2)" in out
    code, out = _run("audit_verify", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert report["first_problem"]["record_id"] == sealed_ledger[2]
    assert report["first_problem"]["kind"] == "record_changed"


@pytest.mark.django_db
def test_audit_verify_trusts_only_the_keys_given(sealed_ledger, tmp_path: Path):
    good = tmp_path / "ledger.pem"
    call_command("audit_public_key", stdout=(pem := StringIO()), stderr=StringIO())
    good.write_text(pem.getvalue())
    assert _run("audit_verify", "--public-key", str(good))[0] == 0
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from audit.signing import public_key_pem

    other = tmp_path / "other.pem"
    other.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    code, out = _run("audit_verify", "--json", "--public-key", str(other))
    assert code == 1
    assert json.loads(out)["first_problem"]["kind"] == "checkpoint_unknown_key"


@pytest.mark.django_db(transaction=True)
def test_audit_verify_as_a_separate_process(tmp_path: Path):
    """What an operator or a script sees: the real exit status."""
    ids = append(4)
    call_command("audit_seal", stdout=StringIO())
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clipguard.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "AUDIT_CHECKPOINT_DIR": str(settings.AUDIT_CHECKPOINT_DIR),
        "AUDIT_SIGNING_KEY_FILE": str(settings.AUDIT_SIGNING_KEY_FILE),
    }
    command = [sys.executable, "manage.py", "audit_verify", "--skip-checks"]
    good = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert good.returncode == 0, good.stdout + good.stderr
    tamper("DELETE FROM audit_ledgerrecord WHERE id = %s", [ids[1]])
    bad = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1
    assert f"record {ids[1]} (position 1) is missing" in bad.stdout


@pytest.mark.django_db
def test_audit_seal_once():
    append(3)
    out = StringIO()
    call_command("audit_seal", "--batch-size", "2", stdout=out)
    assert "sealed 3 records" in out.getvalue()
    assert LedgerLink.objects.count() == 3


@pytest.mark.django_db
def test_an_inclusion_proof_verifies_offline_and_catches_edits(sealed_ledger, tmp_path: Path):
    public = ensure_signing_key().public_key()
    for record_id in (sealed_ledger[0], sealed_ledger[13], sealed_ledger[24]):
        proof = json.loads(json.dumps(record_inclusion_proof(record_id)))
        verify_inclusion_proof(proof, public)
    proof = json.loads(json.dumps(record_inclusion_proof(sealed_ledger[13])))
    edited = json.loads(json.dumps(proof))
    edited["record"]["purpose"] = "recruitment"
    with pytest.raises(ProofError, match="do not match its sealed hash"):
        verify_inclusion_proof(edited, public)
    moved = json.loads(json.dumps(proof))
    moved["leaf_index"] += 1
    moved["position"] += 1
    with pytest.raises(ProofError, match="audit path"):
        verify_inclusion_proof(moved, public)
    resigned = json.loads(json.dumps(proof))
    resigned["checkpoint"]["batch_root_sha256"] = "0" * 64
    with pytest.raises(ProofError, match="signature"):
        verify_inclusion_proof(resigned, public)
    with pytest.raises(ProofError, match="malformed"):
        verify_inclusion_proof({"format": proof["format"]}, public)


@pytest.mark.django_db
def test_audit_proof_command_exports_and_checks(sealed_ledger, tmp_path: Path):
    code, out = _run("audit_proof", str(sealed_ledger[6]))
    assert code == 0
    proof_file = tmp_path / "proof.json"
    proof_file.write_text(out)
    key_file = tmp_path / "ledger.pem"
    call_command("audit_public_key", stdout=(pem := StringIO()), stderr=StringIO())
    key_file.write_text(pem.getvalue())
    load_public_key_pem(key_file.read_text())
    code, out = _run("audit_proof", "--check", str(proof_file), "--public-key", str(key_file))
    assert (code, "proof valid" in out) == (0, True)
    proof = json.loads(proof_file.read_text())
    proof["record"]["actor"] = "someone else"
    proof_file.write_text(json.dumps(proof))
    code, out = _run("audit_proof", "--check", str(proof_file), "--public-key", str(key_file))
    assert (code, "proof INVALID" in out) == (1, True)


@pytest.mark.django_db
def test_audit_proof_of_a_pending_record_is_an_error():
    (pending,) = append(1)
    with pytest.raises(CommandError, match="not sealed"):
        call_command("audit_proof", str(pending))


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "audit", "--check", "--dry-run", stdout=StringIO())
