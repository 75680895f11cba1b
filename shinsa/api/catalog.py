"""Catalog endpoints: read titles, upload a manifest (metadata only: no media files over the API)."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from shinsa.accounts.roles import Perm
from shinsa.api.auth import require
from shinsa.api.errors import ApiError, ErrorBody
from shinsa.api.schemas import IngestSummaryOut, ManifestErrorsOut, TitleDetailOut, TitlePageOut
from shinsa.catalog.ingest import ingest_manifest_file
from shinsa.catalog.manifest import SUFFIXES, ManifestErrors
from shinsa.catalog.messages import reason_text
from shinsa.catalog.models import TitleKind
from shinsa.catalog.queries import list_titles, title_detail

router = Router(tags=["catalog"])
_ERRORS = {401: ErrorBody, 403: ErrorBody}


class TitleFilters(Schema):
    kind: TitleKind | None = None
    search: str | None = Field(None, max_length=200, examples=["hoshi"])
    language: Literal["ja", "en"] | None = Field(None, description="default: your preferred language")
    page: int = Field(1, ge=1, le=100_000)


def _language(request: HttpRequest, asked: str | None) -> str:
    if asked in ("ja", "en"):
        return asked
    if asked:
        raise ApiError(422, "invalid_request", _("language must be ja or en"), "language")
    return getattr(request.auth, "preferred_language", None) or translation.get_language() or "en"  # type: ignore[attr-defined]


@router.get("/titles", response={200: TitlePageOut, **_ERRORS}, summary="List titles")
def titles(request: HttpRequest, filters: Query[TitleFilters]) -> TitlePageOut:
    """Titles ordered by display title (from metadata in ``language``, else the other of ja/en, else the
    original title), 50 a page. ``search`` matches ids, original titles and metadata titles."""
    require(request, Perm.VIEW_CATALOG)
    if filters.page < 1 or filters.page > 100_000:
        raise ApiError(422, "invalid_request", _("page must be between 1 and 100000"), "page")
    page = list_titles(
        language=_language(request, filters.language),
        search=(filters.search or "")[:200] or None,
        kind=filters.kind.value if filters.kind else None,
        page=filters.page,
    )
    return TitlePageOut.model_validate(page, from_attributes=True)


@router.get(
    "/titles/{external_id}", response={200: TitleDetailOut, 404: ErrorBody, **_ERRORS}, summary="One title"
)
def title(
    request: HttpRequest, external_id: str, language: Literal["ja", "en"] | None = None
) -> TitleDetailOut:
    """A title with its external ids, children, versions, availability and every asset version."""
    require(request, Perm.VIEW_CATALOG)
    detail = title_detail(external_id=external_id[:64], language=_language(request, language))
    if detail is None:
        raise Http404
    return TitleDetailOut.model_validate(detail, from_attributes=True)


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".json/.csv/.xlsx"}
                    },
                }
            }
        },
    }
}


@router.post(
    "/manifests",
    response={200: IngestSummaryOut, 413: ErrorBody, 400: ErrorBody, 422: ManifestErrorsOut, **_ERRORS},
    summary="Ingest a manifest",
    openapi_extra=_UPLOAD_BODY,
)
def upload_manifest(request: HttpRequest, dry_run: bool = False) -> IngestSummaryOut:
    """Ingest a .json, .csv or .xlsx manifest sent as multipart field ``file``: all or nothing, as
    ``shinsa ingest``. Uploads carry no media, so assets with a ``path`` are refused (metadata-only);
    manifests that deliver files are ingested on the server with ``shinsa ingest``."""
    user = require(request, Perm.INGEST_MANIFESTS)
    limit = settings.MANIFEST_MAX_BYTES
    # Refuse an oversized body before Django spools it to disk.
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
        raise ApiError(
            413, "too_large", _("the manifest is larger than %(mb)s MB") % {"mb": limit // 1_048_576}
        )
    upload = request.FILES.get("file")
    if upload is None:
        raise ApiError(400, "file_required", _("send the manifest as multipart field file"), "file")
    if upload.size > limit:
        raise ApiError(
            413, "too_large", _("the manifest is larger than %(mb)s MB") % {"mb": limit // 1_048_576}
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise ApiError(400, "unsupported_format", _("send a .json, .csv or .xlsx file"), "file")
    with tempfile.TemporaryDirectory(prefix="shinsa-upload-") as folder:
        path = Path(folder) / f"manifest{suffix}"  # our own name: the uploaded name is never used as a path
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            summary = ingest_manifest_file(actor=user, path=path, dry_run=dry_run, allow_files=False)
        except ManifestErrors as problems:
            raise _invalid_manifest(problems) from None
        except OSError:
            raise HttpError(400, _("the upload could not be read")) from None
    return IngestSummaryOut.model_validate(summary.as_dict())


def _invalid_manifest(problems: ManifestErrors) -> ApiError:
    count = len(problems.errors)
    message = ngettext(
        "%(count)d problem: nothing was stored", "%(count)d problems: nothing was stored", count
    )
    items = [
        {"row": e.row, "field": e.field, "code": e.reason.value, "message": reason_text(e)}
        for e in problems.errors
    ]
    return ApiError(422, "invalid_manifest", message % {"count": count}, problems=items)
