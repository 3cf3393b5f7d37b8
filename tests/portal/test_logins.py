"""Portal logins in the ledger: under the user's business unit(s), seen by that unit only.

bob (unit A), charlie (unit B) and dave (a member of both) log in through the login
page; carol (compliance officer) and root (platform admin) log in with no unit, even
when they also hold a unit membership.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client

from audit.models import EventType, LedgerRecord
from clipguard.accounts.models import User
from tests.factories import MembershipFactory
from tests.portal.conftest import PASSWORD, PortalWorld, visible_ids


def log_in(username: str) -> list[LedgerRecord]:
    """Log in through the portal's login page; the login records it wrote, by id."""
    before = LedgerRecord.objects.filter(event_type=EventType.LOGIN).count()
    response = Client().post("/portal/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    records = list(LedgerRecord.objects.filter(event_type=EventType.LOGIN).order_by("id"))
    return records[before:]


def test_a_unit_users_login_is_recorded_under_their_unit(world: PortalWorld) -> None:
    (record,) = log_in("bob")
    assert record.actor == "bob"
    assert record.actor_id == world.cast.bob.pk
    assert record.business_unit_id == world.cast.unit_a.pk
    assert record.business_unit == world.cast.unit_a.name
    assert record.request_id
    assert record.details == {
        "channel": "portal",
        "outcome": "succeeded",
        "platform_role": "none",
        "unit_role": "member",
    }


def test_a_user_of_two_units_gets_one_record_per_unit_sharing_the_login_id(
    world: PortalWorld, dave: User
) -> None:
    records = log_in("dave")
    assert [(r.business_unit_id, r.details["unit_role"]) for r in records] == [
        (world.cast.unit_a.pk, "member"),
        (world.cast.unit_b.pk, "bu_admin"),
    ]
    assert {r.actor for r in records} == {"dave"}
    assert len({r.request_id for r in records}) == 1
    # Neither record says anything about the other unit.
    for record in records:
        assert set(record.details) == {"channel", "outcome", "platform_role", "unit_role"}
    assert len({r.request_id for r in log_in("dave")} | {records[0].request_id}) == 2


@pytest.mark.parametrize(
    ("username", "role"), [("carol", "compliance_officer"), ("root", "platform_admin")]
)
def test_platform_wide_users_log_in_without_a_unit(
    world: PortalWorld, username: str, role: str
) -> None:
    user = User.objects.get(username=username)
    MembershipFactory.create(user=user, business_unit=world.cast.unit_a)
    (record,) = log_in(username)
    assert record.business_unit_id is None
    assert record.business_unit == ""
    assert record.details == {"channel": "portal", "outcome": "succeeded", "platform_role": role}


def test_a_failed_portal_login_is_recorded_once_without_the_username(world: PortalWorld) -> None:
    before = LedgerRecord.objects.count()
    for username in ("bob", "bob", "no-such-user"):
        response = Client().post("/portal/login/", {"username": username, "password": "wrong"})
        assert response.status_code == 200
    records = list(LedgerRecord.objects.order_by("id"))[before:]
    assert [r.event_type for r in records] == [EventType.LOGIN] * 3
    for record in records:
        assert (record.actor, record.actor_id) == ("anonymous", None)
        assert (record.business_unit_id, record.business_unit) == (None, "")
        assert set(record.details) == {"channel", "outcome", "username_hmac"}
        assert record.details["channel"] == "portal"
        assert record.details["outcome"] == "failed"
        assert len(record.details["username_hmac"]) == 64
        assert "bob" not in json.dumps(record.details)
        assert "no-such-user" not in json.dumps(record.details)
    # The same name gives the same keyed hash; another name another.
    hmacs = [r.details["username_hmac"] for r in records]
    assert hmacs[0] == hmacs[1] != hmacs[2]
    assert hashlib.sha256(b"bob").hexdigest() not in hmacs
    # Seen by platform-wide users only.
    alice_page = world.client_for(world.cast.alice).get("/portal/ledger/?event_type=login")
    assert visible_ids(alice_page.content, [r.id for r in records]) == set()
    carol_page = world.client_for(world.cast.carol).get("/portal/ledger/?event_type=login")
    assert visible_ids(carol_page.content, [r.id for r in records]) == {r.id for r in records}


def test_each_unit_sees_its_own_users_logins_and_never_another_units(
    world: PortalWorld, dave: User
) -> None:
    (bob,) = log_in("bob")
    (charlie,) = log_in("charlie")
    dave_a, dave_b = log_in("dave")
    (carol,) = log_in("carol")
    every = [bob.id, charlie.id, dave_a.id, dave_b.id, carol.id]

    alice = world.client_for(world.cast.alice)
    seen_by_alice = visible_ids(alice.get("/portal/ledger/?event_type=login").content, every)
    assert seen_by_alice == {bob.id, dave_a.id}
    for hidden in (charlie.id, dave_b.id, carol.id):
        assert alice.get(f"/portal/ledger/{hidden}/").status_code == 404
    unit_b_query = f"/portal/ledger/?event_type=login&actor=dave&unit={world.cast.unit_b.pk}"
    assert visible_ids(alice.get(unit_b_query).content, [charlie.id, dave_b.id]) == set()

    charlie_client = world.client_for(world.cast.charlie)
    page = charlie_client.get("/portal/ledger/?event_type=login").content
    assert visible_ids(page, every) == {charlie.id, dave_b.id}
    assert charlie_client.get(f"/portal/ledger/{bob.id}/").status_code == 404
    export = charlie_client.get("/portal/ledger/export.jsonl?event_type=login")
    lines = b"".join(export.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    # The export holds unit B's logins: those above, and the one that signed this client in.
    client_login = LedgerRecord.objects.get(
        event_type=EventType.LOGIN, actor="charlie", details__channel="other"
    )
    assert client_login.business_unit_id == world.cast.unit_b.pk
    assert {json.loads(line)["id"] for line in lines} == {charlie.id, dave_b.id, client_login.id}

    carol_page = world.client_for(world.cast.carol).get("/portal/ledger/?event_type=login")
    assert visible_ids(carol_page.content, every) == set(every)
