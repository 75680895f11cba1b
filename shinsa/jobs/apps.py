from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "shinsa.jobs"
    label = "jobs"

    def ready(self) -> None:
        from shinsa.jobs import checks  # noqa: F401 - registers the system checks
