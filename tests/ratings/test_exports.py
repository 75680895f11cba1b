"""Exports: typed XLSX cells, frozen header, autofilter, formula neutralisation; CSV with the same columns."""

from __future__ import annotations

import csv
from datetime import datetime

from django.core.management import call_command
from openpyxl import load_workbook

from shinsa.catalog.models import Title
from shinsa.lib.spreadsheet import neutralise
from shinsa.ratings.exports import COLUMNS
from tests.ratings.conftest import publish_cut


def test_it_neutralises_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("Film") == "Film"


def test_it_writes_typed_cells_with_a_frozen_header_and_an_autofilter(cast, catalog, tmp_path):
    Title.objects.filter(pk=catalog.film.pk).update(external_id='=HYPERLINK("x")')
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    out = tmp_path / "ratings.xlsx"
    call_command("ratings", "export", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out)["ratings"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row}"
    header = [cell.value for cell in sheet[1]]
    assert header == [column.name for column in COLUMNS]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["title"].value == '\'=HYPERLINK("x")' and row["title"].data_type == "s"
    assert isinstance(row["published_at"].value, datetime)
    assert row["because_count"].data_type == "n" and row["because_count"].value >= 1
    bbfc = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[4] == "bbfc")
    assert bbfc[5] == "15" and "violence 3 00:00:01.000–00:00:04.000" in bbfc[10]


def test_it_writes_the_same_columns_as_csv(cast, catalog, tmp_path):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    out = tmp_path / "ratings.csv"
    call_command("ratings", "export", "--format", "csv", "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [column.name for column in COLUMNS]
    bbfc = next(row for row in rows if row["scheme"] == "bbfc")
    assert bbfc["level"] == "15" and bbfc["advice_en"] and bbfc["advice_ja"]
    datetime.fromisoformat(bbfc["published_at"])
