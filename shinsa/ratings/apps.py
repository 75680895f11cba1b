from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "shinsa.ratings"
    label = "ratings"
    verbose_name = "Ratings"

    def ready(self) -> None:
        # Registers the start-up check of the rating policies.
        from shinsa.ratings import checks  # noqa: F401
