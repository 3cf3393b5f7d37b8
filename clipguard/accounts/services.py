"""Writes for users, business units, memberships and API keys, and the audit of logins.

Every change of who may do what (a unit role granted, changed or removed, a platform role
changed, an API key created or revoked) writes a ``config_change`` ledger record in the
same transaction, by an explicit call here: the Django admin goes through these services
too (:mod:`clipguard.accounts.admin`). Records carry ids, usernames and role names only,
never an API key, its prefix or its hash.

Django's own privileges (the staff, superuser and active flags, groups and direct model
permissions) can be changed by any code that saves a user, so they are recorded from
signals instead (:mod:`clipguard.accounts.signals`), and from the user queryset's
``update()`` and ``bulk_update()`` (:class:`clipguard.accounts.models.UserQuerySet`), by
:func:`user_privileges_change_record` and :func:`user_access_change_record`; so is a
platform role changed by saving the user directly. Their actor is the one set with
:func:`acting_as` around the change; without one it is unknown, and the record says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from audit.models import EventType, LedgerRecord
from audit.services import LedgerEntry, ledger_append, ledger_append_many
from clipguard.accounts.models import (
    ApiKey,
    BusinessUnit,
    Membership,
    PlatformRole,
    UnitRole,
    User,
)

# Who made a change: a user, or a system name such as ``"system:demo"``.
Actor = User | str

# The actor of a failed login: nobody is authenticated, and the attempted username is
# personal data (sometimes even a mistyped password), so it is never copied.
FAILED_LOGIN_ACTOR = "anonymous"
_USERNAME_HMAC_SALT = "clipguard.accounts.login_failed.username"


class LoginChannel:
    """How a user logged in (``details.channel`` of a login record)."""

    PORTAL = "portal"
    ADMIN = "admin"
    API_SESSION = "api_session"
    OTHER = "other"


class ConfigAction:
    """``details.action`` of the configuration changes recorded here."""

    MEMBERSHIP_GRANT = "membership_grant"
    MEMBERSHIP_ROLE_CHANGE = "membership_role_change"
    MEMBERSHIP_REMOVE = "membership_remove"
    PLATFORM_ROLE_CHANGE = "platform_role_change"
    API_KEY_CREATE = "api_key_create"
    API_KEY_REVOKE = "api_key_revoke"
    USER_FLAGS_CHANGE = "user_flags_change"
    USER_GROUPS_CHANGE = "user_groups_change"
    USER_PERMISSIONS_CHANGE = "user_permissions_change"


# Who is changing users' privileges in the current context (see acting_as); None: unknown.
_privilege_actor: ContextVar[Actor | None] = ContextVar(
    "clipguard_accounts_privilege_actor", default=None
)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Attribute the privilege changes recorded from signals inside the block to ``actor``.

    Code that saves users on someone's behalf (the Django admin) wraps the save in this;
    a change made anywhere else (a shell, a script) is recorded with no actor and
    ``details.actor_known = false``.
    """
    token = _privilege_actor.set(actor)
    try:
        yield
    finally:
        _privilege_actor.reset(token)


@transaction.atomic
def business_unit_create(*, name: str, slug: str = "") -> BusinessUnit:
    return BusinessUnit.objects.create(name=name, slug=slug or slugify(name))


