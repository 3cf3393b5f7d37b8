"""Every interactive login is audited, whichever Django view performed it.

Django sends ``user_logged_in`` from :func:`django.contrib.auth.login` (the portal's login
page, the admin's, DRF's browsable-API login when it is routed, and any other view that
logs a user in) and ``user_login_failed`` from :func:`django.contrib.auth.authenticate`.
The receivers only name the channel and call the services; they are connected once, in
:meth:`clipguard.accounts.apps.AccountsConfig.ready`. Requests authenticated with an API
key never call either, and are not logins.

Changes of a user's privileges are audited the same way, whichever code saves them (the
admin, a shell, a script): the ``is_staff``, ``is_superuser`` and ``is_active`` flags and
the platform role from ``pre_save``/``post_save`` of the user (a new user's staff and
superuser flags and platform role count as changed from none when created set), and
groups and direct permissions from ``m2m_changed`` on their through tables, in either
direction (``user.groups.add(group)`` and ``group.user_set.add(user)`` alike), and from
``pre_delete`` of a group or a permission (its holders lose it). Queryset ``update()``
and ``bulk_update()`` send no signals; the user queryset records them itself
(:class:`clipguard.accounts.models.UserQuerySet`), and
:func:`clipguard.accounts.services.user_platform_role_set`, which records with its actor,
writes through the plain manager.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.http import HttpRequest

from clipguard.accounts.models import PRIVILEGE_FIELDS, User, privilege_changes
from clipguard.accounts.services import (
    ConfigAction,
    LoginChannel,
    login_failed_record,
    login_locked_out_record,
    login_record,
    user_access_change_record,
    user_privileges_change_record,
)

# URL namespaces of the login views, and the channel each stands for.
_CHANNELS = {
    "portal": LoginChannel.PORTAL,
    "admin": LoginChannel.ADMIN,
    "rest_framework": LoginChannel.API_SESSION,
}


def login_channel(request: HttpRequest | None) -> str:
    """The channel of a login request: the namespace of the view that handled it."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return LoginChannel.OTHER
    for namespace in match.namespaces:
        if namespace in _CHANNELS:
            return _CHANNELS[namespace]
    return LoginChannel.OTHER


def record_login(
    sender: object, request: HttpRequest | None = None, user: object = None, **_: Any
) -> None:
    if isinstance(user, User):
        login_record(user=user, channel=login_channel(request))


def record_failed_login(
    sender: object,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **_: Any,
) -> None:
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD)
    login_failed_record(
        username=username if isinstance(username, str) else "", channel=login_channel(request)
    )


def record_lockout(
    sender: object, request: HttpRequest | None = None, username: object = None, **_: Any
) -> None:
    """Axes' ``user_locked_out``: ``username`` is the keyed hash the lockout counts under
    (``clipguard.accounts.lockout.lockout_username``), never the name itself."""
    login_locked_out_record(
        username_key=username if isinstance(username, str) else None,
        channel=login_channel(request),
    )


# --- privileges -----------------------------------------------------------------------

# The values a new user is compared with when created: no privileges, active or not as
# made (creating an account is not itself a privilege change).
_NEW_USER_PRIVILEGES = {"is_staff": False, "is_superuser": False, "platform_role": ""}
# Instance attributes carrying state from a pre_ signal to its post_ signal.
_STORED_PRIVILEGES_ATTR = "_clipguard_stored_privileges"
_PENDING_REMOVAL_ATTR = "_clipguard_pending_privilege_removal"


def _saved_privileges(update_fields: Iterable[str] | None) -> tuple[str, ...]:
    if update_fields is None:
        return PRIVILEGE_FIELDS
    return tuple(name for name in PRIVILEGE_FIELDS if name in update_fields)


def remember_stored_privileges(
    sender: type[User],
    instance: User,
    using: str = "default",
    update_fields: Iterable[str] | None = None,
    **_: Any,
) -> None:
    """Before a user is saved: keep its stored privileges, for
    :func:`record_privilege_changes`."""
    instance.__dict__.pop(_STORED_PRIVILEGES_ATTR, None)
    names = _saved_privileges(update_fields)
    if not names:
        return  # e.g. the last_login update of every login: no query
    stored = None
    if instance.pk is not None:
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*names).first()
    if stored is None:
        stored = {name: _NEW_USER_PRIVILEGES.get(name, getattr(instance, name)) for name in names}
    instance.__dict__[_STORED_PRIVILEGES_ATTR] = stored


