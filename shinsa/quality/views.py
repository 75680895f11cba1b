"""Quality pages: audits (plans, blind re-review, findings, disputes), scorecards and their XLSX, gold
and onboarding, calibration sessions in three phases.

Thin: reads through ``queries``, writes only through ``actions``; every refusal is shown as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shinsa.accounts.access import perm_required, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import TitleVersion
from shinsa.quality import actions
from shinsa.quality.actions.audits import may_see_sample
from shinsa.quality.errors import QualityError
from shinsa.quality.exports import scorecards_xlsx
from shinsa.quality.forms import (
    AdjudicateForm,
    AnswerForm,
    CalibrationForm,
    ClassifyForm,
    ConsensusForm,
    DisputeForm,
    FindingAnswerForm,
    GoldForm,
    PlanForm,
)
from shinsa.quality.models import (
    AuditPlan,
    AuditSample,
    CalibrationAnswer,
    CalibrationItem,
    CalibrationSession,
    ErrorClass,
    GoldItem,
    GuidelineExample,
    OnboardingSet,
    Phase,
    SampleStatus,
)
from shinsa.quality.queries import (
    calibration_by_area,
    gold_by_reviewer,
    gold_summary,
    onboarding_progress,
    scorecards,
    session_spread,
    session_statistics,
)
from shinsa.review.models import DecisionAction

EXPERT_PERMS = (Perm.AUDIT_DECISIONS, Perm.RUN_CALIBRATION)


def any_perm_required(*perms: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Like ``perm_required``, for pages open to holders of any one of ``perms``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(user_can(request.user, perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator


def _report(request: HttpRequest, error: QualityError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, text)


def _versions() -> list[tuple[int, str]]:
    return [
        (v.pk, f"{v.title.original_title} · {v.label}")
        for v in TitleVersion.objects.select_related("title").order_by("title__original_title", "label")[:200]
    ]


def _reviewers() -> list[User]:
    return [
        u for u in User.objects.filter(is_active=True).order_by("username") if user_can(u, Perm.REVIEW_ITEMS)
    ]


def _action_label(value: str) -> str:
    return str(dict(DecisionAction.choices).get(value, value))


# --- overview ------------------------------------------------------------------------------------


@any_perm_required(Perm.REVIEW_ITEMS, Perm.AUDIT_DECISIONS, Perm.RUN_CALIBRATION, Perm.VIEW_INSIGHTS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = AuditSample.objects.filter(reviewer=user).exclude(
        status__in=[SampleStatus.PENDING, SampleStatus.ANSWERED]
    )
    disputes = (
        AuditSample.objects.filter(status=SampleStatus.DISPUTED).exclude(reviewer=user).exclude(auditor=user)
        if user_can(user, Perm.HANDLE_ESCALATIONS)
        else AuditSample.objects.none()
    )
    to_classify = AuditSample.objects.filter(status=SampleStatus.ANSWERED, auditor=user)
    sessions = CalibrationSession.objects.filter(invited=user) | CalibrationSession.objects.filter(lead=user)
    onboarding = [
        progress
        for progress in (onboarding_progress(user, o) for o in OnboardingSet.objects.filter(active=True))
        if user_can(user, Perm.REVIEW_ITEMS) and (progress.required or progress.answered)
    ]
    return render(
        request,
        "quality/pages/index.html",
        {
            "nav": "quality",
            "can_audit": user_can(user, Perm.AUDIT_DECISIONS),
            "can_calibrate": user_can(user, Perm.RUN_CALIBRATION),
            "can_insights": user_can(user, Perm.VIEW_INSIGHTS),
            "mine": mine.select_related("decision", "plan")[:50],
            "disputes": disputes.select_related("decision")[:50],
            "to_classify": to_classify[:50],
            "sessions": sessions.distinct().order_by("-created_at")[:20],
            "onboarding": onboarding,
            "plans": AuditPlan.objects.all()[:10] if user_can(user, Perm.AUDIT_DECISIONS) else [],
        },
    )


# --- audits --------------------------------------------------------------------------------------


@perm_required(Perm.AUDIT_DECISIONS)
def plans(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PlanForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("quality:plans")
        try:
            plan = actions.do_create_audit_plan(actor=request.user, **form.cleaned_data)
        except QualityError as error:
            _report(request, error)
            return redirect("quality:plans")
        messages.success(
            request, _("Audit plan created: %(count)s decisions sampled.") % {"count": plan.samples.count()}
        )
        return redirect("quality:plan", plan.pk)
    today = timezone.localdate()
    form = PlanForm(initial={"decided_from": today.replace(day=1), "decided_to": today})
    return render(
        request,
        "quality/pages/plans.html",
        {"nav": "quality", "form": form, "plans": AuditPlan.objects.all()[:50]},
    )


@perm_required(Perm.AUDIT_DECISIONS)
@require_GET
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    audit_plan = get_object_or_404(AuditPlan, pk=plan_id)
    samples = audit_plan.samples.select_related("reviewer", "auditor", "decision__title_version__title")
    return render(
        request, "quality/pages/plan.html", {"nav": "quality", "plan": audit_plan, "samples": samples}
    )


@perm_required(Perm.AUDIT_DECISIONS)
@require_POST
def next_audit(request: HttpRequest) -> HttpResponse:
    sample = actions.do_claim_audit_item(actor=request.user)
    if sample is None:
        messages.info(request, _("No audit is waiting for you."))
        return redirect("quality:index")
    return redirect("quality:sample", sample.pk)


def _sample_for(request: HttpRequest, sample_id: int) -> AuditSample:
    sample = (
        AuditSample.objects.select_related("decision__title_version__title", "reviewer", "auditor", "item")
        .filter(pk=sample_id)
        .first()
    )
    if sample is None or not may_see_sample(request.user, sample):
        raise Http404("no such audit")
    return sample


@any_perm_required(Perm.AUDIT_DECISIONS, Perm.REVIEW_ITEMS)
@require_GET
def sample(request: HttpRequest, sample_id: int) -> HttpResponse:
    audit_sample = _sample_for(request, sample_id)
    user = request.user
    is_auditor_view = user_can(user, Perm.AUDIT_DECISIONS) and audit_sample.reviewer_id != user.pk
    # Blind: an auditor sees the original decision only once the blind answer is in.
    revealed = audit_sample.status != SampleStatus.PENDING or not is_auditor_view
    holds = (
        audit_sample.status == SampleStatus.PENDING
        and audit_sample.item.claimed_by_id == user.pk
        and audit_sample.item.status == "claimed"
    )
    decision = audit_sample.decision
    return render(
        request,
        "quality/pages/sample.html",
        {
            "nav": "quality",
            "sample": audit_sample,
            "version": decision.title_version,
            "revealed": revealed,
            "decision": decision if revealed else None,
            "decision_action": _action_label(decision.action) if revealed else "",
            "evidence": list(decision.evidence.all()) if revealed else [],
            "answer_action": _action_label(audit_sample.answer_action),
            "errors_shown": [ErrorClass(value).label for value in audit_sample.error_classes],
            "answer_form": AnswerForm(policy_area=audit_sample.policy_area) if holds else None,
            "classify_form": ClassifyForm()
            if audit_sample.status == SampleStatus.ANSWERED and audit_sample.auditor_id == user.pk
            else None,
            "dispute_form": DisputeForm()
            if audit_sample.status == SampleStatus.AUDITED
            and audit_sample.reviewer_id == user.pk
            and audit_sample.error_classes
            else None,
            "adjudicate_form": AdjudicateForm()
            if audit_sample.status == SampleStatus.DISPUTED
            and user_can(user, Perm.HANDLE_ESCALATIONS)
            and user.pk not in (audit_sample.reviewer_id, audit_sample.auditor_id)
            else None,
        },
    )


@any_perm_required(Perm.AUDIT_DECISIONS, Perm.REVIEW_ITEMS)
@require_POST
def sample_step(request: HttpRequest, sample_id: int, step: str) -> HttpResponse:
    audit_sample = _sample_for(request, sample_id)
    forms_by_step = {
        "answer": AnswerForm,
        "classify": ClassifyForm,
        "dispute": DisputeForm,
        "adjudicate": AdjudicateForm,
    }
    if step not in forms_by_step:
        raise Http404("no such step")
    form_class = forms_by_step[step]
    form = (
        form_class(request.POST, policy_area=audit_sample.policy_area)
        if step == "answer"
        else form_class(request.POST)
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("quality:sample", audit_sample.pk)
    data = form.cleaned_data
    try:
        if step == "answer":
            actions.do_answer_audit(
                actor=request.user,
                sample=audit_sample,
                action=data["action"],
                clause_id=data["clause"],
                ranges=data["ranges"],
                note=data["note"],
            )
            messages.success(
                request, _("Answer recorded. The original decision is shown below: classify it.")
            )
        elif step == "classify":
            actions.do_classify_audit(
                actor=request.user,
                sample=audit_sample,
                error_classes=data["error_classes"],
                note=data["note"],
            )
            messages.success(request, _("Audit finished."))
        elif step == "dispute":
            actions.do_dispute_audit(actor=request.user, sample=audit_sample, reason=data["reason"])
            messages.success(request, _("Dispute sent to a senior reviewer."))
        else:
            actions.do_adjudicate_audit(
                actor=request.user, sample=audit_sample, outcome=data["outcome"], note=data["note"]
            )
            messages.success(request, _("Dispute decided."))
    except QualityError as error:
        _report(request, error)
    return redirect("quality:sample", audit_sample.pk)


# --- scorecards ----------------------------------------------------------------------------------


@perm_required(Perm.VIEW_INSIGHTS)
@require_GET
def scorecards_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "quality/pages/scorecards.html",
        {
            "nav": "quality",
            "cards": scorecards(),
            "gold": gold_summary(),
            "gold_people": gold_by_reviewer(),
            "trends": calibration_by_area(),
        },
    )


@perm_required(Perm.VIEW_INSIGHTS)
@require_GET
def scorecards_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        scorecards_xlsx(scorecards()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="scorecards-{timezone.localdate().isoformat()}.xlsx"'
    )
    return response


# --- gold and onboarding -------------------------------------------------------------------------


@any_perm_required(*EXPERT_PERMS)
def gold(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = GoldForm(request.POST, versions=_versions())
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("quality:gold")
        data = form.cleaned_data
        try:
            actions.do_create_gold(
                actor=request.user,
                title_version=TitleVersion.objects.get(pk=int(data["version"])),
                policy_area=data["policy_area"],
                action=data["action"],
                clause_id=data["clause"],
                ranges=data["ranges"],
                rationale=data["rationale"],
                findings=data["findings"],
                max_exposures=data["max_exposures"],
            )
        except QualityError as error:
            _report(request, error)
        else:
            messages.success(request, _("Gold item added."))
        return redirect("quality:gold")
    golds = GoldItem.objects.select_related("title_version__title").order_by("-active", "policy_area", "id")
    return render(
        request,
        "quality/pages/gold.html",
        {
            "nav": "quality",
            "golds": golds,
            "form": GoldForm(versions=_versions()),
            "summary": gold_summary(),
            "onboarding_sets": OnboardingSet.objects.select_related("queue"),
            "examples": GuidelineExample.objects.select_related("title_version__title")[:50],
        },
    )


@any_perm_required(*EXPERT_PERMS)
@require_POST
def place_gold(request: HttpRequest) -> HttpResponse:
    try:
        placed = actions.do_place_gold(actor=request.user)
    except QualityError as error:
        _report(request, error)
    else:
        messages.success(
            request, _("%(count)s gold items placed in the live queues.") % {"count": len(placed)}
        )
    return redirect("quality:gold")


def _onboarding_form(gold_item: GoldItem, data: Any = None) -> AnswerForm:
    """Gold with rating findings asks for a finding too; other gold asks for the decision only."""
    form_class = FindingAnswerForm if gold_item.expected_findings else AnswerForm
    return form_class(data, policy_area=gold_item.policy_area)


@perm_required(Perm.REVIEW_ITEMS)
@require_GET
def onboarding(request: HttpRequest, set_id: int) -> HttpResponse:
    onboarding_set = get_object_or_404(OnboardingSet, pk=set_id, active=True)
    answered = {a.gold_id: a for a in onboarding_set.answers.filter(reviewer=request.user)}
    pending = [
        g
        for g in onboarding_set.golds.select_related("title_version__title").order_by("id")
        if g.pk not in answered
    ]
    current = pending[0] if pending else None
    return render(
        request,
        "quality/pages/onboarding.html",
        {
            "nav": "quality",
            "onboarding": onboarding_set,
            "progress": onboarding_progress(request.user, onboarding_set),
            "answers": list(answered.values()),
            "current": current,
            "form": _onboarding_form(current) if current else None,
        },
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def onboarding_answer(request: HttpRequest, set_id: int) -> HttpResponse:
    onboarding_set = get_object_or_404(OnboardingSet, pk=set_id, active=True)
    gold_item = get_object_or_404(GoldItem, pk=request.POST.get("gold") or 0)
    form = _onboarding_form(gold_item, request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("quality:onboarding", set_id)
    data = form.cleaned_data
    try:
        answer = actions.do_answer_onboarding(
            actor=request.user,
            onboarding=onboarding_set,
            gold=gold_item,
            action=data["action"],
            clause_id=data["clause"],
            ranges=data["ranges"],
            findings=data.get("findings", []),
        )
    except QualityError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            (_("Correct: score %(score)s%%.") if answer.correct else _("Not quite: score %(score)s%%."))
            % {"score": round(answer.score * 100)},
        )
    return redirect("quality:onboarding", set_id)


# --- calibration ---------------------------------------------------------------------------------


def _golds() -> list[tuple[int, str]]:
    return [
        (g.pk, f"#{g.pk} {g.title_version.title.original_title} · {g.policy_area}")
        for g in GoldItem.objects.filter(active=True).select_related("title_version__title")[:200]
    ]


@any_perm_required(Perm.RUN_CALIBRATION, Perm.REVIEW_ITEMS)
def calibration(request: HttpRequest) -> HttpResponse:
    people = [(u.pk, str(u)) for u in _reviewers()]
    if request.method == "POST":
        if not user_can(request.user, Perm.RUN_CALIBRATION):
            raise PermissionDenied
        form = CalibrationForm(request.POST, versions=_versions(), golds=_golds(), people=people)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("quality:calibration")
        data = form.cleaned_data
        try:
            session = actions.do_create_calibration(
                actor=request.user,
                name=data["name"],
                policy_area=data["policy_area"],
                versions=list(TitleVersion.objects.filter(pk__in=data["versions"]).order_by("pk")),
                golds=list(GoldItem.objects.filter(pk__in=data["golds"]).order_by("pk")),
                invitees=list(User.objects.filter(pk__in=data["invitees"]).order_by("pk")),
            )
        except QualityError as error:
            _report(request, error)
            return redirect("quality:calibration")
        return redirect("quality:session", session.pk)
    can_run = user_can(request.user, Perm.RUN_CALIBRATION)
    sessions = (
        CalibrationSession.objects.all()
        if can_run
        else CalibrationSession.objects.filter(invited=request.user)
    )
    return render(
        request,
        "quality/pages/calibration.html",
        {
            "nav": "quality",
            "sessions": sessions.select_related("lead")[:50],
            "form": CalibrationForm(versions=_versions(), golds=_golds(), people=people) if can_run else None,
            "trends": calibration_by_area(),
        },
    )


def _session_for(request: HttpRequest, session_id: int) -> CalibrationSession:
    session = CalibrationSession.objects.select_related("lead").filter(pk=session_id).first()
    if session is None:
        raise Http404("no such session")
    if not (
        user_can(request.user, Perm.RUN_CALIBRATION) or session.invited.filter(pk=request.user.pk).exists()
    ):
        raise Http404("no such session")
    return session


@any_perm_required(Perm.RUN_CALIBRATION, Perm.REVIEW_ITEMS)
@require_GET
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    calibration_session = _session_for(request, session_id)
    user = request.user
    invited = calibration_session.invited.filter(pk=user.pk).exists()
    items = list(
        calibration_session.items.select_related("title_version__title", "gold").order_by("position")
    )
    round_now = {Phase.ANSWERING: 1, Phase.DISCUSSION: 2}.get(calibration_session.phase)
    own = {
        a.item_id: a
        for a in CalibrationAnswer.objects.filter(
            item__session=calibration_session, reviewer=user, round=round_now or 0
        )
    }
    shown = calibration_session.phase != Phase.ANSWERING
    rows = [
        {
            "item": item,
            "own": own.get(item.pk),
            "form": AnswerForm(policy_area=calibration_session.policy_area, prefix=f"i{item.pk}")
            if invited and round_now
            else None,
            "consensus_form": ConsensusForm(policy_area=calibration_session.policy_area, prefix=f"c{item.pk}")
            if calibration_session.phase == Phase.DISCUSSION and calibration_session.lead_id == user.pk
            else None,
            "consensus_action": _action_label(item.consensus_action),
            "has_gold": GoldItem.objects.filter(from_calibration=item).exists(),
            "has_example": GuidelineExample.objects.filter(source=item).exists(),
        }
        for item in items
    ]
    spread = {s.item_id: s for s in session_spread(calibration_session)} if shown else {}
    for row in rows:
        row["spread"] = spread.get(row["item"].pk)
    return render(
        request,
        "quality/pages/session.html",
        {
            "nav": "quality",
            "session": calibration_session,
            "rows": rows,
            "is_lead": calibration_session.lead_id == user.pk,
            "invited": invited,
            "people": calibration_session.invited.order_by("username"),
            "answered": CalibrationAnswer.objects.filter(item__session=calibration_session, round=1)
            .values("reviewer")
            .distinct()
            .count(),
            "statistics": session_statistics(calibration_session) if shown else [],
            "statistics_after": session_statistics(calibration_session, 2)
            if calibration_session.phase == Phase.CLOSED
            else [],
        },
    )


@any_perm_required(Perm.RUN_CALIBRATION, Perm.REVIEW_ITEMS)
@require_POST
def session_step(request: HttpRequest, session_id: int, step: str) -> HttpResponse:
    calibration_session = _session_for(request, session_id)
    user = request.user
    target = reverse("quality:session", args=[calibration_session.pk])
    try:
        if step in ("reveal", "discuss", "close"):
            run = {
                "reveal": actions.do_reveal_calibration,
                "discuss": actions.do_open_discussion,
                "close": actions.do_close_calibration,
            }[step]
            run(actor=user, session=calibration_session)
            return redirect(target)
        if step not in ("answer", "consensus", "gold", "guideline"):
            raise Http404("no such step")
        item = get_object_or_404(
            CalibrationItem, pk=request.POST.get("item") or 0, session=calibration_session
        )
        if step == "gold":
            actions.do_consensus_to_gold(actor=user, item=item)
            messages.success(request, _("The consensus is now a gold item."))
        elif step == "guideline":
            actions.do_consensus_to_guideline(actor=user, item=item)
            messages.success(request, _("The consensus is now a guideline example."))
        else:
            form_class = AnswerForm if step == "answer" else ConsensusForm
            prefix = f"i{item.pk}" if step == "answer" else f"c{item.pk}"
            form = form_class(request.POST, policy_area=calibration_session.policy_area, prefix=prefix)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect(target)
            data = form.cleaned_data
            if step == "answer":
                actions.do_answer_calibration(
                    actor=user,
                    item=item,
                    action=data["action"],
                    clause_id=data["clause"],
                    ranges=data["ranges"],
                    note=data["note"],
                )
                messages.success(request, _("Answer saved."))
            else:
                actions.do_record_consensus(
                    actor=user,
                    item=item,
                    discussion=data["discussion"],
                    action=data["action"],
                    clause_id=data["clause"],
                    ranges=data["ranges"],
                    rationale=data["rationale"],
                )
                messages.success(request, _("Consensus recorded."))
    except QualityError as error:
        _report(request, error)
    return redirect(f"{target}#item-{request.POST.get('item', '')}" if request.POST.get("item") else target)
