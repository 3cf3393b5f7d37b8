from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clipguard.accounts"
    label = "accounts"
    verbose_name = "Users and business units"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

        from clipguard.accounts.models import User
        from clipguard.accounts.signals import (
            record_access_change,
            record_deleted_access,
            record_failed_login,
            record_lockout,
            record_login,
            record_privilege_changes,
            remember_stored_privileges,
        )

        user_logged_in.connect(record_login, dispatch_uid="clipguard.accounts.record_login")
        user_login_failed.connect(
            record_failed_login, dispatch_uid="clipguard.accounts.record_failed_login"
        )
        user_locked_out.connect(record_lockout, dispatch_uid="clipguard.accounts.record_lockout")
        pre_save.connect(
            remember_stored_privileges,
            sender=User,
            dispatch_uid="clipguard.accounts.remember_stored_privileges",
        )
        post_save.connect(
            record_privilege_changes,
            sender=User,
            dispatch_uid="clipguard.accounts.record_privilege_changes",
        )
        for held in (Group, Permission):
            pre_delete.connect(
                record_deleted_access,
                sender=held,
                dispatch_uid=f"clipguard.accounts.record_deleted_access.{held._meta.label}",
            )
        for through in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(
                record_access_change,
                sender=through,
                dispatch_uid=f"clipguard.accounts.record_access_change.{through._meta.label}",
            )
