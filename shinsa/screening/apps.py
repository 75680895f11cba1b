from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "shinsa.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from shinsa.policy.loader import register_policy_kind
        from shinsa.screening.signals.settings import SIGNALS_KIND
        from shinsa.screening.text.lexicon import LEXICON_KIND

        # Lexicons are validated with the other policy files by the start-up check.
        register_policy_kind(
            LEXICON_KIND.name,
            LEXICON_KIND.load,
            patterns=LEXICON_KIND.patterns,
            requires=LEXICON_KIND.requires,
            required=LEXICON_KIND.required,
        )
        # Signal settings (thresholds, classifier labels) are policy data too.
        register_policy_kind(
            SIGNALS_KIND.name,
            SIGNALS_KIND.load,
            patterns=SIGNALS_KIND.patterns,
            requires=SIGNALS_KIND.requires,
            required=SIGNALS_KIND.required,
        )
