from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "clipguard.consent"
    label = "consent"
    verbose_name = "Data subjects and consent"
