from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clipguard.accounts"
    label = "accounts"
    verbose_name = "Users and business units"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from clipguard.accounts.signals import record_failed_login, record_login

        user_logged_in.connect(record_login, dispatch_uid="clipguard.accounts.record_login")
        user_login_failed.connect(
            record_failed_login, dispatch_uid="clipguard.accounts.record_failed_login"
        )
