"""Customer reports, anomalies the detector found, and random recall audits of unflagged content.
Data and constraints only: every change goes through ``shinsa.insights.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import TitleVersion
from shinsa.review.models import WorkItem


class ReportChannel(models.TextChoices):
    API = "api", _("API")
    FORM = "form", _("public form")


class ReportStatus(models.TextChoices):
    MERGED = "merged", _("joined a review item")
    FLAGGED = "flagged", _("flagged as suspicious")
    RELEASED = "released", _("released after a look")
    DISMISSED = "dismissed", _("dismissed as abuse")


class CustomerReport(models.Model):
    """One viewer's report of a title (or episode) version, as received."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="customer_reports")
    reason = models.CharField(max_length=64)  # an id from policies/report_reasons.toml
    policy_area = models.CharField(max_length=64)
    timecode_ms = models.PositiveBigIntegerField(null=True, blank=True)
    territory = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=2, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    reporter_ref = models.CharField(max_length=128)  # the platform's pseudonymous viewer id
    reporter_since = models.DateTimeField(null=True, blank=True)  # when that viewer's account was made
    audience_reach = models.PositiveBigIntegerField(default=0)
    channel = models.CharField(max_length=8, choices=ReportChannel.choices)
    status = models.CharField(max_length=16, choices=ReportStatus.choices)
    suspicions = models.JSONField(default=list, blank=True)
    item = models.ForeignKey(WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    looked_at_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["title_version", "received_at"], name="insights_report_by_version"),
            models.Index(fields=["received_at"], name="insights_report_by_time"),
            models.Index(fields=["status"], name="insights_report_by_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="insights_report_status"
            ),
            models.CheckConstraint(condition=~Q(reporter_ref=""), name="insights_report_has_reporter"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.MERGED) | Q(item__isnull=False),
                name="insights_merged_report_has_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.title_version_id} ({self.status})"


class AnomalyFinding(models.Model):
    """A day on which a daily series stood out from its seasonal baseline, with what drove it."""

    metric = models.CharField(max_length=32)  # reports, hits, decisions, overturns
    dimension = models.CharField(max_length=32)  # policy_area, territory, language, or "all"
    key = models.CharField(max_length=64)
    day = models.DateField()
    value = models.FloatField()
    expected = models.FloatField()
    spread = models.FloatField()
    score = models.FloatField()
    release_day = models.BooleanField(default=False)
    drivers = models.JSONField(default=list, blank=True)  # [{"title", "value", "typical", "share"}]
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "dimension", "key", "day"], name="insights_anomaly_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.dimension}={self.key} on {self.day}"


class RecallAudit(models.Model):
    """A title version no signal flagged, drawn at random for a person to check (recall estimate)."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="+")
    policy_area = models.CharField(max_length=64)
    sampled_at = models.DateTimeField(default=timezone.now)
    violating = models.BooleanField(null=True, blank=True)  # None until audited
    audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audited_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(violating__isnull=True, audited_at__isnull=True)
                | Q(violating__isnull=False, audited_at__isnull=False),
                name="insights_recall_audit_outcome_with_time",
            ),
        ]

    def __str__(self) -> str:
        return f"recall audit of {self.title_version_id} for {self.policy_area}"
