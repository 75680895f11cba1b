"""What a valid manifest holds, as frozen, typed entries (the parser's result)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from shinsa.catalog.manifest.errors import IngestError, Reason

FORMAT_ID = "shinsa-manifest/1"


class TitleKind(StrEnum):
    FILM = "film"
    SERIES = "series"
    SEASON = "season"
    EPISODE = "episode"


class AssetKind(StrEnum):
    VIDEO = "video"
    SUBTITLE = "subtitle"
    ARTWORK = "artwork"
    METADATA = "metadata"


# Which kinds a title of each kind may hang under. Episodes may sit directly under a series that has no
# seasons. Films and series stand alone.
PARENT_KINDS: dict[TitleKind, frozenset[TitleKind]] = {
    TitleKind.FILM: frozenset(),
    TitleKind.SERIES: frozenset(),
    TitleKind.SEASON: frozenset({TitleKind.SERIES}),
    TitleKind.EPISODE: frozenset({TitleKind.SEASON, TitleKind.SERIES}),
}
FILE_ASSET_KINDS = frozenset({AssetKind.VIDEO, AssetKind.SUBTITLE, AssetKind.ARTWORK})
LANGUAGE_REQUIRED = frozenset({AssetKind.SUBTITLE, AssetKind.METADATA})


@dataclass(frozen=True)
class ManifestLimits:
    """Caps that keep a hostile or mistaken file from exhausting memory or time."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 50_000
    max_json_depth: int = 16
    max_workbook_bytes: int = 100 * 1024 * 1024  # uncompressed size of all parts of an .xlsx
    max_workbook_entries: int = 2_000
    max_compression_ratio: int = 200
    max_subtitle_bytes: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class Where:
    """Where an entry came from, so checks made later (against the database) can name row and field."""

    row: int | None
    label: Callable[[str], str] = field(compare=False, repr=False)

    def error(self, name: str, reason: Reason, **params: str | int | None) -> IngestError:
        return IngestError(self.row, self.label(name), reason, params)


@dataclass(frozen=True)
class AvailabilityEntry:
    territory: str  # ISO 3166-1 alpha-2, upper case
    start: date
    end: date | None  # exclusive of nothing: the window is [start, end); None = open-ended


@dataclass(frozen=True)
class MetadataText:
    title: str
    synopsis: str
    tags: tuple[str, ...]

    def as_json(self) -> dict:
        return {"title": self.title, "synopsis": self.synopsis, "tags": list(self.tags)}


@dataclass(frozen=True)
class AssetEntry:
    kind: AssetKind
    name: str
    language: str  # "" where the kind needs none
    where: Where = field(compare=False)
    # File assets: the resolved file (inside the manifest's folder), as the manifest wrote it, its facts.
    source: Path | None = None
    source_path: str = ""
    extension: str = ""
    media_type: str = ""
    encoding: str = ""  # subtitles: the declared or detected text encoding (Python codec name)
    # Metadata assets: the text. Both kinds: SHA-256 and size of the content (metadata: canonical JSON).
    metadata: MetadataText | None = None
    sha256: str = ""
    size_bytes: int = 0

    def key(self) -> tuple[str, str, str]:
        return (self.kind.value, self.language, self.name)


@dataclass(frozen=True)
class VersionEntry:
    label: str
    where: Where = field(compare=False)
    # None: the manifest does not state availability (the stored windows stay as they are).
    availability: tuple[AvailabilityEntry, ...] | None
    assets: tuple[AssetEntry, ...]


@dataclass(frozen=True)
class TitleEntry:
    external_id: str
    kind: TitleKind
    parent: str | None
    number: int | None
    original_title: str
    original_language: str
    year: int | None
    external_ids: tuple[tuple[str, str], ...]  # (namespace, value), sorted
    versions: tuple[VersionEntry, ...]
    where: Where = field(compare=False)


@dataclass(frozen=True)
class ParsedManifest:
    format: str  # "json", "csv" or "xlsx"
    source_encoding: str  # how the text was read ("utf-8", "cp932", ...; "xlsx" for workbooks)
    titles: tuple[TitleEntry, ...]
