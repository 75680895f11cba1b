"""Permission-checked lookups of the rating workflow for views and the API: 403 first, then 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from shinsa.accounts.access import require_perm
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import TitleVersion
from shinsa.ratings.models import Assessment, Override


def access_title_version(actor: Any, external_id: str, label: str) -> TitleVersion:
    """The cut ``label`` of title ``external_id`` for someone who may see the catalog."""
    require_perm(actor, Perm.VIEW_CATALOG)
    version = (
        TitleVersion.objects.select_related("title")
        .filter(title__external_id=external_id, label=label)
        .first()
    )
    if version is None:
        raise Http404("no such title version")
    return version


def access_assessment(actor: Any, assessment_id: int, perm: Perm = Perm.REVIEW_ITEMS) -> Assessment:
    """An assessment for someone holding ``perm`` (reviewers by default)."""
    require_perm(actor, perm)
    assessment = (
        Assessment.objects.select_related("title_version__title", "assessor").filter(pk=assessment_id).first()
    )
    if assessment is None:
        raise Http404("no such assessment")
    return assessment


def access_override(actor: Any, override_id: int) -> Override:
    """An override request for a senior reviewer who may decide it."""
    require_perm(actor, Perm.CONFIRM_HIGH_IMPACT)
    override = (
        Override.objects.select_related("assessment__title_version__title").filter(pk=override_id).first()
    )
    if override is None:
        raise Http404("no such override")
    return override
