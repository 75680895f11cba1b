"""Reads for the bank pages, the CLI and exports."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from shinsa.banks.models import Bank, BankEntry, BankHit


def banks_with_counts() -> QuerySet[Bank]:
    return Bank.objects.annotate(
        active_count=Count("entries", filter=Q(entries__status=BankEntry.Status.ACTIVE)),
        pending_count=Count("entries", filter=Q(entries__status=BankEntry.Status.PENDING)),
    ).order_by("name")


def export_rows(bank: Bank) -> list[list[str]]:
    """The bank's live entries (active and pending) as CSV rows in ``EXPORT_COLUMNS`` order."""
    entries = (
        bank.entries.exclude(status=BankEntry.Status.REMOVED)
        .select_related("added_by", "confirmed_by")
        .order_by("id")
    )
    return [
        [
            entry.value,
            entry.label,
            entry.source_ref,
            entry.status,
            entry.added_by.username,
            entry.confirmed_by.username if entry.confirmed_by else "",
            entry.created_at.isoformat(),
        ]
        for entry in entries
    ]


def bank_hits_of(asset_version_id: int) -> QuerySet[BankHit]:
    """The bank hits kept for one asset version, in time order, with their entry and bank (for the
    asset's screening timeline). The caller checks access to the asset version first."""
    return (
        BankHit.objects.filter(asset_version_id=asset_version_id)
        .select_related("entry__bank")
        .order_by("start_ms", "id")
    )
