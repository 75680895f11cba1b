"""Every change to hash banks. Each runs in one transaction and is audited in it.

Adding entries is a four-eyes action: an entry (added by hand or imported from CSV) stays *pending*
and is not matched until a second person with ``Perm.MANAGE_BANKS`` confirms it; the person who added
it can never confirm it (also a database constraint). Removing an entry or rejecting a pending one
needs one person. Entries are never deleted, only marked removed, so the audit trail can name them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.banks.index.csvfile import TEXT_LIMITS, EntryRow, is_formula, write_bank_csv
from shinsa.banks.index.matcher import BankKind
from shinsa.banks.index.values import BadEntryValue, canonical_value
from shinsa.banks.models import MAX_THRESHOLD, Bank, BankEntry, BankHit
from shinsa.banks.queries import export_rows
from shinsa.catalog.actions import do_quarantine_asset_version
from shinsa.catalog.models import AssetVersion
from shinsa.policy.current import current_policies
from shinsa.screening.signals.base import SignalHit

BANK_FIELDS = (
    "policy_area",
    "severity",
    "source",
    "threshold",
    "video_min_percent",
    "enabled",
    "negative",
    "illegal",
    "action",
)


class BankError(ValueError):
    """A bank change that cannot be made; the message is one sentence for people."""


def value_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _person(actor: Any) -> User:
    require_perm(actor, Perm.MANAGE_BANKS)
    return actor


def _bank_state(bank: Bank) -> dict[str, Any]:
    return {"name": bank.name, "kind": bank.kind, **{name: getattr(bank, name) for name in BANK_FIELDS}}


def _check_bank(bank: Bank) -> None:
    if not bank.name.strip() or len(bank.name) > 64 or is_formula(bank.name):
        raise BankError(_("A bank needs a name of at most 64 characters that does not start with = + - @."))
    if bank.kind not in BankKind:
        raise BankError(_("Unknown signal type %(kind)s.") % {"kind": bank.kind})
    if bank.policy_area not in current_policies().areas:
        raise BankError(_("Unknown policy area %(area)s.") % {"area": bank.policy_area})
    if bank.severity not in Bank.Severity.values:
        raise BankError(_("Unknown severity %(severity)s.") % {"severity": bank.severity})
    if not 0 <= bank.threshold <= MAX_THRESHOLD:
        raise BankError(_("The distance threshold must be from 0 to %(max)d.") % {"max": MAX_THRESHOLD})
    if not 1 <= bank.video_min_percent <= 100:
        raise BankError(_("The share of frames must be from 1 to 100 %."))
    if bank.illegal and bank.negative:
        raise BankError(_("A bank of illegal content cannot be a negative (known-benign) bank."))
    if bank.illegal:
        bank.action = Bank.Action.QUARANTINE
    if bank.action not in Bank.Action.values:
        raise BankError(_("Unknown action %(action)s.") % {"action": bank.action})


@transaction.atomic
def do_create_bank(
    *, actor: Any, name: str, kind: str, policy_area: str, severity: str, **settings: Any
) -> Bank:
    """A new, empty bank. ``settings``: any of ``BANK_FIELDS``; an illegal bank always quarantines."""
    person = _person(actor)
    unknown = set(settings) - set(BANK_FIELDS)
    if unknown:
        raise TypeError(f"unknown bank settings {sorted(unknown)}")
    bank = Bank(
        name=name.strip(),
        kind=kind,
        policy_area=policy_area,
        severity=severity,
        created_by=person,
        action=settings.pop("action", Bank.Action.ENQUEUE),
        **settings,
    )
    _check_bank(bank)
    if Bank.objects.filter(name=bank.name).exists():
        raise BankError(_("A bank named %(name)s exists already.") % {"name": bank.name})
    bank.save()
    audit.record(actor=person, verb="banks.bank.created", obj=bank, after=_bank_state(bank))
    return bank


@transaction.atomic
def do_update_bank(*, actor: Any, bank: Bank, **changes: Any) -> Bank:
    """Change a bank's settings (not its name or signal type)."""
    person = _person(actor)
    unknown = set(changes) - set(BANK_FIELDS)
    if unknown:
        raise TypeError(f"unknown bank settings {sorted(unknown)}")
    bank = Bank.objects.select_for_update().get(pk=bank.pk)
    before = _bank_state(bank)
    for name, value in changes.items():
        setattr(bank, name, value)
    _check_bank(bank)
    bank.updated_at = timezone.now()  # index refreshes read bank settings each time; this shows staleness
    bank.save()
    audit.record(actor=person, verb="banks.bank.updated", obj=bank, before=before, after=_bank_state(bank))
    return bank


