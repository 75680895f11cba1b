from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "shinsa.jobs"
    label = "jobs"
