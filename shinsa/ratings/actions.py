"""Every change of the rating workflow. Each runs in one transaction and is audited in it.

Reviewers (Perm.REVIEW_ITEMS) record certificates, assess, submit and publish; an override of a
proposed level needs a reason and a second person with Perm.CONFIRM_HIGH_IMPACT (a senior reviewer),
never the requester (four-eyes, also a DB constraint). Screening (trusted server code, a string actor)
may only *suggest* findings; a reviewer accepts or removes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.api.webhooks import emit
from shinsa.catalog.models import AssetVersion, Availability, Title, TitleKind, TitleVersion
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.engine import BASIS_CERTIFICATE, BASIS_MAPPING
from shinsa.ratings.errors import RatingWorkflowError
from shinsa.ratings.findings import Certificate as EngineCertificate
from shinsa.ratings.findings import Finding as EngineFinding
from shinsa.ratings.findings import RatingInputError, check_finding
from shinsa.ratings.models import (
    Assessment,
    Certificate,
    Finding,
    Override,
    ProposedRating,
    PublishedRating,
    Source,
)
from shinsa.ratings.policies import RatingPolicies
from shinsa.ratings.queries import ComplianceGap, gaps_by_cut
from shinsa.ratings.territories import TerritoryRating, propose_ratings
from shinsa.review.actions import IncomingSignal, do_upsert_item
from shinsa.review.models import LIVE_STATUSES, WorkItem, WorkKind

MAX_NOTE_LENGTH = 2000
MAX_REASON_LENGTH = 2000


def _input_message(error: RatingInputError) -> str:
    from shinsa.ratings.management.commands.rate import input_error_message

    return input_error_message(error)


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _require_open(assessment: Assessment, actor: User) -> None:
    if assessment.status == Assessment.Status.APPROVED:
        raise RatingWorkflowError(_("This assessment is approved; start a new one to change it."))
    if assessment.assessor_id != actor.pk:
        raise RatingWorkflowError(_("Only the assessor may change this assessment."))


def _reopen(assessment: Assessment) -> None:
    """A change of findings after submission sends the assessment back to draft: its proposals are
    stale. Pending overrides must be decided first; decided ones do not carry over to new proposals."""
    if assessment.status != Assessment.Status.SUBMITTED:
        return
    if assessment.overrides.filter(status=Override.Status.REQUESTED).exists():
        raise RatingWorkflowError(_("Decide the pending overrides before changing the findings."))
    assessment.proposals.all().delete()
    assessment.status = Assessment.Status.DRAFT
    assessment.policy_version = ""


def _touch(assessment: Assessment) -> None:
    assessment.updated_at = timezone.now()
    assessment.save()


@transaction.atomic
def do_record_certificate(
    *,
    actor: User,
    title_version: TitleVersion,
    scheme: str,
    level: str,
    number: str,
    issued_on: date,
    medium: str,
    authority: str,
    advice_en: Iterable[str] = (),
    advice_ja: Iterable[str] = (),
) -> Certificate:
    """Store a certificate an authority issued for this cut; it wins over any computed rating."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    policies = active_rating_policies()
    problems = []
    known = policies.schemes.get(scheme)
    if known is None:
        problems.append(_("Unknown rating scheme “%(scheme)s”.") % {"scheme": scheme})
    elif level not in known.codes:
        problems.append(_("“%(level)s” is not a level of %(scheme)s.") % {"level": level, "scheme": scheme})
    for label, value in ((_("number"), number), (_("medium"), medium), (_("authority"), authority)):
        if not value.strip():
            problems.append(_("The certificate needs a %(field)s.") % {"field": label})
    if issued_on > timezone.localdate():
        problems.append(_("A certificate cannot be issued in the future."))
    if Certificate.objects.filter(title_version=title_version, scheme=scheme).exists():
        problems.append(_("This cut already has a %(scheme)s certificate.") % {"scheme": scheme})
    if problems:
        raise RatingWorkflowError(*problems)
    certificate = Certificate.objects.create(
        title_version=title_version,
        scheme=scheme,
        level=level,
        number=number.strip(),
        issued_on=issued_on,
        medium=medium.strip(),
        authority=authority.strip(),
        advice_en=[text.strip() for text in advice_en if text.strip()],
        advice_ja=[text.strip() for text in advice_ja if text.strip()],
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        verb="ratings.certificate.recorded",
        obj=certificate,
        after={"title_version": title_version.pk, "scheme": scheme, "level": level},
    )
    return certificate