def _entry_fields(bank: Bank, value: str, label: str, source_ref: str) -> tuple[str, str, str]:
    try:
        canonical = canonical_value(BankKind(bank.kind), value)
    except BadEntryValue:
        raise BankError(_("This is not a valid hash for a %(kind)s bank.") % {"kind": bank.kind}) from None
    for name, text in (("label", label), ("source_ref", source_ref)):
        if is_formula(text) or len(text) > TEXT_LIMITS[name]:
            raise BankError(
                _("The %(field)s must be at most 200 characters and not start with = + - @.")
                % {"field": name}
            )
    return canonical, label.strip(), source_ref.strip()


def _new_entry(person: User, bank: Bank, value: str, label: str, source_ref: str) -> BankEntry:
    return BankEntry(
        bank=bank,
        value=value,
        digest=value_digest(value),
        label=label,
        source_ref=source_ref,
        added_by=person,
    )


@transaction.atomic
def do_add_bank_entry(
    *, actor: Any, bank: Bank, value: str, label: str = "", source_ref: str = ""
) -> BankEntry:
    """A pending entry; it matches nothing until a second person confirms it."""
    person = _person(actor)
    bank = Bank.objects.select_for_update().get(pk=bank.pk)
    value, label, source_ref = _entry_fields(bank, value, label, source_ref)
    if bank.entries.exclude(status=BankEntry.Status.REMOVED).filter(digest=value_digest(value)).exists():
        raise BankError(_("This hash is in the bank already."))
    entry = _new_entry(person, bank, value, label, source_ref)
    entry.save()
    audit.record(
        actor=person,
        verb="banks.entry.added",
        obj=entry,
        after={"bank": bank.name, "digest": entry.digest, "label": label, "source_ref": source_ref},
    )
    return entry


@transaction.atomic
def do_import_bank_entries(
    *, actor: Any, bank: Bank, rows: Sequence[EntryRow], file_name: str = ""
) -> dict[str, int]:
    """Pending entries for ``rows`` (already checked by ``read_bank_csv``), all or nothing. A value
    already live in the bank is skipped, so importing the same file twice adds nothing."""
    person = _person(actor)
    bank = Bank.objects.select_for_update().get(pk=bank.pk)
    live = set(bank.entries.exclude(status=BankEntry.Status.REMOVED).values_list("digest", flat=True))
    new = []
    for row in rows:
        value, label, source_ref = _entry_fields(bank, row.value, row.label, row.source_ref)
        if value_digest(value) not in live:
            new.append(_new_entry(person, bank, value, label, source_ref))
    BankEntry.objects.bulk_create(new, batch_size=2000)
    summary = {"rows": len(rows), "added": len(new), "already_in_bank": len(rows) - len(new)}
    audit.record(
        actor=person,
        verb="banks.entries.imported",
        obj=bank,
        after={"bank": bank.name, "file": file_name[:200], **summary},
    )
    return summary


@transaction.atomic
def do_confirm_bank_entry(*, actor: Any, entry: BankEntry) -> BankEntry:
    """Four-eyes: a second person with MANAGE_BANKS makes a pending entry active."""
    person = _person(actor)
    entry = BankEntry.objects.select_for_update().select_related("bank").get(pk=entry.pk)
    if entry.status != BankEntry.Status.PENDING:
        raise BankError(_("Only a pending entry can be confirmed."))
    if entry.added_by_id == person.pk:
        raise BankError(_("Another person must confirm an entry you added (four-eyes)."))
    now = timezone.now()
    entry.status = BankEntry.Status.ACTIVE
    entry.confirmed_by = person
    entry.confirmed_at = entry.updated_at = now
    entry.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    audit.record(
        actor=person,
        verb="banks.entry.confirmed",
        obj=entry,
        before={"status": "pending"},
        after={"status": "active", "bank": entry.bank.name, "added_by": entry.added_by_id},
    )
    return entry


