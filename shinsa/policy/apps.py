from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "shinsa.policy"
    label = "policy"

    def ready(self) -> None:
        from shinsa.policy import checks  # noqa: F401 - registers the system check
