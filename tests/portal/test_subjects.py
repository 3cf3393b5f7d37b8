"""Data-subject access: everything involving one subject, scoped, downloadable, audited."""

from __future__ import annotations

import json

from audit.models import EventType, LedgerRecord
from clipguard.consent.services import consent_withdraw
from tests.portal.conftest import PortalWorld


def test_page_lists_everything_about_the_subject(world: PortalWorld) -> None:
    text = (
        world.client_for(world.cast.bob)
        .get("/portal/subjects/?reference=cust-0042")
        .content.decode()
    )
    assert "Shop floor photos" in text
    assert f"/portal/assets/{world.assets_a[0].pk}/" in text
    assert f"/portal/assets/{world.assets_a[1].pk}/" not in text  # not their asset
    assert "form" not in text or "v3" in text
    assert str(world.job_a.pk)[:8] in text
    assert f"/portal/ledger/{world.records_a[0]}/" in text  # the consent change


def test_other_units_cannot_look_the_subject_up(world: PortalWorld) -> None:
    response = world.client_for(world.cast.charlie).get("/portal/subjects/?reference=cust-0042")
    assert b"No data subject with reference" in response.content
    export = world.client_for(world.cast.charlie).get(
        "/portal/subjects/export.json?reference=cust-0042"
    )
    assert export.status_code == 404


def test_json_download_is_complete_and_audited(world: PortalWorld) -> None:
    consent_withdraw(actor=world.cast.alice, consent=world.consent_a, reason="asked to")
    response = world.client_for(world.cast.carol).get(
        "/portal/subjects/export.json?reference=cust-0042"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["format"] == "clipguard.subject-access.v1"
    (subject,) = document["subjects"]
    assert subject["subject"]["reference"] == "cust-0042"
    assert [d["id"] for d in subject["datasets"]] == [world.dataset_a.pk]
    assert [a["id"] for a in subject["assets"]] == [world.assets_a[0].pk]
    assert subject["consents"][0]["withdrawn_at"] is not None
    assert [c["details"]["change"] for c in subject["consent_changes"]] == [
        "granted",
        "withdrawn",
    ]
    assert [j["id"] for j in subject["jobs"]] == [str(world.job_a.pk)]
    assert len(subject["erasures"]) == 1
    assert len(subject["erasure_records"]) == 1
    assert [r["asset_id"] for r in subject["inference_records"]] == [world.assets_a[0].pk]
    audit = LedgerRecord.objects.filter(event_type=EventType.EXPORT).get()
    assert audit.details == {"format": "subject_access", "subject_id": world.subject_a.pk}
    assert audit.business_unit_id == world.cast.unit_a.pk
    assert "cust-0042" not in json.dumps(audit.details)


def test_unknown_reference_shows_nothing(world: PortalWorld) -> None:
    response = world.client_for(world.cast.carol).get("/portal/subjects/?reference=nobody-here")
    assert b"No data subject with reference" in response.content
