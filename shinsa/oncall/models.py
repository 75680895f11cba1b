"""Rotations, overrides, handoff notes, calendar feeds, pages, silences and deliveries.
Data and constraints only: every change goes through ``shinsa.oncall.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.oncall.schedule import ZONES, Pattern, Plan

_USER = settings.AUTH_USER_MODEL


class Rotation(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name_en = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200)
    pattern = models.CharField(max_length=16, choices=[(p.value, p.value) for p in Pattern])
    zone = models.CharField(max_length=64, choices=[(z, z) for z in ZONES])
    first_day = models.DateField()
    handoff_hour = models.PositiveSmallIntegerField()
    escalate_after_minutes = models.PositiveIntegerField(default=15)
    webhook_url = models.URLField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(handoff_hour__lte=23), name="oncall_handoff_hour_0_23"),
            models.CheckConstraint(
                condition=Q(escalate_after_minutes__gte=1), name="oncall_escalate_after_1"
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def name(self, language: str) -> str:
        return self.name_ja if language == "ja" else self.name_en

    def plan(self) -> Plan:
        members = tuple(self.members.order_by("position").values_list("user_id", flat=True))
        return Plan(
            pattern=Pattern(self.pattern),
            zone=self.zone,
            first_day=self.first_day,
            handoff_hour=self.handoff_hour,
            members=members,
        )


class RotationMember(models.Model):
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "position"], name="oncall_member_position_once"),
            models.UniqueConstraint(fields=["rotation", "user"], name="oncall_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rotation_id}#{self.position}"


class ShiftOverride(models.Model):
    """Someone covers a span of a rotation instead of the scheduled person (swaps are two of these)."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=500)
    swap_of = models.PositiveIntegerField(null=True, blank=True)  # the other shift's index, for a swap
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="oncall_override_forward"),
            models.CheckConstraint(condition=~Q(reason=""), name="oncall_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} covers {self.rotation_id} {self.starts_at}–{self.ends_at}"


class HandoffNote(models.Model):
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="handoff_notes")
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=4000)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="oncall_note_not_empty")]

    def __str__(self) -> str:
        return f"handoff note {self.pk}"


class CalendarFeed(models.Model):
    """The nonce a person's secret feed URL is derived from; a new nonce revokes the old URL."""

    user = models.OneToOneField(_USER, on_delete=models.CASCADE, related_name="calendar_feed")
    nonce = models.CharField(max_length=64)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"


class PageKind(models.TextChoices):
    SLA_RISK = "sla_risk", _("SLA breach risk")
    BACKLOG = "backlog", _("backlog over threshold")
    ANOMALY = "anomaly", _("anomaly")
    SCREENING_FAILED = "screening_failed", _("screening run failed")


class PageStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")


LIVE_PAGE = [PageStatus.OPEN, PageStatus.ACKNOWLEDGED]


class Page(models.Model):
    """A condition that needs a person: sent to the one on call, escalated along the chain until
    acknowledged. Repeats of one live condition only count up ``repeats``."""

    kind = models.CharField(max_length=24, choices=PageKind.choices)
    condition = models.CharField(max_length=200)  # the dedup key, e.g. "backlog:general"
    summary = models.CharField(max_length=500)
    detail = models.JSONField(default=dict, blank=True)
    rotation = models.ForeignKey(
        Rotation, null=True, blank=True, on_delete=models.PROTECT, related_name="pages"
    )
    status = models.CharField(max_length=16, choices=PageStatus.choices, default=PageStatus.OPEN)
    level = models.PositiveSmallIntegerField(default=0)  # 0: the person on call; 1: the next; …
    paged_user = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    repeats = models.PositiveIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    acked_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acked_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition"],
                condition=Q(status__in=LIVE_PAGE),
                name="oncall_one_live_page_per_condition",
            ),
            models.CheckConstraint(condition=Q(kind__in=PageKind.values), name="oncall_page_kind_known"),
            models.CheckConstraint(
                condition=~Q(status=PageStatus.ACKNOWLEDGED)
                | Q(acked_by__isnull=False, acked_at__isnull=False),
                name="oncall_acknowledged_with_who_and_when",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_escalation_at"], condition=Q(status=PageStatus.OPEN), name="oncall_due"
            ),
        ]

    def __str__(self) -> str:
        return f"page {self.pk} {self.condition} ({self.status})"


class Silence(models.Model):
    condition = models.CharField(max_length=200)
    reason = models.CharField(max_length=500)
    until = models.DateTimeField()
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="oncall_silence_has_reason"),
            models.CheckConstraint(condition=Q(until__gt=F("created_at")), name="oncall_silence_forward"),
        ]

    def __str__(self) -> str:
        return f"silence {self.condition} until {self.until}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("webhook")


class Delivery(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=DeliveryChannel.choices)
    recipient = models.CharField(max_length=500)
    level = models.PositiveSmallIntegerField()
    ok = models.BooleanField()
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient} ({'ok' if self.ok else 'failed'})"
