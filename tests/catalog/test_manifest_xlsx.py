"""The XLSX manifest parser: formula cells, macros, non-workbooks, zip bombs (pure, no database)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from shinsa.catalog.manifest import ManifestErrors, ManifestLimits, Reason, parse_manifest
from tests.catalog.manifests import EXAMPLES

HEADER = ["id", "kind", "original_title", "original_language", "year", "version", "availability"]


def workbook(tmp_path, rows, name="m.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def problems(path, **kwargs):
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path, **kwargs)
    return [(e.row, e.field, e.reason, dict(e.params)) for e in caught.value.errors]


def test_it_reads_the_example_as_the_json_example_reads():
    assert (
        parse_manifest(EXAMPLES / "manifest.xlsx").titles == parse_manifest(EXAMPLES / "manifest.json").titles
    )


def test_it_takes_number_and_date_cells(tmp_path):
    path = workbook(tmp_path, [["f-1", "film", 1984, "en", 1984.0, "v", None]])
    title = parse_manifest(path).titles[0]
    assert (title.original_title, title.year) == ("1984", 1984)


def test_it_refuses_formula_cells_naming_the_cell(tmp_path):
    path = workbook(
        tmp_path, [["f-1", "film", '=HYPERLINK("http://evil","click")', "en", "=2000+24", None, None]]
    )
    assert problems(path) == [
        (2, "original_title", Reason.FORMULA, {"cell": "C2"}),
        (2, "year", Reason.FORMULA, {"cell": "E2"}),
    ]


def test_it_refuses_non_integral_numbers_and_times(tmp_path):
    path = workbook(tmp_path, [["f-1", "film", "T", "en", 2020.5, "v", datetime(2026, 1, 1, 10, 30)]])
    found = [(row, field, reason) for row, field, reason, _ in problems(path)]
    assert sorted(found) == [(2, "availability", Reason.AVAILABILITY_FORMAT), (2, "year", Reason.NOT_INTEGER)]


def _zip(tmp_path, name, members):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_it_refuses_macros_even_in_a_file_named_xlsx(tmp_path):
    path = _zip(
        tmp_path,
        "m.xlsx",
        {"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>", "xl/vbaProject.bin": b"\0"},
    )
    assert problems(path) == [(None, None, Reason.MACRO_WORKBOOK, {})]


def test_it_refuses_zips_that_are_not_workbooks_and_files_that_are_not_zips(tmp_path):
    assert problems(_zip(tmp_path, "m.xlsx", {"readme.txt": "hello"}))[0][2] == Reason.NOT_A_WORKBOOK
    other = tmp_path / "n.xlsx"
    other.write_bytes(b"id,kind\n")
    assert problems(other)[0][2] == Reason.NOT_A_WORKBOOK


def test_it_refuses_a_zip_bomb_before_unpacking_it(tmp_path):
    bomb = _zip(
        tmp_path, "m.xlsx", {"[Content_Types].xml": "<x/>", "xl/workbook.xml": b"\0" * (8 * 1024 * 1024)}
    )
    assert bomb.stat().st_size < 100 * 1024
    limits = ManifestLimits(max_workbook_bytes=4 * 1024 * 1024)
    assert problems(bomb, limits=limits) == [(None, None, Reason.WORKBOOK_TOO_LARGE, {"limit_mb": 4})]
    # Over the compression-ratio guard even when the total is under the cap.
    assert problems(bomb)[0][2] == Reason.WORKBOOK_TOO_LARGE


def test_it_reads_the_sheet_named_manifest(tmp_path):
    book = Workbook()
    book.active.title = "notes"
    book.active.append(["anything"])
    sheet = book.create_sheet("manifest")
    sheet.append(HEADER)
    sheet.append(["f-1", "film", "T", "en", None, None, None])
    path = tmp_path / "m.xlsx"
    book.save(path)
    assert [t.external_id for t in parse_manifest(path).titles] == ["f-1"]


def test_it_keeps_the_sheet_readable_through_bytes(tmp_path):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    path = tmp_path / "blank.xlsx"
    path.write_bytes(buffer.getvalue())
    assert problems(path)[0][2] in {Reason.FILE_EMPTY, Reason.MISSING_COLUMN}


def _rewrite_sheet(source, target, change):
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    parts[sheet] = change(parts[sheet])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def test_it_refuses_a_sheet_whose_xml_breaks_halfway(tmp_path):
    source = workbook(tmp_path, [["f-1", "film", "T", "en", None, None, None]] * 50)
    broken = _rewrite_sheet(source, tmp_path / "broken.xlsx", lambda xml: xml[: len(xml) // 2])
    assert problems(broken)[0][2] == Reason.NOT_A_WORKBOOK


def test_it_ignores_a_dimension_that_claims_every_column(tmp_path):
    source = workbook(tmp_path, [["f-1", "film", "T", "en", None, None, None]])
    wide = _rewrite_sheet(
        source,
        tmp_path / "wide.xlsx",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(wide).read("xl/worksheets/sheet1.xml")
    assert [t.external_id for t in parse_manifest(wide).titles] == ["f-1"]
