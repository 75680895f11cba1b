"""The review console: my queues, next item, the item page (player, subtitles, decision), four-eyes
confirmations, appeals, legal-order intake and the exposure overview. Reads through
``shinsa.review.console``; every change through ``shinsa.review.actions``."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shinsa.accounts.access import perm_required, require_perm, user_can
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import TitleVersion
from shinsa.policy.current import current_policies
from shinsa.review import actions
from shinsa.review.console import (
    cue_evidence,
    exposure_by_person,
    exposure_today,
    item_page,
    my_claims,
    parse_ranges,
    parse_time,
    pending_confirmations,
    queue_rows,
    special_counts,
)
from shinsa.review.errors import ReviewError
from shinsa.review.evidence import EvidenceRow
from shinsa.review.models import (
    AppealOutcome,
    Decision,
    DecisionAction,
    ItemStatus,
    LegalOrder,
    WorkItem,
    WorkKind,
)

NAV = "review"
SHORTCUTS = "review/partials/shortcuts.html"
# Sent by console.js on "next item"; answered with the item page and its URL instead of a redirect.
SWAP_HEADER = "X-Shinsa-Swap"


def _language() -> str:
    return "ja" if (translation.get_language() or "en").startswith("ja") else "en"


def _held_item(request: HttpRequest, item_id: int) -> WorkItem:
    """The item the signed-in person holds; 404 for anyone else (nothing about it is revealed)."""
    item = (
        WorkItem.objects.select_related("title_version__title", "queue")
        .filter(pk=item_id, status=ItemStatus.CLAIMED, claimed_by=request.user)
        .first()
    )
    if item is None:
        raise Http404("no such item held by you")
    return item


# --- my queues -----------------------------------------------------------------------------------


@perm_required(Perm.REVIEW_ITEMS)
@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "review/pages/queues.html",
        {
            "nav": NAV,
            "page_shortcuts": SHORTCUTS,
            "queues": queue_rows(_language(), actions.routing_for(request.user).queue_ids),
            "counts": special_counts(request.user),
            "claims": my_claims(request.user),
            "exposure": exposure_today(request.user),
            "now": timezone.now(),
        },
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def next_item(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind") or None
    queue = request.POST.get("queue") or None
    if kind is not None and kind not in WorkKind.values:
        kind = None
    item = actions.do_claim_next_item(actor=request.user, queue=queue, kind=kind)
    if item is None:
        if exposure_today(request.user).reached:
            messages.info(
                request, _("You reached today's exposure budget: graphic items stop here. Take a break.")
            )
        messages.info(request, _("Nothing left for you in this queue."))
        return redirect("review:queues")
    if request.headers.get(SWAP_HEADER):
        # The console's script asked for the page itself: one round trip instead of a redirect and a
        # new document; it puts the item's own URL in the address bar (a reload GETs the item).
        response = _open_item(request, _held_item(request, item.pk))
        response[SWAP_HEADER] = reverse("review:item", args=[item.pk])
        return response
    return redirect("review:item", item_id=item.pk)


# --- the item page -------------------------------------------------------------------------------


def _render_item(
    request: HttpRequest, item: WorkItem, *, errors: tuple[str, ...] = (), status: int = 200
) -> HttpResponse:
    page = item_page(
        request.user,
        item,
        _language(),
        exposure_url=reverse("review:exposure", args=[item.pk]),
    )
    return render(
        request,
        "review/pages/item.html",
        {
            "nav": NAV,
            "page_shortcuts": SHORTCUTS,
            "page": page,
            "item": item,
            "errors": errors,
            "form": request.POST if errors else {},
            "picked_cues": page.picked(request.POST.getlist("cue")) if errors else [],
            "actions": [
                (value, label, str(number))
                for number, (value, label) in enumerate(DecisionAction.choices, start=1)
                if value != DecisionAction.ESCALATE
            ],
            "outcomes": AppealOutcome.choices,
        },
        status=status,
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_GET
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    return _open_item(request, _held_item(request, item_id))


def _open_item(request: HttpRequest, held: WorkItem) -> HttpResponse:
    actions.do_record_item_view(actor=request.user, item=held)
    return _render_item(request, held)


def _evidence_from(
    request: HttpRequest, held: WorkItem, asset_id: int | None
) -> tuple[list[EvidenceRow], list[str]]:
    rows: list[EvidenceRow] = []
    ranges, bad = parse_ranges(request.POST.get("ranges", ""))
    problems = [_("The time range “%(text)s” cannot be read.") % {"text": text} for text in bad]
    rows += [EvidenceRow(kind="time_range", asset_id=asset_id, start_ms=s, end_ms=e) for s, e in ranges]
    frame = request.POST.get("frame_ms", "").strip()
    if frame:
        at = parse_time(frame)
        if at is None:
            problems.append(_("The frame time “%(text)s” cannot be read.") % {"text": frame})
        else:
            rows.append(EvidenceRow(kind="frame", asset_id=asset_id, start_ms=at))
    cues, cue_problems = cue_evidence(held.title_version_id, request.POST.getlist("cue"))
    rows += cues
    problems += cue_problems
    note = request.POST.get("evidence_note", "").strip()
    if note:
        rows.append(EvidenceRow(kind="note", note=note))
    return rows, problems


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def decide(request: HttpRequest, item_id: int) -> HttpResponse:
    held = _held_item(request, item_id)
    page_asset = request.POST.get("asset", "")
    rows, problems = _evidence_from(request, held, int(page_asset) if page_asset.isdigit() else None)
    action = request.POST.get("action", "")
    if request.POST.get("escalate"):
        action = DecisionAction.ESCALATE
    clause = request.POST.get("clause", "")
    if not action:
        problems.append(_("Choose an action."))
    if problems:
        return _render_item(request, held, errors=tuple(problems), status=422)
    signals_or_reports = held.signal_count > 0
    try:
        decision = actions.do_decide(
            actor=request.user,
            item=held,
            action=action,
            clause_id=clause,
            territories=request.POST.getlist("territory"),
            evidence=rows,
            note=request.POST.get("note", ""),
            source=request.POST.get("source", "") or "proactive",
            automated_detection=signals_or_reports,
        )
    except ReviewError as error:
        return _render_item(request, held, errors=error.messages, status=422)
    if decision.action == DecisionAction.ESCALATE:
        messages.success(request, _("Escalated to the next tier."))
    elif decision.status == "pending_confirmation":
        messages.success(request, _("Decision recorded: it waits for a second reviewer to confirm it."))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("review:queues")


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def skip(request: HttpRequest, item_id: int) -> HttpResponse:
    held = _held_item(request, item_id)
    try:
        actions.do_skip_item(actor=request.user, item=held, reason=request.POST.get("reason", ""))
    except ReviewError as error:
        return _render_item(request, held, errors=error.messages, status=422)
    messages.success(request, _("Item skipped: it will not be offered to you again."))
    return redirect("review:queues")


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def release(request: HttpRequest, item_id: int) -> HttpResponse:
    held = _held_item(request, item_id)
    actions.do_release_item(actor=request.user, item=held)
    messages.success(request, _("Item released back to its queue."))
    return redirect("review:queues")


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def heartbeat(request: HttpRequest, item_id: int) -> HttpResponse:
    held = _held_item(request, item_id)
    renewed = actions.do_heartbeat_claim(actor=request.user, item=held)
    return JsonResponse({"lease_expires_at": renewed.lease_expires_at.isoformat()})


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def exposure(request: HttpRequest, item_id: int) -> HttpResponse:
    """The player's viewing time of graphic media (``viewed_ms``), counted against the daily budget."""
    held = _held_item(request, item_id)
    raw = request.POST.get("viewed_ms", "")
    if not raw.isdigit() or not 0 < int(raw) <= 3_600_000:
        return JsonResponse({"error": _("Viewing time must be positive.")}, status=422)
    entry = actions.do_record_exposure(actor=request.user, item=held, viewed_ms=int(raw))
    today = exposure_today(request.user)
    return JsonResponse(
        {
            "recorded_ms": entry.weighted_ms if entry else 0,
            "spent_minutes": today.spent_minutes,
            "budget_minutes": today.budget_minutes,
            "budget_reached": today.reached,
        }
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def decide_appeal(request: HttpRequest, item_id: int) -> HttpResponse:
    held = _held_item(request, item_id)
    appeal = held.appeals.filter(outcome="").order_by("opened_at").first()
    if appeal is None:
        raise Http404("no open appeal on this item")
    try:
        actions.do_decide_appeal(
            actor=request.user,
            appeal=appeal,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except ReviewError as error:
        return _render_item(request, held, errors=error.messages, status=422)
    messages.success(request, _("Appeal decided."))
    return redirect("review:queues")


# --- four-eyes -----------------------------------------------------------------------------------


@perm_required(Perm.CONFIRM_HIGH_IMPACT)
@require_GET
def confirmations(request: HttpRequest) -> HttpResponse:
    clauses = current_policies().clauses
    language = _language()
    rows = [
        {
            "decision": decision,
            "clause": clauses[decision.clause_id].title.in_language(language)
            if decision.clause_id in clauses
            else decision.clause_id,
        }
        for decision in pending_confirmations(request.user)
    ]
    return render(
        request,
        "review/pages/confirmations.html",
        {"nav": NAV, "page_shortcuts": SHORTCUTS, "rows": rows},
    )


def _pending(decision_id: int) -> Decision:
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise Http404("no such decision")
    return decision


def _second_look(request: HttpRequest, decision_id: int, act: Any, done: str) -> HttpResponse:
    try:
        act(actor=request.user, decision=_pending(decision_id), note=request.POST.get("note", ""))
    except ReviewError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("review:confirmations")


@perm_required(Perm.CONFIRM_HIGH_IMPACT)
@require_POST
def confirm(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _second_look(
        request, decision_id, actions.do_confirm_decision, _("Decision confirmed: it takes effect now.")
    )


@perm_required(Perm.CONFIRM_HIGH_IMPACT)
@require_POST
def reject(request: HttpRequest, decision_id: int) -> HttpResponse:
    done = _("Decision rejected: the item is back in its queue.")
    return _second_look(request, decision_id, actions.do_reject_decision, done)


# --- exposure overview ---------------------------------------------------------------------------


@perm_required(Perm.MANAGE_QUEUES)
@require_GET
def exposure_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "review/pages/exposure.html",
        {"nav": NAV, "page_shortcuts": SHORTCUTS, "rows": exposure_by_person()},
    )


# --- legal and government orders -----------------------------------------------------------------


def _may_take_orders(user: Any) -> bool:
    return user_can(user, Perm.HANDLE_LEGAL) or user_can(user, Perm.MANAGE_QUEUES)


@require_http_methods(["GET", "POST"])
def legal_orders(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not _may_take_orders(request.user):
        require_perm(request.user, Perm.HANDLE_LEGAL)  # raises: the 403 page
    errors: list[str] = []
    if request.method == "POST":
        errors = _take_order(request)
        if not errors:
            messages.success(request, _("Order recorded: it waits in the legal queue."))
            return redirect("review:legal")
    areas = current_policies().areas
    language = _language()
    orders = LegalOrder.objects.select_related("title_version__title", "item")
    return render(
        request,
        "review/pages/legal.html",
        {
            "nav": NAV,
            "page_shortcuts": SHORTCUTS,
            "errors": errors,
            "form": request.POST if errors else {},
            "areas": sorted(((a.id, a.name.in_language(language)) for a in areas), key=lambda a: a[1]),
            "orders": list(orders.order_by("-received_at")[:50]),
        },
        status=422 if errors else 200,
    )


def _take_order(request: HttpRequest) -> list[str]:
    data = request.POST
    external_id, label = data.get("title", "").strip(), data.get("version", "").strip()
    version = TitleVersion.objects.filter(title__external_id=external_id, label=label).first()
    if version is None:
        return [_("No title version “%(title)s / %(label)s”.") % {"title": external_id, "label": label}]
    deadline = parse_datetime(data.get("deadline", "").strip())
    if deadline is None:
        return [_("Give the statutory deadline as a date and time.")]
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline, datetime.UTC)
    try:
        actions.do_intake_legal_order(
            actor=request.user,
            title_version=version,
            authority=data.get("authority", ""),
            territory=data.get("territory", ""),
            reference=data.get("reference", ""),
            deadline=deadline,
            policy_area=data.get("area", ""),
            note=data.get("note", ""),
        )
    except ReviewError as error:
        return list(error.messages)
    return []
