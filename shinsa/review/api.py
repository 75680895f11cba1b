"""Review endpoints under /api/v1/review/: queues, items, claims, decisions with evidence, four-eyes
confirmation, escalation and appeals — each a thin layer over ``shinsa.review.actions``.

Media never appears here: items and decisions carry ids (title, version, asset), not frames or files.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from shinsa.accounts.roles import Perm
from shinsa.api.auth import require
from shinsa.api.errors import ApiError, ErrorBody, object_or_404, run_action
from shinsa.api.pagination import PageQuery, paginate
from shinsa.review.actions import (
    do_claim_next_item,
    do_confirm_decision,
    do_decide,
    do_decide_appeal,
    do_heartbeat_claim,
    do_open_appeal,
    do_release_item,
    do_skip_item,
)
from shinsa.review.errors import ReviewError
from shinsa.review.models import (
    Appeal,
    Decision,
    DecisionAction,
    ItemStatus,
    Queue,
    WorkItem,
)

router = Router(tags=["review"])
_ERRORS = {401: ErrorBody, 403: ErrorBody, 404: ErrorBody}
_REFUSED = {422: ErrorBody, 409: ErrorBody}


# --- shapes --------------------------------------------------------------------------------------


class QueueOut(Schema):
    id: str = Field(examples=["hate-ja"])
    name_en: str = Field(examples=["Hate speech (Japanese)"])
    name_ja: str = Field(examples=["ヘイトスピーチ（日本語）"])
    policy_areas: list[str] = Field(examples=[["hate"]])
    sla: str = Field(examples=["standard"])
    active: bool
    open: int = Field(description="items waiting", examples=[12])
    claimed: int = Field(description="items someone holds", examples=[3])


class QueuePageOut(Schema):
    items: list[QueueOut]
    page: int
    pages: int
    total: int


class ItemOut(Schema):
    id: int = Field(examples=[42])
    kind: str = Field(examples=["review"])
    queue: str = Field(examples=["hate-ja"])
    policy_area: str = Field(examples=["hate"])
    title: str = Field(description="the title's external id", examples=["kaze-no-machi"])
    version: str = Field(examples=["theatrical"])
    territory: str = Field(examples=["JP"])
    status: str = Field(examples=["claimed"])
    severity: str = Field(examples=["high"])
    sla_priority: str = Field(examples=["p2"])
    due_at: datetime
    escalation_tier: int = Field(examples=[0])
    signal_count: int = Field(examples=[2])
    report_count: int = Field(examples=[1])
    claimed_by: str | None = Field(examples=["rin"])
    lease_expires_at: datetime | None


class ItemPageOut(Schema):
    items: list[ItemOut]
    page: int
    pages: int
    total: int


class EvidenceIn(Schema):
    kind: Literal["time_range", "subtitle_cue", "frame", "note"] = Field(examples=["time_range"])
    asset_id: int | None = Field(None, ge=0, le=2**62, description="the catalog asset it points into")
    start_ms: int | None = Field(None, ge=0, le=2**62, examples=[61_000])
    end_ms: int | None = Field(None, ge=0, le=2**62, examples=[64_500])
    cue_index: int | None = Field(None, ge=0, le=2**31, examples=[None])
    note: str = Field("", max_length=2000, examples=[""])


class DecisionIn(Schema):
    action: Literal["approve", "restrict", "age_gate", "edit_request", "remove", "escalate"] = Field(
        examples=["restrict"]
    )
    clause_id: str = Field(max_length=32, examples=["HAT-1"])
    territories: list[str] = Field(default_factory=list, max_length=300, examples=[["JP"]])
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)
    note: str = Field("", max_length=5000, examples=["slur at 1:01"])
    source: Literal["screening", "customer_report", "legal_order", "proactive"] = Field(
        examples=["customer_report"]
    )
    automated_detection: bool = Field(False, examples=[False])


class EscalateIn(Schema):
    clause_id: str = Field(max_length=32, examples=["HAT-1"])
    reason: str = Field(min_length=1, max_length=5000, examples=["needs a policy call"])
    source: Literal["screening", "customer_report", "legal_order", "proactive"] = "customer_report"


class EvidenceOut(Schema):
    kind: str
    asset_id: int | None
    asset_version_id: int | None
    start_ms: int | None
    end_ms: int | None
    cue_index: int | None
    note: str


class DecisionOut(Schema):
    id: int = Field(examples=[7])
    item: int = Field(examples=[42])
    title: str = Field(examples=["kaze-no-machi"])
    version: str = Field(examples=["theatrical"])
    reviewer: str = Field(examples=["rin"])
    action: str = Field(examples=["restrict"])
    territories: list[str] = Field(examples=[["JP"]])
    clause_id: str = Field(examples=["HAT-1"])
    clause_version: str
    policy_version: str
    source: str
    automated_detection: bool
    status: str = Field(examples=["final"])
    high_impact: bool
    decided_at: datetime
    final_at: datetime | None
    evidence: list[EvidenceOut]


class DecisionPageOut(Schema):
    items: list[DecisionOut]
    page: int
    pages: int
    total: int


class SkipIn(Schema):
    reason: str = Field(min_length=1, max_length=500, examples=["conflict of interest"])


class ClaimIn(Schema):
    queue: str | None = Field(None, max_length=64, examples=["hate-ja"])
    kind: Literal["review", "appeal", "audit", "gold", "calibration", "label"] | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=5000, examples=["checked the cut at 1:01"])


class AppealIn(Schema):
    reason: str = Field(min_length=1, max_length=5000, examples=["the scene is news footage"])
    opened_by: str = Field("appellant", min_length=1, max_length=150, examples=["appellant"])


class AppealDecisionIn(Schema):
    outcome: Literal["upheld", "overturned"] = Field(examples=["overturned"])
    note: str = Field("", max_length=5000)


class AppealOut(Schema):
    id: int = Field(examples=[3])
    decision: int = Field(examples=[7])
    item: int = Field(examples=[51])
    reason: str
    opened_by: str
    opened_at: datetime
    outcome: str = Field(description="empty while open; upheld or overturned", examples=[""])
    decided_by: str | None
    decided_at: datetime | None


class AppealPageOut(Schema):
    items: list[AppealOut]
    page: int
    pages: int
    total: int


class ItemFilters(PageQuery):
    queue: str | None = Field(None, max_length=64)
    status: Literal["open", "claimed", "held", "decided", "closed"] | None = None
    kind: Literal["review", "appeal", "audit", "gold", "calibration", "label"] | None = None
    mine: bool = Field(False, description="only items I hold")


class DecisionFilters(PageQuery):
    status: Literal["pending_confirmation", "final", "overturned"] | None = None
    action: Literal["approve", "restrict", "age_gate", "edit_request", "remove", "escalate"] | None = None
    title: str | None = Field(None, max_length=64, description="a title's external id")


class AppealFilters(PageQuery):
    open: bool | None = Field(None, description="true: undecided only; false: decided only")


# --- rendering -----------------------------------------------------------------------------------


def _item(item: WorkItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "queue": item.queue_id,
        "policy_area": item.policy_area,
        "title": item.title_version.title.external_id,
        "version": item.title_version.label,
        "territory": item.territory,
        "status": item.status,
        "severity": item.severity,
        "sla_priority": item.sla_priority,
        "due_at": item.due_at,
        "escalation_tier": item.escalation_tier,
        "signal_count": item.signal_count,
        "report_count": item.report_count,
        "claimed_by": item.claimed_by.get_username() if item.claimed_by_id else None,
        "lease_expires_at": item.lease_expires_at,
    }


def decision_body(decision: Decision) -> dict[str, Any]:
    """The public shape of a decision (also the webhook payload): ids and facts, never media."""
    return {
        "id": decision.pk,
        "item": decision.item_id,
        "title": decision.title_version.title.external_id,
        "version": decision.title_version.label,
        "reviewer": decision.reviewer.get_username(),
        "action": decision.action,
        "territories": decision.territories,
        "clause_id": decision.clause_id,
        "clause_version": decision.clause_version,
        "policy_version": decision.policy_version,
        "source": decision.source,
        "automated_detection": decision.automated_detection,
        "status": decision.status,
        "high_impact": decision.high_impact,
        "decided_at": decision.decided_at,
        "final_at": decision.final_at,
        "evidence": [
            {
                "kind": row.kind,
                "asset_id": row.asset_id,
                "asset_version_id": row.asset_version_id,
                "start_ms": row.start_ms,
                "end_ms": row.end_ms,
                "cue_index": row.cue_index,
                "note": row.note,
            }
            for row in decision.evidence.order_by("pk")
        ],
    }


def _appeal(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "decision": appeal.decision_id,
        "item": appeal.item_id,
        "reason": appeal.reason,
        "opened_by": appeal.opened_by,
        "opened_at": appeal.opened_at,
        "outcome": appeal.outcome,
        "decided_by": appeal.decided_by.get_username() if appeal.decided_by_id else None,
        "decided_at": appeal.decided_at,
    }


def _get(model: type, pk: int) -> Any:
    return object_or_404(model.objects, pk)


_ITEMS = WorkItem.objects.select_related("title_version__title", "claimed_by")
_DECISIONS = Decision.objects.select_related("title_version__title", "reviewer")


def _run(call: Any) -> Any:
    return run_action(call, refused=ReviewError, code="invalid_review_change")


# --- queues and items ----------------------------------------------------------------------------


@router.get("/review/queues", response={200: QueuePageOut, **_ERRORS}, summary="Review queues")
def queues(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Queues from the policies in force (inactive ones last), with how many items wait and are held."""
    require(request, Perm.REVIEW_ITEMS)
    rows = Queue.objects.annotate(
        open=Count("items", filter=Q(items__status=ItemStatus.OPEN)),
        claimed=Count("items", filter=Q(items__status=ItemStatus.CLAIMED)),
    ).order_by("-active", "id")
    return paginate(rows, page, lambda q: QueueOut.model_validate(q, from_attributes=True))


