"""Review work: queues, work items, their signals and reports, decisions, confirmations, escalations,
appeals and exposure. Data and constraints only: every change goes through ``shinsa.review.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import TitleVersion
from shinsa.review.routing import TIER_NAMES

_USER = settings.AUTH_USER_MODEL


class Queue(models.Model):
    """A queue from policies/queues.toml, copied here by ``do_sync_queues`` so items can refer to it."""

    id = models.CharField(primary_key=True, max_length=64)
    name_ja = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    policy_areas = models.JSONField(default=list)
    territories = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)  # [[language, min_level], …]
    clearance = models.JSONField(default=dict, blank=True)  # {category: min level}
    sla = models.CharField(max_length=64)
    active = models.BooleanField(default=True)  # False once the queue left the policy files
    policy_version = models.CharField(max_length=64)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(id=""), name="review_queue_id_not_empty")]

    def __str__(self) -> str:
        return self.id


class WorkKind(models.TextChoices):
    REVIEW = "review", _("review")
    APPEAL = "appeal", _("appeal")
    AUDIT = "audit", _("audit")
    GOLD = "gold", _("gold")
    CALIBRATION = "calibration", _("calibration")
    LABEL = "label", _("label")


# Practice work: answers to gold and calibration items are scored, never applied to the catalog, and
# never counted in operational figures (docs/quality.md).
PRACTICE_KINDS = (WorkKind.GOLD, WorkKind.CALIBRATION)
# Work only the people who ask for it are given: audit items go to auditors (shinsa.quality), label items
# to labelers in the labeling console (shinsa.labeling).
ON_REQUEST_KINDS = (WorkKind.AUDIT, WorkKind.LABEL)


class ItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLAIMED = "claimed", _("claimed")
    HELD = "held", _("held for a person")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")


# Statuses in which an item is still live: at most one per dedup key.
LIVE_STATUSES = [ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.HELD]


class WorkItem(models.Model):
    """One piece of work a person is routed to. Gold and calibration items look exactly like reviews."""

    kind = models.CharField(max_length=16, choices=WorkKind.choices)
    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="work_items")
    policy_area = models.CharField(max_length=64)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="items")
    territory = models.CharField(max_length=2, blank=True)  # the market it concerns, when one does
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    # Priority (shinsa.review.priority): claims take the smallest rank_ms first.
    severity = models.CharField(max_length=16)
    high_severity = models.BooleanField(default=False)
    sla_priority = models.CharField(max_length=16)
    priority_score = models.PositiveIntegerField(default=0)
    rank_ms = models.BigIntegerField()
    due_at = models.DateTimeField()
    max_confidence = models.FloatField(default=0.0)
    audience_reach = models.PositiveBigIntegerField(default=0)
    signal_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    # What the item asks of the person who takes it (shinsa.review.routing.ItemNeeds).
    required_language = models.CharField(max_length=2, blank=True)
    required_level = models.CharField(max_length=2, blank=True)
    graphic_category = models.CharField(max_length=64, blank=True)
    graphic_level = models.PositiveSmallIntegerField(default=0)
    sensitive = models.BooleanField(default=False)
    # Legal and government orders and items on quarantined media: only people with handle_legal.
    legal_only = models.BooleanField(default=False)
    escalation_tier = models.PositiveSmallIntegerField(default=0)
    excluded_reviewer = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The claim.
    claimed_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    held_for = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Label items are keyed by their labeling task instead (shinsa.labeling): one title version
            # can hold many of them at once (projects, screening hits, decisions).
            models.UniqueConstraint(
                fields=["title_version", "policy_area", "kind"],
                condition=Q(status__in=LIVE_STATUSES) & ~Q(kind="label"),
                name="review_one_live_item_per_key",
            ),
            models.CheckConstraint(condition=Q(kind__in=WorkKind.values), name="review_item_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="review_item_status_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ItemStatus.CLAIMED, claimed_by__isnull=False, lease_expires_at__isnull=False)
                    | (
                        ~Q(status=ItemStatus.CLAIMED)
                        & Q(claimed_by__isnull=True, lease_expires_at__isnull=True)
                    )
                ),
                name="review_item_claimed_iff_claimant_and_lease",
            ),
            models.CheckConstraint(
                condition=Q(status=ItemStatus.HELD, held_for__isnull=False)
                | (~Q(status=ItemStatus.HELD) & Q(held_for__isnull=True)),
                name="review_item_held_iff_held_for",
            ),
            models.CheckConstraint(
                condition=Q(graphic_level__lte=3) & (Q(graphic_level=0) | ~Q(graphic_category="")),
                name="review_item_graphic_level_0_to_3_with_category",
            ),
            models.CheckConstraint(
                condition=Q(required_language="", required_level="")
                | (~Q(required_language="") & ~Q(required_level="")),
                name="review_item_language_with_level",
            ),
            models.CheckConstraint(
                condition=Q(escalation_tier__lte=len(TIER_NAMES) - 1), name="review_item_tier_known"
            ),
            models.CheckConstraint(
                condition=Q(max_confidence__gte=0.0, max_confidence__lte=1.0),
                name="review_item_confidence_0_to_1",
            ),
        ]
        indexes = [
            # The claim scans open items in rank order; the partial index holds only them.
            models.Index(
                fields=["rank_ms", "id"], condition=Q(status=ItemStatus.OPEN), name="review_open_by_rank"
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status=ItemStatus.CLAIMED),
                name="review_claimed_by_lease",
            ),
            models.Index(fields=["claimed_by", "status"], name="review_item_claimant"),
            # The queue page's capped open/overdue counts and next deadline per queue.
            models.Index(
                fields=["queue", "due_at"],
                condition=Q(status=ItemStatus.OPEN, legal_only=False),
                name="review_open_by_queue_due",
            ),
            # A claim first asks whether anything is held for the person.
            models.Index(
                fields=["held_for"], condition=Q(status=ItemStatus.HELD), name="review_held_for_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.policy_area}"


class WorkItemSignal(models.Model):
    """An automated signal merged into an item (screening hit, hash match). Repeats add to ``count``."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="signals")
    source = models.CharField(max_length=64)  # e.g. "screening:lexicon", "hash:pdq"
    ref = models.CharField(max_length=200)  # the signal's own id
    confidence = models.FloatField()
    count = models.PositiveIntegerField(default=1)
    # Where in the media the signal fired, when it says (drawn on the player's timeline).
    start_ms = models.BigIntegerField(null=True, blank=True)
    end_ms = models.BigIntegerField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "source", "ref"], name="review_signal_once_per_item"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0.0, confidence__lte=1.0), name="review_signal_confidence_0_to_1"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="review_signal_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.ref} ×{self.count}"


