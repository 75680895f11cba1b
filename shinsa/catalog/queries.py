"""Reads of the catalog for the API, pages and exports."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from shinsa.catalog.models import Asset, AssetKind, AssetVersion, Availability, Title, TitleVersion

PAGE_SIZE = 50
DISPLAY_LANGUAGES = ("ja", "en")


def _other_language(language: str) -> str:
    return "en" if language == "ja" else "ja"


def _metadata_title(language: str) -> Subquery:
    """The title text of the newest metadata version in ``language`` among all versions of the title."""
    newest = AssetVersion.objects.filter(
        asset__title_version__title=OuterRef("pk"), asset__kind=AssetKind.METADATA, asset__language=language
    ).order_by("-created_at", "-pk")
    return Subquery(newest.annotate(text=KeyTextTransform("title", "metadata")).values("text")[:1])


def with_display_title(titles: QuerySet[Title], language: str) -> QuerySet[Title]:
    """Annotate ``display_title``: metadata in the user's language, else the other of ja/en, else original."""
    return titles.annotate(
        display_title=Coalesce(
            _metadata_title(language),
            _metadata_title(_other_language(language)),
            "original_title",
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class TitleRow:
    external_id: str
    kind: str
    display_title: str
    original_title: str
    original_language: str
    year: int | None
    parent: str | None
    number: int | None


@dataclass(frozen=True)
class TitlePage:
    items: list[TitleRow]
    page: int
    pages: int
    total: int


def list_titles(
    *,
    language: str,
    search: str | None = None,
    kind: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> TitlePage:
    """One page of titles, ordered by display title, in ``language`` (ja or en)."""
    titles = with_display_title(Title.objects.all(), language).select_related("parent")
    if kind:
        titles = titles.filter(kind=kind)
    if search:
        term = unicodedata.normalize("NFC", search.strip())
        in_metadata = AssetVersion.objects.filter(
            asset__title_version__title=OuterRef("pk"),
            asset__kind=AssetKind.METADATA,
            metadata__title__icontains=term,
        )
        titles = titles.filter(
            Q(external_id__icontains=term) | Q(original_title__icontains=term) | Exists(in_metadata)
        )
    total = titles.count()
    pages = max(1, math.ceil(total / page_size))
    start = (max(page, 1) - 1) * page_size
    ordered = titles.order_by("display_title", "external_id")[start : start + page_size]
    rows = [_row(title, title.parent.external_id if title.parent else None) for title in ordered]
    return TitlePage(items=rows, page=max(page, 1), pages=pages, total=total)


@dataclass(frozen=True)
class AssetVersionRow:
    id: int
    number: int
    sha256: str
    size_bytes: int
    media_type: str
    source_path: str
    source_encoding: str
    metadata: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True)
class AssetRow:
    kind: str
    language: str
    name: str
    versions: list[AssetVersionRow]


@dataclass(frozen=True)
class WindowRow:
    territory: str
    start: date
    end: date | None


@dataclass(frozen=True)
class VersionRow:
    label: str
    availability: list[WindowRow]
    assets: list[AssetRow]


@dataclass(frozen=True)
class TitleDetail:
    title: TitleRow
    external_ids: dict[str, str]
    children: list[TitleRow]
    versions: list[VersionRow]


def _row(title: Title, parent: str | None) -> TitleRow:
    return TitleRow(
        external_id=title.external_id,
        kind=title.kind,
        display_title=title.display_title,
        original_title=title.original_title,
        original_language=title.original_language,
        year=title.year,
        parent=parent,
        number=title.number,
    )


def title_detail(*, external_id: str, language: str) -> TitleDetail | None:
    """A title with its external ids, children, versions, availability and every asset version.

    A fixed number of queries whatever the size of the title (prefetches, no per-row lookups).
    """
    versions = TitleVersion.objects.prefetch_related(
        Prefetch("availability", queryset=Availability.objects.order_by("territory", "starts_on")),
        Prefetch(
            "assets",
            queryset=Asset.objects.order_by("kind", "language", "name").prefetch_related(
                Prefetch("versions", queryset=AssetVersion.objects.order_by("number"))
            ),
        ),
    ).order_by("label")
    title = (
        with_display_title(Title.objects.filter(external_id=external_id), language)
        .select_related("parent")
        .prefetch_related("external_ids", Prefetch("versions", queryset=versions))
        .first()
    )
    if title is None:
        return None
    children = with_display_title(title.children.all(), language).order_by("kind", "number", "external_id")
    return TitleDetail(
        title=_row(title, title.parent.external_id if title.parent else None),
        external_ids={item.namespace: item.value for item in title.external_ids.all()},
        children=[_row(child, title.external_id) for child in children],
        versions=[
            VersionRow(
                label=version.label,
                availability=[
                    WindowRow(w.territory, w.starts_on, w.ends_on) for w in version.availability.all()
                ],
                assets=[
                    AssetRow(
                        kind=asset.kind,
                        language=asset.language,
                        name=asset.name,
                        versions=[
                            AssetVersionRow(
                                id=v.pk,
                                number=v.number,
                                sha256=v.sha256,
                                size_bytes=v.size_bytes,
                                media_type=v.media_type,
                                source_path=v.source_path,
                                source_encoding=v.source_encoding,
                                metadata=v.metadata,
                                created_at=v.created_at,
                            )
                            for v in asset.versions.all()
                        ],
                    )
                    for asset in version.assets.all()
                ],
            )
            for version in title.versions.all()
        ],
    )
