"""Ledger search: scoping, every filter, keyset pagination, seal state, record pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from audit.models import EventType, LedgerRecord
from audit.proofs import verify_inclusion_proof
from audit.sealer import seal_pending
from audit.services import ledger_append
from audit.signing import ensure_signing_key
from portal.scope import scope_for
from portal.selectors import LedgerFilters, ledger_page
from tests.portal.conftest import PortalWorld, visible_ids


def every_id(world: PortalWorld) -> list[int]:
    return world.records_a + world.records_b + world.records_platform


def test_bob_sees_unit_a_records_only(world: PortalWorld) -> None:
    response = world.client_for(world.cast.bob).get("/portal/ledger/")
    assert visible_ids(response.content, every_id(world)) == set(world.records_a)


def test_charlie_never_sees_unit_a(world: PortalWorld) -> None:
    client = world.client_for(world.cast.charlie)
    for query in ("", f"?unit={world.cast.unit_a.pk}", f"?job={world.job_a.pk}"):
        response = client.get(f"/portal/ledger/{query}")
        assert visible_ids(response.content, world.records_a) == set()
    assert b"Shop floor" not in client.get("/portal/ledger/").content


def test_carol_sees_every_record_including_platform_events(world: PortalWorld) -> None:
    response = world.client_for(world.cast.carol).get("/portal/ledger/")
    assert visible_ids(response.content, every_id(world)) == set(every_id(world))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("event_type=inference", lambda w: w.records_a[2:4] + w.records_b[1:2]),
        ("actor=charlie", lambda w: w.records_b),
        ("decision=deny", lambda w: [w.records_a[4], w.records_b[2]]),
        ("rule=emotion-workplace", lambda w: [w.records_a[4]]),
        ("model_id=clipguard-reference-clip", lambda w: w.records_a[2:4] + w.records_b[1:2]),
        ("unit={unit_b}", lambda w: w.records_b),
        ("job={job_a}", lambda w: w.records_a[1:4]),
        ("asset={asset_a}", lambda w: [w.records_a[2]]),
        ("date_from=2000-01-01&date_to=2000-01-02", lambda w: []),
        ("date_from={today}&date_to={today}", every_id),
    ],
)
def test_filters(world: PortalWorld, query: str, expected) -> None:
    from django.utils import timezone

    query = query.format(
        unit_b=world.cast.unit_b.pk,
        job_a=world.job_a.pk,
        asset_a=world.assets_a[0].pk,
        today=timezone.localdate().isoformat(),
    )
    response = world.client_for(world.cast.carol).get(f"/portal/ledger/?{query}")
    assert response.status_code == 200
    assert visible_ids(response.content, every_id(world)) == set(expected(world))


def test_a_unit_outside_the_scope_is_not_a_choice(world: PortalWorld) -> None:
    response = world.client_for(world.cast.bob).get(f"/portal/ledger/?unit={world.cast.unit_b.pk}")
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert visible_ids(response.content, world.records_b) == set()


def test_bad_date_range_is_explained(world: PortalWorld) -> None:
    response = world.client_for(world.cast.carol).get(
        "/portal/ledger/?date_from=2026-02-01&date_to=2026-01-01"
    )
    assert b"The start date is after the end date." in response.content


def test_keyset_pagination_walks_both_ways(world: PortalWorld) -> None:
    extra = [
        ledger_append(event_type=EventType.LOGIN, actor="bob", business_unit=world.cast.unit_a).id
        for _ in range(120)
    ]
    scope = scope_for(world.cast.bob)
    assert scope is not None
    filters = LedgerFilters(event_type=EventType.LOGIN)
    first = ledger_page(scope, filters, limit=50)
    assert [row.record.id for row in first.rows] == sorted(extra, reverse=True)[:50]
    assert first.newer_cursor is None
    assert first.older_cursor == first.rows[-1].record.id
    second = ledger_page(scope, filters, before=first.older_cursor, limit=50)
    third = ledger_page(scope, filters, before=second.older_cursor, limit=50)
    assert len(third.rows) == 20
    assert third.older_cursor is None
    seen = [row.record.id for page in (first, second, third) for row in page.rows]
    assert seen == sorted(extra, reverse=True)
    back = ledger_page(scope, filters, after=third.newer_cursor, limit=50)
    assert [row.record.id for row in back.rows] == [row.record.id for row in second.rows]
    assert back.newer_cursor is not None


def test_pager_links_keep_the_filters(world: PortalWorld) -> None:
    for _ in range(60):
        ledger_append(event_type=EventType.LOGIN, actor="bob", business_unit=world.cast.unit_a)
    response = world.client_for(world.cast.bob).get("/portal/ledger/?event_type=login")
    assert b"event_type=login&amp;before=" in response.content


def test_seal_state_is_shown(world: PortalWorld) -> None:
    pending = ledger_append(event_type=EventType.LOGIN, actor="carol").id
    response = world.client_for(world.cast.carol).get("/portal/ledger/")
    text = response.content.decode()
    assert text.count(">published</span>") == len(every_id(world))
    (own_login,) = world.client_logins  # carol's login is pending too
    assert text.count(">pending</span>") == 2
    assert f'href="/portal/ledger/{own_login}/"' in text
    record = world.client_for(world.cast.carol).get(f"/portal/ledger/{pending}/")
    assert b"Download inclusion proof" not in record.content
    assert (
        world.client_for(world.cast.carol).get(f"/portal/ledger/{pending}/proof.json").status_code
        == 404
    )


def test_record_page_shows_hash_and_details_escaped(world: PortalWorld) -> None:
    record = ledger_append(
        event_type=EventType.APPROVAL,
        actor=world.cast.carol,
        business_unit=world.cast.unit_a,
        details={"reason": "<script>alert(1)</script>"},
    )
    seal_pending()
    response = world.client_for(world.cast.bob).get(f"/portal/ledger/{record.id}/")
    assert response.status_code == 200
    assert record.content_sha256.encode() in response.content
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_downloaded_proof_verifies_offline(world: PortalWorld) -> None:
    rid = world.records_a[2]
    response = world.client_for(world.cast.bob).get(f"/portal/ledger/{rid}/proof.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    proof = json.loads(response.content)
    verify_inclusion_proof(proof, ensure_signing_key().public_key())
    assert proof["record"]["output_sha256"] == LedgerRecord.objects.get(id=rid).output_sha256


def test_unknown_record_is_404(world: PortalWorld) -> None:
    client: Client = world.client_for(world.cast.carol)
    assert client.get("/portal/ledger/999999999/").status_code == 404
