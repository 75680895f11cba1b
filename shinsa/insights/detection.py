"""Runs the anomaly detector over the daily series per policy area and keeps (and pages) what it
finds, explained: which series, how far from its baseline, and which titles drive it."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from shinsa.catalog.models import Availability
from shinsa.insights.actions import do_record_anomaly
from shinsa.insights.engine import anomalies
from shinsa.insights.models import AnomalyFinding
from shinsa.insights.series import Filters, counts

DETECTED_METRICS = ("reports", "hits")
HISTORY_DAYS = 70


@dataclass(frozen=True)
class DetectionRun:
    judged_series: int
    findings: list[AnomalyFinding]
    new: int


def release_days(since: datetime.date, until: datetime.date) -> frozenset[datetime.date]:
    return frozenset(
        Availability.objects.filter(starts_on__gte=since, starts_on__lte=until).values_list(
            "starts_on", flat=True
        )
    )


def detect_anomalies(
    *,
    today: datetime.date,
    check_last: int = 7,
    actor: str = "insights",
    now: datetime.datetime | None = None,
) -> DetectionRun:
    """Judge the last ``check_last`` days (up to yesterday, the last complete day) of each metric per
    policy area against the ``HISTORY_DAYS`` before them."""
    until = today - datetime.timedelta(days=1)
    filters = Filters(since=until - datetime.timedelta(days=HISTORY_DAYS + check_last - 1), until=until)
    days = filters.days()
    releases = release_days(filters.since, filters.until)
    findings: list[AnomalyFinding] = []
    judged = new = 0
    for metric in DETECTED_METRICS:
        per_area = counts(metric, filters, dimension="policy_area")
        if not per_area:
            continue
        per_title = _per_area_title(metric, filters)
        for area, by_day in sorted(per_area.items()):
            judged += 1
            series = anomalies.fill_days(by_day, filters.since, filters.until)
            for anomaly in anomalies.detect(series, release_days=releases, check_last=check_last):
                titles = per_title.get(area, {})
                index = days.index(anomaly.day)
                on_day = {title: float(values[index]) for title, values in titles.items()}
                typical = {
                    title: float(statistics.median(values[max(0, index - 28) : index] or [0]))
                    for title, values in titles.items()
                }
                explained = anomalies.drivers(on_day=on_day, typical=typical, excess=anomaly.excess)
                finding, created = do_record_anomaly(
                    actor=actor,
                    metric=metric,
                    dimension="policy_area",
                    key=area,
                    day=anomaly.day,
                    value=anomaly.value,
                    expected=anomaly.expected,
                    spread=anomaly.spread,
                    score=anomaly.score,
                    release_day=anomaly.release_day,
                    now=now,
                    drivers=[
                        {"title": d.key, "value": d.value, "typical": d.typical, "share": round(d.share, 3)}
                        for d in explained
                    ],
                )
                findings.append(finding)
                new += created
    return DetectionRun(judged_series=judged, findings=findings, new=new)


def _per_area_title(metric: str, filters: Filters) -> dict[str, dict[str, list[int]]]:
    """{area: {title: daily counts}} in one query, for explaining a finding."""
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from shinsa.insights.series import _SOURCES, filtered

    fields = _SOURCES[metric]
    days = filters.days()
    index = {day: n for n, day in enumerate(days)}
    out: dict[str, dict[str, list[int]]] = {}
    rows = (
        filtered(metric, filters)
        .annotate(day=TruncDate(fields["time"], tzinfo=datetime.UTC))
        .values("day", fields["policy_area"], fields["title"])
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        area, title = row[fields["policy_area"]], row[fields["title"]]
        out.setdefault(area, {}).setdefault(title, [0] * len(days))[index[row["day"]]] += row["n"]
    return out
