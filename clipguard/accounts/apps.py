from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clipguard.accounts"
    label = "accounts"
    verbose_name = "Users and business units"
