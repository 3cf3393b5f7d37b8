from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "clipguard.datasets"
    label = "datasets"
    verbose_name = "Datasets and assets"
