"""The only way a view gets a bank or an entry: the permission first, then the lookup (404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from shinsa.accounts.access import require_perm
from shinsa.accounts.roles import Perm
from shinsa.banks.models import Bank, BankEntry


def access_bank_for_manager(user: Any, bank_id: int) -> Bank:
    require_perm(user, Perm.MANAGE_BANKS)
    try:
        return Bank.objects.get(pk=bank_id)
    except Bank.DoesNotExist:
        raise Http404("no such bank") from None


def access_entry_for_manager(user: Any, entry_id: int) -> BankEntry:
    require_perm(user, Perm.MANAGE_BANKS)
    try:
        return BankEntry.objects.select_related("bank").get(pk=entry_id)
    except BankEntry.DoesNotExist:
        raise Http404("no such entry") from None
