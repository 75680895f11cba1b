from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "shinsa.demo"
    label = "demo"
