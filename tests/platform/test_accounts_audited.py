"""Changes of who may do what are configuration changes in the ledger, in the same
transaction: unit roles granted, changed and removed, platform roles changed, API keys
created and revoked; through the services and through the Django admin alike. Records
hold ids, usernames and role names, never a key, its prefix or its hash."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from audit.models import LedgerRecord
from clipguard.accounts.models import ApiKey, Membership, PlatformRole, UnitRole, User
from clipguard.accounts.services import (
    api_key_create,
    api_key_revoke,
    membership_grant,
    membership_remove,
    user_platform_role_set,
)
from tests.conftest import Cast
from tests.factories import BusinessUnitFactory, MembershipFactory, UserFactory
from tests.ledger import config_changes_after, last_record_id


def _assert_no_key_material(records: list[LedgerRecord], key: ApiKey, raw: str) -> None:
    for record in records:
        text = repr(record.hashed_fields())
        for secret in (raw, raw[3:], key.prefix, key.prefix[3:], key.key_sha256):
            assert secret not in text


# --- memberships ----------------------------------------------------------------------


def test_granting_changing_and_removing_a_unit_role_is_recorded_under_the_unit(
    cast: Cast,
) -> None:
    before = last_record_id()
    membership = membership_grant(
        actor=cast.alice, user=cast.charlie, business_unit=cast.unit_a, role=UnitRole.MEMBER
    )
    (granted,) = config_changes_after(before)
    assert (granted.actor, granted.actor_id) == ("alice", cast.alice.pk)
    assert (granted.business_unit_id, granted.business_unit) == (cast.unit_a.pk, "Retail")
    assert granted.details == {
        "action": "membership_grant",
        "membership_id": membership.pk,
        "user_id": cast.charlie.pk,
        "username": "charlie",
        "role": "member",
    }

    before = last_record_id()
    membership_grant(
        actor=cast.alice, user=cast.charlie, business_unit=cast.unit_a, role=UnitRole.MEMBER
    )
    assert config_changes_after(before) == []  # the role the user already holds: nothing changed

    membership_grant(
        actor=cast.root, user=cast.charlie, business_unit=cast.unit_a, role=UnitRole.ADMIN
    )
    (changed,) = config_changes_after(before)
    assert (changed.actor, changed.business_unit_id) == ("root", cast.unit_a.pk)
    assert changed.details == {
        "action": "membership_role_change",
        "membership_id": membership.pk,
        "user_id": cast.charlie.pk,
        "username": "charlie",
        "role": {"from": "member", "to": "bu_admin"},
    }
    assert Membership.objects.get(pk=membership.pk).role == UnitRole.ADMIN

    before = last_record_id()
    membership_remove(actor=cast.root, membership=membership)
    (removed,) = config_changes_after(before)
    assert removed.business_unit_id == cast.unit_a.pk
    assert removed.details == {
        "action": "membership_remove",
        "membership_id": membership.pk,
        "user_id": cast.charlie.pk,
        "username": "charlie",
        "role": "bu_admin",
    }
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_change_that_rolls_back_leaves_no_record(cast: Cast) -> None:
    def grant_then_fail() -> None:
        with transaction.atomic():
            membership_grant(
                actor=cast.root, user=cast.bob, business_unit=cast.unit_b, role=UnitRole.MEMBER
            )
            api_key_create(actor=cast.root, user=cast.bob, name="laptop")
            raise RuntimeError("the caller's transaction fails")

    before = last_record_id()
    with pytest.raises(RuntimeError):
        grant_then_fail()
    assert config_changes_after(before) == []
    assert not Membership.objects.filter(user=cast.bob, business_unit=cast.unit_b).exists()
    assert not ApiKey.objects.filter(user=cast.bob).exists()


# --- platform roles -------------------------------------------------------------------


def test_a_platform_role_change_is_recorded_without_a_unit(cast: Cast) -> None:
    before = last_record_id()
    user_platform_role_set(
        actor=cast.root, user=cast.bob, platform_role=PlatformRole.COMPLIANCE_OFFICER
    )
    (record,) = config_changes_after(before)
    assert (record.actor, record.business_unit_id, record.business_unit) == ("root", None, "")
    assert record.details == {
        "action": "platform_role_change",
        "user_id": cast.bob.pk,
        "username": "bob",
        "platform_role": {"from": "none", "to": "compliance_officer"},
    }
    assert User.objects.get(pk=cast.bob.pk).is_compliance_officer

    before = last_record_id()
    user_platform_role_set(
        actor=cast.root, user=cast.bob, platform_role=PlatformRole.COMPLIANCE_OFFICER
    )
    assert config_changes_after(before) == []
    user_platform_role_set(
        actor=cast.root, user=cast.bob, platform_role=PlatformRole.NONE, is_superuser=True
    )
    (record,) = config_changes_after(before)
    assert record.details == {
        "action": "platform_role_change",
        "user_id": cast.bob.pk,
        "username": "bob",
        "platform_role": {"from": "compliance_officer", "to": "none"},
        "is_superuser": {"from": False, "to": True},
    }


# --- API keys -------------------------------------------------------------------------


def test_creating_and_revoking_a_key_is_recorded_under_each_unit_of_its_user(
    cast: Cast,
) -> None:
    MembershipFactory.create(user=cast.bob, business_unit=cast.unit_b, role=UnitRole.MEMBER)
    before = last_record_id()
    key, raw = api_key_create(actor=cast.alice, user=cast.bob, name="bob's laptop")
    created = config_changes_after(before)
    assert [r.business_unit_id for r in created] == [cast.unit_a.pk, cast.unit_b.pk]
    assert len({r.request_id for r in created}) == 1
    for record in created:
        assert (record.actor, record.actor_id) == ("alice", cast.alice.pk)
        assert record.details == {
            "action": "api_key_create",
            "api_key_id": key.pk,
            "user_id": cast.bob.pk,
            "username": "bob",
        }

    before = last_record_id()
    api_key_revoke(actor=cast.root, key=key)
    revoked = config_changes_after(before)
    assert [r.business_unit_id for r in revoked] == [cast.unit_a.pk, cast.unit_b.pk]
    assert {r.details["action"] for r in revoked} == {"api_key_revoke"}
    assert {r.actor for r in revoked} == {"root"}
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    before = last_record_id()
    api_key_revoke(actor=cast.root, key=key)
    assert config_changes_after(before) == []
    _assert_no_key_material(created + revoked, key, raw)


def test_a_platform_wide_users_key_is_recorded_without_a_unit(cast: Cast) -> None:
    MembershipFactory.create(user=cast.carol, business_unit=cast.unit_a)
    before = last_record_id()
    key, raw = api_key_create(actor=cast.root, user=cast.carol, name="reports")
    (record,) = config_changes_after(before)
    assert (record.business_unit_id, record.details["api_key_id"]) == (None, key.pk)
    _assert_no_key_material([record], key, raw)


def test_api_client_keys_in_tests_are_recorded_too(cast: Cast) -> None:
    """The helper the API tests use creates its keys through the audited service."""
    from tests.conftest import api_client_for

    before = last_record_id()
    api_client_for(cast.alice)
    (record,) = config_changes_after(before)
    assert (record.actor, record.details["action"]) == ("alice", "api_key_create")


# --- the Django admin -----------------------------------------------------------------


@pytest.fixture
def admin_client(cast: Cast) -> Client:
    superuser = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


def _user_form(user: User, memberships: list[Membership], **changes: Any) -> dict[str, Any]:
    """The admin's change form of ``user``, as posted, with its membership inline."""
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "platform_role": user.platform_role,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if user.is_superuser:
        data["is_superuser"] = "on"
    for i, membership in enumerate(memberships):
        data[f"memberships-{i}-id"] = str(membership.pk)
        data[f"memberships-{i}-user"] = str(user.pk)
        data[f"memberships-{i}-business_unit"] = str(membership.business_unit_id)
        data[f"memberships-{i}-role"] = membership.role
    data.update(changes)
    return data


