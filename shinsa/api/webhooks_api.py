"""Webhook endpoints over the API (admins, ``admin`` scope): list, add, rotate and retire keys, pause,
and the delivery log. A signing key is shown once, when it is made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from shinsa.accounts.roles import Perm
from shinsa.api.auth import require
from shinsa.api.errors import ApiError, ErrorBody, object_or_404
from shinsa.api.models import WebhookDelivery, WebhookEndpoint
from shinsa.api.pagination import PageQuery, paginate
from shinsa.api.webhooks import (
    EVENT_TYPES,
    WebhookError,
    do_add_webhook,
    do_retire_webhook_secret,
    do_rotate_webhook_secret,
    do_set_webhook_active,
)

router = Router(tags=["webhooks"])
_ERRORS = {401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody}


class WebhookIn(Schema):
    name: str = Field(min_length=1, max_length=64, examples=["crm"])
    url: str = Field(max_length=500, examples=["https://hooks.example.com/shinsa"])
    event_types: list[str] = Field(
        default_factory=list, max_length=10, description=f"empty: all of {', '.join(EVENT_TYPES)}"
    )


class WebhookOut(Schema):
    id: int
    name: str = Field(examples=["crm"])
    url: str
    event_types: list[str] = Field(examples=[["decision.made"]])
    active: bool
    keys: int = Field(description="2 while a rotation is under way", examples=[1])
    created_at: datetime
    rotated_at: datetime | None


class WebhookPageOut(Schema):
    items: list[WebhookOut]
    page: int
    pages: int
    total: int


class WebhookSecretOut(WebhookOut):
    secret: str = Field(description="the new signing key: shown once", examples=["whsec_…"])


class ActiveIn(Schema):
    active: bool


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str = Field(examples=["decision.made"])
    status: str = Field(examples=["delivered"])
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str


class DeliveryPageOut(Schema):
    items: list[DeliveryOut]
    page: int
    pages: int
    total: int


class DeliveryFilters(PageQuery):
    status: str | None = Field(None, pattern="^(pending|delivered|failed)$")


def _out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "active": endpoint.active,
        "keys": 2 if endpoint.previous_secret else 1,
        "created_at": endpoint.created_at,
        "rotated_at": endpoint.rotated_at,
    }


def _endpoint(webhook_id: int) -> WebhookEndpoint:
    return object_or_404(WebhookEndpoint.objects, webhook_id)


@router.get("/webhooks", response={200: WebhookPageOut, **_ERRORS}, summary="Webhook endpoints")
def webhooks(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    require(request, Perm.MANAGE_WEBHOOKS)
    return paginate(WebhookEndpoint.objects.order_by("name"), page, _out)


@router.post("/webhooks", response={201: WebhookSecretOut, **_ERRORS}, summary="Add a webhook endpoint")
def add_webhook(request: HttpRequest, body: WebhookIn) -> Status[dict[str, Any]]:
    """Returns the signing key once; verify deliveries with it (docs/api.md)."""
    user = require(request, Perm.MANAGE_WEBHOOKS)
    try:
        endpoint = do_add_webhook(actor=user, name=body.name, url=body.url, event_types=body.event_types)
    except WebhookError as error:
        raise ApiError(422, "invalid_webhook", str(error)) from None
    return Status(201, _out(endpoint) | {"secret": endpoint.secret})


@router.post(
    "/webhooks/{webhook_id}/rotate", response={200: WebhookSecretOut, **_ERRORS}, summary="Rotate the key"
)
def rotate(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    """A new key signs from now on beside the old one, until `retire-secret`."""
    user = require(request, Perm.MANAGE_WEBHOOKS)
    endpoint = do_rotate_webhook_secret(actor=user, endpoint=_endpoint(webhook_id))
    return _out(endpoint) | {"secret": endpoint.secret}


@router.post(
    "/webhooks/{webhook_id}/retire-secret",
    response={200: WebhookOut, **_ERRORS},
    summary="Stop signing with the previous key",
)
def retire(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    user = require(request, Perm.MANAGE_WEBHOOKS)
    return _out(do_retire_webhook_secret(actor=user, endpoint=_endpoint(webhook_id)))


@router.post(
    "/webhooks/{webhook_id}/active", response={200: WebhookOut, **_ERRORS}, summary="Pause or resume"
)
def set_active(request: HttpRequest, webhook_id: int, body: ActiveIn) -> dict[str, Any]:
    user = require(request, Perm.MANAGE_WEBHOOKS)
    return _out(do_set_webhook_active(actor=user, endpoint=_endpoint(webhook_id), active=body.active))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response={200: DeliveryPageOut, **_ERRORS},
    summary="The delivery log, newest first",
)
def deliveries(request: HttpRequest, webhook_id: int, filters: Query[DeliveryFilters]) -> dict[str, Any]:
    require(request, Perm.MANAGE_WEBHOOKS)
    rows = WebhookDelivery.objects.filter(endpoint=_endpoint(webhook_id)).order_by("-created_at", "-id")
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(rows, filters, lambda row: DeliveryOut.model_validate(row, from_attributes=True))
