"""The verification page: runs verify_ledger(), shows the first problem and the key."""

from __future__ import annotations

from audit.maintenance import ledger_maintenance
from audit.models import LedgerRecord
from audit.signing import ensure_signing_key, public_key_pem
from tests.portal.conftest import PortalWorld


def test_get_shows_last_checkpoint_key_and_retention(world: PortalWorld) -> None:
    response = world.client_for(world.cast.carol).get("/portal/verify/")
    text = response.content.decode()
    assert "Last checkpoint" in text
    assert "#1" in text
    assert "BEGIN PUBLIC KEY" in text
    assert "183 days" in text
    assert "verification-result" not in text  # nothing run yet


def test_post_runs_verification(world: PortalWorld) -> None:
    response = world.client_for(world.cast.carol).post("/portal/verify/")
    text = response.content.decode()
    assert "Ledger verified: no tampering found" in text
    assert "verdict-ok" in text


def test_tampering_shows_the_first_problem(world: PortalWorld) -> None:
    victim = world.records_b[1]
    with ledger_maintenance():
        LedgerRecord.objects.filter(id=victim).update(actor="mallory")
    response = world.client_for(world.cast.root).post("/portal/verify/")
    text = response.content.decode()
    assert "Verification failed" in text
    assert f"record {victim}" in text
    assert "record_changed" in text


def test_public_key_download(world: PortalWorld) -> None:
    response = world.client_for(world.cast.bob).get("/portal/verify/public-key.pem")
    assert response.content.decode() == public_key_pem(ensure_signing_key().public_key())
    assert "attachment" in response["Content-Disposition"]


def test_unit_users_cannot_run_verification(world: PortalWorld) -> None:
    assert world.client_for(world.cast.bob).post("/portal/verify/").status_code == 403
