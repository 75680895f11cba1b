"""XLSX manifests: checked as a zip before openpyxl opens it (macros, zip bombs), formula cells refused.

The first sheet named ``manifest`` is read, else the first sheet; its first row is the header.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from shinsa.catalog.manifest.entries import ManifestLimits
from shinsa.catalog.manifest.errors import IngestError, ManifestErrors, Reason, file_error
from shinsa.catalog.manifest.flat import check_header, group_rows
from shinsa.catalog.manifest.raw import REFUSED, RawNode

MAX_COLUMNS = 64  # the manifest has 18 columns; cells further right are not read


def check_workbook_zip(data: bytes, limits: ManifestLimits) -> None:
    """Refuse what openpyxl should never be handed: non-zips, non-workbooks, macros, bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise file_error(Reason.NOT_A_WORKBOOK) from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise file_error(Reason.NOT_A_WORKBOOK)
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise file_error(Reason.MACRO_WORKBOOK)
        limit_mb = limits.max_workbook_bytes // (1024 * 1024)
        if len(entries) > limits.max_workbook_entries:
            raise file_error(Reason.WORKBOOK_TOO_LARGE, limit_mb=limit_mb)
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > limits.max_workbook_bytes or (
                entry.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio
            ):
                raise file_error(Reason.WORKBOOK_TOO_LARGE, limit_mb=limit_mb)


def _value(cell: Any, errors: list[IngestError], column: str | None) -> Any:
    value = cell.value  # read-only sheets give EmptyCell (value None, no coordinate) for gaps
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        errors.append(IngestError(cell.row, column, Reason.FORMULA, {"cell": cell.coordinate}))
        return REFUSED
    if isinstance(value, time):  # a time of day has no meaning in a manifest
        return str(value)
    if isinstance(value, datetime | date | int | float | str) or value is None:
        return value
    return str(value)


def read_xlsx(data: bytes, limits: ManifestLimits, errors: list[IngestError]) -> list[RawNode]:
    check_workbook_zip(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - any failure inside openpyxl means the file is not a usable workbook
        raise file_error(Reason.NOT_A_WORKBOOK) from None
    try:
        sheet = workbook["manifest"] if "manifest" in workbook.sheetnames else workbook.worksheets[0]
        # The stored dimension may claim 16,384 columns; never pad rows to what the file says.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS)
        header_cells = next(rows, None)
        if header_cells is None:
            raise file_error(Reason.FILE_EMPTY)
        header = [
            _value(cell, errors, get_column_letter(index + 1)) for index, cell in enumerate(header_cells)
        ]
        if errors:
            raise ManifestErrors(errors)
        raw_rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, cells in enumerate(rows, start=2):
            if number > limits.max_rows + 1:
                raise file_error(Reason.TOO_MANY_ROWS, limit=limits.max_rows)
            raw_rows.append((number, cells))
    except ManifestErrors:
        raise
    except Exception:  # noqa: BLE001 - malformed sheet XML surfaces only while rows are read
        raise file_error(Reason.NOT_A_WORKBOOK) from None
    finally:
        workbook.close()
    used = {
        index for _, cells in raw_rows for index, cell in enumerate(cells) if cell.value not in (None, "")
    }
    names = check_header(header, used)
    values = [
        (
            number,
            [
                _value(cell, errors, names[index] if index < len(names) else None)
                for index, cell in enumerate(cells)
            ],
        )
        for number, cells in raw_rows
    ]
    return group_rows(names, values, errors)
