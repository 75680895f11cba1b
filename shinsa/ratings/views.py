"""Console pages of the rating workflow: compliance gaps, a cut's assessment (player, findings,
proposals, overrides, publish) and four-eyes decisions. The player streams from ``web:media``.

Thin: reads through ``queries``/``access``, writes only through ``actions``; every refusal of an action
is shown as a message, one per problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shinsa.accounts.access import perm_required, user_can
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetKind, AssetVersion
from shinsa.lib.clock import clock
from shinsa.ratings import actions
from shinsa.ratings.access import access_assessment, access_override, access_title_version
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.errors import RatingWorkflowError
from shinsa.ratings.forms import CertificateForm, FindingForm, OverrideForm
from shinsa.ratings.models import Assessment, Finding, Override
from shinsa.ratings.queries import DEFAULT_HORIZON_DAYS, cached_backtest, compliance_gaps, gaps_by_cut
from shinsa.review.player import graphic_category_of_version, player_context

CUTS_PER_PAGE = 25


def _language() -> str:
    return "ja" if translation.get_language() == "ja" else "en"


def _report(request: HttpRequest, error: RatingWorkflowError) -> None:
    for text in error.messages:
        messages.error(request, text)


@perm_required(Perm.VIEW_CATALOG)
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """Cuts available (or within the horizon) without an accurate, complete rating, soonest first."""
    policies = active_rating_policies()
    gaps = compliance_gaps(
        policies,
        today=timezone.localdate(),
        horizon_days=DEFAULT_HORIZON_DAYS,
        backtest_report=cached_backtest(policies),
    )
    territory = request.GET.get("territory", "").strip().upper() or None
    cuts = Paginator(gaps_by_cut(gaps, territory=territory), CUTS_PER_PAGE).get_page(request.GET.get("page"))
    open_assessments = Assessment.objects.filter(
        status__in=[Assessment.Status.DRAFT, Assessment.Status.SUBMITTED]
    ).select_related("title_version__title", "assessor")
    pending = Override.objects.filter(status=Override.Status.REQUESTED).select_related(
        "assessment__title_version__title", "requested_by"
    )
    return render(
        request,
        "ratings/pages/compliance.html",
        {
            "nav": "ratings",
            "gaps": gaps,
            "cuts": cuts,
            "territory": territory or "",
            "territories": sorted({gap.territory for gap in gaps}),
            "horizon_days": DEFAULT_HORIZON_DAYS,
            "open_assessments": open_assessments,
            "pending_overrides": pending,
            "today": timezone.localdate(),
        },
    )


@perm_required(Perm.VIEW_CATALOG)
def cut(request: HttpRequest, external_id: str, label: str) -> HttpResponse:
    """A cut's assessments; a reviewer starts one here (POST)."""
    version = access_title_version(request.user, external_id, label)
    if request.method == "POST":
        try:
            assessment = actions.do_start_assessment(actor=request.user, title_version=version)
        except RatingWorkflowError as error:
            _report(request, error)
            return redirect("ratings:cut", external_id=external_id, label=label)
        return redirect("ratings:assessment", assessment_id=assessment.pk)
    return _cut_page(request, version, CertificateForm(policies=active_rating_policies()))


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def record_certificate(request: HttpRequest, external_id: str, label: str) -> HttpResponse:
    """Record a certificate an authority issued for the cut; it wins over any computed rating."""
    version = access_title_version(request.user, external_id, label)
    form = CertificateForm(request.POST, policies=active_rating_policies())
    if not form.is_valid():
        return _cut_page(request, version, form, status=422)
    data = form.cleaned_data
    try:
        actions.do_record_certificate(
            actor=request.user,
            title_version=version,
            scheme=data["scheme"],
            level=data["level"].strip(),
            number=data["number"],
            issued_on=data["issued_on"],
            medium=data["medium"],
            authority=data["authority"],
            advice_en=data["advice_en"].splitlines(),
            advice_ja=data["advice_ja"].splitlines(),
        )
    except RatingWorkflowError as error:
        _report(request, error)
        return _cut_page(request, version, form, status=422)
    messages.success(request, _("Certificate recorded."))
    return redirect("ratings:cut", external_id=external_id, label=label)


