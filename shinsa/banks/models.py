"""Hash banks: lists of known media hashes with what a match means, and their four-eyes entries.

Data and constraints only. All writes go through ``shinsa.banks.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.banks.index.matcher import BankKind, ProposedAction
from shinsa.banks.index.pdq_index import DEFAULT_RADIUS

MAX_THRESHOLD = 63


class Bank(models.Model):
    class Kind(models.TextChoices):
        PDQ = BankKind.PDQ.value, _("image PDQ")
        VIDEO = BankKind.VIDEO.value, _("video (vPDQ frames)")
        MD5 = BankKind.MD5.value, _("file MD5")

    class Action(models.TextChoices):
        ENQUEUE = ProposedAction.ENQUEUE.value, _("open a review item")
        QUARANTINE = ProposedAction.QUARANTINE.value, _("quarantine")

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")
        CRITICAL = "critical", _("critical")

    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(_("signal type"), max_length=8, choices=Kind.choices)
    policy_area = models.CharField(_("policy area"), max_length=64)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    threshold = models.PositiveSmallIntegerField(_("distance threshold"), default=DEFAULT_RADIUS)
    video_min_percent = models.PositiveSmallIntegerField(_("video: share of frames matched (%)"), default=80)
    enabled = models.BooleanField(_("enabled"), default=True)
    negative = models.BooleanField(_("negative (known benign)"), default=False)
    illegal = models.BooleanField(_("illegal content"), default=False)
    action = models.CharField(_("proposed action"), max_length=16, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in BankKind]), name="bank_kind_known"),
            models.CheckConstraint(condition=Q(threshold__lte=MAX_THRESHOLD), name="bank_threshold_range"),
            models.CheckConstraint(
                condition=Q(video_min_percent__gte=1) & Q(video_min_percent__lte=100),
                name="bank_video_percent_range",
            ),
            # A match of illegal content always quarantines; a known-benign bank cannot be illegal.
            models.CheckConstraint(
                condition=Q(illegal=False) | Q(action="quarantine"), name="bank_illegal_quarantines"
            ),
            models.CheckConstraint(
                condition=Q(illegal=False) | Q(negative=False), name="bank_illegal_not_negative"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="bank_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class BankEntry(models.Model):
    """One hash in a bank. Pending until a second person confirms it (four-eyes); removed, never deleted."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending confirmation")
        ACTIVE = "active", _("active")
        REMOVED = "removed", _("removed")

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="entries")
    value = models.TextField(_("hash"))
    digest = models.CharField(max_length=64)  # sha256 of value: the uniqueness key (values can be long)
    label = models.CharField(_("label"), max_length=200, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)  # what index refreshes read

    class Meta:
        ordering = ["bank_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "removed"]), name="bank_entry_status_known"
            ),
            # Four-eyes in the database too: the confirmer is never the person who added the entry.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("added_by")),
                name="bank_entry_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(confirmed_by__isnull=False),
                name="bank_entry_active_confirmed",
            ),
            models.UniqueConstraint(
                fields=["bank", "digest"], condition=~Q(status="removed"), name="bank_entry_unique_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank.name}#{self.pk}"


class BankHit(models.Model):
    """A match of an asset version against a bank entry, kept as evidence (for review, for the asset's
    timeline, and for the mandatory report when the bank holds illegal content). Never deleted."""

    asset_version = models.ForeignKey(
        "catalog.AssetVersion", on_delete=models.PROTECT, related_name="bank_hits"
    )
    entry = models.ForeignKey(BankEntry, on_delete=models.PROTECT, related_name="hits")
    signal = models.CharField(max_length=8)  # pdq, vpdq or md5
    start_ms = models.PositiveBigIntegerField(null=True, blank=True)
    end_ms = models.PositiveBigIntegerField(null=True, blank=True)
    score = models.FloatField()
    action = models.CharField(max_length=16, choices=Bank.Action.choices)
    detail = models.JSONField(default=dict)  # distance, variant, both video fractions, the entry's span
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["asset_version_id", "start_ms", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signal__in=["pdq", "vpdq", "md5"]), name="bank_hit_signal_known"
            ),
            models.CheckConstraint(
                condition=Q(start_ms__isnull=True, end_ms__isnull=True) | Q(end_ms__gte=F("start_ms")),
                name="bank_hit_time_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal} hit of entry {self.entry_id} in asset version {self.asset_version_id}"
