"""Precision of each automated signal source per policy area, and recall per area from random audits
of unflagged content (see ``engine.accuracy`` for the method and its limits)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shinsa.catalog.models import TitleVersion
from shinsa.insights.engine.accuracy import Rate, precision, recall
from shinsa.insights.models import RecallAudit
from shinsa.insights.series import Filters, filtered
from shinsa.review.models import DecisionAction, DecisionStatus, WorkItemSignal

NOT_A_VERDICT = (DecisionAction.ESCALATE,)


@dataclass(frozen=True)
class SignalPrecision:
    source: str
    policy_area: str
    rate: Rate


@dataclass(frozen=True)
class AreaRecall:
    policy_area: str
    rate: Rate
    true_positives: int
    unflagged: int


def _violating(action: str, status: str) -> bool:
    """What the human verdict says, after appeals: an action that stood, or an approval overturned."""
    actioned = action != DecisionAction.APPROVE
    return actioned != (status == DecisionStatus.OVERTURNED)


def human_verdicts(filters: Filters) -> dict[int, bool]:
    """{item id: violating} from the latest final or overturned human decision of each item."""
    verdicts: dict[int, bool] = {}
    rows = (
        filtered("decisions", filters)
        .exclude(action__in=NOT_A_VERDICT)
        .exclude(status=DecisionStatus.PENDING_CONFIRMATION)
        .order_by("decided_at", "pk")
        .values_list("item_id", "action", "status")
    )
    for item_id, action, status in rows:
        verdicts[item_id] = _violating(action, status)
    return verdicts


def signal_precision(filters: Filters) -> list[SignalPrecision]:
    verdicts = human_verdicts(filters)
    tallies: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    signals = WorkItemSignal.objects.filter(item_id__in=list(verdicts)).values_list(
        "source", "item__policy_area", "item_id"
    )
    for source, area, item_id in signals.distinct():
        tally = tallies[(source, area)]
        tally[0] += verdicts[item_id]
        tally[1] += 1
    return [
        SignalPrecision(source=source, policy_area=area, rate=precision(actioned=hit, decided=total))
        for (source, area), (hit, total) in sorted(tallies.items())
    ]


def area_recall(filters: Filters) -> list[AreaRecall]:
    verdicts = human_verdicts(filters)
    flagged_items = set(
        WorkItemSignal.objects.filter(item_id__in=list(verdicts)).values_list("item_id", flat=True)
    )
    true_positives: dict[str, int] = defaultdict(int)
    for item_id, area in (
        filtered("decisions", filters)
        .filter(item_id__in=flagged_items)
        .values_list("item_id", "item__policy_area")
        .distinct()
    ):
        true_positives[area] += verdicts.get(item_id, False)
    audited: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for area, violating in RecallAudit.objects.filter(violating__isnull=False).values_list(
        "policy_area", "violating"
    ):
        audited[area][0] += violating
        audited[area][1] += 1
    versions = TitleVersion.objects.count()
    results = []
    for area in sorted(set(audited) | set(true_positives)):
        flagged_versions = (
            WorkItemSignal.objects.filter(item__policy_area=area)
            .values("item__title_version_id")
            .distinct()
            .count()
        )
        unflagged = max(versions - flagged_versions, 0)
        violating, n = audited.get(area, [0, 0])
        results.append(
            AreaRecall(
                policy_area=area,
                rate=recall(
                    true_positives=true_positives[area],
                    unflagged_population=unflagged,
                    audited=n,
                    audited_violating=violating,
                ),
                true_positives=true_positives[area],
                unflagged=unflagged,
            )
        )
    return results