def _cut_page(request: HttpRequest, version: Any, form: CertificateForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "ratings/pages/cut.html",
        {
            "nav": "ratings",
            "version": version,
            "assessments": version.assessments.select_related("assessor"),
            "certificates": version.certificates.all(),
            "published": version.published_ratings.order_by("territory", "scheme"),
            "can_assess": user_can(request.user, Perm.REVIEW_ITEMS),
            "certificate_form": form,
        },
        status=status,
    )


def _video_versions(assessment: Assessment) -> list[AssetVersion]:
    newest: dict[int, AssetVersion] = {}
    videos = AssetVersion.objects.filter(
        asset__title_version=assessment.title_version, asset__kind=AssetKind.VIDEO
    ).exclude(file="")
    for asset_version in (
        videos.select_related("asset").prefetch_related("renditions").order_by("asset_id", "number")
    ):
        newest[asset_version.asset_id] = asset_version
    return list(newest.values())


def _players(request: HttpRequest, assessment: Assessment) -> list[dict[str, Any]]:
    """The console's one player for each video of the cut (review.player), treated like review items."""
    category = graphic_category_of_version(assessment.title_version_id)
    return [
        player_context(
            request.user, video, category=category, form="[data-finding-form]", dom_id=f"player-{video.pk}"
        )
        for video in _video_versions(assessment)
    ]


