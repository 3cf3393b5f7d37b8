"""Every Django login is audited once, whichever view performs it, with the portal's rules.

The portal's own login page is covered in ``tests/portal/test_logins.py``; here the admin's
login page, a login through ``django.contrib.auth.login`` anywhere else, and the channel
of a DRF browsable-API login.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import login
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import ResolverMatch

from audit.models import EventType
from clipguard.accounts.models import UnitRole, User
from clipguard.accounts.signals import login_channel
from tests.conftest import Cast
from tests.factories import MembershipFactory
from tests.ledger import last_record_id, records_after

PASSWORD = "correct horse battery staple"


def _with_password(user: User, *, staff: bool = True) -> User:
    user.set_password(PASSWORD)
    user.is_staff = staff
    user.save(update_fields=["password", "is_staff"])
    return user


def _admin_login(username: str, password: str = PASSWORD) -> int:
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )
    return response.status_code


def test_an_admin_login_of_a_unit_user_is_recorded_once_per_unit(cast: Cast) -> None:
    alice = _with_password(cast.alice)
    MembershipFactory.create(user=alice, business_unit=cast.unit_b, role=UnitRole.MEMBER)
    before = last_record_id()
    assert _admin_login("alice") == 302
    records = records_after(before)
    assert [(r.event_type, r.business_unit_id, r.details["unit_role"]) for r in records] == [
        (EventType.LOGIN, cast.unit_a.pk, "bu_admin"),
        (EventType.LOGIN, cast.unit_b.pk, "member"),
    ]
    for record in records:
        assert (record.actor, record.actor_id) == ("alice", alice.pk)
        assert record.details["channel"] == "admin"
        assert record.details["outcome"] == "succeeded"
    assert len({r.request_id for r in records}) == 1


def test_an_admin_login_of_a_platform_admin_has_no_unit(cast: Cast) -> None:
    root = _with_password(cast.root)
    MembershipFactory.create(user=root, business_unit=cast.unit_a)
    before = last_record_id()
    assert _admin_login("root") == 302
    (record,) = records_after(before, EventType.LOGIN)
    assert (record.actor, record.business_unit_id, record.business_unit) == ("root", None, "")
    assert record.details == {
        "channel": "admin",
        "outcome": "succeeded",
        "platform_role": "platform_admin",
    }


def test_a_failed_admin_login_is_recorded_without_the_username(cast: Cast) -> None:
    _with_password(cast.root)
    before = last_record_id()
    assert _admin_login("root", password="not the password") == 200
    (record,) = records_after(before, EventType.LOGIN)
    assert (record.actor, record.actor_id, record.business_unit_id) == ("anonymous", None, None)
    assert record.details["channel"] == "admin"
    assert record.details["outcome"] == "failed"
    assert "root" not in json.dumps(record.details)
    assert "root" not in record.request_id


def test_a_login_anywhere_else_is_recorded_once(cast: Cast) -> None:
    """Any view that calls django.contrib.auth.login (here a bare request, as a login from
    middleware would be) is recorded, once, on the channel "other"."""
    request = RequestFactory().post("/somewhere/")
    request.session = SessionStore()
    before = last_record_id()
    login(request, cast.bob, backend="django.contrib.auth.backends.ModelBackend")
    (record,) = records_after(before, EventType.LOGIN)
    assert (record.actor, record.business_unit_id) == ("bob", cast.unit_a.pk)
    assert record.details == {
        "channel": "other",
        "outcome": "succeeded",
        "platform_role": "none",
        "unit_role": "member",
    }


def test_a_password_login_through_the_test_client_is_recorded_once(cast: Cast) -> None:
    _with_password(cast.charlie, staff=False)
    before = last_record_id()
    assert Client().login(username="charlie", password=PASSWORD)
    (record,) = records_after(before, EventType.LOGIN)
    assert (record.actor, record.business_unit_id) == ("charlie", cast.unit_b.pk)
    assert not Client().login(username="charlie", password="wrong")
    (failed,) = records_after(record.id, EventType.LOGIN)
    assert failed.details["outcome"] == "failed"


@pytest.mark.parametrize(
    ("namespaces", "channel"),
    [
        (["portal"], "portal"),
        (["admin"], "admin"),
        (["rest_framework"], "api_session"),
        ([], "other"),
    ],
)
def test_the_channel_is_the_login_views_namespace(namespaces: list[str], channel: str) -> None:
    request = RequestFactory().post("/login/")
    names: list[str | None] = list(namespaces)
    request.resolver_match = ResolverMatch(
        lambda r: None, (), {}, app_names=names, namespaces=names
    )
    assert login_channel(request) == channel
    assert login_channel(None) == "other"
