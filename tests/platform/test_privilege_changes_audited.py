"""Changes of a user's Django privileges (the staff, superuser and active flags, groups and
direct permissions) are configuration changes in the ledger, whichever code makes them:
here plain model saves and related-manager calls, as a shell would make them, and the
Django admin's user form. Records carry the user's id and username and the flag, group
names or permission codenames, and say whether the actor is known."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from audit.models import EventType, LedgerRecord
from audit.sealer import seal_pending
from audit.verification import verify_ledger
from clipguard.accounts.models import User
from clipguard.accounts.services import acting_as
from tests.conftest import Cast
from tests.factories import UserFactory


def _last_id() -> int:
    return LedgerRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _records_after(before: int) -> list[LedgerRecord]:
    records = list(LedgerRecord.objects.filter(id__gt=before).order_by("id"))
    assert {r.event_type for r in records} <= {EventType.CONFIG_CHANGE}
    return records


def _unattributed(record: LedgerRecord, user: User, **details: Any) -> None:
    assert (record.actor, record.actor_id, record.business_unit_id) == ("", None, None)
    assert record.details == {
        "user_id": user.pk,
        "username": user.username,
        "actor_known": False,
        **details,
    }


@pytest.fixture
def reviewers(db: None) -> Group:
    return Group.objects.create(name="reviewers")


def test_flipping_the_staff_and_superuser_flags_is_recorded(cast: Cast) -> None:
    bob = cast.bob
    before = _last_id()
    bob.is_staff = True
    bob.save()
    (staff,) = _records_after(before)
    _unattributed(staff, bob, action="user_flags_change", is_staff={"from": False, "to": True})

    before = _last_id()
    bob.is_superuser = True
    bob.save(update_fields=["is_superuser"])
    (superuser,) = _records_after(before)
    _unattributed(
        superuser, bob, action="user_flags_change", is_superuser={"from": False, "to": True}
    )

    before = _last_id()
    bob.is_staff, bob.is_superuser, bob.is_active = False, False, False
    bob.save()
    (dropped,) = _records_after(before)
    _unattributed(
        dropped,
        bob,
        action="user_flags_change",
        is_active={"from": True, "to": False},
        is_staff={"from": True, "to": False},
        is_superuser={"from": True, "to": False},
    )


def test_saving_a_user_without_privilege_changes_records_nothing(cast: Cast) -> None:
    before = _last_id()
    cast.bob.first_name = "Robert"
    cast.bob.save()
    cast.bob.save(update_fields=["last_login"])
    # A flag set on the instance but not saved (not in update_fields) changed nothing.
    cast.bob.is_staff = True
    cast.bob.save(update_fields=["first_name"])
    User.objects.get(pk=cast.bob.pk).save()
    assert _records_after(before) == []


def test_a_user_created_with_privileges_is_recorded_once(db: None) -> None:
    before = _last_id()
    plain = User.objects.create_user(username="plain", password="x")
    assert _records_after(before) == []  # active and unprivileged: the defaults

    before = _last_id()
    admin = User.objects.create_superuser(username="boss", password="x")
    (created,) = _records_after(before)
    _unattributed(
        created,
        admin,
        action="user_flags_change",
        is_staff={"from": False, "to": True},
        is_superuser={"from": False, "to": True},
    )
    assert plain.pk != admin.pk


def test_adding_and_removing_a_group_is_recorded(cast: Cast, reviewers: Group) -> None:
    bob = cast.bob
    before = _last_id()
    bob.groups.add(reviewers)
    (added,) = _records_after(before)
    _unattributed(added, bob, action="user_groups_change", added=["reviewers"], removed=[])

    before = _last_id()
    bob.groups.add(reviewers)  # already a member: nothing changes
    bob.groups.remove(Group.objects.create(name="never-joined"))
    assert _records_after(before) == []

    before = _last_id()
    bob.groups.remove(reviewers)
    (removed,) = _records_after(before)
    _unattributed(removed, bob, action="user_groups_change", added=[], removed=["reviewers"])


def test_group_changes_from_the_groups_side_and_clears_are_recorded_per_user(
    cast: Cast, reviewers: Group
) -> None:
    before = _last_id()
    reviewers.user_set.add(cast.alice, cast.bob)
    added = _records_after(before)
    assert [(r.details["user_id"], r.details["added"]) for r in added] == [
        (cast.alice.pk, ["reviewers"]),
        (cast.bob.pk, ["reviewers"]),
    ]

    before = _last_id()
    reviewers.user_set.clear()
    cleared = _records_after(before)
    assert [(r.details["username"], r.details["removed"]) for r in cleared] == [
        ("alice", ["reviewers"]),
        ("bob", ["reviewers"]),
    ]

    before = _last_id()
    cast.bob.groups.clear()  # no groups left: nothing to record
    assert _records_after(before) == []


def test_deleting_a_group_or_a_permission_records_what_its_holders_lose(
    cast: Cast, reviewers: Group
) -> None:
    reviewers.user_set.add(cast.alice, cast.bob)
    before = _last_id()
    reviewers.delete()
    lost = _records_after(before)
    assert [(r.details["username"], r.details["removed"]) for r in lost] == [
        ("alice", ["reviewers"]),
        ("bob", ["reviewers"]),
    ]
    _unattributed(lost[1], cast.bob, action="user_groups_change", added=[], removed=["reviewers"])

    before = _last_id()
    Group.objects.create(name="empty").delete()  # nobody held it: nothing to record
    assert _records_after(before) == []

    Group.objects.create(name="auditors").user_set.add(cast.alice)
    before = _last_id()
    Group.objects.filter(name="auditors").delete()  # a queryset delete, as the admin's action
    (bulk,) = _records_after(before)
    assert (bulk.details["username"], bulk.details["removed"]) == ("alice", ["auditors"])

    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_apikey")
    cast.bob.user_permissions.add(permission)
    before = _last_id()
    permission.delete()
    (taken,) = _records_after(before)
    _unattributed(
        taken, cast.bob, action="user_permissions_change", added=[], removed=["accounts.add_apikey"]
    )


def test_adding_a_permission_is_recorded_by_codename(cast: Cast) -> None:
    bob = cast.bob
    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_apikey")
    before = _last_id()
    bob.user_permissions.add(permission)
    (added,) = _records_after(before)
    _unattributed(
        added, bob, action="user_permissions_change", added=["accounts.add_apikey"], removed=[]
    )

    before = _last_id()
    bob.user_permissions.set([])
    (removed,) = _records_after(before)
    assert removed.details["removed"] == ["accounts.add_apikey"]


def test_a_known_actor_is_recorded(cast: Cast, reviewers: Group) -> None:
    before = _last_id()
    with acting_as(cast.root):
        cast.bob.is_staff = True
        cast.bob.save()
        cast.bob.groups.add(reviewers)
    records = _records_after(before)
    assert [r.details["action"] for r in records] == ["user_flags_change", "user_groups_change"]
    for record in records:
        assert (record.actor, record.actor_id) == ("root", cast.root.pk)
        assert record.details["actor_known"] is True


def test_the_admin_user_form_records_flags_groups_and_permissions_by_its_user(
    cast: Cast, reviewers: Group
) -> None:
    admin = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    bob = cast.bob
    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_apikey")
    form = {
        "username": bob.username,
        "email": bob.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(reviewers.pk)],
        "user_permissions": [str(permission.pk)],
        "platform_role": bob.platform_role,
        "date_joined_0": bob.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": bob.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    url = f"/admin/accounts/user/{bob.pk}/change/"
    before = _last_id()
    # Bob's unit A membership is not in the posted inline, so it stays as it is.
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    records = _records_after(before)
    assert sorted(r.details["action"] for r in records) == [
        "user_flags_change",
        "user_groups_change",
        "user_permissions_change",
    ]
    assert {(r.actor, r.actor_id, r.details["actor_known"]) for r in records} == {
        ("admin", admin.pk, True)
    }

    before = _last_id()
    response = client.post(url, form)  # the same form again: nothing changes
    assert response.status_code == 302
    assert _records_after(before) == []


def test_the_chain_still_verifies(
    cast: Cast, reviewers: Group, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    cast.bob.is_staff = True
    cast.bob.save()
    cast.bob.groups.add(reviewers)
    cast.bob.groups.remove(reviewers)
    assert seal_pending() > 0
    report = verify_ledger()
    assert report.ok, report.summary()
