"""Counts of open work that stay fast with a million items queued: each count stops at ``COUNT_CAP + 1``
rows, so a page shows "10,000+" instead of scanning the whole backlog on every load. Still one query per
count (or one sub-SELECT per queue row), so page query counts stay constant."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField, QuerySet, Subquery

COUNT_CAP = 10_000


def capped_count(queryset: QuerySet[Any]) -> int:
    """``queryset.count()`` reading at most ``COUNT_CAP + 1`` rows: ``SELECT COUNT(*) FROM (… LIMIT n)``."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()


class CappedCount(Subquery):
    """A correlated sub-SELECT counting at most ``COUNT_CAP + 1`` of its rows, for ``annotate``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped_rows)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any]) -> None:
        super().__init__(queryset.order_by().values("pk")[: COUNT_CAP + 1], output_field=IntegerField())


def count_label(value: int) -> str:
    """How a capped count reads: the number, or "10,000+" when the cap was reached."""
    return f"{COUNT_CAP:,}+" if value > COUNT_CAP else f"{value:,}"
