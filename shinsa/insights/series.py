"""Daily and hourly series for dashboards and the detector: reports, hits, decisions, overturns,
backlog and SLA attainment, per policy area, territory, language or title.

Reports flagged as suspicious or dismissed are left out of every series.

Filters: a date range (UTC days, both ends inclusive), a territory and a language. The territory of a
report is the viewer's; of a hit, decision or overturn, the review item's market. The language of a
report is the language it was written in; of everything else, the title's original language.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate, TruncHour

from shinsa.insights.models import CustomerReport, ReportStatus
from shinsa.review.models import Appeal, AppealOutcome, Decision, ItemStatus, WorkItem, WorkItemSignal

METRICS = ("reports", "hits", "decisions", "overturns")
DIMENSIONS = ("all", "policy_area", "territory", "language", "title", "source")


@dataclass(frozen=True, kw_only=True)
class Filters:
    since: datetime.date
    until: datetime.date
    territory: str = ""
    language: str = ""

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.since, datetime.time(), tzinfo=datetime.UTC)

    @property
    def end(self) -> datetime.datetime:
        """Exclusive end: the start of the day after ``until``."""
        return datetime.datetime.combine(
            self.until + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
        )

    def days(self) -> list[datetime.date]:
        return [self.since + datetime.timedelta(days=n) for n in range((self.until - self.since).days + 1)]


# For each metric: the queryset, its time field, and the lookups of each dimension.
_SOURCES: dict[str, dict[str, str]] = {
    "reports": {
        "time": "received_at",
        "policy_area": "policy_area",
        "territory": "territory",
        "language": "language",
        "title": "title_version__title__external_id",
    },
    "hits": {
        "time": "first_seen_at",
        "policy_area": "item__policy_area",
        "territory": "item__territory",
        "language": "item__title_version__title__original_language",
        "title": "item__title_version__title__external_id",
        "source": "source",  # the signal type, e.g. "screening:lexicon", "hash:pdq"
    },
    "decisions": {
        "time": "decided_at",
        "policy_area": "item__policy_area",
        "territory": "item__territory",
        "language": "title_version__title__original_language",
        "title": "title_version__title__external_id",
        "source": "source",  # screening, customer_report, legal_order, proactive
    },
    "overturns": {
        "time": "decided_at",
        "policy_area": "item__policy_area",
        "territory": "item__territory",
        "language": "decision__title_version__title__original_language",
        "title": "decision__title_version__title__external_id",
    },
}


def _base(metric: str) -> QuerySet[Any]:
    if metric == "reports":
        # Reports flagged as suspicious (or dismissed as abuse) are not counted: a coordinated burst
        # is handled on the flagged-reports page, and must not page anyone as a trend.
        return CustomerReport.objects.exclude(status__in=[ReportStatus.FLAGGED, ReportStatus.DISMISSED])
    if metric == "hits":
        return WorkItemSignal.objects.all()
    if metric == "decisions":
        return Decision.objects.all()
    if metric == "overturns":
        return Appeal.objects.filter(outcome=AppealOutcome.OVERTURNED)
    raise ValueError(f"unknown metric {metric!r}")


def filtered(metric: str, filters: Filters) -> QuerySet[Any]:
    fields = _SOURCES[metric]
    query = _base(metric).filter(
        **{f"{fields['time']}__gte": filters.start, f"{fields['time']}__lt": filters.end}
    )
    if filters.territory:
        query = query.filter(**{fields["territory"]: filters.territory})
    if filters.language:
        query = query.filter(**{fields["language"]: filters.language})
    return query


def counts(
    metric: str, filters: Filters, *, dimension: str = "all", hourly: bool = False
) -> dict[str, dict[Any, int]]:
    """{key: {day or hour: count}}; the key is "all" for dimension "all"."""
    fields = _SOURCES[metric]
    trunc = (TruncHour if hourly else TruncDate)(fields["time"], tzinfo=datetime.UTC)
    query = filtered(metric, filters).annotate(bucket=trunc)
    key_field = fields.get(dimension)
    rows = query.values("bucket", key_field) if key_field else query.values("bucket")
    result: dict[str, dict[Any, int]] = defaultdict(dict)
    from django.db.models import Count

    for row in rows.annotate(n=Count("pk")).order_by():
        key = str(row[key_field] or "—") if key_field else "all"
        bucket = row["bucket"]
        result[key][bucket] = result[key].get(bucket, 0) + row["n"]
    return dict(result)


def daily(metric: str, filters: Filters, *, dimension: str = "all") -> dict[str, list[int]]:
    """Zero-filled daily series per key, aligned with ``filters.days()``."""
    days = filters.days()
    return {
        key: [by_day.get(day, 0) for day in days]
        for key, by_day in counts(metric, filters, dimension=dimension).items()
    }


def _item_query(filters: Filters) -> QuerySet[WorkItem]:
    query = WorkItem.objects.all()
    if filters.territory:
        query = query.filter(territory=filters.territory)
    if filters.language:
        query = query.filter(title_version__title__original_language=filters.language)
    return query


def backlog(filters: Filters) -> list[int]:
    """Live items at the end of each day (created by then, not yet decided or closed)."""
    days = filters.days()
    ends = [
        datetime.datetime.combine(d + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC)
        for d in days
    ]
    rows = (
        _item_query(filters)
        .filter(created_at__lt=filters.end)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=filters.start))
    )
    values = [0] * len(days)
    for created, decided, status, updated in rows.values_list(
        "created_at", "decided_at", "status", "updated_at"
    ):
        done = decided or (updated if status == ItemStatus.CLOSED else None)
        for n, end in enumerate(ends):
            if created < end and (done is None or done >= end):
                values[n] += 1
    return values


def backlog_ages(*, now: datetime.datetime, filters: Filters) -> list[tuple[str, int]]:
    """Live items now by age bucket."""
    buckets = [("< 1 d", 1), ("1–3 d", 3), ("3–7 d", 7), ("> 7 d", None)]
    ages = Counter[str]()
    for created in (
        _item_query(filters)
        .filter(status__in=[ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.HELD])
        .values_list("created_at", flat=True)
    ):
        days = (now - created).total_seconds() / 86400
        for label, limit in buckets:
            if limit is None or days < limit:
                ages[label] += 1
                break
    return [(label, ages[label]) for label, _ in buckets]


def sla_and_handling(filters: Filters) -> tuple[list[float | None], list[float | None]]:
    """Per day: the share of decisions made by the item's deadline, and the median hours from an
    item's creation to its decision (turnaround: the time a case waited and was worked, not a
    reviewer's active time, which Shinsa does not measure)."""
    days = filters.days()
    met: dict[datetime.date, list[bool]] = defaultdict(list)
    hours: dict[datetime.date, list[float]] = defaultdict(list)
    rows = filtered("decisions", filters).values_list("decided_at", "item__due_at", "item__created_at")
    for decided, due, created in rows:
        day = decided.astimezone(datetime.UTC).date()
        met[day].append(decided <= due)
        hours[day].append((decided - created).total_seconds() / 3600)
    attainment = [sum(met[d]) / len(met[d]) * 100 if met[d] else None for d in days]
    handling = [statistics.median(hours[d]) if hours[d] else None for d in days]
    return attainment, handling


def by_field(query: Iterable[Any]) -> dict[str, int]:
    return dict(Counter(str(value) for value in query).most_common())
