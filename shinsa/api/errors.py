"""Stable error bodies for the whole API: ``{"error": {"code", "message", "field"}}``.

Every 4xx answer has this shape, so clients can branch on ``code`` and show ``message`` (in the language
of the request) without parsing text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from shinsa.accounts.errors import MissingPermission


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorBody(Schema):
    error: ErrorDetail


# Every operation may answer these (authentication, permission or scope, request validation).
_ALWAYS = {
    "401": "Not signed in, or the token is missing, unknown, revoked or expired",
    "403": "The caller may not do this (role, scope or CSRF)",
    "422": "The request is not valid (a parameter or a field of the body)",
}


def document_error_responses(schema: Any) -> Any:
    """Add the stable error body for 401, 403 and 422 (and 404 where the path has parameters) to every
    operation that does not document them already, so clients and schema checks know every answer."""
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    components.setdefault("ErrorDetail", ErrorDetail.model_json_schema())
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            wanted = dict(_ALWAYS) | ({"404": "Not found"} if "{" in path else {})
            if "requestBody" in operation:
                wanted["400"] = "The body cannot be parsed (malformed JSON or form data)"
            for status, description in wanted.items():
                responses.setdefault(status, {"description": description} | ref)
    return schema


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None, **extra: Any) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra
        super().__init__(message)


class MissingScope(Exception):
    """The token lacks the scope the operation needs (403 ``insufficient_scope``)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(scope)


def refused_by_workflow(error: Any, code: str) -> ApiError:
    """422 for an action's refusal (an exception carrying ``messages``, one sentence per problem)."""
    messages = list(error.messages)
    return ApiError(422, code, messages[0], problems=[{"message": text} for text in messages])


def run_action(call: Callable[[], Any], *, refused: type[Exception], code: str) -> Any:
    """Run an action; its refusal becomes 422 ``code`` with the problems, a missing permission 403."""
    try:
        return call()
    except refused as error:
        raise refused_by_workflow(error, code) from None
    except MissingPermission as error:
        raise ApiError(403, "forbidden", str(error)) from None


def object_or_404(queryset: Any, pk: int) -> Any:
    """The row with primary key ``pk`` (a model or queryset), or 404; out-of-range ids are 404 too."""
    row = queryset.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if row is None:
        raise Http404
    return row


def error_response(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    body = {"error": {"code": error.code, "message": error.message, "field": error.field}} | error.extra
    return api.create_response(request, body, status=error.status)


def _validation_field(detail: dict[str, Any]) -> str | None:
    location = [str(part) for part in detail.get("loc", ())]
    # ("query", "page") -> "page": the transport part of the location is noise for a client.
    return ".".join(location[1:]) or None if len(location) > 1 else (location[0] if location else None)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace django-ninja's default bodies ({"detail": ...}) with the stable shape."""

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        error = ApiError(401, "unauthenticated", _("sign in or send a valid API token"))
        response = error_response(api, request, error)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(AuthorizationError)
    def on_forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(api, request, ApiError(403, "forbidden", _("you may not do this")))

    @api.exception_handler(MissingScope)
    def on_missing_scope(request: HttpRequest, exc: MissingScope) -> HttpResponse:
        message = _("this token lacks the %(scope)s scope") % {"scope": exc.scope}
        return error_response(api, request, ApiError(403, "insufficient_scope", message, "scope"))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, ApiError(404, "not_found", _("not found")))

    @api.exception_handler(ValidationError)
    def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        message = _("the request is not valid: %(detail)s") % {"detail": first.get("msg", "")}
        return error_response(
            api, request, ApiError(422, "invalid_request", message, _validation_field(first))
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {
            400: "bad_request",
            403: "forbidden",
            405: "method_not_allowed",
            413: "too_large",
            429: "throttled",
        }
        code = codes.get(exc.status_code, "error")
        if exc.status_code == 403:  # e.g. a failed CSRF check on a session request
            return error_response(
                api, request, ApiError(403, code, _("the request was refused (CSRF check)"))
            )
        return error_response(api, request, ApiError(exc.status_code, code, str(exc)))