@transaction.atomic
def do_remove_bank_entry(*, actor: Any, entry: BankEntry, reason: str = "") -> BankEntry:
    """Take an entry (pending: rejected; active: withdrawn) out of matching. Kept, marked removed."""
    person = _person(actor)
    entry = BankEntry.objects.select_for_update().select_related("bank").get(pk=entry.pk)
    if entry.status == BankEntry.Status.REMOVED:
        raise BankError(_("This entry is removed already."))
    before = entry.status
    now = timezone.now()
    entry.status = BankEntry.Status.REMOVED
    entry.removed_by = person
    entry.removed_at = entry.updated_at = now
    entry.save(update_fields=["status", "removed_by", "removed_at", "updated_at"])
    audit.record(
        actor=person,
        verb="banks.entry.removed",
        obj=entry,
        before={"status": before},
        after={"status": "removed", "bank": entry.bank.name},
        reason=reason[:2000],
    )
    return entry


@transaction.atomic
def do_record_bank_hits(
    *, actor: Any, asset_version: AssetVersion, hits: Sequence[SignalHit]
) -> list[BankHit]:
    """Keep the bank hits of one asset version as evidence and act on those that propose quarantine.

    ``hits`` are ``bank_hits(...)`` results (other hits are ignored). Hits of a bank of illegal content
    quarantine the asset version (``do_quarantine_asset_version``: no proxy, sprite or thumbnail, only the
    legal role may open the original, which is kept). Idempotent: recording the same hits again (a retried
    screening run) adds nothing. Review work for ``enqueue`` hits is the caller's (``do_upsert_item``).
    ``actor`` is trusted server code ("screening") or a person.
    """
    locked = AssetVersion.objects.select_for_update().get(pk=asset_version.pk)
    entries = {
        entry.pk: entry
        for entry in BankEntry.objects.filter(
            pk__in=[hit.detail["entry_id"] for hit in hits if "entry_id" in hit.detail]
        ).select_related("bank")
    }
    kept, quarantine = [], []
    for hit in hits:
        entry = entries.get(hit.detail.get("entry_id"))  # type: ignore[arg-type]
        if entry is None:
            continue
        record, created = BankHit.objects.get_or_create(
            asset_version=locked,
            entry=entry,
            signal=hit.signal,
            start_ms=hit.start_ms,
            defaults={
                "end_ms": hit.end_ms,
                "score": hit.score,
                "action": hit.detail.get("action", Bank.Action.ENQUEUE),
                "detail": {k: v for k, v in hit.detail.items() if k not in {"label", "entry_label"}},
            },
        )
        kept.append(record)
        if created:
            audit.record(
                actor=actor,
                verb="banks.hit.recorded",
                obj=record,
                after={
                    "asset_version": locked.pk,
                    "bank": entry.bank.name,
                    "entry": entry.pk,
                    "signal": hit.signal,
                    "start_ms": hit.start_ms,
                    "end_ms": hit.end_ms,
                    "action": record.action,
                },
            )
        if record.action == Bank.Action.QUARANTINE:
            quarantine.append(record)
    if quarantine and locked.quarantined_at is None:
        first = quarantine[0]
        reason = f"bank {first.entry.bank.name} entry {first.entry_id} ({first.signal})"
        do_quarantine_asset_version(actor=actor, asset_version=locked, reason=reason)
    return kept


@transaction.atomic
def do_export_bank(*, actor: Any, bank: Bank) -> str:
    """The bank's live entries as CSV text (see ``shinsa.banks.index.csvfile``); exports are audited.
    ``actor`` is a person with MANAGE_BANKS, or a string naming trusted server code (the CLI: "system")."""
    person = actor if isinstance(actor, str) and actor else _person(actor)
    rows = export_rows(bank)
    audit.record(
        actor=person, verb="banks.bank.exported", obj=bank, after={"bank": bank.name, "rows": len(rows)}
    )
    return write_bank_csv(rows)
