"""The rest of the ratings workflow over the API, as in the console: accept or remove findings,
certificates, overrides and their four-eyes decision, publishing. Thin over ``shinsa.ratings.actions``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from shinsa.accounts.roles import Perm
from shinsa.api.auth import require
from shinsa.api.errors import ErrorBody, object_or_404, run_action
from shinsa.api.pagination import PageQuery, paginate
from shinsa.ratings import actions
from shinsa.ratings.access import access_assessment, access_override, access_title_version
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.api import AssessmentOut, PublishedOut, _assessment, _rating
from shinsa.ratings.errors import RatingWorkflowError
from shinsa.ratings.models import Finding
from shinsa.ratings.queries import DEFAULT_HORIZON_DAYS, compliance_gaps, run_backtest

router = Router(tags=["ratings"])
_ERRORS = {401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody}


class CertificateIn(Schema):
    scheme: str = Field(max_length=32, examples=["bbfc"])
    level: str = Field(max_length=32, examples=["15"])
    number: str = Field(max_length=64, examples=["AFF123456"])
    issued_on: date = Field(examples=["2024-03-01"])
    medium: str = Field(max_length=32, examples=["cinema"])
    authority: str = Field(max_length=200, examples=["BBFC"])
    advice_en: list[str] = Field(default_factory=list, max_length=20, examples=[["strong violence"]])
    advice_ja: list[str] = Field(default_factory=list, max_length=20)


class CertificateOut(Schema):
    id: int
    scheme: str
    level: str
    number: str
    issued_on: date
    medium: str
    authority: str


class OverrideIn(Schema):
    scheme: str = Field(max_length=32, examples=["mpa"])
    territory: str = Field(max_length=2, examples=["US"])
    level: str = Field(max_length=32, examples=["PG"])
    reason: str = Field(min_length=1, max_length=2000, examples=["distributor asked for a second look"])


class OverrideOut(Schema):
    id: int
    assessment: int
    scheme: str
    territory: str
    level: str
    reason: str
    status: str = Field(examples=["requested"])
    requested_by: str
    requested_at: datetime


class OverrideDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = Field("", max_length=2000)


class GapOut(Schema):
    title: str = Field(examples=["hoshi-no-tabi-s1e1"])
    version: str = Field(examples=["original"])
    territory: str = Field(examples=["GB"])
    scheme: str = Field(examples=["bbfc"])
    problem: str = Field(description="missing_rating, missing_advice or outdated_rating")
    deadline: date
    detail: str


class GapPageOut(Schema):
    items: list[GapOut]
    page: int
    pages: int
    total: int


class GapFilters(PageQuery):
    territory: str | None = Field(None, pattern="^[A-Z]{2}$", examples=["GB"])
    problem: Literal["missing_rating", "missing_advice", "outdated_rating"] | None = None


class _Rows(list):  # paginate() takes a queryset; compliance gaps are computed, so a list with count()
    def count(self) -> int:  # type: ignore[override]
        return len(self)


def _override(override: Any) -> dict[str, Any]:
    return {
        "id": override.pk,
        "assessment": override.assessment_id,
        "scheme": override.scheme,
        "territory": override.territory,
        "level": override.level,
        "reason": override.reason,
        "status": override.status,
        "requested_by": override.requested_by.get_username(),
        "requested_at": override.requested_at,
    }


def _run(call: Any) -> Any:
    return run_action(call, refused=RatingWorkflowError, code="invalid_rating_change")


def _finding_step(request: HttpRequest, assessment_id: int, finding_id: int, action: Any) -> AssessmentOut:
    user = require(request, Perm.REVIEW_ITEMS)
    assessment = access_assessment(user, _pk(assessment_id))
    finding: Finding = object_or_404(assessment.findings, finding_id)
    _run(lambda: action(actor=user, finding=finding))
    assessment.refresh_from_db()
    return _assessment(assessment)


def _pk(value: int) -> int:
    if not 0 < value < 2**62:
        raise Http404
    return value


@router.post(
    "/ratings/assessments/{assessment_id}/findings/{finding_id}/accept",
    response={200: AssessmentOut, **_ERRORS},
    summary="Accept a screening suggestion as a finding",
)
def accept_finding(request: HttpRequest, assessment_id: int, finding_id: int) -> AssessmentOut:
    return _finding_step(request, assessment_id, finding_id, actions.do_accept_suggestion)


@router.post(
    "/ratings/assessments/{assessment_id}/findings/{finding_id}/remove",
    response={200: AssessmentOut, **_ERRORS},
    summary="Remove a finding or dismiss a suggestion",
)
def remove_finding(request: HttpRequest, assessment_id: int, finding_id: int) -> AssessmentOut:
    return _finding_step(request, assessment_id, finding_id, actions.do_remove_finding)


@router.post(
    "/ratings/assessments/{assessment_id}/overrides",
    response={201: OverrideOut, **_ERRORS},
    summary="Request an override of a proposal",
)
def request_override(request: HttpRequest, assessment_id: int, body: OverrideIn) -> Status[dict[str, Any]]:
    """Ask to replace a computed level; a senior reviewer other than you must approve it."""
    user = require(request, Perm.REVIEW_ITEMS)
    assessment = access_assessment(user, _pk(assessment_id))
    override = _run(
        lambda: actions.do_request_override(actor=user, assessment=assessment, **body.model_dump())
    )
    return Status(201, _override(override))


@router.post(
    "/ratings/overrides/{override_id}/decision",
    response={200: OverrideOut, **_ERRORS},
    summary="Approve or reject an override (four eyes)",
)
def decide_override(request: HttpRequest, override_id: int, body: OverrideDecisionIn) -> dict[str, Any]:
    user = require(request, Perm.CONFIRM_HIGH_IMPACT)
    override = access_override(user, _pk(override_id))
    if body.decision == "approve":
        decided = _run(lambda: actions.do_approve_override(actor=user, override=override))
    else:
        decided = _run(lambda: actions.do_reject_override(actor=user, override=override, reason=body.reason))
    return _override(decided)


@router.post(
    "/ratings/assessments/{assessment_id}/publish",
    response={200: list[PublishedOut], **_ERRORS},
    summary="Publish a submitted assessment's ratings",
)
def publish(request: HttpRequest, assessment_id: int) -> list[PublishedOut]:
    """Publishes every proposal to the catalog, then rolls ratings up to the season and series."""
    user = require(request, Perm.REVIEW_ITEMS)
    assessment = access_assessment(user, _pk(assessment_id))
    rows = _run(lambda: actions.do_publish_ratings(actor=user, assessment=assessment))
    return [PublishedOut.model_validate(_rating(row) | {"published_at": row.published_at}) for row in rows]


@router.post(
    "/ratings/titles/{external_id}/versions/{label}/certificates",
    response={201: CertificateOut, **_ERRORS},
    summary="Record an authority's certificate for a cut",
)
def record_certificate(
    request: HttpRequest, external_id: str, label: str, body: CertificateIn
) -> Status[Any]:
    """A certificate an authority issued wins over any computed rating of that scheme."""
    user = require(request, Perm.REVIEW_ITEMS)
    version = access_title_version(user, external_id[:64], label[:64])
    certificate = _run(
        lambda: actions.do_record_certificate(actor=user, title_version=version, **body.model_dump())
    )
    return Status(201, CertificateOut.model_validate(certificate, from_attributes=True))


@router.get("/ratings/compliance", response={200: GapPageOut, **_ERRORS}, summary="Compliance gaps")
def compliance(request: HttpRequest, filters: Query[GapFilters]) -> dict[str, Any]:
    """Cuts available (or within the horizon) without an accurate, complete rating in a territory, soonest
    deadline first — the console's compliance page, one row per territory and scheme."""
    require(request, Perm.VIEW_CATALOG)
    policies = active_rating_policies()
    gaps = compliance_gaps(
        policies,
        today=timezone.localdate(),
        horizon_days=DEFAULT_HORIZON_DAYS,
        backtest_report=run_backtest(policies),
    )
    rows = _Rows(
        gap
        for gap in gaps
        if (filters.territory is None or gap.territory == filters.territory)
        and (filters.problem is None or gap.problem == filters.problem)
    )
    return paginate(rows, filters, lambda gap: gap.to_json())