class WorkItemReport(models.Model):
    """Customer reports of one reason merged into an item; repeats add to ``count``."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=64)  # an id from policies/report_reasons.toml
    count = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "reason"], name="review_report_reason_once_per_item"),
            models.CheckConstraint(condition=Q(count__gte=1), name="review_report_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ×{self.count}"


class WorkItemSkip(models.Model):
    """A reviewer passed on an item; it is not offered to them again."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="skips")
    reviewer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    skipped_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="review_skip_once_per_reviewer"),
            models.CheckConstraint(condition=~Q(reason=""), name="review_skip_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"skip of item {self.item_id} by {self.reviewer_id}"


class DecisionAction(models.TextChoices):
    APPROVE = "approve", _("approve")
    RESTRICT = "restrict", _("restrict in territories")
    AGE_GATE = "age_gate", _("age gate / rating change request")
    EDIT_REQUEST = "edit_request", _("edit request")
    REMOVE = "remove", _("remove")
    ESCALATE = "escalate", _("escalate")


class DecisionSource(models.TextChoices):
    SCREENING = "screening", _("screening")
    CUSTOMER_REPORT = "customer_report", _("customer report")
    LEGAL_ORDER = "legal_order", _("legal or government order")
    PROACTIVE = "proactive", _("proactive")


class DecisionStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("waiting for a second reviewer")
    FINAL = "final", _("final")
    OVERTURNED = "overturned", _("overturned on appeal")
    REJECTED = "rejected", _("rejected by the second reviewer")


class Decision(models.Model):
    """What a reviewer decided on an item, the clause it cites and the evidence it rests on."""

    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="decisions")
    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="decisions")
    reviewer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=DecisionAction.choices)
    territories = models.JSONField(default=list, blank=True)  # ISO 3166-1 alpha-2 codes it applies to
    clause_id = models.CharField(max_length=32)
    clause_version = models.CharField(max_length=64)
    policy_version = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=DecisionSource.choices)
    automated_detection = models.BooleanField()
    work_kind = models.CharField(max_length=16, choices=WorkKind.choices)
    status = models.CharField(max_length=24, choices=DecisionStatus.choices)
    high_impact = models.BooleanField(default=False)
    decided_at = models.DateTimeField(default=timezone.now)
    final_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(action__in=DecisionAction.values), name="review_action_known"),
            models.CheckConstraint(condition=Q(source__in=DecisionSource.values), name="review_source_known"),
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="review_decision_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(clause_id="") & ~Q(clause_version="") & ~Q(policy_version=""),
                name="review_decision_cites_clause",
            ),
            # Four-eyes: a high-impact decision is never final without a confirmation row (checked by the
            # action); a low-impact one never waits.
            models.CheckConstraint(
                condition=Q(high_impact=True) | ~Q(status=DecisionStatus.PENDING_CONFIRMATION),
                name="review_only_high_impact_waits",
            ),
        ]
        indexes = [models.Index(fields=["title_version", "decided_at"], name="review_decisions_of_version")]

    def __str__(self) -> str:
        return f"{self.action} on item {self.item_id} ({self.status})"


