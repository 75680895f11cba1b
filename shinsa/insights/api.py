"""Report intake over the API: ``POST /api/v1/reports`` (a platform forwarding its viewers' reports)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from shinsa.accounts.roles import Perm
from shinsa.api.auth import require
from shinsa.api.errors import ApiError, ErrorBody
from shinsa.insights.actions import ReportInput, do_submit_report
from shinsa.insights.errors import InsightsError
from shinsa.insights.models import ReportChannel

router = Router(tags=["reports"])


class ReportIn(Schema):
    title: str
    episode: str = ""
    version: str = ""
    reason: str
    timecode_ms: int | None = None
    territory: str = ""
    language: str = ""
    text: str = ""
    reporter: str
    reporter_since: datetime.datetime | None = None
    audience_reach: int = 0


class ReportOut(Schema):
    id: int
    status: str
    policy_area: str
    item: int | None
    suspicions: list[str]


@router.post(
    "/reports",
    response={201: ReportOut, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    summary="Submit a customer report",
)
def submit_report(request: HttpRequest, body: ReportIn) -> Status:
    """A viewer's report of a title or episode. It joins the open review item for the title version and
    the reason's policy area (raising its priority), unless it looks like coordinated or abusive
    reporting: then it is kept with ``status`` "flagged" and the ``suspicions`` found, for a person."""
    user = require(request, Perm.USE_API)
    try:
        report = do_submit_report(
            actor=user, data=ReportInput(**body.model_dump()), channel=ReportChannel.API
        )
    except InsightsError as error:
        field, message = error.problems[0]
        raise ApiError(422, "invalid_report", message, field or None) from None
    return Status(
        201,
        ReportOut(
            id=report.pk,
            status=report.status,
            policy_area=report.policy_area,
            item=report.item_id,
            suspicions=list(report.suspicions),
        ),
    )
