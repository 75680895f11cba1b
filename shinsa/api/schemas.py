"""Request and response shapes of the catalog endpoints, with examples for the OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from shinsa.api.errors import ErrorDetail

SHA256_EXAMPLE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


class TitleOut(Schema):
    external_id: str = Field(examples=["hoshi-no-tabi-s1e1"])
    kind: str = Field(examples=["episode"])
    display_title: str = Field(
        description="In the requested language where the catalog has it", examples=["Departure"]
    )
    original_title: str = Field(examples=["出発"])
    original_language: str = Field(examples=["ja"])
    year: int | None = Field(examples=[2024])
    parent: str | None = Field(examples=["hoshi-no-tabi-s1"])
    number: int | None = Field(examples=[1])


class TitlePageOut(Schema):
    items: list[TitleOut]
    page: int = Field(examples=[1])
    pages: int = Field(examples=[3])
    total: int = Field(examples=[120])


class AssetVersionOut(Schema):
    number: int = Field(examples=[1])
    sha256: str = Field(examples=[SHA256_EXAMPLE])
    size_bytes: int = Field(examples=[1048576])
    media_type: str = Field(examples=["application/x-subrip"])
    source_path: str = Field(examples=["subs/hoshi-s1e1.ja.srt"])
    source_encoding: str = Field(examples=["cp932"])
    metadata: dict[str, Any] | None = Field(examples=[None])
    created_at: datetime


class AssetOut(Schema):
    kind: str = Field(examples=["subtitle"])
    language: str = Field(examples=["ja"])
    name: str = Field(examples=["main"])
    versions: list[AssetVersionOut]


class WindowOut(Schema):
    territory: str = Field(examples=["JP"])
    start: date
    end: date | None


class VersionOut(Schema):
    label: str = Field(examples=["original"])
    availability: list[WindowOut]
    assets: list[AssetOut]


class TitleDetailOut(Schema):
    title: TitleOut
    external_ids: dict[str, str] = Field(examples=[{"imdb": "tt0000001"}])
    children: list[TitleOut]
    versions: list[VersionOut]


class Counts(Schema):
    created: int
    updated: int = 0
    unchanged: int


class IngestSummaryOut(Schema):
    dry_run: bool = Field(examples=[False])
    titles: Counts = Field(examples=[{"created": 3, "updated": 0, "unchanged": 1}])
    versions: Counts = Field(examples=[{"created": 2, "updated": 1, "unchanged": 0}])
    asset_versions: Counts = Field(examples=[{"created": 4, "updated": 0, "unchanged": 2}])


class ManifestProblem(Schema):
    row: int | None = Field(examples=[12])
    field: str | None = Field(examples=["original_language"])
    code: str = Field(examples=["bad_language"])
    message: str = Field(examples=['"xx" is not a language code (use a primary language such as ja or en)'])


class ManifestErrorsOut(Schema):
    error: ErrorDetail = Field(
        examples=[{"code": "invalid_manifest", "message": "2 problems: nothing was stored", "field": None}]
    )
    problems: list[ManifestProblem] = Field(
        default_factory=list, description="one per problem; absent when the request itself is malformed"
    )
