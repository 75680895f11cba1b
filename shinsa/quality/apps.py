from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "shinsa.quality"
    label = "quality"

    def ready(self) -> None:
        from shinsa.quality.queries import closed_queues_sql
        from shinsa.review.gates import register_queue_gate
        from shinsa.review.signals import decision_made

        decision_made.connect(_score_gold, dispatch_uid="quality.score_gold")
        register_queue_gate(closed_queues_sql)


def _score_gold(sender, *, decision, **kwargs) -> None:
    from shinsa.quality.actions.gold import score_gold_decision

    score_gold_decision(decision)
