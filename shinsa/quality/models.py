"""QA audits, golden sets and calibration sessions. Data and constraints only: every change goes through
``shinsa.quality.actions``. Audit and gold work is routed and claimed as ``shinsa.review`` work items
(kinds ``audit`` and ``gold``); nothing here forks the work model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import TitleVersion
from shinsa.review.models import Decision, Queue, WorkItem

_USER = settings.AUTH_USER_MODEL


class ErrorClass(models.TextChoices):
    FALSE_POSITIVE = "false_positive", _("false positive")
    FALSE_NEGATIVE = "false_negative", _("false negative")
    WRONG_POLICY = "wrong_policy", _("wrong policy cited")
    WRONG_SEVERITY = "wrong_severity", _("wrong severity or rating")
    WRONG_TIME_RANGE = "wrong_time_range", _("wrong time range")
    TECHNICAL = "technical", _("technical")


class AuditPlan(models.Model):
    """A stratified sample of finished decisions (reviewer × policy area × severity) to re-review."""

    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_from = models.DateField()
    decided_to = models.DateField()
    confidence = models.FloatField(default=0.95)
    margin = models.FloatField(default=0.10)
    expected_error_rate = models.FloatField(default=0.10)
    new_reviewer_days = models.PositiveIntegerField(default=30)
    seed = models.PositiveIntegerField(default=1)
    strata = models.JSONField(default=list)  # the allocation, one dict per stratum, as planned

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gt=0, confidence__lt=1, margin__gt=0, margin__lt=1),
                name="quality_plan_confidence_and_margin_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(decided_to__gte=models.F("decided_from")), name="quality_plan_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SampleStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an auditor")
    ANSWERED = "answered", _("answered blind, to classify")
    AUDITED = "audited", _("audited")
    DISPUTED = "disputed", _("disputed by the reviewer")
    ADJUDICATED = "adjudicated", _("adjudicated")


class Adjudication(models.TextChoices):
    UPHELD = "upheld", _("audit finding upheld")
    OVERTURNED = "overturned", _("audit finding overturned")


class AuditSample(models.Model):
    """One sampled decision, its audit work item, the auditor's blind answer and findings, and any dispute."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="samples")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="audit_samples")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="audit_samples")
    reviewer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    policy_area = models.CharField(max_length=64)
    severity = models.CharField(max_length=16)
    reasons = models.JSONField(default=list, blank=True)  # why oversampled
    status = models.CharField(max_length=16, choices=SampleStatus.choices, default=SampleStatus.PENDING)
    auditor = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answer_action = models.CharField(max_length=16, blank=True)
    answer_clause = models.CharField(max_length=32, blank=True)
    answer_ranges = models.JSONField(default=list, blank=True)  # [[start_ms, end_ms], …]
    answer_note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    error_classes = models.JSONField(default=list, blank=True)  # ErrorClass values; empty: correct
    finding_note = models.TextField(blank=True)
    audited_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.TextField(blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    adjudicator = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    adjudication = models.CharField(max_length=16, choices=Adjudication.choices, blank=True)
    adjudication_note = models.TextField(blank=True)
    adjudicated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "decision"], name="quality_sample_once_per_plan"),
            models.CheckConstraint(
                condition=Q(status__in=SampleStatus.values), name="quality_sample_status_known"
            ),
            models.CheckConstraint(
                condition=Q(auditor__isnull=True) | ~Q(auditor=models.F("reviewer")),
                name="quality_nobody_audits_own_work",
            ),
            models.CheckConstraint(
                condition=Q(adjudicator__isnull=True)
                | (~Q(adjudicator=models.F("reviewer")) & ~Q(adjudicator=models.F("auditor"))),
                name="quality_adjudicator_is_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"audit of decision {self.decision_id}"

    @property
    def counts_as_error(self) -> bool:
        """The finding that stands: an error found and not overturned on dispute."""
        return bool(self.error_classes) and self.adjudication != Adjudication.OVERTURNED

    @property
    def finished(self) -> bool:
        return self.status in (SampleStatus.AUDITED, SampleStatus.DISPUTED, SampleStatus.ADJUDICATED)


class GoldItem(models.Model):
    """Work with an expert answer. Placed in live queues as ``gold`` work items, answered like real work."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="gold_items")
    policy_area = models.CharField(max_length=64)
    expected_action = models.CharField(max_length=16)
    expected_clause = models.CharField(max_length=32)
    expected_ranges = models.JSONField(default=list, blank=True)  # [[start_ms, end_ms], …]
    # Rating findings the expert saw: [{"descriptor", "intensity", "start_ms", "end_ms"}, …]
    expected_findings = models.JSONField(default=list, blank=True)
    rationale = models.TextField()
    active = models.BooleanField(default=True)
    max_exposures = models.PositiveIntegerField(default=20)  # retired once answered this many times
    exposures = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    from_calibration = models.ForeignKey(
        "CalibrationItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="quality_gold_has_rationale"),
            models.CheckConstraint(
                condition=Q(max_exposures__gte=1), name="quality_gold_max_exposures_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"gold #{self.pk} {self.policy_area}"


class GoldContext(models.TextChoices):
    LIVE = "live", _("live queue")
    ONBOARDING = "onboarding", _("onboarding")


class GoldAnswer(models.Model):
    """One placement of a gold item (a live gold work item) or one onboarding answer, and its score."""

    gold = models.ForeignKey(GoldItem, on_delete=models.PROTECT, related_name="answers")
    context = models.CharField(max_length=16, choices=GoldContext.choices)
    item = models.OneToOneField(
        WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="gold_answer"
    )
    onboarding = models.ForeignKey(
        "OnboardingSet", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    reviewer = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="gold_answer"
    )
    action = models.CharField(max_length=16, blank=True)
    clause_id = models.CharField(max_length=32, blank=True)
    ranges = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    score = models.FloatField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)
    placed_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(context="live", item__isnull=False)
                | Q(context="onboarding", onboarding__isnull=False),
                name="quality_gold_answer_context",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="quality_gold_score_0_to_1",
            ),
            models.UniqueConstraint(
                fields=["onboarding", "gold", "reviewer"],
                condition=Q(context="onboarding"),
                name="quality_onboarding_answer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to gold {self.gold_id}"


class OnboardingSet(models.Model):
    """Gold a new reviewer answers before the queue serves them; people who joined before
    ``required_from`` are not held back."""

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="onboarding_sets")
    name = models.CharField(max_length=200)
    golds = models.ManyToManyField(GoldItem, related_name="onboarding_sets")
    pass_score = models.FloatField(default=0.8)
    required_from = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_score__gte=0, pass_score__lte=1), name="quality_pass_score_0_to_1"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    ANSWERING = "answering", _("1 · blind answers")
    REVEALED = "revealed", _("2 · reveal")
    DISCUSSION = "discussion", _("3 · discussion and consensus")
    CLOSED = "closed", _("closed")


class CalibrationSession(models.Model):
    name = models.CharField(max_length=200)
    policy_area = models.CharField(max_length=64)
    lead = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.ANSWERING)
    invited = models.ManyToManyField(_USER, related_name="calibration_sessions")
    created_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Krippendorff's alpha (nominal, on the action) of the blind answers and of the answers after discussion.
    alpha_before = models.FloatField(null=True, blank=True)
    alpha_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="quality_phase_known")
        ]

    def __str__(self) -> str:
        return self.name


class CalibrationItem(models.Model):
    session = models.ForeignKey(CalibrationSession, on_delete=models.CASCADE, related_name="items")
    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="+")
    gold = models.ForeignKey(GoldItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    discussion = models.TextField(blank=True)
    consensus_action = models.CharField(max_length=16, blank=True)
    consensus_clause = models.CharField(max_length=32, blank=True)
    consensus_ranges = models.JSONField(default=list, blank=True)
    consensus_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="quality_calibration_item_position")
        ]

    def __str__(self) -> str:
        return f"item {self.position} of session {self.session_id}"


class CalibrationAnswer(models.Model):
    """Round 1: blind, before the reveal. Round 2: after the discussion (agreement after the session)."""

    item = models.ForeignKey(CalibrationItem, on_delete=models.CASCADE, related_name="answers")
    reviewer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    action = models.CharField(max_length=16)
    clause_id = models.CharField(max_length=32)
    ranges = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "round", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reviewer", "round"], name="quality_calibration_answer_once"
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="quality_calibration_round_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"answer of {self.reviewer_id} to {self.item_id}"


class GuidelineExample(models.Model):
    """A worked example for the guidelines, from a calibration consensus."""

    policy_area = models.CharField(max_length=64)
    clause_id = models.CharField(max_length=32)
    action = models.CharField(max_length=16)
    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="+")
    ranges = models.JSONField(default=list, blank=True)
    rationale = models.TextField()
    source = models.OneToOneField(CalibrationItem, on_delete=models.PROTECT, related_name="guideline_example")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy_area", "clause_id", "id"]

    def __str__(self) -> str:
        return f"example of {self.clause_id}"
