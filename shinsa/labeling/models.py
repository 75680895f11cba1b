"""Labeling: projects, their items (tasks), labelers' submissions and labels, consensus, signal feedback,
training rights, export blocks and dataset snapshots. Data and constraints only: every change goes
through ``shinsa.labeling.actions``. Labeling work itself is a review ``WorkItem`` of kind ``label``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import AssetVersion, Title, TitleVersion
from shinsa.review.models import WorkItem

_USER = settings.AUTH_USER_MODEL


class SourceKind(models.TextChoices):
    CATALOG = "catalog", _("catalog query")
    SCREENING_HITS = "screening_hits", _("screening hits of a signal type")
    DECISIONS = "decisions", _("random sample of decisions")
    IMPORTED = "imported", _("imported dataset")


class ConsensusMethod(models.TextChoices):
    MAJORITY = "majority", _("majority")
    DAWID_SKENE = "dawid_skene", _("Dawid–Skene")


class LabelingProject(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name_ja = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    instructions_ja = models.TextField()
    instructions_en = models.TextField()
    examples = models.JSONField(default=list, blank=True)  # [{"ja": ..., "en": ...}]
    schema_id = models.CharField(max_length=64)
    schema_version = models.CharField(max_length=64)
    schema = models.JSONField()  # the schema as it was when the project was made (LabelSchema.as_json)
    policy_area = models.CharField(max_length=64)  # routes the items (queue, skills)
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices)
    source = models.JSONField(default=dict, blank=True)
    overlap = models.PositiveSmallIntegerField(default=2)
    max_labelers = models.PositiveSmallIntegerField(default=3)
    min_agreement = models.FloatField(default=0.8)
    min_signal_confidence = models.FloatField(default=0.0)
    consensus_method = models.CharField(
        max_length=16, choices=ConsensusMethod.choices, default=ConsensusMethod.MAJORITY
    )
    language = models.CharField(max_length=2, blank=True)  # subtitle spans in Japanese: "ja" (N2 needed)
    graphic_category = models.CharField(max_length=64, blank=True)
    graphic_level = models.PositiveSmallIntegerField(default=0)
    test_fraction = models.FloatField(default=0.2)
    split_seed = models.CharField(max_length=64)  # splits depend on it and the title alone
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(overlap__gte=1), name="labeling_overlap_positive"),
            models.CheckConstraint(
                condition=Q(max_labelers__gte=F("overlap")), name="labeling_limit_covers_overlap"
            ),
            models.CheckConstraint(
                condition=Q(min_agreement__gte=0.0, min_agreement__lte=1.0),
                name="labeling_min_agreement_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(test_fraction__gte=0.0, test_fraction__lte=1.0),
                name="labeling_test_fraction_0_to_1",
            ),
            models.CheckConstraint(condition=Q(graphic_level__lte=3), name="labeling_graphic_level_0_to_3"),
        ]

    def __str__(self) -> str:
        return self.slug


class TaskStatus(models.TextChoices):
    OPEN = "open", _("waiting for labelers")
    COMPLETE = "complete", _("complete")


class LabelTask(models.Model):
    """One thing to label in a project: a title version's media, a screening hit or a decision."""

    project = models.ForeignKey(LabelingProject, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(max_length=200)  # stable within the project: "tv:film-1/theatrical", "signal:…"
    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="+")
    asset_version = models.ForeignKey(
        AssetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.JSONField(default=dict, blank=True)  # the signal or decision it is about
    signal_source = models.CharField(max_length=64, blank=True)
    signal_ref = models.CharField(max_length=200, blank=True)
    signal_confidence = models.FloatField(null=True, blank=True)
    target_labelers = models.PositiveSmallIntegerField()
    work_item = models.ForeignKey(WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    agreement = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="labeling_task_key_unique"),
            models.CheckConstraint(condition=Q(target_labelers__gte=1), name="labeling_task_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.key}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class LabelSubmission(models.Model):
    """One labeler's answer to one task (autosaved as a draft until submitted)."""

    task = models.ForeignKey(LabelTask, on_delete=models.CASCADE, related_name="submissions")
    labeler = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    labeler_name = models.CharField(max_length=150)  # the username; imported answers may have no account
    status = models.CharField(max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    saved_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "labeler_name"], name="labeling_one_submission_per_labeler"
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.DRAFT, submitted_at__isnull=True)
                | Q(status=SubmissionStatus.SUBMITTED, submitted_at__isnull=False),
                name="labeling_submitted_iff_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.labeler_name} on task {self.task_id}"


class Label(models.Model):
    """One mark: a class, with a time range (ms, on frame boundaries), a cue span or a frame box."""

    submission = models.ForeignKey(LabelSubmission, on_delete=models.CASCADE, related_name="labels")
    label = models.CharField(max_length=64)
    start_ms = models.BigIntegerField(null=True, blank=True)
    end_ms = models.BigIntegerField(null=True, blank=True)
    cue_index = models.PositiveIntegerField(null=True, blank=True)
    text_start = models.PositiveIntegerField(null=True, blank=True)
    text_end = models.PositiveIntegerField(null=True, blank=True)
    frame_ms = models.BigIntegerField(null=True, blank=True)
    box = models.JSONField(null=True, blank=True)  # [x, y, w, h] as shares of the frame
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_ms__isnull=True, end_ms__isnull=True)
                | Q(start_ms__gte=0, end_ms__gt=F("start_ms")),
                name="labeling_label_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ConsensusLabel(models.Model):
    """The consensus of a task's labelers, with the method's posterior for its unit."""

    task = models.ForeignKey(LabelTask, on_delete=models.CASCADE, related_name="consensus")
    label = models.CharField(max_length=64)
    method = models.CharField(max_length=16, choices=ConsensusMethod.choices)
    posterior = models.JSONField()  # {class: probability}
    support = models.PositiveSmallIntegerField()
    start_ms = models.BigIntegerField(null=True, blank=True)
    end_ms = models.BigIntegerField(null=True, blank=True)
    cue_index = models.PositiveIntegerField(null=True, blank=True)
    frame_ms = models.BigIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.method})"


