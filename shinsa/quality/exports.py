"""Scorecards as an XLSX workbook (openpyxl). Every text cell is neutralised against formula injection:
a value that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) gets a
leading apostrophe, so it is shown as text and never evaluated."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from shinsa.lib.spreadsheet import safe_cell
from shinsa.quality.models import ErrorClass
from shinsa.quality.queries import Scorecards, ScoreLine


def _rows(lines: list[ScoreLine]) -> list[list[object]]:
    rows = []
    for line in lines:
        interval = line.interval
        rows.append(
            [line.key, line.audited, line.errors, line.accuracy]
            + ([interval[0], interval[1]] if interval else [None, None])
            + [line.error_classes.get(value, 0) for value in ErrorClass.values]
        )
    return rows


def scorecards_xlsx(cards: Scorecards) -> bytes:
    book = Workbook()
    header_tail = [
        _("audited"),
        _("errors"),
        _("accuracy"),
        _("Wilson interval, low"),
        _("Wilson interval, high"),
    ] + [str(label) for label in ErrorClass.labels]
    sheets = [
        (_("Reviewers"), _("reviewer"), cards.reviewers),
        (_("Policy areas"), _("policy area"), cards.areas),
        (_("Weeks"), _("week"), cards.weeks),
        (_("Reviewers by week"), _("reviewer and week"), cards.reviewer_weeks),
    ]
    first = True
    for title, key_name, lines in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title[:31]
        sheet.append([safe_cell(v) for v in [key_name, *header_tail]])
        for row in _rows(lines):
            sheet.append([safe_cell(v) for v in row])
        for cell in sheet["D"][1:] + sheet["E"][1:] + sheet["F"][1:]:
            cell.number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