def record_privilege_changes(sender: type[User], instance: User, **_: Any) -> None:
    stored: dict[str, Any] | None = instance.__dict__.pop(_STORED_PRIVILEGES_ATTR, None)
    if not stored:
        return
    current = {name: getattr(instance, name) for name in stored}
    user_privileges_change_record(
        user_id=instance.pk,
        username=instance.get_username(),
        changes=privilege_changes(stored, current),
    )


def record_access_change(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    using: str = "default",
    **_: Any,
) -> None:
    """Groups or direct permissions of users added, removed or cleared."""
    field_name = "groups" if sender is User.groups.through else "user_permissions"
    if action in ("pre_remove", "pre_clear"):
        # What is really there to go: remove() reports every id it was given, clear() none.
        pairs = _stored_pairs(sender, field_name, instance, reverse, pk_set, using)
        instance.__dict__.setdefault(_PENDING_REMOVAL_ATTR, {})[field_name] = pairs
        return
    if action == "post_add":
        pairs = [(instance.pk, pk) if not reverse else (pk, instance.pk) for pk in pk_set or ()]
        _record_pairs(field_name, pairs, added=True, using=using)
    elif action in ("post_remove", "post_clear"):
        pending = instance.__dict__.get(_PENDING_REMOVAL_ATTR, {})
        _record_pairs(field_name, pending.pop(field_name, []), added=False, using=using)


def record_deleted_access(
    sender: type[models.Model], instance: models.Model, using: str = "default", **_: Any
) -> None:
    """Before a group or a permission is deleted: the users who hold it lose it. The
    deletion removes their rows of the through table without ``m2m_changed``, so the loss
    is recorded here, per user, while the name can still be read."""
    field_name = "groups" if isinstance(instance, Group) else "user_permissions"
    through: type[models.Model] = getattr(User, field_name).through
    pairs = _stored_pairs(through, field_name, instance, True, None, using)
    _record_pairs(field_name, pairs, added=False, using=using)


def _stored_pairs(
    through: type[models.Model],
    field_name: str,
    instance: models.Model,
    reverse: bool,
    pk_set: set[Any] | None,
    using: str,
) -> list[tuple[Any, Any]]:
    """(user id, group or permission id) rows of ``through`` that the change touches."""
    field = User._meta.get_field(field_name)
    assert isinstance(field, models.ManyToManyField)
    user_column = f"{field.m2m_field_name()}_id"
    target_column = f"{field.m2m_reverse_field_name()}_id"
    own, other = (target_column, user_column) if reverse else (user_column, target_column)
    rows = through._default_manager.using(using).filter(**{own: instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{other}__in": pk_set})
    return list(rows.values_list(user_column, target_column))


def _record_pairs(
    field_name: str, pairs: list[tuple[Any, Any]], *, added: bool, using: str
) -> None:
    if not pairs:
        return
    by_user: dict[Any, list[Any]] = defaultdict(list)
    for user_id, target_id in pairs:
        by_user[user_id].append(target_id)
    target_ids = {target_id for _, target_id in pairs}
    if field_name == "groups":
        action = ConfigAction.USER_GROUPS_CHANGE
        names = dict(Group.objects.using(using).filter(pk__in=target_ids).values_list("pk", "name"))
    else:
        action = ConfigAction.USER_PERMISSIONS_CHANGE
        names = {
            pk: f"{app_label}.{codename}"
            for pk, app_label, codename in Permission.objects.using(using)
            .filter(pk__in=target_ids)
            .values_list("pk", "content_type__app_label", "codename")
        }
    usernames = dict(
        User._default_manager.using(using)
        .filter(pk__in=by_user)
        .values_list("pk", User.USERNAME_FIELD)
    )
    for user_id in sorted(by_user):
        changed = [names.get(target_id, f"#{target_id}") for target_id in by_user[user_id]]
        user_access_change_record(
            user_id=user_id,
            username=usernames.get(user_id, ""),
            action=action,
            added=changed if added else (),
            removed=() if added else changed,
        )
