"""The dashboard's charts for a date range, territory and language (Django glue around the pure SVG
chart engine)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _

from shinsa.insights.engine.charts import Chart, Line, bar_chart, line_chart
from shinsa.insights.models import AnomalyFinding, CustomerReport, ReportStatus
from shinsa.insights.precision import area_recall, signal_precision
from shinsa.insights.series import (
    Filters,
    backlog,
    backlog_ages,
    counts,
    daily,
    filtered,
    sla_and_handling,
)
from shinsa.policy.current import current_policies
from shinsa.review.models import Appeal, AppealOutcome, DecisionAction, ExposureEntry


@dataclass(frozen=True)
class Panel:
    key: str
    heading: str
    chart: Chart
    note: str = ""


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _hours(value: float) -> str:
    return f"{value:.1f} h"


def area_name(area: str, language: str) -> str:
    entry = current_policies().areas.get(area)
    return entry.name.in_language(language) if entry else area


def panels(filters: Filters, *, language: str, now: datetime.datetime) -> list[Panel]:
    days = filters.days()
    labels = [d.strftime("%m-%d") for d in days]
    no_data = _("No data in this range")
    result: list[Panel] = []

    reports = daily("reports", filters).get("all", [0] * len(days))
    hits = daily("hits", filters).get("all", [0] * len(days))
    marks = sorted(
        {
            days.index(day)
            for day in AnomalyFinding.objects.filter(
                metric="reports", day__gte=filters.since, day__lte=filters.until
            ).values_list("day", flat=True)
        }
    )
    result.append(
        Panel(
            "reports",
            _("Customer reports and signal hits per day"),
            line_chart(
                chart_id="reports",
                title=_("Customer reports and signal hits per day"),
                labels=labels,
                lines=[
                    Line(name=_("reports"), values=reports),
                    Line(name=_("hits"), values=hits, dashed=True),
                ],
                marks=marks,
                mark_label=_("anomaly"),
                no_data=no_data,
            ),
            _("Circled days are anomalies the detector found."),
        )
    )
    last_week = Filters(
        since=max(filters.since, filters.until - datetime.timedelta(days=6)),
        until=filters.until,
        territory=filters.territory,
        language=filters.language,
    )
    hours = [
        datetime.datetime.combine(last_week.since, datetime.time(), tzinfo=datetime.UTC)
        + datetime.timedelta(hours=n)
        for n in range(24 * len(last_week.days()))
    ]
    per_hour = counts("reports", last_week, hourly=True).get("all", {})
    result.append(
        Panel(
            "hourly",
            _("Customer reports per hour, last seven days (UTC)"),
            line_chart(
                chart_id="hourly",
                title=_("Customer reports per hour, last seven days (UTC)"),
                labels=[h.strftime("%m-%d %H:00") for h in hours],
                lines=[Line(name=_("reports"), values=[per_hour.get(h, 0) for h in hours])],
                no_data=no_data,
            ),
        )
    )
    result.append(
        Panel(
            "backlog",
            _("Backlog at the end of each day"),
            line_chart(
                chart_id="backlog",
                title=_("Backlog at the end of each day"),
                labels=labels,
                lines=[Line(name=_("live items"), values=backlog(filters))],
                no_data=no_data,
            ),
        )
    )
    result.append(
        Panel(
            "backlog-age",
            _("Age of the live backlog now"),
            bar_chart(
                chart_id="backlog-age",
                title=_("Age of the live backlog now"),
                bars=backlog_ages(now=now, filters=filters),
                no_data=no_data,
            ),
        )
    )
    attainment, handling = sla_and_handling(filters)
    result.append(
        Panel(
            "sla",
            _("SLA attainment (decided by the deadline)"),
            line_chart(
                chart_id="sla",
                title=_("SLA attainment (decided by the deadline)"),
                labels=labels,
                lines=[Line(name=_("attainment"), values=attainment)],
                fmt=_percent,
                no_data=no_data,
            ),
        )
    )
    result.append(
        Panel(
            "handling",
            _("Median time to decision"),
            line_chart(
                chart_id="handling",
                title=_("Median time to decision"),
                labels=labels,
                lines=[Line(name=_("hours"), values=handling)],
                fmt=_hours,
                no_data=no_data,
            ),
            _("From the item's creation to its decision: waiting and working time together."),
        )
    )
    decisions = filtered("decisions", filters)
    by_area = Counter(decisions.values_list("item__policy_area", flat=True))
    result.append(
        Panel(
            "by-policy",
            _("Decisions by policy area"),
            bar_chart(
                chart_id="by-policy",
                title=_("Decisions by policy area"),
                bars=[(area_name(a, language), n) for a, n in by_area.most_common(12)],
                no_data=no_data,
            ),
        )
    )
    labels_by_action = dict(DecisionAction.choices)
    by_action = Counter(decisions.values_list("action", flat=True))
    result.append(
        Panel(
            "by-action",
            _("Decisions by action"),
            bar_chart(
                chart_id="by-action",
                title=_("Decisions by action"),
                bars=[(str(labels_by_action.get(a, a)), n) for a, n in by_action.most_common()],
                no_data=no_data,
            ),
        )
    )
    appeals = Appeal.objects.filter(
        decided_at__gte=filters.start,
        decided_at__lt=filters.end,
        outcome__in=[AppealOutcome.UPHELD, AppealOutcome.OVERTURNED],
    )
    if filters.territory:
        appeals = appeals.filter(item__territory=filters.territory)
    if filters.language:
        appeals = appeals.filter(decision__title_version__title__original_language=filters.language)
    totals: Counter[str] = Counter()
    overturned: Counter[str] = Counter()
    for area, outcome in appeals.values_list("decision__item__policy_area", "outcome"):
        totals[area] += 1
        overturned[area] += outcome == AppealOutcome.OVERTURNED
    result.append(
        Panel(
            "overturns",
            _("Overturn rate on appeal"),
            bar_chart(
                chart_id="overturns",
                title=_("Overturn rate on appeal"),
                bars=[
                    (f"{area_name(a, language)} (n={totals[a]})", 100 * overturned[a] / totals[a])
                    for a in sorted(totals)
                ],
                fmt=_percent,
                maximum=100,
                no_data=no_data,
            ),
        )
    )
    exposure = (
        ExposureEntry.objects.filter(day__gte=filters.since, day__lte=filters.until)
        .values("category")
        .annotate(ms=Sum("weighted_ms"))
        .order_by("-ms")
    )
    result.append(
        Panel(
            "exposure",
            _("Reviewer exposure (weighted minutes, all reviewers)"),
            bar_chart(
                chart_id="exposure",
                title=_("Reviewer exposure (weighted minutes, all reviewers)"),
                bars=[(row["category"], round(row["ms"] / 60000, 1)) for row in exposure],
                no_data=no_data,
            ),
            _("Totals per graphic category only: no content is shown here."),
        )
    )
    precisions = [p for p in signal_precision(filters) if p.rate.value is not None]
    result.append(
        Panel(
            "precision",
            _("Signal precision against human decisions"),
            bar_chart(
                chart_id="precision",
                title=_("Signal precision against human decisions"),
                bars=[
                    (
                        f"{p.source} · {area_name(p.policy_area, language)} (n={p.rate.n})",
                        100 * (p.rate.value or 0),
                    )
                    for p in precisions[:14]
                ],
                fmt=_percent,
                maximum=100,
                no_data=no_data,
            ),
            _("Share of decided items a signal raised that a person actioned (after appeals)."),
        )
    )
    return result


def flagged_count() -> int:
    return CustomerReport.objects.filter(status=ReportStatus.FLAGGED).count()


def recall_rows(filters: Filters) -> list:
    return area_recall(filters)
