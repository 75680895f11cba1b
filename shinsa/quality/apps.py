from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "shinsa.quality"
    label = "quality"
