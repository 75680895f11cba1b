from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "shinsa.web"
    label = "web"
