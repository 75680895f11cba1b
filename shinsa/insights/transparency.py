"""The transparency report of a period, shaped after the EU DSA (Art. 15 and 24 reports, statements
of reasons) and, for a licensed catalog, the audiovisual rules (AVMSD Art. 6a protection of minors,
Ofcom's on-demand code): decisions by policy area, action and source, automated detection vs not,
median handling time, appeals and overturns, the DSA categories of the areas, and per territory the
age ratings published and the access restrictions applied.

The period is UTC days, ``until`` inclusive. A decision counts in the period it was made in; an
appeal counts as received when opened in the period and as overturned when decided so in it.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from shinsa.insights.series import Filters
from shinsa.lib.spreadsheet import neutralise
from shinsa.policy.current import current_policies
from shinsa.ratings.models import PublishedRating
from shinsa.review.models import Appeal, AppealOutcome, Decision, DecisionAction

# Actions that restrict access to a title in the territories they name.
RESTRICTING = (DecisionAction.RESTRICT, DecisionAction.AGE_GATE, DecisionAction.REMOVE)


def transparency_report(*, since: datetime.date, until: datetime.date) -> dict[str, Any]:
    period = Filters(since=since, until=until)
    decisions = Decision.objects.filter(decided_at__gte=period.start, decided_at__lt=period.end)
    by_policy: Counter[str] = Counter()
    by_action: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    automated = human = 0
    hours: list[float] = []
    restrictions: dict[str, Counter[str]] = defaultdict(Counter)
    rows = decisions.values_list(
        "item__policy_area",
        "action",
        "source",
        "status",
        "automated_detection",
        "decided_at",
        "item__created_at",
        "territories",
    )
    for area, action, source, status, is_automated, decided, created, territories in rows.iterator(
        chunk_size=2000
    ):
        by_policy[area] += 1
        by_action[action] += 1
        by_source[source] += 1
        by_status[{"pending_confirmation": "pending"}.get(status, status)] += 1
        if is_automated:
            automated += 1
        else:
            human += 1
        hours.append((decided - created).total_seconds() / 3600)
        if action in RESTRICTING:
            for territory in territories or []:
                restrictions[territory][action] += 1
    appeals_received = Appeal.objects.filter(opened_at__gte=period.start, opened_at__lt=period.end).count()
    overturned = Appeal.objects.filter(
        outcome=AppealOutcome.OVERTURNED, decided_at__gte=period.start, decided_at__lt=period.end
    ).count()
    upheld = Appeal.objects.filter(
        outcome=AppealOutcome.UPHELD, decided_at__gte=period.start, decided_at__lt=period.end
    ).count()
    areas = current_policies().areas
    dsa: Counter[str] = Counter()
    for area, count in by_policy.items():
        policy_area = areas.get(area)
        dsa[
            (policy_area.dsa_category if policy_area else None)
            or "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
        ] += count
    ratings: dict[str, dict[str, int]] = defaultdict(dict)
    for territory, scheme, level in PublishedRating.objects.filter(
        published_at__gte=period.start, published_at__lt=period.end
    ).values_list("territory", "scheme", "level"):
        key = f"{scheme}:{level}"
        ratings[territory][key] = ratings[territory].get(key, 0) + 1
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "decisions": {
            "total": sum(by_policy.values()),
            "by_policy": dict(sorted(by_policy.items())),
            "by_action": dict(sorted(by_action.items())),
            "by_source": dict(sorted(by_source.items())),
            "by_status": dict(sorted(by_status.items())),
            "by_dsa_category": dict(sorted(dsa.items())),
            "automated": automated,
            "human": human,
        },
        "median_handling_hours": round(statistics.median(hours), 2) if hours else None,
        "appeals": {"received": appeals_received, "overturned": overturned, "upheld": upheld},
        "audiovisual": {
            "age_ratings_published": {t: dict(sorted(v.items())) for t, v in sorted(ratings.items())},
            "access_restrictions": {t: dict(sorted(v.items())) for t, v in sorted(restrictions.items())},
        },
    }


def write_report_xlsx(report: dict[str, Any], path: Path) -> None:
    """The report as a small workbook: one sheet of (section, key, count) rows, typed numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("transparency")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header = []
    for name in ("section", "key", "value"):
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    rows: list[tuple[str, str, Any]] = [
        ("period", "since", report["since"]),
        ("period", "until", report["until"]),
        ("decisions", "total", report["decisions"]["total"]),
        ("decisions", "automated", report["decisions"]["automated"]),
        ("decisions", "human", report["decisions"]["human"]),
        ("handling", "median_hours", report["median_handling_hours"]),
    ]
    for section in ("by_policy", "by_action", "by_source", "by_status", "by_dsa_category"):
        rows += [(f"decisions.{section}", key, value) for key, value in report["decisions"][section].items()]
    rows += [("appeals", key, value) for key, value in report["appeals"].items()]
    for section, table in report["audiovisual"].items():
        for territory, counts in table.items():
            rows += [(section, f"{territory} {key}", value) for key, value in counts.items()]
    for section, key, value in rows:
        sheet.append(
            [neutralise(section), neutralise(key), value if not isinstance(value, str) else neutralise(value)]
        )
    sheet.auto_filter.ref = f"A1:C{len(rows) + 1}"
    workbook.save(path)
