"""Repeated failed password logins lock the username out from that address (django-axes).

After ``AXES_FAILURE_LIMIT`` failures for one username from one client address, that pair
is refused with HTTP 429 and a page saying when to try again, even with the right
password, on the portal's login page and the admin's; other usernames and other addresses
are not. A successful login before the limit starts the count again, the cool-off ends the
lockout, every attempt is still audited as a failed login, and the lockout keeps neither
the username (only its keyed hash) nor the user agent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import aauthenticate
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper
from rest_framework.test import APIClient

from audit.models import EventType, LedgerRecord
from clipguard.accounts.models import User
from clipguard.accounts.services import username_hmac
from tests.conftest import REPO_ROOT, Cast, api_client_for
from tests.ledger import last_record_id, records_after

PASSWORD = "correct horse battery staple"
LIMIT = 3
COOL_OFF = timedelta(minutes=15)
PORTAL_LOGIN = "/portal/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
LOCKED_TEXT = "Too many failed login attempts"


@pytest.fixture
def lockout(settings: SettingsWrapper, cast: Cast) -> Cast:
    """A small limit and a known cool-off; alice, bob and root with a known password."""
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = COOL_OFF
    for user in (cast.alice, cast.bob, cast.root):
        user.set_password(PASSWORD)
        user.is_staff = user is cast.root
        user.save(update_fields=["password", "is_staff"])
    return cast


def _post(url: str, username: str, password: str, **extra: Any) -> Any:
    return Client().post(url, {"username": username, "password": password}, **extra)


def _fail(username: str, times: int, url: str = PORTAL_LOGIN, **extra: Any) -> list[int]:
    return [_post(url, username, "not the password", **extra).status_code for _ in range(times)]


def _assert_locked_page(response: Any) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(COOL_OFF.total_seconds()))
    text = response.content.decode()
    assert LOCKED_TEXT in text
    assert "temporarily locked" in text
    assert "Try again in 15 minutes" in text
    assert "_auth_user_id" not in response.client.session


def test_the_limit_locks_the_portal_login_even_with_the_right_password(lockout: Cast) -> None:
    # The failures before the limit get the login form back; the one that reaches it, and
    # every attempt after it, the lockout page.
    assert _fail("bob", LIMIT - 1) == [200] * (LIMIT - 1)
    _assert_locked_page(_post(PORTAL_LOGIN, "bob", "not the password"))
    _assert_locked_page(_post(PORTAL_LOGIN, "bob", PASSWORD))
    assert Client().get("/portal/").status_code == 302


def test_the_admin_login_is_locked_the_same_way(lockout: Cast) -> None:
    assert _fail("root", LIMIT - 1, url=ADMIN_LOGIN) == [200] * (LIMIT - 1)
    _assert_locked_page(_post(ADMIN_LOGIN, "root", "not the password"))
    _assert_locked_page(_post(ADMIN_LOGIN, "root", PASSWORD))
    # The lockout counts attempts on a username from an address, whichever page they used.
    _assert_locked_page(_post(PORTAL_LOGIN, "root", PASSWORD))


def test_other_usernames_and_other_addresses_are_not_locked(lockout: Cast) -> None:
    _fail("bob", LIMIT)
    _assert_locked_page(_post(PORTAL_LOGIN, "bob", PASSWORD))
    assert _post(PORTAL_LOGIN, "alice", PASSWORD).status_code == 302
    assert _post(PORTAL_LOGIN, "bob", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302
    assert _fail("no-such-user", LIMIT - 1) == [200] * (LIMIT - 1)


def test_a_successful_login_before_the_limit_starts_the_count_again(lockout: Cast) -> None:
    assert _fail("bob", LIMIT - 1) == [200] * (LIMIT - 1)
    assert _post(PORTAL_LOGIN, "bob", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _fail("bob", LIMIT - 1) == [200] * (LIMIT - 1)
    assert _post(PORTAL_LOGIN, "bob", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(lockout: Cast) -> None:
    _fail("bob", LIMIT)
    # An attempt during the lockout starts the wait again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - COOL_OFF + timedelta(minutes=1))
    _assert_locked_page(_post(PORTAL_LOGIN, "bob", PASSWORD))
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.attempt_time > timezone.now() - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - COOL_OFF - timedelta(seconds=1))
    assert _post(PORTAL_LOGIN, "bob", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_every_failed_and_refused_attempt_and_the_lockout_are_audited(lockout: Cast) -> None:
    """Each attempt is a failed login; the one that reaches the limit, and each refused
    one after it, also records the lockout, by its keyed username hash only."""
    before = last_record_id()
    _fail("bob", LIMIT)
    _post(PORTAL_LOGIN, "bob", PASSWORD)  # refused by the lockout: a failed login too
    records = records_after(before, EventType.LOGIN)
    outcomes = [record.details["outcome"] for record in records]
    assert outcomes.count("failed") == LIMIT + 1
    assert outcomes.count("locked_out") == 2
    # No lockout is recorded before the attempt that reaches the limit.
    assert outcomes[: LIMIT - 1] == ["failed"] * (LIMIT - 1)
    for record in records:
        assert (record.actor, record.actor_id, record.business_unit_id) == ("anonymous", None, None)
        assert record.details == {
            "channel": "portal",
            "outcome": record.details["outcome"],
            "username_hmac": username_hmac("bob"),
        }
        assert "bob" not in json.dumps(record.details)


def test_a_lockout_on_the_admin_login_is_audited_with_its_channel(lockout: Cast) -> None:
    before = last_record_id()
    _fail("root", LIMIT, ADMIN_LOGIN)
    locked = LedgerRecord.objects.filter(
        event_type=EventType.LOGIN, id__gt=before, details__outcome="locked_out"
    )
    assert [record.details["channel"] for record in locked] == ["admin"]


def test_the_lockout_keeps_no_username_user_agent_or_access_log(lockout: Cast) -> None:
    _fail("bob", LIMIT - 1, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/128.0")
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == username_hmac("bob")
    assert attempt.ip_address == "127.0.0.1"
    assert attempt.failures_since_start == LIMIT - 1
    assert (attempt.user_agent, attempt.http_accept) == ("", "")
    for field in ("get_data", "post_data", "path_info"):
        value = getattr(attempt, field)
        assert "bob" not in value
        assert "not the password" not in value
        assert "Mozilla" not in value
    assert _post(PORTAL_LOGIN, "bob", PASSWORD).status_code == 302
    assert not AccessLog.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_an_async_authenticate_is_checked_too(lockout: Cast) -> None:
    _fail("bob", LIMIT)
    request = RequestFactory().post(PORTAL_LOGIN, REMOTE_ADDR="127.0.0.1")
    user = async_to_sync(aauthenticate)(request, username="bob", password=PASSWORD)
    assert user is None
    other = RequestFactory().post(PORTAL_LOGIN, REMOTE_ADDR="10.1.2.3")
    user = async_to_sync(aauthenticate)(other, username="bob", password=PASSWORD)
    assert isinstance(user, User)
    assert user.get_username() == "bob"


def test_api_keys_are_not_password_logins(lockout: Cast) -> None:
    """The lockout hooks password authentication only: a locked-out user's API key still
    works from the same address, and bad API keys neither count nor lock anything."""
    _fail("bob", LIMIT)
    client: Any = api_client_for(lockout.bob)
    assert client.get("/api/v1/datasets/").status_code == 200
    attempts = list(AccessAttempt.objects.values_list("pk", "failures_since_start"))
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer cg_not-a-real-key-at-all")
    for _ in range(LIMIT + 1):
        assert bad.get("/api/v1/datasets/").status_code == 401
    assert list(AccessAttempt.objects.values_list("pk", "failures_since_start")) == attempts


def test_the_test_clients_login_still_works(lockout: Cast) -> None:
    """``Client.login`` authenticates without a request: nothing to count it against."""
    assert Client().login(username="alice", password=PASSWORD)
    assert not Client().login(username="alice", password="not the password")
    assert not AccessAttempt.objects.exists()


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    probe = (
        "import clipguard.settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLIPGUARD_LOGIN_", "CLIPGUARD_TRUSTED_PROXIES"))
    }
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_limit_and_cool_off_come_from_the_environment() -> None:
    default = _settings_with()
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["5", "900"]
    custom = _settings_with(CLIPGUARD_LOGIN_FAILURE_LIMIT="8", CLIPGUARD_LOGIN_COOLOFF_MINUTES="60")
    assert custom.returncode == 0, custom.stderr
    assert custom.stdout.split() == ["8", "3600"]
    refused = _settings_with(CLIPGUARD_LOGIN_FAILURE_LIMIT="0")
    assert refused.returncode != 0
    assert "CLIPGUARD_LOGIN_FAILURE_LIMIT" in refused.stderr
    no_proxies = _settings_with(CLIPGUARD_TRUSTED_PROXIES="-1")
    assert no_proxies.returncode != 0
    assert "CLIPGUARD_TRUSTED_PROXIES" in no_proxies.stderr


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no trusted proxy: the header is never read
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client wrote the left one
        (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer hops than proxies: the connection
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    settings: SettingsWrapper, proxies: int, forwarded: str, expected: str
) -> None:
    from clipguard.accounts.lockout import client_address

    settings.CLIPGUARD_TRUSTED_PROXIES = proxies
    request = RequestFactory().post(
        PORTAL_LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


def test_behind_a_trusted_proxy_clients_are_locked_out_one_by_one(
    settings: SettingsWrapper, lockout: Cast
) -> None:
    settings.CLIPGUARD_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail("bob", LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    locked = _post(PORTAL_LOGIN, "bob", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    other = _post(PORTAL_LOGIN, "bob", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302
