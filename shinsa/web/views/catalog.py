"""Catalog pages: the searchable title list and one title's versions, availability and assets."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from shinsa.accounts.access import perm_required
from shinsa.accounts.roles import Perm
from shinsa.catalog.queries import list_titles, title_detail
from shinsa.web import queries
from shinsa.web.availability import window_state
from shinsa.web.forms import CatalogFilterForm


def _language() -> str:
    return "ja" if translation.get_language() == "ja" else "en"


@perm_required(Perm.VIEW_CATALOG)
def catalog(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET)
    form.is_valid()  # a bad field is reported beside it; the others still filter
    search = form.cleaned_data.get("q") or None
    kind = form.cleaned_data.get("kind") or None
    page_number = form.cleaned_data.get("page") or 1
    page = list_titles(language=_language(), search=search, kind=kind, page=page_number)
    if page_number > page.pages:  # a stale link past the end shows the last page, not an empty one
        page = list_titles(language=_language(), search=search, kind=kind, page=page.pages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/pages/title_list.html",
        {
            "nav": "catalog",
            "form": form,
            "page": page,
            "filtered": bool(search or kind),
            "query_without_page": query.urlencode(),
        },
    )


@perm_required(Perm.VIEW_CATALOG)
def title(request: HttpRequest, external_id: str) -> HttpResponse:
    detail = title_detail(external_id=external_id, language=_language())
    if detail is None:
        raise Http404
    today = timezone.localdate()
    versions = [
        {
            "version": version,
            "windows": [
                (window, window_state(start=window.start, end=window.end, today=today))
                for window in version.availability
            ],
        }
        for version in detail.versions
    ]
    return render(
        request,
        "catalog/pages/title_detail.html",
        {
            "nav": "catalog",
            "detail": detail,
            "versions": versions,
            "ancestors": queries.title_ancestors(detail.title, language=_language()),
        },
    )
