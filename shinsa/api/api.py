"""The HTTP API under /api/v1/ (django-ninja). Each app adds its router here.

Every endpoint needs a caller who may use the API (token or session, see ``auth``); errors have one
stable body shape (see ``errors``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from shinsa.api.auth import BearerTokenAuth, SessionAuth
from shinsa.api.errors import ApiError, document_error_responses, error_response, install_error_handlers


class ShinsaAPI(NinjaAPI):
    """NinjaAPI whose schema documents the error answers every operation can give (see ``errors``)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_error_responses(schema)


api = ShinsaAPI(
    title="Shinsa API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Trust & Safety operations for video-streaming catalogs.\n\n"
        "Authenticate with `Authorization: Bearer shn_<prefix>_<secret>` (create one with "
        "`shinsa token create USERNAME --name NAME`) or a signed-in browser session (send the CSRF token "
        'on POST). Errors: `{"error": {"code", "message", "field"}}`.'
    ),
    auth=[BearerTokenAuth(), SessionAuth()],
)
install_error_handlers(api)


def _checked_input(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Before any operation: no query parameter twice (no operation takes a list in its query string, so
    a repeat is refused rather than silently read as its last value), and no NUL character in the path,
    the query or a JSON body (text columns cannot hold it; PostgreSQL refuses it outright)."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
        if repeated:
            message = _("send %(name)s once") % {"name": repeated[0]}
            return error_response(api, request, ApiError(422, "invalid_request", message, repeated[0]))
        if _has_nul(request):
            message = _("text may not contain NUL characters")
            return error_response(api, request, ApiError(422, "invalid_text", message))
        return run(request, *args, **kwargs)

    return checked


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
        return True
    if request.content_type == "application/json":
        return b"\x00" in request.body or b"\\u0000" in request.body
    return False


api.add_decorator(_checked_input, mode="view")


def _add_routers() -> None:
    from shinsa.api.catalog import router as catalog_router
    from shinsa.api.webhooks_api import router as webhooks_router
    from shinsa.insights.api import router as reports_router
    from shinsa.ratings.api import router as ratings_router
    from shinsa.ratings.api_workflow import router as ratings_workflow_router
    from shinsa.review.api import router as review_router

    api.add_router("/", catalog_router)
    api.add_router("/", ratings_router)
    api.add_router("/", ratings_workflow_router)
    api.add_router("/", review_router)
    api.add_router("/", webhooks_router)
    api.add_router("/", reports_router)


_add_routers()
