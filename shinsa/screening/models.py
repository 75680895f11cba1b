"""Screening runs: one per asset version, its stages (status, progress, timing) and its hits."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import AssetVersion


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ScreeningRun(models.Model):
    """The automated first pass over one asset version. Re-running resets its stages; hits are kept and
    upserted by key, so a retried or repeated run never duplicates them."""

    asset_version = models.OneToOneField(AssetVersion, on_delete=models.CASCADE, related_name="screening_run")
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.CharField(max_length=500, blank=True)  # one line: the stage that failed and why
    attempts = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveBigIntegerField(null=True, blank=True)  # of the media, when known
    media = models.JSONField(default=dict, blank=True)  # probe facts: codec, size, frame rate, tracks
    scene_cuts = models.JSONField(default=list, blank=True)  # [{"frame", "ms", "score"}]
    features = models.JSONField(default=dict, blank=True)  # {"pdq": [[hex, quality, ms]], "md5", "sha256"}
    skipped = models.JSONField(default=list, blank=True)  # stages or signals that could not run here
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RunStatus]), name="screening_run_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"screening of {self.asset_version}: {self.status}"


class StageStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    SKIPPED = "skipped", _("skipped")
    FAILED = "failed", _("failed")


class ScreeningStage(models.Model):
    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=StageStatus.choices, default=StageStatus.PENDING)
    progress = models.FloatField(default=0.0)  # 0..1
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)  # wall-clock time of the attempt that finished
    note = models.CharField(max_length=500, blank=True)  # why skipped, or the one-line error

    class Meta:
        ordering = ["run_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "name"], name="screening_stage_once_per_run"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in StageStatus]), name="screening_stage_status_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0.0, progress__lte=1.0), name="screening_stage_progress_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"


class ScreeningHit(models.Model):
    """One finding of one signal, keyed by run + signal + time range (+ what matched) so stages upsert."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="hits")
    key = models.CharField(max_length=200)
    stage = models.CharField(max_length=32)
    signal = models.CharField(max_length=32)
    policy_area = models.CharField(max_length=64)
    severity = models.CharField(max_length=16)
    score = models.FloatField()
    start_ms = models.PositiveBigIntegerField(null=True, blank=True)
    end_ms = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    review_item = models.ForeignKey(
        "review.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run_id", "start_ms", "signal", "key"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="screening_hit_once_per_key"),
            models.CheckConstraint(
                condition=Q(severity__in=["low", "medium", "high", "critical"]),
                name="screening_hit_severity_known",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0.0, score__lte=1.0), name="screening_hit_score_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(start_ms__isnull=True, end_ms__isnull=True)
                | Q(start_ms__isnull=False, end_ms__isnull=False, end_ms__gte=models.F("start_ms")),
                name="screening_hit_time_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.policy_area} {self.start_ms}-{self.end_ms}"
