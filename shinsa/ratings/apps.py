from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "shinsa.ratings"
    label = "ratings"
    verbose_name = "Ratings"

    def ready(self) -> None:
        from shinsa.policy.loader import register_policy_kind
        from shinsa.ratings import checks  # noqa: F401 - registers the golden-case check
        from shinsa.ratings.policies import RATINGS_KIND, RATINGS_PATTERNS, load_ratings_kind

        register_policy_kind(RATINGS_KIND, load_ratings_kind, patterns=RATINGS_PATTERNS)
