"""The flat (CSV/XLSX) form: one row per asset, grouped into the same records as the JSON form.

Title columns repeat on every row of a title and must agree; ``availability`` repeats on every row of a
version and must agree. A row without ``asset_kind`` declares a title (and optionally a version) only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shinsa.catalog.manifest.errors import IngestError, ManifestErrors, Reason
from shinsa.catalog.manifest.raw import REFUSED, RawNode, column_label

TITLE_COLUMNS = (
    "id",
    "kind",
    "parent",
    "number",
    "original_title",
    "original_language",
    "year",
    "external_ids",
)
ASSET_COLUMNS = {
    "asset_kind": "kind",
    "asset_name": "name",
    "asset_language": "language",
    "path": "path",
    "encoding": "encoding",
    "metadata_title": "title",
    "metadata_synopsis": "synopsis",
    "metadata_tags": "tags",
}
COLUMNS = (*TITLE_COLUMNS, "version", "availability", *ASSET_COLUMNS)
REQUIRED_COLUMNS = ("id", "kind", "original_title", "original_language")

_TITLE_LABEL = column_label({name: name for name in TITLE_COLUMNS})
_VERSION_LABEL = column_label({"label": "version"})
_AVAILABILITY_LABEL = column_label(
    {"territory": "availability", "start": "availability", "end": "availability"}
)
_ASSET_LABEL = column_label({canonical: column for column, canonical in ASSET_COLUMNS.items()})
_WINDOW = re.compile(r"(\S+)\s+(\S+)/(\S*)")
_PAIR = re.compile(r"([^=\s]+)\s*=\s*(.+)")


@dataclass
class _Title:
    node: RawNode
    cells: dict[str, Any]
    versions: dict[Any, tuple[RawNode, Any]] = field(default_factory=dict)


def check_header(header: list[Any], columns_with_data: set[int]) -> list[str | None]:
    """Column names by position (None for an empty, unused column); raises on a bad header."""
    errors: list[IngestError] = []
    names: list[str | None] = []
    for index, cell in enumerate(header):
        name = cell.strip().lower() if isinstance(cell, str) else None
        if not name:
            if index in columns_with_data:
                errors.append(IngestError(1, f"#{index + 1}", Reason.UNKNOWN_COLUMN))
            names.append(None)
        elif name not in COLUMNS:
            errors.append(IngestError(1, name[:64], Reason.UNKNOWN_COLUMN))
            names.append(None)
        elif name in names:
            errors.append(IngestError(1, name, Reason.DUPLICATE_COLUMN))
            names.append(None)
        else:
            names.append(name)
    errors += [
        IngestError(1, f"#{index + 1}", Reason.UNKNOWN_COLUMN)
        for index in sorted(columns_with_data)
        if index >= len(header)
    ]
    errors += [IngestError(1, name, Reason.MISSING_COLUMN) for name in REQUIRED_COLUMNS if name not in names]
    if errors:
        raise ManifestErrors(errors)
    return names


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def group_rows(
    names: list[str | None], rows: list[tuple[int, list[Any]]], errors: list[IngestError]
) -> list[RawNode]:
    """Rows (numbered as the user sees them) -> title records; conflicts between rows go to ``errors``."""
    titles: dict[Any, _Title] = {}
    for number, row in rows:
        cells = {name: _cell(value) for name, value in zip(names, row, strict=False) if name is not None}
        if all(value is None for value in cells.values()):
            continue
        _add_row(titles, number, cells, errors)
    return [title.node for title in titles.values()]


def _add_row(
    titles: dict[Any, _Title], number: int, cells: dict[str, Any], errors: list[IngestError]
) -> None:
    key = cells.get("id")
    if not isinstance(key, str):
        key = ("row", number)  # no usable id: a title of its own, so the validator names the problem
    title = titles.get(key)
    if title is None:
        values = {name: cells.get(name) for name in TITLE_COLUMNS}
        values["external_ids"] = _pairs(values["external_ids"], number, errors)
        node = RawNode(values, number, _TITLE_LABEL, from_cells=True, children={"versions": []})
        title = titles[key] = _Title(node, cells)
    else:
        for name in TITLE_COLUMNS:
            if cells.get(name) != title.cells.get(name):
                errors.append(
                    IngestError(number, name, Reason.CONFLICTING_VALUE, {"first_row": title.node.row})
                )
    label = cells.get("version")
    has_asset = any(cells.get(column) is not None for column in ASSET_COLUMNS)
    if label is None:
        if has_asset or cells.get("availability") is not None:
            errors.append(IngestError(number, "version", Reason.REQUIRED))
        return
    version = _version(title, label, number, cells, errors)
    if cells.get("asset_kind") is None:
        if has_asset:
            errors.append(IngestError(number, "asset_kind", Reason.REQUIRED))
        return
    values = {canonical: cells.get(column) for column, canonical in ASSET_COLUMNS.items()}
    values["tags"] = _tags(values["tags"])
    asset = RawNode(values, number, _ASSET_LABEL, from_cells=True)
    assets = version.children["assets"]
    assert assets is not None
    assets.append(asset)


def _version(
    title: _Title, label: Any, number: int, cells: dict[str, Any], errors: list[IngestError]
) -> RawNode:
    key = label if isinstance(label, str) else repr(label)
    availability = cells.get("availability")
    if key in title.versions:
        node, first_availability = title.versions[key]
        if availability != first_availability:
            errors.append(
                IngestError(number, "availability", Reason.CONFLICTING_VALUE, {"first_row": node.row})
            )
        return node
    windows = _windows(availability, number, errors)
    node = RawNode(
        {"label": label},
        number,
        _VERSION_LABEL,
        from_cells=True,
        children={"availability": windows, "assets": []},
    )
    title.versions[key] = (node, availability)
    versions = title.node.children["versions"]
    assert versions is not None
    versions.append(node)
    return node


def _windows(value: Any, number: int, errors: list[IngestError]) -> list[RawNode] | None:
    """``JP 2026-01-01/2026-12-31; US 2026-04-01/`` -> availability records (empty end: open-ended)."""
    if value is None or value is REFUSED:
        return None
    if not isinstance(value, str):
        errors.append(IngestError(number, "availability", Reason.AVAILABILITY_FORMAT))
        return None
    windows = []
    for part in filter(None, (piece.strip() for piece in value.split(";"))):
        match = _WINDOW.fullmatch(part)
        if match is None:
            errors.append(IngestError(number, "availability", Reason.AVAILABILITY_FORMAT))
            return None
        territory, start, end = match.groups()
        values = {"territory": territory, "start": start, "end": end or None}
        windows.append(RawNode(values, number, _AVAILABILITY_LABEL, from_cells=True))
    return windows


def _pairs(value: Any, number: int, errors: list[IngestError]) -> Any:
    """``imdb=tt0000001; tmdb=42`` -> {"imdb": "tt0000001", "tmdb": "42"}."""
    if value is None or value is REFUSED:
        return value
    pairs: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in str(value).split(";"))):
        match = _PAIR.fullmatch(part)
        if match is None or match.group(1) in pairs:
            errors.append(IngestError(number, "external_ids", Reason.EXTERNAL_IDS_FORMAT))
            return None
        pairs[match.group(1)] = match.group(2).strip()
    return pairs


def _tags(value: Any) -> Any:
    """``anime; adventure`` -> ["anime", "adventure"]."""
    if value is None or value is REFUSED or not isinstance(value, str):
        return value
    return [tag.strip() for tag in value.split(";") if tag.strip()]
