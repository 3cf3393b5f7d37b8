"""Changes of a user's privileges (the staff, superuser and active flags, the platform
role, groups and direct permissions) are configuration changes in the ledger, whichever
code makes them: here plain model saves, queryset updates and related-manager calls, as a
shell would make them, and the Django admin's user form. Records carry the user's id and
username and the flag, role, group names or permission codenames, and say whether the
actor is known."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from audit.models import LedgerRecord
from audit.sealer import seal_pending
from audit.verification import verify_ledger
from clipguard.accounts.models import PlatformRole, User
from clipguard.accounts.services import acting_as
from tests.conftest import Cast
from tests.factories import UserFactory
from tests.ledger import config_changes_after, last_record_id


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
    before = last_record_id()
    bob.is_staff = True
    bob.save()
    (staff,) = config_changes_after(before)
    _unattributed(staff, bob, action="user_flags_change", is_staff={"from": False, "to": True})

    before = last_record_id()
    bob.is_superuser = True
    bob.save(update_fields=["is_superuser"])
    (superuser,) = config_changes_after(before)
    _unattributed(
        superuser, bob, action="user_flags_change", is_superuser={"from": False, "to": True}
    )

    before = last_record_id()
    bob.is_staff, bob.is_superuser, bob.is_active = False, False, False
    bob.save()
    (dropped,) = config_changes_after(before)
    _unattributed(
        dropped,
        bob,
        action="user_flags_change",
        is_active={"from": True, "to": False},
        is_staff={"from": True, "to": False},
        is_superuser={"from": True, "to": False},
    )


def test_saving_a_user_without_privilege_changes_records_nothing(cast: Cast) -> None:
    before = last_record_id()
    cast.bob.first_name = "Robert"
    cast.bob.save()
    cast.bob.save(update_fields=["last_login"])
    # A flag set on the instance but not saved (not in update_fields) changed nothing.
    cast.bob.is_staff = True
    cast.bob.save(update_fields=["first_name"])
    User.objects.get(pk=cast.bob.pk).save()
    assert config_changes_after(before) == []


def test_a_user_created_with_privileges_is_recorded_once(db: None) -> None:
    before = last_record_id()
    plain = User.objects.create_user(username="plain", password="x")
    assert config_changes_after(before) == []  # active and unprivileged: the defaults

    before = last_record_id()
    admin = User.objects.create_superuser(username="boss", password="x")
    (created,) = config_changes_after(before)
    _unattributed(
        created,
        admin,
        action="user_flags_change",
        is_staff={"from": False, "to": True},
        is_superuser={"from": False, "to": True},
    )
    assert plain.pk != admin.pk


def test_a_platform_role_saved_on_the_user_is_recorded(cast: Cast) -> None:
    """Not through the service (a shell, a script): still a platform role change, with
    no known actor; setting the role it already has records nothing."""
    bob = cast.bob
    before = last_record_id()
    bob.platform_role = PlatformRole.COMPLIANCE_OFFICER
    bob.save()
    (granted,) = config_changes_after(before)
    _unattributed(
        granted,
        bob,
        action="platform_role_change",
        platform_role={"from": "none", "to": "compliance_officer"},
    )

    before = last_record_id()
    bob.save()
    assert config_changes_after(before) == []

    before = last_record_id()
    officer = User.objects.create_user(
        username="officer", password="x", platform_role=PlatformRole.PLATFORM_ADMIN
    )
    (created,) = config_changes_after(before)
    assert created.details["platform_role"] == {"from": "none", "to": "platform_admin"}
    assert created.details["user_id"] == officer.pk


def test_queryset_updates_of_privileges_are_recorded_per_user(cast: Cast) -> None:
    """``update()`` sends no model signals; the user queryset records each user whose
    privileges it changed, and only those."""
    UserFactory.create(username="dora", is_staff=True)
    before = last_record_id()
    count = User.objects.filter(username__in=["bob", "charlie", "dora"]).update(is_staff=True)
    assert count == 3
    changed = config_changes_after(before)
    assert [(r.details["username"], r.details["is_staff"]) for r in changed] == [
        ("bob", {"from": False, "to": True}),
        ("charlie", {"from": False, "to": True}),
    ]
    for record in changed:
        assert (record.details["action"], record.details["actor_known"]) == (
            "user_flags_change",
            False,
        )

    # Filtering on the very field being changed still reads the users before the update.
    before = last_record_id()
    User.objects.filter(is_staff=True, username__in=["bob", "dora"]).update(
        is_staff=False, is_active=False, platform_role=PlatformRole.PLATFORM_ADMIN
    )
    records = config_changes_after(before)
    assert sorted((r.details["username"], r.details["action"]) for r in records) == [
        ("bob", "platform_role_change"),
        ("bob", "user_flags_change"),
        ("dora", "platform_role_change"),
        ("dora", "user_flags_change"),
    ]
    flags = next(r for r in records if r.details["action"] == "user_flags_change")
    assert flags.details["is_active"] == {"from": True, "to": False}

    # Fields that grant nothing are not privilege changes.
    before = last_record_id()
    User.objects.filter(username="bob").update(first_name="Robert")
    assert config_changes_after(before) == []


def test_bulk_updates_of_privileges_are_recorded_with_a_known_actor(cast: Cast) -> None:
    bob, charlie = User.objects.filter(username__in=["bob", "charlie"]).order_by("username")
    bob.is_superuser = True
    charlie.first_name = "Charles"  # changes no privilege
    before = last_record_id()
    with acting_as(cast.root):
        User.objects.bulk_update([bob, charlie], ["is_superuser", "first_name"])
    (record,) = config_changes_after(before)
    assert (record.actor, record.details["username"], record.details["actor_known"]) == (
        "root",
        "bob",
        True,
    )
    assert record.details["is_superuser"] == {"from": False, "to": True}
    assert User.objects.get(pk=charlie.pk).first_name == "Charles"

    before = last_record_id()
    User.objects.bulk_update([charlie], ["first_name"])
    assert config_changes_after(before) == []


def test_a_failed_queryset_update_records_nothing(cast: Cast) -> None:
    """The records are written in the update's transaction: when it is rolled back, so
    are they."""
    before = last_record_id()

    def update_then_fail() -> None:
        with transaction.atomic():
            User.objects.filter(username="bob").update(is_staff=True)
            raise RuntimeError("the caller's transaction fails after the update")

    with pytest.raises(RuntimeError):
        update_then_fail()
    assert config_changes_after(before) == []
    assert not User.objects.get(username="bob").is_staff


def test_adding_and_removing_a_group_is_recorded(cast: Cast, reviewers: Group) -> None:
    bob = cast.bob
    before = last_record_id()
    bob.groups.add(reviewers)
    (added,) = config_changes_after(before)
    _unattributed(added, bob, action="user_groups_change", added=["reviewers"], removed=[])

    before = last_record_id()
    bob.groups.add(reviewers)  # already a member: nothing changes
    bob.groups.remove(Group.objects.create(name="never-joined"))
    assert config_changes_after(before) == []

    before = last_record_id()
    bob.groups.remove(reviewers)
    (removed,) = config_changes_after(before)
    _unattributed(removed, bob, action="user_groups_change", added=[], removed=["reviewers"])


def test_group_changes_from_the_groups_side_and_clears_are_recorded_per_user(
    cast: Cast, reviewers: Group
) -> None:
    before = last_record_id()
    reviewers.user_set.add(cast.alice, cast.bob)
    added = config_changes_after(before)
    assert [(r.details["user_id"], r.details["added"]) for r in added] == [
        (cast.alice.pk, ["reviewers"]),
        (cast.bob.pk, ["reviewers"]),
    ]

    before = last_record_id()
    reviewers.user_set.clear()
    cleared = config_changes_after(before)
    assert [(r.details["username"], r.details["removed"]) for r in cleared] == [
        ("alice", ["reviewers"]),
        ("bob", ["reviewers"]),
    ]

    before = last_record_id()
    cast.bob.groups.clear()  # no groups left: nothing to record
    assert config_changes_after(before) == []


def test_deleting_a_group_or_a_permission_records_what_its_holders_lose(
    cast: Cast, reviewers: Group
) -> None:
    reviewers.user_set.add(cast.alice, cast.bob)
    before = last_record_id()
    reviewers.delete()
    lost = config_changes_after(before)
    assert [(r.details["username"], r.details["removed"]) for r in lost] == [
        ("alice", ["reviewers"]),
        ("bob", ["reviewers"]),
    ]
    _unattributed(lost[1], cast.bob, action="user_groups_change", added=[], removed=["reviewers"])

    before = last_record_id()
    Group.objects.create(name="empty").delete()  # nobody held it: nothing to record
    assert config_changes_after(before) == []

    Group.objects.create(name="auditors").user_set.add(cast.alice)
    before = last_record_id()
    Group.objects.filter(name="auditors").delete()  # a queryset delete, as the admin's action
    (bulk,) = config_changes_after(before)
    assert (bulk.details["username"], bulk.details["removed"]) == ("alice", ["auditors"])

    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_apikey")
    cast.bob.user_permissions.add(permission)
    before = last_record_id()
    permission.delete()
    (taken,) = config_changes_after(before)
    _unattributed(
        taken, cast.bob, action="user_permissions_change", added=[], removed=["accounts.add_apikey"]
    )


def test_adding_a_permission_is_recorded_by_codename(cast: Cast) -> None:
    bob = cast.bob
    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_apikey")
    before = last_record_id()
    bob.user_permissions.add(permission)
    (added,) = config_changes_after(before)
    _unattributed(
        added, bob, action="user_permissions_change", added=["accounts.add_apikey"], removed=[]
    )

    before = last_record_id()
    bob.user_permissions.set([])
    (removed,) = config_changes_after(before)
    assert removed.details["removed"] == ["accounts.add_apikey"]


def test_a_known_actor_is_recorded(cast: Cast, reviewers: Group) -> None:
    before = last_record_id()
    with acting_as(cast.root):
        cast.bob.is_staff = True
        cast.bob.save()
        cast.bob.groups.add(reviewers)
    records = config_changes_after(before)
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
    before = last_record_id()
    # Bob's unit A membership is not in the posted inline, so it stays as it is.
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    records = config_changes_after(before)
    assert sorted(r.details["action"] for r in records) == [
        "user_flags_change",
        "user_groups_change",
        "user_permissions_change",
    ]
    assert {(r.actor, r.actor_id, r.details["actor_known"]) for r in records} == {
        ("admin", admin.pk, True)
    }

    before = last_record_id()
    response = client.post(url, form)  # the same form again: nothing changes
    assert response.status_code == 302
    assert config_changes_after(before) == []


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