# --- memberships ----------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *, actor: Actor, user: User, business_unit: BusinessUnit, role: UnitRole
) -> Membership:
    """Give ``user`` ``role`` in ``business_unit``: a new membership, or a role change.

    Audited under the unit (``membership_grant``, or ``membership_role_change`` with the
    old and new role); granting the role the user already holds changes and records nothing.
    """
    role = UnitRole(role)
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, business_unit=business_unit)
        .first()
    )
    if membership is None:
        membership = Membership.objects.create(user=user, business_unit=business_unit, role=role)
        _config_change(
            actor=actor,
            business_unit=business_unit,
            action=ConfigAction.MEMBERSHIP_GRANT,
            details={**_membership_details(membership), "role": role.value},
        )
    elif membership.role != role:
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        _config_change(
            actor=actor,
            business_unit=business_unit,
            action=ConfigAction.MEMBERSHIP_ROLE_CHANGE,
            details={
                **_membership_details(membership),
                "role": {"from": old_role, "to": role.value},
            },
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Remove a user from a business unit. Audited under the unit, with the role they held."""
    current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        return
    _config_change(
        actor=actor,
        business_unit=current.business_unit,
        action=ConfigAction.MEMBERSHIP_REMOVE,
        details={**_membership_details(current), "role": current.role},
    )
    current.delete()


def _membership_details(membership: Membership) -> dict[str, Any]:
    return {
        "membership_id": membership.pk,
        "user_id": membership.user_id,
        "username": membership.user.get_username(),
    }


# --- platform roles -------------------------------------------------------------------


@transaction.atomic
def user_platform_role_set(
    *,
    actor: Actor,
    user: User,
    platform_role: PlatformRole,
    is_superuser: bool | None = None,
) -> User:
    """Set a user's platform-wide role (and, when given, the superuser flag, which makes a
    platform admin too). Audited without a unit (``platform_role_change``, each changed
    field with its old and new value); setting what the user already has records nothing.
    """
    platform_role = PlatformRole(platform_role)
    current = User.objects.select_for_update().get(pk=user.pk)
    changes: dict[str, dict[str, Any]] = {}
    if current.platform_role != platform_role:
        changes["platform_role"] = {
            "from": current.platform_role or "none",
            "to": platform_role.value or "none",
        }
    if is_superuser is not None and current.is_superuser != is_superuser:
        changes["is_superuser"] = {"from": current.is_superuser, "to": is_superuser}
    user.platform_role = platform_role
    if is_superuser is not None:
        user.is_superuser = is_superuser
    if not changes:
        return user
    # The plain manager: this change is recorded below, with its actor, not as an
    # unattributed queryset update (clipguard.accounts.models.UserQuerySet).
    User._base_manager.filter(pk=user.pk).update(
        platform_role=user.platform_role, is_superuser=user.is_superuser
    )
    _config_change(
        actor=actor,
        business_unit=None,
        action=ConfigAction.PLATFORM_ROLE_CHANGE,
        details={"user_id": user.pk, "username": user.get_username(), **changes},
    )
    return user


# --- Django privileges (recorded from signals) ----------------------------------------


@transaction.atomic
@transaction.atomic
def user_privileges_change_record(
    *, user_id: int, username: str, changes: Mapping[str, tuple[Any, Any]]
) -> list[LedgerRecord]:
    """Audit a change of a user's privilege fields made outside
    :func:`user_platform_role_set` (``changes`` maps each changed field to its old and new
    value, as :func:`clipguard.accounts.models.privilege_changes` gives them): the flags as
    one ``user_flags_change``, the platform role as a ``platform_role_change``. Recorded
    without a unit; nothing changed records nothing."""
    records = []
    flags = {name: change for name, change in changes.items() if name != "platform_role"}
    if flags:
        records.append(
            _privilege_change(
                user_id=user_id,
                username=username,
                action=ConfigAction.USER_FLAGS_CHANGE,
                details={
                    name: {"from": old, "to": new} for name, (old, new) in sorted(flags.items())
                },
            )
        )
    if "platform_role" in changes:
        old, new = changes["platform_role"]
        records.append(
            _privilege_change(
                user_id=user_id,
                username=username,
                action=ConfigAction.PLATFORM_ROLE_CHANGE,
                details={"platform_role": {"from": old, "to": new}},
            )
        )
    return records


@transaction.atomic
def user_access_change_record(
    *,
    user_id: int,
    username: str,
    action: str,
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
) -> LedgerRecord | None:
    """Audit groups (by name) or direct permissions (``app_label.codename``) given to or
    taken from one user; ``action`` is ``user_groups_change`` or ``user_permissions_change``.
    Recorded without a unit; nothing added or removed records nothing."""
    if not added and not removed:
        return None
    return _privilege_change(
        user_id=user_id,
        username=username,
        action=action,
        details={"added": sorted(added), "removed": sorted(removed)},
    )


def _privilege_change(
    *, user_id: int, username: str, action: str, details: Mapping[str, Any]
) -> LedgerRecord:
    actor = _privilege_actor.get()
    return _config_change(
        actor=actor,
        business_unit=None,
        action=action,
        details={
            "user_id": user_id,
            "username": username,
            **details,
            "actor_known": actor is not None,
        },
    )


# --- API keys -------------------------------------------------------------------------


@transaction.atomic
def api_key_create(*, actor: Actor, user: User, name: str) -> tuple[ApiKey, str]:
    """Create a key; the raw key is returned once and never stored.

    Audited (``api_key_create``) once under each business unit of the key's user, like a
    login: a key acts in every unit its user belongs to.
    """
    raw = ApiKey.new_raw_key()
    key = ApiKey.objects.create(
        user=user, name=name, prefix=raw[: ApiKey.PREFIX_LENGTH], key_sha256=ApiKey.hash_key(raw)
    )
    _api_key_change(actor=actor, key=key, action=ConfigAction.API_KEY_CREATE)
    return key, raw


@transaction.atomic
def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    """Revoke a key (it stays, marked revoked). Audited like its creation; revoking a key
    that is already revoked changes and records nothing."""
    current = ApiKey.objects.select_for_update().select_related("user").get(pk=key.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        _api_key_change(actor=actor, key=current, action=ConfigAction.API_KEY_REVOKE)
    key.revoked_at = current.revoked_at
    return current


def _api_key_change(*, actor: Actor, key: ApiKey, action: str) -> list[LedgerRecord]:
    details = {
        "action": action,
        "api_key_id": key.pk,
        "user_id": key.user_id,
        "username": key.user.get_username(),
    }
    units: list[BusinessUnit | None] = [m.business_unit for m in _unit_memberships(key.user)]
    change_id = uuid.uuid4().hex
    return ledger_append_many(
        LedgerEntry(
            event_type=EventType.CONFIG_CHANGE,
            actor=actor,
            business_unit=unit,
            request_id=change_id,
            details=details,
        )
        for unit in units or [None]
    )


def _config_change(
    *,
    actor: Actor | None,
    business_unit: BusinessUnit | None,
    action: str,
    details: Mapping[str, Any],
) -> LedgerRecord:
    return ledger_append(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        business_unit=business_unit,
        details={"action": action, **details},
    )


@transaction.atomic
def user_delete(*, actor: Actor, user: User) -> None:
    """Delete a user, auditing what goes with it as if done one by one first: each active
    API key revoked (filed under the user's units), each membership removed, and a platform
    role or superuser flag dropped."""
    for key in ApiKey.objects.filter(user=user, revoked_at__isnull=True).select_related("user"):
        api_key_revoke(actor=actor, key=key)
    for membership in Membership.objects.filter(user=user).select_related("user", "business_unit"):
        membership_remove(actor=actor, membership=membership)
    user_platform_role_set(
        actor=actor, user=user, platform_role=PlatformRole.NONE, is_superuser=False
    )
    user.delete()


@transaction.atomic
def business_unit_delete(*, actor: Actor, business_unit: BusinessUnit) -> None:
    """Delete a business unit (refused by the database while it holds datasets, subjects or
    jobs), auditing each membership it removes."""
    memberships = Membership.objects.filter(business_unit=business_unit).select_related(
        "user", "business_unit"
    )
    for membership in memberships:
        membership_remove(actor=actor, membership=membership)
    business_unit.delete()


# --- logins ---------------------------------------------------------------------------


@transaction.atomic
def login_record(*, user: User, channel: str) -> list[LedgerRecord]:
    """Audit a successful login (no IP address or user agent: personal data).

    A business-unit user's login is recorded once per unit the user belongs to, each
    record under that unit, so that every unit's users see their colleagues' logins in
    the portal and nothing about the user's other units (not even how many there are).
    The records of one login share a request id. Platform-wide users (admins, compliance
    officers) and users without a unit get one record without a unit, seen only by those
    who see every unit.
    """
    login_id = uuid.uuid4().hex
    details = {
        "channel": channel,
        "outcome": "succeeded",
        "platform_role": user.platform_role or "none",
    }
    memberships = _unit_memberships(user)
    if not memberships:
        entries = [
            LedgerEntry(
                event_type=EventType.LOGIN, actor=user, request_id=login_id, details=details
            )
        ]
    else:
        entries = [
            LedgerEntry(
                event_type=EventType.LOGIN,
                actor=user,
                business_unit=membership.business_unit,
                request_id=login_id,
                details={**details, "unit_role": membership.role},
            )
            for membership in memberships
        ]
    return ledger_append_many(entries)


@transaction.atomic
def login_failed_record(*, username: str, channel: str) -> LedgerRecord:
    """Audit a failed login: one record without a unit, by ``anonymous``.

    The attempted username is kept only as a keyed hash (HMAC-SHA256 under the
    ``SECRET_KEY``): repeated attempts on one name show as one value, an operator holding
    the key can check whether a given name was tried, and nobody else can read it back
    (a plain sha256 of a username is reversed with a list of names). An attempt that names
    a real user is still not filed under that user's units: nobody knows who made it.
    """
    details: dict[str, Any] = {"channel": channel, "outcome": "failed"}
    if username:
        details["username_hmac"] = username_hmac(username)
    return ledger_append(
        event_type=EventType.LOGIN,
        actor=FAILED_LOGIN_ACTOR,
        request_id=uuid.uuid4().hex,
        details=details,
    )


@transaction.atomic
def login_locked_out_record(*, username_key: str | None, channel: str) -> LedgerRecord:
    """Audit a lockout: the attempt that reached the failure limit, and each refused one
    after it, by ``anonymous``, naming the attempted username only by its keyed hash
    (``username_key`` is already that hash: the name the lockout counts under)."""
    details: dict[str, Any] = {"channel": channel, "outcome": "locked_out"}
    if username_key:
        details["username_hmac"] = username_key
    return ledger_append(
        event_type=EventType.LOGIN,
        actor=FAILED_LOGIN_ACTOR,
        request_id=uuid.uuid4().hex,
        details=details,
    )


def username_hmac(username: str) -> str:
    """An attempted username as HMAC-SHA256 keyed with the ``SECRET_KEY`` (hex): the value
    failed-login records carry, and the name the login lockout counts attempts under."""
    return salted_hmac(_USERNAME_HMAC_SALT, username, algorithm="sha256").hexdigest()


def _unit_memberships(user: User) -> list[Membership]:
    """The memberships a unit-scoped record of ``user`` is filed under, by unit id; none for
    platform-wide users (their records carry no unit)."""
    if user.sees_all_units:
        return []
    return list(
        Membership.objects.filter(user=user)
        .select_related("business_unit")
        .order_by("business_unit_id")
    )
