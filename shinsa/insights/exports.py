"""Exports of decisions as XLSX (openpyxl's write-only, streaming mode) or CSV.

- Every decision in the range (by ``decided_at``, UTC days, both ends inclusive) with its status:
  pending (waiting for a second reviewer), final, or overturned (on appeal).
- Typed XLSX columns: dates as dates, numbers as numbers, booleans as booleans; a bold frozen header
  and an autofilter on every sheet.
- Every text cell, in both formats, is neutralised: a value a spreadsheet would read as a formula
  (= + - @, tab, carriage return) gets a leading apostrophe.
- A sheet holds at most ``SHEET_ROWS`` rows (Excel's limit, header included); the rows continue on
  "decisions 2", "decisions 3", … each with its own header.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shinsa.lib.spreadsheet import neutralise

SHEET_ROWS = 1_048_576  # Excel's row limit per sheet, header included
SHEET_NAME = "decisions"
STATUS_NAMES = {"pending_confirmation": "pending", "final": "final", "overturned": "overturned"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: type
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("decision_id", int, 12),
    Column("decided_at", datetime.datetime, 20),
    Column("final_at", datetime.datetime, 20),
    Column("status", str, 12),
    Column("action", str, 14),
    Column("policy_area", str, 18),
    Column("clause", str, 12),
    Column("source", str, 16),
    Column("automated_detection", bool, 10),
    Column("territories", str, 16),
    Column("title_id", str, 20),
    Column("title", str, 30),
    Column("version", str, 14),
    Column("work_kind", str, 10),
    Column("reviewer", str, 14),
    Column("handling_hours", float, 12),
    Column("appeal_outcome", str, 12),
)


def _naive_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    # Excel has no time zones: every time is written as UTC without an offset.
    if value is None:
        return None
    return value.astimezone(datetime.UTC).replace(tzinfo=None)


def decision_rows(since: datetime.date | None, until: datetime.date | None) -> Iterator[tuple[Any, ...]]:
    """The export's rows from the database, streamed in chunks (values only, no model objects)."""
    from shinsa.review.models import Decision

    query = Decision.objects.all()
    if since is not None:
        query = query.filter(
            decided_at__gte=datetime.datetime.combine(since, datetime.time(), tzinfo=datetime.UTC)
        )
    if until is not None:
        end = datetime.datetime.combine(
            until + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
        )
        query = query.filter(decided_at__lt=end)
    fields = (
        "pk",
        "decided_at",
        "final_at",
        "status",
        "action",
        "item__policy_area",
        "clause_id",
        "source",
        "automated_detection",
        "territories",
        "title_version__title__external_id",
        "title_version__title__original_title",
        "title_version__label",
        "work_kind",
        "reviewer__username",
        "item__created_at",
    )
    outcomes = _appeal_outcomes(query)
    for row in query.order_by("decided_at", "pk").values_list(*fields).iterator(chunk_size=2000):
        (
            pk,
            decided,
            final,
            status,
            action,
            area,
            clause,
            source,
            automated,
            territories,
            title_id,
            title,
            label,
            kind,
            reviewer,
            created,
        ) = row
        yield (
            pk,
            _naive_utc(decided),
            _naive_utc(final),
            STATUS_NAMES.get(status, status),
            action,
            area,
            clause,
            source,
            automated,
            " ".join(territories or []),
            title_id,
            title,
            label,
            kind,
            reviewer,
            round((decided - created).total_seconds() / 3600, 3),
            outcomes.get(pk, ""),
        )


def _appeal_outcomes(query: Any) -> dict[int, str]:
    from shinsa.review.models import Appeal

    latest: dict[int, str] = {}
    for decision_id, outcome in (
        Appeal.objects.filter(decision__in=query.values("pk"))
        .order_by("opened_at", "pk")
        .values_list("decision_id", "outcome")
    ):
        latest[decision_id] = outcome or "pending"
    return latest


def _text(value: Any) -> str:
    return neutralise(str(value)) if value is not None else ""


def write_csv(rows: Iterable[Sequence[Any]], path: Path) -> int:
    """CSV in UTF-8 with a BOM (so Excel reads Japanese correctly); returns the rows written."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in COLUMNS])
        for row in rows:
            writer.writerow(
                [
                    _text(v)
                    if c.kind is str
                    else (
                        "" if v is None else (v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v)
                    )
                    for c, v in zip(COLUMNS, row, strict=True)
                ]
            )
            count += 1
    return count


def _new_sheet(workbook: Workbook, number: int) -> Any:
    sheet = workbook.create_sheet(SHEET_NAME if number == 1 else f"{SHEET_NAME} {number}")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    bold = Font(bold=True)
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    return sheet


def _finish(sheet: Any, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(rows, 1) + 1}"


def write_xlsx(rows: Iterable[Sequence[Any]], path: Path, *, sheet_rows: int | None = None) -> int:
    """Stream ``rows`` into an XLSX workbook; returns the rows written (headers not counted)."""
    limit = (sheet_rows or SHEET_ROWS) - 1  # data rows per sheet, below its header
    workbook = Workbook(write_only=True)
    sheets = 1
    sheet = _new_sheet(workbook, sheets)
    on_sheet = total = 0
    text_columns = [n for n, c in enumerate(COLUMNS) if c.kind is str]
    for row in rows:
        if on_sheet == limit:
            _finish(sheet, on_sheet)
            sheets += 1
            sheet = _new_sheet(workbook, sheets)
            on_sheet = 0
        # Plain values stream fastest. A neutralised text never starts with "=", so openpyxl cannot
        # take it for a formula; datetimes get openpyxl's date format, numbers and booleans stay typed.
        out = list(row)
        for n in text_columns:
            out[n] = _text(out[n])
        sheet.append(out)
        on_sheet += 1
        total += 1
    _finish(sheet, on_sheet)
    workbook.save(path)
    return total
