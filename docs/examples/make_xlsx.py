"""Writes manifest.xlsx from manifest.csv (the two hold the same rows): `python docs/examples/make_xlsx.py`.

Whole numbers become number cells, as a spreadsheet user would type them; everything else stays text.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "manifest"
    with (HERE / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append([int(cell) if cell.isdigit() else (cell or None) for cell in row])
    workbook.save(HERE / "manifest.xlsx")


if __name__ == "__main__":
    main()