class EvidenceKind(models.TextChoices):
    TIME_RANGE = "time_range", _("time range")
    SUBTITLE_CUE = "subtitle_cue", _("subtitle cue")
    FRAME = "frame", _("frame")
    NOTE = "note", _("note")


class Evidence(models.Model):
    """One piece of evidence of a decision: a time range, a subtitle cue, a frame or a note (ms)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    asset_id = models.BigIntegerField(null=True, blank=True)  # the catalog asset it points into
    # The exact file of that asset a subtitle cue's index counts in (cues change between versions).
    asset_version_id = models.BigIntegerField(null=True, blank=True)
    start_ms = models.BigIntegerField(null=True, blank=True)
    end_ms = models.BigIntegerField(null=True, blank=True)
    cue_index = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="review_evidence_kind_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=EvidenceKind.TIME_RANGE, start_ms__gte=0, end_ms__gt=F("start_ms"))
                    | Q(kind=EvidenceKind.FRAME, start_ms__gte=0, end_ms__isnull=True)
                    | Q(kind=EvidenceKind.SUBTITLE_CUE, cue_index__isnull=False)
                    | Q(kind=EvidenceKind.NOTE, start_ms__isnull=True, end_ms__isnull=True) & ~Q(note="")
                ),
                name="review_evidence_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of decision {self.decision_id}"


class ConfirmationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class Confirmation(models.Model):
    """The second pair of eyes on a high-impact decision (confirmed or rejected). Never the person who
    decided."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="confirmation")
    outcome = models.CharField(
        max_length=16, choices=ConfirmationOutcome.choices, default=ConfirmationOutcome.CONFIRMED
    )
    decider = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    confirmer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(confirmer=F("decider")), name="review_four_eyes"),
            models.CheckConstraint(
                condition=Q(outcome__in=ConfirmationOutcome.values), name="review_confirmation_outcome_known"
            ),
            # A rejection says why.
            models.CheckConstraint(
                condition=Q(outcome=ConfirmationOutcome.CONFIRMED) | ~Q(note=""),
                name="review_rejection_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"confirmation of decision {self.decision_id}"


class Escalation(models.Model):
    """An item raised to a higher tier, with the reason and the tier's SLA deadline."""

    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="escalations")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="escalation")
    from_tier = models.PositiveSmallIntegerField()
    to_tier = models.PositiveSmallIntegerField()
    reason = models.TextField()
    needs_territory_specialist = models.BooleanField(default=False)
    raised_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(to_tier__gt=F("from_tier"), to_tier__lte=len(TIER_NAMES) - 1),
                name="review_escalation_goes_up",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="review_escalation_has_reason"),
        ]

    def __str__(self) -> str:
        return f"escalation of item {self.item_id} to tier {self.to_tier}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    OVERTURNED = "overturned", _("overturned")


class Appeal(models.Model):
    """A request to look again at a final decision, decided by someone other than its reviewer."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="appeals")
    original_reviewer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    opened_by = models.CharField(max_length=150)  # "appellant", "legal", a username: no personal data
    opened_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    decided_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("original_reviewer")),
                name="review_appeal_by_someone_else",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    Q(outcome__in=AppealOutcome.values)
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="review_appeal_outcome_with_decider",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="review_appeal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"appeal of decision {self.decision_id}"


class AvailabilityChange(models.Model):
    """A catalog window a decision ended or withdrew, kept so an overturn can put it back as it was."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="availability_changes")
    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="+")
    territory = models.CharField(max_length=2)
    starts_on = models.DateField()
    previous_ends_on = models.DateField(null=True, blank=True)
    new_ends_on = models.DateField(null=True, blank=True)  # None: the window was withdrawn (it had not begun)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "territory", "starts_on"], name="review_change_once_per_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.starts_on} by decision {self.decision_id}"


class ExposureEntry(models.Model):
    """Graphic media a reviewer actually watched, weighted by the category (daily budget)."""

    reviewer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="exposure")
    category = models.CharField(max_length=64)
    viewed_ms = models.PositiveBigIntegerField()
    weighted_ms = models.PositiveBigIntegerField()
    day = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["reviewer", "day"], name="review_exposure_by_day")]
        constraints = [models.CheckConstraint(condition=Q(viewed_ms__gt=0), name="review_exposure_positive")]

    def __str__(self) -> str:
        return f"{self.category} {self.viewed_ms} ms"


class LegalOrder(models.Model):
    """A legal or government order about a title: who issued it, where, by when. Its work item waits in
    the restricted legal queue (``WorkItem.legal_only``); decisions on it are four-eyes."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="legal_orders")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="legal_orders")
    authority = models.CharField(max_length=200)
    territory = models.CharField(max_length=2)
    reference = models.CharField(max_length=200)
    deadline = models.DateTimeField()
    policy_area = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    received_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="review_legal_order_once"),
            models.CheckConstraint(
                condition=~Q(authority="") & ~Q(reference="") & ~Q(territory=""),
                name="review_legal_order_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.reference}"