def _assessment_page(
    request: HttpRequest, assessment: Assessment, finding_form: FindingForm | None = None, status: int = 200
) -> HttpResponse:
    policies = active_rating_policies()
    language = _language()
    names = {item.id: item.name.in_language(language) for item in policies.vocabulary.descriptors.values()}
    tags = {tag_id: tag.name.in_language(language) for tag_id, tag in policies.vocabulary.contexts.items()}
    findings = [
        {
            "finding": finding,
            "name": names.get(finding.descriptor, finding.descriptor),
            "tags": [tags.get(tag, tag) for tag in finding.context],
            "range": f"{clock(finding.start_ms)}–{clock(finding.end_ms)}"
            if finding.start_ms is not None
            else "",
            "frame": clock(finding.frame_ms),
        }
        for finding in assessment.findings.select_related("evidence__asset").order_by("start_ms", "pk")
    ]
    overrides = list(assessment.overrides.select_related("requested_by", "decided_by"))
    pending = {
        (item.scheme, item.territory) for item in overrides if item.status == Override.Status.REQUESTED
    }
    proposals = []
    for proposal in assessment.proposals.select_related("override"):
        scheme = policies.schemes.get(proposal.scheme)
        overridable = proposal.source in ("computed", "override") and scheme is not None
        proposals.append(
            {
                "proposal": proposal,
                "advice": proposal.advice_ja if language == "ja" else proposal.advice_en,
                "why": [
                    {
                        "name": names.get(item.get("descriptor", ""), item.get("descriptor", "")),
                        "intensity": item.get("intensity"),
                        "range": f"{clock(item.get('start_ms'))}–{clock(item.get('end_ms'))}"
                        if item.get("start_ms") is not None
                        else "",
                        "rule": item.get("rule", ""),
                    }
                    for item in proposal.explanation
                ],
                "referrals": [item["note"][language] for item in proposal.referrals],
                "pending": (proposal.scheme, proposal.territory) in pending,
                "override_form": OverrideForm(
                    initial={"scheme": proposal.scheme, "territory": proposal.territory},
                    levels=[code for code in scheme.codes if code != proposal.level] if scheme else [],
                    auto_id=f"id_override_{proposal.pk}_%s",
                )
                if overridable and assessment.status == Assessment.Status.SUBMITTED
                else None,
            }
        )
    is_assessor = request.user.pk == assessment.assessor_id
    return render(
        request,
        "ratings/pages/assessment.html",
        {
            "nav": "ratings",
            "assessment": assessment,
            "version": assessment.title_version,
            "players": _players(request, assessment),
            "findings": findings,
            "finding_form": finding_form or FindingForm(policies=policies, language=language),
            "proposals": proposals,
            "overrides": overrides,
            "certificates": assessment.title_version.certificates.all(),
            "is_assessor": is_assessor,
            "editable": is_assessor and assessment.status != Assessment.Status.APPROVED,
            "can_decide": user_can(request.user, Perm.CONFIRM_HIGH_IMPACT),
        },
        status=status,
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_GET
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _assessment_page(request, access_assessment(request.user, assessment_id))


def _finding_of(assessment: Assessment, request: HttpRequest) -> Finding:
    finding = assessment.findings.filter(pk=request.POST.get("finding", "").strip() or 0).first()
    if finding is None:
        raise Http404("no such finding")
    return finding


def _add_finding(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    form = FindingForm(request.POST, policies=active_rating_policies(), language=_language())
    if not form.is_valid():
        return _assessment_page(request, assessment, finding_form=form, status=422)
    data = form.cleaned_data
    evidence = None
    if data["frame_ms"] is not None:
        videos = _video_versions(assessment)
        evidence = videos[0] if videos else None
    actions.do_add_finding(
        actor=request.user,
        assessment=assessment,
        descriptor=data["descriptor"],
        intensity=data["intensity"],
        context=data["context"],
        start_ms=data["start_ms"],
        end_ms=data["end_ms"],
        evidence=evidence,
        frame_ms=data["frame_ms"],
        note=data["note"],
    )
    messages.success(request, _("Finding added."))
    return None


def _request_override(request: HttpRequest, assessment: Assessment) -> None:
    scheme = active_rating_policies().schemes.get(request.POST.get("scheme", ""))
    form = OverrideForm(request.POST, levels=list(scheme.codes) if scheme else [])
    if not form.is_valid():
        raise RatingWorkflowError(*[text for errors in form.errors.values() for text in errors])
    actions.do_request_override(actor=request.user, assessment=assessment, **form.cleaned_data)
    messages.success(request, _("Override requested: a senior reviewer must approve it."))


def _submit(request: HttpRequest, assessment: Assessment) -> None:
    actions.do_submit_assessment(actor=request.user, assessment=assessment)
    messages.success(request, _("Proposals computed for every territory where the cut is available."))


def _publish(request: HttpRequest, assessment: Assessment) -> None:
    published = actions.do_publish_ratings(actor=request.user, assessment=assessment)
    messages.success(request, _("%(count)d ratings published.") % {"count": len(published)})


def _remove(request: HttpRequest, assessment: Assessment) -> None:
    actions.do_remove_finding(actor=request.user, finding=_finding_of(assessment, request))
    messages.success(request, _("Finding removed."))


def _accept(request: HttpRequest, assessment: Assessment) -> None:
    actions.do_accept_suggestion(actor=request.user, finding=_finding_of(assessment, request))
    messages.success(request, _("Suggestion accepted as a finding."))


_STEPS: dict[str, Callable[[HttpRequest, Assessment], Any]] = {
    "add-finding": _add_finding,
    "remove-finding": _remove,
    "accept-finding": _accept,
    "submit": _submit,
    "request-override": _request_override,
    "publish": _publish,
}


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def assessment_step(request: HttpRequest, assessment_id: int, step: str) -> HttpResponse:
    """One change of an assessment (the ``step``), then back to its page."""
    found = access_assessment(request.user, assessment_id)
    handler = _STEPS.get(step)
    if handler is None:
        raise Http404("no such step")
    try:
        response = handler(request, found)
    except RatingWorkflowError as error:
        _report(request, error)
        response = None
    return response or redirect(
        reverse("ratings:assessment", args=[found.pk]) + ("#findings" if "finding" in step else "")
    )


@perm_required(Perm.CONFIRM_HIGH_IMPACT)
@require_POST
def decide_override(request: HttpRequest, override_id: int) -> HttpResponse:
    """A senior reviewer approves or rejects someone else's override (never their own)."""
    override = access_override(request.user, override_id)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            actions.do_approve_override(actor=request.user, override=override)
            messages.success(request, _("Override approved."))
        elif decision == "reject":
            actions.do_reject_override(
                actor=request.user, override=override, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Override rejected."))
        else:
            messages.error(request, _("Choose approve or reject."))
    except RatingWorkflowError as error:
        _report(request, error)
    return redirect("ratings:assessment", assessment_id=override.assessment_id)
