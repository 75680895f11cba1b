"""The HTTP API under /api/v1/ (django-ninja). Each app adds its router here.

Every endpoint needs a caller who may use the API (token or session, see ``auth``); errors have one
stable body shape (see ``errors``).
"""

from __future__ import annotations

from ninja import NinjaAPI

from shinsa.api.auth import BearerTokenAuth, SessionAuth
from shinsa.api.errors import install_error_handlers

api = NinjaAPI(
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


def _add_routers() -> None:
    from shinsa.api.catalog import router as catalog_router
    from shinsa.ratings.api import router as ratings_router
    from shinsa.review.api import router as review_router

    api.add_router("/", catalog_router)
    api.add_router("/", ratings_router)
    api.add_router("/", review_router)


_add_routers()