@transaction.atomic
def do_start_assessment(*, actor: User, title_version: TitleVersion) -> Assessment:
    """Open a rating assessment of one cut (at most one open at a time)."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    open_statuses = [Assessment.Status.DRAFT, Assessment.Status.SUBMITTED]
    if Assessment.objects.filter(title_version=title_version, status__in=open_statuses).exists():
        raise RatingWorkflowError(_("This cut already has an open assessment."))
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(title_version=title_version, assessor=actor)
    except IntegrityError:  # another reviewer opened one at the same moment
        raise RatingWorkflowError(_("This cut already has an open assessment.")) from None
    audit.record(
        actor=actor,
        verb="ratings.assessment.started",
        obj=assessment,
        after={"title_version": title_version.pk},
    )
    # Screening's hand-off: subtitle lexicon hits arrive as suggestions the assessor accepts or not.
    from shinsa.ratings.tasks import suggest_findings_from_subtitles

    transaction.on_commit(lambda: suggest_findings_from_subtitles.enqueue(assessment.pk))
    return assessment


def _checked_finding(
    policies: RatingPolicies,
    *,
    descriptor: str,
    intensity: int,
    context: Iterable[str],
    start_ms: int | None,
    end_ms: int | None,
) -> list[str]:
    problems = []
    engine_finding = EngineFinding(
        descriptor=descriptor,
        intensity=intensity,
        start_ms=start_ms,
        end_ms=end_ms,
        context=frozenset(context),
    )
    try:
        check_finding(policies.vocabulary, engine_finding)
    except RatingInputError as error:
        problems.append(_input_message(error))
    else:
        if start_ms is not None and end_ms is not None and end_ms == start_ms:
            problems.append(_("The end of the time range must be after its start."))
    return problems


@transaction.atomic
def do_add_finding(
    *,
    actor: User,
    assessment: Assessment,
    descriptor: str,
    intensity: int,
    context: Iterable[str] = (),
    start_ms: int | None = None,
    end_ms: int | None = None,
    evidence: AssetVersion | None = None,
    frame_ms: int | None = None,
    note: str = "",
) -> Finding:
    """Log what the assessor saw: a descriptor at an intensity, where, how, with optional evidence."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    assessment = _locked(assessment)
    _require_open(assessment, actor)
    tags = sorted(set(context))
    problems = _checked_finding(
        active_rating_policies(),
        descriptor=descriptor,
        intensity=intensity,
        context=tags,
        start_ms=start_ms,
        end_ms=end_ms,
    )
    if evidence is not None and evidence.asset.title_version_id != assessment.title_version_id:
        problems.append(_("The evidence must be an asset of the cut being assessed."))
    if frame_ms is not None and evidence is None:
        problems.append(_("An evidence frame needs an evidence asset."))
    if frame_ms is not None and frame_ms < 0:
        problems.append(_("The evidence frame time must not be negative."))
    if len(note) > MAX_NOTE_LENGTH:
        problems.append(_("The note is longer than %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH})
    if problems:
        raise RatingWorkflowError(*problems)
    _reopen(assessment)
    finding = Finding.objects.create(
        assessment=assessment,
        descriptor=descriptor,
        intensity=intensity,
        context=tags,
        start_ms=start_ms,
        end_ms=end_ms,
        evidence=evidence,
        frame_ms=frame_ms,
        note=note.strip(),
        created_by=actor,
    )
    _touch(assessment)
    audit.record(
        actor=actor,
        verb="ratings.finding.added",
        obj=finding,
        after={"assessment": assessment.pk, "descriptor": descriptor, "intensity": intensity},
    )
    return finding


@transaction.atomic
def do_suggest_finding(
    *,
    actor: str,
    assessment: Assessment,
    signal: str,
    descriptor: str,
    intensity: int,
    context: Iterable[str] = (),
    start_ms: int | None = None,
    end_ms: int | None = None,
) -> Finding:
    """A screening hit offered to the assessor as a suggested finding: never counted until accepted."""
    assessment = _locked(assessment)
    if assessment.status == Assessment.Status.APPROVED:
        raise RatingWorkflowError(_("This assessment is approved; start a new one to change it."))
    tags = sorted(set(context))
    problems = _checked_finding(
        active_rating_policies(),
        descriptor=descriptor,
        intensity=intensity,
        context=tags,
        start_ms=start_ms,
        end_ms=end_ms,
    )
    if not signal.strip():
        problems.append(_("A suggestion must name the signal that raised it."))
    if problems:
        raise RatingWorkflowError(*problems)
    finding = Finding.objects.create(
        assessment=assessment,
        descriptor=descriptor,
        intensity=intensity,
        context=tags,
        start_ms=start_ms,
        end_ms=end_ms,
        status=Finding.Status.SUGGESTED,
        suggested_by=signal.strip()[:64],
    )
    audit.record(
        actor=actor,
        verb="ratings.finding.suggested",
        obj=finding,
        after={"assessment": assessment.pk, "descriptor": descriptor, "signal": finding.suggested_by},
    )
    return finding


@transaction.atomic
def do_accept_suggestion(*, actor: User, finding: Finding) -> Finding:
    """The assessor takes a screening suggestion as their own finding."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    assessment = _locked(finding.assessment)
    _require_open(assessment, actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != Finding.Status.SUGGESTED:
        raise RatingWorkflowError(_("This finding is not a suggestion."))
    _reopen(assessment)
    finding.status = Finding.Status.ACCEPTED
    finding.created_by = actor
    finding.save()
    _touch(assessment)
    audit.record(
        actor=actor, verb="ratings.finding.accepted", obj=finding, after={"assessment": assessment.pk}
    )
    return finding


@transaction.atomic
def do_remove_finding(*, actor: User, finding: Finding) -> None:
    """Remove a finding (or dismiss a suggestion) from an open assessment."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    assessment = _locked(finding.assessment)
    _require_open(assessment, actor)
    if finding.status == Finding.Status.ACCEPTED:
        _reopen(assessment)
    summary = {"assessment": assessment.pk, "descriptor": finding.descriptor, "status": finding.status}
    finding_id = finding.pk
    finding.delete()
    _touch(assessment)
    audit.record(
        actor=actor,
        verb="ratings.finding.removed",
        object_type="ratings.finding",
        object_id=finding_id,
        before=summary,
    )


def engine_findings(assessment: Assessment) -> list[EngineFinding]:
    """The assessment's accepted findings, as the engine reads them."""
    return [
        EngineFinding(
            descriptor=finding.descriptor,
            intensity=finding.intensity,
            start_ms=finding.start_ms,
            end_ms=finding.end_ms,
            context=frozenset(finding.context),
        )
        for finding in assessment.findings.filter(status=Finding.Status.ACCEPTED)
    ]


def rating_territories(title_version_id: int, today: date) -> list[str]:
    """Territories where the cut is or will be available (windows not yet ended)."""
    windows = Availability.objects.filter(title_version_id=title_version_id).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    return sorted(set(windows.values_list("territory", flat=True)))


def explanation_json(rating: Any) -> list[dict[str, Any]]:
    return rating.to_json()["because"]


def referrals_json(rating: Any) -> list[dict[str, Any]]:
    return [
        {
            "rule": referral.rule,
            "descriptor": referral.descriptor,
            "start_ms": referral.start_ms,
            "end_ms": referral.end_ms,
            "note": {"en": referral.note.en, "ja": referral.note.ja},
        }
        for referral in rating.referrals
    ]


def _proposal_row(
    assessment: Assessment, proposed: TerritoryRating, certificates: dict[str, Certificate]
) -> ProposedRating:
    rating = proposed.rating
    advice_en = [text.en for text in rating.advice]
    advice_ja = [text.ja for text in rating.advice]
    if rating.source is not None:  # issued or mapped: the advice issued with the certificate
        advice_en = certificates[rating.source.scheme].advice_en
        advice_ja = certificates[rating.source.scheme].advice_ja
    return ProposedRating(
        assessment=assessment,
        scheme=rating.scheme,
        territory=proposed.territory,
        level=rating.level,
        computed_level=rating.level,
        advice_en=advice_en,
        advice_ja=advice_ja,
        explanation=explanation_json(rating),
        referrals=referrals_json(rating),
        source=rating.basis,
        policy_version=rating.policy_version,
    )


@transaction.atomic
def do_submit_assessment(*, actor: User, assessment: Assessment) -> list[ProposedRating]:
    """Compute the proposals: every scheme of every territory where the cut is (or will be) available,
    certificates first. Submitting again recomputes them under the policies in force."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    assessment = _locked(assessment)
    _require_open(assessment, actor)
    if assessment.overrides.filter(status=Override.Status.REQUESTED).exists():
        raise RatingWorkflowError(_("Decide the pending overrides before submitting again."))
    territories = rating_territories(assessment.title_version_id, timezone.localdate())
    if not territories:
        raise RatingWorkflowError(_("This cut is not available in any territory: there is nothing to rate."))
    policies = active_rating_policies()
    findings = engine_findings(assessment)
    problems = []
    for finding in findings:
        try:
            check_finding(policies.vocabulary, finding)
        except RatingInputError as error:  # the vocabulary changed since the finding was logged
            problems.append(_input_message(error))
    if problems:
        raise RatingWorkflowError(*problems)
    certificates = {
        certificate.scheme: certificate
        for certificate in Certificate.objects.filter(title_version_id=assessment.title_version_id)
    }
    issued = [EngineCertificate(scheme=item.scheme, code=item.level) for item in certificates.values()]
    proposed = propose_ratings(policies.schemes, findings, issued, territories)
    assessment.proposals.all().delete()
    rows = ProposedRating.objects.bulk_create(
        [_proposal_row(assessment, item, certificates) for item in proposed]
    )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.policy_version = policies.version
    _touch(assessment)
    audit.record(
        actor=actor,
        verb="ratings.assessment.submitted",
        obj=assessment,
        after={"proposals": len(rows), "territories": territories, "policy_version": policies.version[:16]},
    )
    return list(assessment.proposals.all())


@transaction.atomic
def do_request_override(
    *, actor: User, assessment: Assessment, scheme: str, territory: str, level: str, reason: str
) -> Override:
    """Ask to replace a computed proposal's level; a second person must approve it."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    assessment = _locked(assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise RatingWorkflowError(_("Only a submitted assessment's proposals can be overridden."))
    proposal = assessment.proposals.filter(scheme=scheme, territory=territory).first()
    if proposal is None:
        raise RatingWorkflowError(
            _("There is no proposal for %(scheme)s in %(territory)s.")
            % {"scheme": scheme, "territory": territory}
        )
    problems = []
    if proposal.source in (BASIS_CERTIFICATE, BASIS_MAPPING):
        problems.append(_("An issued certificate (or its mapping) cannot be overridden."))
    known = active_rating_policies().schemes.get(scheme)
    if known is None or level not in known.codes:
        problems.append(_("“%(level)s” is not a level of %(scheme)s.") % {"level": level, "scheme": scheme})
    elif level == proposal.level:
        problems.append(_("The override must change the level."))
    if not reason.strip():
        problems.append(_("An override needs a reason."))
    elif len(reason) > MAX_REASON_LENGTH:
        problems.append(_("The reason is longer than %(limit)d characters.") % {"limit": MAX_REASON_LENGTH})
    if assessment.overrides.filter(
        scheme=scheme, territory=territory, status=Override.Status.REQUESTED
    ).exists():
        problems.append(_("An override of this proposal is already awaiting approval."))
    if problems:
        raise RatingWorkflowError(*problems)
    override = Override.objects.create(
        assessment=assessment,
        scheme=scheme,
        territory=territory,
        level=level,
        reason=reason.strip(),
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        verb="ratings.override.requested",
        obj=override,
        before={"level": proposal.level},
        after={"scheme": scheme, "territory": territory, "level": level},
        reason=override.reason[:500],
    )
    return override


def _decide(actor: User, override: Override) -> Override:
    require_perm(actor, Perm.CONFIRM_HIGH_IMPACT)
    _locked(override.assessment)
    override = Override.objects.select_for_update().get(pk=override.pk)
    if override.requested_by_id == actor.pk:
        raise RatingWorkflowError(
            _("An override needs a second reviewer: you cannot decide your own request.")
        )
    if override.status != Override.Status.REQUESTED:
        raise RatingWorkflowError(_("This override has already been decided."))
    override.decided_by = actor
    override.decided_at = timezone.now()
    return override


@transaction.atomic
def do_approve_override(*, actor: User, override: Override) -> Override:
    """Four-eyes approval: the proposal takes the override's level (its computed level is kept)."""
    override = _decide(actor, override)
    override.status = Override.Status.APPROVED
    override.save()
    proposal = ProposedRating.objects.select_for_update().get(
        assessment_id=override.assessment_id, scheme=override.scheme, territory=override.territory
    )
    before = proposal.level
    proposal.level = override.level
    proposal.source = Source.OVERRIDE
    proposal.override = override
    proposal.save()
    audit.record(
        actor=actor,
        verb="ratings.override.approved",
        obj=override,
        before={"level": before},
        after={"level": override.level, "requested_by": override.requested_by_id},
    )
    return override


@transaction.atomic
def do_reject_override(*, actor: User, override: Override, reason: str = "") -> Override:
    """The second reviewer refuses the override; the proposal stays as computed."""
    override = _decide(actor, override)
    override.status = Override.Status.REJECTED
    override.save()
    audit.record(
        actor=actor,
        verb="ratings.override.rejected",
        obj=override,
        after={"level": override.level, "requested_by": override.requested_by_id},
        reason=reason.strip()[:500],
    )
    return override


@transaction.atomic
def do_publish_ratings(*, actor: User, assessment: Assessment) -> list[PublishedRating]:
    """Publish a submitted assessment's proposals to the catalog with their policy versions, mark it
    approved, and roll the ratings up to the season and series (see ``roll_up``)."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    assessment = _locked(assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise RatingWorkflowError(_("Only a submitted assessment can be published."))
    if assessment.overrides.filter(status=Override.Status.REQUESTED).exists():
        raise RatingWorkflowError(_("Decide the pending overrides before publishing."))
    title_version = assessment.title_version
    now = timezone.now()
    published = []
    for proposal in assessment.proposals.all():
        row, _created = PublishedRating.objects.update_or_create(
            title_version=title_version,
            scheme=proposal.scheme,
            territory=proposal.territory,
            defaults={
                "title_id": title_version.title_id,
                "assessment": assessment,
                "level": proposal.level,
                "computed_level": proposal.computed_level,
                "advice_en": proposal.advice_en,
                "advice_ja": proposal.advice_ja,
                "explanation": proposal.explanation,
                "referrals": proposal.referrals,
                "source": proposal.source,
                "override": proposal.override,
                "policy_version": proposal.policy_version,
                "published_at": now,
                "published_by": actor,
            },
        )
        published.append(row)
    assessment.status = Assessment.Status.APPROVED
    _touch(assessment)
    rolled = roll_up(actor=actor, title=title_version.title, policies=active_rating_policies(), now=now)
    audit.record(
        actor=actor,
        verb="ratings.published",
        obj=assessment,
        after={"title_version": title_version.pk, "ratings": len(published), "rollups": rolled},
    )
    emit(
        "rating.published",
        {
            "assessment": assessment.pk,
            "title": title_version.title.external_id,
            "version": title_version.label,
            "ratings": [
                {"scheme": row.scheme, "territory": row.territory, "level": row.level, "source": row.source}
                for row in published
            ],
            "policy_version": published[0].policy_version if published else "",
        },
    )
    return published


def roll_up(*, actor: User, title: Title, policies: RatingPolicies, now: Any) -> int:
    """Recompute the rollup ratings of every ancestor of ``title`` (season, then series).

    A parent's rating in a scheme and territory is the most restrictive of its children's published
    ratings there: every published cut of an episode, and a child season's own rollup. Runs inside
    the caller's transaction; returns how many rollup rows it wrote.
    """
    written = 0
    parent = title.parent
    while parent is not None:
        # One rollup of a parent at a time: two episodes published at once would otherwise both
        # replace the season's rows and collide on its unique constraint.
        parent = Title.objects.select_for_update().get(pk=parent.pk)
        children = list(parent.children.all())
        child_rows = PublishedRating.objects.filter(
            Q(
                title__in=[child for child in children if child.kind == TitleKind.EPISODE],
                title_version__isnull=False,
            )
            | Q(
                title__in=[child for child in children if child.kind == TitleKind.SEASON],
                title_version__isnull=True,
            )
        ).select_related("title")
        strictest: dict[tuple[str, str], PublishedRating] = {}
        for row in child_rows:
            scheme = policies.schemes.get(row.scheme)
            if scheme is None or row.level not in scheme.codes:
                continue  # a scheme (or level) no longer in force cannot be compared
            key = (row.scheme, row.territory)
            held = strictest.get(key)
            if held is None or scheme.level_index(row.level) > scheme.level_index(held.level):
                strictest[key] = row
        PublishedRating.objects.filter(title=parent, title_version__isnull=True).delete()
        for (scheme_id, territory), row in sorted(strictest.items()):
            PublishedRating.objects.create(
                title=parent,
                title_version=None,
                assessment=None,
                scheme=scheme_id,
                territory=territory,
                level=row.level,
                computed_level=row.level,
                advice_en=row.advice_en,
                advice_ja=row.advice_ja,
                explanation=[{"title": row.title.external_id, "level": row.level}],
                referrals=[],
                source=Source.ROLLUP,
                policy_version=policies.schemes[scheme_id].content_hash,
                published_at=now,
                published_by=actor,
            )
            written += 1
        parent = parent.parent
    return written


COMPLIANCE_POLICY_AREA = "maturity_rating"
COMPLIANCE_SIGNAL_SOURCE = "ratings:compliance_gap"


def do_enqueue_compliance_gaps(*, actor: Any = "system", gaps: list[ComplianceGap]) -> list[WorkItem]:
    """Open one maturity-rating review item per cut with compliance gaps, due by its earliest deadline.

    A cut that already has a live item is left alone, so running this daily (``shinsa ratings gaps
    --enqueue``) adds work only for new gaps and never inflates an item's priority.
    """
    created = []
    for cut in gaps_by_cut(gaps):
        version_id = cut.gaps[0].title_version_id
        with transaction.atomic():
            live = WorkItem.objects.filter(
                title_version_id=version_id,
                policy_area=COMPLIANCE_POLICY_AREA,
                kind=WorkKind.REVIEW,
                status__in=LIVE_STATUSES,
            ).exists()
            if live:
                continue
            deadline = datetime.combine(cut.deadline, time.min, tzinfo=UTC)
            created.append(
                do_upsert_item(
                    actor=actor,
                    title_version=TitleVersion.objects.get(pk=version_id),
                    policy_area=COMPLIANCE_POLICY_AREA,
                    kind=WorkKind.REVIEW,
                    signal=IncomingSignal(
                        source=COMPLIANCE_SIGNAL_SOURCE, ref=f"{cut.title}/{cut.version}", confidence=1.0
                    ),
                    due_by=deadline,
                )
            )
    return created
