"""The rating workflow's data: certificates, assessments and their findings, proposals, overrides and
published ratings. Data and constraints only; every write goes through ``shinsa.ratings.actions``.

Levels and scheme ids are checked against the loaded rating policies by the actions (a check
constraint cannot read a policy file); everything a row can say about itself is a DB constraint.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import AssetVersion, Title, TitleVersion

MAX_INTENSITY = 4


class Source(models.TextChoices):
    """Where a proposed or published level comes from."""

    CERTIFICATE = "certificate", _("issued certificate")
    MAPPING = "mapping", _("mapped from a certificate")
    COMPUTED = "computed", _("computed from findings")
    OVERRIDE = "override", _("override")
    ROLLUP = "rollup", _("rolled up from episodes")


class Certificate(models.Model):
    """A rating an authority issued for one cut (title version): always wins over a computed rating."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="certificates")
    scheme = models.CharField(_("scheme"), max_length=32)
    level = models.CharField(_("level"), max_length=32)
    number = models.CharField(_("certificate number"), max_length=64)
    issued_on = models.DateField(_("issued on"))
    medium = models.CharField(_("medium"), max_length=32)
    authority = models.CharField(_("authority"), max_length=200)
    # The consumer advice the authority issued with it (BBFC "strong violence"), in English and Japanese.
    advice_en = models.JSONField(default=list, blank=True)
    advice_ja = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title_version_id", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["title_version", "scheme"], name="certificate_one_per_scheme"),
            models.CheckConstraint(condition=~Q(scheme=""), name="certificate_scheme_not_empty"),
            models.CheckConstraint(condition=~Q(level=""), name="certificate_level_not_empty"),
            models.CheckConstraint(condition=~Q(number=""), name="certificate_number_not_empty"),
            models.CheckConstraint(condition=~Q(medium=""), name="certificate_medium_not_empty"),
            models.CheckConstraint(condition=~Q(authority=""), name="certificate_authority_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.level} ({self.number})"


class Assessment(models.Model):
    """One reviewer's rating assessment of one cut: findings in, proposals out, then approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The rating policy set's version the proposals were computed under (empty while a draft).
    policy_version = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved"]), name="assessment_status_known"
            ),
            # At most one open assessment per cut: two reviewers never race on the same proposals.
            models.UniqueConstraint(
                fields=["title_version"],
                condition=Q(status__in=["draft", "submitted"]),
                name="assessment_one_open_per_version",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(policy_version=""), name="assessment_submitted_has_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"assessment {self.pk} of {self.title_version_id} ({self.status})"


class Finding(models.Model):
    """A descriptor seen at an intensity, where (ms), how (context tags), with optional evidence.

    Screening hits arrive as ``suggested`` findings; only ``accepted`` ones feed the engine.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        SUGGESTED = "suggested", _("suggested by screening")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    descriptor = models.CharField(_("descriptor"), max_length=32)
    intensity = models.PositiveSmallIntegerField(_("intensity"))
    context = models.JSONField(_("context"), default=list, blank=True)
    start_ms = models.PositiveBigIntegerField(_("start (ms)"), null=True, blank=True)
    end_ms = models.PositiveBigIntegerField(_("end (ms)"), null=True, blank=True)
    evidence = models.ForeignKey(
        AssetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    frame_ms = models.PositiveBigIntegerField(_("evidence frame (ms)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACCEPTED)
    # What suggested it (a screening signal's label); empty for a reviewer's own finding.
    suggested_by = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start_ms", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(descriptor=""), name="finding_descriptor_not_empty"),
            models.CheckConstraint(condition=Q(intensity__lte=MAX_INTENSITY), name="finding_intensity_range"),
            models.CheckConstraint(
                condition=Q(start_ms__isnull=True) | Q(end_ms__isnull=True) | Q(end_ms__gt=F("start_ms")),
                name="finding_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(frame_ms__isnull=True) | Q(evidence__isnull=False),
                name="finding_frame_needs_evidence",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "suggested"]), name="finding_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="accepted") | ~Q(suggested_by=""), name="finding_suggestion_has_origin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.descriptor} {self.intensity}"


class Override(models.Model):
    """A reviewer's request to replace a proposed level, with a reason; a second person decides."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="overrides")
    scheme = models.CharField(_("scheme"), max_length=32)
    territory = models.CharField(_("territory"), max_length=2)
    level = models.CharField(_("level"), max_length=32)
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # The second reviewer who approved or rejected it: never the requester (four-eyes, in the DB too).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_reason_required"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved", "rejected"]), name="override_status_known"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="override_four_eyes",
            ),
            models.CheckConstraint(
                condition=(Q(status="requested") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True))
                | (~Q(status="requested") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="override_decision_complete",
            ),
            models.UniqueConstraint(
                fields=["assessment", "scheme", "territory"],
                condition=Q(status="requested"),
                name="override_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"override {self.scheme}/{self.territory} → {self.level} ({self.status})"


class _RatingFields(models.Model):
    scheme = models.CharField(_("scheme"), max_length=32)
    territory = models.CharField(_("territory"), max_length=2)
    level = models.CharField(_("level"), max_length=32)
    # The engine's level before any override, kept so an override never hides what was computed.
    computed_level = models.CharField(max_length=32)
    advice_en = models.JSONField(default=list, blank=True)
    advice_ja = models.JSONField(default=list, blank=True)
    # The engine's ``because`` list: the findings that set the level, with the rule that did.
    explanation = models.JSONField(default=list, blank=True)
    referrals = models.JSONField(default=list, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The scheme file's content hash the level was computed (or mapped) under.
    policy_version = models.CharField(max_length=64)

    class Meta:
        abstract = True


class ProposedRating(_RatingFields):
    """What the engine (or a certificate, or an approved override) proposes for one scheme × territory."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="proposals")
    override = models.ForeignKey(Override, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["territory", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "scheme", "territory"], name="proposed_rating_unique"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["certificate", "mapping", "computed", "override"]),
                name="proposed_rating_source_known",
            ),
            models.CheckConstraint(
                condition=Q(source="override", override__isnull=False)
                | (~Q(source="override") & Q(override__isnull=True)),
                name="proposed_rating_override_linked",
            ),
            models.CheckConstraint(condition=~Q(policy_version=""), name="proposed_rating_policy_version"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}/{self.territory}: {self.level}"


class PublishedRating(_RatingFields):
    """The rating customers see: per cut, or per series/season when rolled up from its episodes."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="published_ratings")
    # Null for a rollup: a season's or series' rating belongs to the title, not to one cut.
    title_version = models.ForeignKey(
        TitleVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="published_ratings"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="published"
    )
    override = models.ForeignKey(Override, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["title_id", "territory", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["title_version", "scheme", "territory"],
                condition=Q(title_version__isnull=False),
                name="published_rating_unique_per_version",
            ),
            models.UniqueConstraint(
                fields=["title", "scheme", "territory"],
                condition=Q(title_version__isnull=True),
                name="published_rating_unique_rollup",
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="published_rating_source_known"
            ),
            # A rollup has no cut and no assessment; every other published rating has both.
            models.CheckConstraint(
                condition=Q(source="rollup", title_version__isnull=True, assessment__isnull=True)
                | (~Q(source="rollup") & Q(title_version__isnull=False) & Q(assessment__isnull=False)),
                name="published_rating_rollup_shape",
            ),
            models.CheckConstraint(
                condition=Q(source="override", override__isnull=False)
                | (~Q(source="override") & Q(override__isnull=True)),
                name="published_rating_override_linked",
            ),
            models.CheckConstraint(condition=~Q(policy_version=""), name="published_rating_policy_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title_id} {self.scheme}/{self.territory}: {self.level}"
