"""``shinsa export decisions``: every decision in the UTC date range with its status, typed XLSX
(frozen header, filters, continuation sheets) and CSV, formula injection neutralised."""

from __future__ import annotations

import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from shinsa.insights import exports
from tests.insights.conftest import overturn, utc


@pytest.fixture
def three(decided, team):  # noqa: ANN001
    """Three decisions: 24 Nov 23:30 UTC (restrict, later overturned), 25 Nov 00:10 and 26 Nov 00:00."""
    first = decided(
        area="hate",
        action="restrict",
        territories=("JP",),
        note='=HYPERLINK("http://x")',
        at=utc("2026-11-24", 23),
    )
    overturn(team, first)
    second = decided(area="violence", action="approve", at=utc("2026-11-25", 0))
    third = decided(area="subtitle_quality", action="approve", at=utc("2026-11-26", 0))
    return first, second, third


def test_it_writes_a_typed_xlsx_with_a_frozen_filtered_header(three, tmp_path):
    out = tmp_path / "d.xlsx"
    call_command(
        "export",
        "decisions",
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--since",
        "2026-11-24",
        "--until",
        "2026-11-25",
    )
    book = load_workbook(out)
    sheet = book["decisions"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q3"
    header = [c.value for c in sheet[1]]
    assert header == [c.name for c in exports.COLUMNS]
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["decision_id"] for r in rows] == [three[0].pk, three[1].pk]  # the 26th is outside
    first = rows[0]
    assert isinstance(first["decided_at"], datetime.datetime) and first["decided_at"] == datetime.datetime(
        2026, 11, 24, 23
    )
    assert isinstance(first["decision_id"], int) and isinstance(first["handling_hours"], float)
    assert first["automated_detection"] is False
    assert (first["status"], first["appeal_outcome"], first["territories"]) == (
        "overturned",
        "overturned",
        "JP",
    )
    assert rows[1]["status"] == "final"


def test_it_neutralises_formulas_in_every_text_cell(three, tmp_path, team):
    from shinsa.catalog.models import Title

    Title.objects.filter(pk=three[0].title_version.title_id).update(original_title="=cmd|' /C calc'!A0")
    out = tmp_path / "d.xlsx"
    call_command("export", "decisions", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out)["decisions"]
    titles = [row[11].value for row in sheet.iter_rows(min_row=2)]
    assert titles and all(t == "'=cmd|' /C calc'!A0" for t in titles)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    out_csv = tmp_path / "d.csv"
    call_command("export", "decisions", "--format", "csv", "--out", str(out_csv))
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 and rows[0]["title"].startswith("'=")


def test_it_continues_on_the_next_sheet_past_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "SHEET_ROWS", 4)  # three data rows a sheet, below the header
    rows = [
        (
            n,
            None,
            None,
            "final",
            "approve",
            "hate",
            "HAT-1",
            "screening",
            True,
            "",
            "t",
            "T",
            "v",
            "review",
            "rin",
            1.5,
            "",
        )
        for n in range(8)
    ]
    out = tmp_path / "big.xlsx"
    assert exports.write_xlsx(rows, out) == 8
    book = load_workbook(out)
    assert book.sheetnames == ["decisions", "decisions 2", "decisions 3"]
    assert [[r[0].value for r in book[name].iter_rows(min_row=2)] for name in book.sheetnames] == [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7],
    ]
    assert all(
        book[name]["A1"].value == "decision_id" and book[name].freeze_panes == "A2"
        for name in book.sheetnames
    )


def test_it_refuses_a_bad_date_in_one_line(tmp_path, db):
    with pytest.raises(CommandError, match="--since must be an ISO 8601 date"):
        call_command(
            "export",
            "decisions",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x.csv"),
            "--since",
            "25/11/2026",
        )
    with pytest.raises(CommandError, match="--until must not be before --since"):
        call_command(
            "export",
            "decisions",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x.csv"),
            "--since",
            "2026-11-25",
            "--until",
            "2026-11-01",
        )
    assert not (tmp_path / "x.csv").exists()