@router.get("/review/items", response={200: ItemPageOut, **_ERRORS}, summary="Work items")
def items(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    """Work items in rank order (most urgent first), filtered by queue, status, kind or my own claims."""
    user = require(request, Perm.REVIEW_ITEMS)
    rows = _ITEMS.order_by("rank_ms", "id")
    if filters.queue:
        rows = rows.filter(queue_id=filters.queue)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.mine:
        rows = rows.filter(claimed_by=user, status=ItemStatus.CLAIMED)
    return paginate(rows, filters, _item)


@router.get("/review/items/{item_id}", response={200: ItemOut, **_ERRORS}, summary="One work item")
def item_detail(request: HttpRequest, item_id: int) -> dict[str, Any]:
    require(request, Perm.REVIEW_ITEMS)
    return _item(_get(WorkItem, item_id))


@router.post(
    "/review/claims",
    response={200: ItemOut, 204: None, **_REFUSED, **_ERRORS},
    summary="Claim the next item",
)
def claim_next(request: HttpRequest, body: Query[ClaimIn]) -> Any:
    """The best item you may take (routing: skills, languages, clearance, exposure budget), held for you
    with a 10-minute lease; 204 when nothing is waiting for you."""
    user = require(request, Perm.REVIEW_ITEMS)
    if body.queue and not Queue.objects.filter(pk=body.queue).exists():
        raise ApiError(
            422, "unknown_queue", _("There is no queue “%(queue)s”.") % {"queue": body.queue}, "queue"
        )
    item = _run(lambda: do_claim_next_item(actor=user, queue=body.queue, kind=body.kind))
    if item is None:
        return Status(204, None)
    return _item(_ITEMS.get(pk=item.pk))


def _holder_call(request: HttpRequest, item_id: int, action: Any, **kwargs: Any) -> dict[str, Any]:
    user = require(request, Perm.REVIEW_ITEMS)
    item = _get(WorkItem, item_id)
    _run(lambda: action(actor=user, item=item, **kwargs))
    return _item(_ITEMS.get(pk=item.pk))


@router.post(
    "/review/items/{item_id}/heartbeat",
    response={200: ItemOut, **_REFUSED, **_ERRORS},
    summary="Extend your lease",
)
def heartbeat(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """Keep holding the item: the lease runs 10 minutes from now."""
    return _holder_call(request, item_id, do_heartbeat_claim)


@router.post(
    "/review/items/{item_id}/release",
    response={200: ItemOut, **_REFUSED, **_ERRORS},
    summary="Give the item back",
)
def release(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _holder_call(request, item_id, do_release_item)


@router.post(
    "/review/items/{item_id}/skip",
    response={200: ItemOut, **_REFUSED, **_ERRORS},
    summary="Skip: give back and never be offered it again",
)
def skip(request: HttpRequest, item_id: int, body: SkipIn) -> dict[str, Any]:
    return _holder_call(request, item_id, do_skip_item, reason=body.reason)


@router.post(
    "/review/items/{item_id}/decision",
    response={201: DecisionOut, **_REFUSED, **_ERRORS},
    summary="Decide the item you hold",
)
def decide(request: HttpRequest, item_id: int, body: DecisionIn) -> Status[dict[str, Any]]:
    """Cite a clause in force; restrict, remove, age gate and edit request need evidence (time ranges in
    ms, subtitle cues, frames or notes). Remove, legal orders and restrictions covering every territory
    are high impact: they wait for a second person (`confirm`)."""
    user = require(request, Perm.REVIEW_ITEMS)
    item = _get(WorkItem, item_id)
    decision = _run(
        lambda: do_decide(
            actor=user,
            item=item,
            action=body.action,
            clause_id=body.clause_id,
            territories=[code[:8] for code in body.territories],
            evidence=[row.model_dump() for row in body.evidence],
            note=body.note,
            source=body.source,
            automated_detection=body.automated_detection,
        )
    )
    return Status(201, decision_body(decision))  # as stored, its title version and reviewer loaded


@router.post(
    "/review/items/{item_id}/escalate",
    response={201: DecisionOut, **_REFUSED, **_ERRORS},
    summary="Escalate the item you hold",
)
def escalate(request: HttpRequest, item_id: int, body: EscalateIn) -> Status[dict[str, Any]]:
    """Send the item up one tier (senior, then policy/legal) with the reason; recorded as a decision."""
    user = require(request, Perm.REVIEW_ITEMS)
    item = _get(WorkItem, item_id)
    decision = _run(
        lambda: do_decide(
            actor=user,
            item=item,
            action=DecisionAction.ESCALATE,
            clause_id=body.clause_id,
            note=body.reason,
            source=body.source,
            automated_detection=False,
        )
    )
    return Status(201, decision_body(_DECISIONS.get(pk=decision.pk)))


# --- decisions and appeals -----------------------------------------------------------------------


@router.get("/review/decisions", response={200: DecisionPageOut, **_ERRORS}, summary="Decisions")
def decisions(request: HttpRequest, filters: Query[DecisionFilters]) -> dict[str, Any]:
    """Newest first; ``status=pending_confirmation`` lists the four-eyes work."""
    require(request, Perm.REVIEW_ITEMS)
    rows = _DECISIONS.prefetch_related("evidence").order_by("-decided_at", "-id")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.title:
        rows = rows.filter(title_version__title__external_id=filters.title)
    return paginate(rows, filters, decision_body)


@router.get("/review/decisions/{decision_id}", response={200: DecisionOut, **_ERRORS}, summary="A decision")
def decision_detail(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    require(request, Perm.REVIEW_ITEMS)
    return decision_body(_get(Decision, decision_id))


@router.post(
    "/review/decisions/{decision_id}/confirm",
    response={200: DecisionOut, **_REFUSED, **_ERRORS},
    summary="Confirm a high-impact decision (four eyes)",
)
def confirm(request: HttpRequest, decision_id: int, body: NoteIn) -> dict[str, Any]:
    """A second person (never the decider) confirms; the decision takes effect now."""
    user = require(request, Perm.CONFIRM_HIGH_IMPACT)
    decision = _get(Decision, decision_id)
    _run(lambda: do_confirm_decision(actor=user, decision=decision, note=body.note))
    return decision_body(_DECISIONS.get(pk=decision.pk))


@router.post(
    "/review/decisions/{decision_id}/appeals",
    response={201: AppealOut, **_REFUSED, **_ERRORS},
    summary="Open an appeal",
)
def open_appeal(request: HttpRequest, decision_id: int, body: AppealIn) -> Status[dict[str, Any]]:
    """Reopen a final decision as appeal work for someone other than its reviewer."""
    user = require(request, Perm.REVIEW_ITEMS)
    decision = _get(Decision, decision_id)
    appeal = _run(
        lambda: do_open_appeal(actor=user, decision=decision, reason=body.reason, opened_by=body.opened_by)
    )
    return Status(201, _appeal(appeal))


@router.get("/review/appeals", response={200: AppealPageOut, **_ERRORS}, summary="Appeals")
def appeals(request: HttpRequest, filters: Query[AppealFilters]) -> dict[str, Any]:
    require(request, Perm.REVIEW_ITEMS)
    rows = Appeal.objects.select_related("decided_by").order_by("-opened_at", "-id")
    if filters.open is not None:
        rows = rows.filter(outcome="") if filters.open else rows.exclude(outcome="")
    return paginate(rows, filters, _appeal)


@router.post(
    "/review/appeals/{appeal_id}/decision",
    response={200: AppealOut, **_REFUSED, **_ERRORS},
    summary="Decide an appeal you hold",
)
def decide_appeal(request: HttpRequest, appeal_id: int, body: AppealDecisionIn) -> dict[str, Any]:
    """Claim the appeal's item first (`claims` with kind=appeal); overturning restores availability."""
    user = require(request, Perm.REVIEW_ITEMS)
    appeal = _get(Appeal, appeal_id)
    _run(lambda: do_decide_appeal(actor=user, appeal=appeal, outcome=body.outcome, note=body.note))
    return _appeal(Appeal.objects.select_related("decided_by").get(pk=appeal.pk))
