from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "shinsa.catalog"
    label = "catalog"
