from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "shinsa.media"
    label = "media"
