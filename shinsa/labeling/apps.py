from django.apps import AppConfig


class LabelingConfig(AppConfig):
    name = "shinsa.labeling"
    label = "labeling"
    verbose_name = "Labeling"

    def ready(self) -> None:
        from shinsa.labeling.schemas import LABEL_SCHEMAS_KIND
        from shinsa.policy.loader import register_policy_kind

        # Label schemas are policy data: validated with the other files by the start-up check.
        register_policy_kind(
            LABEL_SCHEMAS_KIND.name,
            LABEL_SCHEMAS_KIND.load,
            patterns=LABEL_SCHEMAS_KIND.patterns,
            requires=LABEL_SCHEMAS_KIND.requires,
            required=LABEL_SCHEMAS_KIND.required,
        )
