"""Exports of the published ratings, one row per title (or cut) × territory × scheme, as CSV or XLSX.

Text cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe, in both formats: a title or a note must never run as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shinsa.lib.clock import clock
from shinsa.lib.spreadsheet import safe_cell
from shinsa.ratings.models import PublishedRating


@dataclass(frozen=True)
class Column:
    name: str
    kind: type


COLUMNS: tuple[Column, ...] = (
    Column("title", str),
    Column("kind", str),
    Column("version", str),
    Column("territory", str),
    Column("scheme", str),
    Column("level", str),
    Column("source", str),
    Column("computed_level", str),
    Column("advice_en", str),
    Column("advice_ja", str),
    Column("because", str),
    Column("because_count", int),
    Column("referrals", str),
    Column("override_reason", str),
    Column("policy_version", str),
    Column("published_at", datetime),
    Column("published_by", str),
)


def explain(because: Iterable[dict[str, Any]]) -> str:
    """The ``because`` list as one readable line: ``violence 3 00:00:01.000–00:00:05.000 (ladder)``."""
    parts = []
    for item in because:
        if "title" in item:  # a rollup names the child that set the level
            parts.append(f"{item['title']}: {item['level']}")
            continue
        where = ""
        if item.get("start_ms") is not None:
            where = f" {clock(item['start_ms'])}–{clock(item.get('end_ms'))}"
        parts.append(f"{item['descriptor']} {item['intensity']}{where} ({item['rule']})")
    return "; ".join(parts)


def export_rows(rows: Iterable[PublishedRating]) -> list[list[Any]]:
    """One typed row per published rating, in ``COLUMNS`` order."""
    out = []
    for row in rows:
        out.append(
            [
                row.title.external_id,
                row.title.kind,
                row.title_version.label if row.title_version else "",
                row.territory,
                row.scheme,
                row.level,
                row.source,
                row.computed_level,
                " / ".join(row.advice_en),
                " / ".join(row.advice_ja),
                explain(row.explanation),
                len(row.explanation),
                "; ".join(f"{item['rule']}: {item['descriptor']}" for item in row.referrals),
                row.override.reason if row.override else "",
                row.policy_version,
                row.published_at,
                row.published_by.get_username(),
            ]
        )
    return out


def write_csv(rows: Sequence[Sequence[Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.name for column in COLUMNS])
        for row in rows:
            writer.writerow(
                [value.isoformat() if isinstance(value, datetime) else safe_cell(value) for value in row]
            )


def write_xlsx(rows: Sequence[Sequence[Any]], path: Path) -> None:
    """Write-only workbook: a bold frozen header, an autofilter over the data, typed cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ratings")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(value, datetime):
                # Excel has no time zones: the UTC time, without the offset, in an ISO-like format.
                cell.value = value.astimezone(UTC).replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, str):
                cell.data_type = "s"  # never let openpyxl guess a formula
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)
