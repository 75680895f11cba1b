"""The asset page: one asset version's screening timeline, hits, cues and stages; its progress JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shinsa.accounts.access import perm_required
from shinsa.accounts.roles import Perm
from shinsa.screening.models import ScreeningRun
from shinsa.screening.queries import page_for, progress_of


@require_GET
@perm_required(Perm.VIEW_CATALOG)
def asset_version(request: HttpRequest, asset_version_id: int) -> HttpResponse:
    context = page_for(asset_version_id)
    if context is None:
        raise Http404
    return render(request, "screening/pages/asset_version.html", {"nav": "catalog", **context})


@require_GET
@perm_required(Perm.VIEW_CATALOG)
def progress(request: HttpRequest, asset_version_id: int) -> HttpResponse:
    run = ScreeningRun.objects.filter(asset_version_id=asset_version_id).prefetch_related("stages").first()
    if run is None and not _exists(asset_version_id):
        raise Http404
    response = JsonResponse(progress_of(run))
    response["Cache-Control"] = "no-store"
    return response


def _exists(asset_version_id: int) -> bool:
    from shinsa.catalog.models import AssetVersion

    return AssetVersion.objects.filter(pk=asset_version_id).exists()
