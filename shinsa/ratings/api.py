"""Rating endpoints under /api/v1/ratings/: published ratings of a cut, assessments, findings, submit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from shinsa.accounts.roles import Perm
from shinsa.api.auth import require
from shinsa.api.errors import ApiError, ErrorBody
from shinsa.ratings.access import access_assessment, access_title_version
from shinsa.ratings.actions import do_add_finding, do_start_assessment, do_submit_assessment
from shinsa.ratings.errors import RatingWorkflowError
from shinsa.ratings.models import Assessment, Finding, ProposedRating, PublishedRating
from shinsa.ratings.queries import published_ratings

router = Router(tags=["ratings"])
_ERRORS = {401: ErrorBody, 403: ErrorBody, 404: ErrorBody}


class BecauseOut(Schema):
    descriptor: str | None = None
    intensity: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    rule: str | None = None
    title: str | None = Field(None, description="rollups: the child title that set the level")
    level: str | None = None


class RatingOut(Schema):
    scheme: str = Field(examples=["bbfc"])
    territory: str = Field(examples=["GB"])
    level: str = Field(examples=["15"])
    computed_level: str
    source: str = Field(description="certificate, mapping, computed, override or rollup")
    advice_en: list[str]
    advice_ja: list[str]
    because: list[BecauseOut]
    policy_version: str


class PublishedOut(RatingOut):
    published_at: datetime


class FindingIn(Schema):
    descriptor: str = Field(examples=["violence"])
    intensity: int = Field(examples=[3])
    context: list[str] = Field(default_factory=list, examples=[["realistic"]])
    start_ms: int | None = Field(None, examples=[61_000])
    end_ms: int | None = Field(None, examples=[64_500])
    note: str = ""


class FindingOut(Schema):
    id: int
    descriptor: str
    intensity: int
    context: list[str]
    start_ms: int | None
    end_ms: int | None
    note: str
    status: str = Field(description="accepted, or suggested (by screening; not counted until accepted)")


class AssessmentOut(Schema):
    id: int
    title: str
    version: str
    status: str
    assessor: str
    policy_version: str
    findings: list[FindingOut]
    proposals: list[RatingOut]


def _rating(row: ProposedRating | PublishedRating) -> dict[str, Any]:
    return {
        "scheme": row.scheme,
        "territory": row.territory,
        "level": row.level,
        "computed_level": row.computed_level,
        "source": row.source,
        "advice_en": row.advice_en,
        "advice_ja": row.advice_ja,
        "because": row.explanation,
        "policy_version": row.policy_version,
    }


def _assessment(assessment: Assessment) -> AssessmentOut:
    return AssessmentOut.model_validate(
        {
            "id": assessment.pk,
            "title": assessment.title_version.title.external_id,
            "version": assessment.title_version.label,
            "status": assessment.status,
            "assessor": assessment.assessor.get_username(),
            "policy_version": assessment.policy_version,
            "findings": [
                FindingOut.model_validate(finding, from_attributes=True)
                for finding in assessment.findings.order_by("start_ms", "pk")
            ],
            "proposals": [_rating(row) for row in assessment.proposals.all()],
        }
    )


def _refused(error: RatingWorkflowError) -> ApiError:
    return ApiError(
        422,
        "invalid_rating_change",
        error.messages[0],
        problems=[{"message": text} for text in error.messages],
    )


def _user(request: HttpRequest, perm: Perm) -> Any:
    return require(request, perm)


@router.get(
    "/ratings/titles/{external_id}/versions/{label}/published",
    response={200: list[PublishedOut], **_ERRORS},
    summary="Published ratings of a cut",
)
def published(request: HttpRequest, external_id: str, label: str) -> list[PublishedOut]:
    """Every published rating of one cut (title version), per territory and scheme, with the explanation."""
    user = _user(request, Perm.VIEW_CATALOG)
    version = access_title_version(user, external_id[:64], label[:64])
    return [
        PublishedOut.model_validate(_rating(row) | {"published_at": row.published_at})
        for row in published_ratings(version.pk)
    ]


@router.post(
    "/ratings/titles/{external_id}/versions/{label}/assessments",
    response={201: AssessmentOut, 422: ErrorBody, **_ERRORS},
    summary="Start an assessment of a cut",
)
def start(request: HttpRequest, external_id: str, label: str) -> Status[AssessmentOut]:
    user = _user(request, Perm.REVIEW_ITEMS)
    version = access_title_version(user, external_id[:64], label[:64])
    try:
        assessment = do_start_assessment(actor=user, title_version=version)
    except RatingWorkflowError as error:
        raise _refused(error) from None
    return Status(201, _assessment(assessment))


@router.get(
    "/ratings/assessments/{assessment_id}", response={200: AssessmentOut, **_ERRORS}, summary="An assessment"
)
def assessment_detail(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    user = _user(request, Perm.REVIEW_ITEMS)
    return _assessment(access_assessment(user, assessment_id))


@router.post(
    "/ratings/assessments/{assessment_id}/findings",
    response={201: FindingOut, 422: ErrorBody, **_ERRORS},
    summary="Log a finding",
)
def add_finding(request: HttpRequest, assessment_id: int, body: FindingIn) -> Status[Finding]:
    """A descriptor at an intensity, with context tags and a time range in ms (both optional)."""
    user = _user(request, Perm.REVIEW_ITEMS)
    assessment = access_assessment(user, assessment_id)
    try:
        finding = do_add_finding(
            actor=user,
            assessment=assessment,
            descriptor=body.descriptor,
            intensity=body.intensity,
            context=body.context,
            start_ms=body.start_ms,
            end_ms=body.end_ms,
            note=body.note,
        )
    except RatingWorkflowError as error:
        raise _refused(error) from None
    return Status(201, finding)


@router.post(
    "/ratings/assessments/{assessment_id}/submit",
    response={200: AssessmentOut, 422: ErrorBody, **_ERRORS},
    summary="Submit: compute the proposals",
)
def submit(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    """Proposals for every scheme of every territory where the cut is or will be available."""
    user = _user(request, Perm.REVIEW_ITEMS)
    assessment = access_assessment(user, assessment_id)
    try:
        do_submit_assessment(actor=user, assessment=assessment)
    except RatingWorkflowError as error:
        raise _refused(error) from None
    assessment.refresh_from_db()
    return _assessment(assessment)
