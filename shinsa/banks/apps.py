from django.apps import AppConfig


class BanksConfig(AppConfig):
    name = "shinsa.banks"
    label = "banks"
    verbose_name = "Hash banks"
