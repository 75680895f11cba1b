"""The HTTP API under /api/v1/ (django-ninja). Each app adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Shinsa API",
    version="1",
    urls_namespace="api-v1",
    description="Trust & Safety operations for video-streaming catalogs.",
)