class Verdict(models.TextChoices):
    TRUE_POSITIVE = "true_positive", _("true positive")
    FALSE_POSITIVE = "false_positive", _("false positive")


class SignalFeedback(models.Model):
    """What labeling concluded about one screening hit; insights reads precision per signal from these."""

    task = models.OneToOneField(LabelTask, on_delete=models.CASCADE, related_name="signal_feedback")
    signal_source = models.CharField(max_length=64)
    signal_ref = models.CharField(max_length=200)
    policy_area = models.CharField(max_length=64)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    confidence = models.FloatField(null=True, blank=True)  # the signal's own score
    posterior = models.FloatField()  # the consensus method's probability of the verdict
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["signal_source", "policy_area"], name="labeling_feedback_by_signal")]
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="labeling_verdict_known"),
        ]

    def __str__(self) -> str:
        return f"{self.signal_source}:{self.signal_ref} {self.verdict}"


class TrainingRights(models.Model):
    """Whether a title's media may be exported to train models (absent: it may not)."""

    title = models.OneToOneField(Title, on_delete=models.PROTECT, related_name="training_rights")
    allowed = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.title_id}: {'allowed' if self.allowed else 'not allowed'}"


class ExportBlock(models.Model):
    """Media that never leaves in a dataset: an illegal-content bank match or a quarantine."""

    asset_version = models.OneToOneField(AssetVersion, on_delete=models.PROTECT, related_name="export_block")
    reason = models.CharField(max_length=32)  # "illegal_bank_match" | "quarantine" | "legal_hold"
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="labeling_block_has_reason")]

    def __str__(self) -> str:
        return f"{self.asset_version_id}: {self.reason}"


class DatasetSnapshot(models.Model):
    """A frozen, content-hashed state of a project's labels (the canonical JSONL file in storage)."""

    project = models.ForeignKey(LabelingProject, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    file = models.CharField(max_length=255)  # under SHINSA's var dir: datasets/<project>/<hash>.jsonl
    items = models.PositiveIntegerField()
    labels = models.PositiveIntegerField()
    agreement = models.FloatField(null=True, blank=True)
    schema_version = models.CharField(max_length=64)
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="labeling_snapshot_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.name}"

    @property
    def name(self) -> str:
        return f"s{self.number}-{self.content_hash[:12]}"


class FrameIndex(models.Model):
    """Every frame's start time of a video version (read from its packets), for snapping and frame steps."""

    asset_version = models.OneToOneField(AssetVersion, on_delete=models.CASCADE, related_name="frame_index")
    starts_ms = models.JSONField()
    end_ms = models.BigIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{len(self.starts_ms)} frames of {self.asset_version_id}"
