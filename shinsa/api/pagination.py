"""One page of a list endpoint: ``{"items", "page", "pages", "total"}``, 50 a page unless asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

from shinsa.api.errors import ApiError

MAX_PAGE = 100_000


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number", examples=[1])
    per_page: int = Field(50, ge=1, le=200, description="items a page, 1 to 200", examples=[50])


def paginate(queryset: QuerySet, query: PageQuery, render: Callable[[Any], Any]) -> dict[str, Any]:
    if not 1 <= query.page <= MAX_PAGE:
        raise ApiError(422, "invalid_request", _("page must be between 1 and 100000"), "page")
    if not 1 <= query.per_page <= 200:
        raise ApiError(422, "invalid_request", _("per_page must be between 1 and 200"), "per_page")
    total = queryset.count()
    pages = max(1, -(-total // query.per_page))
    start = (query.page - 1) * query.per_page
    rows = list(queryset[start : start + query.per_page])
    return {"items": [render(row) for row in rows], "page": query.page, "pages": pages, "total": total}
