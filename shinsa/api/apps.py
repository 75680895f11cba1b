from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shinsa.api"
    label = "api"