def _post(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_admin_changes_of_a_users_roles_and_memberships_are_recorded(
    cast: Cast, admin_client: Client
) -> None:
    bob = cast.bob
    (in_a,) = Membership.objects.filter(user=bob)
    unit_c = BusinessUnitFactory.create(name="Marketing", slug="marketing")
    in_c = MembershipFactory.create(user=bob, business_unit=unit_c, role=UnitRole.MEMBER)
    url = f"/admin/accounts/user/{bob.pk}/change/"

    before = last_record_id()
    form = _user_form(
        bob,
        [in_a, in_c],
        platform_role="compliance_officer",
        is_superuser="on",
        **{
            "memberships-0-role": "bu_admin",  # unit A: member -> unit admin
            "memberships-1-DELETE": "on",  # unit C: removed
            "memberships-TOTAL_FORMS": "3",
            "memberships-2-business_unit": str(cast.unit_b.pk),  # unit B: granted
            "memberships-2-role": "service_account",
            "memberships-2-user": str(bob.pk),
        },
    )
    _post(admin_client, url, form)
    records = config_changes_after(before)
    summary = sorted(
        (
            r.details["action"],
            r.business_unit_id or 0,
            json.dumps(r.details.get("role"), sort_keys=True),
        )
        for r in records
    )
    assert summary == sorted(
        [
            ("platform_role_change", 0, "null"),
            ("membership_remove", unit_c.pk, '"member"'),
            ("membership_role_change", cast.unit_a.pk, '{"from": "member", "to": "bu_admin"}'),
            ("membership_grant", cast.unit_b.pk, '"service_account"'),
        ]
    )
    assert {r.actor for r in records} == {"admin"}
    (role_change,) = [r for r in records if r.details["action"] == "platform_role_change"]
    assert role_change.details["platform_role"] == {"from": "none", "to": "compliance_officer"}
    assert role_change.details["is_superuser"] == {"from": False, "to": True}
    bob.refresh_from_db()
    assert (bob.platform_role, bob.is_superuser) == ("compliance_officer", True)
    assert sorted(Membership.objects.filter(user=bob).values_list("business_unit_id", "role")) == (
        sorted([(cast.unit_a.pk, "bu_admin"), (cast.unit_b.pk, "service_account")])
    )

    # Saving the form again unchanged records nothing.
    before = last_record_id()
    _post(admin_client, url, _user_form(bob, list(Membership.objects.filter(user=bob))))
    assert config_changes_after(before) == []

    # Moving a membership to another unit is a removal and a grant.
    moved = Membership.objects.get(user=bob, business_unit=cast.unit_b)
    rest = Membership.objects.get(user=bob, business_unit=cast.unit_a)
    before = last_record_id()
    _post(
        admin_client,
        url,
        _user_form(bob, [rest, moved], **{"memberships-1-business_unit": str(unit_c.pk)}),
    )
    moves = config_changes_after(before)
    assert [(r.details["action"], r.business_unit_id) for r in moves] == [
        ("membership_remove", cast.unit_b.pk),
        ("membership_grant", unit_c.pk),
    ]


def test_an_admin_key_is_created_through_the_service_shown_once_and_revoked(
    cast: Cast, admin_client: Client
) -> None:
    before = last_record_id()
    response = admin_client.post(
        "/admin/accounts/apikey/add/", {"user": str(cast.bob.pk), "name": "ci"}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(user=cast.bob, name="ci")
    match = re.search(r"cg_[A-Za-z0-9_-]{20,}", response.content.decode())
    assert match is not None
    raw = match.group(0)
    assert key.matches(raw)
    (created,) = config_changes_after(before)
    assert (created.actor, created.business_unit_id) == ("admin", cast.unit_a.pk)
    assert created.details["action"] == "api_key_create"
    assert created.details["api_key_id"] == key.pk

    # Its user and its revocation cannot be edited in the form; renaming records nothing.
    before = last_record_id()
    _post(
        admin_client,
        f"/admin/accounts/apikey/{key.pk}/change/",
        {"name": "ci-2", "user": str(cast.alice.pk), "revoked_at_0": "2020-01-01"},
    )
    key.refresh_from_db()
    assert (key.name, key.user_id, key.revoked_at) == ("ci-2", cast.bob.pk, None)
    assert config_changes_after(before) == []

    _post(
        admin_client,
        "/admin/accounts/apikey/",
        {"action": "revoke_keys", "_selected_action": [str(key.pk)]},
    )
    (revoked,) = config_changes_after(before)
    assert (revoked.actor, revoked.details["action"]) == ("admin", "api_key_revoke")
    key.refresh_from_db()
    assert key.revoked_at is not None
    _assert_no_key_material([created, revoked], key, raw)
    assert admin_client.post(f"/admin/accounts/apikey/{key.pk}/delete/").status_code == 403


def test_deleting_a_user_in_the_admin_records_what_goes_with_it(
    cast: Cast, admin_client: Client
) -> None:
    key, _ = api_key_create(actor=cast.alice, user=cast.bob, name="laptop")
    bob_id = cast.bob.pk
    before = last_record_id()
    _post(admin_client, f"/admin/accounts/user/{bob_id}/delete/", {"post": "yes"})
    records = config_changes_after(before)
    assert [(r.details["action"], r.business_unit_id) for r in records] == [
        ("api_key_revoke", cast.unit_a.pk),
        ("membership_remove", cast.unit_a.pk),
    ]
    assert records[0].details["api_key_id"] == key.pk
    assert {r.details["user_id"] for r in records} == {bob_id}
    assert not User.objects.filter(pk=bob_id).exists()
